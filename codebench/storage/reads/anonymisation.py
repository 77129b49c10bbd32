"""Reading anonymisation settings, entities and mentions in plain SQL (see :mod:`codebench.storage.reads`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable, Sequence

from codebench.domain.records import EntityRecord, MentionRecord
from codebench.storage.reads.sql import Reads

# Settings key: uuids of the entities whose pseudonym a researcher chose.
CHOSEN = "chosen_pseudonyms"

_PROJECT_MENTIONS = " FROM anon_mentions m JOIN anon_entities e ON m.entity_id = e.id WHERE e.project_id = ?"


class AnonymisationReads(Reads):
    """Anonymisation settings, entities and mentions of one project: the queries that only read."""

    def settings(self) -> dict[str, Any]:
        """The project's anonymisation settings (viewers, key id, style …); a copy to change and save."""
        settings = self.sql.json(self.sql.scalar("SELECT settings FROM projects WHERE id = ?", [self.project_id])) or {}
        return dict(settings.get("anonymisation") or {})

    def entities(self) -> list[EntityRecord]:
        """Every entity of the project."""
        rows = self.sql.all("SELECT id, uuid, kind, pseudonym, direct FROM anon_entities WHERE project_id = ?",
                            [self.project_id])
        return [EntityRecord(id_, uuid, kind, pseudonym, bool(direct)) for id_, uuid, kind, pseudonym, direct in rows]

    def chosen_pseudonyms(self) -> set[str]:
        """The pseudonyms a researcher chose (by rename): shown whole in every mention."""
        chosen = set(self.settings().get(CHOSEN, ()))
        return {e.pseudonym for e in self.entities() if e.uuid in chosen}

    def mentions(self, document_ids: Iterable[int] | None = None,
                 statuses: Sequence[str] | None = None) -> list[MentionRecord]:
        """Mentions with their entity's kind and pseudonym, ordered by document and start.

        Args:
            document_ids: only mentions in these documents (all when None).
            statuses: only mentions with one of these statuses (all when None).
        """
        query = ('SELECT m.id, m.document_id, m.start, m."end", m.status, m.detector, m.score, m.entity_id, e.kind,'
                 " e.pseudonym" + _PROJECT_MENTIONS)
        params: list[Any] = [self.project_id]
        if document_ids is not None:
            wanted = list(document_ids)
            query += f" AND m.document_id IN ({self.sql.marks(wanted)})"
            params += wanted
        if statuses is not None:
            query += f" AND m.status IN ({self.sql.marks(statuses)})"
            params += list(statuses)
        return [MentionRecord(*row) for row in self.sql.all(query + " ORDER BY m.document_id, m.start", params)]

    def status_counts(self) -> dict[str, int]:
        """How many of the project's mentions have each status (one grouped count, no rows)."""
        return dict(self.sql.all("SELECT m.status, count(*)" + _PROJECT_MENTIONS + " GROUP BY m.status", [self.project_id]))

    def status_counts_by_document(self) -> dict[int, Counter[str]]:
        """How many mentions of each status every document has (one grouped count, no rows)."""
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        for document_id, status, n in self.sql.all("SELECT m.document_id, m.status, count(*)" + _PROJECT_MENTIONS
                                                   + " GROUP BY m.document_id, m.status", [self.project_id]):
            counts[document_id][status] = n
        return counts
