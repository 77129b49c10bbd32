"""Exports for writing, read back with each format's own reader and checked against ``services.quotes``.

The sample project (two coders' gold codings over the fictional corpus) is exported to every
format; the files are opened with openpyxl, python-docx, html.parser and csv, and what they hold
is compared with what retrieval returns. A stand-in anonymiser (the real one is built in the
anonymisation issue) shows that every piece of text an export writes passes through it.
"""

from __future__ import annotations

import csv
import errno
import itertools
import re
import stat
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.domain.quote_editing import distinct_passages
from codebench.export import xlsx as xlsx_writer
from codebench.services import anonymisation
from tests.conftest import review_everything

MAIN_CATEGORIES = ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver", "samskaping"]
ROLE_HEADERS = ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver"]
ATTRIBUTION = re.compile(r"\((veileder|IA-rådgiver|mentor|arbeidsgiver|informant)(, [^()]+)*\)$")

# Names and places in the sample corpus's texts, file names and participant records.
SECRETS = ["Sørvik", "Fjellby", "Holmvika", "Kristine Holm", "Geir Haugen", "Hanne Strand", "Arne Dahl", "Bjørn Aas",
           "Per Fredrik Nilsen", "Tone Lie", "Ole Bjørnstadt", "liv berg", "Håkon", "Siv", "Eikås", "Storøya",
           "Bakeriet på Torget", "Bil og Dekk", "Trelast"]
SECRET = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(SECRETS, key=len, reverse=True)) + r")\b",
                    re.IGNORECASE)


@pytest.fixture
def sample(reviewed_sample_dir: Path) -> Iterator[services.Project]:
    project = services.open_project(reviewed_sample_dir)
    yield project
    project.close()


@pytest.fixture
def stand_in_anonymiser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace every known secret in quotes and free text, as the real anonymiser will."""

    def scrub(text: str | None) -> str | None:
        return SECRET.sub("[X]", text) if text else text

    def anonymise_quotes(project, quotes, *, with_open=False):
        return [q._replace(text=scrub(q.text), document=scrub(q.document), speaker=scrub(q.speaker)) for q in quotes]

    monkeypatch.setattr(anonymisation, "anonymise_quotes", anonymise_quotes)
    monkeypatch.setattr(anonymisation, "anonymise_free_text", lambda project, text, *, detect=True: scrub(text))
    monkeypatch.setattr(anonymisation, "anonymise_free_texts",
                        lambda project, texts, *, detect=True: [scrub(t) for t in texts])


def flat(text: str) -> str:
    return " ".join(text.split())


def cell_text(text: str) -> str:
    """A quote's text as a workbook cell holds it: line breaks kept, blank lines made single."""
    return re.sub(r"\n\s*\n", "\n", text.strip())


def naive_pairs(quotes) -> Counter:
    """Co-occurring code pairs, counted the slow and obvious way."""
    pairs: Counter = Counter()
    for a, b in itertools.combinations(quotes, 2):
        if a.document_id == b.document_id and a.code != b.code and min(a.end, b.end) > max(a.start, b.start):
            pairs[frozenset((a.code, b.code))] += 1
    return pairs


# -- readers ------------------------------------------------------------------------------------


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: Counter = Counter()
        self.svg_cells: list[str] = []
        self._in_g_title = False
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self._stack.append(tag)
        self.text.extend(v for _, v in attrs if v)

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)
        if len(self._stack) >= 2 and self._stack[-1] == "title" and self._stack[-2] == "g":
            self.svg_cells.append(data)


def read_html(path: Path) -> _TextCollector:
    parser = _TextCollector()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    props = document.core_properties
    parts += [props.title or "", props.author or "", props.comments or "", props.last_modified_by or ""]
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v)


def read_any(path: Path) -> str:
    if path.suffix == ".xlsx":
        return xlsx_text(path)
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".html":
        return "\n".join(read_html(path).text)
    return path.read_text(encoding="utf-8")


def sheet_cells(sheet) -> dict[tuple[str, str], list[str]]:
    """``(code, column heading) -> quote entries`` of a category sheet, continuation rows joined."""
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    cells: dict[tuple[str, str], list[str]] = {}
    for row in rows[1:]:
        code = row[1].removesuffix(" (forts.)")
        for heading, value in zip(header[2:], row[2:]):
            cells.setdefault((code, heading), [])
            if value:
                cells[(code, heading)] += value.split("\n\n")
    return cells


# -- the XLSX matrix ----------------------------------------------------------------------------


def test_xlsx_matrix_holds_every_quote_once_in_its_code_row_and_role_column(sample, tmp_path):
    path = tmp_path / "matrise.xlsx"
    result = services.export_matrix(sample, path)
    quotes = distinct_passages(services.quotes(sample, anonymised=True))
    assert result.quotes == len(quotes) and result.anonymised and result.format == "xlsx"

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*MAIN_CATEGORIES, "Antall", "Samforekomst", "Om eksporten"]
    assert list(result.sheets) == book.sheetnames
    found: Counter = Counter()
    for category in MAIN_CATEGORIES:
        sheet = book[category]
        assert sheet.freeze_panes == "C2"  # header row (and code columns) stay in view
        assert [c.value for c in sheet[1]] == ["Kategori", "Kode", *ROLE_HEADERS]
        assert all(c.font.bold for c in sheet[1])
        assert sheet.column_dimensions["C"].width >= 40 and sheet.column_dimensions["B"].width >= 20
        assert sheet["C2"].alignment.wrap_text
        for (code, role), entries in sheet_cells(sheet).items():
            for entry in entries:
                match = re.fullmatch(r"«(.*)» \[(.*)\]", entry, re.S)
                assert match, entry
                found[(category, code, role, match.group(1))] += 1
                assert ", tur " in match.group(2) or ", tegn " in match.group(2)
    expected = Counter((q.category, q.code, q.role, cell_text(q.text)) for q in quotes)
    assert found == expected


def test_xlsx_counts_and_cooccurrence_sheets_match_retrieval(sample, tmp_path):
    path = tmp_path / "matrise.xlsx"
    services.export_matrix(sample, path)
    quotes = distinct_passages(services.quotes(sample, anonymised=True))
    book = openpyxl.load_workbook(path)

    counts = book["Antall"]
    assert counts.freeze_panes == "D2"
    rows = list(counts.iter_rows(values_only=True))
    assert list(rows[0]) == ["Hovedkategori", "Kategori", "Kode", *ROLE_HEADERS, "Totalt"]
    per_cell = Counter((q.code, q.role) for q in quotes)
    tree_codes = [c.name for c in services.code_tree(sample) if c.kind == "code"]
    assert [r[2] for r in rows[1:-1]] == tree_codes  # codes in code-tree order
    for row in rows[1:-1]:
        assert list(row[3:7]) == [per_cell[(row[2], role)] for role in ROLE_HEADERS]
        assert row[7] == sum(row[3:7])
    assert rows[-1][0] == "Totalt" and rows[-1][-1] == len(quotes)

    cooccurrence = book["Samforekomst"]
    matrix = list(cooccurrence.iter_rows(values_only=True))
    codes = list(matrix[0][2:])
    assert codes == tree_codes
    pairs = naive_pairs(quotes)
    assert pairs, "the sample has overlapping codings of different codes"
    for i, row in enumerate(matrix[1:]):
        for j, value in enumerate(row[2:]):
            if i == j:
                assert value is None
            else:
                assert (value or 0) == pairs[frozenset((codes[i], codes[j]))], (codes[i], codes[j])


def test_counts_only_workbook_has_no_quote_sheets(sample, tmp_path):
    path = tmp_path / "antall.xlsx"
    result = services.export_matrix(sample, path, counts_only=True, categories=["mentor"], roles=["mentor", "leder"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Antall", "Samforekomst", "Om eksporten"]
    rows = list(book["Antall"].iter_rows(values_only=True))
    assert list(rows[0]) == ["Hovedkategori", "Kategori", "Kode", "mentor", "arbeidsgiver", "Totalt"]
    expected = distinct_passages(services.quotes(sample, category="mentor", roles=["mentor", "arbeidsgiver"]))
    assert rows[-1][-1] == len(expected) == result.quotes
    assert {r[0] for r in rows[1:-1]} == {"mentor"}


def test_participant_columns_put_each_quote_under_its_case(sample, tmp_path):
    path = tmp_path / "deltakere.xlsx"
    services.export_matrix(sample, path, columns="participant", categories=["IA-rådgiver"], rounds=[1])
    quotes = distinct_passages(services.quotes(sample, category="IA-rådgiver", rounds=[1], anonymised=True))
    sheet = openpyxl.load_workbook(path)["IA-rådgiver"]
    headers = [c.value for c in sheet[1]][2:]
    assert set(headers) == {q.participant for q in quotes}
    assert headers == ["G01", "V01", "IA01", "A01"]  # roles in report order, then natural id order
    found = Counter((code, pid, re.fullmatch(r"«(.*)» \[.*\]", e, re.S).group(1))
                    for (code, pid), entries in sheet_cells(sheet).items() for e in entries)
    assert found == Counter((q.code, q.participant, cell_text(q.text)) for q in quotes)


def test_a_cell_too_big_for_excel_continues_on_the_next_row():
    texts = ["x" * 20_000, "y" * 20_000, "z" * 40_000]
    chunks = xlsx_writer.split_for_cells(texts)
    assert len(chunks) == 3 and all(len(c) <= xlsx_writer.EXCEL_CELL_LIMIT for c in chunks)
    assert chunks[0] == texts[0] and chunks[1] == texts[1] and chunks[2].endswith("(…)")
    assert xlsx_writer.split_for_cells(["a", "b"]) == ["a\n\nb"]


def test_text_that_looks_like_a_formula_stays_text(project, tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("R: =HYPERLINK(\"http://x\") sa han, og +1 til det.\n", encoding="utf-8")
    services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1))
    services.create_code(project, "=SUM(A1:A9)", kind="category")
    services.create_code(project, "@kode", parent="=SUM(A1:A9)")
    services.apply_code(project, "f", 3, 30, "@kode", "ingrid")
    out = tmp_path / "f.xlsx"
    review_everything(project)  # the export's subject is the file, not the review
    services.export_matrix(project, out)
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.title == "=SUM(A1 A9)"  # ':' is not allowed in sheet names
    assert sheet["B2"].value == "@kode" and sheet["B2"].data_type == "s"
    assert sheet["E2"].data_type == "s" and sheet["E2"].value.startswith("«=HYPERLINK")


# -- tidy CSV, Markdown, HTML, DOCX matrices ------------------------------------------------------


def test_tidy_csv_has_one_row_per_quote(sample, tmp_path):
    path = tmp_path / "sitater.csv"
    services.export_matrix(sample, path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["code", "category", "subcategory", "role", "participant", "round", "document", "turn",
                             "page", "start", "end", "coder", "text"]
    quotes = distinct_passages(services.quotes(sample, anonymised=True))
    assert Counter((r["code"], r["category"], r["role"], r["participant"], r["round"], r["document"], r["start"],
                    r["end"], r["coder"], r["text"]) for r in rows) == Counter(
        (q.code, q.category, q.role, q.participant, str(q.round) if q.round is not None else "", q.document,
         str(q.start), str(q.end), q.coder, q.text) for q in quotes)
    assert all(r["turn"].isdigit() for r in rows)
    assert all(r["page"] == "" for r in rows)  # interviews have turns, not pages
    tree = {c.id: c for c in services.code_tree(sample)}
    parent = {c.name: tree[c.parent_id].name for c in tree.values() if c.parent_id is not None}
    for r in rows:  # the nearest category, left empty when that is the main category itself
        assert r["subcategory"] == ("" if parent[r["code"]] == r["category"] else parent[r["code"]])
    assert {r["subcategory"] for r in rows if r["category"] == "mentor"} >= {"Kandidatene", "Å være mentor", "Rammer og samarbeid"}


def test_tidy_counts_csv_sums_to_the_quotes(sample, tmp_path):
    path = tmp_path / "antall.csv"
    services.export_matrix(sample, path, counts_only=True, columns="round")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["code", "category", "subcategory", "round", "count"]
    quotes = distinct_passages(services.quotes(sample))
    per = Counter((q.code, f"runde {q.round}" if q.round is not None else "(uten runde)") for q in quotes)
    assert {(r["code"], r["round"]): int(r["count"]) for r in rows if int(r["count"])} == dict(per)


def test_markdown_matrix_lists_each_quote_under_its_code(sample, tmp_path):
    path = tmp_path / "matrise.md"
    services.export_matrix(sample, path, categories=["arbeidsgiver"])
    text = path.read_text(encoding="utf-8")
    quotes = distinct_passages(services.quotes(sample, category="arbeidsgiver", anonymised=True))
    assert text.startswith("# Sitatmatrise")
    assert "## arbeidsgiver" in text and "## mentor" not in text
    assert "| Kode | veileder | IA-rådgiver | mentor | arbeidsgiver | Totalt |" in text
    items = [line for line in text.splitlines() if line.startswith("- «")]
    assert len(items) == len(quotes)
    unescaped = [re.sub(r"\\(.)", r"\1", line) for line in items]  # Markdown escapes [ ] * _ …
    for q in quotes:
        assert any(flat(q.text)[:40] in line for line in unescaped)


def test_html_report_is_self_contained_with_a_heat_map_of_counts(sample, tmp_path):
    path = tmp_path / "matrise.html"
    services.export_matrix(sample, path)
    page = read_html(path)
    quotes = distinct_passages(services.quotes(sample, anonymised=True))
    raw = path.read_text(encoding="utf-8")
    assert page.tags["svg"] == 1 and page.tags["script"] == 0 and page.tags["img"] == 0 and page.tags["link"] == 0
    assert "http://" not in raw.replace("http://www.w3.org/2000/svg", "")
    per_cell = Counter((q.code, q.role) for q in quotes)
    cells = {}
    for title in page.svg_cells:
        match = re.fullmatch(r"(.*) · (.*): (\d+)", title)
        assert match, title
        cells[(match.group(1), match.group(2))] = int(match.group(3))
    codes = [c.name for c in services.code_tree(sample) if c.kind == "code"]
    assert cells == {(code, role): per_cell[(code, role)] for code in codes for role in ROLE_HEADERS}
    text = "\n".join(page.text)
    assert sum(text.count(f"«{flat(q.text)}»") for q in set(quotes)) >= len(quotes)
    assert page.tags["p"] >= len(quotes)


def test_html_escapes_every_piece_of_text(project, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("R: Sjefen skrev <script>alert('hei')</script> & gikk.\n", encoding="utf-8")
    services.import_files(project, [path], services.ParticipantSpec(role="arbeidsgiver", round=1))
    services.create_code(project, "<b>kategori</b>", kind="category")
    services.create_code(project, 'kode "&" <i>', parent="<b>kategori</b>")
    text = services.get_document(project, "x").text
    services.apply_code(project, "x", text.index("Sjefen"), text.index("gikk"), 'kode "&" <i>', "ingrid")
    out = tmp_path / "x.html"
    # Unreviewed on purpose: a review would mask "Sjefen", and the subject here is escaping.
    result = services.export_matrix(project, out, allow_unreviewed=True)
    assert not result.anonymised and "not anonymised" in result.anonymisation
    page = read_html(out)
    assert page.tags["script"] == 0 and page.tags["b"] == 0 and page.tags["i"] == 0
    joined = "\n".join(page.text)
    assert "«Sjefen skrev <script>alert('hei')</script> &»" in joined
    assert 'kode "&" <i>' in joined and "<b>kategori</b>" in joined


def test_docx_matrix_has_counts_tables_and_quotes(sample, tmp_path):
    path = tmp_path / "matrise.docx"
    services.export_matrix(sample, path, categories=["veileder"], roles=["veileder", "IA-rådgiver"])
    document = docx.Document(str(path))
    quotes = distinct_passages(services.quotes(sample, category="veileder", roles=["veileder", "IA-rådgiver"], anonymised=True))
    (table,) = document.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Kode", "veileder", "IA-rådgiver", "Totalt"]
    per = Counter((q.code, q.role) for q in quotes)
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        assert cells[1:3] == [str(per[(cells[0], "veileder")]), str(per[(cells[0], "IA-rådgiver")])]
    quoted = [p.text for p in document.paragraphs if p.style.name == "Sitat"]
    assert len(quoted) == len(quotes)
    assert document.core_properties.author == "codebench"


# -- chapter quotes -----------------------------------------------------------------------------


def chapter_expectations(project: services.Project, category: str):
    quotes = services.quotes(project, category=category, anonymised=True)
    tree = [c for c in services.code_tree(project) if c.kind == "code"]
    by_code = {c.name: [q for q in quotes if q.code == c.name] for c in tree}
    order = [c.name for c in tree if by_code[c.name]]
    return order, {code: distinct_passages(by_code[code]) for code in order}


def test_chapter_docx_quotes_a_category_code_by_code_with_role_attribution(sample, tmp_path):
    path = tmp_path / "mentor.docx"
    result = services.export_chapter_quotes(sample, path, category="mentor")
    order, passages = chapter_expectations(sample, "mentor")
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Heading 1" and paragraphs[0].text == "mentor"
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name in ("Heading 2", "Heading 3")]
    assert [text for _, text in headings if text in passages] == order  # codes in tree order, only those with quotes
    # Codes sit one level below their sub-category; a code directly under 'mentor' is a sibling of them.
    tree = {c.id: c for c in services.code_tree(sample)}
    parent = {c.name: tree[c.parent_id].name for c in tree.values() if c.parent_id is not None}
    for style, text in headings:
        if text in passages:
            assert style == ("Heading 2" if parent[text] == "mentor" else "Heading 3")
        else:
            assert style == "Heading 2" and parent[text] == "mentor"
    quoted = [p.text for p in paragraphs if p.style.name == "Sitat"]
    assert len(quoted) == sum(len(v) for v in passages.values()) == result.quotes
    sites = {p.site for p in services.participants(sample) if p.site}
    pids = {p.pid for p in services.participants(sample)}
    for text in quoted:
        body, attribution = text.rsplit(" (", 1)
        assert body.startswith("«") and body.endswith("»")
        assert ATTRIBUTION.fullmatch("(" + attribution), attribution
        assert not any(site in attribution for site in sites)
        assert not any(re.search(rf"\b{re.escape(pid)}\b", attribution) for pid in pids)
    # Each code's definition introduces its section.
    tree = {c.name: c for c in services.code_tree(sample)}
    index = [p.text for p in paragraphs].index(order[0])
    assert paragraphs[index + 1].text == flat(tree[order[0]].description)
    assert document.core_properties.author == "codebench"


def test_chapter_markdown_with_max_words_and_survey_attribution(sample, tmp_path):
    path = tmp_path / "arbeidsgiver.md"
    services.export_chapter_quotes(sample, path, category="arbeidsgiver", max_words=25)
    text = path.read_text(encoding="utf-8")
    blocks = [line[2:] for line in text.splitlines() if line.startswith("> ")]
    order, passages = chapter_expectations(sample, "arbeidsgiver")
    assert len(blocks) == sum(len(v) for v in passages.values())
    assert any("(…)" in b for b in blocks), "some arbeidsgiver quotes are longer than 25 words"
    for block in blocks:
        body, attribution = block.rsplit(" (", 1)
        assert body.startswith("«") and body.endswith("»")
        assert len([w for w in body.split() if w != "(…)"]) <= 25
        assert ATTRIBUTION.fullmatch("(" + attribution)
    assert not any(place in b.rsplit(" (", 1)[1] for b in blocks for place in ("Holmvika", "Sørvik", "Fjellby"))
    headings = [re.sub(r"^#+ ", "", line).replace("\\", "") for line in text.splitlines() if re.match(r"^##+ ", line)]
    assert [h for h in headings if h in passages] == order


def test_attribution_names_the_kind_of_workplace_never_the_place(project, tmp_path):
    from codebench.services.sample import SURVEY, SURVEY_TEXT_COLUMNS

    services.import_survey(project, SURVEY, SURVEY_TEXT_COLUMNS, id_column="respondent", role="arbeidsgiver")
    path = tmp_path / "butikk.txt"
    path.write_text("I: Hvordan går det?\n\nR: Det går bra med kandidaten i Sørvik nå.\n", encoding="utf-8")
    services.import_files(project, [path], services.ParticipantSpec(
        pid="M07", role="mentor", round=2, site="Sørvik", attributes={"bransje": "butikk", "kommune": "Sørvik"}))
    services.create_code(project, "arbeidsgiver", kind="category")
    services.create_code(project, "motiv", parent="arbeidsgiver")
    for document in services.list_documents(project)[:2] + services.list_documents(project)[-1:]:
        text = services.get_document(project, document.id).text
        start = text.index("R:") + 3 if "R:" in text else 0
        services.apply_code(project, document.id, start, len(text.rstrip()), "motiv", "ingrid")
    out = tmp_path / "kap.md"
    review_everything(project)  # the export's subject is the file, not the review
    services.export_chapter_quotes(project, out, category="arbeidsgiver")
    blocks = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("> ")]
    attributions = [b.rsplit(" (", 1)[1] for b in blocks]
    assert "mentor, butikk, runde 2)" in attributions
    assert sum(1 for a in attributions if re.fullmatch(r"arbeidsgiver, [^,()]+, spørreundersøkelse\)", a)) == 2
    assert not any(place in a for a in attributions for place in ("Sørvik", "Holmvika", "Fjellby", "M07", "R00"))


def test_chapter_filters_and_deduplicates_two_coders(sample, tmp_path):
    path = tmp_path / "v.md"
    services.export_chapter_quotes(sample, path, category="veileder", coders=["ingrid"], rounds=[1])
    blocks = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("> ")]
    quotes = services.quotes(sample, category="veileder", coders=["ingrid"], rounds=[1])
    both = services.quotes(sample, category="veileder", rounds=[1])
    assert len(blocks) == len(distinct_passages(quotes)) < len(both)


# -- codebook document --------------------------------------------------------------------------


def test_codebook_markdown_in_tree_order_with_counts_and_examples(sample, tmp_path):
    path = tmp_path / "kodebok.md"
    result = services.export_codebook_document(sample, path)
    text = path.read_text(encoding="utf-8")
    tree = services.code_tree(sample)
    headings = [re.sub(r"^#+ ", "", line).replace("\\", "").removesuffix(" (kjernekategori)")
                for line in text.splitlines() if re.match(r"^#{2,6} ", line)]
    assert headings == [c.name for c in tree]
    quotes = services.quotes(sample)
    counts = re.findall(r"\*\*Antall:\*\* (\d+) kodinger i (\d+) dokumenter", text)
    assert len(counts) == len(tree)
    for info, (codings, documents) in zip(tree, counts):
        if info.kind == "code":
            mine = [q for q in quotes if q.code == info.name]
            assert (int(codings), int(documents)) == (len(mine), len({q.document_id for q in mine})), info.name
    assert int(counts[0][0]) == sum(1 for q in quotes if q.category == tree[0].name)
    sections = re.split(r"\n#{2,6} ", text)
    for section in sections[1:]:
        assert sum(1 for line in section.splitlines() if line.startswith("> «")) <= 2
    assert result.codes == sum(1 for c in tree if c.kind == "code")
    assert "**Memo:**" in text  # samskaping's memo


def test_codebook_docx_opens_with_headings_for_every_node(sample, tmp_path):
    path = tmp_path / "kodebok.docx"
    services.export_codebook_document(sample, path, categories=["IA-rådgiver"], examples=1)
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    names = [c.name for c in services.code_tree(sample)]
    start = names.index("IA-rådgiver")
    assert headings[0].startswith("Kodebok: ")
    assert headings[1:] == names[start:names.index("mentor")]
    assert 1 <= sum(1 for p in document.paragraphs if p.style.name == "Sitat") <= 8


# -- anonymised by default ------------------------------------------------------------------------

ALL_FORMATS = [
    ("matrix", "xlsx"), ("matrix", "csv"), ("matrix", "md"), ("matrix", "html"), ("matrix", "docx"),
    ("quotes", "md"), ("quotes", "docx"), ("codebook", "md"), ("codebook", "docx"),
    ("counts-by-document", "xlsx"), ("counts-by-document", "csv"), ("counts-by-document", "html"),
]


def _export(project, kind, fmt, path, original=False):
    if kind == "matrix":
        return services.export_matrix(project, path, original=original)
    if kind == "counts-by-document":  # no quote text, but document names as column headings
        return services.export_matrix(project, path, original=original, counts_only=True, columns="document")
    if kind == "quotes":
        return services.export_chapter_quotes(project, path, category="samskaping", original=original)
    return services.export_codebook_document(project, path, original=original)


@pytest.mark.parametrize("kind, fmt", ALL_FORMATS)
def test_anonymised_exports_hold_no_identifier_and_original_ones_do(sample, tmp_path, stand_in_anonymiser, kind, fmt):
    path = tmp_path / f"{kind}.{fmt}"
    _export(sample, kind, fmt, path)
    written = read_any(path)
    assert written.strip()
    leaks = sorted({m.group(0) for m in SECRET.finditer(written)})
    assert not leaks, leaks
    assert str(sample.root) not in written and "corpora/sample" not in written
    assert stat.S_IMODE(path.stat().st_mode) & 0o044  # shareable like any other file

    original = tmp_path / f"original.{fmt}"
    _export(sample, kind, fmt, original, original=True)
    assert SECRET.search(read_any(original)), "the check above could not have failed"
    assert stat.S_IMODE(original.stat().st_mode) == 0o600  # identifying: owner only


# -- files and the command line -------------------------------------------------------------------


def test_a_failed_export_leaves_the_old_file_and_no_debris(sample, tmp_path, monkeypatch):
    path = tmp_path / "m.xlsx"
    path.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(xlsx_writer, "write_matrix_xlsx", broken)
    with pytest.raises(RuntimeError):
        services.export_matrix(sample, path)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.xlsx"]


def cli(*args):
    return CliRunner().invoke(main, ["export", *[str(a) for a in args]])


def test_cli_writes_each_export_and_warns_about_original_text(reviewed_sample_dir, tmp_path):
    out = tmp_path / "m.xlsx"
    result = cli("matrix", reviewed_sample_dir, "-o", out, "--category", "mentor", "--role", "mentor")
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout and "de-identified" in result.stdout and not result.stderr
    assert openpyxl.load_workbook(out).sheetnames[0] == "mentor"

    chapter = tmp_path / "kap.docx"
    result = cli("quotes", reviewed_sample_dir, "--category", "mentor", "--max-words", "30", "-o", chapter, "--original")
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "identifiers" in result.stderr and str(chapter) in result.stderr
    first, title = (p.text for p in docx.Document(str(chapter)).paragraphs[:2])
    assert first.startswith("Originaltekst") and title == "mentor"  # the warning before anything else

    book = tmp_path / "kodebok.md"
    result = cli("codebook", reviewed_sample_dir, "-o", book)
    assert result.exit_code == 0, result.output
    assert book.read_text(encoding="utf-8").startswith("# Kodebok: Hybridmodellen")


def test_cli_default_file_name_in_the_current_folder(reviewed_sample_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("quotes", reviewed_sample_dir, "--category", "IA-rådgiver", "--format", "md")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sitater-IA-rådgiver.md").is_file()


@pytest.mark.parametrize("args, message", [
    (["matrix", "{p}", "--category", "ingen", "-o", "{tmp}/m.xlsx"], "no category called 'ingen'"),
    (["quotes", "{p}", "--category", "ingen", "-o", "{tmp}/q.docx"], "no category called 'ingen'"),
    (["quotes", "{p}", "--category", "jobbmatch", "-o", "{tmp}/q.docx"], "'jobbmatch' is a code, not a category"),
    (["codebook", "{p}", "--category", "ingen", "-o", "{tmp}/k.md"], "no category called 'ingen'"),
    (["matrix", "{p}", "--format", "pdf", "-o", "{tmp}/m.pdf"], "unknown format 'pdf' for a matrix"),
    (["quotes", "{p}", "--category", "mentor", "--format", "xlsx"], "unknown format 'xlsx' for chapter quotes"),
    (["codebook", "{p}", "-o", "{tmp}/k.txt"], "cannot tell the format of k.txt"),
    (["matrix", "{p}", "--columns", "site", "-o", "{tmp}/m.xlsx"], "unknown columns 'site'"),
    (["matrix", "{p}", "--role", "sjef", "-o", "{tmp}/m.xlsx"], "unknown role 'sjef'"),
    (["matrix", "{p}", "--coder", "nobody", "-o", "{tmp}/m.xlsx"], "no codings by 'nobody'"),
    (["quotes", "{p}"], "--category"),
    (["quotes", "{p}", "--category", "mentor", "--max-words", "2", "-o", "{tmp}/q.md"], "--max-words must be at least 5"),
    (["quotes", "{p}", "--category", "mentor", "--round", "9", "-o", "{tmp}/q.md"], "no quotes in category 'mentor'"),
    (["matrix", "{p}", "-o", "{tmp}/missing/m.xlsx"], "the folder"),
    (["matrix", "{p}", "-o", "{tmp}"], "it is a folder"),
    (["matrix", "{p}", "-o", "{tmp}/a-file/m.xlsx"], "is a file, not a folder"),
    (["matrix", "{tmp}/not-a-project", "-o", "{tmp}/m.xlsx"], "not a codebench project"),
])
def test_cli_mistakes_give_one_line_and_exit_1(reviewed_sample_dir, tmp_path, args, message):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli(*[a.format(p=reviewed_sample_dir, tmp=tmp_path) for a in args])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("codebench: ") and message in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_cli_unwritable_output_is_one_line(reviewed_sample_dir, tmp_path, monkeypatch):
    from codebench.export import atomic as exports  # the one module that opens export files

    real_open = exports.os.open

    def refuse(path, *args, **kwargs):
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(exports.os, "open", refuse)
    result = cli("matrix", reviewed_sample_dir, "-o", tmp_path / "m.xlsx")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"codebench: cannot write {tmp_path / 'm.xlsx'}: Permission denied"
    assert list(tmp_path.iterdir()) == []


def test_free_text_is_anonymised_in_a_few_batched_calls(sample, tmp_path, monkeypatch):
    calls: list[str] = []

    def counting(project, text):
        calls.append(text)
        return text.replace("NAV-veiledere", "ETATENS veiledere")

    monkeypatch.setattr(anonymisation, "anonymise_free_text", counting)
    services.export_codebook_document(sample, tmp_path / "k.md")
    assert 1 <= len(calls) <= 3
    text = (tmp_path / "k.md").read_text(encoding="utf-8")
    assert "ETATENS veiledere" in text and "NAV-veiledere" not in text  # the codebook description
    calls.clear()
    services.export_chapter_quotes(sample, tmp_path / "c.md", category="veileder")
    assert 1 <= len(calls) <= 3


def test_a_quote_over_two_turns_keeps_its_line_breaks_but_no_blank_line():
    from codebench.domain.matrix import MatrixQuote

    quote = MatrixQuote("  slutt.\n\nI: Hvordan?\n\n\nR: Jo.\n", "kode", "mentor", "M01", "mentor", "M01 mentor runde 1",
                        1, 1, 0, 30, "ingrid", 4)
    assert xlsx_writer.quote_cell_text(quote) == "«slutt.\nI: Hvordan?\nR: Jo.» [M01, mentor, M01 mentor runde 1, tur 4]"
