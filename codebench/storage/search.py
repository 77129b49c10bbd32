"""The full-text index of turns, and saved searches.

The index holds one row per turn: the turn's body (its text after the speaker label) under the
turn's id. SQLite keeps it in an FTS5 table (``search_turns``, tokeniser ``unicode61
remove_diacritics 2``: letters and digits make words, case and accents folded); PostgreSQL in a
table of the same name with a ``tsvector`` under a GIN index (``simple`` configuration over the
text folded by ``codebench_fold``). Both are built by migration 0003, which indexes what an old
project already holds.

**Keeping the index in step with the text.** Database triggers do it, whoever writes:

- a turn inserted, deleted, or updated in ``document_id``, ``body_start`` or ``end`` re-indexes
  that turn (a deleted one leaves the index);
- a document whose ``text`` is updated re-indexes all of its turns.

So an edit of a turn (issue #17 part 2) that updates ``documents.text`` and the offsets of the
turns it moves, in one transaction and in either order, leaves the index right: nothing else
is to be called. A writer that inserts many turns at once (import, merge, REFI) wraps the
insert in :func:`indexing_in_bulk`, which pauses the per-turn trigger (it would re-read the
whole document text for every turn) and indexes the documents in one statement instead.

**Compound words.** Norwegian writes compounds as one word ("mentortilskudd"), so "mentor" must
find them when the user asks for a prefix (``mentor*``). Both backends answer prefix queries from
the index's sorted word list natively (FTS5 ``"mentor"*``, PostgreSQL ``'mentor':*``); a wildcard
elsewhere (``*tilskudd``, the head of the compound) is expanded against FTS5's word list
(``search_turns_vocab``) or, on PostgreSQL, narrowed with LIKE over the folded text. A trigram
index would find any substring without the ``*``, but it is about three times the size of the
text, needs three letters, cannot fold accents in the SQLite shipped with Python 3.11 (3.40;
trigram ``remove_diacritics`` came in 3.45), and on PostgreSQL needs the ``pg_trgm`` extension,
which a team's managed server may not offer. Searches find whole words unless asked otherwise,
which is what a reader expects of "tid" (not "tidligere").
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterator, Mapping, NamedTuple, Sequence

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from codebench.domain.search import IndexPlan, IndexToken, opens_like_a_question
from codebench.storage.base import ProjectRepository
from codebench.storage.orm import (
    AnonEntity, AnonMention, Coder, Coding, Document, Participant, SavedSearch, Turn, utcnow,
)

INDEX_TABLE = "search_turns"
"""The index table; its helpers (FTS5 shadow tables, the vocabulary, the pause switch) share the prefix."""
_CHUNK = 500
_MAX_VOCABULARY = 300
"""Index words a wildcard may expand to before the search falls back to the literal prefix."""
_SCAN = "\0scan"
"""What :meth:`SearchRepository._fts5_query` answers when only reading every turn will do."""


def is_search_index(name: str | None, type_: str, _parents: Any = None) -> bool:
    """Whether a schema object belongs to the full-text index (which the ORM cannot describe).

    Alembic's ``include_name`` hook takes the negation: comparing the ORM with a database must
    not report the index's virtual tables and shadow tables as strays.
    """
    return type_ == "table" and name is not None and (name == INDEX_TABLE or name.startswith(INDEX_TABLE + "_"))


def include_name(name: str | None, type_: str, parents: Any) -> bool:
    """Alembic's ``include_name``: everything but the full-text index."""
    return not is_search_index(name, type_, parents)


# -- writing -----------------------------------------------------------------------------------


def _set_paused(session: Session, paused: bool) -> None:
    value = "true" if paused else "false"
    if session.get_bind().dialect.name == "sqlite":
        value = "1" if paused else "0"
    session.execute(text(f"UPDATE {INDEX_TABLE}_control SET paused = {value} WHERE id = 1"))


@contextmanager
def indexing_in_bulk(session: Session, texts: Mapping[int, str]) -> Iterator[None]:
    """Insert the turns of the documents ``texts`` (id → stored text) inside the block; index them at its end.

    The per-turn trigger is paused meanwhile (for this transaction only: the switch is a row
    written in it), and the documents' turns are indexed with one multi-row insert.
    """
    session.flush()
    _set_paused(session, True)
    try:
        yield
        session.flush()
        index_documents(session, texts)
    except BaseException:
        try:
            _set_paused(session, False)
        except Exception:
            # The connection broke under the block (Ctrl-C inside a statement): the transaction,
            # and the pause with it, is rolled back; the interrupt is what the caller must see.
            pass
        raise
    _set_paused(session, False)


def index_documents(session: Session, texts: Mapping[int, str]) -> int:
    """(Re-)index every turn of these documents from their stored text (id → text); returns the turns indexed."""
    if not texts:
        return 0
    ids = list(texts)
    spans: list[tuple[int, int, int, int]] = []
    for i in range(0, len(ids), _CHUNK):
        spans.extend((row[0], row[1], row[2], row[3]) for row in session.execute(
            select(Turn.id, Turn.document_id, Turn.body_start, Turn.end).where(Turn.document_id.in_(ids[i:i + _CHUNK]))
        ))
    sqlite = session.get_bind().dialect.name == "sqlite"
    # The bodies are cut out a slice at a time: all of a 400,000-turn transcript's at once held 160 MB.
    for i in range(0, len(spans), _CHUNK):
        chunk = spans[i:i + _CHUNK]
        rows = [{"id": turn_id, "body": texts[document_id][body_start:end]} for turn_id, document_id, body_start, end in chunk]
        turn_ids = _ints([r["id"] for r in rows])
        if sqlite:
            session.execute(text(f"DELETE FROM {INDEX_TABLE} WHERE rowid IN ({turn_ids})"))
            session.execute(text(f"INSERT INTO {INDEX_TABLE} (rowid, body) VALUES (:id, :body)"), rows)
        else:
            session.execute(text(f"DELETE FROM {INDEX_TABLE} WHERE turn_id IN ({turn_ids})"))
            session.execute(text(f"INSERT INTO {INDEX_TABLE} (turn_id, body, tsv) "
                                 "VALUES (:id, :body, to_tsvector('simple', codebench_search_words(:body)))"), rows)
    return len(spans)


def _ints(values: Sequence[int]) -> str:
    """Integer ids written into SQL (they come from the database, never from a user)."""
    return ", ".join(str(int(v)) for v in values)


# -- reading -----------------------------------------------------------------------------------


class CandidateTurn(NamedTuple):
    """A turn the index says may hold hits, with its words (the text after the speaker label)."""

    id: int
    document_id: int
    seq: int
    speaker: str | None
    body_start: int
    end: int
    body: str


class DocumentFacts(NamedTuple):
    """A document as search filters and hits see it."""

    name: str
    participant: str | None
    role: str | None
    round: int | None
    source_format: str
    sha256: str


class SavedSearchRecord(NamedTuple):
    """A search kept with its query, for re-running and for the methods section."""

    name: str
    query: str
    options: dict[str, Any]
    coder: str | None
    hits: int | None
    created_at: datetime


class SearchRepository(ProjectRepository):
    """Candidate turns from the full-text index, their texts, and saved searches of one project."""

    @property
    def _sqlite(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    def candidates(self, plan: IndexPlan | None, document_ids: Sequence[int] | None, *, after: int = 0,
                   limit: int | None = None, turn_ids: Sequence[int] | None = None) -> list[CandidateTurn]:
        """Turns that may hold hits, with their text, in turn-id order (the order they were stored in).

        Args:
            plan: what the index must find (a superset of the hits); None: every turn (a regular
                expression, or a wildcard the index cannot narrow).
            document_ids: only turns of these documents (None: the whole project).
            after: only turns with a larger id (the next page of a long list).
            limit: at most this many turns.
            turn_ids: only these turns.
        """
        sqlite = self._sqlite
        key = "s.rowid" if sqlite else "s.turn_id"
        conditions = ["d.project_id = :project", f"{key} > :after"]
        params: dict[str, Any] = {"project": self.project_id, "after": after}
        if plan is not None:
            if sqlite:
                expression = self._fts5_query(plan)
                if expression is None:
                    return []
                if expression is not _SCAN:
                    conditions.append(f"{INDEX_TABLE} MATCH :query")
                    params["query"] = expression
            else:
                clause, found = self._pg_condition(plan)
                if clause is None:
                    return []
                conditions.append(clause)
                params.update(found)
        if document_ids is not None:
            if not document_ids:
                return []
            conditions.append(f"t.document_id IN ({_ints(document_ids)})")
        if turn_ids is not None:
            if not turn_ids:
                return []
            conditions.append(f"{key} IN ({_ints(turn_ids)})")
        query = (f'SELECT t.id, t.document_id, t.seq, t.speaker, t.body_start, t."end", s.body FROM {INDEX_TABLE} s '
                 f"JOIN turns t ON t.id = {key} JOIN documents d ON d.id = t.document_id "
                 f"WHERE {' AND '.join(conditions)} ORDER BY {key}")
        if limit is not None:
            query += " LIMIT :limit"
            params["limit"] = limit
        make = CandidateTurn._make
        # .all() fetches in one call; iterating the result fetches row by row at three times the cost.
        return [make(row) for row in self.session.execute(text(query), params).all()]

    def speaker_turns(self, document_ids: Sequence[int]) -> dict[int, dict[str | None, int]]:
        """Per document, how many turns each speaker has (read from the turns index alone)."""
        found: dict[int, dict[str | None, int]] = {}
        ids = list(document_ids)
        for i in range(0, len(ids), _CHUNK):
            rows = self.session.execute(
                select(Turn.document_id, Turn.speaker, func.count()).where(Turn.document_id.in_(ids[i:i + _CHUNK]))
                .group_by(Turn.document_id, Turn.speaker)).all()
            for document_id, speaker, turns in rows:
                found.setdefault(document_id, {})[speaker] = int(turns)
        return found

    def question_counts(self, document_ids: Sequence[int]) -> dict[int, dict[str | None, int]]:
        """Per document, how many question marks each speaker's turns hold (who asks the questions)."""
        if not document_ids:
            return {}
        key = "s.rowid" if self._sqlite else "s.turn_id"
        rows = self.session.execute(text(
            f"SELECT t.document_id, t.speaker, sum(length(s.body) - length(replace(s.body, '?', ''))) "
            f"FROM turns t JOIN {INDEX_TABLE} s ON {key} = t.id WHERE t.document_id IN ({_ints(document_ids)}) "
            f"GROUP BY t.document_id, t.speaker"
        )).all()
        found: dict[int, dict[str | None, int]] = {}
        for document_id, speaker, questions in rows:
            found.setdefault(document_id, {})[speaker] = int(questions or 0)
        return found

    def question_turns(self, document_ids: Sequence[int]) -> dict[int, dict[str | None, int]]:
        """Per document, how many of each speaker's turns open as a question does (for text
        without question marks: speech recognition output)."""
        if not document_ids:
            return {}
        found: dict[int, dict[str | None, int]] = {}
        for document_id in document_ids:
            text = self.session.execute(select(Document.text).where(Document.id == document_id)).scalar_one()
            counts = found.setdefault(document_id, {})
            for speaker, body_start, end in self.session.execute(
                    select(Turn.speaker, Turn.body_start, Turn.end).where(Turn.document_id == document_id)).all():
                if opens_like_a_question(text[body_start:end]):
                    counts[speaker] = counts.get(speaker, 0) + 1
        return found

    def document_facts(self) -> dict[int, DocumentFacts]:
        """What filters and hits need to know of each document of the project (no text)."""
        query = (
            select(Document.id, Document.name, Participant.pid, Participant.role, Document.round, Document.source_format,
                   Document.sha256)
            .outerjoin(Participant, Participant.id == Document.participant_id)
            .where(Document.project_id == self.project_id)
        )
        return {row[0]: DocumentFacts(*row[1:]) for row in self.session.execute(query)}

    def coded_spans(self, document_ids: Sequence[int], *, code_ids: Sequence[int] | None = None,
                    coders: Sequence[str] | None = None) -> dict[int, list[tuple[int, int]]]:
        """``{document id: sorted (start, end)}`` of the codings on these documents (of some codes, by some coders)."""
        query = select(Coding.document_id, Coding.start, Coding.end)
        if coders is not None:
            query = query.join(Coder, Coder.id == Coding.coder_id).where(Coder.name.in_(list(coders)))
        if code_ids is not None:
            query = query.where(Coding.code_id.in_(list(code_ids)))
        found: dict[int, list[tuple[int, int]]] = {}
        ids = list(document_ids)
        for i in range(0, len(ids), _CHUNK):
            for document_id, start, end in self.session.execute(query.where(Coding.document_id.in_(ids[i:i + _CHUNK]))):
                found.setdefault(document_id, []).append((start, end))
        for spans in found.values():
            spans.sort()
        return found

    def pseudonyms(self, statuses: Sequence[str], document_ids: Sequence[int] | None = None) -> list[str]:
        """The pseudonyms that stand in the project's text (mentions with these statuses)."""
        query = (select(AnonEntity.pseudonym).join(AnonMention, AnonMention.entity_id == AnonEntity.id)
                 .where(AnonEntity.project_id == self.project_id, AnonMention.status.in_(list(statuses))))
        if document_ids is not None:
            query = query.where(AnonMention.document_id.in_(list(document_ids)))
        return list(self.session.scalars(query.distinct()))

    def turns_naming(self, pseudonyms: Sequence[str], statuses: Sequence[str],
                     document_ids: Sequence[int] | None = None) -> list[int]:
        """Ids of the turns holding a mention (with these statuses) of one of these pseudonyms."""
        if not pseudonyms:
            return []
        query = (
            select(Turn.id).distinct()
            .join(AnonMention, AnonMention.document_id == Turn.document_id)
            .join(AnonEntity, AnonEntity.id == AnonMention.entity_id)
            .where(AnonEntity.project_id == self.project_id, AnonEntity.pseudonym.in_(list(pseudonyms)),
                   AnonMention.status.in_(list(statuses)), AnonMention.start < Turn.end, AnonMention.end > Turn.body_start)
        )
        if document_ids is not None:
            query = query.where(Turn.document_id.in_(list(document_ids)))
        return sorted(self.session.scalars(query))

    def rendition_signature(self) -> tuple[Any, ...]:
        """Something that changes whenever the project's anonymised rendition may: its mentions and
        their statuses, its pseudonyms, its documents' texts. A search keeps the loaded decisions
        while this stays the same (loading them takes a second at 15,000 mentions)."""
        weight = ("CASE m.status WHEN 'accepted' THEN 3 WHEN 'manual' THEN 5 WHEN 'rejected' THEN 7 ELSE 11 END")
        mentions = self.session.execute(text(
            f'SELECT count(*), coalesce(max(m.id), 0), coalesce(sum(m.id * {weight} + m.start * 13 + m."end" * 17 '
            f"+ m.entity_id * 19), 0) FROM anon_mentions m JOIN anon_entities e ON e.id = m.entity_id "
            f"WHERE e.project_id = :project"), {"project": self.project_id}).one()
        entities = self.session.execute(select(AnonEntity.id, AnonEntity.pseudonym)
                                        .where(AnonEntity.project_id == self.project_id).order_by(AnonEntity.id)).all()
        documents = self.session.execute(select(Document.id, Document.sha256)
                                         .where(Document.project_id == self.project_id).order_by(Document.id)).all()
        return (tuple(mentions), hash(tuple(map(tuple, entities))), hash(tuple(map(tuple, documents))))

    # -- translating a plan for each backend ----------------------------------------------------

    def _vocabulary(self, token: IndexToken) -> list[str] | None:
        """The index words a wildcard token matches (SQLite's term list), or None when too many."""
        import re

        assert token.pattern is not None
        literal = token.texts[0] if token.texts else ""
        query = f"SELECT term FROM {INDEX_TABLE}_vocab"
        params: dict[str, Any] = {}
        if literal:
            query += " WHERE term >= :low AND term < :high"
            params = {"low": literal, "high": literal + "\U0010ffff"}
        pattern = re.compile(token.pattern)
        matches = [term for (term,) in self.session.execute(text(query), params) if pattern.fullmatch(term)]
        return matches if len(matches) <= _MAX_VOCABULARY else None

    def _fts5_query(self, plan: IndexPlan) -> str | None:
        """The plan as an FTS5 query; None when nothing can match, :data:`_SCAN` when the index cannot narrow it."""
        alternatives = []
        for tokens in plan.alternatives:
            groups = []
            resolved: list[IndexToken] = []
            impossible = False
            for token in tokens:
                if token.pattern is not None:
                    words = self._vocabulary(token)
                    if words is not None:
                        if not words:
                            impossible = True
                            break
                        token = IndexToken(tuple(words))
                    else:
                        token = IndexToken(token.texts, prefix=True)
                resolved.append(token)
            if impossible:
                continue
            constrained = [t for t in resolved if t.texts]
            if not constrained:
                return _SCAN  # a wildcard word with too many spellings and nothing else to go by
            # A phrase keeps the words in order where FTS5 can say so: single words, a prefix last.
            if (len(constrained) == len(resolved) and all(len(t.texts) == 1 for t in resolved)
                    and not any(t.prefix for t in resolved[:-1])):
                phrase = '"' + " ".join(t.texts[0] for t in resolved) + '"' + ("*" if resolved[-1].prefix else "")
                alternatives.append(phrase)
                continue
            for token in constrained:
                star = "*" if token.prefix else ""
                options = [f'"{t}"{star}' for t in token.texts]
                groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
            alternatives.append("(" + " AND ".join(groups) + ")")
        if not alternatives:
            return None
        return " OR ".join(alternatives)

    def _pg_condition(self, plan: IndexPlan) -> tuple[str | None, dict[str, Any]]:
        """The plan as a PostgreSQL condition over ``s`` (the index row) and its parameters."""
        params: dict[str, Any] = {}
        clauses = []
        for n, tokens in enumerate(plan.alternatives):
            parts = []
            words = [t for t in tokens if t.texts]
            if words:
                # Words in order where every word of the phrase is in the tsquery; else all of them anywhere.
                joiner = " <-> " if len(words) == len(tokens) else " & "
                groups = []
                for token in words:
                    star = ":*" if token.prefix else ""
                    options = [f"'{t}'{star}" for t in token.texts]
                    groups.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
                params[f"q{n}"] = joiner.join(groups)
                parts.append(f"s.tsv @@ to_tsquery('simple', :q{n})")
            for m, token in enumerate(t for t in tokens if t.like):
                params[f"l{n}_{m}"] = token.like
                parts.append(f"codebench_fold(s.body) LIKE :l{n}_{m}")
            if parts:
                clauses.append("(" + " AND ".join(parts) + ")")
        if not clauses:
            return None, {}
        return "(" + " OR ".join(clauses) + ")", params

    # -- saved searches ----------------------------------------------------------------------

    def save(self, name: str, query: str, options: dict[str, Any], coder: str | None, hits: int | None) -> SavedSearchRecord:
        """Keep a search under ``name`` (replacing one of that name)."""
        row = self.session.scalar(select(SavedSearch).where(SavedSearch.project_id == self.project_id,
                                                            SavedSearch.name == name))
        if row is None:
            row = SavedSearch(project_id=self.project_id, name=name)
            self.session.add(row)
        row.query, row.options, row.coder, row.hits, row.created_at = query, options, coder, hits, utcnow()
        self.session.flush()
        return _saved(row)

    def saved(self, name: str | None = None) -> list[SavedSearchRecord]:
        """Saved searches (one by name, when given), oldest first."""
        query = select(SavedSearch).where(SavedSearch.project_id == self.project_id)
        if name is not None:
            query = query.where(SavedSearch.name == name)
        return [_saved(row) for row in self.session.scalars(query.order_by(SavedSearch.created_at, SavedSearch.id))]

    def forget(self, name: str) -> bool:
        """Delete a saved search; whether there was one."""
        result = self.session.execute(delete(SavedSearch).where(SavedSearch.project_id == self.project_id,
                                                                SavedSearch.name == name))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _saved(row: SavedSearch) -> SavedSearchRecord:
    return SavedSearchRecord(row.name, row.query, dict(row.options or {}), row.coder, row.hits, row.created_at)
