"""What every repository shares: the session of the current transaction and the project it serves."""

from __future__ import annotations

from sqlalchemy.orm import Session


class ProjectRepository:
    """Base of the per-aggregate repositories; all of them share one session per transaction."""

    def __init__(self, session: Session, project_id: int) -> None:
        self.session = session
        self.project_id = project_id
