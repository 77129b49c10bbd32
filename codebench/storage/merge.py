"""Team work in the database: merging a coder project into the team project, and the codings
that agreement and adjudication compare.

Matching rules of a merge (in this order):
- documents by SHA-256 of their text; a coder document whose id or name is in the team project
  with a *different* text is refused, because its offsets would point at other words;
- codes by stable id, then by name (ignoring case), parents before children;
- codings by stable id; a coding with a new id but the same document, code, coder and span as
  one the team already has is a duplicate and skipped;
- memos by stable id;
- anonymisation entities by stable id, then by the team entity most of their mentions (same
  document, same span) belong to; a pseudonym another team entity uses is renumbered; mentions
  by document and span, two decisions joined by :func:`codebench.domain.anonymisation_merge.merged_status`
  (masked wins); the documents detection has searched and the original-viewer list are carried,
  the key id never (the team has its own key, which no merge reads or writes).

A coding the coder removed since an earlier merge (the coder project's audit log says so and
the coding is gone there) is removed from the team project too. Re-running a merge changes
nothing. The whole merge of one coder project is one transaction: the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Any, Iterable, Sequence

from sqlalchemy import String, delete, insert, select, type_coerce, update
from sqlalchemy.orm import defer

from codebench.domain.adjudication import RegionCoding
from codebench.domain.anonymisation_merge import MASKING, free_pseudonym, merged_status
from codebench.domain.editing import FLAG_MERGED, TextMap
from codebench.domain.merge_report import MergeReport, name_suggestions
from codebench.domain.records import CodingInfo
from codebench.errors import MergeRefused
from codebench.storage.anonymisation import CHOSEN
from codebench.storage.audit import AuditRepository
from codebench.storage.base import ProjectRepository
from codebench.storage.codebook import CodebookRepository
from codebench.storage.codings import CodingRepository, coding_info, coding_snapshot, counted_in_bulk
from codebench.storage.orm import (
    AnonEntity, AnonMention, AuditLog, Code, Coder, Coding, Document, DocumentRevision, Memo, Participant,
    Project as ProjectRow, Turn,
    new_uuid, utcnow,
)
from codebench.storage.search import indexing_in_bulk

_CODE_FIELDS = ("description", "inclusion", "exclusion", "examples", "colour", "shortcut", "memo", "core")


@dataclass
class MergeSource:
    """Everything read from a coder project for one merge.

    Only :meth:`MergeRepository.merge_into` looks inside; a use case hands it on unopened.
    Document texts stay in the coder project until a document is actually copied.
    """

    name: str
    documents: list[Document]
    codes: list[Code]
    coders: dict[int, str]
    codings: list[tuple[Any, ...]]
    memos: list[Memo]
    removed: set[str]
    entities: list[tuple[Any, ...]] = field(default_factory=list)
    """``(id, uuid, kind, pseudonym, gender, direct)`` of every anonymisation entity."""
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    """``(document_id, entity_id, start, end, status, detector, score, decided_by, decided_at)``."""
    anonymisation: dict[str, Any] = field(default_factory=dict)
    """The coder project's anonymisation settings."""


def _when(value: datetime | str) -> datetime:
    """A stored time as an aware datetime (SQLite gives text or naive times; PostgreSQL aware ones)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _driver_time(value: datetime | str, dialect: str) -> datetime | str:
    """A time in the form the target driver stores without SQLAlchemy's per-value processing."""
    if dialect == "sqlite":
        # SQLAlchemy's SQLite DATETIME storage format, so ORM reads parse it as usual.
        return value if isinstance(value, str) else _when(value).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return _when(value)


def _bulk_insert_codings(connection: Any, rows: list[tuple[Any, ...]]) -> None:
    """executemany straight to the driver: 100,000 codings in about a second."""
    dialect = connection.dialect.name
    columns = ("uuid", "document_id", "code_id", "coder_id", "start", "end", "text_sha256", "memo",
               "created_at", "updated_at", "quote", "flag")
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f"INSERT INTO codings ({quoted}) VALUES ({', '.join([marker] * len(columns))})"
    with counted_in_bulk(connection, [(row[1], row[2], row[3]) for row in rows]):
        connection.exec_driver_sql(sql, [
            (*row[:8], _driver_time(row[8], dialect), _driver_time(row[9], dialect), row[10], row[11]) for row in rows
        ])


def _reconcile_code(target: Code, code: Code, parent_id: int | None, report: MergeReport) -> None:
    """Fill the team code's empty fields from the coder's; report the fields that differ."""
    differences = []
    for name in _CODE_FIELDS:
        theirs, ours = getattr(code, name), getattr(target, name)
        if theirs in (None, "", [], False) or theirs == ours:
            continue
        if ours in (None, "", [], False):
            setattr(target, name, theirs)
            report.codes_filled.append(f"{target.name}.{name}")
        else:
            differences.append(name)
    if code.name != target.name and code.name_key != target.name_key:
        differences.append(f"name ({code.name!r})")
    if parent_id != target.parent_id:
        differences.append("place in the tree")
    if differences:
        report.code_conflicts.append(f"{target.name!r}: {', '.join(differences)} differ; the team's version is kept")


class MergeRepository(ProjectRepository):
    """Team work on one project inside one transaction: read it as a coder project, merge a coder
    project into it, and read or write the codings agreement and adjudication work on."""

    @cached_property
    def _codebook(self) -> CodebookRepository:
        return CodebookRepository(self.session, self.project_id)

    @cached_property
    def _codings(self) -> CodingRepository:
        return CodingRepository(self.session, self.project_id)

    @cached_property
    def _audit(self) -> AuditRepository:
        return AuditRepository(self.session, self.project_id)

    def _code_rows(self) -> list[Code]:
        return list(self.session.scalars(
            select(Code).where(Code.project_id == self.project_id).order_by(Code.parent_id, Code.position, Code.id)
        ).all())

    # -- merging -----------------------------------------------------------------------------

    def read_source(self, name: str) -> MergeSource:
        """Read this project as a coder project to merge (in the caller's read transaction).

        Args:
            name: how the report names the source (its folder, as the user gave it).
        """
        s, pid = self.session, self.project_id
        documents = list(s.scalars(select(Document).where(Document.project_id == pid).options(defer(Document.text))))
        # Core on the connection, fetched at once, times left as the driver gives them: the ORM
        # path and datetime round trips cost seconds at 50,000 rows.
        codings = s.connection().execute(
            select(Coding.uuid, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end,
                   Coding.text_sha256, Coding.memo, type_coerce(Coding.created_at, String),
                   type_coerce(Coding.updated_at, String), Coding.quote, Coding.flag)
            .join(Document, Document.id == Coding.document_id).where(Document.project_id == pid)
        ).all()
        present = {row[0] for row in codings}
        removed = {
            payload.get("uuid") for (payload,) in s.execute(
                select(AuditLog.payload).where(AuditLog.project_id == pid, AuditLog.action == "remove")
            )
        }
        memos = list(s.scalars(select(Memo).where(Memo.project_id == pid)))
        coders = dict(s.execute(select(Coder.id, Coder.name).where(Coder.project_id == pid)).all())
        entities = s.execute(
            select(AnonEntity.id, AnonEntity.uuid, AnonEntity.kind, AnonEntity.pseudonym, AnonEntity.gender,
                   AnonEntity.direct).where(AnonEntity.project_id == pid)
        ).all()
        mentions = s.execute(
            select(AnonMention.document_id, AnonMention.entity_id, AnonMention.start, AnonMention.end, AnonMention.status,
                   AnonMention.detector, AnonMention.score, AnonMention.decided_by, AnonMention.decided_at)
            .join(AnonEntity, AnonEntity.id == AnonMention.entity_id).where(AnonEntity.project_id == pid)
        ).all()
        project_row = s.get(ProjectRow, pid)
        settings = dict((project_row.settings or {}).get("anonymisation") or {}) if project_row is not None else {}
        return MergeSource(name, documents, self._code_rows(), coders, list(codings), memos,
                           {u for u in removed if u and u not in present},
                           [tuple(e) for e in entities], [tuple(m) for m in mentions], settings)

    def merge_into(self, source: MergeSource, source_repo: MergeRepository,
                   text_maps: dict[int, TextMap] | None = None, report: MergeReport | None = None) -> MergeReport:
        """Merge ``source`` into this (the team) project inside the team's open transaction.

        Args:
            source: what :meth:`read_source` read from the coder project.
            source_repo: the coder project's repository, still open, for the texts and turns of
                documents the team does not have yet.
            text_maps: coder documents whose text is another version of a team document's
                (edits on either side), with how their positions lie on the team's text.
            report: the report to fill (one the caller began), else a new one.

        Raises:
            MergeRefused: when a document's text differs; nothing is written then.
        """
        report = report or MergeReport(source=source.name)
        text_maps = text_maps or {}
        if text_maps:
            source.mentions = self._placed_mentions(source.mentions, text_maps)
        s = self.session
        team_docs = list(s.scalars(select(Document).where(Document.project_id == self.project_id)))
        by_hash = {d.sha256: d for d in team_docs}
        by_uuid = {d.uuid: d for d in team_docs}
        by_name = {d.name: d for d in team_docs}

        # 1. documents ------------------------------------------------------------------------
        refused = []
        for doc in source.documents:
            if doc.sha256 in by_hash or doc.id in text_maps:
                continue
            clash = by_uuid.get(doc.uuid) or by_name.get(doc.name)
            if clash is not None:
                # Named by id and participant, never by file name: a file name may name the informant.
                who = f", {doc.participant.pid}" if doc.participant is not None else ""
                refused.append(f"document {doc.id}{who} has a different text in the two projects "
                               f"(sha256 {doc.sha256[:12]}… vs {clash.sha256[:12]}…)")
        if refused:
            raise MergeRefused(f"{source.name}: refused, nothing merged: " + "; ".join(refused))
        doc_map: dict[int, int] = {}
        for doc in source.documents:
            if doc.id in text_maps and doc.sha256 not in by_hash:
                doc_map[doc.id] = text_maps[doc.id].team_document_id
                report.documents_matched += 1
                continue
            target = by_hash.get(doc.sha256)
            if target is None:
                target = self._copy_document(source_repo, doc)
                by_hash[doc.sha256] = target
                report.documents_added.append(target.name)
            else:
                report.documents_matched += 1
            doc_map[doc.id] = target.id

        # 2. codes, parents first ---------------------------------------------------------------
        team_codes = self._code_rows()
        codes_by_uuid = {c.uuid: c for c in team_codes}
        codes_by_key = {c.name_key: c for c in team_codes}
        code_map: dict[int, int] = {}
        source_by_id = {c.id: c for c in source.codes}
        existing_names = [c.name for c in team_codes]
        new_names: list[str] = []

        def depth(code: Code) -> int:
            d = 0
            while code.parent_id is not None and code.parent_id in source_by_id:
                code, d = source_by_id[code.parent_id], d + 1
            return d

        for code in sorted(source.codes, key=lambda c: (depth(c), c.position, c.id)):
            target = codes_by_uuid.get(code.uuid) or codes_by_key.get(code.name_key)
            parent_id = code_map.get(code.parent_id) if code.parent_id is not None else None
            if target is None:
                target = Code(
                    project_id=self.project_id, uuid=code.uuid, parent_id=parent_id, kind=code.kind, name=code.name,
                    name_key=code.name_key, position=self._codebook.next_position(parent_id),
                    origin=code.origin, **{f: getattr(code, f) for f in _CODE_FIELDS},
                )
                s.add(target)
                s.flush()
                codes_by_uuid[target.uuid] = codes_by_key[target.name_key] = target
                report.codes_added.append(code.name)
                new_names.append(code.name)
            else:
                _reconcile_code(target, code, parent_id, report)
            code_map[code.id] = target.id
        report.suggestions.extend(name_suggestions(new_names, existing_names))

        # 3. coders ---------------------------------------------------------------------------
        coder_map: dict[int, int] = {}
        for source_id, name in source.coders.items():
            coder_id = self._codings.coder_id(name)
            assert coder_id is not None
            coder_map[source_id] = coder_id
        report.coders = sorted({source.coders[row[3]] for row in source.codings})

        # 4. codings --------------------------------------------------------------------------
        team_codings = {
            row[0]: row for row in s.connection().execute(
                select(Coding.uuid, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end,
                       Coding.memo, Coding.updated_at)
                .join(Document, Document.id == Coding.document_id).where(Document.project_id == self.project_id)
            ).all()
        }
        keys = {(r[1], r[2], r[3], r[4], r[5]) for r in team_codings.values()}
        inserts: list[tuple[Any, ...]] = []
        for uuid, doc_id, code_id, coder_id, start, end, sha, memo, created, updated, quote, flag in source.codings:
            text_map = text_maps.get(doc_id) if doc_id in text_maps and sha != text_maps[doc_id].sha256 else None
            realigned = flagged = False
            if text_map is not None:
                placed = text_map.place(start, end)
                if placed is None:
                    report.coding_conflicts.append(f"coding {uuid[:8]} of {source.coders[coder_id]}: its words are not "
                                                   "in the team's version of the text; not merged")
                    continue
                start, end, touched = placed
                sha, quote = text_map.sha256, text_map.text[start:end]
                realigned = True
                if touched:
                    flag, flagged = FLAG_MERGED, True
            mapped = (doc_map[doc_id], code_map[code_id], coder_map[coder_id], start, end)
            existing = team_codings.get(uuid)
            if existing is not None:
                if tuple(existing[1:6]) == mapped and existing[6] == memo:
                    report.codings_unchanged += 1
                elif _when(updated) > _when(existing[7]):
                    s.execute(update(Coding).where(Coding.uuid == uuid).values(
                        document_id=mapped[0], code_id=mapped[1], coder_id=mapped[2], start=start, end=end,
                        memo=memo, updated_at=_when(updated)))
                    report.codings_updated += 1
                    report.codings_realigned += realigned
                else:
                    report.coding_conflicts.append(f"coding {uuid[:8]} was changed in the team project after "
                                                   f"{source.coders[coder_id]} changed it; the team's version is kept")
                continue
            if mapped in keys:
                report.codings_duplicate += 1
                continue
            keys.add(mapped)
            # Counted only for what this merge brings in: merging the same copy again places the
            # same codings again and must not report them (and a check for their coder) twice.
            report.codings_realigned += realigned
            report.codings_flagged += flagged
            inserts.append((uuid, mapped[0], mapped[1], mapped[2], start, end, sha, memo, created, updated, quote, flag))
        if inserts:
            _bulk_insert_codings(s.connection(), inserts)
        report.codings_added = len(inserts)
        own_coders = set(coder_map.values())
        gone = [u for u in source.removed if u in team_codings and team_codings[u][3] in own_coders]
        if gone:
            s.execute(delete(Coding).where(Coding.uuid.in_(gone)))
        report.codings_removed = len(gone)

        # 5. memos ----------------------------------------------------------------------------
        team_memos = set(s.scalars(select(Memo.uuid).where(Memo.project_id == self.project_id)))
        for memo_row in source.memos:
            if memo_row.uuid in team_memos:
                continue
            target_id = memo_row.target_id
            if memo_row.target_type == "code":
                target_id = code_map.get(target_id)  # type: ignore[arg-type]
            elif memo_row.target_type == "document":
                target_id = doc_map.get(target_id)  # type: ignore[arg-type]
            s.add(Memo(uuid=memo_row.uuid, project_id=self.project_id, target_type=memo_row.target_type,
                       target_id=target_id, title=memo_row.title, text=memo_row.text, author=memo_row.author,
                       created_at=memo_row.created_at, updated_at=memo_row.updated_at))
            report.memos_added += 1
        s.flush()

        # 6. anonymisation --------------------------------------------------------------------
        self._merge_anonymisation(source, doc_map, {d.id: d.sha256 for d in source.documents}, report)
        if report.changed:
            self._audit.log("merge", None, {
                "source": source.name, "documents_added": report.documents_added, "codes_added": report.codes_added,
                "codings_added": report.codings_added, "codings_updated": report.codings_updated,
                "codings_removed": report.codings_removed, "memos_added": report.memos_added,
                "entities_added": report.entities_added, "mentions_added": report.mentions_added,
                "mentions_updated": report.mentions_updated,
            })
        return report

    @staticmethod
    def _placed_mentions(mentions: list[tuple[Any, ...]], text_maps: dict[int, TextMap]) -> list[tuple[Any, ...]]:
        """The coder's mentions on the team's version of edited texts (gone words: left out)."""
        placed = []
        for row in mentions:
            text_map = text_maps.get(row[0])
            if text_map is None:
                placed.append(row)
                continue
            found = text_map.place(row[2], row[3])
            if found is not None:
                placed.append((row[0], row[1], found[0], found[1], *row[4:]))
        return placed

    def _merge_anonymisation(self, source: MergeSource, doc_map: dict[int, int], hashes: dict[int, str],
                             report: MergeReport) -> None:
        """Carry the coder project's entities, mentions and anonymisation settings into the team's."""
        s, pid = self.session, self.project_id
        team_entities = {row.id: row for row in s.scalars(select(AnonEntity).where(AnonEntity.project_id == pid))}
        by_uuid = {e.uuid: e for e in team_entities.values()}
        taken = {e.pseudonym for e in team_entities.values()}
        team_mentions = {
            (m.document_id, m.start, m.end): m for m in s.scalars(
                select(AnonMention).join(AnonEntity, AnonEntity.id == AnonMention.entity_id)
                .where(AnonEntity.project_id == pid))
        }
        spans: dict[int, list[tuple[int, int]]] = {}
        for doc_id, start, end in team_mentions:
            spans.setdefault(doc_id, []).append((start, end))
        by_entity: dict[int, list[tuple[Any, ...]]] = {}
        for row in source.mentions:
            if row[0] in doc_map:
                by_entity.setdefault(row[1], []).append(row)

        # Entities: the same one (by id, else by the spans its mentions share with a team entity).
        entity_map: dict[int, int] = {}
        fresh: list[tuple[int, AnonEntity]] = []
        # A pseudonym a researcher chose (rename) always reads whole; the mark follows the entity.
        source_chosen = set(source.anonymisation.get(CHOSEN) or ())
        chosen: set[str] = set()
        skipped: set[int] = set()
        for source_id, uuid, kind, pseudonym, gender, direct in source.entities:
            target = by_uuid.get(uuid)
            if target is None:
                votes: dict[int, int] = {}
                for m in by_entity.get(source_id, ()):
                    found = team_mentions.get((doc_map[m[0]], m[2], m[3]))
                    if found is not None:
                        votes[found.entity_id] = votes.get(found.entity_id, 0) + 1
                if votes:
                    target = team_entities[max(votes, key=lambda e: (votes[e], -e))]
            if target is not None:
                entity_map[source_id] = target.id
                report.entities_matched += 1
                if uuid in source_chosen and target.pseudonym == pseudonym:
                    chosen.add(target.uuid)
                elif uuid in source_chosen:
                    report.pseudonyms_renumbered.append(
                        f"{pseudonym} (chosen by {source.name}) is the team's {target.pseudonym}: kept")
                continue
            own = by_entity.get(source_id, ())
            if own and all(any(s0 < m[3] and m[2] < e0 for s0, e0 in spans.get(doc_map[m[0]], ())) for m in own):
                skipped.add(source_id)  # every mention lies on words the team has decided otherwise
                continue
            name = free_pseudonym(pseudonym, taken)
            if name != pseudonym:
                report.pseudonyms_renumbered.append(f"{pseudonym} → {name} (the team's {pseudonym} is another entity)")
            taken.add(name)
            # Ids are unique across a server that holds several projects.
            unique = uuid if s.scalar(select(AnonEntity.id).where(AnonEntity.uuid == uuid)) is None else new_uuid()
            if uuid in source_chosen:
                chosen.add(unique)
            fresh.append((source_id, AnonEntity(uuid=unique, project_id=pid, kind=kind, pseudonym=name, gender=gender,
                                                direct=direct)))
        if fresh:
            s.add_all([e for _, e in fresh])
            s.flush()
            for source_id, entity in fresh:
                entity_map[source_id] = entity.id
                team_entities[entity.id] = entity
            report.entities_added = len(fresh)

        # Mentions: new spans copied in one insert; a span both have keeps one, safer, decision.
        inserts: list[dict[str, Any]] = []
        team_by_doc: dict[int, list[Any]] = {}
        for m in team_mentions.values():
            team_by_doc.setdefault(m.document_id, []).append(m)

        def overlapped(team_doc: int, start: int, end: int, status: str, decided_by: Any, decided_at: Any) -> None:
            """Another span of the same words: the team's stands, but a name one side masked stays masked."""
            report.mentions_overlapping += 1
            if status not in MASKING:
                return
            for m in team_by_doc.get(team_doc, ()):
                if m.start < end and start < m.end and m.status == "rejected":
                    report.anonymisation_conflicts.append(
                        f"document {team_doc} [{m.start}, {m.end}) {team_entities[m.entity_id].pseudonym}: rejected in the "
                        f"team, overlapping [{start}, {end}) {status} by {source.name}; masked")
                    m.status, m.decided_by, m.decided_at = "accepted", decided_by, decided_at
                    report.mentions_updated += 1

        relinked: dict[tuple[int, int], int] = {}
        for doc_id, entity_id, start, end, status, detector, score, decided_by, decided_at in source.mentions:
            if entity_id in skipped and doc_id in doc_map:
                overlapped(doc_map[doc_id], start, end, status, decided_by, decided_at)
            if doc_id not in doc_map or entity_id not in entity_map:
                continue
            team_doc = doc_map[doc_id]
            existing = team_mentions.get((team_doc, start, end))
            if existing is not None and existing.entity_id != entity_map[entity_id]:
                # The coder put these words with another entity (a join or split in their copy):
                # the team's linking stands, and the lead is told how to follow the coder.
                pair = (existing.entity_id, entity_map[entity_id])
                relinked[pair] = relinked.get(pair, 0) + 1
            if existing is not None:
                merged, conflict = merged_status(existing.status, status)
                if conflict:
                    report.anonymisation_conflicts.append(
                        f"document {team_doc} [{start}, {end}) {team_entities[existing.entity_id].pseudonym}: "
                        f"{existing.status} in the team, {status} by {source.name}; masked")
                if merged != existing.status:
                    existing.status, existing.decided_by, existing.decided_at = merged, decided_by, decided_at
                    report.mentions_updated += 1
                continue
            if any(s0 < end and start < e0 for s0, e0 in spans.get(team_doc, ())):
                overlapped(team_doc, start, end, status, decided_by, decided_at)
                continue
            spans.setdefault(team_doc, []).append((start, end))
            inserts.append({"document_id": team_doc, "entity_id": entity_map[entity_id], "start": start, "end": end,
                            "status": status, "detector": detector, "score": score, "decided_by": decided_by,
                            "decided_at": decided_at})
        for (team_entity, theirs), count in sorted(relinked.items()):
            here, there = team_entities[team_entity].pseudonym, team_entities[theirs].pseudonym
            report.linked_differently.append(
                f"{count} mention(s) of {here} are {there} in {source.name}'s copy; if they are one: "
                f"codebench anonymise join PROJECT '{there}' '{here}'")
        if inserts:
            s.execute(insert(AnonMention), inserts)  # Core executemany: one statement for thousands
        report.mentions_added = len(inserts)

        # Settings: what was searched (by text) and who may see originals; never the key id.
        theirs = source.anonymisation
        row = s.get(ProjectRow, pid)
        assert row is not None
        ours = dict((row.settings or {}).get("anonymisation") or {})
        changed = dict(ours)
        team_hashes = {hashes[d] for d in doc_map}
        searched = sorted(set(ours.get("searched") or ()) | (set(theirs.get("searched") or ()) & team_hashes))
        if searched != sorted(ours.get("searched") or ()):
            changed["searched"] = searched
        # A list on either side restricts the team (None = no list, [] = no one may see originals),
        # but a merge never lets anyone in: the team's own list stands, and a coder's copy can
        # only bring one to a team that had none (who their copy lets in is reported).
        if ours.get("original_viewers") is None and theirs.get("original_viewers") is not None:
            changed["original_viewers"] = report.viewers = sorted(theirs["original_viewers"])
        elif ours.get("original_viewers") is not None and theirs.get("original_viewers") is not None:
            report.viewers_not_taken = sorted(set(theirs["original_viewers"]) - set(ours["original_viewers"]))
        if not chosen <= set(ours.get(CHOSEN) or ()):
            changed[CHOSEN] = sorted(set(ours.get(CHOSEN) or ()) | chosen)
        if "style" not in changed and theirs.get("style"):
            changed["style"] = theirs["style"]
        if changed != ours:
            row.settings = {**(row.settings or {}), "anonymisation": changed}  # a new dict: JSON change tracking
            report.anonymisation_settings_changed = True

    def _copy_document(self, source_repo: MergeRepository, doc: Document) -> Document:
        """Copy a coder's document, its participant and its turns into this project."""
        participant_id = None
        if doc.participant is not None:
            person_id = self.session.scalar(select(Participant.id).where(
                Participant.project_id == self.project_id, Participant.pid == doc.participant.pid))
            if person_id is None:
                person = Participant(project_id=self.project_id, pid=doc.participant.pid, role=doc.participant.role,
                                     site=doc.participant.site, attributes=dict(doc.participant.attributes or {}))
                self.session.add(person)
                self.session.flush()
                person_id = person.id
            participant_id = person_id
        text, turns = source_repo._text_and_turns(doc.id)
        row = Document(
            uuid=doc.uuid, project_id=self.project_id, name=doc.name, source_name=doc.source_name,
            source_format=doc.source_format, text=text, sha256=doc.sha256, length=doc.length,
            word_count=doc.word_count, imported_at=doc.imported_at, round=doc.round, participant_id=participant_id,
            meta=dict(doc.meta or {}),
        )
        self.session.add(row)
        self.session.flush()
        if turns:
            with indexing_in_bulk(self.session, {row.id: text or ""}):
                self.session.execute(insert(Turn), [
                    {"document_id": row.id, "seq": t[0], "speaker": t[1], "start": t[2], "end": t[3], "body_start": t[4],
                     "t_start": t[5], "t_end": t[6]} for t in turns
                ])
        # The revision history comes along, so that later merges of copies made before an edit match.
        history = source_repo.session.scalars(
            select(DocumentRevision).where(DocumentRevision.document_id == doc.id).order_by(DocumentRevision.seq)).all()
        if history:
            self.session.execute(insert(DocumentRevision), [
                {"uuid": new_uuid(), "document_id": row.id, "seq": r.seq, "kind": r.kind, "before_sha256": r.before_sha256,
                 "after_sha256": r.after_sha256, "pieces": r.pieces, "turns_before": r.turns_before,
                 "turn_seq": r.turn_seq, "author": r.author, "at": r.at} for r in history
            ])
        return row

    def _text_and_turns(self, document_id: int) -> tuple[str | None, list[Any]]:
        """A document's text and its turns as tuples, for copying it into another project."""
        text = self.session.scalar(select(Document.text).where(Document.id == document_id))
        turns = self.session.execute(
            select(Turn.seq, Turn.speaker, Turn.start, Turn.end, Turn.body_start, Turn.t_start, Turn.t_end)
            .where(Turn.document_id == document_id)
        ).all()
        return text, list(turns)

    # -- agreement and adjudication ------------------------------------------------------------

    def coding_spans(self, coders: Sequence[str], *, code_ids: Iterable[int] | None = None,
                     document_ids: Iterable[int] | None = None) -> list[tuple[int, RegionCoding]]:
        """The codings of some coders as ``(document id, coding)``, the coding naming its code.

        Args:
            coders: whose codings.
            code_ids: only these codes (None: all).
            document_ids: only these documents (None: all).
        """
        wanted_codes = set(code_ids) if code_ids is not None else None
        wanted_docs = set(document_ids) if document_ids is not None else None
        names = dict(self.session.execute(select(Code.id, Code.name).where(Code.project_id == self.project_id)).all())
        query = (
            select(Coding.uuid, Coding.document_id, Coding.code_id, Coder.name, Coding.start, Coding.end)
            .join(Coder, Coder.id == Coding.coder_id).join(Document, Document.id == Coding.document_id)
            .where(Document.project_id == self.project_id, Coder.name.in_(list(coders)))
        )
        # Filtered here rather than in SQL: one pass over the coders' codings, whatever the filters.
        return [
            (doc, RegionCoding(uuid, coder, names[code], start, end))
            for uuid, doc, code, coder, start, end in self.session.connection().execute(query).all()
            if (wanted_codes is None or code in wanted_codes) and (wanted_docs is None or doc in wanted_docs)
        ]

    def document_sizes(self) -> dict[int, tuple[str, int]]:
        """``{document id: (name, length)}`` of every document of the project."""
        return {
            doc_id: (name, length) for doc_id, name, length in self.session.execute(
                select(Document.id, Document.name, Document.length).where(Document.project_id == self.project_id))
        }

    def add_consensus_codings(self, coder: str, spans: Iterable[tuple[int, int, int, int]]
                              ) -> list[tuple[CodingInfo, dict[str, Any]]]:
        """Give ``coder`` the codings ``(document id, code id, start, end)`` it does not have yet.

        A span the coder already has with that code (in the project or earlier in ``spans``) is
        skipped, so deciding a region twice or copying agreed codings again adds nothing. The
        coder is created if it is new, even when nothing is added.

        Returns:
            ``(record, audit snapshot)`` of each coding added, in the order of ``spans``.
        """
        coder_id = self._codings.coder_id(coder)
        assert coder_id is not None
        wanted = list(spans)
        doc_ids = {doc for doc, _, _, _ in wanted}
        if not doc_ids:
            return []
        present = set(self.session.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end)
            .where(Coding.coder_id == coder_id, Coding.document_id.in_(list(doc_ids)))).all())
        documents = {
            doc_id: (sha, text) for doc_id, sha, text in self.session.execute(
                select(Document.id, Document.sha256, Document.text)
                .where(Document.project_id == self.project_id, Document.id.in_(list(doc_ids))))
        }
        rows: list[Coding] = []
        for key in wanted:
            if key in present:
                continue
            present.add(key)
            doc_id, code_id, start, end = key
            sha, text = documents[doc_id]
            now = utcnow()
            rows.append(Coding(uuid=new_uuid(), document_id=doc_id, code_id=code_id, coder_id=coder_id, start=start,
                               end=end, text_sha256=sha, quote=text[start:end], created_at=now, updated_at=now))
        self.session.add_all(rows)
        self.session.flush()
        return [(coding_info(row, coder), coding_snapshot(row)) for row in rows]
