"""Anonymisation use cases: detect, review, pseudonym key, anonymised renditions.

Built in steps; see issue #4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Sequence

from codebench.domain.records import Quote
from codebench.domain.spans import OffsetMap

if TYPE_CHECKING:
    from codebench.services.core import Project


def anonymise_quotes(project: "Project", quotes: Sequence[Quote]) -> list[Quote]:
    """The same quotes with text, document name and speaker in their anonymised rendition."""
    return list(quotes)


class Rendition(NamedTuple):
    """A document's text as readers get it, with the map back to the stored original.

    ``offsets`` maps original code points to rendition code points (``span_to_target``) and back
    (``span_to_source``); codings are always stored against the original.
    """

    document_id: int
    name: str
    text: str
    offsets: OffsetMap


def rendition(project: "Project", document: str | int, *, anonymised: bool = True) -> Rendition:
    """The original or anonymised rendition of one document, with its offset map."""
    from codebench.services.core import get_document

    doc = get_document(project, document)
    return Rendition(doc.info.id, doc.info.name, doc.text, OffsetMap.identity(len(doc.text)))


def anonymise_free_text(project: "Project", text: str) -> str:
    """Researcher-written text (memos, descriptions) with every known identifier replaced."""
    return text
