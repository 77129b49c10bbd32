"""Word .docx transcripts typed by hand.

Each Word paragraph becomes one line of the stored text. A two-column table row becomes
``label<TAB>text``. Speaker labels come from a leading bold run (``**I:** text``), a
``Label:`` or ``Label<TAB>`` prefix, or the first column of a table.
"""

from __future__ import annotations

from pathlib import Path

from codebench.ingest.archive import open_archive
from codebench.ingest.base import ImportedDocument, IngestError, max_xml_bytes, read_limited
from codebench.ingest.speakers import bold_label
from codebench.ingest.text import document_from_lines

_LABEL_MAX = 40


def _bold(run) -> bool:  # type: ignore[no-untyped-def]
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    return bool(style is not None and style.font is not None and style.font.bold)


def _bold_label(paragraph) -> tuple[str, int] | None:  # type: ignore[no-untyped-def]
    """``(label, body offset)`` when the paragraph starts with a short bold run and goes on."""
    lead = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        if _bold(run):
            lead += run.text
        else:
            break
    return bold_label(paragraph.text, lead, _LABEL_MAX)


def import_docx(path: Path) -> ImportedDocument:
    """Import a .docx transcript."""
    read_limited(path)  # refuses empty and oversized files first
    open_archive(path, ".docx", ("word/document.xml",), text_limit=max_xml_bytes()).close()
    try:
        import docx  # python-docx, imported late: only this format needs it

        document = docx.Document(str(path))
    except IngestError:
        raise
    except Exception as exc:  # python-docx raises many types for a broken package
        raise IngestError(path, f"not a readable .docx file ({type(exc).__name__}: {exc})") from None

    lines: list[str] = []
    hints: dict[int, tuple[str, int]] = {}
    notes: list[str] = []
    tables = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            tables += 1
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    if not cells or cell.text != cells[-1]:  # merged cells repeat their text
                        cells.append(cell.text.replace("\n", " ").strip())
                if len(cells) == 2 and cells[0] and cells[1] and len(cells[0]) <= _LABEL_MAX:
                    label = cells[0].rstrip(":").strip()
                    hints[len(lines)] = (label, len(cells[0]) + 1)
                    lines.append(f"{cells[0]}\t{cells[1]}")
                elif any(cells):
                    lines.append("\t".join(cells))
            continue
        text = block.text
        bold = _bold_label(block)
        if bold:
            hints[len(lines)] = bold
        # Soft line breaks become lines; they continue the turn they belong to.
        lines.extend(text.split("\n"))
    if tables:
        notes.append(f"{tables} table(s) read row by row")
    return document_from_lines(path, "docx", lines, hints, notes)
