"""The grounded-theory rules of the code tree, checked on records alone (no database)."""

from __future__ import annotations

import pytest

from codebench.domain import code_tree as rules
from codebench.domain.records import CodeInfo
from codebench.errors import RuleViolation


def node(id: int, name: str, kind: str = "code", parent: int | None = None, position: int = 0,
         colour: str | None = None) -> CodeInfo:
    return CodeInfo(id=id, uuid=f"u{id}", kind=kind, name=name, parent_id=parent, position=position, description=None,
                    inclusion=None, exclusion=None, examples=(), colour=colour, shortcut=None,
                    origin="codebook" if kind == "category" else "open", core=False, memo=None, version=1)


MENTOR = node(1, "mentor", "category", colour="#aa0000")
ROLE = node(2, "mentorrollen", "category", parent=1)
SAFETY = node(3, "trygghet", parent=2)
TIME = node(4, "tid og ressurser", parent=1, position=1)
VEILEDER = node(5, "veileder", "category", position=1)
LOOSE = node(6, "tilbakeslag")
TREE = [VEILEDER, TIME, SAFETY, ROLE, MENTOR, LOOSE]


def test_names_are_folded_and_bounded():
    assert rules.clean_name("  god \n  mentor ") == "god mentor"
    with pytest.raises(RuleViolation, match="needs a name"):
        rules.clean_name(" \t ")
    with pytest.raises(RuleViolation, match="at most 200"):
        rules.clean_name("x" * 201)
    assert rules.clean_name("x" * 200) == "x" * 200


def test_a_name_is_unique_but_a_node_may_keep_its_own():
    with pytest.raises(RuleViolation, match="already a code or category called 'Trygghet'"):
        rules.check_new_name("Trygghet", SAFETY)
    rules.check_new_name("Trygghet", SAFETY, renaming=SAFETY)  # changing only the case of its own name
    rules.check_new_name("ny kode", None)


def test_codes_go_under_categories_only():
    rules.check_parent(MENTOR, "mentor")
    with pytest.raises(RuleViolation, match="is a code; codes go under categories"):
        rules.check_parent(SAFETY, "trygghet")
    with pytest.raises(RuleViolation, match="no category called 'borte'"):
        rules.check_parent(None, "borte")


def test_a_category_cannot_move_inside_itself_or_its_descendants():
    with pytest.raises(RuleViolation, match="cannot go inside itself"):
        rules.check_move(TREE, MENTOR, ROLE, "mentorrollen")
    with pytest.raises(RuleViolation, match="cannot go inside itself"):
        rules.check_move(TREE, MENTOR, MENTOR, "mentor")
    with pytest.raises(RuleViolation, match="no category called 'trygghet'"):
        rules.check_move(TREE, TIME, SAFETY, "trygghet")
    rules.check_move(TREE, ROLE, VEILEDER, "veileder")
    rules.check_move(TREE, ROLE, None, None)  # to the top level


def test_only_codes_are_promoted_merged_and_applied():
    assert rules.check_promote(SAFETY, "trygghet") is SAFETY
    with pytest.raises(RuleViolation, match="'mentor' is a category already"):
        rules.check_promote(MENTOR, "mentor")
    with pytest.raises(RuleViolation, match="no code called 'borte'"):
        rules.check_promote(None, "borte")
    rules.check_merge(LOOSE, SAFETY, "tilbakeslag", "trygghet")
    with pytest.raises(RuleViolation, match="only codes can be merged"):
        rules.check_merge(ROLE, SAFETY, "mentorrollen", "trygghet")
    with pytest.raises(RuleViolation, match="cannot be merged into itself"):
        rules.check_merge(SAFETY, SAFETY, "trygghet", "trygghet")
    with pytest.raises(RuleViolation, match="no code called 'borte'"):
        rules.check_merge(SAFETY, None, "trygghet", "borte")
    with pytest.raises(RuleViolation, match="is a category; apply one of its codes"):
        rules.check_applicable(MENTOR, "mentor")
    assert rules.check_applicable(SAFETY, "trygghet") is SAFETY


def test_reading_order_main_categories_and_inherited_colours():
    assert [n.name for n in rules.ordered(TREE)] == [
        "mentor", "mentorrollen", "trygghet", "tid og ressurser", "tilbakeslag", "veileder"]
    assert sorted(rules.subtree_ids(TREE, MENTOR.id)) == [1, 2, 3, 4]
    context = rules.main_categories(TREE)
    assert context[SAFETY.id] == ("trygghet", "mentor")
    assert context[LOOSE.id] == ("tilbakeslag", None)  # a loose open code has no main category
    colours = rules.effective_colours(TREE)
    assert colours[SAFETY.id] == "#aa0000" and colours[VEILEDER.id] is None
