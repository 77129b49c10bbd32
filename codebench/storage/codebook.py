"""The code tree and the project's codebook settings: queries that take and return ``codebench.domain`` records.

Every change goes through the ORM row, so the row's version counter (``Code.version``) catches
two people editing the same code at once: :meth:`CodebookRepository.update` turns SQLAlchemy's
``StaleDataError`` into :class:`EditConflict`, which the service words for the user.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm.exc import StaleDataError

from codebench.domain.records import CodeInfo
from codebench.errors import StorageError
from codebench.storage.base import EditConflict, ProjectRepository
from codebench.storage.orm import Code, Coding, Project as ProjectRow, new_uuid, utcnow
from codebench.storage.reads.codebook import CodebookReads

CODE_FIELDS = ("kind", "name", "parent_id", "position", "description", "inclusion", "exclusion", "examples", "colour",
               "shortcut", "origin", "core", "memo")
"""The fields of a code that a use case may set."""


_INFO_FIELDS = ("uuid", "kind", "name", "parent_id", "position", "description", "inclusion", "exclusion", "colour",
                "shortcut", "origin", "core", "memo")


def code_info(row: Code) -> CodeInfo:
    """Record of a code-tree row."""
    return CodeInfo(
        id=row.id, uuid=row.uuid, kind=row.kind, name=row.name, parent_id=row.parent_id,
        position=row.position, description=row.description, inclusion=row.inclusion,
        exclusion=row.exclusion, examples=tuple(row.examples or ()), colour=row.colour,
        shortcut=row.shortcut, origin=row.origin, core=row.core, memo=row.memo, version=row.version,
    )


class CodebookRepository(ProjectRepository, CodebookReads):
    """The code tree of one project, inside one transaction."""

    def _rows(self) -> list[Code]:
        return list(self.session.scalars(
            select(Code).where(Code.project_id == self.project_id).order_by(Code.parent_id, Code.position, Code.id)
        ).all())

    def _row(self, code_id: int) -> Code:
        row = self.session.get(Code, code_id)
        if row is None or row.project_id != self.project_id:
            raise StorageError(f"code {code_id} is not in this project")
        return row

    def _row_by_uuid(self, uuid: str) -> Code | None:
        return self.session.scalar(select(Code).where(Code.project_id == self.project_id, Code.uuid == uuid))

    def by_uuid(self, uuid: str) -> CodeInfo | None:
        """A category or code by its stable id."""
        row = self._row_by_uuid(uuid)
        return code_info(row) if row is not None else None

    def by_shortcut(self, shortcut: str) -> CodeInfo | None:
        """The node that holds a one-key shortcut, if any."""
        row = self.session.scalar(select(Code).where(Code.project_id == self.project_id, Code.shortcut == shortcut))
        return code_info(row) if row is not None else None

    def next_position(self, parent_id: int | None) -> int:
        """Position after the last child of ``parent_id``."""
        # A parent belongs to one project: asking for the project too made SQLite walk the
        # project's index (every code) instead of the parent's.
        where = ([Code.project_id == self.project_id, Code.parent_id.is_(None)] if parent_id is None
                 else [Code.parent_id == parent_id])
        value = self.session.scalar(select(func.max(Code.position)).where(*where))
        return 0 if value is None else value + 1

    def add(self, *, kind: str, name: str, parent_id: int | None, position: int | None = None,
            uuid: str | None = None, **fields: Any) -> CodeInfo:
        """Add a node; ``fields`` are any of :data:`CODE_FIELDS`. Position defaults to last among its siblings."""
        unknown = set(fields) - set(CODE_FIELDS)
        if unknown:
            raise StorageError(f"unknown code fields: {', '.join(sorted(unknown))}")
        fields.setdefault("examples", [])
        row = Code(
            project_id=self.project_id, uuid=uuid or new_uuid(), parent_id=parent_id, kind=kind, name=name,
            name_key=name.casefold(), position=self.next_position(parent_id) if position is None else position,
            **{k: (list(v) if k == "examples" else v) for k, v in fields.items()},
        )
        self.session.add(row)
        self.session.flush()
        return code_info(row)

    def add_many(self, nodes: list[dict[str, Any]]) -> list[CodeInfo]:
        """Add many nodes with one statement (a 50,000-code codebook loads in seconds, not minutes).

        Args:
            nodes: each with ``kind``, ``name``, ``parent_id``, ``position`` and any of
                :data:`CODE_FIELDS` (and ``uuid``, made when missing). Parents must exist already.

        Returns:
            the new nodes, in the order given.
        """
        now = utcnow()
        connection = self.session.connection()
        added: list[CodeInfo] = []
        for first in range(0, len(nodes), 2_000):  # slices: the rows of 200,000 codes at once took 1 GB
            rows = [self._new_row(node, now) for node in nodes[first:first + 2_000]]
            # One executemany, then the new ids by uuid (RETURNING in parameter order is a
            # statement per row on SQLite). Rows above the highest id before are this slice's:
            # the transaction holds the project's write lock.
            before = connection.execute(select(func.max(Code.id))).scalar() or 0
            connection.execute(insert(Code.__table__), rows)
            # The id range alone: with project_id in the query SQLite walks that index instead,
            # every row of the project for every slice.
            ids = {uuid: code_id for uuid, code_id, project_id in connection.execute(
                select(Code.uuid, Code.id, Code.project_id).where(Code.id > before)) if project_id == self.project_id}
            added.extend(CodeInfo(id=ids[row["uuid"]], **{f: row[f] for f in _INFO_FIELDS}, examples=tuple(row["examples"]))
                         for row in rows)
        return added

    def _new_row(self, node: dict[str, Any], now: Any) -> dict[str, Any]:
        unknown = set(node) - set(CODE_FIELDS) - {"uuid"}
        if unknown:
            raise StorageError(f"unknown code fields: {', '.join(sorted(unknown))}")
        row: dict[str, Any] = {f: None for f in ("description", "inclusion", "exclusion", "colour", "shortcut", "memo")}
        row.update({"origin": "codebook", "core": False})
        row.update({k: v for k, v in node.items() if v is not None or k not in ("origin", "core")})
        row.update(project_id=self.project_id, uuid=node.get("uuid") or new_uuid(), name_key=node["name"].casefold(),
                   examples=list(node.get("examples") or ()), created_at=now, updated_at=now, version=1)
        return row

    def update(self, code_id: int, **changes: Any) -> CodeInfo:
        """Set fields of a node (the name key follows the name).

        Raises:
            EditConflict: another transaction changed the node since it was read.
        """
        unknown = set(changes) - set(CODE_FIELDS)
        if unknown:
            raise StorageError(f"unknown code fields: {', '.join(sorted(unknown))}")
        row = self._row(code_id)
        for key, value in changes.items():
            setattr(row, key, list(value) if key == "examples" else value)
        if "name" in changes:
            row.name_key = row.name.casefold()
        try:
            self.session.flush()
        except StaleDataError:
            raise EditConflict(f"{row.name!r} was changed by someone else at the same moment") from None
        return code_info(row)

    def delete(self, code_id: int) -> None:
        """Remove a node (the caller has checked that nothing hangs off it)."""
        self.session.delete(self._row(code_id))
        self.session.flush()

    def coding_count(self, code_id: int) -> int:
        """How many codings use this code."""
        return self.session.scalar(select(func.count()).select_from(Coding).where(Coding.code_id == code_id)) or 0

    def child_count(self, code_id: int) -> int:
        """How many nodes sit directly under this one."""
        return self.session.scalar(select(func.count()).select_from(Code).where(Code.parent_id == code_id)) or 0

    def meta(self) -> dict[str, Any]:
        """The codebook's name and description as last loaded (``{}`` when none was)."""
        row = self.session.get(ProjectRow, self.project_id)
        return dict((row.settings or {}).get("codebook", {})) if row is not None else {}

    def set_meta(self, meta: dict[str, Any]) -> None:
        """Remember the codebook's name and description."""
        row = self.session.get(ProjectRow, self.project_id)
        assert row is not None
        if (row.settings or {}).get("codebook") != meta:
            row.settings = {**(row.settings or {}), "codebook": meta}  # a new dict: JSON change tracking
            self.session.flush()
