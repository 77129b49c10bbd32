"""The workbench in a real terminal: `codebench open` under tmux, driven by real key presses.

Pilot tests (test_workbench.py) run the app headless; this one checks what they cannot: that
the command starts in a real pseudo-terminal, that the terminal's own escape sequences for
shift+arrows, Enter and ctrl+q reach the right bindings, and that a coding made by typing is in
the database after the app has quit.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from codebench import services
from tests.conftest import copy_detected_sample

FIRST_DOC = "Intervju Kristine Holm runde 1"
CODE = "god mentor"
# Seconds that each wait may take. Generous because a loaded 2-core CI machine starts the app
# and Textual's first frame many times slower than a quiet one; a quiet run never waits for it,
# since every wait returns as soon as its condition holds.
TIMEOUT = 180.0
POLL_FIRST, POLL_MAX = 0.05, 0.5  # the screen is read often at first, then less (each read is a process)


def _require_tmux() -> str:
    found = shutil.which("tmux")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("tmux not found, and CI must run the real-terminal smoke test (install tmux)")
        pytest.skip("tmux not found; install tmux to run the real-terminal smoke test")
    return found


class Tmux:
    """One detached tmux session on a private server (its own socket, no user config)."""

    def __init__(self, tmux: str, env: dict[str, str], folder: Path) -> None:
        self.tmux = tmux
        self.socket = f"codebench-smoke-{uuid.uuid4().hex[:10]}"
        self.session = f"smoke-{uuid.uuid4().hex[:8]}"
        self.env = env
        # Our own config, not the user's: a POSIX shell runs the command, the app sees a
        # 256-colour TERM, and the pane stays after the app exits so a crash's traceback can be
        # read (set here so it holds from the first moment).
        self.config = folder / "tmux.conf"
        self.config.write_text(
            "set -g default-shell /bin/sh\n"
            'set -g default-terminal "tmux-256color"\n'
            "set -g remain-on-exit on\n",
            encoding="utf-8",
        )
        self.status_file = folder / "exit-status"  # tmux 3.3's #{pane_dead_status} is not reliable

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.tmux, "-L", self.socket, "-f", str(self.config), *args], env=self.env,
                              capture_output=True, text=True, check=check, timeout=TIMEOUT)

    def start(self, argv: list[str], width: int, height: int) -> None:
        command = f"{shlex.join(argv)}; echo $? > {shlex.quote(str(self.status_file))}"
        self.run("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), command)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        result = self.run("capture-pane", "-p", "-t", self.session, check=False)
        return result.stdout

    def pane(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.session, fmt, check=False).stdout.strip()

    def wait_for(self, text: str, what: str, *, times: int = 1, absent: str | None = None) -> str:
        """Poll the screen until ``text`` shows (``times`` times, and ``absent`` does not) and the screen
        has settled; fail with the last screen.

        Settled means two reads in a row were the same: the app has drawn what it was drawing, so the
        next key press goes to the widget now on screen (under load a key sent while a screen is still
        mounting can go to the one before it and be lost).
        """
        screen = previous = ""
        shown = 0  # reads in a row that met the condition (a screen that never stops changing still ends)
        for _ in self._polls():
            screen = self.screen()
            if screen.count(text) >= times and (absent is None or absent not in screen):
                shown += 1
                if screen == previous or shown >= 4:
                    return screen
                previous = screen
                continue
            previous, shown = "", 0
            if self.dead():
                pytest.fail(f"the app exited (status {self.exit_status()}) while waiting for {what}; "
                            f"last screen:\n{screen}")
        pytest.fail(f"timed out after {TIMEOUT:.0f} s waiting for {what} ({text!r}); last screen:\n{screen}")

    @staticmethod
    def _polls() -> Iterator[None]:
        """Yield until :data:`TIMEOUT` has passed since the first poll, pausing a little longer each time."""
        deadline = time.monotonic() + TIMEOUT
        pause = POLL_FIRST
        while time.monotonic() < deadline:
            yield
            time.sleep(pause)  # the pause between two reads of the screen, not a wait for the app
            pause = min(pause * 1.5, POLL_MAX)

    def dead(self) -> bool:
        return self.pane("#{pane_dead}") == "1"

    def exit_status(self) -> str:
        return self.status_file.read_text().strip() if self.status_file.exists() else "unknown"

    def wait_for_exit(self) -> str:
        """Wait until the app has quit; its exit status."""
        for _ in self._polls():
            if self.dead():
                return self.exit_status()
        pytest.fail(f"the app did not quit within {TIMEOUT:.0f} s of ctrl+q; last screen:\n{self.screen()}")

    def kill(self) -> None:
        self.run("kill-server", check=False)


@pytest.fixture
def tmux_session(tmp_path: Path) -> Iterator[Tmux]:
    tmux = _require_tmux()
    env = dict(os.environ)
    env["TERM"] = "xterm-256color"  # what the tmux client and server see; panes get tmux's own TERM
    env.pop("TMUX", None)  # not nested in the developer's tmux
    env["TEXTUAL_ANIMATIONS"] = "none"
    session = Tmux(tmux, env, tmp_path)
    try:
        yield session
    finally:
        session.kill()


@pytest.mark.slow
def test_code_a_selection_in_a_real_terminal(sample_project_dir: Path, tmp_path: Path, tmux_session: Tmux) -> None:
    copy = tmp_path / "project"
    shutil.copytree(sample_project_dir, copy)
    term = tmux_session
    term.start([sys.executable, "-m", "codebench", "open", str(copy), "--coder", "smoke"], 100, 30)

    # The list fills from a worker: Enter waits for the rows (names are cut in the middle to fit).
    term.wait_for("runde 1", "the project view's document list")
    term.keys("Enter")
    term.wait_for("V01 veileder r1 · " + FIRST_DOC, "the first transcript (its title)")
    for _ in range(12):
        term.keys("S-Right")
    term.keys("c")
    term.wait_for("Code the selection", "the code picker")
    term.keys(CODE, literal=True)
    # Every letter typed refilters the list; a partial name also offers "+ new open code «…»".
    # Done when the name shows twice (typed, and the code in the list) and no new code is offered.
    term.wait_for(CODE, "the code in the picker's list", times=2, absent="+ new open code")
    term.keys("Enter")
    term.wait_for("coded", "the status line after coding")
    term.keys("C-q")
    status = term.wait_for_exit()
    assert status == "0", f"codebench exited with status {status}; last screen:\n{term.screen()}"

    project = services.open_project(copy)
    try:
        mine = services.quotes(project, coders=["smoke"])
    finally:
        project.close()
    assert [q.code for q in mine] == [CODE]
    assert mine[0].text.strip()


@pytest.mark.slow
def test_a_review_decision_and_undos_that_name_their_place_at_80x24(
        detected_sample_dir: Path, tmp_path: Path, tmux_session: Tmux, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the smallest terminal: find an identifier by typing, accept it, undo the decision; code
    words and undo the coding. Each undo says what it took back and where."""
    copy = tmp_path / "project"
    keys = tmp_path / "keys"  # the pseudonym key stays in the test's folder
    # the sample project after rule-based detection by "fixture", with its own copy of the key
    copy_detected_sample(detected_sample_dir, copy, keys, monkeypatch)
    project = services.open_project(copy)
    try:
        person = next(e for e in services.anonymisation.entities(project, with_mentions=True) if "Kristine Holm" in e.forms)
    finally:
        project.close()
    term = tmux_session
    term.env["CODEBENCH_KEY_DIR"] = str(keys)
    term.start([sys.executable, "-m", "codebench", "open", str(copy), "--coder", "smoke"], 80, 24)

    term.wait_for("runde 1", "the project view's document list")
    term.keys("a")
    term.wait_for("Identifiers:", "the review screen")
    term.keys("C-f")
    term.keys("Kristine Holm", literal=True)
    term.wait_for("find: Kristine Holm", "the find line under the identifiers")
    term.keys("Escape")
    term.wait_for("Identifiers:", "the find closed", absent="find: Kristine")
    count = len(person.mentions)
    term.keys("A")
    term.wait_for(f"0 open {count}✓", "the entity's row after accepting it")
    term.keys("C-z")
    # The undo says what it gave back (a toast; it may wrap before the pseudonym), and the row is open again.
    term.wait_for("undid accept of", "the note after the undo")
    term.wait_for(f"{count} open 0✓", "the entity's row after the undo")
    term.keys("q")
    term.wait_for("runde 1", "the project view again", absent="Identifiers:")
    term.keys("Enter")
    term.wait_for("V01 veileder r1 · ", "the first transcript (its title)")
    for _ in range(12):
        term.keys("S-Right")
    term.keys("c")
    term.wait_for("Code the selection", "the code picker")
    term.keys(CODE, literal=True)
    term.wait_for(CODE, "the code in the picker's list", times=2, absent="+ new open code")
    term.keys("Enter")
    term.wait_for("coded", "the status line after coding")
    term.keys("C-z")
    term.wait_for(f"undid coding «{CODE}» in V01", "the status line naming the undone coding's place")
    term.keys("C-q")
    status = term.wait_for_exit()
    assert status == "0", f"codebench exited with status {status}; last screen:\n{term.screen()}"

    project = services.open_project(copy)
    try:
        assert services.quotes(project, coders=["smoke"]) == []
        after = next(e for e in services.anonymisation.entities(project, with_mentions=True) if e.id == person.id)
        assert {m.status for m in after.mentions} == {m.status for m in person.mentions} == {"suggested"}
        log = [e.action for e in services.audit_log(project) if e.coder == "smoke"]
        assert log[:4] == ["undo", "apply", "undo", "anonymise_accept"]
    finally:
        project.close()
