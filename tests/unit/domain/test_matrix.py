"""Quote matrices, frequencies and co-occurrence: the plain-data core of exports."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from codebench.domain.matrix import build_quote_matrix, cooccurrence, count_table, matrix_columns, matrix_rows, turn_number
from codebench.domain.records import CodeInfo, Quote


def node(id: int, name: str, parent: int | None = None, kind: str = "code", position: int = 0) -> CodeInfo:
    return CodeInfo(id=id, uuid=f"u{id}", kind=kind, name=name, parent_id=parent, position=position)


# veileder > (Kapasitet og prioritering > kapasitet, lederstøtte), jobbmatch ; mentor > (Rollen > trygghet) ; samskaping > felles mål ; løs kode
TREE = [
    node(1, "veileder", kind="category"),
    node(2, "Kapasitet og prioritering", 1, "category"),
    node(3, "kapasitet", 2),
    node(4, "lederstøtte", 2),
    node(5, "jobbmatch", 1),
    node(6, "mentor", kind="category"),
    node(7, "Rollen", 6, "category"),
    node(8, "trygghet", 7),
    node(9, "samskaping", kind="category"),
    node(10, "felles mål", 9),
    node(11, "løs kode"),
]

MAIN = {"kapasitet": "veileder", "lederstøtte": "veileder", "jobbmatch": "veileder", "trygghet": "mentor",
        "felles mål": "samskaping", "løs kode": None}


def quote(code: str, *, doc: int = 1, start: int = 0, end: int = 10, role: str | None = "veileder",
          participant: str | None = "V01", round: int | None = 1, coder: str = "ingrid", text: str = "tekst",
          speaker: str | None = None) -> Quote:
    return Quote(f"{code}-{doc}-{start}-{end}-{coder}", code, MAIN.get(code), coder, doc, f"Dokument {doc}",
                 participant, role, round, start, end, text, speaker)


# -- rows and columns ---------------------------------------------------------------------------


def test_rows_follow_the_tree_with_their_categories():
    rows = matrix_rows(TREE)
    assert [r.code for r in rows] == ["kapasitet", "lederstøtte", "jobbmatch", "trygghet", "felles mål", "løs kode"]
    by_code = {r.code: r for r in rows}
    assert (by_code["kapasitet"].main_category, by_code["kapasitet"].category) == ("veileder", "Kapasitet og prioritering")
    assert (by_code["jobbmatch"].main_category, by_code["jobbmatch"].category) == ("veileder", "veileder")
    assert (by_code["løs kode"].main_category, by_code["løs kode"].category) == (None, None)


def test_rows_of_chosen_categories_any_case_and_depth():
    assert [r.code for r in matrix_rows(TREE, ["MENTOR"])] == ["trygghet"]
    assert [r.code for r in matrix_rows(TREE, [" KAPASITET og prioritering", "samskaping"])] == [
        "kapasitet", "lederstøtte", "felles mål"]


def test_unknown_category_and_code_instead_of_category_are_refused():
    with pytest.raises(ValueError, match="no category called 'arbeidsgiver'"):
        matrix_rows(TREE, ["arbeidsgiver"])
    with pytest.raises(ValueError, match="'jobbmatch' is a code, not a category"):
        matrix_rows(TREE, ["jobbmatch"])


def test_role_columns_are_the_four_roles_in_report_order_then_others():
    quotes = [quote("kapasitet", role="other"), quote("kapasitet", role=None), quote("kapasitet", role="mentor")]
    columns = matrix_columns("role", quotes)
    assert [c.key for c in columns] == ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver", "other", None]
    assert [c.label for c in columns][-2:] == ["annen", "(uten rolle)"]
    assert [c.key for c in matrix_columns("role", quotes[2:], ["mentor"])] == ["mentor"]


def test_participant_round_and_document_columns_are_ordered_for_reading():
    quotes = [quote("kapasitet", participant="M10", role="mentor"), quote("kapasitet", participant="M2", role="mentor"),
              quote("kapasitet", participant="V01", role="veileder"), quote("kapasitet", participant=None, role=None)]
    assert [c.key for c in matrix_columns("participant", quotes)] == ["V01", "M2", "M10", None]
    rounds = [quote("kapasitet", round=2), quote("kapasitet", round=None), quote("kapasitet", round=1)]
    assert [c.label for c in matrix_columns("round", rounds)] == ["runde 1", "runde 2", "(uten runde)"]
    docs = [quote("kapasitet", doc=7), quote("kapasitet", doc=3)]
    assert [(c.key, c.label) for c in matrix_columns("document", docs)] == [(3, "Dokument 3"), (7, "Dokument 7")]
    with pytest.raises(ValueError, match="unknown column kind"):
        matrix_columns("site", quotes)


# -- the matrix ---------------------------------------------------------------------------------

ROLES = ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver", "other", None]
CODES = list(MAIN) + ["ukjent kode"]


@st.composite
def quote_lists(draw):
    n = draw(st.integers(0, 40))
    result = []
    for i in range(n):
        start = draw(st.integers(0, 200))
        result.append(quote(
            draw(st.sampled_from(CODES)), doc=draw(st.integers(1, 3)), start=start,
            end=start + draw(st.integers(0, 60)), role=draw(st.sampled_from(ROLES)),
            participant=draw(st.sampled_from(["V01", "M01", "A02", None])), round=draw(st.sampled_from([1, 2, None])),
            coder=f"c{i}",
        ))
    return result


@given(quote_lists(), st.sampled_from(["role", "document", "participant", "round"]))
@settings(max_examples=60, deadline=None)
def test_every_quote_of_a_row_code_lands_in_exactly_one_cell(quotes, kind):
    rows = matrix_rows(TREE)
    matrix = build_quote_matrix(quotes, rows, kind)
    placed = [(row.code, column.key, q.start, q.end, q.coder) for row, column, q in matrix.iter_quotes()]
    expected = [q for q in quotes if q.code in MAIN]
    assert len(placed) == len(expected) == matrix.quote_count
    key = {"role": "role", "document": "document_id", "participant": "participant", "round": "round"}[kind]
    assert sorted(placed, key=repr) == sorted(
        ((q.code, getattr(q, key), q.start, q.end, q.coder) for q in expected), key=repr)
    counts = matrix.counts()
    assert counts.values == count_table(quotes, rows, kind).values
    assert counts.total == len(expected)
    assert counts.column_totals == [sum(len(matrix.cells[r][c]) for r in range(len(rows))) for c in range(len(matrix.columns))]


def test_cells_keep_retrieval_order_and_know_their_turn():
    quotes = [quote("kapasitet", start=5, end=9), quote("kapasitet", start=40, end=50), quote("jobbmatch", doc=2, start=3)]
    matrix = build_quote_matrix(quotes, matrix_rows(TREE), turn_starts={1: [0, 30, 60], 2: [10]})
    cell = matrix.cells[0][0]
    assert [(q.start, q.turn) for q in cell] == [(5, 1), (40, 2)]
    jobbmatch = matrix.cells[2][0][0]
    assert jobbmatch.turn is None and jobbmatch.position() == "tegn 3–10"  # before the first turn
    assert cell[1].reference() == "V01, veileder, Dokument 1, tur 2"
    assert matrix.main_categories() == ["veileder", "mentor", "samskaping", None]
    assert matrix.row_indices("veileder") == [0, 1, 2]


def test_a_report_quote_is_cited_by_its_page():
    quotes = [quote("kapasitet", start=5, end=9), quote("kapasitet", doc=2, start=1200, end=1300)]
    matrix = build_quote_matrix(quotes, matrix_rows(TREE), turn_starts={1: [0, 30], 2: [0, 900, 1500]},
                                page_starts={2: [0, 1100, 2300]})
    transcript, report = matrix.cells[0][0]
    assert (transcript.page, transcript.position()) == (None, "tur 1")
    assert (report.turn, report.page, report.position()) == (2, 2, "s. 2")
    assert report.reference().endswith("Dokument 2, s. 2")


def test_turn_number_is_one_based_and_none_without_turns():
    assert turn_number([0, 10, 20], 0) == 1
    assert turn_number([0, 10, 20], 10) == 2
    assert turn_number([0, 10, 20], 25) == 3
    assert turn_number([], 5) is None and turn_number(None, 5) is None


# -- co-occurrence ------------------------------------------------------------------------------


def naive_cooccurrence(quotes, rows):
    index = {r.code: i for i, r in enumerate(rows)}
    values = [[0] * len(rows) for _ in rows]
    for a, b in itertools.combinations(quotes, 2):
        shared = min(a.end, b.end) - max(a.start, b.start)  # characters both codings cover
        if a.code in index and b.code in index and a.code != b.code and a.document_id == b.document_id and shared > 0:
            values[index[a.code]][index[b.code]] += 1
            values[index[b.code]][index[a.code]] += 1
    return values


@given(quote_lists())
@settings(max_examples=80, deadline=None)
def test_cooccurrence_equals_the_naive_pair_count(quotes):
    rows = matrix_rows(TREE)
    assert cooccurrence(quotes, rows).values == naive_cooccurrence(quotes, rows)


def test_cooccurrence_is_half_open_per_document_and_lists_pairs():
    rows = matrix_rows(TREE)
    quotes = [quote("kapasitet", start=0, end=10), quote("jobbmatch", start=10, end=20),  # touching only
              quote("lederstøtte", start=5, end=15), quote("trygghet", doc=2, start=0, end=30),
              quote("jobbmatch", doc=2, start=29, end=31), quote("felles mål", start=0, end=0)]  # empty span
    table = cooccurrence(quotes, rows)
    names = [(a.code, b.code, n) for a, b, n in table.pairs()]
    assert names == [("kapasitet", "lederstøtte", 1), ("lederstøtte", "jobbmatch", 1), ("jobbmatch", "trygghet", 1)]
    assert all(table.values[i][i] == 0 for i in range(len(rows)))
