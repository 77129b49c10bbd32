"""Every file a project keeps on disk is the owner's alone, whatever the umask (#14).

The database, its write-ahead log and shared memory, the pre-upgrade backup and the settings hold
the original transcripts and their file names; a shared laptop or home server must not expose them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from codebench import services

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_project_is_owner_only_with_its_log_files(tmp_path, umask_022):
    project = services.init_project(tmp_path / "study")
    try:
        transcripts = sorted(SAMPLE.glob("*.txt"))
        assert transcripts, "the sample corpus has .txt transcripts"
        report = services.import_files(project, transcripts[:1])
        assert report.added and not report.errors
        root = tmp_path / "study"
        db = root / services.DB_NAME
        wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
        assert wal.exists() and shm.exists(), "an open SQLite project in WAL mode has its -wal and -shm files"
        assert mode(root) == 0o700
        for path in (db, wal, shm, root / services.CONFIG_NAME):
            assert mode(path) == 0o600, f"{path.name} is {mode(path):o}"
        assert project.permission_warnings == ()
    finally:
        project.close()


def test_opening_warns_once_about_files_others_can_read(tmp_path, umask_022):
    services.init_project(tmp_path / "study").close()
    db = tmp_path / "study" / services.DB_NAME
    os.chmod(db, 0o644)
    project = services.open_project(tmp_path / "study")
    try:
        assert len(project.permission_warnings) == 1
        warning = project.permission_warnings[0]
        assert str(db) in warning and "644" in warning and f"chmod 600 {db}" in warning
    finally:
        project.close()


def test_the_backup_made_before_an_upgrade_is_owner_only(tmp_path, umask_022):
    from alembic import command

    from codebench.storage import db as storage_db

    root = tmp_path / "study"
    root.mkdir(mode=0o700)
    db = root / services.DB_NAME
    # A project file written by the first codebench: schema 0001, under the permissive umask.
    engine = storage_db.make_engine(storage_db.sqlite_url(db))
    with engine.begin() as connection:
        command.upgrade(storage_db._alembic_config(connection), "0001")
        connection.exec_driver_sql("INSERT INTO projects (name, created_at, settings) VALUES ('study', '2026-01-01', '{}')")
    engine.dispose()
    (root / services.CONFIG_NAME).write_text("project: study\ndatabase: codebench.sqlite\n", encoding="utf-8")
    os.chmod(root / services.CONFIG_NAME, 0o600)
    assert mode(db) == 0o644  # as the old version left it
    project = services.open_project(root)
    try:
        assert project.backup, "opening an old schema upgrades it and keeps a backup"
        assert mode(Path(project.backup)) == 0o600  # not the mode of the file it copies
        assert [w for w in project.permission_warnings if str(db) in w]
    finally:
        project.close()


def test_the_cli_prints_the_warning_on_stderr(tmp_path, umask_022):
    from click.testing import CliRunner

    from codebench.cli import main

    services.init_project(tmp_path / "study").close()
    os.chmod(tmp_path / "study", 0o755)
    result = CliRunner().invoke(main, ["stats", str(tmp_path / "study")])
    assert result.exit_code == 0, result.output
    assert "can be read by others (mode 755)" in result.stderr and f"chmod 700 {tmp_path / 'study'}" in result.stderr


def test_every_original_output_and_the_key_are_owner_only(tmp_path, umask_022):
    """Files with original text (every --original export, the text export too) and the key are 0600;
    nothing half-written (.part) is left behind."""
    from click.testing import CliRunner

    from codebench.cli import main
    from codebench.services import anonymisation

    project = services.init_project(tmp_path / "p")
    transcript = tmp_path / "kari.txt"
    transcript.write_text("I: Hvem hjalp deg?\n\nR: Kari Nordmann hjalp meg hver dag.\n", encoding="utf-8")
    services.import_files(project, [transcript], services.ParticipantSpec(role="mentor", round=1))
    text = services.get_document(project, "kari").text
    services.create_code(project, "mentor", kind="category")
    services.create_code(project, "støtte", parent="mentor")
    services.apply_code(project, "kari", text.index("Kari"), len(text.rstrip()), "støtte", "ingrid")
    anonymisation.detect(project, use_model=False)
    key = anonymisation.write_key(project)
    out = tmp_path / "ut"
    out.mkdir()
    root = str(project.root)
    commands = [
        ["export", "text", root, "-o", str(out / "tekst"), "--original"],
        ["export", "qdpx", root, "-o", str(out / "p.qdpx"), "--original"],
        ["export", "quotes", root, "--category", "mentor", "-o", str(out / "q.docx"), "--original"],
        ["export", "codebook", root, "-o", str(out / "k.md"), "--original"],
        *[["export", "matrix", root, "-o", str(out / f"m.{fmt}"), "--original"] for fmt in ("xlsx", "csv", "md", "html", "docx")],
    ]
    for command in commands:
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) == len(commands)  # one text file for the one document
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}
    assert not list(out.rglob("*.part"))
    assert mode(key) == 0o600 and mode(key.parent) == 0o700
    # The text export's files are named as the documents are ("kari"): a folder it makes for
    # them lists them to its owner only (a tester found it drwxr-xr-x).
    assert mode(out / "tekst") == 0o700


def test_a_text_export_before_the_review_is_finished_is_owner_only(tmp_path, umask_022):
    """--allow-unreviewed text may still hold names (its first line says so, but a line is easily
    overlooked): the file is 0600 like an original; once the review is finished the export is
    readable as usual."""
    from click.testing import CliRunner

    from codebench.cli import main
    from codebench.services import anonymisation

    project = services.init_project(tmp_path / "p")
    transcript = tmp_path / "kari.txt"
    transcript.write_text("I: Hvem hjalp deg?\n\nR: Kari Nordmann hjalp meg hver dag.\n", encoding="utf-8")
    services.import_files(project, [transcript], services.ParticipantSpec(role="mentor", round=1))
    anonymisation.detect(project, use_model=False)
    root = str(project.root)
    early = CliRunner().invoke(main, ["export", "text", root, "-o", str(tmp_path / "tidlig"), "--allow-unreviewed"])
    assert early.exit_code == 0, early.output
    assert [mode(p) for p in (tmp_path / "tidlig").iterdir()] == [0o600]
    anonymisation.auto_accept(project, threshold=0.0, coder="ingrid")
    anonymisation.mark_residual_read(project, coder="ingrid")
    done = CliRunner().invoke(main, ["export", "text", root, "-o", str(tmp_path / "ferdig")])
    assert done.exit_code == 0, done.output
    assert [mode(p) for p in (tmp_path / "ferdig").iterdir()] == [0o644]
