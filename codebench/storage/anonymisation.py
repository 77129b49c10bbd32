"""Anonymisation entities, mentions and settings: queries that take and return ``codebench.domain`` records."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import func, insert, select

from codebench.domain.records import EntityRecord, KeyMention, MentionRecord, NewEntity, NewMention
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import AnonEntity, AnonMention, Project as ProjectRow


# Settings key: uuids of the entities whose pseudonym a researcher chose.
CHOSEN = "chosen_pseudonyms"


def entity_record(row: AnonEntity) -> EntityRecord:
    """Record of an entity row."""
    return EntityRecord(row.id, row.uuid, row.kind, row.pseudonym, row.direct)


class AnonymisationRepository(ProjectRepository):
    """Anonymisation entities, mentions and settings of one project, inside one transaction."""

    # -- settings ------------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        """The project's anonymisation settings (viewers, key id, style …); a copy to change and save."""
        row = self.session.get(ProjectRow, self.project_id)
        return dict(row.settings.get("anonymisation") or {})

    def save_settings(self, values: dict[str, Any]) -> None:
        """Replace the project's anonymisation settings with ``values``."""
        row = self.session.get(ProjectRow, self.project_id)
        row.settings = {**row.settings, "anonymisation": values}  # new dict: JSON change tracking

    # -- entities ------------------------------------------------------------------------------

    def entities(self) -> list[EntityRecord]:
        """Every entity of the project."""
        rows = self.session.scalars(select(AnonEntity).where(AnonEntity.project_id == self.project_id))
        return [entity_record(row) for row in rows]

    def entity_by_id(self, entity_id: int) -> EntityRecord | None:
        """The project's entity with this id, if any."""
        row = self.session.scalar(
            select(AnonEntity).where(AnonEntity.project_id == self.project_id, AnonEntity.id == entity_id))
        return entity_record(row) if row is not None else None

    def entity_by_pseudonym(self, pseudonym: str) -> EntityRecord | None:
        """The project's entity with this (bracketed) pseudonym, if any."""
        row = self.session.scalar(
            select(AnonEntity).where(AnonEntity.project_id == self.project_id, AnonEntity.pseudonym == pseudonym))
        return entity_record(row) if row is not None else None

    def pseudonyms(self) -> set[str]:
        """The pseudonyms already given in this project."""
        return set(self.session.scalars(select(AnonEntity.pseudonym).where(AnonEntity.project_id == self.project_id)))

    def pseudonym_taken(self, pseudonym: str, *, other_than: int) -> bool:
        """Whether an entity other than ``other_than`` already has ``pseudonym``."""
        clash = self.session.scalar(select(AnonEntity.id).where(
            AnonEntity.project_id == self.project_id, AnonEntity.pseudonym == pseudonym, AnonEntity.id != other_than))
        return bool(clash)

    def add_entities(self, entities: Sequence[NewEntity]) -> list[EntityRecord]:
        """Store new entities (one flush for all); returns them with their ids, in the same order."""
        rows = [AnonEntity(project_id=self.project_id, kind=e.kind, pseudonym=e.pseudonym, direct=e.direct)
                for e in entities]
        self.session.add_all(rows)
        self.session.flush()
        return [entity_record(row) for row in rows]

    def rename(self, entity_id: int, pseudonym: str) -> None:
        """Give an entity of this project another pseudonym."""
        row = self.session.get(AnonEntity, entity_id)
        row.pseudonym = pseudonym

    def chosen_pseudonyms(self) -> set[str]:
        """The pseudonyms a researcher chose (by rename): shown whole in every mention."""
        chosen = set(self.settings().get(CHOSEN, ()))
        return {e.pseudonym for e in self.entities() if e.uuid in chosen}

    def set_chosen(self, entity_id: int, chosen: bool) -> bool:
        """Record whether an entity's pseudonym was chosen by a researcher; returns what it was.

        Kept by the entity's stable uuid in the settings, so a later rename keeps the mark.
        """
        found = self.entity_by_id(entity_id)
        if found is None:
            return False
        settings = self.settings()
        uuids = list(settings.get(CHOSEN, ()))
        before = found.uuid in uuids
        if chosen and not before:
            uuids.append(found.uuid)
        elif before and not chosen:
            uuids.remove(found.uuid)
        if before != chosen:
            settings[CHOSEN] = uuids
            self.save_settings(settings)
        return before

    # -- mentions ------------------------------------------------------------------------------

    def mentions(self, document_ids: Iterable[int] | None = None,
                 statuses: Sequence[str] | None = None) -> list[MentionRecord]:
        """Mentions with their entity's kind and pseudonym, ordered by document and start.

        Args:
            document_ids: only mentions in these documents (all when None).
            statuses: only mentions with one of these statuses (all when None).
        """
        query = (
            select(AnonMention.id, AnonMention.document_id, AnonMention.start, AnonMention.end, AnonMention.status,
                   AnonMention.detector, AnonMention.score, AnonMention.entity_id, AnonEntity.kind,
                   AnonEntity.pseudonym)
            .join(AnonEntity, AnonMention.entity_id == AnonEntity.id)
            .where(AnonEntity.project_id == self.project_id)
        )
        if document_ids is not None:
            query = query.where(AnonMention.document_id.in_(list(document_ids)))
        if statuses is not None:
            query = query.where(AnonMention.status.in_(list(statuses)))
        return [MentionRecord(*r) for r in self.session.execute(query.order_by(AnonMention.document_id, AnonMention.start))]

    def status_counts(self) -> dict[str, int]:
        """How many of the project's mentions have each status (one grouped count, no rows)."""
        query = (
            select(AnonMention.status, func.count())
            .join(AnonEntity, AnonMention.entity_id == AnonEntity.id)
            .where(AnonEntity.project_id == self.project_id)
            .group_by(AnonMention.status)
        )
        return {status: n for status, n in self.session.execute(query)}

    def key_mentions(self) -> list[KeyMention]:
        """Every mention with its entity's uuid, pseudonym and kind (what the key file is written from)."""
        rows = self.session.execute(
            select(AnonEntity.uuid, AnonEntity.pseudonym, AnonEntity.kind, AnonMention.document_id,
                   AnonMention.start, AnonMention.end, AnonMention.status)
            .join(AnonMention, AnonMention.entity_id == AnonEntity.id)
            .where(AnonEntity.project_id == self.project_id)
        ).all()
        return [KeyMention(*r) for r in rows]

    def add_mentions(self, mentions: Sequence[NewMention]) -> None:
        """Store new mentions with one executemany insert.

        An ORM object per mention was most of the time detection spent storing.
        """
        if mentions:
            self.session.execute(insert(AnonMention), [m._asdict() for m in mentions])

    def set_status(self, status: str, *, decided_by: str | None, at: datetime, entity_id: int | None = None,
                   mention_ids: Sequence[int] = (), from_statuses: Sequence[str] | None = None) -> int:
        """Give mentions of this project a review decision; returns how many changed.

        Args:
            status: the new status.
            decided_by: the coder recorded with the decision.
            at: the time recorded with the decision.
            entity_id: only mentions of this entity.
            mention_ids: only these mentions.
            from_statuses: only mentions that have one of these statuses now (any when None).
        """
        query = select(AnonMention).join(AnonEntity).where(AnonEntity.project_id == self.project_id)
        if entity_id is not None:
            query = query.where(AnonMention.entity_id == entity_id)
        if mention_ids:
            query = query.where(AnonMention.id.in_(list(mention_ids)))
        if from_statuses is not None:
            query = query.where(AnonMention.status.in_(list(from_statuses)))
        changed = 0
        for row in self.session.scalars(query):
            if row.status != status:
                row.status, row.decided_by, row.decided_at = status, decided_by, at
                changed += 1
        return changed

    def accept_scored(self, threshold: float, *, except_kinds: Sequence[str], decided_by: str, at: datetime) -> int:
        """Accept every open suggestion scored at or above ``threshold`` whose entity is not of ``except_kinds``.

        Returns:
            how many were accepted.
        """
        rows = self.session.scalars(
            select(AnonMention).join(AnonEntity)
            .where(AnonEntity.project_id == self.project_id, AnonMention.status == "suggested",
                   AnonMention.score >= threshold, AnonEntity.kind.not_in(list(except_kinds)))
        ).all()
        for row in rows:
            row.status, row.decided_by, row.decided_at = "accepted", decided_by, at
        return len(rows)

    def mark_manual(self, document_id: int, start: int, end: int, *, entity_id: int,
                    decided_by: str | None, at: datetime) -> None:
        """Store ``[start, end)`` as a hand-made mention of an entity.

        Mentions it overlaps are absorbed: they are removed and the new mention widens to cover
        them, since one stretch of text can carry one decision only.
        """
        overlapping = self.session.scalars(select(AnonMention).where(
            AnonMention.document_id == document_id, AnonMention.start < end, AnonMention.end > start)).all()
        for row in overlapping:
            self.session.delete(row)
        self.session.flush()
        self.session.add(AnonMention(
            document_id=document_id, entity_id=entity_id, start=min([start] + [r.start for r in overlapping]),
            end=max([end] + [r.end for r in overlapping]), status="manual", detector="manual", score=1.0,
            decided_by=decided_by, decided_at=at))
