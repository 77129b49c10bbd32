"""Scanning what codebench writes for the sample corpus's gold identifiers.

Shared by the tests of one project's exports and of the whole team path (two coders anonymise
their copies, the team merges, every export and every printing command is scanned).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from codebench import services
from codebench.anonymise.gazetteer import is_common_word
from codebench.domain.spans import Span
from codebench.services import anonymisation

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "corpora" / "sample" / "gold" / "identifiers"
GOLD_KINDS = {"PER", "ORG", "LOC", "NAV_OFFICE", "PHONE", "EMAIL", "ADDRESS", "FNR"}


def gold() -> list[dict]:
    """The hand-made identifier annotations of the sample transcripts."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def add_missed_gold_names(project: services.Project, coder: str = "test") -> int:
    """What a researcher does last in review: add by name every gold identifier the rendition
    still shows. Returns how many names were added (0 on a second call)."""
    docs = {d.name: d.id for d in services.list_documents(project)}
    added = 0
    for annotation in gold():
        rendition = anonymisation.rendition(project, docs[Path(annotation["file"]).stem])
        for span in annotation["spans"]:
            target = rendition.offsets.span_to_target(Span(span["start"], span["end"]))
            if span["text"] in rendition.text[target.start:target.end]:
                kind = span["type"] if span["type"] in GOLD_KINDS else "PER"
                anonymisation.add_name(project, span["text"], kind=kind, coder=coder)
                added += 1
    return added


def identifiers(project: services.Project) -> set[str]:
    """Every gold form (in the text and in the original file names) and participant site."""
    annotations = gold()
    forms = {s["text"] for g in annotations for s in g["spans"]}
    forms |= {i["text"] for g in annotations for i in g.get("file_name_identifiers", [])}
    forms |= {p.site for p in services.participants(project) if p.site}
    return {f for f in forms if len(f) >= 3}


def read_back(path: Path) -> str:
    """The text a reader of this file would see, from the file's own reader."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None) + "\n" + "\n".join(book.sheetnames)
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if suffix in (".qdpx", ".zip"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.namelist() + [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()])
    return path.read_text(encoding="utf-8")


def export_commands(root: str | Path, out: Path) -> list[list[str]]:
    """A CLI command for every export format and layout, writing into ``out``."""
    root = str(root)
    commands = [
        ["export", "text", root, "-o", str(out / "tekst")],
        ["export", "qdpx", root, "-o", str(out / "prosjekt.qdpx")],
        ["export", "qdc", root, "-o", str(out / "kodebok.qdc")],
    ]
    for fmt in ("xlsx", "csv", "md", "html", "docx"):
        commands.append(["export", "matrix", root, "-o", str(out / f"matrise.{fmt}")])
    commands.append(["export", "matrix", root, "--columns", "document", "-o", str(out / "matrise-dokumenter.csv")])
    commands.append(["export", "matrix", root, "--columns", "participant", "-o", str(out / "matrise-case.md")])
    for category in ("veileder", "IA-rådgiver", "mentor", "arbeidsgiver"):
        for fmt in ("docx", "md"):
            commands.append(["export", "quotes", root, "--category", category, "-o", str(out / f"sitater-{category}.{fmt}")])
    for fmt in ("md", "docx"):
        commands.append(["export", "codebook", root, "-o", str(out / f"kodebok.{fmt}")])
        commands.append(["export", "memos", root, "-o", str(out / f"memoer.{fmt}")])
    return commands


def leaks(contents: dict[str, str], forms: Iterable[str], renditions: str) -> list[tuple[str, str]]:
    """``(form, where)`` for every identifier form found in ``contents``.

    A form may still appear where the position-checked anonymised transcripts (``renditions``)
    have it outside every gold span, an ordinary word ("liv", life; "berg", rock); a lower-case
    common word likewise ("liv" is a name only inside the ASR transcript). Anywhere else it is a
    leak through names, labels, memos, sites or file names.
    """
    found = []
    for form in sorted(forms):
        if occurs(form, renditions) or (form.islower() and is_common_word(form)):
            continue
        found += [(form, where) for where, text in contents.items() if occurs(form, text)]
    return found


def occurs(form: str, text: str) -> bool:
    """Whether ``form`` stands in ``text`` as a whole word (no letter, digit or _ either side).

    The answer is the regex ``(?<!\\w)form(?!\\w)``'s, tried only where the form's letters are: a
    regex that starts with a look-behind is otherwise tried at every position of a long text,
    and these scans try a few hundred forms on every output of a project.
    """
    pattern = _whole_word(form)
    start = text.find(form)
    while start != -1:
        # endpos one past the form: the look-ahead sees the next character, the look-behind
        # (which pos does not limit) the one before.
        if pattern.match(text, start, start + len(form) + 1):
            return True
        start = text.find(form, start + 1)
    return False


@lru_cache(maxsize=None)
def _whole_word(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
