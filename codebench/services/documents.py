"""Listing documents and reading one with its text and turns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from codebench.domain.records import DocumentInfo, TurnInfo
from codebench.domain.spans import Span
from codebench.errors import ServiceError
from codebench.services.project import Project

if TYPE_CHECKING:  # the light read path imports these modules without SQLAlchemy
    from codebench.storage.reads import ReadStore
    from codebench.storage.store import Store


_FREE_TEXT_META = frozenset({"header", "title", "media"})
"""Import metadata written by people (a header block, a file's title, the recording's path): it may name the informant."""


def import_details(doc: DocumentInfo, label: str, *, original: bool) -> list[tuple[str, str]]:
    """How one document came in, as ``(field, value)`` lines for the CLI and the workbench.

    Args:
        doc: the document.
        label: the name to show it by (pseudonymous unless originals may be shown).
        original: whether original identifiers may show: only then the source file's name, a
            header's or title's text, and warnings naming the file as it was called.
    """
    lines = [("format", doc.source_format)]
    if original:
        lines.append(("file", doc.source_name))
    size = f"{doc.word_count} words" + (f", {doc.turn_count} turns" if doc.turn_count is not None else "")
    lines += [("imported", f"{doc.imported_at:%Y-%m-%d %H:%M}"), ("size", size)]
    for key, value in sorted(doc.source_meta.items()):
        if isinstance(value, (str, int, float)) and (original or key not in _FREE_TEXT_META):
            lines.append((key, str(value)))
    lines += [("clean-up", note) for note in doc.import_notes]
    # Warnings name the source file, whose name may name the informant.
    lines += [("warning", warning if original else warning.replace(doc.source_name, label)) for warning in doc.import_warnings]
    if not doc.import_warnings:
        lines.append(("warnings", "none"))
    return lines


def list_documents(project: Project, *, turn_counts: bool = True) -> list[DocumentInfo]:
    """All documents, in import order.

    Args:
        turn_counts: count each document's turns (False: ``turn_count`` is None, one pass over
            every turn less, for a listing that does not show them).
    """
    with project.reading() as store:
        return store.documents.infos(turn_counts=turn_counts)


def document_info(project: Project, document_id: int) -> DocumentInfo:
    """One document without its text, its turns counted.

    Raises:
        ServiceError: no such document.
    """
    with project.reading() as store:
        return find_document(store, document_id)


@dataclass(frozen=True)
class DocumentText:
    """A document with its full text and turns, for reading and coding."""

    info: DocumentInfo
    text: str
    turns: list[TurnInfo]


def turn_span(text: str, turn: TurnInfo) -> Span:
    """What "the whole turn" is wherever a turn is coded or its position given: its spoken words.

    From after the speaker's label ("R: ") to the turn's end, without white space at either end.
    A coder coding a turn means what was said, and a label may be a name; the workbench's ``t``
    and ``show --offsets`` (whose positions scripts feed to ``code``) both take it from here, so
    two coders coding one turn the two ways get the same span (a label in one of them lowered κ).

    Args:
        text: the document's stored text.
        turn: one of its turns.
    """
    start, end = turn.body_start, turn.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def find_document(store: Store | ReadStore, ref: str | int) -> DocumentInfo:
    """A document by id, name, file name or unique name prefix, inside an open transaction.

    Raises:
        ServiceError: no such document.
    """
    info = store.documents.find(ref)
    if info is None and isinstance(ref, str):
        info = _by_anonymised_name(store, ref)
    if info is None:
        raise ServiceError(f"no document {ref!r} in this project (see `codebench documents`)")
    return info


def _by_anonymised_name(store: Store | ReadStore, ref: str) -> DocumentInfo | None:
    """The document `documents` lists under this name to a coder who may not see file names
    ("M01 mentor runde 1"), or under its participant's id alone when only one document has it."""
    from codebench.services.anonymisation.renditions import anonymised_names

    infos = store.documents.infos()
    names = anonymised_names(infos)
    wanted = " ".join(ref.split()).casefold()
    hits = ([i for i in infos if names[i.id].casefold() == wanted]
            or [i for i in infos if i.participant is not None and i.participant.pid.casefold() == wanted])
    if len(hits) > 1:
        raise ServiceError(f"{ref!r} is {len(hits)} documents: "
                           f"{', '.join(sorted(names[i.id] for i in hits))}; give one of these or its number")
    return hits[0] if hits else None


def document_id_for(project: Project, ref: str | int, *, original_names: bool) -> int:
    """The id of the document ``ref`` names, as the asking coder may name it.

    A coder who may see original names gives an id, a name, a file name or a name's start. A
    coder who may not gives an id, the name `documents` lists to them ("M01 mentor runde 1") or
    the participant's id: a file name ("intervju kåre lie") or its start would answer whether a
    guessed name is in the project.

    Raises:
        ServiceError: no such document (the same words whatever the guess).
    """
    with project.reading() as store:
        if original_names:
            return find_document(store, ref).id
        text_ref = str(ref).strip()
        info = store.documents.find(int(text_ref)) if text_ref.isdigit() else _by_anonymised_name(store, text_ref)
        if info is None:
            raise ServiceError(f"no document {ref!r} in this project (see `codebench documents`)")
        return info.id


def get_document(project: Project, ref: str | int) -> DocumentText:
    """A document by id or name, with its text and turns."""
    with project.reading() as store:
        info = find_document(store, ref)
        return DocumentText(info, store.documents.text(info.id), store.documents.turns(info.id))
