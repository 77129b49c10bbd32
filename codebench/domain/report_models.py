"""The documents a report is written from: a chapter of edited quotes per main category, and
a readable codebook for a methods appendix.

Plain frozen data; :mod:`codebench.services.exports` fills them, the writers in
:mod:`codebench.export` format them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChapterQuote:
    """A quote ready for a chapter: edited text and its attribution by role."""

    text: str
    attribution: str
    trimmed: bool = False

    def quoted(self) -> str:
        """The text in Norwegian quotation marks."""
        return f"«{self.text}»"


@dataclass(frozen=True)
class ChapterSection:
    """One code of a chapter: its introduction (definition, memos) and its quotes."""

    code: str
    category: str | None
    """The nearest category above the code, for a sub-heading."""
    introduction: tuple[str, ...]
    quotes: tuple[ChapterQuote, ...]


@dataclass(frozen=True)
class Chapter:
    """The quotes of one main category, code by code, for a report chapter."""

    title: str
    introduction: tuple[str, ...]
    sections: tuple[ChapterSection, ...]
    category_introductions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Descriptions of the sub-categories, printed under their headings."""
    anonymised: bool = True
    warning: str | None = None
    """A line the reader must see before anything else (original text, anonymisation not finished)."""

    @property
    def quote_count(self) -> int:
        """How many quotes the chapter prints."""
        return sum(len(section.quotes) for section in self.sections)


@dataclass(frozen=True)
class CodebookEntry:
    """A category or code as a methods appendix describes it."""

    kind: str  # "category" | "code"
    name: str
    depth: int
    """0 for a main category; headings go one level deeper per step."""
    description: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    memos: tuple[str, ...] = ()
    codings: int = 0
    documents: int = 0
    examples: tuple[ChapterQuote, ...] = ()
    """Short quotes from the coded material."""
    codebook_examples: tuple[str, ...] = ()
    """The codebook's own (often invented) examples, used when nothing is coded yet."""
    origin: str = "codebook"
    core: bool = False


@dataclass(frozen=True)
class CodebookDocument:
    """A readable codebook: categories and codes in tree order."""

    title: str
    description: str | None
    entries: tuple[CodebookEntry, ...]
    anonymised: bool = True
    warning: str | None = None
    """A line the reader must see before anything else (original text, anonymisation not finished)."""


@dataclass(frozen=True)
class MemoItem:
    """One memo as an export prints it."""

    heading: str
    """What it is about: ``«tidspress» i V01 veileder runde 1 (tur 12)``, ``Prosjektet``."""
    byline: str
    """Who wrote it and when: ``ingrid, 2026-03-02``."""
    text: str
    title: str | None = None
    quote: str | None = None
    """The coded words of a coding memo."""


@dataclass(frozen=True)
class MemoSection:
    """The memos of one kind (project, document, code or coding memos)."""

    title: str
    items: tuple[MemoItem, ...]


@dataclass(frozen=True)
class MemoDocument:
    """Every memo of a project (or those a filter kept), kind by kind, for analysis and writing."""

    title: str
    about: tuple[tuple[str, str], ...]
    sections: tuple[MemoSection, ...]
    anonymised: bool = True
    warning: str | None = None
    """A line the reader must see before anything else (original text, anonymisation not finished)."""

    @property
    def memo_count(self) -> int:
        """How many memos the document holds."""
        return sum(len(section.items) for section in self.sections)
