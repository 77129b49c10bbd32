"""Correcting a transcript: codings follow, overlapping ones are flagged, nothing is lost, undo takes it back."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.domain.records import text_sha256
from codebench.errors import ServiceError

TEXT = (
    "I: Hvordan ble du mentor?\n\n"
    "R: Jeg snakket med Lishagen om grønsene, og så sa jeg ja til det med en gang.\n\n"
    "I: Hvor mye tid har du?\n\n"
    "R: Altfor lite tid, det er tidspress hele veien.\n"
)


@pytest.fixture
def study(project: services.Project, tmp_path: Path) -> services.Project:
    path = tmp_path / "m01.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert not services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1)).errors
    return project


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _codings(project: services.Project) -> dict[str, services.CodedSpanView]:
    return {c.code: c for c in services.document_codings(project, 1)}


def test_an_edit_moves_codings_outside_it_and_flags_the_one_it_overlaps(study):
    text = services.get_document(study, 1).text
    services.apply_code(study, 1, *_span(text, "sa jeg ja"), "ja", "ingrid")
    services.apply_code(study, 1, *_span(text, "med Lishagen"), "navn", "ingrid")
    services.apply_code(study, 1, *_span(text, "tidspress hele veien"), "tidspress", "per")
    before_hash = services.get_document(study, 1).info.sha256

    report = services.edit_turn(study, 1, 2, coder="ingrid", text=(
        "Jeg snakket med Lieshagen om grensene, og så sa jeg ja til det med en gang."), use_model=False)

    doc = services.get_document(study, 1)
    assert "Lieshagen om grensene" in doc.text and doc.info.sha256 == text_sha256(doc.text) != before_hash
    assert report.pieces == 2 and report.shifted == 2
    found = _codings(study)
    assert doc.text[found["ja"].start:found["ja"].end] == "sa jeg ja" and found["ja"].flag is None
    assert doc.text[found["tidspress"].start:found["tidspress"].end] == "tidspress hele veien"
    assert found["tidspress"].flag is None
    assert doc.text[found["navn"].start:found["navn"].end] == "med Lieshagen" and found["navn"].flag == "edited"
    assert [(i.code, i.flag) for i in report.flagged] == [("navn", "edited")]
    # Every coding now names the text it lies on, and quotes are the new words.
    assert {c.text_sha256 for c in services.codings(study, 1)} == {doc.info.sha256}
    quotes = {q.code: q.text for q in services.quotes(study)}
    assert quotes["navn"] == "med Lieshagen"
    # The turns after the edit moved with it.
    assert doc.text[doc.turns[3].body_start:doc.turns[3].end] == "Altfor lite tid, det er tidspress hele veien."


def test_undo_brings_back_the_text_its_hash_and_every_coding_exactly_and_redo_does_it_again(study):
    text = services.get_document(study, 1).text
    before = {c.uuid: (c.start, c.end, c.flag) for c in [
        services.apply_code(study, 1, *_span(text, "med Lishagen"), "navn", "ingrid"),
        services.apply_code(study, 1, *_span(text, "tidspress"), "tidspress", "ingrid"),
    ]}
    services.edit_turn(study, 1, 2, coder="ingrid", text="Jeg sa ja.", use_model=False)
    assert services.get_document(study, 1).text != text

    entry = services.undo(study, "ingrid")
    assert entry is not None and entry.action == "edit_text"
    assert services.get_document(study, 1).text == text
    assert services.get_document(study, 1).info.sha256 == text_sha256(text)
    assert {c.uuid: (c.start, c.end, c.flag) for c in services.codings(study, 1)} == before

    services.redo(study, "ingrid")
    doc = services.get_document(study, 1)
    assert "R: Jeg sa ja.\n" in doc.text
    flagged = {i.code: i.flag for i in services.flagged_codings(study)}
    assert flagged == {"navn": "deleted"}  # its words are gone: kept on the word beside them
    history = services.document_revisions(study, 1)
    assert [r.kind for r in history] == ["edit", "undo", "redo"]
    assert history[0].before_sha256 == text_sha256(text) and history[0].after_sha256 == history[1].before_sha256


def test_the_revision_history_rebuilds_every_earlier_version(study):
    from codebench.domain.editing import apply_pieces, invert_pieces

    original = services.get_document(study, 1).text
    services.edit_turn(study, 1, 2, coder="ingrid", text="Jeg snakket med Lieshagen om grensene.", use_model=False)
    services.edit_turn(study, 1, 4, coder="per", text="Alt for lite tid.", use_model=False)
    current = services.get_document(study, 1).text
    versions = [current]
    for revision in reversed(services.document_revisions(study, 1)):
        versions.insert(0, apply_pieces(versions[0], invert_pieces(revision.pieces)))
        assert text_sha256(versions[0]) == revision.before_sha256
    assert versions[0] == original


def test_speaker_label_and_turn_times_are_edited_and_undone(study):
    original = services.get_document(study, 1).text
    services.edit_turn(study, 1, 2, coder="ingrid", speaker="Kari", t_start=12.5, t_end=20.0, use_model=False)
    doc = services.get_document(study, 1)
    turn = doc.turns[1]
    assert (turn.speaker, turn.t_start, turn.t_end) == ("Kari", 12.5, 20.0)
    assert doc.text[turn.start:turn.body_start] == "Kari: "
    with pytest.raises(ServiceError, match="before it starts"):
        services.edit_turn(study, 1, 2, coder="ingrid", t_end=3.0)
    services.undo(study, "ingrid")
    turn = services.get_document(study, 1).turns[1]
    assert (turn.speaker, turn.t_start, turn.t_end) == ("R", None, None)
    assert services.get_document(study, 1).text == original


def test_an_edit_is_refused_clearly(study):
    with pytest.raises(ServiceError, match="no turn 9"):
        services.edit_turn(study, 1, 9, coder="ingrid", text="x")
    with pytest.raises(ServiceError, match="empty"):
        services.edit_turn(study, 1, 2, coder="ingrid", text="   ")
    with pytest.raises(ServiceError, match="empty line"):
        services.edit_turn(study, 1, 2, coder="ingrid", text="to\n\nturer")
    with pytest.raises(ServiceError, match="inside one turn"):
        services.edit_span(study, 1, 0, 40, "x", coder="ingrid")


def test_a_coder_who_may_not_see_originals_may_not_edit(study):
    services.anonymisation.set_original_viewer(study, "ingrid", True)
    with pytest.raises(ServiceError, match="may not see original names"):
        services.edit_turn(study, 1, 2, coder="per", text="Jeg sa ja.")


def test_mentions_follow_an_edit_and_the_edited_turn_is_searched_for_names(study):
    services.anonymisation.detect(study, use_model=False)
    text = services.get_document(study, 1).text
    services.anonymisation.add_mention(study, 1, *_span(text, "Lishagen"), coder="ingrid")
    services.edit_turn(study, 1, 2, coder="ingrid", use_model=False,
                       text="Jeg snakket med Lieshagen om grensene, og så sa Kari Nordmann ja til det med en gang.")
    doc = services.get_document(study, 1)
    with study.transaction(write=False) as store:
        mentions = store.anonymisation.mentions([1])
    surfaces = {doc.text[m.start:m.end]: m.status for m in mentions}
    assert surfaces.get("Lieshagen") == "manual"  # the name under the edit is still masked
    assert "Kari Nordmann" in surfaces  # found in the edited turn, waiting for review
    state = services.anonymisation.anonymisation_state(study)
    assert not state.unsearched  # the edited text counts as searched: its changed turn was


def test_cli_edit_with_text_stdin_and_editor_and_flagged_check(study, tmp_path):
    runner = CliRunner()
    folder = str(study.root)
    text = services.get_document(study, 1).text
    coding = services.apply_code(study, 1, *_span(text, "med Lishagen"), "navn", "ingrid")
    result = runner.invoke(main, ["edit", folder, "1", "--turn", "2", "--coder", "ingrid", "--no-detect",
                                  "--text", "Jeg snakket med Lieshagen om grensene."])
    assert result.exit_code == 0, result.output
    assert "1 coding(s) to check" in result.output and coding.uuid[:8] in result.output

    result = runner.invoke(main, ["edit", folder, "1", "--turn", "4", "--coder", "ingrid", "--no-detect",
                                  "--text", "-"], input="Altfor lite tid.\n")
    assert result.exit_code == 0, result.output
    assert "R: Altfor lite tid.\n" in services.get_document(study, 1).text

    editor = tmp_path / "editor.py"
    editor.write_text("import sys\np = sys.argv[1]\ns = open(p).read().replace('Hvor mye', 'Hvor mykje')\n"
                      "open(p, 'w').write(s)\n", encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    result = runner.invoke(main, ["edit", folder, "1", "--turn", "3", "--coder", "ingrid", "--no-detect"],
                           env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert result.exit_code == 0, result.output
    assert "I: Hvor mykje tid har du?" in services.get_document(study, 1).text

    result = runner.invoke(main, ["flagged", folder])
    assert result.exit_code == 0 and coding.uuid[:8] in result.output and "edited" in result.output
    result = runner.invoke(main, ["flagged", folder, "--check", coding.uuid, "--coder", "per"])
    assert result.exit_code == 1 and "its coder checks it" in result.output
    result = runner.invoke(main, ["flagged", folder, "--check", coding.uuid, "--coder", "ingrid"])
    assert result.exit_code == 0, result.output
    assert services.flagged_codings(study) == []
    result = runner.invoke(main, ["edit", folder, "1", "--turn", "2", "--coder", "ingrid", "--start-time", "1:05"])
    assert result.exit_code == 0 and services.get_document(study, 1).turns[1].t_start == 65.0
    result = runner.invoke(main, ["edit", folder, "1", "--turn", "2", "--coder", "ingrid", "--start-time", "kl 3"])
    assert result.exit_code == 1 and "not a time" in result.output


def test_reimporting_a_corrected_file_realigns_codings_and_reports_the_ones_not_placed(study, tmp_path):
    text = services.get_document(study, 1).text
    kept = services.apply_code(study, 1, *_span(text, "tidspress hele veien"), "tidspress", "ingrid")
    changed = services.apply_code(study, 1, *_span(text, "med Lishagen"), "navn", "ingrid")
    gone = services.apply_code(study, 1, *_span(text, "med en gang"), "fort", "per")
    corrected = tmp_path / "rettet" / "m01.txt"
    corrected.parent.mkdir()
    corrected.write_text(TEXT.replace("Lishagen", "Lieshagen").replace(" med en gang", ""), encoding="utf-8")

    result = CliRunner().invoke(main, ["import", str(study.root), str(corrected), "--coder", "ingrid"])
    assert result.exit_code == 0, result.output
    assert "re-imported" in result.output and "same file name" in result.output
    assert f"not placed: {gone.uuid[:8]}" in result.output
    assert [d.id for d in services.list_documents(study)] == [1]  # over the document, not beside it
    doc = services.get_document(study, 1)
    found = {c.uuid: c for c in services.codings(study, 1)}
    assert doc.text[found[kept.uuid].start:found[kept.uuid].end] == "tidspress hele veien"
    assert found[kept.uuid].flag is None
    assert found[changed.uuid].flag == "realigned"
    assert gone.uuid not in found
    services.undo(study, "ingrid")
    assert services.get_document(study, 1).text == text
    assert {c.uuid for c in services.codings(study, 1)} == {kept.uuid, changed.uuid, gone.uuid}


def test_a_different_interview_under_the_same_file_name_is_a_new_document(study, tmp_path):
    other = tmp_path / "annen" / "m01.txt"
    other.parent.mkdir()
    other.write_text("I: Hva jobber du med?\n\nR: Jeg er kokk på et hotell ved kaia, og liker det godt.\n",
                     encoding="utf-8")
    report = services.import_files(study, [other])
    assert not report.replaced and len(report.added) == 1


def test_replaces_names_the_document_a_file_corrects(study, tmp_path):
    renamed = tmp_path / "korrigert.txt"
    renamed.write_text(TEXT.replace("grønsene", "grensene"), encoding="utf-8")
    report = services.import_files(study, [renamed], replaces="1", coder="ingrid")
    assert not report.errors and [r.document.id for r in report.replaced] == [1]
    assert "grensene" in services.get_document(study, 1).text
    report = services.import_files(study, [renamed, renamed], replaces="1")
    assert report.errors and "exactly one file" in report.errors[0]


def test_a_recording_beside_a_timed_transcript_is_linked_and_media_links_another(project, tmp_path):
    vtt = tmp_path / "intervju.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n<v S01>Hei og velkommen.\n\n"
                   "00:02.000 --> 00:04.000\n<v S02>Takk.\n", encoding="utf-8")
    audio = tmp_path / "intervju.m4a"
    audio.write_bytes(b"not really audio")
    report = services.import_files(project, [vtt])
    assert report.linked == [(1, str(audio.resolve()))]
    assert services.media_of(project, 1).path == str(audio.resolve())
    other = tmp_path / "annet.wav"
    other.write_bytes(b"RIFF")
    runner = CliRunner()
    result = runner.invoke(main, ["media", str(project.root), "1", str(other)])
    assert result.exit_code == 0 and services.media_of(project, 1).path == str(other.resolve())
    result = runner.invoke(main, ["media", str(project.root), "1", str(tmp_path / "borte.wav")])
    assert result.exit_code == 1 and "no such file" in result.output
    result = runner.invoke(main, ["media", str(project.root), "1", "--remove"])
    assert result.exit_code == 0 and services.media_of(project, 1) is None


@pytest.mark.postgres
def test_an_edit_and_its_undo_on_postgres(pg_project: services.Project, tmp_path: Path):
    project = pg_project
    path = tmp_path / "m01.txt"
    path.write_text(TEXT, encoding="utf-8")
    services.import_files(project, [path])
    services.anonymisation.detect(project, use_model=False)
    text = services.get_document(project, 1).text
    services.anonymisation.add_mention(project, 1, *_span(text, "Lishagen"), coder="ingrid")
    services.apply_code(project, 1, *_span(text, "med Lishagen"), "navn", "ingrid")
    services.apply_code(project, 1, *_span(text, "tidspress"), "tidspress", "ingrid")
    services.edit_turn(project, 1, 2, coder="ingrid", text="Jeg snakket med Lieshagen om grensene.", use_model=False)
    doc = services.get_document(project, 1)
    assert {c.code: doc.text[c.start:c.end] for c in services.document_codings(project, 1)} == {
        "navn": "med Lieshagen", "tidspress": "tidspress"}
    services.undo(project, "ingrid")
    assert services.get_document(project, 1).text == text
    assert {c.code: text[c.start:c.end] for c in services.document_codings(project, 1)} == {
        "navn": "med Lishagen", "tidspress": "tidspress"}


def test_a_corrected_file_saved_with_another_ending_is_recognised(study, tmp_path):
    """noScribe's editor saves HTML beside the VTT it was made from: the same name, another ending."""
    corrected = tmp_path / "ut" / "m01.md"
    corrected.parent.mkdir()
    corrected.write_text(TEXT.replace("grønsene", "grensene"), encoding="utf-8")
    report = services.import_files(study, [corrected], coder="ingrid")
    assert [r.document.id for r in report.replaced] == [1] and not report.added


def test_a_speaker_given_to_a_turn_without_one_becomes_its_label(project, tmp_path):
    path = tmp_path / "notat.txt"
    path.write_text("Første avsnitt uten navn.\n\nAndre avsnitt, også uten.\n", encoding="utf-8")
    services.import_files(project, [path])
    services.edit_turn(project, 1, 2, coder="ingrid", speaker="Kari", text="Nå med ord foran: andre avsnitt.")
    doc = services.get_document(project, 1)
    turn = doc.turns[1]
    assert doc.text[turn.start:turn.body_start] == "Kari: "
    assert doc.text[turn.body_start:turn.end] == "Nå med ord foran: andre avsnitt."
    assert doc.text[doc.turns[0].start:doc.turns[0].end] == "Første avsnitt uten navn."


def test_the_search_index_follows_an_edit_its_undo_and_a_corrected_file(study, tmp_path):
    def found(word: str) -> int:
        return len(services.search(study, word, coder="ingrid", original=True).hits)

    assert found("Lishagen") == 1 and found("Lieshagen") == 0
    services.edit_turn(study, 1, 2, coder="ingrid", text="Jeg snakket med Lieshagen om grensene.", use_model=False)
    assert found("Lishagen") == 0 and found("Lieshagen") == 1 and found("tidspress") == 1
    services.undo(study, "ingrid")
    assert found("Lishagen") == 1 and found("Lieshagen") == 0
    corrected = tmp_path / "ny" / "m01.txt"
    corrected.parent.mkdir()
    corrected.write_text(TEXT.replace("Lishagen", "Lieshagen") + "\nI: Takk for praten.\n\nR: Bare hyggelig.\n",
                         encoding="utf-8")
    services.import_files(study, [corrected], coder="ingrid")
    assert found("Lieshagen") == 1 and found("hyggelig") == 1 and found("Lishagen") == 0


def test_a_name_lengthened_by_an_edit_is_masked_whole(project, tmp_path):
    """'Kari' corrected to 'Kari Hansen': the open suggestion gives way, an accepted one grows over the surname."""
    path = tmp_path / "m.txt"
    path.write_text("I: Hvem spurte deg?\n\nR: Det var Kari som spurte, og så sa jeg ja.\n\nI: Og så?\n\n"
                    "R: Så sa Kari at det gikk fint.\n", encoding="utf-8")
    services.import_files(project, [path])
    services.anonymisation.detect(project, use_model=False)

    def mentions() -> list[tuple[str, str]]:
        text = services.get_document(project, 1).text
        with project.transaction(write=False) as store:
            return sorted((text[m.start:m.end], m.status) for m in store.anonymisation.mentions([1]))

    assert mentions() == [("Kari", "suggested"), ("Kari", "suggested")]
    services.edit_turn(project, 1, 2, coder="ingrid", use_model=False,
                       text="Det var Kari Hansen som spurte, og så sa jeg ja.")
    assert mentions() == [("Kari", "suggested"), ("Kari Hansen", "suggested")]
    with project.transaction(write=False) as store:
        ids = [m.id for m in store.anonymisation.mentions([1])]
    services.anonymisation.decide(project, "accept", mentions=ids, coder="ingrid")
    services.edit_turn(project, 1, 4, coder="ingrid", use_model=False, text="Så sa Kari Hansen at det gikk fint.")
    assert mentions() == [("Kari Hansen", "accepted"), ("Kari Hansen", "accepted")]
    rendition = services.anonymisation.rendition(project, 1)
    assert "Hansen" not in rendition.text


def test_a_speaker_is_renamed_in_every_turn_at_once_as_one_undoable_revision(study):
    text = services.get_document(study, 1).text
    said = services.apply_code(study, 1, *_span(text, "tidspress hele veien"), "tidspress", "ingrid")
    services.set_coding_memo(study, said.uuid, "Tid går igjen hos alle", "ingrid")
    # A passage over two turns holds a label: the label changes, the words said do not.
    across = services.apply_code(study, 1, *_span(text, "Hvor mye tid har du?\n\nR: Altfor lite tid"), "tid", "per")
    revisions = len(services.document_revisions(study, 1))

    report = services.rename_speaker(study, 1, "R", "Informant", coder="ingrid", use_model=False)

    doc = services.get_document(study, 1)
    assert report.renamed == 2 and not report.flagged
    assert [t.speaker for t in doc.turns] == ["I", "Informant", "I", "Informant"]
    assert all(doc.text[t.start:t.body_start] == f"{t.speaker}: " for t in doc.turns)
    found = {c.uuid: c for c in services.codings(study, 1)}
    assert doc.text[found[said.uuid].start:found[said.uuid].end] == "tidspress hele veien"
    assert doc.text[found[across.uuid].start:found[across.uuid].end] == "Hvor mye tid har du?\n\nInformant: Altfor lite tid"
    assert found[said.uuid].memo == "Tid går igjen hos alle" and {c.flag for c in found.values()} == {None}
    history = services.document_revisions(study, 1)
    assert len(history) == revisions + 1 and history[-1].kind == "speaker" and history[-1].author == "ingrid"
    entry = services.audit_log(study, limit=1)[0]
    assert entry.action == "edit_text" and services.describe_operation(entry, study) == \
        "speaker renamed in 2 turns of M01 mentor runde 1"

    services.undo(study, "ingrid")
    assert services.get_document(study, 1).text == text
    assert {c.uuid: (c.start, c.end, c.flag) for c in services.codings(study, 1)} == {
        said.uuid: (*_span(text, "tidspress hele veien"), None),
        across.uuid: (*_span(text, "Hvor mye tid har du?\n\nR: Altfor lite tid"), None)}
    services.redo(study, "ingrid")
    assert services.get_document(study, 1).text == doc.text
    assert {c.flag for c in services.codings(study, 1)} == {None}
    with pytest.raises(ServiceError, match="no turn whose speaker is 'R'"):
        services.rename_speaker(study, 1, "R", "X", coder="ingrid")
    with pytest.raises(ServiceError, match="colon"):
        services.rename_speaker(study, 1, "I", "Intervjuer: Kari", coder="ingrid")


def test_a_persons_name_given_to_a_speaker_stays_out_of_anonymised_output(study):
    from tests.conftest import review_everything

    review_everything(study)
    report = services.rename_speaker(study, 1, "R", "Kari Nordmann", coder="ingrid", use_model=False)
    # Like a name typed into the text: a suggestion to review, and anonymised exports wait for it.
    assert report.mentions_found >= 1
    assert not services.anonymisation.anonymisation_state(study).anonymised
    with pytest.raises(ServiceError):
        services.anonymisation.require_exportable(study)
    review_everything(study)
    shown = services.anonymisation.rendition(study, 1).text
    assert "Kari" not in shown and "Nordmann" not in shown and shown.count("[Mentor 1]: ") == 2  # the informant
    text = services.get_document(study, 1).text
    services.apply_code(study, 1, *_span(text, "tidspress hele veien"), "tidspress", "ingrid")
    [quote] = services.anonymisation.anonymise_quotes(study, services.quotes(study))
    assert "Kari" not in (quote.speaker or "") and "Nordmann" not in (quote.speaker or "")


def test_a_change_of_turn_times_alone_is_a_revision_too(study):
    before = services.get_document(study, 1)
    report = services.edit_turn(study, 1, 2, coder="ingrid", t_start=12.5, t_end=20.0)
    assert not report.changed and report.revision is not None
    [revision] = services.document_revisions(study, 1)
    assert (revision.kind, revision.turn_seq, revision.author, revision.pieces) == ("edit", 1, "ingrid", ())
    assert revision.before_sha256 == revision.after_sha256 == before.info.sha256
    assert (revision.turns_before[1].t_start, revision.turns_before[1].t_end) == (None, None)
    services.undo(study, "ingrid")
    assert services.get_document(study, 1).turns[1].t_start is None
    assert [r.kind for r in services.document_revisions(study, 1)] == ["edit", "undo"]


def test_cli_rename_speaker_names_no_name(study):
    result = CliRunner().invoke(main, ["rename-speaker", str(study.root), "1", "R", "Kari Nordmann", "--coder", "ingrid"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("document 1: speaker renamed in 2 turn(s)") and "Kari" not in result.output
    assert [t.speaker for t in services.get_document(study, 1).turns] == ["I", "Kari Nordmann", "I", "Kari Nordmann"]
    result = CliRunner().invoke(main, ["rename-speaker", str(study.root), "1", "R", "X", "--coder", "ingrid"])
    assert result.exit_code == 1 and "no turn whose speaker is 'R'" in result.output


@pytest.mark.postgres
def test_a_speaker_rename_and_a_change_of_times_on_postgres(pg_project: services.Project, tmp_path: Path):
    project = pg_project
    path = tmp_path / "m01.txt"
    path.write_text(TEXT, encoding="utf-8")
    services.import_files(project, [path])
    text = services.get_document(project, 1).text
    coded = services.apply_code(project, 1, *_span(text, "tidspress"), "tidspress", "ingrid")
    services.edit_turn(project, 1, 4, coder="ingrid", t_start=30.0)
    services.rename_speaker(project, 1, "R", "Informant", coder="ingrid", use_model=False)
    doc = services.get_document(project, 1)
    assert [r.kind for r in services.document_revisions(project, 1)] == ["edit", "speaker"]
    assert [t.speaker for t in doc.turns] == ["I", "Informant", "I", "Informant"] and doc.turns[3].t_start == 30.0
    [found] = services.codings(project, 1)
    assert doc.text[found.start:found.end] == "tidspress" and found.uuid == coded.uuid and found.flag is None
    services.undo(project, "ingrid")
    services.undo(project, "ingrid")
    doc = services.get_document(project, 1)
    assert doc.text == text and doc.turns[3].t_start is None


def test_a_corrected_file_does_not_drop_a_coding_with_a_memo_unless_told(study, tmp_path):
    text = services.get_document(study, 1).text
    gone = services.apply_code(study, 1, *_span(text, "med en gang"), "fort", "per")
    services.set_coding_memo(study, gone.uuid, "Svarer fort: ingen tvil", "per")
    corrected = tmp_path / "rettet" / "m01.txt"
    corrected.parent.mkdir()
    corrected.write_text(TEXT.replace(" med en gang", ""), encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(main, ["import", str(study.root), str(corrected), "--coder", "ingrid"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"codebench: m01.txt: the corrected text no longer has the words of 1 coding(s) that carry a memo: "
                     f"{gone.uuid[:8]} «fort» (per); --drop-memos removes them with their memos (undo brings them back); "
                     "nothing was imported"], lines
    assert services.get_document(study, 1).text == text and services.document_revisions(study, 1) == []
    assert [c.memo for c in services.codings(study, 1)] == ["Svarer fort: ingen tvil"]

    result = runner.invoke(main, ["import", str(study.root), str(corrected), "--coder", "ingrid", "--drop-memos"])
    assert result.exit_code == 0, result.output
    assert f"not placed: {gone.uuid[:8]}" in result.output and "removed with its memo" in result.output
    assert services.codings(study, 1) == []
    services.undo(study, "ingrid")
    assert [c.memo for c in services.codings(study, 1)] == ["Svarer fort: ingen tvil"]
