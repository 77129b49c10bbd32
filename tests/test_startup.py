"""What a short command loads: ``codebench --help`` no database layer, ``stats`` no Alembic, no
command the detectors, the workbench or the document writers it does not use.

Start-up time is measured in ``bench/`` (``python -m bench startup``); these tests pin the
imports that decide it, so a module-level import that drags a heavy package back in fails here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codebench import services
from codebench.storage import db as storage_db

NEVER_AT_START = ("alembic", "spacy", "textual", "rich", "openpyxl", "lxml", "docx", "pypdf", "mako")

# Runs the real entry point (the ``codebench`` console script calls ``codebench.cli:main``) and
# prints which of the given modules it loaded.
RUN = """
import sys
from codebench.cli import main
try:
    main({args!r}, prog_name="codebench")
except SystemExit as exc:
    code = exc.code
print("LOADED:", *(m for m in {watched!r} if m in sys.modules))
sys.exit(code or 0)
"""


def _loaded(args: list[str], watched: tuple[str, ...]) -> list[str]:
    result = subprocess.run([sys.executable, "-c", RUN.format(args=args, watched=watched)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-800:]
    return result.stdout.rsplit("LOADED:", 1)[1].split()


def test_help_loads_no_database_layer():
    assert _loaded(["--help"], ("sqlalchemy", "sqlalchemy.orm", "yaml", *NEVER_AT_START)) == []


@pytest.mark.parametrize("command", ["init", "import", "quotes", "export", "anonymise", "merge"])
def test_a_command_help_loads_no_database_layer(command):
    assert _loaded([command, "--help"], ("sqlalchemy", *NEVER_AT_START)) == []


def test_stats_on_an_up_to_date_project_needs_no_alembic(tmp_path: Path):
    services.init_project(tmp_path / "tiny").close()
    assert _loaded(["stats", str(tmp_path / "tiny")], NEVER_AT_START) == []


@pytest.mark.parametrize("command", [["stats"], ["quotes", "--category", "mentor"], ["codes"], ["documents"],
                                     ["show", "kari"], ["export", "qdpx", "--original", "-o", "{tmp}/p.qdpx"],
                                     ["export", "matrix", "--counts-only", "--original", "-o", "{tmp}/m.md"]],
                         ids=lambda c: " ".join(c[:2]) if c[0] == "export" else c[0])
def test_query_commands_read_an_sqlite_project_without_sqlalchemy(coded_project: services.Project, command, tmp_path):
    # Reading goes through plain sqlite3 (storage.reads): SQLAlchemy's import alone cost three
    # quarters of a short command's time.
    services.apply_code(coded_project, "kari", 0, 20, "tidspress", "ingrid")
    where = 2 if command[0] == "export" else 1  # PROJECT follows the (sub)command
    arguments = [*command[:where], str(coded_project.root), *(a.format(tmp=tmp_path) for a in command[where:])]
    watched = ("sqlalchemy", *(m for m in NEVER_AT_START if not (command[0] == "export" and m == "lxml")))
    assert _loaded(arguments, watched) == []


OTHER_COMMANDS = ("codebench.cli.search", "codebench.cli.anonymise", "codebench.cli.team", "codebench.cli.project")


@pytest.mark.parametrize("command", [["quotes", "--category", "mentor"],
                                     ["export", "qdpx", "--original", "-o", "{tmp}/p.qdpx"]],
                         ids=lambda c: c[0])
def test_a_command_loads_its_own_module_only(coded_project: services.Project, command, tmp_path):
    # Each command's module is imported when it runs; an export reads no file and anonymises nothing
    # with --original, so the REFI reader, the importers and the anonymiser's name matching stay out.
    where = 2 if command[0] == "export" else 1
    arguments = [*command[:where], str(coded_project.root), *(a.format(tmp=tmp_path) for a in command[where:])]
    watched = (*OTHER_COMMANDS, "codebench.export.refi.reader", "codebench.ingest", "codebench.anonymise.linking")
    assert _loaded(arguments, watched) == []


def test_the_schema_head_constant_is_the_newest_migration():
    # Opening a project compares the stored revision with SCHEMA_HEAD and imports Alembic only
    # when they differ: a new migration must move the constant, or projects would not upgrade.
    assert storage_db.SCHEMA_HEAD == storage_db.head_revision()


def test_a_project_one_migration_behind_is_still_upgraded(tmp_path: Path):
    from alembic import command

    project = services.init_project(tmp_path / "study")
    with project.engine.begin() as connection:
        command.downgrade(storage_db._alembic_config(connection), "-1")  # undo what the newest migration adds
    project.close()
    behind = storage_db.current_revision(storage_db.make_engine(project.url))
    assert behind is not None and behind != storage_db.SCHEMA_HEAD
    reopened = services.open_project(tmp_path / "study")
    try:
        assert reopened.backup is not None
        assert storage_db.current_revision(reopened.engine) == storage_db.SCHEMA_HEAD
    finally:
        reopened.close()


def test_an_empty_database_has_no_revision(tmp_path: Path):
    engine = storage_db.make_engine(storage_db.sqlite_url(tmp_path / "empty.sqlite"))
    assert storage_db.current_revision(engine) is None
    engine.dispose()


@pytest.mark.parametrize("package", [services, services.anonymisation], ids=["services", "services.anonymisation"])
def test_every_lazily_exported_name_resolves(package):
    # The lazy re-exports and __all__ name the same things, and each is really there.
    exported = set(package._lazy_exports) - set(getattr(package, "_SUBMODULES", ()))
    assert set(package.__all__) <= set(package._lazy_exports)
    for name in exported | set(package.__all__):
        assert getattr(package, name) is not None, name


def test_a_function_named_like_its_module_stays_the_function():
    # ``disclosure`` and ``renditions`` are functions of the modules of the same name; loading the
    # module (which binds it to the package) must not replace the function.
    import codebench.services.anonymisation.disclosure  # noqa: F401
    import codebench.services.anonymisation.renditions  # noqa: F401

    assert callable(services.anonymisation.disclosure) and callable(services.anonymisation.renditions)
    assert callable(services.memos)


def test_codes_anonymising_in_vivo_names_reads_without_sqlalchemy(reviewed_sample_dir: Path):
    # The sample has in-vivo codes and replaced names: their renditions are read on the light path
    # too (the pseudonym key's id is read, not made in a writing transaction).
    assert _loaded(["codes", str(reviewed_sample_dir)], ("sqlalchemy", "spacy", "textual")) == []
