"""Reading codings, coders and quotes in plain SQL (see :mod:`codebench.storage.reads`)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, Iterator, Sequence

from codebench.domain.records import Quote
from codebench.storage.reads.sql import Reads

_PROJECT_DOCUMENTS = "SELECT id FROM documents WHERE project_id = ?"

# The speaker of the turn a coding starts in: one seek on the covering (document, start, speaker) index.
_SPEAKER = ("(SELECT t.speaker FROM turns t WHERE t.document_id = c.document_id AND t.start <= c.start"
            " ORDER BY t.start DESC LIMIT 1)")

# Position first; coder, code and id break ties, so two coders' identical spans always come in the
# same order (a stable list for the reader and for snapshot tests). Row: uuid, code, coder, document,
# start, end, text, speaker.
_POSITION = itemgetter(3, 4, 5, 2, 1, 0)
_UNKNOWN_CODE = ("?", None)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building thousands of acyclic tuples.

    Each allocation burst otherwise triggers full collections over everything the process
    holds (a TUI with a corpus loaded), which doubled retrieval time in the benchmark.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class CodingReads(Reads):
    """Codings, coders and quotes of one project: the queries that only read."""

    def coder_names(self) -> dict[int, str]:
        """Coder names by id."""
        return dict(self.sql.all("SELECT id, name FROM coders WHERE project_id = ?", [self.project_id]))

    def counts_by_coder_and_code(self) -> dict[tuple[str, int], int]:
        """Number of codings per ``(coder name, code id)``.

        Read from the count table that triggers keep (migration 0005): a few hundred rows, where
        counting the codings read every coding's index entry.
        """
        coders = self.coder_names()
        if not coders:
            return {}
        ids = list(coders)
        rows = self.sql.all(f"SELECT coder_id, code_id, codings FROM coding_counts_by_code"
                            f" WHERE coder_id IN ({self.sql.marks(ids)})", ids)
        return {(coders[coder_id], code_id): count for coder_id, code_id, count in rows}

    def counts_by_code(self) -> dict[int, int]:
        """Number of codings per code id."""
        counts: dict[int, int] = {}
        for (_coder, code_id), count in self.counts_by_coder_and_code().items():
            counts[code_id] = counts.get(code_id, 0) + count
        return counts

    def counts_by_coder(self) -> dict[str, int]:
        """Number of codings per coder name (coders without codings are left out)."""
        counts: dict[str, int] = {}
        for (coder, _code_id), count in self.counts_by_coder_and_code().items():
            counts[coder] = counts.get(coder, 0) + count
        return counts

    def document_version(self, document_id: int) -> tuple[Any, ...]:
        """A fingerprint of what a transcript view of one document draws: its text, its codings
        and the code tree. It changes when any of them does (a coding added, removed, recoded,
        moved, given a memo or a flag; a code renamed or moved; the text corrected).

        Three small aggregates over one document's codings (the ``(document, start)`` index) and
        the project's codes: cheap enough to ask every few seconds while a transcript is open.
        """
        text = self.sql.one("SELECT sha256 FROM documents WHERE id = ? AND project_id = ?",
                            [document_id, self.project_id])
        codings = self.sql.one(
            'SELECT count(*), coalesce(sum(start), 0), coalesce(sum("end"), 0), coalesce(sum(code_id), 0),'
            " coalesce(sum(coder_id), 0), max(updated_at), coalesce(sum(length(memo)), 0), count(flag)"
            " FROM codings WHERE document_id = ?", [document_id])
        codes = self.sql.one("SELECT count(*), coalesce(sum(version), 0), coalesce(sum(coalesce(parent_id, 0)), 0)"
                             " FROM codes WHERE project_id = ?", [self.project_id])
        return (text[0] if text else None, *(codings or ()), *(codes or ()))

    def counts_by_document(self) -> dict[int, int]:
        """Number of codings per document id (documents without codings are left out).

        Summed over coders from the count table that triggers keep (migration 0005).
        """
        return dict(self.sql.all(f"SELECT document_id, sum(codings) FROM coding_counts_by_document"
                                 f" WHERE document_id IN ({_PROJECT_DOCUMENTS}) GROUP BY document_id", [self.project_id]))

    def quotes(
        self,
        code_ids: Sequence[int] | None,
        code_names: dict[int, tuple[str, str | None]],
        *,
        roles: Sequence[str] | None = None,
        rounds: Sequence[int] | None = None,
        document_ids: Sequence[int] | None = None,
        coders: Sequence[str] | None = None,
        with_speakers: bool = True,
    ) -> list[Quote]:
        """Coded segments with their context, ordered by document and position.

        The codings are read alone, driven by the code index (the table is kept in code order), and
        joined in Python to the (few hundred) documents and coders: letting the database join the
        documents first makes it walk every coding of every document, and joining names row by row
        makes a new string per quote. The rows come as the driver's own tuples and are sorted and
        turned into quotes in one pass each, with the garbage collector paused.

        Args:
            code_ids: codes to include (None: all).
            code_names: ``code id -> (code name, main category name)``.
        """
        doc_query = ("SELECT d.id, d.name, p.pid, p.role, d.round FROM documents d"
                     " LEFT OUTER JOIN participants p ON p.id = d.participant_id WHERE d.project_id = ?")
        doc_params: list[Any] = [self.project_id]
        for column, values in (("p.role", roles), ("d.round", rounds), ("d.id", document_ids)):
            if values:
                doc_query += f" AND {column} IN ({self.sql.marks(values)})"
                doc_params += list(values)
        documents = {row[0]: row[1:] for row in self.sql.all(doc_query, doc_params)}
        coder_names = self.coder_names()
        query = f'SELECT c.uuid, c.code_id, c.coder_id, c.document_id, c.start, c."end", c.quote, ' \
                f'{_SPEAKER if with_speakers else "NULL"} FROM codings c WHERE 1 = 1'
        params: list[Any] = []
        if code_ids is not None:
            query += f" AND c.code_id IN ({self.sql.marks(code_ids)})"
            params += list(code_ids)
        if code_ids is None or roles or rounds or document_ids:
            # Codes belong to one project; without them, the project's (or the chosen) documents bound the codings.
            query += f" AND c.document_id IN ({self.sql.marks(list(documents))})"
            params += list(documents)
        if coders:
            wanted = [i for i, name in coder_names.items() if name in set(coders)]
            query += f" AND c.coder_id IN ({self.sql.marks(wanted)})"
            params += wanted
        with collector_paused():
            rows = self.sql.all(query, params)
            rows.sort(key=_POSITION)  # the table is in code order: the rows arrive as runs that timsort merges
            return _quotes(rows, code_names, coder_names, documents)


def _quotes(rows: list[Any], code_names: dict[int, tuple[str, str | None]], coder_names: dict[int, str],
            documents: dict[int, tuple[Any, ...]]) -> list[Quote]:
    """Quotes from ``(uuid, code, coder, document, start, end, text, speaker)`` rows, in their order.

    Spelled out field by field and built with ``tuple.__new__``: a third faster than unpacking the
    document's and the code's tuples into ``Quote(...)`` (tens of thousands per category).
    """
    new = tuple.__new__
    found = []
    append = found.append
    for uuid, code_id, coder_id, doc_id, start, end, text, speaker in rows:
        code = code_names.get(code_id, _UNKNOWN_CODE)
        doc = documents[doc_id]
        append(new(Quote, (uuid, code[0], code[1], coder_names[coder_id], doc_id, doc[0], doc[1], doc[2], doc[3],
                           start, end, text, speaker)))
    return found
