"""Survey answers (.csv, .xlsx) as qualitative data.

One row is one respondent. The user names the free-text columns; each respondent becomes a
document whose turns are that respondent's answers, labelled by question, and the other
columns become the respondent's attributes, so survey quotes can be coded and filtered like
interview quotes.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path
from typing import Any

from codebench.ingest.archive import open_archive
from codebench.ingest.base import ImportedDocument, IngestError, TextBuilder, normalise_text, read_limited
from codebench.ingest.encoding import decode_bytes

MAX_ROWS = 100_000


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the same text a CSV export of it holds (``7``, not ``7.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _respondent_key(respondent: str) -> str:
    """What makes two respondent ids the same, in a CSV and a spreadsheet alike.

    Composed Unicode (NFC) and single spaces: ``Ø 1`` typed on a Mac and on Windows is one id.
    """
    return unicodedata.normalize("NFC", " ".join(respondent.split()))


def _read_rows(path: Path, notes: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(line, cells)`` rows of a CSV or XLSX file."""
    if path.suffix.lower() == ".xlsx":
        open_archive(path, ".xlsx", ("[Content_Types].xml",)).close()
        try:
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            raise IngestError(path, f"not a readable .xlsx file ({type(exc).__name__}: {exc})") from None
        sheet = book.worksheets[0]
        raw_rows = [
            (n, [_cell_text(v) for v in row])
            for n, row in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
        book.close()
        notes.append(f"sheet {sheet.title!r}")
    else:
        text = normalise_text(decode_bytes(read_limited(path), path, notes), notes)
        try:
            dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel  # type: ignore[assignment]
        reader = csv.reader(io.StringIO(text), dialect)
        try:
            raw_rows = [(reader.line_num, row) for row in reader]
        except csv.Error as exc:
            raise IngestError(path, f"malformed CSV: {exc}", reader.line_num) from None
    rows = [(n, r) for n, r in raw_rows if any(c.strip() for c in r)]
    if not rows:
        raise IngestError(path, "the survey file has no rows")
    if len(rows) > MAX_ROWS:
        raise IngestError(path, f"{len(rows)} rows; the limit is {MAX_ROWS}")
    header = [h.strip() for h in rows[0][1]]
    return header, rows[1:]


def import_survey(path: Path, text_columns: list[str], id_column: str | None = None) -> list[ImportedDocument]:
    """Import survey answers: one document per respondent.

    Args:
        path: a .csv (any of , ; tab) or .xlsx file with a header row.
        text_columns: the free-text columns; each non-empty answer becomes a codable turn.
        id_column: column holding the respondent id; row numbers are used when absent.

    Raises:
        IngestError: for unknown columns, a missing header, or a malformed file.
    """
    notes: list[str] = []
    header, rows = _read_rows(path, notes)
    missing = [c for c in text_columns + ([id_column] if id_column else []) if c not in header]
    if missing:
        raise IngestError(path, f"no column(s) {', '.join(map(repr, missing))}; columns are: {', '.join(header)}", 1)
    if not text_columns:
        raise IngestError(path, "name the free-text columns of the survey (--text-columns)")
    index = {name: i for i, name in enumerate(header)}
    documents: list[ImportedDocument] = []
    seen: dict[str, int] = {}
    silent: list[int] = []  # lines of respondents who wrote nothing in the columns asked for
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        respondent = cells[index[id_column]].strip() if id_column else f"{len(documents) + 1:04d}"
        if not respondent:
            raise IngestError(path, "a row without a respondent id", line)
        key = _respondent_key(respondent)
        if key in seen:
            raise IngestError(path, f"respondent id {respondent!r} appears twice (first on line {seen[key]})", line)
        seen[key] = line
        builder = TextBuilder()
        for column in text_columns:
            answer = normalise_text(cells[index[column]], []).strip()
            if answer:
                builder.add_turn(column, answer)
        attributes: dict[str, Any] = {
            name: cells[i].strip() for name, i in index.items()
            if name not in text_columns and name != id_column and cells[i].strip()
        }
        if not builder.turns:
            silent.append(line)  # a respondent who wrote nothing has nothing to code
            continue
        doc = ImportedDocument(
            source_name=path.name, source_format="survey", text=builder.text(), turns=builder.turns,
            notes=list(notes), name=f"{path.stem}#{respondent}",
            participant_hint={"pid": respondent, "attributes": attributes},
        )
        doc.meta["row"] = line
        documents.append(doc)
    if not documents:
        raise IngestError(path, "no respondent answered any of the free-text columns")
    if silent:
        # Said once for the file (by the import's report), not as a problem of one respondent.
        lines = ", ".join(map(str, silent[:10])) + (" …" if len(silent) > 10 else "")
        documents[0].meta["left_out"] = (f"{path.name}: {len(silent)} respondent(s) wrote nothing in these columns "
                                         f"and were left out (line(s) {lines})")
    return documents
