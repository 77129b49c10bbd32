"""Several codebench processes writing one project at once: a write waits its turn, is retried,
and when the project stays busy the user reads one line and nothing was changed.

The races are those a team meets on a shared server (and a coder with the workbench open while a
script imports): two processes creating the same new coder, a rename and a merge of one code, a
write lock held by another program for longer than the busy timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from codebench import services
from tests.concurrency import race
from tests.db_dump import dump_tables

REPO = Path(__file__).resolve().parents[2]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"
CODE = "kapasitet og portefølje"


def _setup(project: services.Project, tmp_path: Path, pairs: int = 0) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("R: " + "ord " * 200, encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)
    for r in range(pairs):
        services.create_code(project, f"x{r}")
        services.create_code(project, f"y{r}")
        services.apply_code(project, "doc", 10 + r, 20 + r, f"x{r}", "ingrid")


def _raw(outcomes: dict) -> dict:
    return {k: v for k, v in outcomes.items() if not (v == "ok" or v.startswith("refused: "))}


def _new_coder_race(project: services.Project, tmp_path: Path) -> None:
    _setup(project, tmp_path)
    rounds, workers = 6, 3
    outcomes = race(project.root, ["new-coder"] * workers, rounds)
    assert _raw(outcomes) == {}
    assert set(outcomes.values()) == {"ok"}  # every write acknowledged ...
    by_coder = services.stats(project).codings_by_coder
    assert by_coder == {f"ny{r}": workers for r in range(rounds)}  # ... and present, one coder row each


def _rename_merge_race(project: services.Project, tmp_path: Path) -> None:
    rounds = 6
    _setup(project, tmp_path, pairs=rounds)
    outcomes = race(project.root, ["rename", "merge"], rounds)
    assert _raw(outcomes) == {}
    names = {c.name for c in services.code_tree(project)}
    for r in range(rounds):
        renamed, merged = outcomes[(0, r)], outcomes[(1, r)]
        # One of the two went first; the other then found no code x{r} and said so.
        assert sorted([renamed == "ok", merged == "ok"]) == [False, True], (renamed, merged)
        assert f"x{r}" not in names
        assert (f"z{r}" in names) == (renamed == "ok")
        loser = merged if renamed == "ok" else renamed
        assert f"'x{r}'" in loser
        # The coding followed whichever happened: on z{r} after the rename, on y{r} after the merge.
        quotes = services.quotes(project, code=f"z{r}" if renamed == "ok" else f"y{r}")
        assert len(quotes) == 1


@pytest.mark.slow
def test_two_processes_creating_the_same_coder_on_sqlite(project: services.Project, tmp_path: Path):
    _new_coder_race(project, tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_two_processes_creating_the_same_coder_on_postgres(pg_project: services.Project, tmp_path: Path):
    _new_coder_race(pg_project, tmp_path)


@pytest.mark.slow
def test_rename_and_merge_of_one_code_at_once_on_sqlite(project: services.Project, tmp_path: Path):
    _rename_merge_race(project, tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_rename_and_merge_of_one_code_at_once_on_postgres(pg_project: services.Project, tmp_path: Path):
    _rename_merge_race(pg_project, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_writers_starting_together_lose_nothing(backend: str, request: pytest.FixtureRequest, tmp_path: Path):
    """Four processes write at the same instant, twenty times over: every write lands, none is raw."""
    project = request.getfixturevalue("project" if backend == "sqlite" else "pg_project")
    _setup(project, tmp_path)
    outcomes = race(project.root, ["code"] * 4, 20)
    assert _raw(outcomes) == {} and set(outcomes.values()) == {"ok"}
    assert services.stats(project).codings_by_coder == {f"w{i}": 20 for i in range(4)}


# -- One command against a project another codebench keeps busy -------------------------------


def _cli(root: Path, *args: str, wait: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CODEBENCH_BUSY_TIMEOUT": str(wait)}
    return subprocess.run([sys.executable, "-m", "codebench", *args[:1], str(root), *args[1:]],
                          capture_output=True, text=True, env=env, timeout=120)


def _holding(project: services.Project, seconds: float | None):
    """Keep the project's write lock in a thread (another codebench writing) for ``seconds`` or until released."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with project.transaction() as store:
            store.codings.coder_id("holder")  # a write of its own, committed when released
            held.set()
            release.wait(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(30)
    return release, thread


CODE_ARGS = ("code", "doc", "--start", "3", "--end", "9", "--code", CODE, "--coder", "per")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_write_held_off_for_longer_than_one_wait_goes_through(backend: str, request: pytest.FixtureRequest,
                                                                tmp_path: Path):
    project = request.getfixturevalue("project" if backend == "sqlite" else "pg_project")
    _setup(project, tmp_path)
    # Each of the three attempts waits 0.5 s: the lock is let go during the second or third.
    release, thread = _holding(project, 1.0)
    result = _cli(project.root, *CODE_ARGS, wait=1.5)
    thread.join()
    assert result.returncode == 0, result.stderr
    assert services.stats(project).codings_by_coder == {"per": 1}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_project_kept_busy_is_one_line_and_nothing_changes(backend: str, request: pytest.FixtureRequest,
                                                             tmp_path: Path):
    project = request.getfixturevalue("project" if backend == "sqlite" else "pg_project")
    _setup(project, tmp_path)
    before = dump_tables(project.url) if backend == "sqlite" else None
    release, thread = _holding(project, None)
    try:
        results = [_cli(project.root, *CODE_ARGS, wait=0.6),
                   _cli(project.root, "merge-codes", CODE, "tidspress", wait=0.6)]
    finally:
        release.set()
        thread.join()
    for result in results:
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "codebench: the project is busy: another codebench is writing; nothing was changed "
            "(try again, or wait longer with CODEBENCH_BUSY_TIMEOUT=SECONDS)"]
    assert services.stats(project).codings_by_coder == {}
    if before is not None:
        after = dump_tables(project.url)
        # Only the holder's own write landed (its coder row, committed when it let go).
        assert [row[2] for row in after.pop("coders")] == [row[2] for row in before.pop("coders")] + ["holder"]
        assert after == before


def _locked_exclusively(path: Path):
    """Another program keeps the SQLite file itself locked (exclusive locking mode): even readers wait."""
    import sqlite3

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
            connection.execute("BEGIN EXCLUSIVE")
            held.set()
            release.wait()
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(30)
    return release, thread


def test_commands_that_only_read_wait_for_a_locked_file_then_say_so_in_one_line(project: services.Project,
                                                                                tmp_path: Path):
    _setup(project, tmp_path, pairs=1)
    project.close()  # this process lets go of the file, as a finished command does
    release, thread = _locked_exclusively(project.root / "codebench.sqlite")
    try:
        results = [_cli(project.root, "stats", wait=0.6), _cli(project.root, "quotes", "--code", "x0", wait=0.6),
                   _cli(project.root, "documents", wait=0.6), _cli(project.root, *CODE_ARGS, wait=0.6)]
    finally:
        release.set()
        thread.join()
    for result in results:
        assert result.returncode == 1, result.stderr
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "codebench: the project is busy: another codebench is writing; nothing was changed "
            "(try again, or wait longer with CODEBENCH_BUSY_TIMEOUT=SECONDS)"]
    # Let go, the same read answers.
    after = _cli(project.root, "quotes", "--code", "x0", wait=0.6)
    assert after.returncode == 0 and "1 quote(s)" in after.stdout
