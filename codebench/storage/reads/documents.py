"""Reading documents, their turns and participants in plain SQL (see :mod:`codebench.storage.reads`)."""

from __future__ import annotations

from typing import Any, Iterable

from codebench.domain.records import DocumentInfo, ParticipantInfo, TurnInfo
from codebench.errors import StorageError
from codebench.storage.reads.sql import Reads

# The project's documents, read from the project index: never the rows that carry the text.
_PROJECT_DOCUMENTS = "SELECT id FROM documents WHERE project_id = ?"


def _like_prefix(text: str) -> str:
    """A LIKE pattern for names starting with ``text`` (``/`` escapes the wildcards)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


class DocumentReads(Reads):
    """Documents, turns and participants of one project: the queries that only read."""

    def infos(self, ids: Iterable[int] | None = None, *, turn_counts: bool = True) -> list[DocumentInfo]:
        """Documents of the project (without text), in import order.

        Args:
            ids: only these documents (all when None).
            turn_counts: count each document's turns; without, ``turn_count`` is None (a listing
                that does not show it spares a pass over every turn: 190,000 at 10 M words).
        """
        params: list[Any] = [self.project_id]
        where = ""
        if ids is not None:
            wanted = list(ids)
            # Count only what was asked for: opening one document must not count 200 documents' turns.
            counting = f"SELECT document_id, count(*) FROM turns WHERE document_id IN ({self.sql.marks(wanted)})"
            counting_params: list[Any] = wanted
            where = f" AND d.id IN ({self.sql.marks(wanted)})"
            params += wanted
        else:
            counting = f"SELECT document_id, count(*) FROM turns WHERE document_id IN ({_PROJECT_DOCUMENTS})"
            counting_params = [self.project_id]
        # Grouped in the (document, start) index's order: the count streams, without a sort.
        counted = dict(self.sql.all(counting + " GROUP BY document_id", counting_params)) if turn_counts else None
        rows = self.sql.all(
            "SELECT d.id, d.uuid, d.name, d.source_name, d.source_format, d.sha256, d.imported_at, d.length,"
            " d.word_count, d.round, d.meta, p.id, p.pid, p.role, p.site, p.attributes"
            " FROM documents d LEFT OUTER JOIN participants p ON p.id = d.participant_id"
            " WHERE d.project_id = ?" + where + " ORDER BY d.id", params)
        participants: dict[int, ParticipantInfo] = {}
        # The importers write a few shapes of meta over and over ("{}", the same notes): each
        # distinct text is decoded once (a thousand json.loads were half of the listing).
        decoded: dict[Any, tuple[tuple[str, ...], tuple[str, ...], dict[str, Any]]] = {}
        kinds: dict[Any, dict[str, Any]] = {}
        time = self.sql.time
        found = []
        append = found.append
        for (doc_id, uuid, name, source_name, source_format, sha256, imported_at, length, word_count, round_, meta,
             participant_id, pid, role, site, attributes) in rows:
            participant = None
            if participant_id is not None:
                participant = participants.get(participant_id)
                if participant is None:
                    if isinstance(attributes, (str, bytes)):  # SQLite's text, mostly "{}": decoded once
                        value = kinds.get(attributes)
                        if value is None:
                            value = kinds[attributes] = self.sql.json(attributes) or {}
                    else:  # psycopg decoded it
                        value = attributes or {}
                    # Each participant its own dict: a caller may change one without touching another's.
                    participant = participants[participant_id] = ParticipantInfo(
                        participant_id, pid, role, site, dict(value))
            key = meta if isinstance(meta, (str, bytes)) else None
            parts = decoded.get(key) if key is not None else None
            if parts is None:
                read = self.sql.json(meta) or {}
                parts = (tuple(read.get("notes", ())), tuple(read.get("warnings", ())),
                         {k: v for k, v in read.items() if k not in ("notes", "warnings")})
                if key is not None:
                    decoded[key] = parts
            notes, warnings, source_meta = parts
            append(DocumentInfo(
                doc_id, uuid, name, source_name, source_format, sha256, time(imported_at), length, word_count,
                counted.get(doc_id, 0) if counted is not None else None, round_, participant, notes, warnings,
                # Each document its own dict: a caller may keep and change one without touching another's.
                dict(source_meta) if source_meta else {},
            ))
        return found

    def hashes(self) -> dict[int, str]:
        """The text hash of every document of the project, by id."""
        return dict(self.sql.all("SELECT id, sha256 FROM documents WHERE project_id = ?", [self.project_id]))

    def find(self, ref: str | int) -> DocumentInfo | None:
        """A document by id, exact name, source file name, or unique name prefix."""
        document_id = self.find_id(ref)
        return self.infos([document_id])[0] if document_id is not None else None

    def find_id(self, ref: str | int) -> int | None:
        """The id of a document named by id, exact name, source file name, or unique name prefix."""
        text_ref = str(ref)
        if text_ref.isdigit():
            found = self.sql.scalar("SELECT id FROM documents WHERE project_id = ? AND id = ?",
                                    [self.project_id, int(text_ref)])
            if found is not None:
                return found
        for column in ("name", "source_name"):
            rows = self.sql.all(f"SELECT id FROM documents WHERE project_id = ? AND {column} = ? LIMIT 2",
                                [self.project_id, text_ref])
            if len(rows) == 1:
                return rows[0][0]
        rows = self.sql.all("SELECT id FROM documents WHERE project_id = ? AND name LIKE ? ESCAPE '/' LIMIT 2",
                            [self.project_id, _like_prefix(text_ref)])
        return rows[0][0] if len(rows) == 1 else None

    def name_by_hash(self, sha256: str) -> str | None:
        """The name of the document with this text hash, if the project has it."""
        return self.sql.scalar("SELECT name FROM documents WHERE project_id = ? AND sha256 = ?",
                               [self.project_id, sha256])

    def names(self) -> set[str]:
        """Every document name in the project."""
        return {name for (name,) in self.sql.all("SELECT name FROM documents WHERE project_id = ?", [self.project_id])}

    def text(self, document_id: int) -> str:
        """The stored (original) text of one document."""
        text = self.sql.scalar("SELECT text FROM documents WHERE project_id = ? AND id = ?",
                               [self.project_id, document_id])
        if text is None:
            raise StorageError(f"document {document_id} is not in this project")
        return text

    def texts(self, document_ids: Iterable[int] | None = None) -> dict[int, str]:
        """``{document id: stored text}`` of some documents (all when None)."""
        if document_ids is None:
            return dict(self.sql.all("SELECT id, text FROM documents WHERE project_id = ?", [self.project_id]))
        wanted = list(document_ids)
        return dict(self.sql.all(f"SELECT id, text FROM documents WHERE project_id = ? AND id IN ({self.sql.marks(wanted)})",
                                 [self.project_id, *wanted]))

    def turn_starts(self) -> dict[int, list[int]]:
        """``{document id: sorted turn starts}`` for every document of the project, in one query."""
        starts: dict[int, list[int]] = {}
        rows = self.sql.all(f"SELECT document_id, start FROM turns WHERE document_id IN ({_PROJECT_DOCUMENTS})"
                            " ORDER BY document_id, start", [self.project_id])
        for document_id, start in rows:
            starts.setdefault(document_id, []).append(start)
        return starts

    def page_starts(self) -> dict[int, list[int]]:
        """``{document id: sorted page starts}`` of the project's paged documents (PDF reports)."""
        rows = self.sql.all("SELECT id, meta FROM documents WHERE project_id = ? AND source_format = 'pdf'",
                            [self.project_id])
        pages = {doc_id: (self.sql.json(meta) or {}).get("pages") for doc_id, meta in rows}
        return {doc_id: list(found) for doc_id, found in pages.items() if isinstance(found, list)}

    def turns(self, document_id: int) -> list[TurnInfo]:
        """Speaker turns of a document in order."""
        rows = self.sql.all('SELECT seq, speaker, start, "end", body_start, t_start, t_end FROM turns'
                            " WHERE document_id = ? ORDER BY seq", [document_id])
        return [TurnInfo(*row) for row in rows]

    def participants(self) -> list[ParticipantInfo]:
        """All participants, ordered by id."""
        rows = self.sql.all("SELECT id, pid, role, site, attributes FROM participants WHERE project_id = ? ORDER BY pid",
                            [self.project_id])
        return [ParticipantInfo(id_, pid, role, site, dict(self.sql.json(attributes) or {}))
                for id_, pid, role, site, attributes in rows]

    def counts(self) -> tuple[int, int, int]:
        """``(documents, words, turns)`` of the project."""
        docs, words = self.sql.one("SELECT count(*), coalesce(sum(word_count), 0) FROM documents WHERE project_id = ?",
                                   [self.project_id]) or (0, 0)
        turns = self.sql.scalar(f"SELECT count(*) FROM turns WHERE document_id IN ({_PROJECT_DOCUMENTS})",
                                [self.project_id]) or 0
        return int(docs), int(words), int(turns)

    def participants_by_role(self) -> dict[str, int]:
        """Number of participants per role."""
        return dict(self.sql.all("SELECT role, count(*) FROM participants WHERE project_id = ? GROUP BY role",
                                 [self.project_id]))

    def documents_by_role(self) -> dict[str, int]:
        """Number of documents per participant role (``(none)`` for documents without a participant)."""
        return dict(self.sql.all(
            "SELECT coalesce(p.role, '(none)'), count(*) FROM documents d"
            " LEFT OUTER JOIN participants p ON p.id = d.participant_id WHERE d.project_id = ? GROUP BY p.role",
            [self.project_id]))
