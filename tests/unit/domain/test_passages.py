"""What a count counts: distinct passages (overlapping codings of one code in one document, whoever coded them)."""

from __future__ import annotations

from codebench.domain.matrix import build_quote_matrix, count_table, matrix_rows
from codebench.domain.passages import Counting, passage_groups, passages
from codebench.domain.records import CodeInfo, Quote


def quote(code: str, start: int, end: int, coder: str, *, doc: int = 1, role: str = "veileder") -> Quote:
    return Quote(f"{code}-{doc}-{start}-{coder}", code, "veileder", coder, doc, f"Dokument {doc}", "V01", role, 1,
                 start, end, f"tekst {start}", None)


def test_two_coders_on_the_same_or_overlapping_words_are_one_passage():
    same = [quote("tidspress", 0, 50, "ingrid"), quote("tidspress", 0, 50, "per")]
    assert passages(same) == [same[0]._replace(coder="ingrid, per")]
    wider = [quote("tidspress", 10, 40, "ingrid"), quote("tidspress", 0, 60, "per")]  # per took the whole answer
    assert passages(wider) == [wider[1]._replace(coder="ingrid, per")]  # the longest version, both coders


def test_touching_other_code_other_document_and_chains():
    quotes = [
        quote("tidspress", 0, 50, "ingrid"),
        quote("tidspress", 50, 60, "per"),          # touches only: a passage of its own
        quote("lederstøtte", 0, 50, "per"),         # another code on the same words
        quote("tidspress", 0, 50, "per", doc=2),    # another document
        quote("tidspress", 100, 130, "ingrid"),
        quote("tidspress", 120, 150, "per"),        # overlaps the one before …
        quote("tidspress", 145, 170, "kari"),       # … and this one chains on
    ]
    assert passage_groups(quotes) == [[0], [1], [2], [3], [4, 5, 6]]
    kept = passages(quotes)
    assert len(kept) == 5 and kept[-1].coder == "ingrid, kari, per"
    assert passages(quotes[:1]) == quotes[:1] and passages([]) == []


def test_matrix_cells_and_counts_hold_each_passage_once():
    tree = [CodeInfo(1, "u1", "category", "veileder", None, 0), CodeInfo(2, "u2", "code", "tidspress", 1, 0)]
    rows = matrix_rows(tree)
    quotes = [quote("tidspress", 0, 50, "ingrid"), quote("tidspress", 5, 50, "per"), quote("tidspress", 80, 90, "per")]
    matrix = build_quote_matrix(passages(quotes), rows)
    (cell,) = [c for c in matrix.cells[0] if c]
    assert [(q.start, q.coder) for q in cell] == [(0, "ingrid, per"), (80, "per")]
    assert count_table(passages(quotes), rows).total == 2  # not 3: ingrid 1 + per 2 would count coders
    assert count_table(passages([q for q in quotes if q.coder == "per"]), rows).total == 2


def test_counting_says_what_it_counts():
    assert Counting().describe() == "distinct passages, all coders"
    assert Counting(("ingrid",)).describe() == "distinct passages, coder ingrid"
    assert Counting(("ingrid", "per")).describe() == "distinct passages, coders ingrid, per"
    assert Counting().describe_nb() == "distinkte passasjer, alle kodere"
    assert Counting(("ingrid",)).describe_nb() == "distinkte passasjer, koder ingrid"
