"""kill -9 in the middle of coding, importing, anonymising, merging and exporting.

A real codebench process (tests/crash.py) writes through the services and says ``ack`` after each
write returned; the test kills it with SIGKILL at a random moment. Afterwards the SQLite file
passes ``PRAGMA integrity_check`` and ``foreign_key_check``, every acknowledged write is there, a
write that was cut off is there whole or not at all, and once the next command has run no
temporary ``.part`` file is left. Two seeds per operation keep the suite lean; the kill moment is a
seeded random delay after a seeded number of acknowledgements.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
import yaml

from codebench import services
from tests.conftest import REPO

pytestmark = pytest.mark.slow

HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"
CODE = "kapasitet og portefølje"
SEEDS = [3, 11]
WORDS = "ord " * 200
NAMES = ["Kari Nordmann", "Per Hansen", "Ingrid Johansen", "Ola Olsen", "Anne Larsen", "Lars Andersen",
         "Marit Pedersen", "Jon Nilsen", "Hilde Kristiansen", "Knut Jensen", "Liv Karlsen", "Arne Berg"]


def killed(operation: str, root: Path, arg: str, seed: int, *, before: int, within: float) -> list[str]:
    """Run ``tests/crash.py OPERATION`` and SIGKILL it; the acknowledgements it printed.

    Args:
        before: at most this many acknowledgements are waited for first (the number is drawn).
        within: then the kill comes after a random delay of up to this many seconds.
    """
    rng = random.Random(seed)
    child = subprocess.Popen([sys.executable, "-m", "tests.crash", operation, str(root), arg], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    try:
        ready = child.stdout.readline()
        assert ready == "ready\n", f"{ready!r} {child.stderr.read()}"
        acks: list[str] = []
        for _ in range(rng.randint(0, before)):
            line = child.stdout.readline()
            if not line.startswith("ack "):
                break
            acks.append(line[4:].strip())
        time.sleep(rng.uniform(0, within))  # the fault injected: a random moment inside the next write
        child.send_signal(signal.SIGKILL)
        child.wait(60)
        acks += [line[4:].strip() for line in child.stdout.read().splitlines() if line.startswith("ack ")]
        errors = child.stderr.read()
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL, f"the child ended by itself before the kill: {errors}"
    assert "Traceback" not in errors, errors
    return acks


def assert_sound(root: Path) -> None:
    """The project file survived: integrity and foreign keys check out."""
    with closing(sqlite3.connect(root / "codebench.sqlite")) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def parts(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*.part")]


def _with_document(project: services.Project, tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("R: " + WORDS, encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_while_coding(project: services.Project, tmp_path: Path, seed: int) -> None:
    _with_document(project, tmp_path)
    acks = killed("code", project.root, "", seed, before=20, within=0.2)
    assert_sound(project.root)
    present = {c.uuid for c in services.codings(project)}
    assert set(acks) <= present
    assert len(present) - len(acks) <= 1  # at most the write the kill cut off, had it committed
    services.apply_code(project, "doc", 190, 195, CODE, "krasj")  # the next run writes as usual
    assert_sound(project.root)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_while_importing(project: services.Project, tmp_path: Path, seed: int) -> None:
    folder = tmp_path / "inn"
    folder.mkdir()
    for n in range(40):
        turns = [f"I: Spørsmål {n}.{t} om arbeid?\n\nR: Svar {n}.{t}: {WORDS[: 40 + t]}" for t in range(30)]
        (folder / f"intervju_{n:02d}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
    acks = killed("import", project.root, str(folder), seed, before=8, within=0.3)
    assert_sound(project.root)
    documents = {d.name: d for d in services.list_documents(project)}
    assert set(acks) <= set(documents)
    for name in documents:  # an import is whole: its text and every turn, or nothing
        assert len(services.get_document(project, name).turns) == 60
    report = services.import_files(project, sorted(folder.glob("*.txt")))
    assert not report.errors
    assert len(services.list_documents(project)) == 40
    assert_sound(project.root)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_while_anonymising(project: services.Project, tmp_path: Path, seed: int) -> None:
    from codebench.services import anonymisation

    path = tmp_path / "navn.txt"
    turns = [f"I: Hvem var med?\n\nR: Det var {name} og {other} fra Bergen, sa {name.split()[0]}."
             for name, other in zip(NAMES, NAMES[1:] + NAMES[:1])]
    path.write_text("\n\n".join(turns * 20) + "\n", encoding="utf-8")
    services.import_files(project, [path])
    acks = killed("anonymise", project.root, "", seed, before=3, within=0.5)
    assert_sound(project.root)
    accepted = {str(e.id) for e in anonymisation.entities(project, status="accepted")}
    assert {a for a in acks if a != "detect"} <= accepted
    # The next run: detection again, a decision, the key written; no temporary file stays.
    anonymisation.detect(project, use_model=False, coder="krasj")
    for entity in anonymisation.entities(project, status="suggested")[:1]:
        anonymisation.decide(project, "accept", entity=entity.id, coder="krasj")
    assert_sound(project.root)
    assert parts(project.root) == []


def _coder_copy(team: Path, tmp_path: Path, coder: str, codings: int) -> Path:
    import shutil

    copy = tmp_path / coder
    shutil.copytree(team, copy)
    opened = services.open_project(copy)
    text = services.get_document(opened, "doc").text
    items = [{"document": "doc", "start": s, "end": s + 4 + k, "code": CODE, "text": text[s:s + 4 + k]}
             for k in range(codings // 100 + 1) for s in range(3, 103)][:codings]
    file = tmp_path / f"{coder}.yaml"
    file.write_text(yaml.safe_dump({"coder": coder, "codings": items}, allow_unicode=True), encoding="utf-8")
    services.import_codings(opened, file)
    opened.close()
    return copy


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_while_merging(project: services.Project, tmp_path: Path, seed: int) -> None:
    _with_document(project, tmp_path)
    sources = [_coder_copy(project.root, tmp_path, coder, 600) for coder in ("ingrid", "per")]
    acks = killed("merge", project.root, ",".join(map(str, sources)), seed, before=1, within=0.8)
    assert_sound(project.root)
    by_coder = services.stats(project).codings_by_coder
    for source in sources:  # a merge is whole: all of a coder's codings, or none
        assert by_coder.get(source.name, 0) in ((600,) if source.name in acks else (0, 600))
    services.merge_projects(project, sources)
    assert services.stats(project).codings_by_coder == {"ingrid": 600, "per": 600}
    assert_sound(project.root)


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_while_exporting(project: services.Project, tmp_path: Path, seed: int) -> None:
    from codebench.export import refi

    path = tmp_path / "lang.txt"
    path.write_text("I: Fortell.\n\nR: " + "ord " * 4000 + "\n", encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)
    text = services.get_document(project, "lang").text
    items = [{"document": "lang", "start": s, "end": s + 7, "code": CODE, "text": text[s:s + 7]}
             for s in range(14, len(text) - 10, 11)]  # 1,400 codings: an export long enough to cut
    file = tmp_path / "ingrid.yaml"
    file.write_text(yaml.safe_dump({"coder": "ingrid", "codings": items}, allow_unicode=True), encoding="utf-8")
    services.import_codings(project, file)
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "prosjekt.qdpx"
    killed("export", project.root, str(target), seed, before=2, within=0.4)
    assert_sound(project.root)
    if target.exists():  # whatever is under the target's name is a whole export
        with zipfile.ZipFile(target) as archive:
            assert archive.testzip() is None
        assert refi.read_qdpx(target).sources
    services.export_qdpx(project, target, original=True)  # the next run
    assert parts(out, project.root) == []
    assert refi.read_qdpx(target).sources


@pytest.mark.parametrize("seed", SEEDS)
def test_ctrl_c_during_an_import_is_one_line_and_all_or_nothing(project: services.Project, tmp_path: Path,
                                                                 seed: int) -> None:
    """Found by a tester: Ctrl-C during a 300-file import printed a 102-line traceback
    (PendingRollbackError) when it fell inside a statement. Whenever it falls, the command says
    so in one line, and the files are stored all or none."""
    folder = tmp_path / "inn"
    folder.mkdir()
    for n in range(300):
        turns = [f"I: Spørsmål {n}.{t}?\n\nR: Svar {n}.{t}: {WORDS}" for t in range(20)]
        (folder / f"intervju_{n:03d}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
    project.close()
    rng = random.Random(seed)
    child = subprocess.Popen([sys.executable, "-m", "codebench", "import", str(project.root),
                              *sorted(str(p) for p in folder.glob("*.txt"))],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(rng.uniform(0.3, 3.5))  # the fault injected: Ctrl-C at a random moment of the import
        child.send_signal(signal.SIGINT)
        out, errors = child.communicate(timeout=120)
    finally:
        child.kill()
        child.wait()
    assert "Traceback" not in errors, errors
    assert len(errors.strip().splitlines()) <= 1, errors
    assert_sound(project.root)
    reopened = services.open_project(project.root)
    try:
        assert len(services.list_documents(reopened)) in (0, 300), out
    finally:
        reopened.close()


def test_an_interrupt_the_garbage_collector_cannot_raise_prints_nothing(project: services.Project,
                                                                       capsys: pytest.CaptureFixture) -> None:
    """CI caught it once in the test above: Ctrl-C landing in SQLAlchemy's weakref cleanup is
    printed by Python as "Exception ignored … Traceback … KeyboardInterrupt" after the command's
    one line. Any other exception there is still printed."""
    from click.testing import CliRunner

    from codebench.cli import main

    saved = sys.unraisablehook
    sys.unraisablehook = sys.__unraisablehook__  # as a fresh process starts (another test may have run a command)
    try:
        assert CliRunner().invoke(main, ["documents", str(project.root)]).exit_code == 0
        assert sys.unraisablehook is not sys.__unraisablehook__  # the command installed its own

        class Raises:
            """An object whose finaliser raises: Python hands that to the unraisable hook."""

            def __init__(self, exc: BaseException) -> None:
                self.exc = exc

            def __del__(self) -> None:
                raise self.exc

        capsys.readouterr()
        Raises(KeyboardInterrupt())  # dropped at once: its __del__ runs here
        assert capsys.readouterr().err == ""
        Raises(ValueError("a real one"))
        assert "ValueError" in capsys.readouterr().err
    finally:
        sys.unraisablehook = saved
