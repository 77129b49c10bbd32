"""Merging coders' projects into a team project: nothing lost, nothing doubled, all reported.

Matching rules (in this order):
- documents by SHA-256 of their text; a coder document whose id or name is in the team project
  with a *different* text is refused, because its offsets would point at other words;
- codes by stable id, then by name (ignoring case), parents before children;
- codings by stable id; a coding with a new id but the same document, code, coder and span as
  one the team already has is a duplicate and skipped;
- memos by stable id.

A coding the coder removed since an earlier merge (the coder project's audit log says so and
the coding is gone there) is removed from the team project too. Re-running a merge changes
nothing. The whole merge of one coder project is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import String, delete, insert, select, type_coerce, update

from codebench.storage.orm import AuditLog, Code, Coder, Coding, Document, Memo, Participant, Turn
from codebench.errors import MergeRefused
from codebench.storage.repositories import Repository

SUGGESTION_SCORE = 80.0
"""rapidfuzz ratio at or above which two different code names are reported as a merge suggestion.

80 catches spelling variants and inflections ("tidspress"/"tidspresset" 90, "tillit tar tid"/
"tillitt over tid" 80) while codes that merely share a word stay apart ("sosial inkludering"/
"inkludering" 76, "god mentor"/"mentor som pedagog" 43). Only a suggestion: nothing is merged.
"""

_CODE_FIELDS = ("description", "inclusion", "exclusion", "examples", "colour", "shortcut", "memo", "core")




@dataclass
class MergeReport:
    """Exactly what one merge did, for the terminal and for the methods section."""

    source: str
    documents_matched: int = 0
    documents_added: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codes_filled: list[str] = field(default_factory=list)  # empty team fields taken from the coder
    code_conflicts: list[str] = field(default_factory=list)  # differing fields, team's version kept
    suggestions: list[tuple[str, str, float]] = field(default_factory=list)
    codings_added: int = 0
    codings_unchanged: int = 0
    codings_updated: int = 0
    codings_duplicate: int = 0
    codings_removed: int = 0
    coding_conflicts: list[str] = field(default_factory=list)
    memos_added: int = 0
    coders: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the merge wrote anything."""
        return bool(self.documents_added or self.codes_added or self.codes_filled or self.codings_added
                    or self.codings_updated or self.codings_removed or self.memos_added)

    def lines(self) -> list[str]:
        """The report as readable lines."""
        out = [f"merged {self.source}: coders {', '.join(self.coders) or '(none)'}"]
        out.append(f"  documents: {self.documents_matched} matched, {len(self.documents_added)} added")
        out.append(f"  codes: {len(self.codes_added)} added, {len(self.codes_filled)} filled in, {len(self.code_conflicts)} conflicts")
        out.append(
            f"  codings: {self.codings_added} added, {self.codings_updated} updated, {self.codings_removed} removed, "
            f"{self.codings_unchanged} unchanged, {self.codings_duplicate} duplicates skipped"
        )
        out.append(f"  memos: {self.memos_added} added")
        out.extend(f"  code conflict: {c}" for c in self.code_conflicts)
        out.extend(f"  coding conflict: {c}" for c in self.coding_conflicts)
        out.extend(f"  suggestion: merge {a!r} and {b!r}? (similarity {s:.0f})" for a, b, s in self.suggestions)
        return out


@dataclass
class _Source:
    """Everything read from a coder project, as plain tuples."""

    name: str
    documents: list[Document]
    codes: list[Code]
    coders: dict[int, str]
    codings: list[tuple[Any, ...]]
    memos: list[Memo]
    removed: set[str]


def read_source(repo: Repository, name: str) -> _Source:
    """Read a coder project (in the caller's read transaction)."""
    from sqlalchemy.orm import defer

    s, pid = repo.session, repo.project_id
    documents = list(s.scalars(select(Document).where(Document.project_id == pid).options(defer(Document.text))))
    # Core on the connection, fetched at once, times left as the driver gives them: the ORM
    # path and datetime round trips cost seconds at 50,000 rows.
    codings = s.connection().execute(
        select(Coding.uuid, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end,
               Coding.text_sha256, Coding.memo, type_coerce(Coding.created_at, String),
               type_coerce(Coding.updated_at, String), Coding.quote)
        .join(Document, Document.id == Coding.document_id).where(Document.project_id == pid)
    ).all()
    present = {row[0] for row in codings}
    removed = {
        payload.get("uuid") for (payload,) in s.execute(
            select(AuditLog.payload).where(AuditLog.project_id == pid, AuditLog.action == "remove")
        )
    }
    memos = list(s.scalars(select(Memo).where(Memo.project_id == pid)))
    return _Source(name, documents, repo.code_rows(), repo.coder_names(), list(codings), memos,
                   {u for u in removed if u and u not in present})


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
               "created_at", "updated_at", "quote")
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f"INSERT INTO codings ({quoted}) VALUES ({', '.join([marker] * len(columns))})"
    connection.exec_driver_sql(sql, [
        (*row[:8], _driver_time(row[8], dialect), _driver_time(row[9], dialect), row[10]) for row in rows
    ])


def merge_into(team: Repository, source: _Source, source_repo: Repository) -> MergeReport:
    """Merge ``source`` into the team project inside the team's open transaction.

    Raises:
        MergeRefused: when a document's text differs; nothing is written then.
    """
    report = MergeReport(source=source.name)
    s = team.session
    team_docs = list(s.scalars(select(Document).where(Document.project_id == team.project_id)))
    by_hash = {d.sha256: d for d in team_docs}
    by_uuid = {d.uuid: d for d in team_docs}
    by_name = {d.name: d for d in team_docs}

    # 1. documents ------------------------------------------------------------------------
    refused = []
    for doc in source.documents:
        if doc.sha256 in by_hash:
            continue
        clash = by_uuid.get(doc.uuid) or by_name.get(doc.name)
        if clash is not None:
            refused.append(f"document {doc.name!r} has a different text in the two projects "
                           f"(sha256 {doc.sha256[:12]}… vs {clash.sha256[:12]}…)")
    if refused:
        raise MergeRefused(f"{source.name}: refused, nothing merged: " + "; ".join(refused))
    doc_map: dict[int, int] = {}
    for doc in source.documents:
        target = by_hash.get(doc.sha256)
        if target is None:
            target = _copy_document(team, source_repo, doc)
            by_hash[doc.sha256] = target
            report.documents_added.append(target.name)
        else:
            report.documents_matched += 1
        doc_map[doc.id] = target.id

    # 2. codes, parents first ---------------------------------------------------------------
    team_codes = team.code_rows()
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
                project_id=team.project_id, uuid=code.uuid, parent_id=parent_id, kind=code.kind, name=code.name,
                name_key=code.name_key, position=team.next_position(parent_id),
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
    for name in new_names:
        for match, score, _ in process.extract(name, existing_names, scorer=fuzz.ratio, limit=3):
            if score >= SUGGESTION_SCORE and match.casefold() != name.casefold():
                report.suggestions.append((name, match, float(score)))
    # near-duplicates among the new names themselves (two coders' "tidspress" / "tidspresset")
    for i, name in enumerate(new_names):
        for other in new_names[i + 1:]:
            score = fuzz.ratio(name, other)
            if score >= SUGGESTION_SCORE:
                report.suggestions.append((name, other, float(score)))

    # 3. coders ---------------------------------------------------------------------------
    coder_map: dict[int, int] = {}
    for source_id, name in source.coders.items():
        row = team.coder(name)
        assert row is not None
        coder_map[source_id] = row.id
    report.coders = sorted({source.coders[row[3]] for row in source.codings})

    # 4. codings --------------------------------------------------------------------------
    team_codings = {
        row[0]: row for row in s.connection().execute(
            select(Coding.uuid, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end,
                   Coding.memo, Coding.updated_at)
            .join(Document, Document.id == Coding.document_id).where(Document.project_id == team.project_id)
        ).all()
    }
    keys = {(r[1], r[2], r[3], r[4], r[5]) for r in team_codings.values()}
    inserts: list[dict[str, Any]] = []
    for uuid, doc_id, code_id, coder_id, start, end, sha, memo, created, updated, quote in source.codings:
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
            else:
                report.coding_conflicts.append(f"coding {uuid[:8]} was changed in the team project after "
                                               f"{source.coders[coder_id]} changed it; the team's version is kept")
            continue
        if mapped in keys:
            report.codings_duplicate += 1
            continue
        keys.add(mapped)
        inserts.append((uuid, mapped[0], mapped[1], mapped[2], start, end, sha, memo, created, updated, quote))
    if inserts:
        _bulk_insert_codings(s.connection(), inserts)
    report.codings_added = len(inserts)
    own_coders = set(coder_map.values())
    gone = [u for u in source.removed if u in team_codings and team_codings[u][3] in own_coders]
    if gone:
        s.execute(delete(Coding).where(Coding.uuid.in_(gone)))
    report.codings_removed = len(gone)

    # 5. memos ----------------------------------------------------------------------------
    team_memos = set(s.scalars(select(Memo.uuid).where(Memo.project_id == team.project_id)))
    for memo_row in source.memos:
        if memo_row.uuid in team_memos:
            continue
        target_id = memo_row.target_id
        if memo_row.target_type == "code":
            target_id = code_map.get(target_id)  # type: ignore[arg-type]
        elif memo_row.target_type == "document":
            target_id = doc_map.get(target_id)  # type: ignore[arg-type]
        s.add(Memo(uuid=memo_row.uuid, project_id=team.project_id, target_type=memo_row.target_type,
                   target_id=target_id, title=memo_row.title, text=memo_row.text, author=memo_row.author,
                   created_at=memo_row.created_at, updated_at=memo_row.updated_at))
        report.memos_added += 1
    s.flush()
    if report.changed:
        team.audit.log("merge", None, {
            "source": source.name, "documents_added": report.documents_added, "codes_added": report.codes_added,
            "codings_added": report.codings_added, "codings_updated": report.codings_updated,
            "codings_removed": report.codings_removed, "memos_added": report.memos_added,
        })
    return report


def _reconcile_code(target: Code, code: Code, parent_id: int | None, report: MergeReport) -> None:
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


def _copy_document(team: Repository, source_repo: Repository, doc: Document) -> Document:
    participant_id = None
    if doc.participant is not None:
        person = team.participant(doc.participant.pid)
        if person is None:
            person = Participant(project_id=team.project_id, pid=doc.participant.pid, role=doc.participant.role,
                                 site=doc.participant.site, attributes=dict(doc.participant.attributes or {}))
            team.session.add(person)
            team.session.flush()
        participant_id = person.id
    text = source_repo.session.scalar(select(Document.text).where(Document.id == doc.id))
    row = Document(
        uuid=doc.uuid, project_id=team.project_id, name=doc.name, source_name=doc.source_name,
        source_format=doc.source_format, text=text, sha256=doc.sha256, length=doc.length,
        word_count=doc.word_count, imported_at=doc.imported_at, round=doc.round, participant_id=participant_id,
        meta=dict(doc.meta or {}),
    )
    team.session.add(row)
    team.session.flush()
    turns = source_repo.session.execute(
        select(Turn.seq, Turn.speaker, Turn.start, Turn.end, Turn.body_start, Turn.t_start, Turn.t_end)
        .where(Turn.document_id == doc.id)
    ).all()
    if turns:
        team.session.execute(insert(Turn), [
            {"document_id": row.id, "seq": t[0], "speaker": t[1], "start": t[2], "end": t[3], "body_start": t[4],
             "t_start": t[5], "t_end": t[6]} for t in turns
        ])
    return row
