"""What every repository shares: the session of the current transaction and the project it serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codebench.errors import StorageError
from codebench.storage.reads.sql import Sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class EditConflict(StorageError):
    """Someone else changed the same row between our read and our write."""


class ProjectRepository:
    """Base of the per-aggregate repositories; all of them share one session per transaction."""

    def __init__(self, session: Session, project_id: int) -> None:
        self.session = session
        self.project_id = project_id

    @property
    def sql(self) -> Sql:
        """Plain SQL on this transaction's connection, for the read queries shared with the
        read-only path (:mod:`codebench.storage.reads`); rows the session holds are flushed first."""
        connection = self.session.connection()
        return Sql(connection.connection.driver_connection, connection.dialect.name, self.session.flush)
