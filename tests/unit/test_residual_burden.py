"""The review burden of the residual list (#15): how far a researcher reads to see every name
the list holds, and how many of them the top of the list shows."""

from __future__ import annotations

from codebench.anonymise.residual import Candidate, Occurrence, review_burden


def test_the_burden_counts_entries_to_the_last_listed_leak_and_the_leaks_near_the_top() -> None:
    ranked = [Candidate(f"w{i}", 10.0 - i, ("unknown",), (Occurrence(1, 10 * i, 10 * i + 3),)) for i in range(40)]
    # Leaks at ranks 2, 5 and 30; one the list lacks.
    leaked = [(1, 10, 13), (1, 40, 43), (1, 290, 293), (1, 999, 1003)]
    burden = review_burden(ranked, leaked, top=25)
    assert burden == {"leaked_words": 4, "listed": 3, "entries_to_read": 30, "candidates": 40, "in_top": 2}
