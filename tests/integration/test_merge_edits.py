"""Merging coders' copies of a transcript that was edited: before, after, on both sides, or in conflict."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.errors import ServiceError

KARI = "kari"  # the fixture's document


@pytest.fixture
def team_and_coders(coded_project: services.Project, tmp_path: Path):
    """A team project and two copies handed to coders."""
    coded_project.close()
    for coder in ("ingrid", "per"):
        shutil.copytree(coded_project.root, tmp_path / coder)
    projects = {name: services.open_project(tmp_path / name) for name in ("ingrid", "per")}
    team = services.open_project(coded_project.root)
    yield team, projects
    for p in (team, *projects.values()):
        p.close()


def _code(project: services.Project, words: str, code: str, coder: str) -> str:
    text = services.get_document(project, KARI).text
    start = text.index(words)
    return services.apply_code(project, KARI, start, start + len(words), code, coder).uuid


def _words(project: services.Project) -> dict[tuple[str, str], str]:
    """(coder, code) -> the words the coding lies on in ``project``."""
    text = services.get_document(project, KARI).text
    names = {c.id: c.name for c in services.code_tree(project)}
    return {(c.coder, names[c.code_id]): text[c.start:c.end] for c in services.codings(project, KARI)}


def test_a_coders_edit_comes_into_the_team_and_the_teams_codings_follow(team_and_coders):
    team, coders = team_and_coders
    ingrid = coders["ingrid"]
    _code(team, "tidspress hele veien", "tidspress", "lead")
    _code(team, "Lederen spurte meg", "god mentor", "lead")
    _code(ingrid, "en god idé", "god mentor", "ingrid")
    services.edit_turn(ingrid, KARI, 2, coder="ingrid", use_model=False,
                       text="Lederen min spurte meg, og jeg tenkte at det var en god idé.")
    reports = services.merge_projects(team, [ingrid.root])
    assert services.get_document(team, KARI).text == services.get_document(ingrid, KARI).text
    words = _words(team)
    assert words[("lead", "tidspress")] == "tidspress hele veien"
    assert words[("lead", "god mentor")] == "Lederen min spurte meg"  # the edit overlapped it
    assert words[("ingrid", "god mentor")] == "en god idé"
    assert [i.coder for i in services.flagged_codings(team)] == ["lead"]
    assert reports[0].texts_updated and reports[0].codings_flagged == 1
    # The team's history now has both versions: a copy made before the edit still matches later.
    again = services.merge_projects(team, [ingrid.root])
    assert not again[0].changed


def test_codings_made_on_a_copy_from_before_an_edit_land_on_the_same_words(team_and_coders):
    team, coders = team_and_coders
    per = coders["per"]
    services.edit_turn(team, KARI, 4, coder="lead", use_model=False,
                       text="Altfor lite tid, det er tidspress hele uka.")
    _code(per, "Lederen spurte meg", "god mentor", "per")
    _code(per, "tidspress hele veien", "tidspress", "per")
    report = services.merge_projects(team, [per.root])[0]
    words = _words(team)
    assert words[("per", "god mentor")] == "Lederen spurte meg"
    assert words[("per", "tidspress")] == "tidspress hele uka"
    assert report.codings_realigned == 2 and report.codings_flagged == 1
    assert {(i.coder, i.flag) for i in services.flagged_codings(team)} == {("per", "merged-edit")}
    hashes = {c.text_sha256 for c in services.codings(team, KARI)}
    assert hashes == {services.get_document(team, KARI).info.sha256}
    # The same copy merged again brings nothing: no coding is carried or flagged a second time
    # (a tester's second merge said "1 flagged to check" again and the lead checked it twice).
    again = services.merge_projects(team, [per.root])[0]
    assert (again.codings_added, again.codings_realigned, again.codings_flagged) == (0, 0, 0)
    assert "flagged" not in "\n".join(again.lines())


def test_edits_of_different_turns_by_the_team_and_a_coder_are_combined(team_and_coders):
    team, coders = team_and_coders
    ingrid = coders["ingrid"]
    services.edit_turn(team, KARI, 4, coder="lead", use_model=False, text="Altfor lite tid, tidspress hele uka.")
    services.edit_turn(ingrid, KARI, 2, coder="ingrid", use_model=False,
                       text="Lederen min spurte meg, og jeg syntes det var en god idé.")
    _code(ingrid, "en god idé", "god mentor", "ingrid")
    _code(ingrid, "Altfor lite tid", "tid og ressurser", "ingrid")
    services.merge_projects(team, [ingrid.root])
    text = services.get_document(team, KARI).text
    assert "Lederen min spurte meg, og jeg syntes" in text and "tidspress hele uka." in text
    words = _words(team)
    assert words[("ingrid", "god mentor")] == "en god idé"
    assert words[("ingrid", "tid og ressurser")] == "Altfor lite tid"


def test_the_same_turn_edited_differently_is_refused_and_nothing_is_merged(team_and_coders):
    team, coders = team_and_coders
    ingrid, per = coders["ingrid"], coders["per"]
    services.edit_turn(ingrid, KARI, 2, coder="ingrid", use_model=False, text="Lederen spurte meg om det.")
    services.edit_turn(per, KARI, 2, coder="per", use_model=False, text="Lederen ba meg, og jeg sa ja.")
    _code(per, "Lederen ba meg", "god mentor", "per")
    services.merge_projects(team, [ingrid.root])
    before = services.get_document(team, KARI).text
    with pytest.raises(ServiceError, match="turn 2 of document 1 .* edited differently"):
        services.merge_projects(team, [per.root])
    assert services.get_document(team, KARI).text == before
    assert not [c for c in services.codings(team, KARI) if c.coder == "per"]
    result = CliRunner().invoke(main, ["merge", str(team.root), str(per.root)])
    assert result.exit_code == 1 and "edited differently" in result.output


def test_the_same_edit_on_both_sides_is_no_conflict(team_and_coders):
    team, coders = team_and_coders
    ingrid, per = coders["ingrid"], coders["per"]
    for project, coder in ((ingrid, "ingrid"), (per, "per")):
        services.edit_turn(project, KARI, 4, coder=coder, use_model=False, text="Altfor lite tid.")
    services.edit_turn(per, KARI, 2, coder="per", use_model=False, text="Lederen ba meg.")
    services.merge_projects(team, [ingrid.root, per.root])
    text = services.get_document(team, KARI).text
    assert "R: Altfor lite tid." in text and "R: Lederen ba meg." in text
