"""Playing stretches of a real recording through real players (mpv over its IPC socket, ffplay)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable

import pytest

from codebench import services
from codebench.errors import ServiceError
from codebench.services.media import turn_at_time, turn_times
from codebench.services.playback import FfplayPlayer, MpvPlayer, find_player, media_duration


def need(tool: str) -> str:
    """The tool's path; a missing tool skips the test on a workstation and fails it under CI."""
    found = shutil.which(tool)
    if found is None:
        reason = f"{tool} is not installed (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def make_wav(path: Path, seconds: float = 4.0) -> Path:
    """A tone of known length, made by sox."""
    need("sox")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(path), "synth", str(seconds), "sine", "440"], check=True)
    return path


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Wait until ``condition`` holds (polling); False when it never did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def tone(tmp_path: Path) -> Path:
    return make_wav(tmp_path / "opptak.wav")


def test_mpv_plays_the_requested_stretch_and_pauses_at_its_end(tone):
    need("mpv")
    player = MpvPlayer(silent=True)
    try:
        player.play(str(tone), 1.0, 1.5)
        assert player.last_request is not None and (player.last_request.start, player.last_request.end) == (1.0, 1.5)
        assert player.duration() == pytest.approx(4.0, abs=0.05)  # mpv decoded the file
        assert wait_for(lambda: (player.position() or 0) > 1.0)
        assert wait_for(player.is_paused)
        assert player.position() == pytest.approx(1.5, abs=0.5)
        assert player.toggle_pause() is False  # resumes past the turn's end
        assert wait_for(lambda: (player.position() or 0) > 1.8)
        player.replay(1.0)
        assert player.last_request.start == pytest.approx((player.position() or 0), abs=1.2)
        assert player.toggle_pause() is True
    finally:
        player.close()


def test_ffplay_plays_a_stretch_and_pauses_by_stopping_its_process(tone):
    need("ffplay")
    player = FfplayPlayer(silent=True)
    try:
        player.play(str(tone), 2.0, 3.0)
        assert player.duration() == pytest.approx(4.0, abs=0.05)
        assert wait_for(lambda: (player.position() or 0) > 2.05)
        assert player.toggle_pause() is True
        held = player.position()
        assert player.position() == held  # paused: the clock stands still
        assert player.toggle_pause() is False
        assert wait_for(player.is_paused)  # it ends by itself at the stretch's end
        assert player.position() == pytest.approx(3.0, abs=0.05)
    finally:
        player.close()


def test_the_player_is_chosen_at_run_time_with_a_clear_message_when_there_is_none(monkeypatch):
    monkeypatch.setenv("CODEBENCH_PLAYER", "none")
    with pytest.raises(ServiceError, match="no audio player found: install mpv"):
        find_player()
    monkeypatch.setenv("CODEBENCH_PLAYER", "vlc")
    with pytest.raises(ServiceError, match="mpv or ffplay"):
        find_player()
    need("mpv")
    monkeypatch.setenv("CODEBENCH_PLAYER", "")
    player = find_player()
    assert player.name == "mpv"
    player.close()


def test_media_duration_and_turn_times(tone):
    need("ffprobe")
    assert media_duration(tone) == pytest.approx(4.0, abs=0.05)
    from codebench.domain.records import TurnInfo

    turns = [TurnInfo(0, "A", 0, 5, 3, 0.5, 1.0), TurnInfo(1, "B", 6, 9, 9, None, None),
             TurnInfo(2, "A", 10, 15, 13, 2.5, None)]
    assert turn_times(turns, 0) == (0.5, 1.0)
    assert turn_times(turns, 1) == (1.0, 2.5)  # borrowed from its neighbours
    assert turn_times(turns, 2) == (2.5, None)  # plays on to the end
    assert turn_at_time(turns, 0.7) == 0 and turn_at_time(turns, 3.0) == 2


def test_a_linked_recording_is_what_the_document_plays(project, tmp_path, tone):
    vtt = tmp_path / "samtale.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n<v S01>Hei.\n\n00:01.000 --> 00:02.000\n<v S02>Hallo.\n",
                   encoding="utf-8")
    services.import_files(project, [vtt])
    assert services.media_of(project, 1) is None
    services.link_media(project, 1, tone)
    assert services.media_of(project, 1).path == str(tone.resolve())
    with pytest.raises(ServiceError, match="not a recording"):
        services.link_media(project, 1, vtt)


def test_mpv_without_an_audio_output_says_what_is_wrong_and_what_to_do(tone):
    """A tester without a sound device got only "mpv: seek: error running command", each time."""
    need("mpv")
    # An audio device that exists nowhere: mpv runs and loads the file but opens no output.
    player = MpvPlayer(options=("--ao=alsa", "--audio-device=alsa/codebench-no-such-device"))
    try:
        for _ in range(2):  # the same clear message when the key is pressed again
            with pytest.raises(ServiceError) as raised:
                player.play(str(tone), 1.0, 1.5)
            message = str(raised.value)
            assert "could not open an audio output" in message and "CODEBENCH_AUDIO_OUTPUT=null" in message
            assert "error running command" not in message
    finally:
        player.close()
