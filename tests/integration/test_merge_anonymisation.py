"""A team merge carries the anonymisation (#14): entities, mentions and decisions, one pseudonym per
entity, the safer side where coders disagree, nothing twice on a re-merge, and never the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codebench import services
from codebench.services import anonymisation
from tests.conftest import REPO

TRANSCRIPTS = {
    "holm.txt": "I: Hvem hjalp deg?\n\nR: Mentoren min, Kristine Holm, var der hver dag.\n\n"
                "I: Og lederen?\n\nR: Aksel Lund Svindal sa at jeg skulle ta det rolig.\n",
    "berg.txt": "I: Hvordan var starten?\n\nR: Kristine Holm viste meg rundt, og Aksel Lund Svindal ringte.\n",
}
NAMES = ("Kristine", "Holm", "Aksel", "Svindal")


def _coder_project(folder: Path, files: Path, coder: str) -> services.Project:
    project = services.init_project(folder)
    services.import_files(project, [files / n for n in TRANSCRIPTS], services.ParticipantSpec(role="mentor", round=1))
    services.load_codebook(project, REPO / "codebooks" / "hybridmodellen.yaml")
    for doc in services.list_documents(project):
        text = services.get_document(project, doc.id).text
        start = text.index("R: ") + 3
        services.apply_code(project, doc.id, start, text.index("\n", start), "tilrettelegging", coder,
                            create="open", category="mentor")
    return project


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "filer"
    folder.mkdir()
    for name, text in TRANSCRIPTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _accept_all(project: services.Project, coder: str = "test") -> None:
    anonymisation.auto_accept(project, threshold=0.0, coder=coder)
    for entity in anonymisation.entities(project, status="suggested"):
        anonymisation.decide(project, "accept", entity=entity.id, coder=coder)


def _mentions(project: services.Project) -> dict[tuple[str, int, int], tuple[str, str]]:
    """``(document hash, start, end) -> (pseudonym, status)`` of every mention."""
    hashes = {d.id: d.sha256 for d in services.list_documents(project)}
    with project.transaction(write=False) as store:
        rows = store.anonymisation.mentions()
    return {(hashes[r.document_id], r.start, r.end): (r.pseudonym, r.status) for r in rows}


def test_merge_carries_entities_mentions_and_state_and_a_remerge_changes_nothing(files, tmp_path):
    ingrid = _coder_project(tmp_path / "ingrid", files, "ingrid")
    anonymisation.detect(ingrid, use_model=False)
    _accept_all(ingrid)
    anonymisation.set_original_viewer(ingrid, "ingrid", True, by="ingrid")
    team = services.init_project(tmp_path / "team")
    (report,) = services.merge_projects(team, [ingrid.root])
    assert report.entities_added >= 2 and report.mentions_added == len(_mentions(ingrid))
    assert _mentions(team) == _mentions(ingrid)
    state = anonymisation.anonymisation_state(team)
    # The decisions come along; the team's residual list is the team's to read (what is left
    # unmasked in the team project is not what was left in one coder's copy).
    assert (state.open, state.unsearched, state.unread) == (0, 0, state.documents)
    assert state.masked == anonymisation.anonymisation_state(ingrid).masked
    anonymisation.mark_residual_read(team, coder="ingrid")
    assert anonymisation.anonymisation_state(team).status == "reviewed"
    assert anonymisation.original_viewers(team) == ["ingrid"]
    quotes = services.quotes(team, anonymised=True)
    assert quotes and not any(name in q.text for q in quotes for name in NAMES)
    result = services.export_matrix(team, tmp_path / "team.csv")
    content = (tmp_path / "team.csv").read_text(encoding="utf-8")
    assert result.anonymised and not any(name in content for name in NAMES)
    assert any(line.startswith("  anonymisation: ") for line in report.lines())

    (again,) = services.merge_projects(team, [ingrid.root])
    assert not again.changed and (again.entities_added, again.mentions_added, again.mentions_updated) == (0, 0, 0)
    assert _mentions(team) == _mentions(ingrid)


def test_two_coders_disagreeing_are_joined_on_the_masked_side(files, tmp_path):
    # Both coders work on copies of one detected project, so their entities share ids.
    base = _coder_project(tmp_path / "base", files, "ingrid")
    anonymisation.detect(base, use_model=False)
    base.close()
    shutil.copytree(tmp_path / "base", tmp_path / "per")
    ingrid, per = services.open_project(tmp_path / "base"), services.open_project(tmp_path / "per")
    _accept_all(ingrid)
    (holm,) = [e for e in anonymisation.entities(per) if e.kind == "PER" and sum(e.statuses.values()) >= 2][:1]
    anonymisation.decide(per, "reject", entity=holm.id, coder="per")
    for entity in anonymisation.entities(per, status="suggested"):
        anonymisation.decide(per, "accept", entity=entity.id, coder="per")
    team = services.init_project(tmp_path / "team")
    first, second = services.merge_projects(team, [ingrid.root, per.root])
    assert first.entities_added >= 2 and second.entities_added == 0 and second.mentions_added == 0
    assert len(second.anonymisation_conflicts) == sum(holm.statuses.values())
    assert all(f"{holm.pseudonym}: accepted in the team, rejected by" in c for c in second.anonymisation_conflicts)
    statuses = {status for pseudonym, status in _mentions(team).values() if pseudonym == holm.pseudonym}
    assert statuses == {"accepted"}
    # The conflict line names the pseudonym, never the person.
    assert not any(name in line for line in second.lines() for name in NAMES)
    # Merging the other way round gives the same, safer, result.
    other = services.init_project(tmp_path / "team2")
    services.merge_projects(other, [per.root, ingrid.root])
    assert _mentions(other) == _mentions(team)


def test_separately_detected_projects_share_one_pseudonym_per_entity(files, tmp_path):
    ingrid = _coder_project(tmp_path / "ingrid", files, "ingrid")
    per = _coder_project(tmp_path / "per", files, "per")
    anonymisation.detect(ingrid, use_model=False)
    anonymisation.detect(per, use_model=False)
    _accept_all(ingrid)
    _accept_all(per)
    team = services.init_project(tmp_path / "team")
    first, second = services.merge_projects(team, [ingrid.root, per.root])
    assert second.entities_added == 0 and second.entities_matched == first.entities_added
    mentions = _mentions(team)
    assert mentions == _mentions(ingrid)  # the same spans, found by both: one entity each
    with team.transaction(write=False) as store:
        pseudonyms = [e.pseudonym for e in store.anonymisation.entities()]
    assert len(pseudonyms) == len(set(pseudonyms)) == first.entities_added


def test_a_pseudonym_taken_by_another_entity_is_renumbered(files, tmp_path):
    ingrid = _coder_project(tmp_path / "ingrid", files, "ingrid")
    anonymisation.detect(ingrid, use_model=False)
    _accept_all(ingrid)
    # Per's project knows only a different person, under the pseudonym Ingrid's first entity has.
    per = services.init_project(tmp_path / "per")
    (files / "ola.txt").write_text("R: Ola Nordmann var sjefen min.\n", encoding="utf-8")
    services.import_files(per, [files / "ola.txt"])
    with ingrid.transaction(write=False) as store:
        wanted = sorted(e.pseudonym for e in store.anonymisation.entities())[0]
    anonymisation.add_name(per, "Ola Nordmann", coder="per")
    (entity,) = anonymisation.entities(per)
    anonymisation.rename_entity(per, entity.id, wanted.strip("[]"), coder="per")
    team = services.init_project(tmp_path / "team")
    _, second = services.merge_projects(team, [ingrid.root, per.root])
    assert len(second.pseudonyms_renumbered) == 1 and second.pseudonyms_renumbered[0].startswith(f"{wanted} → ")
    with team.transaction(write=False) as store:
        pseudonyms = [e.pseudonym for e in store.anonymisation.entities()]
    assert len(pseudonyms) == len(set(pseudonyms))


def test_merge_never_reads_the_key(files, tmp_path):
    ingrid = _coder_project(tmp_path / "ingrid", files, "ingrid")
    anonymisation.detect(ingrid, use_model=False)
    key = anonymisation.write_key(ingrid)
    key.chmod(0o000)  # unreadable: a merge that opened it would fail
    try:
        team = services.init_project(tmp_path / "team")
        (report,) = services.merge_projects(team, [ingrid.root])
        assert report.mentions_added > 0
        with team.transaction(write=False) as store, ingrid.transaction(write=False) as source:
            assert store.anonymisation.settings().get("key_id") != source.anonymisation.settings().get("key_id")
    finally:
        key.chmod(0o600)


def test_a_chosen_pseudonym_stays_whole_in_the_team(tmp_path):
    folder = tmp_path / "filer"
    folder.mkdir()
    (folder / "k.txt").write_text("R: Kristine Holm viste meg rundt.\n\nI: Og så?\n\nR: Kristine var flink.\n",
                                  encoding="utf-8")
    ingrid = services.init_project(tmp_path / "ingrid")
    services.import_files(ingrid, [folder / "k.txt"])
    # Names style: there a replacement name is shortened for a given name alone, a chosen one never.
    anonymisation.detect(ingrid, use_model=False, style="names")
    _accept_all(ingrid, "ingrid")  # the project lists who may review now
    person = next(e for e in anonymisation.entities(ingrid) if e.kind == "PER")
    # A realistic name the researcher chose: as a replacement it would be cut to "[Hilde]" alone.
    anonymisation.rename_entity(ingrid, person.id, "Hilde Lunde", coder="ingrid")
    doc = services.list_documents(ingrid)[0].id
    assert anonymisation.rendition(ingrid, doc).text.count("[Hilde Lunde]") == 2
    team = services.init_project(tmp_path / "team")
    services.merge_projects(team, [ingrid.root])
    text = anonymisation.rendition(team, services.list_documents(team)[0].id).text
    assert text.count("[Hilde Lunde]") == 2 and "Kristine" not in text, text


def test_denying_everyone_in_one_copy_restricts_the_team(files, tmp_path):
    ingrid = _coder_project(tmp_path / "ingrid", files, "ingrid")
    per = _coder_project(tmp_path / "per", files, "per")
    anonymisation.set_original_viewer(per, "student", False, by="per")  # a list with no one on it
    assert anonymisation.original_viewers(per) == [] and not anonymisation.may_see_original(per, "per")
    team = services.init_project(tmp_path / "team")
    services.merge_projects(team, [ingrid.root, per.root])
    assert anonymisation.original_viewers(team) == []
    assert not anonymisation.may_see_original(team, "ingrid")


def test_a_merge_never_lets_a_coder_see_original_names_the_team_does_not(files, tmp_path):
    # Found by using it: the team allowed only ingrid; per's copy listed per, and the merge
    # printed "may see original names: ingrid, per".
    per = _coder_project(tmp_path / "per", files, "per")
    anonymisation.set_original_viewer(per, "per", True, by="per")
    team = services.init_project(tmp_path / "team")
    anonymisation.set_original_viewer(team, "ingrid", True, by="ingrid")
    (report,) = services.merge_projects(team, [per.root])
    assert anonymisation.original_viewers(team) == ["ingrid"] and not anonymisation.may_see_original(team, "per")
    assert any("not let see original names" in line and "per" in line for line in report.lines())


def test_a_name_one_coder_masked_over_other_words_stays_masked(files, tmp_path):
    ingrid = _coder_project(tmp_path / "ingrid", files, "ingrid")
    anonymisation.detect(ingrid, use_model=False)
    holm = next(e for e in anonymisation.entities(ingrid) if "Kristine Holm" in e.forms)
    anonymisation.decide(ingrid, "reject", entity=holm.id, coder="ingrid")
    _accept_all(ingrid)
    # Per marked only the given name, by hand: a different span over the same words.
    per = _coder_project(tmp_path / "per", files, "per")
    doc = services.get_document(per, "holm")
    start = doc.text.index("Kristine")
    anonymisation.add_mention(per, doc.info.id, start, start + len("Kristine"), coder="per")
    team = services.init_project(tmp_path / "team")
    _, second = services.merge_projects(team, [ingrid.root, per.root])
    assert second.entities_added == 0, "an entity none of whose mentions the team takes is not added"
    assert second.mentions_overlapping == 1 and len(second.anonymisation_conflicts) == 1
    assert "rejected in the team" in second.anonymisation_conflicts[0]
    assert "Kristine" not in second.anonymisation_conflicts[0]
    text = anonymisation.rendition(team, services.get_document(team, "holm").info.id).text
    assert "Kristine" not in text.split("\n\nI: Og lederen?")[0], text


def test_a_join_in_one_coder_s_copy_is_reported_at_merge_with_how_to_follow_it(files, tmp_path):
    # Found by an independent tester: ingrid's joins vanished when per's copy was merged first,
    # and the report said "0 decisions joined" and nothing else.
    ingrid = _coder_project(tmp_path / "ingrid", files, "ingrid")
    per = _coder_project(tmp_path / "per", files, "per")
    for project in (ingrid, per):
        anonymisation.detect(project, use_model=False)
        _accept_all(project)
    kristine = next(e for e in anonymisation.entities(ingrid) if "Kristine Holm" in e.forms)
    aksel = next(e for e in anonymisation.entities(ingrid) if any("Aksel" in f for f in e.forms))
    anonymisation.join_entities(ingrid, kristine.id, aksel.id, coder="ingrid")
    team = services.init_project(tmp_path / "team")
    services.merge_projects(team, [per.root])
    (report,) = services.merge_projects(team, [ingrid.root])
    lines = [line for line in report.lines() if "linked differently" in line]
    assert lines and "codebench anonymise join" in lines[0], report.lines()
    assert not any(name in line for line in report.lines() for name in NAMES)
