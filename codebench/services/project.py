"""Opening and creating projects: the project folder, its settings file and its database."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from codebench.domain.yaml_source import load_yaml
from codebench.errors import ServiceError, StorageError
from codebench.storage.schema import SCHEMA_HEAD, sqlite_url
from codebench.storage.reads import reading
from codebench.storage.sqlite_file import inspect_project_file

if TYPE_CHECKING:  # loaded when a use case first writes (or reads a server): see Project.reading
    from codebench.storage.reads import ReadStore
    from codebench.storage.store import Database, Store


CONFIG_NAME = "codebench.yaml"
DB_NAME = "codebench.sqlite"


class Project:
    """An open project: where it lives and how to reach its database.

    The SQLAlchemy engine is made on first use: a command that only reads an up-to-date SQLite
    project never loads SQLAlchemy (see :meth:`reading`).
    """

    def __init__(self, root: Path, name: str, url: str, database: Database | None, project_id: int,
                 backup: str | None = None, permission_warnings: tuple[str, ...] = ()) -> None:
        self.root = root
        self.name = name
        self.url = url
        self._database = database
        self.project_id = project_id
        self.backup = backup  # set when opening upgraded an old SQLite file
        self.permission_warnings = permission_warnings  # project files that others can read (see loose_permissions)

    def __repr__(self) -> str:
        return f"Project(root={self.root!r}, name={self.name!r}, project_id={self.project_id})"

    @property
    def database(self) -> Database:
        """The database (engine, sessions, migrations), connected on first use."""
        if self._database is None:
            from codebench.storage.store import Database

            self._database = Database(self.url)
        return self._database

    @property
    def engine(self) -> Any:
        """The SQLAlchemy engine (for tests and diagnostics; use cases go through :meth:`transaction`)."""
        return self.database.engine

    @property
    def sessions(self) -> Any:
        """The session factory (for tests that need two raw sessions at once)."""
        return self.database.sessions

    def transaction(self, *, write: bool = True) -> AbstractContextManager[Store]:
        """One user action: a :class:`~codebench.storage.store.Store` in one transaction.

        Args:
            write: False for read-only actions, which then never wait for a writer.
        """
        return self.database.transaction(self.project_id, write=write)

    def reading(self) -> AbstractContextManager[ReadStore | Store]:
        """One action that only reads: its read queries in one read transaction.

        An SQLite project is read with Python's ``sqlite3`` alone (no SQLAlchemy, no session); a
        server's through a read-only :meth:`transaction`, whose repositories have the same read
        queries. Use it where a use case only reads; anything that writes uses :meth:`transaction`.
        """
        if self.url.startswith("sqlite"):
            return reading(Path(self.url.split("///", 1)[1]), self.project_id)
        return self.transaction(write=False)

    def close(self) -> None:
        """Release the database connections."""
        if self._database is not None:
            self._database.close()

    def checkpoint(self) -> None:
        """After a bulk write on SQLite, fold the write-ahead log back into the database file."""
        self.database.checkpoint()


def read_text_file(path: Path) -> str:
    """A hand-edited settings or script file as text (UTF-8, a byte-order mark allowed).

    Raises:
        ServiceError: the file is missing, unreadable, or not UTF-8, named with the byte where
            decoding failed (so an ANSI-encoded file is recognised as such).
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ServiceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ServiceError(f"{path}: a folder, not a file") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ServiceError(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except OSError as exc:
        raise ServiceError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _read_config(root: Path) -> dict[str, Any]:
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        raise ServiceError(f"{root}: not a codebench project (no {CONFIG_NAME}); create one with `codebench init {root}`")
    data = load_yaml(read_text_file(config_path), config_path, error=ServiceError) or {}
    if not isinstance(data, dict):
        raise ServiceError(f"{config_path}: expected 'project:' and 'database:' settings")
    return data


def _resolve_url(root: Path, database: str | None) -> str:
    if not database:
        return sqlite_url((root / DB_NAME).resolve())
    if "://" in database:
        return os.path.expandvars(database)
    return sqlite_url((root / database).resolve())


def init_project(root: str | Path, *, db_url: str | None = None, name: str | None = None) -> Project:
    """Create a project folder with its settings and an empty, migrated database.

    Args:
        root: the project folder (created if missing; must not already be a project).
        db_url: a PostgreSQL URL for a shared server; default is an SQLite file in the folder.
        name: project name inside the database; default is the folder name.
    """
    root = Path(root)
    if (root / CONFIG_NAME).exists():
        raise ServiceError(f"{root} is already a codebench project")
    name = name or root.resolve().name
    url = _resolve_url(root, db_url)
    root.mkdir(parents=True, exist_ok=True)
    # The folder holds the transcripts (in the database) and their file names: owner only.
    os.chmod(root, OWNER_ONLY_FOLDER)
    if url.startswith("sqlite"):
        _create_private(Path(url.split("///", 1)[1]))
    from codebench.storage.store import Database

    try:
        with Database(url) as database:
            database.migrate()
            database.create_project(name)
    except StorageError as exc:
        raise ServiceError(str(exc)) from None
    config = {"project": name, "database": db_url or DB_NAME}
    config_path = root / CONFIG_NAME
    _create_private(config_path)  # a server URL in it may carry a password
    config_path.write_text(
        "# codebench project settings\n" + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return open_project(root)


def open_project(root: str | Path, *, db_url: str | None = None) -> Project:
    """Open an existing project, upgrading its schema if needed (SQLite files are backed up first)."""
    root = Path(root)
    config = _read_config(root)
    name = str(config.get("project") or root.resolve().name)
    url = _resolve_url(root, db_url or config.get("database"))
    if url.startswith("sqlite") and not Path(url.split("///", 1)[1]).exists():
        raise ServiceError(f"{root}: the project database {url.split('///', 1)[1]} is missing")
    # Before opening: SQLite makes the -wal and -shm files with the database's mode, and the
    # database is the one to fix.
    warnings = tuple(loose_permissions(root, url))
    if url.startswith("sqlite"):
        # Checked before codebench opens it: opening would quietly make an empty file a database
        # and switch another program's database to WAL mode.
        database_file = Path(url.split("///", 1)[1])
        if database_file.stat().st_size == 0:
            raise ServiceError(f"{database_file} is not a codebench database (the file is empty); "
                               "restore it from a backup or point 'database:' in codebench.yaml at the right file")
        try:
            stored = inspect_project_file(database_file, name, schema=SCHEMA_HEAD)
        except StorageError as exc:
            raise ServiceError(str(exc)) from None
        if stored.revision == SCHEMA_HEAD and stored.project_id is not None:
            # Up to date: nothing to migrate, so the engine waits until a use case needs it.
            return Project(root, name, url, None, stored.project_id, None, warnings)
    from codebench.storage.store import Database

    try:
        database = Database(url)
    except StorageError as exc:
        raise ServiceError(str(exc)) from None
    try:
        backup = database.migrate(create=False)
        # A shared server gets the project on first use; an SQLite file must already hold it.
        project_id = database.project_id(name, create=not url.startswith("sqlite"))
        if project_id is None:
            raise ServiceError(f"{root}: the database holds no project called {name!r}")
    except StorageError as exc:
        database.close()
        raise ServiceError(str(exc)) from None
    except Exception:
        database.close()
        raise
    return Project(root, name, url, database, project_id, backup, warnings)


OWNER_ONLY_FOLDER = 0o700
OWNER_ONLY_FILE = 0o600


def _create_private(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only, whatever the umask (no-op if it exists).

    SQLite then creates the database's -wal and -shm files with the same mode as the database.
    """
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
    os.chmod(path, OWNER_ONLY_FILE)


def loose_permissions(root: Path, url: str) -> list[str]:
    """One line per project file or folder that users other than the owner can read, with the fix.

    Looks at the project folder, its settings, and for an SQLite project the database with its
    write-ahead log, shared-memory file and pre-upgrade backups.
    """
    paths = [root, root / CONFIG_NAME]
    if url.startswith("sqlite"):
        database = Path(url.split("///", 1)[1])
        paths += [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        paths += sorted(database.parent.glob(f"{database.name}.*.bak"))
    lines = []
    for path in paths:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            continue
        if mode & 0o077:
            wanted = OWNER_ONLY_FOLDER if path.is_dir() else OWNER_ONLY_FILE
            lines.append(f"{path} can be read by others (mode {mode:o}); it holds original transcripts: "
                         f"chmod {wanted:o} {path}")
    return lines
