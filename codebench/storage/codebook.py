"""The code tree: queries that take and return ``codebench.domain`` records."""

from __future__ import annotations

from sqlalchemy import func, select

from codebench.domain.records import CodeInfo
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import Code


def code_info(row: Code) -> CodeInfo:
    """Record of a code-tree row."""
    return CodeInfo(
        id=row.id, uuid=row.uuid, kind=row.kind, name=row.name, parent_id=row.parent_id,
        position=row.position, description=row.description, inclusion=row.inclusion,
        exclusion=row.exclusion, examples=tuple(row.examples or ()), colour=row.colour,
        shortcut=row.shortcut, origin=row.origin, core=row.core, memo=row.memo, version=row.version,
    )


class CodebookRepository(ProjectRepository):
    """The code tree of one project, inside one transaction."""

    # -- code tree -------------------------------------------------------------------------

    def rows(self) -> list[Code]:
        """All nodes of the code tree, ordered by parent then position."""
        return list(self.session.scalars(
            select(Code).where(Code.project_id == self.project_id).order_by(Code.parent_id, Code.position, Code.id)
        ).all())

    def by_name(self, name: str) -> Code | None:
        """A category or code by name, ignoring case."""
        return self.session.scalar(
            select(Code).where(Code.project_id == self.project_id, Code.name_key == name.strip().casefold())
        )

    def by_uuid(self, uuid: str) -> Code | None:
        """A category or code by its stable id."""
        return self.session.scalar(select(Code).where(Code.project_id == self.project_id, Code.uuid == uuid))

    def next_position(self, parent_id: int | None) -> int:
        """Position after the last child of ``parent_id``."""
        value = self.session.scalar(
            select(func.max(Code.position)).where(Code.project_id == self.project_id, Code.parent_id.is_(parent_id) if parent_id is None else Code.parent_id == parent_id)
        )
        return 0 if value is None else value + 1

    # -- coders and codings ----------------------------------------------------------------
