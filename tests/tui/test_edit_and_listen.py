"""Correcting a transcript while listening, through the real workbench (Pilot), checking the database each step."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.document import DocumentScreen
from codebench.tui.screens.edit_turn import TurnEdit, TurnEditor
from codebench.tui.widgets.transcript import TranscriptView
from tests.tui.helpers import settle
from textual.widgets import Checkbox, Input, TextArea

VTT = """WEBVTT

00:00.000 --> 00:01.000
<v S01>Hvordan ble du mentor?

00:01.000 --> 00:02.000
<v S02>Jeg snakket med Lishagen om grønsene og sa ja.

00:02.000 --> 00:03.500
<v S01>Hvor mye tid har du?
"""


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        reason = f"{tool} is not installed (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def listening(project: services.Project, tmp_path: Path) -> services.Project:
    """A transcript from a VTT file with its recording beside it (a 4-second tone)."""
    need("sox")
    (tmp_path / "samtale.vtt").write_text(VTT, encoding="utf-8")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(tmp_path / "samtale.wav"), "synth", "4", "sine", "440"],
                   check=True)
    report = services.import_files(project, [tmp_path / "samtale.vtt"])
    assert report.linked and not report.errors
    text = services.get_document(project, 1).text
    start = text.index("med Lishagen")
    services.apply_code(project, 1, start, start + len("med Lishagen"), "navn", "ingrid")
    start = text.index("sa ja")
    services.apply_code(project, 1, start, start + len("sa ja"), "ja", "ingrid")
    return project


def messages(app: CodebenchApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _open(app: CodebenchApp, pilot, position: int) -> tuple[DocumentScreen, TranscriptView]:
    await settle(pilot)
    app.open_document(1, position=position)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, DocumentScreen)
    return screen, screen.query_one(TranscriptView)


async def _until(pilot, condition, tries: int = 200) -> bool:
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_e_corrects_a_turn_codings_follow_one_is_flagged_then_checked_and_undone(listening):
    project = listening
    original = services.get_document(project, 1).text
    turn = services.get_document(project, 1).turns[1]
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _open(app, pilot, turn.body_start + 2)
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TurnEditor)
        area = editor.query_one(TextArea)
        assert area.text == "Jeg snakket med Lishagen om grønsene og sa ja."
        area.text = "Jeg snakket med Lieshagen om grensene og sa ja."
        editor.query_one("#turn-start", Input).value = "0:01.2"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen is screen
        doc = services.get_document(project, 1)
        assert "med Lieshagen om grensene" in doc.text and doc.turns[1].t_start == 1.2
        flagged = services.flagged_codings(project)
        assert [(i.code, i.flag) for i in flagged] == [("navn", "edited")]
        words = {c.code: doc.text[c.start:c.end] for c in services.document_codings(project, 1)}
        assert words == {"navn": "med Lieshagen", "ja": "sa ja"}
        assert "⚑ 1 to check" in str(screen.query_one("#doc-title").render())
        assert "corrected turn 2" in str(screen.query_one("#status").render())

        view.move_to(0)
        await pilot.press("f")  # to the coding to check
        await settle(pilot)
        assert view.cursor == flagged[0].start
        # Beside the stripes (100 columns) the side panel is hidden: the status line and the stripe say it.
        assert "check" in str(screen.query_one("#status").render())
        assert any(label.startswith("⚑") for _, _, label in view.stripe_labels(view.line_of(view.cursor)))
        await pilot.press("k")
        await settle(pilot)
        assert services.flagged_codings(project) == []

        await pilot.press("ctrl+z")  # the check
        await settle(pilot)
        await pilot.press("ctrl+z")  # the edit
        await settle(pilot)
        assert services.get_document(project, 1).text == original
        assert services.get_document(project, 1).turns[1].t_start == 1.0
        assert "Lishagen" in view.text


async def test_e_over_selected_words_corrects_only_them(listening):
    project = listening
    text = services.get_document(project, 1).text
    start = text.index("grønsene")
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _open(app, pilot, start)
        view.move_to(start + len("grønsene"), select_to=start)
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TurnEditor) and not editor.query(Input)
        assert editor.query_one(TextArea).text == "grønsene"
        editor.query_one(TextArea).text = "grensene"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        doc = services.get_document(project, 1)
        assert "om grensene og sa ja" in doc.text
        assert services.flagged_codings(project) == []  # no coding lay on that word
        assert len(services.document_revisions(project, 1)) == 1
        await pilot.press("escape")


async def test_esc_leaves_the_turn_as_it_was(listening):
    project = listening
    before = services.get_document(project, 1).info.sha256
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _open(app, pilot, 40)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one(TextArea).text = "noe helt annet"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
    assert services.get_document(project, 1).info.sha256 == before


@pytest.mark.slow
async def test_p_plays_the_turn_space_resumes_and_the_caret_follows_b_goes_back(listening, monkeypatch):
    need("mpv")
    monkeypatch.setenv("CODEBENCH_AUDIO_OUTPUT", "null")
    monkeypatch.setenv("CODEBENCH_PLAYER", "mpv")
    project = listening
    recording = services.media_of(project, 1).path
    turns = services.get_document(project, 1).turns
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _open(app, pilot, turns[1].body_start)
        await pilot.press("p")
        await settle(pilot)
        player = app.audio_player(start=False)
        assert player is not None and player.name == "mpv"
        request = player.last_request
        assert (request.path, request.start, request.end) == (recording, 1.0, 2.0)
        assert await _until(pilot, player.is_paused)  # stopped at the turn's end
        assert player.position() == pytest.approx(2.0, abs=0.5)
        assert view.turn_index(view.cursor) == 1

        await pilot.press("space")  # plays on into the next turn: the caret follows
        assert await _until(pilot, lambda: view.turn_index(view.cursor) == 2)
        await pilot.press("b")
        await settle(pilot)
        assert player.last_request.start < player.position() <= 4.0
        await pilot.press("space")
        assert await _until(pilot, player.is_paused)

        view.move_to(turns[2].body_start)  # paused: the caret is the coder's to move
        await settle(pilot)
        assert view.turn_index(view.cursor) == 2
        await pilot.press("e")  # correcting while listening: F5 plays the turn being corrected
        await settle(pilot)
        assert isinstance(app.screen, TurnEditor)
        await pilot.press("f5")
        await settle(pilot)
        assert (player.last_request.start, player.last_request.end) == (2.0, 3.5)
        await pilot.press("escape")


async def test_playing_without_a_player_or_a_recording_says_what_to_do(listening, monkeypatch):
    monkeypatch.setenv("CODEBENCH_PLAYER", "none")
    project = listening
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _open(app, pilot, 40)
        await pilot.press("p")
        await settle(pilot)
        assert any("no audio player found: install mpv" in m for m in messages(app))
        services.link_media(project, 1, None)
        await pilot.press("p")
        await settle(pilot)
        assert "No recording is linked" in messages(app)[-1]


async def test_the_turn_editor_goes_to_the_start_and_end_of_the_words():
    # Tried in tmux: ctrl+end to add words at the end of a turn did nothing, and the words typed
    # went in before the first word ("Nå går det fint.Ja, det var …").
    from textual.app import App

    results: list[TurnEdit | None] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(TurnEditor("Correct turn 2", "Ja, det var sjefen.\nVi hadde fått en ny kollega.",
                                        whole_turn=False), results.append)

    async with Host().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+end")
        await pilot.press("space", "N", "å", ".")
        await pilot.press("ctrl+home")
        await pilot.press("O", "g", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert results == [TurnEdit("Og Ja, det var sjefen.\nVi hadde fått en ny kollega. Nå.")]


async def test_the_turn_editor_renames_a_speaker_in_all_their_turns_as_one_undo(project, tmp_path):
    path = tmp_path / "samtale.txt"
    path.write_text("I: Hvordan ble du mentor?\n\nR: Jeg sa ja.\n\nI: Hvor mye tid har du?\n\nR: Altfor lite.\n",
                    encoding="utf-8")
    services.import_files(project, [path])
    original = services.get_document(project, 1)
    last = original.turns[3]
    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(100, 30)) as pilot:
        screen, view = await _open(app, pilot, last.body_start + 3)
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TurnEditor)
        every = editor.query_one("#turn-all", Checkbox)
        assert "all 2 of their turns" in str(every.label)
        editor.query_one("#turn-speaker", Input).value = "Informant"
        every.value = True
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen is screen
        doc = services.get_document(project, 1)
        assert [t.speaker for t in doc.turns] == ["I", "Informant", "I", "Informant"]
        assert "speaker renamed in 2 turns" in str(screen.query_one("#status").render())
        # The caret stays on its words though the labels before it grew.
        await _until(pilot, lambda: view.text == doc.text)
        assert view.cursor == doc.turns[3].body_start + 3
        await pilot.press("ctrl+z")  # one undo takes the whole rename back
        await settle(pilot)
        assert services.get_document(project, 1).text == original.text
