"""Reading a coder project and merging it into a team project: queries that take and return ``codebench.domain`` records."""

from __future__ import annotations

from codebench.storage.base import ProjectRepository


class MergeRepository(ProjectRepository):
    """Reading a coder project and merging it into a team project of one project, inside one transaction."""
