"""Anonymisation entities, mentions and settings: queries that take and return ``codebench.domain`` records."""

from __future__ import annotations

from codebench.storage.base import ProjectRepository


class AnonymisationRepository(ProjectRepository):
    """Anonymisation entities, mentions and settings of one project, inside one transaction."""
