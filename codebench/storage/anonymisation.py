"""Anonymisation entities, mentions and settings: queries that take and return ``codebench.domain`` records.

The read queries are :class:`~codebench.storage.reads.anonymisation.AnonymisationReads`, shared with
the read-only path; this module adds what writes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import bindparam, insert, select

from codebench.domain.records import EntityRecord, KeyMention, NewEntity, NewMention
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import AnonEntity, AnonMention, Project as ProjectRow
from codebench.storage.reads.anonymisation import CHOSEN, AnonymisationReads


_CHUNK = 500  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits

MentionSnapshot = dict[str, Any]
"""A stored mention as plain JSON values: id, document, entity, span, status, detector, score, decision."""


def _snapshot(row: AnonMention) -> MentionSnapshot:
    return {"id": row.id, "document_id": row.document_id, "entity_id": row.entity_id, "start": row.start,
            "end": row.end, "status": row.status, "detector": row.detector, "score": row.score,
            "decided_by": row.decided_by, "decided_at": row.decided_at.isoformat() if row.decided_at else None}


def entity_record(row: AnonEntity) -> EntityRecord:
    """Record of an entity row."""
    return EntityRecord(row.id, row.uuid, row.kind, row.pseudonym, row.direct)


RETIRED = "retired_pseudonyms"
"""Settings key: pseudonyms renamed away, never given again."""


class AnonymisationRepository(ProjectRepository, AnonymisationReads):
    """Anonymisation entities, mentions and settings of one project, inside one transaction."""

    # -- settings ------------------------------------------------------------------------------

    def save_settings(self, values: dict[str, Any]) -> None:
        """Replace the project's anonymisation settings with ``values``."""
        row = self.session.get(ProjectRow, self.project_id)
        row.settings = {**row.settings, "anonymisation": values}  # new dict: JSON change tracking

    # -- entities ------------------------------------------------------------------------------

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
        """The pseudonyms given in this project, those a rename gave up included: a number is
        never given to someone else (an export made earlier keeps meaning what it said)."""
        given = set(self.session.scalars(select(AnonEntity.pseudonym).where(AnonEntity.project_id == self.project_id)))
        return given | set(self.settings().get(RETIRED, ()))

    def retire_pseudonym(self, pseudonym: str) -> None:
        """Keep a pseudonym an entity gave up (by a rename) from being given to another one."""
        settings = self.settings()
        settings[RETIRED] = sorted({*settings.get(RETIRED, ()), pseudonym})
        self.save_settings(settings)

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
                   mention_ids: Sequence[int] | None = None, from_statuses: Sequence[str] | None = None) -> int:
        """Give mentions of this project a review decision; returns how many changed.

        Args:
            status: the new status.
            decided_by: the coder recorded with the decision.
            at: the time recorded with the decision.
            entity_id: only mentions of this entity.
            mention_ids: only these mentions.
            from_statuses: only mentions that have one of these statuses now (any when None).
        """
        changed = self.change_status(status, decided_by=decided_by, at=at, entity_id=entity_id,
                                     mention_ids=mention_ids, from_statuses=from_statuses)
        return sum(len(ids) for ids in changed.values())

    def change_status(self, status: str, *, decided_by: str | None, at: datetime | None,
                      entity_id: int | None = None, mention_ids: Sequence[int] | None = None,
                      from_statuses: Sequence[str] | None = None) -> dict[str, list[int]]:
        """Like :meth:`set_status`, returning the ids of the mentions changed by their status before.

        That is what an undo needs: exactly these mentions go back to exactly those statuses.
        ``mention_ids`` None: every mention (of the entity); an empty list: none. (An empty list
        once meant every mention: an auto-accept with nothing at its threshold accepted every open
        suggestion of the project, down to 0.25 guesses.)
        """
        if mention_ids is not None and not mention_ids:
            return {}
        query = select(AnonMention).join(AnonEntity).where(AnonEntity.project_id == self.project_id)
        if entity_id is not None:
            query = query.where(AnonMention.entity_id == entity_id)
        if from_statuses is not None:
            query = query.where(AnonMention.status.in_(list(from_statuses)))
        if mention_ids is not None:
            wanted = sorted(set(mention_ids))
            rows = [r for i in range(0, len(wanted), _CHUNK)
                    for r in self.session.scalars(query.where(AnonMention.id.in_(wanted[i:i + _CHUNK])))]
        else:
            rows = list(self.session.scalars(query))
        before: dict[str, list[int]] = {}
        for row in rows:
            if row.status != status:
                before.setdefault(row.status, []).append(row.id)
                row.status, row.decided_by, row.decided_at = status, decided_by, at
        return {k: sorted(v) for k, v in before.items()}

    def restore_status(self, mention_ids: Sequence[int], status: str, *, expected: str, decided_by: str | None,
                       at: datetime | None) -> int:
        """Put the named mentions back to ``status`` where they still have the ``expected`` one.

        A mention someone decided differently since (or that is gone) is left as it is: undo takes
        back one's own decision, never a later one. An empty list changes nothing.

        Returns:
            how many changed.
        """
        if not mention_ids:
            return 0
        changed = self.change_status(status, decided_by=decided_by, at=at, mention_ids=mention_ids,
                                     from_statuses=(expected,))
        return sum(len(ids) for ids in changed.values())

    def open_scored(self, threshold: float, *, except_kinds: Sequence[str]) -> list[tuple[int, int, str]]:
        """(mention id, entity id, kind) of every open suggestion at or above ``threshold`` whose
        entity is not of ``except_kinds``: what auto-accept would take."""
        rows = self.session.execute(
            select(AnonMention.id, AnonMention.entity_id, AnonEntity.kind).join(AnonEntity)
            .where(AnonEntity.project_id == self.project_id, AnonMention.status == "suggested",
                   AnonMention.score >= threshold, AnonEntity.kind.not_in(list(except_kinds)))
            .order_by(AnonMention.id))
        return [(m, e, k) for m, e, k in rows]

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
                    decided_by: str | None, at: datetime) -> tuple[MentionSnapshot, list[MentionSnapshot]]:
        """Store ``[start, end)`` as a hand-made mention of an entity.

        Mentions it overlaps are absorbed: they are removed and the new mention widens to cover
        them, since one stretch of text can carry one decision only; a rejected one is removed
        without widening it (a tester who rejected the over-long "thanh dom" and marked "thanh"
        got "thanh dom" masked again).

        Returns:
            the new mention and the mentions it absorbed, as snapshots (what undo brings back).
        """
        overlapping = self.session.scalars(select(AnonMention).where(
            AnonMention.document_id == document_id, AnonMention.start < end, AnonMention.end > start)).all()
        absorbed = [_snapshot(row) for row in overlapping]
        for row in overlapping:
            self.session.delete(row)
        self.session.flush()
        widening = [r for r in absorbed if r["status"] != "rejected"]
        row = AnonMention(
            document_id=document_id, entity_id=entity_id, start=min([start] + [r["start"] for r in widening]),
            end=max([end] + [r["end"] for r in widening]), status="manual", detector="manual", score=1.0,
            decided_by=decided_by, decided_at=at)
        self.session.add(row)
        self.session.flush()
        return _snapshot(row), absorbed

    # -- undo ----------------------------------------------------------------------------------
    # Snapshots are ids, offsets, statuses and scores: what the audit log may keep (never text).

    def mention_snapshots(self, mention_ids: Sequence[int]) -> list[MentionSnapshot]:
        """The stored rows of these mentions of this project, to bring back exactly later."""
        wanted = sorted(set(mention_ids))
        rows: list[AnonMention] = []
        for i in range(0, len(wanted), _CHUNK):
            rows += self.session.scalars(select(AnonMention).join(AnonEntity).where(
                AnonEntity.project_id == self.project_id, AnonMention.id.in_(wanted[i:i + _CHUNK])))
        return [_snapshot(row) for row in rows]

    def delete_mentions(self, mention_ids: Sequence[int]) -> int:
        """Remove these mentions of this project; returns how many there were."""
        wanted = sorted(set(mention_ids))
        count = 0
        for i in range(0, len(wanted), _CHUNK):
            rows = self.session.scalars(select(AnonMention).join(AnonEntity).where(
                AnonEntity.project_id == self.project_id, AnonMention.id.in_(wanted[i:i + _CHUNK]))).all()
            for row in rows:
                self.session.delete(row)
            count += len(rows)
        self.session.flush()
        return count

    def restore_mentions(self, snapshots: Sequence[MentionSnapshot]) -> int:
        """Bring back mentions from their snapshots, with their old ids, so that older log entries
        naming them still find them. A mention whose id or span is taken again is skipped.

        Returns:
            how many came back.
        """
        count = 0
        for snap in snapshots:
            clash = self.session.scalar(select(AnonMention.id).where(
                (AnonMention.id == snap["id"]) | ((AnonMention.document_id == snap["document_id"])
                                                  & (AnonMention.start == snap["start"])
                                                  & (AnonMention.end == snap["end"]))))
            if clash is not None or self.entity_by_id(snap["entity_id"]) is None:
                continue
            decided_at = snap.get("decided_at")
            self.session.add(AnonMention(
                id=snap["id"], document_id=snap["document_id"], entity_id=snap["entity_id"], start=snap["start"],
                end=snap["end"], status=snap["status"], detector=snap["detector"], score=snap["score"],
                decided_by=snap.get("decided_by"),
                decided_at=datetime.fromisoformat(decided_at) if decided_at else None))
            count += 1
        self.session.flush()
        return count

    def entity_snapshot(self, entity_id: int) -> dict[str, Any] | None:
        """An entity as the audit log may keep it (id, uuid, kind, pseudonym, direct)."""
        found = self.entity_by_id(entity_id)
        return None if found is None else {"id": found.id, "uuid": found.uuid, "kind": found.kind,
                                           "pseudonym": found.pseudonym, "direct": found.direct}

    def restore_entity(self, snapshot: dict[str, Any]) -> EntityRecord:
        """Bring back an entity with its old id and uuid (the one there already, if it is)."""
        found = self.entity_by_id(snapshot["id"])
        if found is not None:
            return found
        row = AnonEntity(id=snapshot["id"], uuid=snapshot["uuid"], project_id=self.project_id, kind=snapshot["kind"],
                         pseudonym=snapshot["pseudonym"], direct=snapshot["direct"])
        self.session.add(row)
        self.session.flush()
        return entity_record(row)

    def delete_entity_if_unused(self, entity_id: int) -> bool:
        """Remove an entity of this project that has no mention left; returns whether it went."""
        used = self.session.scalar(select(AnonMention.id).where(AnonMention.entity_id == entity_id).limit(1))
        row = self.session.get(AnonEntity, entity_id)
        if used is not None or row is None or row.project_id != self.project_id:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def mention_ids_of(self, entity_id: int) -> list[int]:
        """The ids of every mention of one entity of this project."""
        return list(self.session.scalars(select(AnonMention.id).join(AnonEntity).where(
            AnonEntity.project_id == self.project_id, AnonMention.entity_id == entity_id).order_by(AnonMention.id)))

    def reassign(self, mention_ids: Sequence[int], entity_id: int) -> None:
        """Give these mentions of this project to another entity of it (joining two entities)."""
        wanted = sorted(set(mention_ids))
        for i in range(0, len(wanted), _CHUNK):
            for row in self.session.scalars(select(AnonMention).join(AnonEntity).where(
                    AnonEntity.project_id == self.project_id, AnonMention.id.in_(wanted[i:i + _CHUNK]))):
                row.entity_id = entity_id
        self.session.flush()

    def move_mentions(self, moves: Sequence[tuple[int, int, int, str]]) -> None:
        """Put mentions on new spans (and statuses) after their document's text changed.

        Args:
            moves: ``(mention id, start, end, status)``; applied in two steps so that spans
                swapping places never meet the (document, start, end) uniqueness half-way.
        """
        if not moves:
            return
        table = AnonMention.__table__
        connection = self.session.connection()
        # First out of the way (negative spans cannot clash with real ones), then into place.
        connection.execute(table.update().where(table.c.id == bindparam("i")).values(
            start=bindparam("s"), end=bindparam("e")), [{"i": i, "s": -1 - n, "e": -n} for n, (i, _s, _e, _st) in enumerate(moves)])
        connection.execute(table.update().where(table.c.id == bindparam("i")).values(
            start=bindparam("s"), end=bindparam("e"), status=bindparam("st")),
            [{"i": i, "s": s, "e": e, "st": st} for i, s, e, st in moves])
        self.session.expire_all()
