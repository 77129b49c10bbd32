"""Quote matrices, frequencies, co-occurrence and quotes edited for a report: the plain-data core of exports."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from codebench.domain.matrix import (
    OMISSION, attribution, build_quote_matrix, cooccurrence, count_table, distinct_passages, edit_quote,
    matrix_columns, matrix_rows, short_examples, trim_quote, turn_number, workplace_of,
)
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


# -- quotes for a report ------------------------------------------------------------------------


def test_edit_quote_removes_transcription_marks_but_keeps_other_speakers():
    text = "R: Han var helt (.) ja [00:12:31] ikke i form (...) , sa han. #00:01:23-4#\nI: Mhm?\nR: Han sa «nei».//"
    assert edit_quote(text, "R") == "Han var helt ja ikke i form, sa han. I: Mhm? Han sa ‘nei’."
    assert edit_quote("Kari: hei", None) == "Kari: hei"  # unknown speaker: nothing guessed away


def test_trim_quote_keeps_short_quotes_and_leaves_out_the_middle_of_long_ones():
    short = "Det er jo sånn det er."
    assert trim_quote(short, 20) == (short, False)
    assert trim_quote(short, None) == (short, False)
    text = "Første setning er her. Andre setning er lengre enn den første. Tredje kommer så. Fjerde og siste setning."
    trimmed, changed = trim_quote(text, 10)
    assert changed and trimmed == f"Første setning er her. {OMISSION} Fjerde og siste setning."
    words = "en to tre fire fem seks sju åtte ni ti elleve tolv tretten fjorten femten seksten"
    trimmed, changed = trim_quote(words, 10)
    assert changed and trimmed == f"en to tre fire fem seks {OMISSION} tretten fjorten femten seksten"


@given(st.lists(st.sampled_from(["ja", "nei", "altså", "jobb.", "mentor!", "NAV?", "tid", "–"]), min_size=1, max_size=80),
       st.integers(5, 40))
@settings(max_examples=100, deadline=None)
def test_trimmed_quotes_fit_the_budget_and_keep_the_first_and_last_words(words, budget):
    text = " ".join(words)
    trimmed, changed = trim_quote(text, budget)
    kept = [w for w in trimmed.split() if w != OMISSION]
    assert changed == (len(words) > budget)
    assert len(kept) <= budget
    if changed:
        head, _, tail = trimmed.partition(f" {OMISSION}")
        assert text.startswith(head)
        assert text.endswith(tail.strip())


def test_attribution_by_role_only():
    assert attribution("mentor", workplace="butikk", round=2) == "(mentor, butikk, runde 2)"
    assert attribution("veileder", round=1, group=True) == "(veileder, gruppeintervju, runde 1)"
    assert attribution("arbeidsgiver", workplace="varehandel", round=None, survey=True) == \
        "(arbeidsgiver, varehandel, spørreundersøkelse)"
    assert attribution(None) == attribution("other") == "(informant)"


def test_workplace_comes_from_a_workplace_attribute_never_a_place():
    assert workplace_of({"kommune": "Holmvika", "site": "Sørvik", "Bransje": "  bygg og  anlegg "}) == "bygg og anlegg"
    assert workplace_of({"kommune": "Holmvika", "site": "Sørvik", "group": True}) is None
    assert workplace_of({"sector": "retail", "arbeidsplass": "butikk"}) == "butikk"


def test_distinct_passages_keep_the_longest_of_overlapping_codings_of_one_code():
    a = quote("kapasitet", start=0, end=50, coder="ingrid")
    b = quote("kapasitet", start=10, end=80, coder="per")      # overlaps a: longer, kept
    c = quote("kapasitet", start=75, end=90, coder="kari")     # chains onto b: same passage
    d = quote("kapasitet", start=90, end=95, coder="ola")      # touches only: its own passage
    e = quote("jobbmatch", start=0, end=50)                    # other code
    f = quote("kapasitet", doc=2, start=0, end=50)              # other document
    assert distinct_passages([a, b, c, d, e, f]) == [b, d, e, f]


def test_short_examples_prefer_telling_length_and_different_people():
    long = " ".join(["ord"] * 60)
    quotes = [
        quote("kapasitet", participant="V01", start=0, end=5, text="Ja."),
        quote("kapasitet", participant="V01", start=10, end=20, text=" ".join(["a"] * 20)),
        quote("kapasitet", participant="V01", start=30, end=40, text=" ".join(["b"] * 19)),
        quote("kapasitet", participant="M01", start=50, end=60, text=" ".join(["c"] * 12)),
        quote("kapasitet", participant="A01", start=70, end=80, text=long),
    ]
    chosen = short_examples(quotes, 2)
    assert [q.participant for q in chosen] == ["V01", "M01"] and chosen[0].text.startswith("a")
    assert short_examples(quotes, 2) == chosen
    assert short_examples(quotes, 0) == []
    assert len(short_examples(quotes, 9)) == 5
