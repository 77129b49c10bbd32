"""PDF reports and policy documents (an AFI report, a white paper) read from their text layer.

A report has no speakers, so its text becomes paragraphs (turns with speaker ``None``). A PDF
knows lines, not paragraphs: lines are joined into a paragraph until a clear vertical gap, and a
word split with a hyphen at a line end is put back together. Running headers and footers that
repeat on most pages, and lone page numbers, are dropped (counted in ``notes``).

``meta["pages"]`` lists the offset in the stored text where each page starts (index 0 = page 1),
so a quote can cite "s. 12"; a paragraph that runs over a page break stays one turn.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codebench.ingest.base import ImportedDocument, IngestError, TextBuilder, normalise_text, read_limited, warn
from codebench.ingest.speakers import label_counts, opens_with_label

MAX_PAGES = 3000
"""Most pages read from one PDF (a 500-page report takes seconds; many thousands would take minutes)."""

_SCAN = "the PDF has no text layer (a scan?); run OCR first (e.g. ocrmypdf) and import the result"
_GAP = 1.5  # a line spacing this many times the usual one is a paragraph break
_FEW_GAPS = 8  # with fewer line gaps than this, the font size tells the line spacing
_LINE_HEIGHT = 1.3  # a generous single line spacing, in font sizes
_EDGE_LINES = 2  # header/footer candidates: this many lines at the top and at the bottom of a page
_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:(?:side|s\.|page|p\.)\s*)?(?:\d{1,4}|[ivxlc]{1,7})"
                          r"(?:\s*(?:av|of|/)\s*\d{1,4})?[-–—\s]*", re.IGNORECASE)
# After a suspended compound ("helse- og omsorgstjenester") the hyphen stays.
_KEEPS_HYPHEN = frozenset({"og", "eller", "enn", "and", "or"})
_SENTENCE_END = (".", "!", "?", ":", "»", "\u201d", '"', ")")


@dataclass
class _Line:
    text: str
    y: float  # baseline height on the page, in points from the bottom
    size: float = 0.0  # font size of the text that starts the line, in points (0 when unknown)


@dataclass
class _Page:
    lines: list[_Line]
    has_images: bool


def _page_lines(page: Any) -> list[_Line]:
    """The page's text lines, each with the height of the text that starts it.

    pypdf hands text over in fragments with the text matrix in force; a fragment's newlines
    split it into lines, and a line takes the height of its first non-blank piece.
    """
    lines: list[_Line] = []
    current: list[str] = []
    current_y: list[float | None] = [None]
    current_size = [0.0]

    def flush() -> None:
        text = "".join(current).strip()
        if text:
            lines.append(_Line(text, current_y[0] if current_y[0] is not None else 0.0, current_size[0]))
        current.clear()
        current_y[0] = None

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: Any) -> None:
        # The fragment's origin in page space: text matrix, then the graphics state's matrix.
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        pieces = text.split("\n")
        for n, piece in enumerate(pieces):
            if n:
                flush()
            if piece.strip() and current_y[0] is None:
                current_y[0] = y
                try:  # the size as drawn: Tf size scaled by both matrices' vertical factor
                    current_size[0] = abs(float(size) * tm[3] * cm[3])
                except (TypeError, ValueError):
                    current_size[0] = 0.0
            current.append(piece)

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _edge_key(line: _Line) -> tuple[str, int]:
    """A header's identity: its words with page numbers (any digits) and case ignored, and its height.

    The height counts because a running header sits at one place on every page, while a body
    line that happens to repeat (a refrain, a table row) does not.
    """
    return re.sub(r"\d+", "#", " ".join(line.text.split())).casefold(), round(line.y)


def _drop_running_lines(pages: list[_Page], notes: list[str]) -> None:
    """Remove running headers/footers (on at least half the pages) and lone page numbers."""
    with_text = [p for p in pages if p.lines]
    seen: Counter[tuple[str, int]] = Counter()
    for page in with_text:
        edge = page.lines[:_EDGE_LINES] + page.lines[-_EDGE_LINES:]
        seen.update({_edge_key(line) for line in edge})
    # One page (or two) cannot tell a header from a first line.
    running = {key for key, count in seen.items() if len(with_text) >= 3 and count * 2 >= len(with_text)}
    headers = numbers = 0
    for page in with_text:
        lines = page.lines
        top = 0
        while top < min(_EDGE_LINES, len(lines)) and _edge_key(lines[top]) in running:
            top += 1
        bottom = len(lines)
        while bottom > max(top, len(lines) - _EDGE_LINES) and _edge_key(lines[bottom - 1]) in running:
            bottom -= 1
        for line in lines[:top] + lines[bottom:]:
            if _PAGE_NUMBER.fullmatch(line.text):
                numbers += 1
            else:
                headers += 1
        kept = lines[top:bottom]
        if kept and _PAGE_NUMBER.fullmatch(kept[-1].text):
            kept.pop()
            numbers += 1
        if kept and _PAGE_NUMBER.fullmatch(kept[0].text):
            kept.pop(0)
            numbers += 1
        page.lines = kept
    if headers:
        notes.append(f"removed {headers} running header/footer line(s)")
    if numbers:
        notes.append(f"removed {numbers} page number(s)")


def _join(left: str, right: str) -> str:
    """Two lines of one paragraph: a line-end hyphen before a lower-case word is a split word."""
    if left.endswith("\u00ad"):  # a soft hyphen is only ever a split
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].islower():
        first = right.split(maxsplit=1)[0].rstrip(",.;:")
        if first not in _KEEPS_HYPHEN:
            return left[:-1] + right
    return f"{left} {right}"


def _usual_spacing(pages: list[_Page]) -> float:
    """The most common distance between consecutive lines: the body text's line spacing."""
    gaps = Counter(round(a.y - b.y, 1) for p in pages for a, b in zip(p.lines, p.lines[1:]) if a.y - b.y > 0)
    if not gaps:
        return 0.0
    # On a tie (a short note: one line gap, one paragraph gap) the smaller is the line spacing.
    most = max(gaps.values())
    spacing = min(gap for gap, count in gaps.items() if count == most)
    sizes = [line.size for p in pages for line in p.lines if line.size > 0]
    if sum(gaps.values()) < _FEW_GAPS and sizes:
        # Too few lines to know the spacing from the lines: a line is about 1.2 × the font size.
        spacing = min(spacing, _LINE_HEIGHT * statistics.median(sizes))
    return spacing


def _read_pages(path: Path, reader: Any) -> list[_Page]:
    pages: list[_Page] = []
    for number, page in enumerate(reader.pages, 1):
        try:
            lines = _page_lines(page)
            resources = page.get("/Resources") or {}
            images = bool(resources.get("/XObject")) if hasattr(resources, "get") else False
        except Exception as exc:  # pypdf raises many types for a damaged content stream
            if type(exc).__name__ == "LimitReachedError":
                raise IngestError(path, f"page {number} unpacks to more data than any report holds "
                                        "(a damaged file or a decompression bomb); nothing was imported") from None
            raise IngestError(path, f"page {number} cannot be read ({type(exc).__name__}: {exc})") from None
        pages.append(_Page(lines, images))
    return pages


def _open(path: Path, data: bytes) -> Any:
    """A pypdf reader for the bytes, decrypted when no password is needed."""
    from pypdf import PdfReader  # imported late: only this format needs it
    from pypdf.errors import DependencyError

    if data.lstrip()[:5] != b"%PDF-":
        raise IngestError(path, "not a PDF file (it does not start with %PDF-)")
    # pypdf repairs a file cut short from what it finds, silently losing the pages after the cut.
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(path, "the PDF is incomplete (no end-of-file marker: a cut-off download or copy?)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise IngestError(path, "the PDF is encrypted (AES); save an unprotected copy and import that") from None
            if not opened:
                raise IngestError(path, "the PDF is password-protected; save an unprotected copy and import that")
        count = len(reader.pages)
    except IngestError:
        raise
    except Exception as exc:  # PdfReadError and friends, and worse for a mangled file
        raise IngestError(path, f"not a readable PDF file ({type(exc).__name__}: {exc})") from None
    if count > MAX_PAGES:
        raise IngestError(path, f"the PDF has {count} pages; the limit is {MAX_PAGES} pages (split it and import the parts)")
    return reader


def _title(reader: Any) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # a damaged info dictionary costs the title, not the import
        return None
    if not isinstance(title, str) or not title.strip():
        return None
    return " ".join(normalise_text(title, []).split())


class _Repairs(logging.Handler):
    """Collects what pypdf says it repaired, so it reaches the user as warnings, not log noise."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.messages:
            self.messages.append(message)


def import_pdf(path: Path) -> ImportedDocument:
    """Import a PDF with a text layer as paragraphs, with page offsets in ``meta["pages"]``.

    Raises:
        IngestError: for a scan without text, an encrypted, broken or cut-off file, or one over
            :data:`MAX_PAGES` pages.
    """
    data = read_limited(path)
    repairs = _Repairs()
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.addHandler(repairs)
    propagate, pypdf_log.propagate = pypdf_log.propagate, False
    try:
        reader = _open(path, data)
        pages = _read_pages(path, reader)
        title = _title(reader)
    finally:
        pypdf_log.removeHandler(repairs)
        pypdf_log.propagate = propagate

    if not any(page.lines for page in pages):
        raise IngestError(path, _SCAN)
    notes: list[str] = []
    warnings: list[str] = []
    for message in repairs.messages[:5]:
        warn(warnings, path.name, f"damaged PDF structure repaired ({message})")
    for number, page in enumerate(pages, 1):
        if not page.lines and page.has_images:
            warn(warnings, path.name, f"page {number} has images but no text (a scanned page?); run OCR to import its words")
    blank = sum(1 for page in pages if not page.lines)
    if blank:
        notes.append(f"{blank} page(s) without text")

    changed: list[str] = []
    for page in pages:
        for line in page.lines:
            line.text = normalise_text(line.text, changed)
    _drop_running_lines(pages, notes)
    if not any(page.lines for page in pages):
        raise IngestError(path, "the PDF holds no text besides headers and page numbers")
    if changed:
        notes.append("text normalised: " + "; ".join(sorted(set(changed))))

    builder, starts = _paragraphs(pages)
    text = builder.text()
    if not text.strip():
        raise IngestError(path, "the PDF holds no text besides headers and page numbers")
    notes.append(f"{len(builder.turns)} paragraph(s) from {len(pages)} page(s)")
    meta: dict[str, Any] = {"pages": starts, "page_count": len(pages)}
    if title:
        meta["title"] = title
    return ImportedDocument(path.name, "pdf", text, builder.turns, notes, meta, warnings)


def _paragraphs(pages: list[_Page]) -> tuple[TextBuilder, list[int]]:
    """Paragraph turns, and the offset where each page starts in the built text."""
    spacing = _usual_spacing(pages)
    limit = spacing * _GAP if spacing else float("inf")
    tops = Counter(round(p.lines[0].y) for p in pages if p.lines)
    bottoms = Counter(round(p.lines[-1].y) for p in pages if p.lines)
    usual_top, usual_bottom = tops.most_common(1)[0][0], bottoms.most_common(1)[0][0]
    # A full line's length: most body lines are full, but a short report's may all be short.
    lengths = sorted(len(line.text) for p in pages for line in p.lines)
    usual_length = lengths[int(len(lengths) * 0.9)]

    # A transcript set with space after each paragraph instead of an empty line: when most
    # turns are one line, the usual spacing is the paragraph gap itself and no gap stands out.
    # A line opening with a speaker label ("I:", "Ahmad:") opens a paragraph whatever the gap
    # (a tester's 129-line PDF came in as 8 paragraphs, its header as one line).
    counts = label_counts(line.text for p in pages for line in p.lines)
    # Each paragraph is its lines, each with the page it opens (None for a line inside a page).
    paragraphs: list[list[tuple[str, int | None]]] = []
    previous: _Line | None = None
    room_left = False  # the page before stopped above the usual bottom
    for index, page in enumerate(pages):
        for n, line in enumerate(page.lines):
            if previous is None:
                new = True
            elif n == 0:
                # Across a page break a paragraph goes on, unless the page starts low, or the
                # last page ended a sentence on a short line or with room left for more (widow
                # control leaves room too, but mid-sentence).
                ends_sentence = previous.text.endswith(_SENTENCE_END)
                short = len(previous.text) < 0.75 * usual_length
                new = usual_top - line.y > spacing / 2 or (ends_sentence and (room_left or short))
            else:  # a clear gap, or a line above the last one (a new column), or a speaker's label
                new = previous.y - line.y > limit or line.y > previous.y or opens_with_label(line.text, counts)
            if new:
                paragraphs.append([])
            paragraphs[-1].append((line.text, index if n == 0 else None))
            previous = line
        if page.lines:
            room_left = page.lines[-1].y - usual_bottom > spacing / 2

    builder = TextBuilder()
    starts: list[int | None] = [None] * len(pages)
    for lines in paragraphs:
        body = ""
        opened: list[tuple[int, int]] = []
        for text, page_index in lines:
            body = _join(body, text) if body else text
            if page_index is not None:
                opened.append((page_index, len(body) - len(text)))
        builder.add_turn(None, body)
        for page_index, at in opened:
            starts[page_index] = builder.turns[-1].body_start + at
    # A page without text starts where the next page's text does (or at the end).
    following = len(builder.text())
    for index in range(len(pages) - 1, -1, -1):
        if starts[index] is None:
            starts[index] = following
        following = starts[index]  # type: ignore[assignment]
    return builder, [s for s in starts if s is not None]
