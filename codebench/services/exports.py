"""Export use cases: quote matrices, chapter quotes and codebook documents for writing.

Every export is anonymised unless the caller asks for the original, and refused while the
project's anonymisation is not run or not reviewed unless the caller allows it, in which case the
file says so in its first lines (see :mod:`codebench.services.anonymisation.state`). Quotes come from
``quotes(..., anonymised=True)`` and researcher-written text (code names, definitions, memos,
workplace descriptions) goes through ``anonymise_free_text``. Participant ``site`` values and the
original files' names or paths are never written, in either mode.

A file is written under a temporary name in the target folder and renamed into place when
complete, so a failed export never leaves half a file where the old one was.
"""

from __future__ import annotations

import csv
import gc
import io
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Sequence

from codebench.domain.matrix import (
    COLUMN_KINDS, COLUMN_TITLES, MatrixRow, build_quote_matrix, cooccurrence, count_table, matrix_rows,
)
from codebench.domain.quote_editing import (
    attribution, distinct_passages, edit_quote, short_examples, trim_quote, workplace_of,
)
from codebench.domain.memos import KIND_TITLES_NB, MEMO_KINDS, MemoEntry, MemoFilter
from codebench.domain.passages import Counting, passages
from codebench.domain.report_models import (
    Chapter, ChapterQuote, ChapterSection, CodebookDocument, CodebookEntry, MemoDocument, MemoItem, MemoSection,
)
from codebench.domain.records import CodeInfo, ParticipantInfo, Quote, normalise_role
from codebench.export.atomic import write_atomically, write_text_atomically
from codebench.services import anonymisation
from codebench.errors import ServiceError
from codebench.services.codebook import code_tree
from codebench.services.documents import list_documents
from codebench.services.memos import find_memo_document, memo_entries, memos
from codebench.services.project import Project
from codebench.services.retrieval import participants, quotes, stats

MATRIX_FORMATS: tuple[str, ...] = ("xlsx", "csv", "md", "html", "docx")
CHAPTER_FORMATS: tuple[str, ...] = ("docx", "md")
CODEBOOK_DOCUMENT_FORMATS: tuple[str, ...] = ("md", "docx")
MEMO_FORMATS: tuple[str, ...] = ("md", "docx")
EXAMPLE_MAX_WORDS = 40
"""Codebook examples longer than this are shortened with (…)."""

_SUFFIX_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                   ".docx": "docx"}


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    format: str
    quotes: int
    """Quotes written (for counts-only exports: quotes counted)."""
    codes: int
    """Codes (rows, sections or codebook codes) in the file."""
    anonymised: bool
    """True only when the file is anonymised: the project's review is finished and not ``original``."""
    sheets: tuple[str, ...] = ()
    """Sheet names, for workbooks."""
    notes: tuple[str, ...] = ()
    """Things the user should know (codes left out, cells continued on extra rows, …)."""
    anonymisation: str = ""
    """The anonymisation state as one line (``anonymised (…)``, ``not anonymised: …``, ``original text``)."""
    counting: str = ""
    """What the counts count (``distinct passages, all coders``), for exports with counts."""


# ---------------------------------------------------------------------------------------------
# Arguments and files
# ---------------------------------------------------------------------------------------------


def _format(fmt: str | None, path: Path, allowed: Sequence[str], default: str, what: str) -> str:
    if fmt is None:
        if path.suffix and path.suffix.casefold() not in _SUFFIX_FORMATS:
            raise ServiceError(f"cannot tell the format of {path.name}; give --format ({', '.join(allowed)})")
        fmt = _SUFFIX_FORMATS.get(path.suffix.casefold(), default)
    fmt = fmt.strip().casefold().lstrip(".")
    fmt = {"markdown": "md", "htm": "html", "excel": "xlsx", "word": "docx"}.get(fmt, fmt)
    if fmt not in allowed:
        raise ServiceError(f"unknown format {fmt!r} for {what}; use one of: {', '.join(allowed)}")
    return fmt


def _target(path: str | Path) -> Path:
    target = Path(path)
    if target.is_dir():
        raise ServiceError(f"cannot write {target}: it is a folder; give a file name")
    folder = target.parent
    if folder.exists() and not folder.is_dir():
        raise ServiceError(f"cannot write {target}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise ServiceError(f"cannot write {target}: the folder {folder} does not exist")
    return target


def _roles(roles: Sequence[str] | None) -> list[str] | None:
    if not roles:
        return None
    try:
        return list(dict.fromkeys(normalise_role(role) for role in roles))
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def _check_coders(project: Project, coders: Sequence[str] | None) -> list[str] | None:
    if not coders:
        return None
    known = stats(project).codings_by_coder
    unknown = [name for name in coders if name not in known]
    if unknown:
        listing = ", ".join(sorted(known)) or "none yet"
        raise ServiceError(f"no codings by {unknown[0]!r} in this project (coders: {listing})")
    return list(coders)


def _rows(tree: Sequence[CodeInfo], categories: Sequence[str] | None) -> list[MatrixRow]:
    try:
        return matrix_rows(tree, categories)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


# ---------------------------------------------------------------------------------------------
# Anonymised names and text
# ---------------------------------------------------------------------------------------------


_BATCH_SEPARATOR = "\n\n\u241e\u241e\n\n"  # two "record separator" symbols: never part of a name


class _Renderer:
    """Researcher-written text as the export shows it: anonymised unless ``original``.

    Texts are anonymised in batches (:meth:`prepare`): each call of the anonymiser loads the
    project's accepted mentions, and an export needs a few hundred short texts.
    """

    def __init__(self, project: Project, original: bool, tree: Sequence[CodeInfo] = (),
                 extra: Sequence[str | None] = (), *, state: anonymisation.AnonymisationState | None = None) -> None:
        self.project = project
        self.original = original
        self.state = state
        self._cache: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self.prepare([project.name, *extra, *(
            value for info in tree
            for value in (info.name, info.description, info.inclusion, info.exclusion, info.memo, *info.examples)
        )])

    def prepare(self, values: Sequence[str | None]) -> None:
        """Anonymise all ``values`` not seen yet, in one call of the anonymiser where possible."""
        if self.original:
            return
        todo = list(dict.fromkeys(v for v in values if v and v not in self._cache))
        if not todo:
            return
        parts = anonymisation.anonymise_free_text(self.project, _BATCH_SEPARATOR.join(todo)).split(_BATCH_SEPARATOR)
        if len(parts) != len(todo):  # a text held the separator, or the anonymiser touched it: one by one
            parts = [anonymisation.anonymise_free_text(self.project, value) for value in todo]
        self._cache.update(zip(todo, parts))

    def text(self, value: str | None) -> str | None:
        if not value or self.original:
            return value
        if value not in self._cache:
            self._cache[value] = anonymisation.anonymise_free_text(self.project, value)
        return self._cache[value]

    def prepare_names(self, values: Sequence[str | None]) -> None:
        """The code and category names among ``values`` not seen yet, as :meth:`name` gives
        them, in one call of the anonymiser (each call reads the pseudonym key again)."""
        if self.original:
            return
        todo = list(dict.fromkeys(v for v in values if v and v not in self._names))
        if todo:
            self._names.update(zip(todo, anonymisation.anonymise_free_texts(self.project, todo, detect=False)))

    def name(self, value: str | None) -> str | None:
        """A code or category name as every view shows it: the known forms only, no detection."""
        if not value or self.original:
            return value
        if value not in self._names:
            self._names[value] = anonymisation.anonymise_free_texts(self.project, [value], detect=False)[0]
        return self._names[value]

    def texts(self, values: Sequence[str | None]) -> tuple[str, ...]:
        return tuple(t for t in (self.text(v) for v in values) if t and t.strip())

    @property
    def anonymised(self) -> bool:
        """Whether the file may call itself anonymised."""
        return not self.original and self.state is not None and self.state.anonymised

    @property
    def status_nb(self) -> str:
        """The "Avidentifisert" line of the file, in Norwegian."""
        if self.original:
            return "nei – originaltekst med identifiserende opplysninger"
        return self.state.describe_nb() if self.state is not None else "nei"

    @property
    def status(self) -> str:
        """The same for the terminal."""
        if self.original:
            return "ORIGINAL TEXT"
        return self.state.describe() if self.state is not None else "not anonymised"

    @property
    def warning(self) -> str | None:
        """The line a reader must see first, or None for a reviewed, anonymised file."""
        if self.original:
            return "Originaltekst: inneholder identifiserende opplysninger. Ikke del."
        if self.state is None:
            return "Avidentifisert: nei. Ikke del. | De-identified: no. Do not share."
        return self.state.notice()

    def names(self, rows: list[MatrixRow], found: list[Quote]) -> tuple[list[MatrixRow], list[Quote]]:
        """Code and category names anonymised too: an in-vivo code is the informant's own words."""
        if self.original:
            return rows, found
        names = sorted({n for row in rows for n in (row.code, row.main_category, row.category) if n})
        # As every view shows code names: the known forms only, no detection (a code "Tone i
        # samtalen" must not read differently in the file than in the workbench).
        mapping = dict(zip(names, anonymisation.anonymise_free_texts(self.project, names, detect=False)))
        if all(mapping[name] == name for name in names):
            return rows, found
        new_rows = [replace(row, code=mapping[row.code],
                            main_category=mapping.get(row.main_category, row.main_category) if row.main_category else None,
                            category=mapping.get(row.category, row.category) if row.category else None)
                    for row in rows]
        new_quotes = [q._replace(code=mapping.get(q.code, q.code),
                                 category=mapping.get(q.category, q.category) if q.category else None) for q in found]
        return new_rows, new_quotes


def _code_memos(project: Project) -> dict[int, list[str]]:
    by_code: dict[int, list[str]] = defaultdict(list)
    for memo in memos(project):
        if memo["target_type"] == "code" and memo["target_id"] is not None and memo["text"]:
            by_code[memo["target_id"]].append(memo["text"])
    return by_code


def _positions(project: Project) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """``document id -> sorted turn starts`` for every document, and page starts of paged ones."""
    with project.transaction(write=False) as store:
        return store.documents.turn_starts(), store.documents.page_starts()


def _shown_positions(project: Project, original: bool) -> anonymisation.Positions:
    """The positions an export writes: the anonymised rendition's in a project that keeps names from
    some coders (the original's beside the rendition would tell each name's length to whoever
    reads the file), else the original's, as ``quotes`` and ``show --offsets`` give them."""
    return anonymisation.positions_in_view(project, anonymised=not original)


def _about(project: Project, render: _Renderer, *, categories: Sequence[str] | None, roles: Sequence[str] | None,
           rounds: Sequence[int] | None, coders: Sequence[str] | None, quote_count: int,
           counting: Counting | None = None) -> list[tuple[str, str]]:
    lines = [
        ("Prosjekt", render.text(project.name) or ""),
        ("Eksportert", date.today().isoformat()),
        ("Avidentifisert", render.status_nb),
        *([("De-identified", f"no – {render.status}")] if render.warning and not render.original else []),
        ("Kategorier", ", ".join(render.name(c) or c for c in categories) if categories else "alle"),
    ]
    if roles:
        lines.append(("Roller", ", ".join(roles)))
    if rounds:
        lines.append(("Runder", ", ".join(str(r) for r in rounds)))
    if coders:
        lines.append(("Kodere", ", ".join(coders)))
    if counting is not None:
        # Two coders' codings of one passage are one passage: the file says what it counts.
        lines.append(("Telling", counting.describe_nb()))
        lines.append(("Passasje", "kodinger med samme kode i samme dokument som overlapper, uansett koder"))
        lines.append(("Passasjer", str(quote_count)))
        lines.append(("Samforekomst", "par av passasjer med ulike koder som overlapper i samme dokument"))
    else:
        lines.append(("Sitater", str(quote_count)))
        lines.append(("Samforekomst", "par av kodinger med ulike koder som overlapper i samme dokument"))
    return lines


def _state(project: Project, original: bool, allow_unreviewed: bool) -> anonymisation.AnonymisationState | None:
    """The anonymisation state of an anonymised export (refused while unreviewed unless allowed)."""
    return None if original else anonymisation.require_exportable(project, allow_unreviewed=allow_unreviewed)


def _gather(project: Project, *, categories: Sequence[str] | None, roles: Sequence[str] | None,
            rounds: Sequence[int] | None, coders: Sequence[str] | None, original: bool,
            attached: dict[int, list[str]], speakers: bool = True, texts: bool = True,
            state: anonymisation.AnonymisationState | None = None,
            ) -> tuple[list[CodeInfo], list[MatrixRow], list[Quote], _Renderer]:
    """Code tree, rows, quotes and the free-text renderer of an export.

    Args:
        speakers: the export needs each quote's speaker (to drop the informant's own label).
        texts: the export writes quote texts or document names; without them the quotes are
            only counted, and anonymising their text would be wasted work.
    """
    tree = code_tree(project)
    rows = _rows(tree, categories)
    role_names = _roles(roles)
    coder_names = _check_coders(project, coders)
    single = categories[0] if categories and len(categories) == 1 else None  # lets retrieval use the code index
    found = quotes(project, category=single, roles=role_names, rounds=list(rounds) if rounds else None,
                   coders=coder_names, with_speakers=speakers, anonymised=texts and not original, for_file=True)
    render = _Renderer(project, original, tree, [m for texts in attached.values() for m in texts], state=state)
    rows, found = render.names(rows, found)
    return tree, rows, found, render


# ---------------------------------------------------------------------------------------------
# Matrix
# ---------------------------------------------------------------------------------------------


def export_matrix(
    project: Project,
    path: str | Path,
    *,
    fmt: str | None = None,
    columns: str = "role",
    categories: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    rounds: Sequence[int] | None = None,
    coders: Sequence[str] | None = None,
    original: bool = False,
    counts_only: bool = False,
    allow_unreviewed: bool = False,
) -> ExportResult:
    """Write the category–quote matrix (or only its frequencies) with code co-occurrence.

    Args:
        path: the file to write (replaced if it exists).
        fmt: xlsx, csv (long form), md, html or docx; default from the file suffix, else xlsx.
        columns: role, document, participant or round.
        categories: only codes below these categories (default: every code).
        roles, rounds, coders: only quotes of these informant roles, rounds and coders.
        original: write the original text instead of the anonymised rendition.
        counts_only: frequencies (and co-occurrence) without the quotes.
        allow_unreviewed: write although the anonymisation is not run or not finished; the
            file then says so ("Avidentifisert: nei – …") and ``anonymised`` is False.

    Raises:
        ServiceError: unknown format, column kind, category, role or coder; unwritable path;
            anonymisation not reviewed (without ``allow_unreviewed``).
    """
    target = _target(path)
    fmt = _format(fmt, target, MATRIX_FORMATS, "xlsx", "a matrix")
    if columns not in COLUMN_KINDS:
        raise ServiceError(f"unknown columns {columns!r}; use one of: {', '.join(COLUMN_KINDS)}")
    state = _state(project, original, allow_unreviewed)
    with _collector_paused():
        # A matrix shows no speakers; a counts-only matrix shows no quote text, and document
        # names only in document columns.
        _, rows, found, render = _gather(project, categories=categories, roles=roles, rounds=rounds, coders=coders,
                                         original=original, attached={}, speakers=False,
                                         texts=not counts_only or columns == "document", state=state)
        return _write_matrix(project, target, fmt, columns, rows, found, render, categories=categories, roles=roles,
                             rounds=rounds, coders=coders, original=original, counts_only=counts_only)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large matrix is gathered, built and written.

    Tens of thousands of new tuples set off collections that walk the whole heap again and
    again (two thirds of the time of building a 50,000-quote matrix); the quotes, cells and
    rows made here hold no reference cycles, so there is nothing for them to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_matrix(project: Project, target: Path, fmt: str, columns: str, rows: list[MatrixRow], found: list[Quote],
                  render: _Renderer, *, categories: Sequence[str] | None, roles: Sequence[str] | None,
                  rounds: Sequence[int] | None, coders: Sequence[str] | None, original: bool,
                  counts_only: bool) -> ExportResult:
    role_keys = _roles(roles) if columns == "role" else None
    # Counts, cells and co-occurrence are of distinct passages: the same words coded by two
    # coders are one passage (see domain/passages.py); --coder narrows it to some coders.
    counting = Counting(tuple(coders or ()))
    found = passages(found)
    if counts_only:
        matrix = None
        counts = count_table(found, rows, columns, column_keys=role_keys)
    else:
        turns, pages = _positions(project)
        matrix = build_quote_matrix(found, rows, columns, column_keys=role_keys, turn_starts=turns, page_starts=pages)
        # Turns and pages are found on the original; the positions written are then moved into
        # the rendition the file holds, like the QDPX's (see _shown_positions).
        positions = _shown_positions(project, original)
        if positions.anonymised:
            matrix.cells = [[positions.moved(cell) for cell in row] for row in matrix.cells]
        counts = matrix.counts()
    pairs = cooccurrence(found, rows) if fmt != "csv" else None  # the long CSV has no place for it
    about = _about(project, render, categories=categories, roles=_roles(roles), rounds=rounds, coders=coders,
                   quote_count=counts.total, counting=counting)
    about.insert([key for key, _ in about].index("Kategorier") + 1, ("Kolonner", COLUMN_TITLES[columns]))
    title = ("Antall passasjer" if counts_only else "Sitatmatrise") + f" – {render.text(project.name)}"
    private = original
    sheets: tuple[str, ...] = ()
    if fmt == "xlsx":
        from codebench.export.xlsx import write_matrix_xlsx

        sheets = tuple(write_atomically(target, lambda p: write_matrix_xlsx(
            p, matrix=matrix, counts=counts, cooccurrence=pairs, about=about), private=private))
    elif fmt == "csv":
        from codebench.export.tidy_csv import write_counts_csv, write_quotes_csv

        buffer = io.StringIO(newline="")
        if render.warning and not original:
            # A draft's first line says so, as every other format's does: a CSV travels without
            # its "about" block. A reviewed file, and the owner-only --original one (the terminal
            # warns), keep the plain header that R and pandas expect.
            csv.writer(buffer).writerow([render.warning])
        if matrix is None:
            write_counts_csv(buffer, counts)
        else:
            write_quotes_csv(buffer, matrix)
        write_text_atomically(target, buffer.getvalue(), private=private)
    elif fmt == "md":
        from codebench.export.markdown import matrix_markdown

        write_text_atomically(target, matrix_markdown(title=title, matrix=matrix, counts=counts, cooccurrence=pairs, about=about,
                                                       warning=render.warning),
                    private=private)
    elif fmt == "html":
        from codebench.export.html_report import matrix_html

        heat = counts if columns == "role" else count_table(found, rows, "role", column_keys=_roles(roles))
        write_text_atomically(target, matrix_html(title=title, matrix=matrix, counts=counts, heatmap=heat, cooccurrence=pairs,
                                        about=about, warning=render.warning), private=private)
    else:
        from codebench.export.word import write_matrix_docx

        write_atomically(target, lambda p: write_matrix_docx(
            p, title=title, matrix=matrix, counts=counts, cooccurrence=pairs, about=about, warning=render.warning),
            private=private)
    return ExportResult(target, fmt, counts.total, len(rows), render.anonymised, sheets, anonymisation=render.status,
                        counting=counting.describe())


# ---------------------------------------------------------------------------------------------
# Chapter quotes
# ---------------------------------------------------------------------------------------------


class _Attributor:
    """Attribution by role, with the kind of workplace and the round, cached per participant."""

    def __init__(self, project: Project, render: _Renderer) -> None:
        self.people: dict[str, ParticipantInfo] = {p.pid: p for p in participants(project)}
        self.surveys = {d.id for d in list_documents(project) if d.source_format == "survey"}
        self.render = render
        render.prepare([workplace_of(p.attributes) for p in self.people.values()])
        self._workplaces: dict[str | None, str | None] = {}

    def __call__(self, quote: Quote) -> str:
        person = self.people.get(quote.participant) if quote.participant else None
        attributes = person.attributes if person else {}
        if quote.participant not in self._workplaces:
            self._workplaces[quote.participant] = self.render.text(workplace_of(attributes))
        return attribution(quote.role, workplace=self._workplaces[quote.participant], round=quote.round,
                           group=bool(attributes.get("group")), survey=quote.document_id in self.surveys)


def _report_quote(quote: Quote, attribute: _Attributor, max_words: int | None) -> ChapterQuote:
    text, trimmed = trim_quote(edit_quote(quote.text, quote.speaker), max_words)
    return ChapterQuote(text, attribute(quote), trimmed)


def _introduction(info: CodeInfo | None, attached: dict[int, list[str]], render: _Renderer) -> tuple[str, ...]:
    if info is None:
        return ()
    return render.texts([info.description, info.memo, *attached.get(info.id, [])])


def export_chapter_quotes(
    project: Project,
    path: str | Path,
    *,
    category: str,
    fmt: str | None = None,
    roles: Sequence[str] | None = None,
    rounds: Sequence[int] | None = None,
    coders: Sequence[str] | None = None,
    max_words: int | None = None,
    original: bool = False,
    allow_unreviewed: bool = False,
) -> ExportResult:
    """Write the quotes of one category for a report chapter.

    Codes come in tree order, each a section introduced by its definition and memos; quotes
    are block quotes in «», attributed by role (with the kind of workplace when the participant
    has one, and the round). A passage coded by two coders (overlapping spans of the same code)
    is printed once, in its longest version.

    Args:
        category: the chapter's category (usually a main category: veileder, mentor, …).
        fmt: docx or md; default from the file suffix, else docx.
        max_words: shorten longer quotes, leaving out the middle (…).
        allow_unreviewed: write although the anonymisation is not finished (the file says so).

    Raises:
        ServiceError: unknown category, role, coder or format; no quotes; unwritable path;
            anonymisation not reviewed (without ``allow_unreviewed``).
    """
    target = _target(path)
    fmt = _format(fmt, target, CHAPTER_FORMATS, "docx", "chapter quotes")
    if max_words is not None and max_words < 5:
        raise ServiceError("--max-words must be at least 5")
    state = _state(project, original, allow_unreviewed)
    attached = _code_memos(project)
    tree, rows, found, render = _gather(project, categories=[category], roles=roles, rounds=rounds, coders=coders,
                                        original=original, attached=attached, state=state)
    by_name = {info.name.casefold(): info for info in tree}
    by_id = {info.id: info for info in tree}
    attribute = _Attributor(project, render)
    per_code: dict[str, list[Quote]] = defaultdict(list)
    for quote in found:
        per_code[quote.code].append(quote)
    sections: list[ChapterSection] = []
    subcategories: dict[str, tuple[str, ...]] = {}
    left_out = 0
    for row in rows:
        chosen = [_report_quote(q, attribute, max_words) for q in distinct_passages(per_code.get(row.code, []))]
        if not chosen:
            left_out += 1
            continue
        info = by_id.get(row.code_id)
        parent = by_id.get(info.parent_id) if info and info.parent_id is not None else None
        if parent is not None and row.category and row.category not in subcategories:
            subcategories[row.category] = _introduction(parent, {}, render)
        sections.append(ChapterSection(row.code, row.category, _introduction(info, attached, render), tuple(chosen)))
    chapter_node = by_name[category.strip().casefold()]
    title = render.name(chapter_node.name) or chapter_node.name
    if not sections:
        raise ServiceError(f"no quotes in category {chapter_node.name!r} with these filters; nothing written")
    chapter = Chapter(title, _introduction(chapter_node, attached, render), tuple(sections), subcategories,
                      anonymised=render.anonymised, warning=render.warning)
    if fmt == "md":
        from codebench.export.markdown import chapter_markdown

        write_text_atomically(target, chapter_markdown(chapter), private=original)
    else:
        from codebench.export.word import write_chapter_docx

        write_atomically(target, lambda p: write_chapter_docx(p, chapter), private=original)
    notes = (f"{left_out} code(s) without quotes left out",) if left_out else ()
    return ExportResult(target, fmt, chapter.quote_count, len(sections), render.anonymised, notes=notes,
                        anonymisation=render.status)


# ---------------------------------------------------------------------------------------------
# Codebook document
# ---------------------------------------------------------------------------------------------


def _codebook_meta(project: Project) -> dict[str, Any]:
    with project.transaction(write=False) as store:
        return store.codebook.meta()


def export_codebook_document(
    project: Project,
    path: str | Path,
    *,
    fmt: str | None = None,
    categories: Sequence[str] | None = None,
    examples: int = 2,
    original: bool = False,
    allow_unreviewed: bool = False,
) -> ExportResult:
    """Write a readable codebook for a methods appendix.

    Categories and codes in tree order, each with its definition, when to use it and when not,
    how often it was applied (codings, documents), its memos and up to ``examples`` short quotes
    from the coded material (the codebook's own examples when nothing is coded yet).

    Args:
        fmt: md or docx; default from the file suffix, else md.
        categories: only these categories and what lies below them.
        allow_unreviewed: write although the anonymisation is not finished (the file says so).

    Raises:
        ServiceError: unknown category or format; unwritable path; anonymisation not reviewed
            (without ``allow_unreviewed``).
    """
    target = _target(path)
    fmt = _format(fmt, target, CODEBOOK_DOCUMENT_FORMATS, "md", "a codebook document")
    if examples < 0:
        raise ServiceError("--examples cannot be negative")
    state = _state(project, original, allow_unreviewed)
    tree = code_tree(project)
    rows = _rows(tree, categories)
    attached = _code_memos(project)
    meta = _codebook_meta(project)
    render = _Renderer(project, original, tree,
                       [meta.get("name"), meta.get("description"), *(m for texts in attached.values() for m in texts)],
                       state=state)
    render.prepare_names([info.name for info in tree])
    found = quotes(project, anonymised=not original, for_file=True)
    by_id = {info.id: info for info in tree}
    per_code: dict[str, list[Quote]] = defaultdict(list)
    for quote in found:
        per_code[quote.code].append(quote)
    attribute = _Attributor(project, render)

    def ancestors(info: CodeInfo) -> list[CodeInfo]:
        chain = []
        while info.parent_id is not None and info.parent_id in by_id:
            info = by_id[info.parent_id]
            chain.append(info)
        return chain

    codings: dict[int, int] = defaultdict(int)
    documents: dict[int, set[int]] = defaultdict(set)
    wanted = {row.code_id for row in rows}
    for info in tree:
        if info.id not in wanted:
            continue
        code_quotes = per_code.get(info.name, [])
        for node in [info, *ancestors(info)]:
            codings[node.id] += len(code_quotes)
            documents[node.id].update(q.document_id for q in code_quotes)
    shown = set(wanted) | {a.id for code_id in wanted for a in ancestors(by_id[code_id])}
    if categories:  # an empty selected category still gets its heading
        keys = {c.strip().casefold() for c in categories}
        shown |= {info.id for info in tree if info.name.casefold() in keys}
    entries: list[CodebookEntry] = []
    for info in tree:
        if info.id not in shown:
            continue
        chosen = short_examples(per_code.get(info.name, []), examples) if info.kind == "code" else []
        entries.append(CodebookEntry(
            kind=info.kind, name=render.name(info.name) or info.name, depth=len(ancestors(info)),
            description=render.text(info.description), inclusion=render.text(info.inclusion),
            exclusion=render.text(info.exclusion), memos=render.texts([info.memo, *attached.get(info.id, [])]),
            codings=codings[info.id], documents=len(documents[info.id]),
            examples=tuple(_report_quote(q, attribute, EXAMPLE_MAX_WORDS) for q in chosen),
            codebook_examples=render.texts(list(info.examples)) if examples else (),
            origin=info.origin, core=info.core,
        ))
    book = CodebookDocument(
        title=f"Kodebok: {render.text(meta.get('name') or project.name)}",
        description=render.text(meta.get("description")), entries=tuple(entries), anonymised=render.anonymised,
        warning=render.warning,
    )
    if fmt == "md":
        from codebench.export.markdown import codebook_markdown

        write_text_atomically(target, codebook_markdown(book), private=original)
    else:
        from codebench.export.word import write_codebook_docx

        write_atomically(target, lambda p: write_codebook_docx(p, book), private=original)
    code_count = sum(1 for e in entries if e.kind == "code")
    example_count = sum(len(e.examples) for e in entries)
    return ExportResult(target, fmt, example_count, code_count, render.anonymised, anonymisation=render.status)


# ---------------------------------------------------------------------------------------------
# Memos
# ---------------------------------------------------------------------------------------------

_SECTION_TITLES = {"project": "Prosjektmemoer", "document": "Dokumentmemoer", "code": "Kodememoer",
                   "coding": "Kodingsmemoer"}


def export_memos(
    project: Project,
    path: str | Path,
    *,
    fmt: str | None = None,
    kinds: Sequence[str] | None = None,
    code: str | None = None,
    document: str | int | None = None,
    coder: str | None = None,
    original: bool = False,
    allow_unreviewed: bool = False,
) -> ExportResult:
    """Write the project's memos — project, document, code and coding memos — for analysis and writing.

    Kind by kind, each memo under a heading saying what it is about (a coding memo: the code,
    the document and the turn, with the coded words as a block quote), with author and date.
    Anonymised like every export: memo text through the free-text anonymiser, documents by their
    anonymised label, coded words from the rendition, code names as in the other exports.

    Args:
        fmt: md or docx; default from the file suffix, else md.
        kinds: only these kinds (project, document, code, coding).
        code: only memos on this code and codings of it (a name or the start of one).
        document: only memos on this document and codings in it (id, name or anonymised label).
        coder: only memos this coder wrote (a coding memo is its coder's).
        allow_unreviewed: write although the anonymisation is not finished (the file says so).

    Raises:
        ServiceError: unknown format, kind or document; no memos with these filters; unwritable
            path; anonymisation not reviewed (without ``allow_unreviewed``).
    """
    target = _target(path)
    fmt = _format(fmt, target, MEMO_FORMATS, "md", "memos")
    unknown = [k for k in kinds or () if k not in MEMO_KINDS]
    if unknown:
        raise ServiceError(f"unknown memo kind {unknown[0]!r}; use one of: {', '.join(MEMO_KINDS)}")
    state = _state(project, original, allow_unreviewed)
    document_id = find_memo_document(project, document, original=original) if document is not None else None
    wanted = MemoFilter(kinds=tuple(kinds or ()), code=code, document_id=document_id, coder=coder)
    entries = memo_entries(project, original=original, wanted=wanted)
    if not entries:
        what = f" ({wanted.describe()})" if not wanted.empty else ""
        raise ServiceError(f"no memos{what} in this project; nothing written")
    render = _Renderer(project, original, (), [e.code for e in entries], state=state)
    render.prepare_names([e.code for e in entries])
    turns, pages = _positions(project)
    sections = []
    for kind in MEMO_KINDS:
        items = tuple(_memo_item(e, render, turns, pages) for e in entries if e.kind == kind)
        if items:
            sections.append(MemoSection(_SECTION_TITLES[kind], items))
    about = [("Prosjekt", render.text(project.name) or ""), ("Eksportert", date.today().isoformat()),
             ("Avidentifisert", render.status_nb)]
    if not wanted.empty:
        label = entries[0].document if document is not None else None
        about.append(("Utvalg", _filter_nb(wanted, label, render)))
    about.append(("Memoer", str(len(entries))))
    book = MemoDocument(f"Memoer – {render.text(project.name)}", tuple(about), tuple(sections),
                        anonymised=render.anonymised, warning=render.warning)
    if fmt == "md":
        from codebench.export.markdown import memos_markdown

        write_text_atomically(target, memos_markdown(book), private=original)
    else:
        from codebench.export.word import write_memos_docx

        write_atomically(target, lambda p: write_memos_docx(p, book), private=original)
    codes = len({e.code_id for e in entries if e.code_id is not None})
    return ExportResult(target, fmt, book.memo_count, codes, render.anonymised, anonymisation=render.status)


def _memo_item(entry: MemoEntry, render: _Renderer, turns: dict[int, list[int]], pages: dict[int, list[int]]) -> MemoItem:
    code = f"«{render.name(entry.code) or entry.code}»" if entry.code else ""
    if entry.kind == "coding":
        where = _position_nb(entry, turns, pages)
        heading = f"{code} i {entry.document}" + (f" ({where})" if where else "")
    elif entry.kind == "code":
        heading = code
    elif entry.kind == "document":
        heading = entry.document or "Dokument"
    else:
        heading = "Prosjektet"
    who = entry.author or ("kodens memo i kodeboka" if entry.field_memo else "ukjent forfatter")
    when = (entry.updated_at or entry.created_at)
    byline = f"{KIND_TITLES_NB[entry.kind]} · {who}" + (f", {when:%Y-%m-%d}" if when else "")
    return MemoItem(heading, byline, entry.text, entry.title, entry.quote)


def _position_nb(entry: MemoEntry, turns: dict[int, list[int]], pages: dict[int, list[int]]) -> str:
    """Where a coding memo's words are, as a chapter cites a place: ``s. 12``, ``tur 12``."""
    from bisect import bisect_right

    if entry.document_id is None or entry.start is None:
        return ""
    page_list = pages.get(entry.document_id)
    if page_list:
        return f"s. {bisect_right(page_list, entry.start) or 1}"
    turn_list = turns.get(entry.document_id)
    if turn_list and bisect_right(turn_list, entry.start):
        return f"tur {bisect_right(turn_list, entry.start)}"
    return f"tegn {entry.start}–{entry.end}"


def _filter_nb(wanted: MemoFilter, document: str | None, render: _Renderer) -> str:
    parts = [", ".join(KIND_TITLES_NB[k].lower() + "er" for k in wanted.kinds)] if wanted.kinds else []
    if wanted.code:
        parts.append(f"kode «{render.name(wanted.code) or wanted.code}»")
    if document:
        parts.append(f"dokument «{document}»")
    if wanted.coder:
        parts.append(f"skrevet av {wanted.coder}")
    return "; ".join(parts)
