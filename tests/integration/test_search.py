"""Text search through the services on real SQLite projects: the index, filters, privacy, coding the hits."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from codebench import services
from codebench.services import anonymisation
from tests.conftest import REPO, review_everything

HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"

VEILEDER = (
    "I: Hvordan jobber du med mentorer?\n\n"
    "R: Mentortilskudd er viktig. Kari Nordmann sa at tillit tar tid.\n\n"
    "I: Hva med Ålesund?\n\n"
    "R: Vi har lønnstilskudd der, og tillitsvalgte. Kari Nordmann igjen.\n"
)
MENTOR = (
    "Intervjuer: Hva gjør en god mentor?\n\n"
    "Informant: En god mentor har tid. Tillit er alt, sier jeg.\n"
)


@pytest.fixture(scope="module")
def study_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two interviews: a caseworker (round 1) and a mentor (round 2), and the hybrid codebook (built once)."""
    folder = tmp_path_factory.mktemp("search") / "study"
    project = services.init_project(folder)
    try:
        for name, text, spec in (
            ("v01.txt", VEILEDER, services.ParticipantSpec(pid="V01", role="veileder", round=1)),
            ("m01.txt", MENTOR, services.ParticipantSpec(pid="M01", role="mentor", round=2)),
        ):
            path = folder.parent / name
            path.write_text(text, encoding="utf-8")
            assert not services.import_files(project, [path], spec).errors
        services.load_codebook(project, HYBRID)
    finally:
        project.close()
    return folder


@pytest.fixture
def study(study_template: Path, tmp_path: Path) -> Iterator[services.Project]:
    """A copy of the two-interview study this test may change."""
    shutil.copytree(study_template, tmp_path / "study")
    project = services.open_project(tmp_path / "study")
    yield project
    project.close()


def words(result: services.SearchResult) -> list[str]:
    return [h.match for h in result.hits]


def test_words_prefixes_and_phrases_are_found_in_the_stored_text(study):
    result = services.search(study, "tillit*")
    assert words(result) == ["tillit", "tillitsvalgte", "Tillit"]
    text = services.get_document(study, "v01").text
    first = result.hits[0]
    assert text[first.start:first.end] == "tillit"
    assert (first.document, first.role, first.round, first.turn, first.speaker, first.side) == (
        "v01", "veileder", 1, 2, "R", "informant")
    assert first.left.endswith("sa at ") and first.right.startswith(" tar tid")
    assert words(services.search(study, "mentor*")) == ["mentorer", "Mentortilskudd", "mentor", "mentor"]
    assert words(services.search(study, '"god mentor"')) == ["god mentor", "god mentor"]
    assert words(services.search(study, "*tilskudd")) == ["Mentortilskudd", "lønnstilskudd"]
    assert words(services.search(study, "alesund")) == ["Ålesund"]


def test_filters_narrow_the_hits(study):
    assert words(services.search(study, "tillit* role:mentor")) == ["Tillit"]
    assert words(services.search(study, "tillit* round:1")) == ["tillit", "tillitsvalgte"]
    assert words(services.search(study, "mentor* doc:M01")) == ["mentor", "mentor"]
    assert words(services.search(study, "mentor* speaker:interviewer")) == ["mentorer", "mentor"]
    assert words(services.search(study, "mentor* speaker:informant")) == ["Mentortilskudd", "mentor"]
    flags = services.QueryFilters(roles=("veileder",))
    assert words(services.search(study, "mentor*", filters=flags)) == ["mentorer", "Mentortilskudd"]


def test_only_uncoded_text_and_only_inside_a_code(study):
    text = services.get_document(study, "m01").text
    start = text.index("En god mentor")
    services.apply_code(study, "m01", start, start + len("En god mentor har tid."), "god mentor", "ingrid")
    assert words(services.search(study, "mentor in:\"god mentor\"")) == ["mentor"]
    assert [h.turn for h in services.search(study, "mentor is:uncoded").hits] == [1]
    # Only some coders' codings count when asked.
    assert len(services.search(study, "mentor is:uncoded", coded_by=["per"]).hits) == 2
    with pytest.raises(services.ServiceError, match="no code or category called 'finnes ikke'"):
        services.search(study, 'mentor in:"finnes ikke"')


def test_a_bad_query_or_filter_is_one_clear_message(study):
    with pytest.raises(services.ServiceError, match="no closing"):
        services.search(study, '"god mentor')
    with pytest.raises(services.ServiceError, match="unknown role"):
        services.search(study, "mentor role:kokk")
    with pytest.raises(services.ServiceError, match="doc:X99 names no document"):
        services.search(study, "mentor doc:X99")


def test_the_index_follows_every_change_of_the_text(study):
    """What an edit of a turn does to the database (issue #17 part 2) is picked up by the triggers."""
    doc = services.get_document(study, "m01")
    with study.engine.begin() as db:  # the project's own connections: foreign keys on, as always
        # An edit that keeps the turns' offsets: only the document's text changes.
        new_text = doc.text.replace("Tillit er alt", "Ansvar er alt")
        db.exec_driver_sql("UPDATE documents SET text = ? WHERE id = ?", (new_text, doc.info.id))
    assert words(services.search(study, "tillit* doc:M01")) == []
    assert words(services.search(study, "ansvar")) == ["Ansvar"]
    gone = services.get_document(study, "v01").info.id
    with study.engine.begin() as db:
        # A turn that moves is re-indexed from the text; a deleted document leaves the index.
        db.exec_driver_sql("UPDATE turns SET body_start = body_start + 3 WHERE document_id = ? AND seq = 1", (doc.info.id,))
        db.exec_driver_sql("DELETE FROM documents WHERE id = ?", (gone,))
    assert words(services.search(study, "mentor*")) == ["mentor", "mentor"]
    assert words(services.search(study, '"en god"')) == ["en god"]  # the informant's turn lost "En "
    with study.engine.connect() as db:
        indexed = db.exec_driver_sql("SELECT count(*) FROM search_turns").scalar()
        turns = db.exec_driver_sql("SELECT count(*) FROM turns").scalar()
    assert indexed == turns == 2


def test_merging_a_coders_copy_indexes_the_documents_it_brings(study, tmp_path):
    shutil.copytree(study.root, tmp_path / "ingrid")
    copy = services.open_project(tmp_path / "ingrid")
    extra = tmp_path / "a01.txt"
    extra.write_text("I: Og arbeidsgiveren?\n\nR: Lederstøtte betyr mye her.\n", encoding="utf-8")
    services.import_files(copy, [extra])
    copy.close()
    services.merge_projects(study, [tmp_path / "ingrid"])
    assert words(services.search(study, "lederstøtte")) == ["Lederstøtte"]


def test_coding_all_hits_is_one_operation_undo_takes_back(study):
    result = services.search(study, "tillit*")
    coded = services.code_hits(study, result.hits, "tillit som tema", "ingrid", widen_to="sentence", query="tillit*")
    assert (coded.added, coded.created, coded.widen) == (3, True, "sentence")
    quotes = sorted(q.text for q in services.quotes(study, code="tillit som tema"))
    assert quotes == ["Kari Nordmann sa at tillit tar tid.", "Tillit er alt, sier jeg.",
                      "Vi har lønnstilskudd der, og tillitsvalgte."]
    entry = services.audit_log(study, 1)[0]
    assert entry.action == "code_hits" and entry.payload["query"] == "tillit*" and len(entry.payload["codings"]) == 3
    message = services.describe_operation(entry, study)
    assert message == "coding of 3 search hits in 2 documents as «tillit som tema» (a new code) (widened to sentence)"
    # Coding the same hits again adds nothing.
    again = services.code_hits(study, result.hits, "tillit som tema", "ingrid")
    assert (again.added, again.already) == (0, 3)
    services.undo(study, "ingrid")  # the empty second operation
    undone = services.undo(study, "ingrid")
    assert undone is not None and undone.action == "code_hits"
    assert services.codings(study) == []
    assert "tillit som tema" not in {c.name for c in services.code_tree(study)}
    services.redo(study, "ingrid")
    assert len(services.quotes(study, code="tillit som tema")) == 3


def test_hits_widen_to_their_words_or_their_turn(study):
    hits = services.search(study, "/tillitsv/").hits
    services.code_hits(study, hits, "tillit", "ingrid", widen_to="word", create="open")
    services.code_hits(study, services.search(study, "mentor doc:M01 speaker:informant").hits, "god mentor", "ingrid", widen_to="turn")
    assert sorted(q.text for q in services.quotes(study)) == ["En god mentor har tid. Tillit er alt, sier jeg.",
                                                               "tillitsvalgte"]


def test_hits_of_a_changed_transcript_are_not_coded(study):
    hits = services.search(study, "tillit").hits
    with study.engine.begin() as db:
        db.exec_driver_sql("UPDATE documents SET sha256 = 'endret' WHERE name = 'v01'")
    with pytest.raises(services.ServiceError, match="changed .* since the search"):
        services.code_hits(study, hits, "tillit", "ingrid")
    assert services.codings(study) == []


def test_a_search_is_saved_with_its_query_and_options(study):
    nordic = services.MatchOptions(nordic=True)
    services.save_search(study, "tillit blant mentorer", "tillit*", options=nordic,
                         filters=services.QueryFilters(roles=("mentor",)), coder="ingrid", hits=1)
    (saved,) = services.saved_searches(study)
    assert (saved.name, saved.query, saved.hits, saved.coder) == ("tillit blant mentorer", "tillit* role:mentor", 1, "ingrid")
    assert saved.describe() == "tillit* role:mentor (å=aa ø=oe æ=ae)"
    again = services.run_saved_search(study, "tillit blant mentorer")
    assert again.options == nordic and words(again) == ["Tillit"]
    services.forget_search(study, "tillit blant mentorer", "ingrid")
    assert services.saved_searches(study) == []
    assert [e.action for e in services.audit_log(study, 2)] == ["search_forget", "search_save"]


# -- what a coder may see ----------------------------------------------------------------------------


@pytest.fixture
def anonymised(study: services.Project) -> services.Project:
    """The study with its names detected and accepted; only ingrid may see original names."""
    anonymisation.add_name(study, "Kari Nordmann", coder="ingrid")
    review_everything(study)
    anonymisation.set_original_viewer(study, "ingrid", True)
    return study


def test_a_coder_who_may_not_see_names_finds_no_original_name_and_is_told_why(anonymised):
    found = services.search(anonymised, "Kari", coder="per")
    absent = services.search(anonymised, "Bjørnulf", coder="per")  # a name that occurs nowhere
    assert found.hits == [] and found.anonymised
    assert "coder 'per' may not see original names" in (found.note or "")
    # The answer does not depend on whether the name is in the original text.
    assert (found.note, found.complete) == (absent.note, absent.complete)
    pseudonym = services.search(anonymised, "tillit", coder="per").hits[0].left
    assert "Kari" not in pseudonym and "[" in pseudonym


def test_a_pseudonym_is_found_whole_in_the_anonymised_text(anonymised):
    shown = services.search(anonymised, "tillit", coder="per").hits[0]
    pseudonym = shown.left[shown.left.index("["):shown.left.index("]") + 1]
    result = services.search(anonymised, pseudonym, coder="per")
    assert [h.match for h in result.hits] == [pseudonym.strip("[]")] * 2
    text = services.get_document(anonymised, "v01").text
    assert {text[h.start:h.end] for h in result.hits} == {"Kari Nordmann"}  # the place in the original
    word = pseudonym.strip("[]").split()[0]
    assert services.search(anonymised, word.lower(), coder="per").hits == []  # not by a word of it alone


def test_a_renamed_pseudonym_shows_in_the_next_search(anonymised):
    before = services.search(anonymised, "tillit", coder="per").hits[0].left
    pseudonym = before[before.index("["):before.index("]") + 1]
    anonymisation.rename_entity(anonymised, pseudonym, "[Kollega K]", coder="ingrid")
    after = services.search(anonymised, "tillit", coder="per").hits[0].left
    assert "[Kollega K]" in after and pseudonym not in after
    assert [h.match for h in services.search(anonymised, "[Kollega K]", coder="per").hits] == ["Kollega K"] * 2


def test_an_allowed_coder_searches_the_original_only_when_asking(anonymised):
    assert services.search(anonymised, "Kari", coder="ingrid").hits == []
    assert [h.match for h in services.search(anonymised, "Kari", coder="ingrid", original=True).hits] == ["Kari", "Kari"]
    with pytest.raises(services.ServiceError, match="may not see original names"):
        services.search(anonymised, "Kari", coder="per", original=True)


def test_a_saved_query_naming_someone_is_shown_anonymised(anonymised):
    services.save_search(anonymised, "om Kari", '"Kari Nordmann" tillit', coder="ingrid")
    (theirs,) = services.saved_searches(anonymised, coder="per")
    assert "Kari" not in theirs.query and theirs.name == "om Kari"
    (mine,) = services.saved_searches(anonymised, coder="ingrid", original=True)
    assert mine.query == '"Kari Nordmann" tillit'


def test_an_old_project_gets_its_index_on_upgrade(tmp_path):
    from alembic import command

    from codebench.storage import db as storage_db

    old = services.init_project(tmp_path / "old")
    path = tmp_path / "m.txt"
    path.write_text(MENTOR, encoding="utf-8")
    services.import_files(old, [path])
    with old.engine.begin() as connection:
        command.downgrade(storage_db._alembic_config(connection), "0002")
        assert connection.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'search_turns'").scalar() == 0
    old.close()
    upgraded = services.open_project(tmp_path / "old")
    try:
        assert upgraded.backup is not None
        assert words(services.search(upgraded, "tillit")) == ["Tillit"]
        later = tmp_path / "v.txt"  # the triggers came with the index: what is imported next is found too
        later.write_text(VEILEDER, encoding="utf-8")
        services.import_files(upgraded, [later])
        assert words(services.search(upgraded, "tillit")) == ["Tillit", "tillit"]
    finally:
        upgraded.close()
