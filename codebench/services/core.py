"""Use cases shared by the CLI and the TUI.

Every public function here is one user action and runs in one transaction: it either
completes or leaves the project as it was. Functions take a :class:`Project` handle and return
plain records (``codebench.domain.records``), never ORM rows.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from codebench.domain.codebook import Codebook, CodebookNode, dump_codebook, parse_codebook
from codebench.domain.records import (
    AuditEntry, CodeInfo, CodingInfo, DocumentInfo, ParticipantInfo, Quote, TurnInfo, normalise_role,
)
from codebench.domain.spans import Span
from codebench.ingest import IngestError, import_file
from codebench.ingest.base import ImportedDocument
from codebench.storage.db import StorageError, make_engine, migrate, session_factory, sqlite_url, transaction
from codebench.storage.orm import (
    Code, Coder, Coding, Document, Memo, Participant, Project as ProjectRow, Turn, new_uuid, utcnow,
)
from codebench.storage.repositories import Repository, code_info, coding_info
from codebench.errors import ServiceError

CONFIG_NAME = "codebench.yaml"
DB_NAME = "codebench.sqlite"
ROLE_PREFIX = {"veileder": "V", "IA-rådgiver": "IA", "mentor": "M", "arbeidsgiver": "A", "other": "X"}




# ---------------------------------------------------------------------------------------------
# Opening and creating projects
# ---------------------------------------------------------------------------------------------


@dataclass
class Project:
    """An open project: where it lives and how to reach its database."""

    root: Path
    name: str
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    project_id: int
    backup: str | None = None  # set when opening upgraded an old SQLite file

    def transaction(self, *, write: bool = True) -> Any:
        """Context manager yielding a :class:`Repository` in one transaction.

        Args:
            write: False for read-only actions, which then never wait for a writer.
        """
        return _RepoTransaction(self, write)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def checkpoint(self) -> None:
        """After a bulk write on SQLite, fold the write-ahead log back into the database file.

        Until then every read consults the log page by page: after importing 50,000 codings,
        category retrieval took 150 ms instead of 90 ms. Busy readers just make it a no-op.
        """
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class _RepoTransaction:
    def __init__(self, project: Project, write: bool) -> None:
        self._cm = transaction(project.sessions, write=write)
        self._project = project

    def __enter__(self) -> Repository:
        session = self._cm.__enter__()
        return Repository(session, self._project.project_id)

    def __exit__(self, *exc: Any) -> Any:
        return self._cm.__exit__(*exc)


def _read_config(root: Path) -> dict[str, Any]:
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        raise ServiceError(f"{root}: not a codebench project (no {CONFIG_NAME}); create one with `codebench init {root}`")
    try:
        data = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ServiceError(f"{config_path}{where}: not valid YAML") from None
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
    engine = make_engine(url)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            if session.scalar(select(ProjectRow).where(ProjectRow.name == name)) is not None:
                raise ServiceError(f"the database already has a project called {name!r}; choose another --name")
            session.add(ProjectRow(name=name, settings={}))
    except Exception:
        engine.dispose()
        raise
    config = {"project": name, "database": db_url or DB_NAME}
    (root / CONFIG_NAME).write_text(
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
    engine = make_engine(url)
    try:
        backup = migrate(engine)
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            row = session.scalar(select(ProjectRow).where(ProjectRow.name == name))
            if row is None:
                if url.startswith("sqlite"):
                    raise ServiceError(f"{root}: the database holds no project called {name!r}")
                row = ProjectRow(name=name, settings={})  # first use of a shared server
                session.add(row)
                session.flush()
            project_id = row.id
    except StorageError as exc:
        engine.dispose()
        raise ServiceError(str(exc)) from None
    except Exception:
        engine.dispose()
        raise
    return Project(root, name, url, engine, sessions, project_id, backup)


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


@dataclass
class ParticipantSpec:
    """What the user said about a file's informant (CLI flags or participants.yaml)."""

    pid: str | None = None
    role: str | None = None
    site: str | None = None
    round: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    """What an import did: documents added, files skipped as duplicates, problems found."""

    added: list[DocumentInfo] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, existing document)
    errors: list[str] = field(default_factory=list)


def _participants_yaml(folder: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """``(participants by pid, documents by file name)`` from a participants.yaml in ``folder``."""
    path = folder / "participants.yaml"
    if not path.is_file():
        return {}, {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ServiceError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML") from None
    if not isinstance(data, dict):
        raise ServiceError(f"{path}: expected 'participants:' and 'documents:' sections")
    participants = data.get("participants") or {}
    documents = data.get("documents") or {}
    if not isinstance(participants, dict) or not isinstance(documents, dict):
        raise ServiceError(f"{path}: 'participants' and 'documents' must be mappings")
    return {str(k): dict(v or {}) for k, v in participants.items()}, {str(k): dict(v or {}) for k, v in documents.items()}


def _spec_for(path: Path, flags: ParticipantSpec, cache: dict[Path, Any]) -> ParticipantSpec:
    folder = path.parent
    if folder not in cache:
        cache[folder] = _participants_yaml(folder)
    people, documents = cache[folder]
    entry = documents.get(path.name) or documents.get(path.stem) or {}
    pid = flags.pid or entry.get("participant")
    person = dict(people.get(str(pid), {})) if pid else {}
    role = flags.role or entry.get("role") or person.pop("role", None)
    person.pop("role", None)
    site = flags.site or entry.get("site") or person.pop("site", None)
    person.pop("site", None)
    round_ = flags.round if flags.round is not None else entry.get("round")
    attributes = {**person, **flags.attributes}
    return ParticipantSpec(str(pid) if pid else None, role, site, int(round_) if round_ is not None else None, attributes)


def _ensure_participant(repo: Repository, spec: ParticipantSpec) -> Participant | None:
    if spec.pid is None and spec.role is None:
        return None
    role = normalise_role(spec.role) if spec.role else None
    if spec.pid is None:
        assert role is not None
        prefix = ROLE_PREFIX[role]
        taken = {p.pid for p in repo.participants()}
        n = 1
        while f"{prefix}{n:02d}" in taken:
            n += 1
        spec.pid = f"{prefix}{n:02d}"
    row = repo.participant(spec.pid)
    if row is None:
        row = Participant(project_id=repo.project_id, pid=spec.pid, role=role or "other", site=spec.site, attributes=spec.attributes)
        repo.session.add(row)
        repo.session.flush()
    else:
        if role and row.role != role:
            if row.role != "other":
                raise ServiceError(f"participant {spec.pid} is a {row.role}, not a {role}")
            row.role = role
        if spec.site and not row.site:
            row.site = spec.site
        if spec.attributes:
            row.attributes = {**(row.attributes or {}), **spec.attributes}
    return row


def _store_document(repo: Repository, doc: ImportedDocument, spec: ParticipantSpec) -> Document:
    participant = _ensure_participant(repo, spec)
    base = doc.name or Path(doc.source_name).stem
    name, n = base, 2
    taken = set(repo.session.scalars(select(Document.name).where(Document.project_id == repo.project_id)))
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    row = Document(
        project_id=repo.project_id, name=name, source_name=doc.source_name, source_format=doc.source_format,
        text=doc.text, sha256=text_sha256(doc.text), length=len(doc.text), word_count=doc.word_count,
        round=spec.round, participant_id=participant.id if participant else None,
        meta={**doc.meta, "notes": list(doc.notes)},
    )
    repo.session.add(row)
    repo.session.flush()
    repo.session.add_all(
        Turn(document_id=row.id, seq=i, speaker=t.speaker, start=t.start, end=t.end, body_start=t.body_start,
             t_start=t.t_start, t_end=t.t_end)
        for i, t in enumerate(doc.turns)
    )
    return row


def text_sha256(text: str) -> str:
    """SHA-256 of a document text (UTF-8), the identity of its content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_files(
    project: Project,
    paths: Sequence[str | Path],
    flags: ParticipantSpec | None = None,
    *,
    skip_bad: bool = False,
) -> ImportReport:
    """Import transcripts; all or nothing unless ``skip_bad``.

    Every file is parsed before anything is written. If any file fails and ``skip_bad`` is
    false, nothing is imported and every problem is reported. Content already in the project
    (same SHA-256 of the normalised text) is skipped and reported as a duplicate.
    """
    flags = flags or ParticipantSpec()
    report = ImportReport()
    parsed: list[tuple[Path, ImportedDocument]] = []
    for raw in paths:
        path = Path(raw)
        try:
            parsed.append((path, import_file(path)))
        except IngestError as exc:
            report.errors.append(str(exc))
    if report.errors and not skip_bad:
        return report
    cache: dict[Path, Any] = {}
    try:
        specs = [_spec_for(path, flags, cache) for path, _ in parsed]
    except ValueError as exc:
        report.errors.append(str(exc))
        return report
    _store_all(project, [(p, d, s) for (p, d), s in zip(parsed, specs)], report)
    project.checkpoint()
    return report


def import_survey(
    project: Project,
    path: str | Path,
    text_columns: list[str],
    *,
    id_column: str | None = None,
    role: str = "arbeidsgiver",
    round: int | None = None,
) -> ImportReport:
    """Import survey answers: each respondent becomes a participant and a document."""
    from codebench.ingest.survey import import_survey as parse_survey

    report = ImportReport()
    path = Path(path)
    try:
        documents = parse_survey(path, text_columns, id_column)
        role = normalise_role(role)
    except (IngestError, ValueError) as exc:
        report.errors.append(str(exc))
        return report
    items = []
    for doc in documents:
        hint = doc.participant_hint or {}
        pid = f"{path.stem}-{hint.get('pid')}"
        items.append((path, doc, ParticipantSpec(pid, role, None, round, dict(hint.get("attributes", {})))))
    _store_all(project, items, report)
    return report


def _store_all(project: Project, items: list[tuple[Path, ImportedDocument, ParticipantSpec]], report: ImportReport) -> None:
    try:
        with project.transaction() as repo:
            seen: dict[str, str] = {}
            added_ids: list[int] = []
            for path, doc, spec in items:
                digest = text_sha256(doc.text)
                existing = repo.document_by_hash(digest)
                if existing is not None or digest in seen:
                    report.duplicates.append((str(path), existing.name if existing else seen[digest]))
                    continue
                row = _store_document(repo, doc, spec)
                seen[digest] = row.name
                added_ids.append(row.id)
            repo.session.flush()
            if added_ids:
                repo.log("import", None, {"documents": added_ids})
            report.added = repo.document_infos(added_ids) if added_ids else []
    except ValueError as exc:
        report.errors.append(str(exc))
        report.added = []


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def list_documents(project: Project) -> list[DocumentInfo]:
    """All documents, in import order."""
    with project.transaction(write=False) as repo:
        return repo.document_infos()


@dataclass(frozen=True)
class DocumentText:
    """A document with its full text and turns, for reading and coding."""

    info: DocumentInfo
    text: str
    turns: list[TurnInfo]


def _document(repo: Repository, ref: str | int) -> Document:
    row = repo.find_document(ref)
    if row is None:
        raise ServiceError(f"no document {ref!r} in this project (see `codebench documents`)")
    return row


def get_document(project: Project, ref: str | int) -> DocumentText:
    """A document by id or name, with its text and turns."""
    with project.transaction(write=False) as repo:
        row = _document(repo, ref)
        info = repo.document_infos([row.id])[0]
        return DocumentText(info, row.text, repo.turns(row.id))


# ---------------------------------------------------------------------------------------------
# Codebook
# ---------------------------------------------------------------------------------------------


@dataclass
class CodebookReport:
    """What loading a codebook changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_codebook_file(path: str | Path) -> Codebook:
    """Parse and validate a codebook file (raises CodebookError listing every problem)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ServiceError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ServiceError(f"{path}: not UTF-8 text (byte {exc.start}); save the codebook as UTF-8") from None
    return parse_codebook(text, str(path))


_NODE_FIELDS = ("description", "inclusion", "exclusion", "colour", "shortcut", "origin", "core", "memo")


def load_codebook(project: Project, path: str | Path, coder: str | None = None) -> CodebookReport:
    """Merge a YAML codebook into the project's code tree.

    Nodes match by id, then by name (ignoring case). Matching nodes take the file's fields and
    place; new nodes are added. Nothing is deleted: codes made while coding stay.
    """
    book = read_codebook_file(path)
    report = CodebookReport()
    with project.transaction() as repo:
        existing_shortcuts = {r.shortcut: r.name_key for r in repo.code_rows() if r.shortcut}
        positions: Counter[int | None] = Counter()

        def upsert(node: CodebookNode, parent: Code | None) -> None:
            row = repo.code_by_uuid(node.id) if node.id else None
            row = row or repo.code_by_name(node.name)
            parent_id = parent.id if parent else None
            values: dict[str, Any] = {f: getattr(node, f) for f in _NODE_FIELDS}
            values["examples"] = list(node.examples)
            if node.shortcut and existing_shortcuts.get(node.shortcut) not in (None, node.name.casefold()):
                # The file wins: the old holder of the key loses it.
                holder = repo.code_by_name(existing_shortcuts[node.shortcut])
                if holder is not None:
                    holder.shortcut = None
            if node.shortcut:
                existing_shortcuts[node.shortcut] = node.name.casefold()
            if row is None:
                row = Code(
                    project_id=repo.project_id, uuid=node.id or new_uuid(), parent_id=parent_id, kind=node.kind,
                    name=node.name, name_key=node.name.casefold(), position=positions[parent_id], **values,
                )
                repo.session.add(row)
                repo.session.flush()
                report.added.append(node.name)
            else:
                if row.kind != node.kind:
                    raise ServiceError(f"{path}:{node.line}: {node.name!r} is a {row.kind} in the project but a {node.kind} in the file")
                changes = {k: v for k, v in values.items() if getattr(row, k) != v}
                if row.name != node.name:
                    changes["name"] = node.name
                if row.parent_id != parent_id:
                    changes["parent_id"] = parent_id
                if row.position != positions[parent_id]:
                    changes["position"] = positions[parent_id]
                if changes:
                    for key, value in changes.items():
                        setattr(row, key, value)
                    row.name_key = row.name.casefold()
                    report.updated.append(node.name)
                else:
                    report.unchanged += 1
            positions[parent_id] += 1
            for child in node.children:
                upsert(child, row)

        for root in book.roots:
            upsert(root, None)
        project_row = repo.session.get(ProjectRow, repo.project_id)
        assert project_row is not None
        meta = {"name": book.name, "description": book.description}
        if project_row.settings.get("codebook") != meta:
            project_row.settings = {**project_row.settings, "codebook": meta}  # new dict: JSON change tracking
        repo.session.flush()
        if report.added or report.updated:
            repo.log("codebook_load", coder, {"file": Path(path).name, "added": report.added, "updated": report.updated})
    return report


def code_tree(project: Project) -> list[CodeInfo]:
    """The whole code tree, parents before children, siblings in order."""
    with project.transaction(write=False) as repo:
        return _ordered_tree(repo.code_rows())


def _ordered_tree(rows: Sequence[Code]) -> list[CodeInfo]:
    children: dict[int | None, list[Code]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    ordered: list[CodeInfo] = []

    def visit(parent: int | None) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: (r.position, r.id)):
            ordered.append(code_info(row))
            visit(row.id)

    visit(None)
    return ordered


def export_codebook(project: Project) -> str:
    """The project's code tree as codebook YAML (open and in-vivo codes included)."""
    with project.transaction(write=False) as repo:
        rows = repo.code_rows()
        settings = repo.session.get(ProjectRow, project.project_id)
        assert settings is not None
        meta = settings.settings.get("codebook", {})
    nodes: dict[int, CodebookNode] = {}
    roots: list[CodebookNode] = []
    for info in _ordered_tree(rows):
        node = CodebookNode(
            kind=info.kind, name=info.name, id=info.uuid, description=info.description, inclusion=info.inclusion,
            exclusion=info.exclusion, examples=list(info.examples), colour=info.colour, shortcut=info.shortcut,
            origin=info.origin, core=info.core, memo=info.memo,
        )
        nodes[info.id] = node
        (nodes[info.parent_id].children if info.parent_id is not None else roots).append(node)
    book = Codebook(name=meta.get("name") or project.name, description=meta.get("description"), roots=roots)
    return dump_codebook(book)


def create_code(
    project: Project, name: str, *, parent: str | None = None, kind: str = "code", origin: str = "open",
    coder: str | None = None, description: str | None = None,
) -> CodeInfo:
    """Add a code (or category) to the tree, as an open code by default."""
    with project.transaction() as repo:
        row = _create_code(repo, name, parent=parent, kind=kind, origin=origin, description=description)
        repo.log("code_create", coder, {"code": row.uuid, "snapshot": _code_snapshot(code_info(row))})
        return code_info(row)


def _create_code(repo: Repository, name: str, *, parent: str | None, kind: str, origin: str,
                 description: str | None = None) -> Code:
    name = " ".join(name.split())
    if not name:
        raise ServiceError("a code needs a name")
    if len(name) > 200:
        raise ServiceError("a code name may be at most 200 characters")
    if repo.code_by_name(name) is not None:
        raise ServiceError(f"there is already a code or category called {name!r}")
    parent_row = None
    if parent:
        parent_row = repo.code_by_name(parent)
        if parent_row is None:
            raise ServiceError(f"no category called {parent!r}")
        if parent_row.kind != "category":
            raise ServiceError(f"{parent!r} is a code; codes go under categories")
    row = Code(
        project_id=repo.project_id, parent_id=parent_row.id if parent_row else None, kind=kind, name=name,
        name_key=name.casefold(), position=repo.next_position(parent_row.id if parent_row else None),
        origin=origin if kind == "code" else "codebook", description=description, examples=[],
    )
    repo.session.add(row)
    repo.session.flush()
    return row


_EDITABLE = ("name", "description", "inclusion", "exclusion", "examples", "colour", "shortcut", "memo", "core", "origin")


def update_code(project: Project, code: str, *, expected_version: int | None = None, coder: str | None = None,
                **changes: Any) -> CodeInfo:
    """Change a code's or category's fields (rename, definition, memo, colour, shortcut...).

    Args:
        code: the code to change (its current name).
        expected_version: the version the editor saw (``CodeInfo.version``). If someone else
            changed the code since, the edit is refused instead of silently overwriting theirs.
        changes: new values for any of name, description, inclusion, exclusion, examples,
            colour, shortcut, memo, core, origin.
    """
    from sqlalchemy.orm.exc import StaleDataError

    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ServiceError(f"cannot change {', '.join(sorted(unknown))} of a code")
    try:
        with project.transaction() as repo:
            row = repo.code_by_name(code)
            if row is None:
                raise ServiceError(f"no code or category called {code!r}")
            if expected_version is not None and row.version != expected_version:
                raise ServiceError(f"{row.name!r} was changed by someone else since you opened it "
                                   f"(version {row.version}, you had {expected_version}); reload and edit again")
            before = _code_snapshot(code_info(row))
            if "name" in changes:
                new_name = " ".join(str(changes["name"]).split())
                clash = repo.code_by_name(new_name)
                if not new_name or (clash is not None and clash.id != row.id):
                    raise ServiceError(f"there is already a code or category called {new_name!r}")
                changes["name"] = new_name
                row.name_key = new_name.casefold()
            if changes.get("shortcut"):
                holder = repo.session.scalar(select(Code).where(
                    Code.project_id == repo.project_id, Code.shortcut == changes["shortcut"], Code.id != row.id))
                if holder is not None:
                    raise ServiceError(f"shortcut {changes['shortcut']!r} belongs to {holder.name!r}")
            side_effects = []
            if changes.get("core"):
                # One core category: marking a new one unmarks the old (undone together).
                for other in repo.code_rows():
                    if other.core and other.id != row.id:
                        other.core = False
                        side_effects.append({"code": other.uuid, "before": {"core": True}, "changes": {"core": False}})
            for key, value in changes.items():
                setattr(row, key, value)
            repo.session.flush()
            repo.log("code_update", coder, {"code": row.uuid, "before": {k: before[k] for k in changes}, "changes": changes,
                                            "side_effects": side_effects})
            return code_info(row)
    except StaleDataError:
        raise ServiceError(f"{code!r} was changed by someone else at the same moment; reload and edit again") from None


def move_code(project: Project, code: str, parent: str | None, coder: str | None = None) -> CodeInfo:
    """Move a code or category under another category (None: to the top level)."""
    with project.transaction() as repo:
        row = repo.code_by_name(code)
        if row is None:
            raise ServiceError(f"no code or category called {code!r}")
        target = None
        if parent is not None:
            target = repo.code_by_name(parent)
            if target is None or target.kind != "category":
                raise ServiceError(f"no category called {parent!r}")
            if target.id in _subtree_ids(repo.code_rows(), row.id):
                raise ServiceError(f"{row.name!r} cannot go inside itself")
        before = row.parent_id
        row.parent_id = target.id if target else None
        row.position = repo.next_position(row.parent_id)
        repo.session.flush()
        repo.log("code_move", coder, {"code": row.uuid, "from": before, "to": row.parent_id})
        return code_info(row)


def promote_code(project: Project, code: str, coder: str | None = None) -> CodeInfo:
    """Make a code a category (selective coding); its codings stay with it and remain retrievable."""
    with project.transaction() as repo:
        row = repo.code_by_name(code)
        if row is None or row.kind != "code":
            raise ServiceError(f"no code called {code!r}")
        row.kind = "category"
        repo.session.flush()
        repo.log("code_update", coder, {"code": row.uuid, "before": {"kind": "code"}, "changes": {"kind": "category"}})
        return code_info(row)


def _subtree_ids(rows: Sequence[Code], root_id: int) -> list[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row.id)
    ids, stack = [], [root_id]
    while stack:
        current = stack.pop()
        ids.append(current)
        stack.extend(children.get(current, []))
    return ids


def merge_codes(project: Project, source: str, target: str, coder: str | None = None) -> int:
    """Merge code ``source`` into ``target``: its codings follow, then it is removed.

    Returns:
        the number of codings moved. A coding that would duplicate one the same coder already
        has on the same span with ``target`` is dropped (and recorded in the audit log).
    """
    with project.transaction() as repo:
        src, dst = repo.code_by_name(source), repo.code_by_name(target)
        if src is None or dst is None:
            raise ServiceError(f"no code called {source if src is None else target!r}")
        if src.id == dst.id:
            raise ServiceError("a code cannot be merged into itself")
        if src.kind != "code" or dst.kind != "code":
            raise ServiceError("only codes can be merged (move categories instead)")
        moved = repo.session.scalars(select(Coding).where(Coding.code_id == src.id)).all()
        present = set(repo.session.execute(
            select(Coding.document_id, Coding.coder_id, Coding.start, Coding.end).where(Coding.code_id == dst.id)
        ).all())
        dropped: list[dict[str, Any]] = []
        for coding in moved:
            key = (coding.document_id, coding.coder_id, coding.start, coding.end)
            if key in present:
                dropped.append(_coding_snapshot(coding))
                repo.session.delete(coding)
            else:
                coding.code_id = dst.id
                coding.updated_at = utcnow()
                present.add(key)
        snapshot = code_info(src)
        repo.session.flush()
        repo.session.delete(src)
        repo.log("merge_codes", coder, {
            "source": _code_snapshot(snapshot), "target": dst.uuid,
            "moved": [c.uuid for c in moved if c.uuid not in {d["uuid"] for d in dropped}],
            "dropped": dropped,
        })
        return len(moved) - len(dropped)


def _code_snapshot(info: CodeInfo) -> dict[str, Any]:
    return {
        "uuid": info.uuid, "kind": info.kind, "name": info.name, "parent_id": info.parent_id,
        "position": info.position, "description": info.description, "inclusion": info.inclusion,
        "exclusion": info.exclusion, "examples": list(info.examples), "colour": info.colour,
        "shortcut": info.shortcut, "origin": info.origin, "core": info.core, "memo": info.memo,
    }


# ---------------------------------------------------------------------------------------------
# Coding
# ---------------------------------------------------------------------------------------------


def _coding_snapshot(row: Coding) -> dict[str, Any]:
    return {
        "uuid": row.uuid, "document_id": row.document_id, "code_id": row.code_id, "coder_id": row.coder_id,
        "start": row.start, "end": row.end, "text_sha256": row.text_sha256, "memo": row.memo,
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }


def _check_span(document: Document, start: int, end: int) -> Span:
    if start < 0 or end > document.length or end <= start:
        raise ServiceError(
            f"span [{start}, {end}) is not inside {document.name!r} (length {document.length}); end must be after start"
        )
    return Span(start, end)


def apply_code(
    project: Project,
    document: str | int,
    start: int,
    end: int,
    code: str,
    coder: str,
    *,
    memo: str | None = None,
    create: str | None = "open",
    category: str | None = None,
) -> CodingInfo:
    """Code ``[start, end)`` of a document.

    Args:
        document: document id or name.
        start, end: half-open code point span into the stored text.
        code: code name; an unknown name creates a new code when ``create`` is an origin
            (``"open"`` or ``"in-vivo"``), else it is an error.
        coder: who codes (created on first use).
        memo: optional memo on the coding.
        category: where a newly created code goes (default: top level).
    """
    coder = coder.strip()
    if not coder:
        raise ServiceError("a coding needs a coder name")
    with project.transaction() as repo:
        doc = _document(repo, document)
        span = _check_span(doc, start, end)
        code_row = repo.code_by_name(code)
        created = False
        if code_row is None:
            if create is None:
                raise ServiceError(f"no code called {code!r}")
            code_row = _create_code(repo, code, parent=category, kind="code", origin=create)
            created = True
        elif code_row.kind != "code":
            raise ServiceError(f"{code_row.name!r} is a category; apply one of its codes")
        coder_row = repo.coder(coder)
        assert coder_row is not None
        duplicate = repo.session.scalar(select(Coding).where(
            Coding.document_id == doc.id, Coding.code_id == code_row.id, Coding.coder_id == coder_row.id,
            Coding.start == span.start, Coding.end == span.end,
        ))
        if duplicate is not None:
            raise ServiceError(f"{coder} has already coded this span with {code_row.name!r}")
        now = utcnow()
        row = Coding(
            uuid=new_uuid(), document_id=doc.id, code_id=code_row.id, coder_id=coder_row.id, start=span.start,
            end=span.end, text_sha256=doc.sha256, quote=doc.text[span.start:span.end], memo=memo,
            created_at=now, updated_at=now,
        )
        repo.session.add(row)
        repo.session.flush()
        payload = _coding_snapshot(row)
        if created:
            payload["created_code"] = _code_snapshot(code_info(code_row))
        repo.log("apply", coder, payload)
        return coding_info(row, coder)


def remove_coding(project: Project, coding_uuid: str, coder: str | None = None) -> CodingInfo:
    """Delete a coding (its snapshot stays in the audit log, so undo can restore it)."""
    with project.transaction() as repo:
        row = repo.coding(coding_uuid)
        if row is None:
            raise ServiceError(f"no coding {coding_uuid!r}")
        info = coding_info(row, repo.coder_names()[row.coder_id])
        repo.log("remove", coder, _coding_snapshot(row))
        repo.session.delete(row)
        return info


def recode(project: Project, coding_uuid: str, code: str, coder: str | None = None, *,
           create: str | None = None) -> CodingInfo:
    """Give an existing coding another code (same span, same coder).

    Args:
        create: an origin ("open", "in-vivo") to create ``code`` when it does not exist yet.
    """
    with project.transaction() as repo:
        row = repo.coding(coding_uuid)
        if row is None:
            raise ServiceError(f"no coding {coding_uuid!r}")
        code_row = repo.code_by_name(code)
        if code_row is None and create is not None:
            code_row = _create_code(repo, code, parent=None, kind="code", origin=create)
        if code_row is None or code_row.kind != "code":
            raise ServiceError(f"no code called {code!r}")
        old = row.code_id
        row.code_id = code_row.id
        row.updated_at = utcnow()
        repo.log("recode", coder, {"uuid": row.uuid, "from": old, "to": code_row.id})
        return coding_info(row, repo.coder_names()[row.coder_id])


def set_coding_memo(project: Project, coding_uuid: str, memo: str | None, coder: str | None = None) -> CodingInfo:
    """Write (or clear, with None) the memo of a coding."""
    with project.transaction() as repo:
        row = repo.coding(coding_uuid)
        if row is None:
            raise ServiceError(f"no coding {coding_uuid!r}")
        repo.log("coding_memo", coder, {"uuid": row.uuid, "from": row.memo, "to": memo})
        row.memo = memo
        row.updated_at = utcnow()
        return coding_info(row, repo.coder_names()[row.coder_id])


def codings(project: Project, document: str | int | None = None) -> list[CodingInfo]:
    """Codings of the project or of one document, by position."""
    with project.transaction(write=False) as repo:
        doc_id = _document(repo, document).id if document is not None else None
        return repo.codings(doc_id)


_UNDOABLE = ("apply", "remove", "recode", "coding_memo", "code_create", "code_update", "code_move", "merge_codes")


def _history(repo: Repository, coder: str) -> tuple[list[AuditEntry], list[AuditEntry]]:
    """The coder's undo and redo stacks, rebuilt by replaying their audit log."""
    entries = [e for e in reversed(repo.audit()) if e.coder == coder and e.action in (*_UNDOABLE, "undo", "redo")]
    by_id = {e.id: e for e in entries}
    undo_stack: list[AuditEntry] = []
    redo_stack: list[AuditEntry] = []
    for entry in entries:
        if entry.action in _UNDOABLE:
            undo_stack.append(entry)
            redo_stack.clear()  # a new operation ends the redo history, as in an editor
        elif entry.action == "undo" and undo_stack and undo_stack[-1].id == entry.payload.get("entry"):
            redo_stack.append(undo_stack.pop())
        elif entry.action == "redo" and redo_stack and redo_stack[-1].id == entry.payload.get("entry"):
            undo_stack.append(redo_stack.pop())
        elif entry.action in ("undo", "redo") and entry.payload.get("entry") in by_id:
            pass  # an old log written before stacks existed; ignore
    return undo_stack, redo_stack


def _restore_coding(repo: Repository, p: dict[str, Any]) -> None:
    doc = repo.session.get(Document, p["document_id"])
    if doc is None:
        raise ServiceError("the document of that coding is gone")
    if repo.coding(p["uuid"]) is None:
        repo.session.add(Coding(
            uuid=p["uuid"], document_id=p["document_id"], code_id=p["code_id"], coder_id=p["coder_id"],
            start=p["start"], end=p["end"], text_sha256=p["text_sha256"], quote=doc.text[p["start"]:p["end"]],
            memo=p.get("memo"), created_at=utcnow(), updated_at=utcnow(),
        ))


def _delete_coding(repo: Repository, uuid: str) -> None:
    row = repo.coding(uuid)
    if row is not None:
        repo.session.delete(row)


def _set_coding(repo: Repository, uuid: str, **values: Any) -> None:
    row = repo.coding(uuid)
    if row is not None:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utcnow()


def _code_by_uuid(repo: Repository, uuid: str) -> Code:
    row = repo.code_by_uuid(uuid)
    if row is None:
        raise ServiceError("that code no longer exists")
    return row


def _set_code(repo: Repository, uuid: str, values: dict[str, Any]) -> None:
    row = _code_by_uuid(repo, uuid)
    for key, value in values.items():
        setattr(row, key, value)
        if key == "name":
            row.name_key = value.casefold()


def _recreate_code(repo: Repository, snapshot: dict[str, Any]) -> Code:
    existing = repo.code_by_uuid(snapshot["uuid"])
    if existing is not None:
        return existing
    if repo.code_by_name(snapshot["name"]) is not None:
        raise ServiceError(f"cannot bring back {snapshot['name']!r}: the name is taken")
    fields = {k: v for k, v in snapshot.items() if k not in ("uuid", "name", "parent_id", "position")}
    row = Code(project_id=repo.project_id, uuid=snapshot["uuid"], name=snapshot["name"], name_key=snapshot["name"].casefold(),
               parent_id=snapshot["parent_id"], position=snapshot["position"], **fields)
    repo.session.add(row)
    repo.session.flush()
    return row


def _delete_code(repo: Repository, uuid: str) -> None:
    row = _code_by_uuid(repo, uuid)
    if repo.session.scalar(select(func.count()).select_from(Coding).where(Coding.code_id == row.id)):
        raise ServiceError(f"{row.name!r} has codings now; remove or move them first")
    if repo.session.scalar(select(func.count()).select_from(Code).where(Code.parent_id == row.id)):
        raise ServiceError(f"{row.name!r} holds other codes now")
    repo.session.delete(row)


def _merge_again(repo: Repository, p: dict[str, Any]) -> None:
    source = _code_by_uuid(repo, p["source"]["uuid"])
    target = _code_by_uuid(repo, p["target"])
    for uuid in p["moved"]:
        _set_coding(repo, uuid, code_id=target.id)
    for snapshot in p["dropped"]:
        _delete_coding(repo, snapshot["uuid"])
    repo.session.flush()
    repo.session.delete(source)


def _unmerge(repo: Repository, p: dict[str, Any]) -> None:
    source = _recreate_code(repo, p["source"])
    for uuid in p["moved"]:
        _set_coding(repo, uuid, code_id=source.id)
    for snapshot in p["dropped"]:
        _restore_coding(repo, {**snapshot, "code_id": source.id})


def _reverse(repo: Repository, entry: AuditEntry) -> None:
    p = entry.payload
    if entry.action == "code_create":
        _delete_code(repo, p["code"])
    elif entry.action == "code_update":
        _set_code(repo, p["code"], p["before"])
        for effect in p.get("side_effects", []):
            _set_code(repo, effect["code"], effect["before"])
    elif entry.action == "code_move":
        _set_code(repo, p["code"], {"parent_id": p["from"]})
    elif entry.action == "merge_codes":
        _unmerge(repo, p)
    elif entry.action == "apply":
        _delete_coding(repo, p["uuid"])
    elif entry.action == "remove":
        _restore_coding(repo, p)
    elif entry.action == "recode":
        _set_coding(repo, p["uuid"], code_id=p["from"])
    elif entry.action == "coding_memo":
        _set_coding(repo, p["uuid"], memo=p["from"])


def _perform(repo: Repository, entry: AuditEntry) -> None:
    p = entry.payload
    if entry.action == "code_create":
        _recreate_code(repo, p["snapshot"])
    elif entry.action == "code_update":
        for effect in p.get("side_effects", []):
            _set_code(repo, effect["code"], effect["changes"])
        _set_code(repo, p["code"], p["changes"])
    elif entry.action == "code_move":
        _set_code(repo, p["code"], {"parent_id": p["to"]})
    elif entry.action == "merge_codes":
        _merge_again(repo, p)
    elif entry.action == "apply":
        _restore_coding(repo, p)
    elif entry.action == "remove":
        _delete_coding(repo, p["uuid"])
    elif entry.action == "recode":
        _set_coding(repo, p["uuid"], code_id=p["to"])
    elif entry.action == "coding_memo":
        _set_coding(repo, p["uuid"], memo=p["to"])


def undo(project: Project, coder: str) -> AuditEntry | None:
    """Undo the coder's most recent coding or codebook operation.

    Coding: apply, remove, recode, memo. Codebook: create, change (rename, definition, memo,
    colour, core, promote), move, merge.

    Undo and redo are appended to the audit log (``undo``/``redo`` naming the operation), so
    the log stays append-only, the history survives closing the project, and a later merge
    sees exactly what happened.

    Returns:
        the operation that was undone, or None when there is nothing to undo.
    """
    with project.transaction() as repo:
        undo_stack, _ = _history(repo, coder)
        if not undo_stack:
            return None
        target = undo_stack[-1]
        _reverse(repo, target)
        repo.log("undo", coder, {"entry": target.id, "action": target.action})
        return target


def redo(project: Project, coder: str) -> AuditEntry | None:
    """Redo the coder's most recently undone operation; None when there is nothing to redo."""
    with project.transaction() as repo:
        _, redo_stack = _history(repo, coder)
        if not redo_stack:
            return None
        target = redo_stack[-1]
        _perform(repo, target)
        repo.log("redo", coder, {"entry": target.id, "action": target.action})
        return target


def audit_log(project: Project, limit: int | None = None) -> list[AuditEntry]:
    """The audit log, newest first."""
    with project.transaction(write=False) as repo:
        return repo.audit(limit)


# ---------------------------------------------------------------------------------------------
# Memos
# ---------------------------------------------------------------------------------------------


def add_memo(project: Project, text: str, *, code: str | None = None, document: str | int | None = None,
             title: str | None = None, author: str | None = None) -> int:
    """Write a memo on a code, a document, or (neither given) the project. Returns its id."""
    if not text.strip():
        raise ServiceError("the memo is empty")
    with project.transaction() as repo:
        if code is not None:
            row = repo.code_by_name(code)
            if row is None:
                raise ServiceError(f"no code called {code!r}")
            target_type, target_id = "code", row.id
        elif document is not None:
            target_type, target_id = "document", _document(repo, document).id
        else:
            target_type, target_id = "project", None
        memo = Memo(project_id=repo.project_id, target_type=target_type, target_id=target_id, title=title,
                    text=text, author=author)
        repo.session.add(memo)
        repo.session.flush()
        repo.log("memo", author, {"memo": memo.uuid, "target_type": target_type, "target_id": target_id})
        return memo.id


def memos(project: Project) -> list[dict[str, Any]]:
    """All memos as dictionaries (target, title, text, author, times)."""
    with project.transaction(write=False) as repo:
        rows = repo.session.scalars(select(Memo).where(Memo.project_id == repo.project_id).order_by(Memo.id)).all()
        return [
            {"id": m.id, "target_type": m.target_type, "target_id": m.target_id, "title": m.title, "text": m.text,
             "author": m.author, "created_at": m.created_at}
            for m in rows
        ]


# ---------------------------------------------------------------------------------------------
# Retrieval and statistics
# ---------------------------------------------------------------------------------------------


def _code_context(rows: Sequence[Code]) -> dict[int, tuple[str, str | None]]:
    """``code id -> (name, main category name)`` where the main category is the top ancestor."""
    by_id = {r.id: r for r in rows}
    result: dict[int, tuple[str, str | None]] = {}
    for row in rows:
        top = row
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        result[row.id] = (row.name, top.name if top.kind == "category" else None)
    return result


def quotes(
    project: Project,
    *,
    category: str | None = None,
    code: str | None = None,
    roles: Sequence[str] | None = None,
    rounds: Sequence[int] | None = None,
    documents: Sequence[str | int] | None = None,
    coders: Sequence[str] | None = None,
    with_speakers: bool = True,
    anonymised: bool = False,
) -> list[Quote]:
    """Coded segments, filtered; a category includes every code below it.

    With ``anonymised`` the text, document name and speaker of each quote come from the
    anonymised rendition (accepted decisions only); exports ask for this by default.
    """
    with project.transaction(write=False) as repo:
        rows = repo.code_rows()
        code_ids: list[int] | None = None
        for name, want in ((category, "category"), (code, None)):
            if name is None:
                continue
            node = repo.code_by_name(name)
            if node is None or (want and node.kind != want):
                raise ServiceError(f"no {want or 'code'} called {name!r}")
            ids = _subtree_ids(rows, node.id)
            code_ids = ids if code_ids is None else [i for i in code_ids if i in set(ids)]
        doc_ids = [_document(repo, d).id for d in documents] if documents else None
        try:
            role_names = [normalise_role(r) for r in roles] if roles else None
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        found = repo.quotes(code_ids, _code_context(rows), roles=role_names, rounds=rounds, document_ids=doc_ids,
                            coders=coders, with_speakers=with_speakers)
    if anonymised:
        from codebench.services.anonymisation import anonymise_quotes

        return anonymise_quotes(project, found)
    return found


@dataclass(frozen=True)
class ProjectStats:
    """Counts for the stats command and the project view."""

    documents: int
    words: int
    turns: int
    participants_by_role: dict[str, int]
    documents_by_role: dict[str, int]
    codes: int
    categories: int
    codings: int
    codings_by_category: dict[str, int]
    codings_by_coder: dict[str, int]
    codes_by_origin: dict[str, int]


def stats(project: Project) -> ProjectStats:
    """Project statistics in a handful of aggregate queries."""
    with project.transaction(write=False) as repo:
        s, pid = repo.session, repo.project_id
        docs = s.execute(select(func.count(), func.coalesce(func.sum(Document.word_count), 0)).where(Document.project_id == pid)).one()
        turns = s.scalar(select(func.count()).select_from(Turn).join(Document, Document.id == Turn.document_id).where(Document.project_id == pid)) or 0
        by_role = dict(s.execute(select(Participant.role, func.count()).where(Participant.project_id == pid).group_by(Participant.role)).all())
        docs_by_role = dict(s.execute(
            select(func.coalesce(Participant.role, "(none)"), func.count()).select_from(Document)
            .outerjoin(Participant, Participant.id == Document.participant_id)
            .where(Document.project_id == pid).group_by(Participant.role)
        ).all())
        rows = repo.code_rows()
        context = _code_context(rows)
        per_code = s.execute(
            select(Coding.code_id, func.count()).join(Document, Document.id == Coding.document_id)
            .where(Document.project_id == pid).group_by(Coding.code_id)
        ).all()
        by_category: Counter[str] = Counter()
        for code_id, count in per_code:
            by_category[context.get(code_id, ("?", None))[1] or "(no category)"] += count
        by_coder = dict(s.execute(
            select(Coder.name, func.count()).join(Coding, Coding.coder_id == Coder.id)
            .where(Coder.project_id == pid).group_by(Coder.name)
        ).all())
        origins = Counter(r.origin for r in rows if r.kind == "code")
        return ProjectStats(
            documents=docs[0], words=int(docs[1]), turns=turns, participants_by_role=by_role,
            documents_by_role=docs_by_role, codes=sum(1 for r in rows if r.kind == "code"),
            categories=sum(1 for r in rows if r.kind == "category"), codings=sum(c for _, c in per_code),
            codings_by_category=dict(by_category), codings_by_coder=by_coder, codes_by_origin=dict(origins),
        )


def participants(project: Project) -> list[ParticipantInfo]:
    """All participants (cases) of the project."""
    with project.transaction(write=False) as repo:
        return repo.participants()


# ---------------------------------------------------------------------------------------------
# Team work
# ---------------------------------------------------------------------------------------------


def merge_projects(team: Project, sources: Sequence[str | Path]) -> list[Any]:
    """Merge coder projects into ``team``, one transaction per coder project.

    Returns:
        one :class:`codebench.team.merge.MergeReport` per source, in order.

    Raises:
        ServiceError: a source cannot be opened, or a document's text differs (that source is
            not merged; sources before it stay merged and are reported).
    """
    from codebench.team.merge import MergeRefused, merge_into, read_source

    reports = []
    for root in sources:
        source = open_project(root)
        try:
            if source.url == team.url and source.project_id == team.project_id:
                raise ServiceError(f"{root}: that is the team project itself")
            with source.transaction(write=False) as source_repo, team.transaction() as team_repo:
                data = read_source(source_repo, str(root))
                try:
                    reports.append(merge_into(team_repo, data, source_repo))
                except MergeRefused as exc:
                    raise ServiceError(str(exc)) from None
        finally:
            source.close()
    team.checkpoint()
    return reports


def _selected_codes(repo: Repository, codes: Sequence[str] | None) -> set[int] | None:
    """Code ids named (a category stands for every code below it); None for all."""
    if not codes:
        return None
    rows = repo.code_rows()
    ids: set[int] = set()
    for name in codes:
        node = repo.code_by_name(name)
        if node is None:
            raise ServiceError(f"no code or category called {name!r}")
        ids.update(_subtree_ids(rows, node.id))
    return ids


def _coding_rows(repo: Repository, coders: Sequence[str], codes: Sequence[str] | None,
                 documents: Sequence[str | int] | None) -> tuple[list[tuple[Any, ...]], dict[int, tuple[str, int]]]:
    """Codings of ``coders`` as ``(uuid, doc id, code name, coder, start, end)`` and ``doc id -> (name, length)``."""
    known = set(repo.coder_names().values())
    missing = [c for c in coders if c not in known]
    if missing:
        raise ServiceError(f"no codings by {', '.join(missing)} in this project (coders: {', '.join(sorted(known)) or 'none'})")
    code_ids = _selected_codes(repo, codes)
    doc_filter = {_document(repo, d).id for d in documents} if documents else None
    names = {row.id: row.name for row in repo.code_rows()}
    query = (
        select(Coding.uuid, Coding.document_id, Coding.code_id, Coder.name, Coding.start, Coding.end)
        .join(Coder, Coder.id == Coding.coder_id).join(Document, Document.id == Coding.document_id)
        .where(Document.project_id == repo.project_id, Coder.name.in_(list(coders)))
    )
    rows = [
        (uuid, doc, names[code], coder, start, end)
        for uuid, doc, code, coder, start, end in repo.session.connection().execute(query).all()
        if (code_ids is None or code in code_ids) and (doc_filter is None or doc in doc_filter)
    ]
    docs = {
        doc_id: (name, length) for doc_id, name, length in repo.session.execute(
            select(Document.id, Document.name, Document.length).where(Document.project_id == repo.project_id))
    }
    return rows, docs


@dataclass(frozen=True)
class AgreementResult:
    """Reliability rows and what they were computed over."""

    rows: list[Any]
    coders: tuple[str, ...]
    documents: list[str]
    threshold: float
    unitized: Any = None  # codebench.domain.reliability.UnitizedSummary


def agreement(
    project: Project,
    coders: Sequence[str],
    *,
    codes: Sequence[str] | None = None,
    documents: Sequence[str | int] | None = None,
    threshold: float = 0.9,
) -> AgreementResult:
    """Inter-coder agreement per code and overall.

    By default only documents that every one of ``coders`` has coded are compared (a document
    one coder has not reached yet would count as total disagreement); naming ``documents``
    compares exactly those.
    """
    from codebench.domain.reliability import CodedSpan, reliability, unitized_summary

    if len(set(coders)) < 2:
        raise ServiceError("name at least two different coders, e.g. --coders ingrid,per")
    if not 0 < threshold <= 1:
        raise ServiceError("the overlap threshold must be between 0 and 1 (e.g. 0.9)")
    with project.transaction(write=False) as repo:
        rows, docs = _coding_rows(repo, coders, codes, documents)
        if documents:
            chosen = {_document(repo, d).id for d in documents}
        else:
            coded_by: dict[int, set[str]] = defaultdict(set)
            for _, doc, _, coder, _, _ in rows:
                coded_by[doc].add(coder)
            chosen = {doc for doc, who in coded_by.items() if who >= set(coders)}
    spans = [CodedSpan(doc, code, coder, start, end) for _, doc, code, coder, start, end in rows]
    lengths = {d: docs[d][1] for d in chosen}
    result = reliability(spans, lengths, list(coders), threshold=threshold)
    return AgreementResult(result, tuple(coders), sorted(docs[d][0] for d in chosen), threshold,
                           unitized_summary(spans, lengths, list(coders)))


def disagreements(
    project: Project, coder_a: str, coder_b: str, *, codes: Sequence[str] | None = None,
    documents: Sequence[str | int] | None = None, threshold: float = 0.9, include_decided: bool = False,
) -> list[Any]:
    """Regions where two coders disagree, in document order, without those already decided."""
    from codebench.team.adjudication import RegionCoding, open_disagreements, regions

    with project.transaction(write=False) as repo:
        rows, docs = _coding_rows(repo, [coder_a, coder_b], codes, documents)
        decided = set() if include_decided else {
            e.payload.get("region") for e in repo.audit() if e.action == "adjudicate"
            and e.payload.get("coders") == [coder_a, coder_b]
        }
    found = regions((doc, docs[doc][0], RegionCoding(uuid, coder, code, start, end)) for uuid, doc, code, coder, start, end in rows)
    return open_disagreements(found, coder_a, coder_b, threshold, decided)


def resolve_disagreement(
    project: Project, coder_a: str, coder_b: str, region_key: str, decision: str, *,
    edit: Sequence[tuple[str, int, int]] = (), adjudicator: str | None = None, threshold: float = 0.9,
) -> list[CodingInfo]:
    """Resolve one disagreement: write its consensus codings and record the decision.

    Args:
        region_key: the region's key (``doc:start-end``) as listed by :func:`disagreements`.
        decision: keep-a, keep-b, both, neither, or edit (then ``edit`` gives ``(code, start, end)``).
    """
    from codebench.team.adjudication import CONSENSUS, DECISIONS, decide

    if decision not in DECISIONS:
        raise ServiceError(f"unknown decision {decision!r}; use one of {', '.join(DECISIONS)}")
    region = next((r for r in disagreements(project, coder_a, coder_b, threshold=threshold) if r.key == region_key), None)
    if region is None:
        raise ServiceError(f"no open disagreement {region_key!r} between {coder_a} and {coder_b}")
    if decision == "edit":
        if not edit:
            raise ServiceError("an edit decision needs the codes and spans to keep")
        chosen = [(code, start, end) for code, start, end in edit]
    else:
        chosen = [(c.code, c.start, c.end) for c in decide(region, decision, coder_a, coder_b)]
    created: list[CodingInfo] = []
    with project.transaction() as repo:
        doc = repo.session.get(Document, region.document_id)
        assert doc is not None
        consensus = repo.coder(CONSENSUS)
        assert consensus is not None
        for code_name, start, end in chosen:
            code_row = repo.code_by_name(code_name)
            if code_row is None or code_row.kind != "code":
                raise ServiceError(f"no code called {code_name!r}")
            span = _check_span(doc, start, end)
            exists = repo.session.scalar(select(Coding).where(
                Coding.document_id == doc.id, Coding.code_id == code_row.id, Coding.coder_id == consensus.id,
                Coding.start == span.start, Coding.end == span.end))
            if exists is not None:
                continue
            row = Coding(uuid=new_uuid(), document_id=doc.id, code_id=code_row.id, coder_id=consensus.id,
                         start=span.start, end=span.end, text_sha256=doc.sha256, quote=doc.text[span.start:span.end],
                         created_at=utcnow(), updated_at=utcnow())
            repo.session.add(row)
            repo.session.flush()
            repo.log("apply", CONSENSUS, _coding_snapshot(row))
            created.append(coding_info(row, CONSENSUS))
        repo.log("adjudicate", adjudicator, {"region": region.key, "coders": [coder_a, coder_b], "decision": decision,
                                            "codings": [c.uuid for c in created]})
    return created


def accept_agreed(project: Project, coder_a: str, coder_b: str, *, threshold: float = 0.9,
                  adjudicator: str | None = None) -> int:
    """Copy every region the two coders agree on to the consensus coder (coder A's spans)."""
    from codebench.team.adjudication import RegionCoding, agrees, regions

    with project.transaction(write=False) as repo:
        rows, docs = _coding_rows(repo, [coder_a, coder_b], None, None)
    agreed = [r for r in regions((doc, docs[doc][0], RegionCoding(u, coder, code, s, e)) for u, doc, code, coder, s, e in rows)
              if agrees(r, coder_a, coder_b, threshold)]
    copied = 0
    with project.transaction() as repo:
        consensus = repo.coder("consensus")
        assert consensus is not None
        present = set(repo.session.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(Coding.coder_id == consensus.id)).all())
        texts: dict[int, Document] = {}
        for region in agreed:
            doc = texts.setdefault(region.document_id, repo.session.get(Document, region.document_id))  # type: ignore[arg-type]
            for c in region.codings:
                if c.coder != coder_a:
                    continue
                code_row = repo.code_by_name(c.code)
                assert code_row is not None
                key = (doc.id, code_row.id, c.start, c.end)
                if key in present:
                    continue
                present.add(key)
                repo.session.add(Coding(uuid=new_uuid(), document_id=doc.id, code_id=code_row.id, coder_id=consensus.id,
                                        start=c.start, end=c.end, text_sha256=doc.sha256, quote=doc.text[c.start:c.end],
                                        created_at=utcnow(), updated_at=utcnow()))
                copied += 1
        repo.log("accept_agreed", adjudicator, {"coders": [coder_a, coder_b], "codings": copied, "threshold": threshold})
    return copied


def import_codings(project: Project, path: str | Path) -> int:
    """Apply a file of codings (YAML; format in corpora/sample/gold/codings/README.md).

    The file names a coder, optional ``codes_created`` (open or in-vivo codes with a category)
    and ``codings`` with document, start, end, code and the coded ``text``, which must equal the
    document's text at that span, so that a file made against another version of a transcript
    is refused instead of coding the wrong words. All or nothing.

    Returns:
        the number of codings added (codings already present are skipped).
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServiceError(f"{path}: no such file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ServiceError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("coder"), str) or not isinstance(data.get("codings"), list):
        raise ServiceError(f"{path}: expected 'coder:' and a list of 'codings:'")
    coder_name = data["coder"]
    added = 0
    with project.transaction() as repo:
        for spec in data.get("codes_created") or []:
            if repo.code_by_name(spec["name"]) is None:
                _create_code(repo, spec["name"], parent=spec.get("category"), kind="code", origin=spec.get("origin", "open"))
        coder_row = repo.coder(coder_name)
        assert coder_row is not None
        documents: dict[str, Document] = {}
        present = set(repo.session.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(Coding.coder_id == coder_row.id)).all())
        rows = []
        for n, item in enumerate(data["codings"], 1):
            where = f"{path}: coding {n}"
            try:
                doc_ref, start, end, code_name = item["document"], int(item["start"]), int(item["end"]), item["code"]
            except (KeyError, TypeError, ValueError):
                raise ServiceError(f"{where}: needs document, start, end and code") from None
            if doc_ref not in documents:
                found = repo.find_document(doc_ref)
                if found is None:
                    raise ServiceError(f"{where}: no document {doc_ref!r} in the project")
                documents[doc_ref] = found
            doc = documents[doc_ref]
            span = _check_span(doc, start, end)
            if "text" in item and doc.text[span.start:span.end] != item["text"]:
                raise ServiceError(f"{where}: the text at [{start}, {end}) of {doc.name!r} is not the text in the file")
            code_row = repo.code_by_name(code_name)
            if code_row is None or code_row.kind != "code":
                raise ServiceError(f"{where}: no code called {code_name!r}")
            key = (doc.id, code_row.id, span.start, span.end)
            if key in present:
                continue
            present.add(key)
            now = utcnow()
            rows.append({"uuid": new_uuid(), "document_id": doc.id, "code_id": code_row.id, "coder_id": coder_row.id,
                         "start": span.start, "end": span.end, "text_sha256": doc.sha256,
                         "quote": doc.text[span.start:span.end], "memo": item.get("memo"), "created_at": now,
                         "updated_at": now})
        if rows:
            from sqlalchemy import insert

            repo.session.execute(insert(Coding), rows)
            repo.log("import_codings", coder_name, {"file": path.name, "codings": [r["uuid"] for r in rows]})
        added = len(rows)
    project.checkpoint()
    return added


@dataclass(frozen=True)
class CodedSpanView:
    """A coding as a reading view shows it: code name, effective colour, coder."""

    uuid: str
    start: int
    end: int
    code: str
    colour: str | None
    coder: str
    memo: str | None


def effective_colours(tree: Sequence[CodeInfo]) -> dict[int, str | None]:
    """Each node's colour, inherited from the nearest coloured ancestor when it has none."""
    by_id = {c.id: c for c in tree}
    colours: dict[int, str | None] = {}
    for node in tree:
        current: CodeInfo | None = node
        while current is not None and not current.colour:
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        colours[node.id] = current.colour if current else None
    return colours


def document_codings(project: Project, document: str | int, coders: Sequence[str] | None = None) -> list[CodedSpanView]:
    """The codings of one document with names and colours, for the transcript view."""
    with project.transaction(write=False) as repo:
        doc = _document(repo, document)
        tree = _ordered_tree(repo.code_rows())
        names = {c.id: c.name for c in tree}
        colours = effective_colours(tree)
        return [
            CodedSpanView(c.uuid, c.start, c.end, names[c.code_id], colours[c.code_id], c.coder, c.memo)
            for c in repo.codings(doc.id) if coders is None or c.coder in coders
        ]
