"""Reading the code tree in plain SQL (see :mod:`codebench.storage.reads`)."""

from __future__ import annotations

from typing import Any

from codebench.domain.records import CodeInfo
from codebench.storage.reads.sql import Reads

_COLUMNS = ("SELECT id, uuid, kind, name, parent_id, position, description, inclusion, exclusion, examples, colour,"
            " shortcut, origin, core, memo, version FROM codes WHERE project_id = ?")


class CodebookReads(Reads):
    """The code tree of one project: the queries that only read."""

    def _info(self, row: tuple[Any, ...]) -> CodeInfo:
        (id_, uuid, kind, name, parent_id, position, description, inclusion, exclusion, examples, colour, shortcut,
         origin, core, memo, version) = row
        return CodeInfo(
            id=id_, uuid=uuid, kind=kind, name=name, parent_id=parent_id, position=position, description=description,
            inclusion=inclusion, exclusion=exclusion, examples=tuple(self.sql.json(examples) or ()), colour=colour,
            shortcut=shortcut, origin=origin, core=bool(core), memo=memo, version=version,
        )

    def rows(self) -> list[CodeInfo]:
        """All nodes of the code tree, ordered by parent then position."""
        return [self._info(row) for row in self.sql.all(_COLUMNS + " ORDER BY parent_id, position, id", [self.project_id])]

    def by_name(self, name: str) -> CodeInfo | None:
        """A category or code by name, ignoring case."""
        row = self.sql.one(_COLUMNS + " AND name_key = ?", [self.project_id, name.strip().casefold()])
        return self._info(row) if row is not None else None
