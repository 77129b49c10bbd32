"""Shared fixtures: real SQLite projects, a real PostgreSQL server on loopback, the sample corpus."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from codebench import services

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpora" / "sample"
# Fixtures too large or licensed apart from the code (NorNE, REFI-QDA schemas, reference values)
# live in shared/ beside the checkout, both on a workstation and in CI's fresh clone.
SHARED = REPO.parent / "shared"


def shared_dir(*parts: str) -> Path:
    """The path of a fixture under ``shared/`` beside the repository, or stop the test.

    A missing fixture skips the test on a workstation but fails it under CI (``CI=true``), so a
    CI run can never pass by silently not running the tests that read shared data.

    Args:
        *parts: path components below ``shared/``, e.g. ``("refi", "Project.xsd")``.

    Returns:
        The existing path ``<repo>/../shared/<parts>``.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"shared fixture not found: {path}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run every test that reads shared fixtures)")
        # allow_module_level: a test module may resolve its fixtures at import time.
        pytest.skip(reason, allow_module_level=True)
    return path


def _memory_backed_temp_root() -> str | None:
    """A RAM-backed folder (Linux's /dev/shm tmpfs) with room for a test run, or None.

    The tests write thousands of throwaway projects, exports, keys and a PostgreSQL cluster. On
    a disk mounted with ``discard`` (as the CI machines' is) every delete and sync waits on the
    disk; in memory the same files are written, read, locked and deleted as the real files they
    are, only without waiting. Where there is no such folder, or little room in it, the
    system's temporary folder is used as before.
    """
    root = "/dev/shm"
    try:
        free = os.statvfs(root)
    except OSError:
        return None
    if not os.access(root, os.W_OK | os.X_OK) or free.f_bavail * free.f_frsize < 4 * 2**30:
        return None
    return root


TEMP_ROOT = _memory_backed_temp_root()
if TEMP_ROOT and "PYTEST_DEBUG_TEMPROOT" not in os.environ:
    # pytest's own root for tmp_path and tmp_path_factory (its documented variable); xdist's
    # workers are handed their folders below the controller's.
    os.environ["PYTEST_DEBUG_TEMPROOT"] = TEMP_ROOT

# Pseudonym keys go to a throwaway folder, never to the user's ~/.local/share: set before any
# test (and any session fixture) runs.
KEY_DIR = tempfile.mkdtemp(prefix="codebench-keys-", dir=TEMP_ROOT)
os.environ["CODEBENCH_KEY_DIR"] = KEY_DIR


def pytest_unconfigure(config: pytest.Config) -> None:
    """The throwaway key folder goes with the run: keys are never left behind in /tmp."""
    shutil.rmtree(KEY_DIR, ignore_errors=True)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[services.Project]:
    """A new, empty project on an SQLite file."""
    opened = services.init_project(tmp_path / "study")
    yield opened
    opened.close()


@pytest.fixture
def coded_project(project: services.Project, tmp_path: Path) -> services.Project:
    """A project with one small transcript and the hybrid-model codebook."""
    path = tmp_path / "kari.txt"
    path.write_text(
        "I: Hvordan ble du mentor?\n\nR: Lederen spurte meg, og jeg tenkte at det var en god idé.\n\n"
        "I: Hvor mye tid har du?\n\nR: Altfor lite tid, det er tidspress hele veien.\n",
        encoding="utf-8",
    )
    report = services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1))
    assert not report.errors
    services.load_codebook(project, REPO / "codebooks" / "hybridmodellen.yaml")
    return project


# -- PostgreSQL ------------------------------------------------------------------------------


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    candidates = ([Path(found).parent] if found else []) + [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="codebench-pg-", dir=TEMP_ROOT))
        self.data = self.folder / "data"
        self.port = _free_port()
        # The server refuses to run as root: run it as the 'postgres' system user then.
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise RuntimeError("running as root but runuser is missing; cannot start PostgreSQL as another user")
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            shutil.chown(self.folder, "postgres")
            os.chmod(self.folder, 0o700)
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        result = subprocess.run(self.prefix + list(args), capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stderr or result.stdout}")

    def start(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "codebench",
                  "-E", "UTF8", "--no-locale")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c max_connections=60"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def new_database(self) -> str:
        import psycopg

        name = "cb_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=codebench dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://codebench@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bin_dir = _pg_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries not found, and CI must run the PostgreSQL tests (.ci/run installs them)")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's postgresql to run these tests")
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """URL of a fresh, empty database on the test server."""
    return pg_server.new_database()


@pytest.fixture
def pg_project(pg_url: str, tmp_path: Path) -> Iterator[services.Project]:
    """A new project whose database is the PostgreSQL test server."""
    opened = services.init_project(tmp_path / "shared", db_url=pg_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def sample_project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus imported once per test session (treat as read-only)."""
    from codebench.services.sample import build_demo_project

    folder = tmp_path_factory.mktemp("sample") / "demo"
    build_demo_project(folder).close()
    return folder


# Rule-based detection of the sample corpus, in a fresh interpreter: its key folder is set for it
# alone, and a fixed hash seed keeps the pseudonym numbering (which snapshots show) from drifting
# between runs should set order ever leak into linking again.
_DETECT = """
import sys
from codebench import services
from codebench.services import anonymisation
project = services.open_project(sys.argv[1])
anonymisation.detect(project, use_model=False, coder="fixture")
project.close()
"""


@pytest.fixture(scope="session")
def detected_sample_dir(sample_project_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project after rule-based detection by coder "fixture", nothing decided yet
    (project in ``project/``, its key in ``keys/``). Treat as read-only: a test takes its own
    copy with ``copy_detected_sample``."""
    folder = tmp_path_factory.mktemp("detected")
    shutil.copytree(sample_project_dir, folder / "project")
    env = {**os.environ, "PYTHONHASHSEED": "0", "CODEBENCH_KEY_DIR": str(folder / "keys")}
    subprocess.run([sys.executable, "-c", _DETECT, str(folder / "project")], check=True, env=env, timeout=300)
    return folder


def copy_detected_sample(detected_dir: Path, target: Path, keys: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the detected sample project at ``target``, with its own copy of the
    pseudonym key in ``keys``, which becomes the key folder (``CODEBENCH_KEY_DIR``) of the test:
    the copy shares its key id with the session's project, so it must never write that key."""
    shutil.copytree(detected_dir / "project", target)
    shutil.copytree(detected_dir / "keys", keys)
    monkeypatch.setenv("CODEBENCH_KEY_DIR", str(keys))
    return target


def review_everything(project: Any) -> None:
    """Finish a project's anonymisation as a researcher who accepts every suggestion would:
    detection (rules and name lists, no model: fast), every suggestion accepted, the review-only
    kinds too, and the residual list read. The project's state is then "reviewed", so its
    exports may call themselves anonymised; tests of what an export holds start from here."""
    from codebench.services import anonymisation

    anonymisation.detect(project, use_model=False, coder="test")
    anonymisation.auto_accept(project, threshold=0.0, coder="test")
    for entity in anonymisation.entities(project, status="suggested"):
        anonymisation.decide(project, "accept", entity=entity.id, coder="test")
    anonymisation.mark_residual_read(project, coder="test")
    assert anonymisation.anonymisation_state(project).anonymised


@pytest.fixture(scope="session")
def reviewed_sample_dir(sample_project_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample project whose anonymisation is reviewed (treat as read-only)."""
    from codebench import services

    folder = tmp_path_factory.mktemp("reviewed") / "demo"
    shutil.copytree(sample_project_dir, folder)
    project = services.open_project(folder)
    try:
        review_everything(project)
    finally:
        project.close()
    return folder


MakeFile = Callable[..., Path]
