"""A list of the people (and places, workplaces) a researcher expects the transcripts to name.

Detection finds most names, but the last ones in ASR text are names heard as ordinary words
("bakke", "mor" for Moe) that no word list or model tells from speech.  The researcher often
knows them beforehand: the informants, their colleagues, their workplaces (a recruitment sheet,
the interview guide).  Given once as a file, each is added as if typed into ``anonymise add``:
every occurrence is marked, and the name is kept in the pseudonym key for documents imported
later.

The file is UTF-8 text, one name a line; ``KIND: name`` for another kind than a person
(``ORG: Holmvika Trelast``, ``LOC: Storøya``); blank lines and lines opening with ``#`` are
skipped.  Messages name the file and the line, never the name on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from codebench.anonymise.detections import KINDS, PER
from codebench.errors import ServiceError
from codebench.services.anonymisation.review import add_name
from codebench.services.project import Project

# A list of people is a few kilobytes; a bigger file is the wrong file.
MAX_BYTES = 1_000_000


class NameLine(NamedTuple):
    """One name of a people file."""

    line: int
    kind: str
    name: str


class AddedName(NamedTuple):
    """What adding one name of the file did (no name: it goes to the screen)."""

    line: int
    pseudonym: str
    occurrences: int


def parse_kind(value: str) -> tuple[str, str]:
    """``"ORG: Holmvika Trelast"`` → ``("ORG", "Holmvika Trelast")``; a plain name is a person."""
    head, colon, rest = value.partition(":")
    if colon and head.strip().upper() in KINDS and rest.strip():
        return head.strip().upper(), rest.strip()
    return PER, value.strip()


def looks_like_path(value: str) -> bool:
    """A typed entry that is a file's path, not names: it has a slash or a ``.txt`` ending."""
    value = value.strip()
    return bool(value) and ("/" in value or value.casefold().endswith(".txt"))


def names_file_named(value: str) -> Path | None:
    """The people file a typed entry names ("~/prosjekt/folk.txt"), or None when the entry is
    names or names no existing file (:func:`looks_like_path` tells those apart)."""
    if not looks_like_path(value):
        return None
    path = Path(value.strip()).expanduser()
    return path if path.is_file() else None


def parse_typed_names(value: str) -> list[NameLine]:
    """Names typed on one line, separated by semicolons ("Kari Holm; Per Olsen; ORG: Holmvika
    Trelast"), each with an optional kind; checked as a people file's lines are.

    Raises:
        ServiceError: an entry shorter than two characters, or none at all (by its place, never
            its text).
    """
    names = [_entry(number, part, f"name {number}") for number, part in enumerate(value.split(";"), 1)
             if part.strip()]
    if not names:
        raise ServiceError("no name given")
    return names


def _entry(number: int, text: str, where: str) -> NameLine:
    """One entry of a list: its kind and name, checked; errors say where, never the name."""
    kind, name = parse_kind(text)
    if len(" ".join(name.split())) < 2:
        raise ServiceError(f"{where}: a name needs at least two characters")
    return NameLine(number, kind, name)


def read_names_file(path: str | Path) -> list[NameLine]:
    """The names of a people file (see the module docstring), checked before anything is added.

    Raises:
        ServiceError: the file cannot be read, is too big or not UTF-8, or a line holds a name
            shorter than two characters; the message names the file and the line.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ServiceError(f"{path}: {size / 1e6:.1f} MB is no list of names (at most 1 MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ServiceError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    names: list[NameLine] = []
    for number, line in enumerate(raw.splitlines(), 1):
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise ServiceError(f"{path}, line {number}: not UTF-8 text; save the list as UTF-8") from None
        text = text.strip()
        if text and not text.startswith("#"):
            names.append(_entry(number, text, f"{path}, line {number}"))
    if not names:
        raise ServiceError(f"{path}: no names in it (one name a line; # starts a comment)")
    return names


def add_names(project: Project, path: str | Path, *, coder: str | None = None) -> list[AddedName]:
    """Add every name of a people file, each as ``anonymise add`` would (one undo step each).

    The whole file is read and checked first: a bad line adds nothing.
    """
    names = read_names_file(path)
    added: list[AddedName] = []
    for entry in names:
        pseudonym, count = add_name(project, entry.name, kind=entry.kind, coder=coder)
        added.append(AddedName(entry.line, pseudonym, count))
    return added
