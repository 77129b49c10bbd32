"""Character positions as a coder who may not see original names reads and gives them.

Codings, search hits and turns live on the original text, and their positions are code points
of it.  Printed next to the anonymised rendition, those positions would tell a coder who may
not see names how long each name is (a turn of 200 characters that shows as 190 hides 10
more).  Such a coder is therefore given, and gives, positions in the anonymised rendition; a
coder who may see originals keeps the original's positions, which ``import-codings`` and
REFI-QDA exchange use too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from codebench.domain.spans import OffsetMap
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import may_see_original, original_viewers
from codebench.services.project import Project


T = TypeVar("T")


class Positions:
    """Maps positions between the original and the text one coder is shown."""

    def __init__(self, project: Project, anonymised: bool) -> None:
        """Build a map for one command.

        Args:
            project: the open project.
            anonymised: positions are those of the anonymised rendition (else of the original).
        """
        self.project = project
        self.anonymised = anonymised
        self._maps: dict[int, OffsetMap] = {}

    def _load(self, document_ids: Iterable[int | str]) -> None:
        """The maps of these documents, one load of the decisions for all of them."""
        # Imported here: a coder who may see names never needs the renditions' machinery.
        from codebench.services.anonymisation.renditions import shown_offsets
        from codebench.services.documents import document_info

        ids = {int(d) if str(d).isdigit() else document_info(self.project, d).id for d in document_ids}
        missing = ids - self._maps.keys()
        if missing:
            self._maps.update(shown_offsets(self.project, missing))

    def _map(self, document_id: int | str) -> OffsetMap | None:
        if not self.anonymised:
            return None
        if not str(document_id).isdigit():
            from codebench.services.documents import document_info

            document_id = document_info(self.project, document_id).id
        document_id = int(document_id)
        self._load([document_id])
        if document_id not in self._maps:
            raise ServiceError(f"no document {document_id} in this project (see `codebench documents`)")
        return self._maps[document_id]

    def shown(self, document_id: int | str, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` of the original as this coder reads it (a cut name widens to its pseudonym)."""
        offsets = self._map(document_id)
        if offsets is None:
            return start, end
        return offsets.to_target(start, side="start"), offsets.to_target(end, side="end")

    def stored(self, document_id: int | str, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` this coder gave, on the original (a cut pseudonym widens to its name).

        Raises:
            ServiceError: the span lies outside the text the coder is shown.
        """
        offsets = self._map(document_id)
        if offsets is None:
            return start, end
        if not 0 <= start <= end <= offsets.target_length:
            raise ServiceError(f"[{start}, {end}) is not inside the document's anonymised text "
                               f"({offsets.target_length} characters; see `show --offsets`)")
        return offsets.to_source(start, side="start"), offsets.to_source(end, side="end")

    def moved(self, items: Sequence[T]) -> list[T]:
        """Records with ``document_id``, ``start`` and ``end`` (quotes, hits, memos) placed as this coder reads them."""
        if not self.anonymised:
            return list(items)
        self._load({record.document_id for record in items if getattr(record, "document_id", None) is not None})
        out = []
        for item in items:
            record: Any = item
            if record.document_id is None or record.start is None:
                out.append(item)
                continue
            start, end = self.shown(record.document_id, record.start, record.end)
            out.append(record._replace(start=start, end=end) if hasattr(record, "_replace")
                       else dataclasses.replace(record, start=start, end=end))
        return out


def positions_for(project: Project, coder: str | None) -> Positions:
    """The positions ``coder`` reads and gives: the rendition's when the project keeps names from them."""
    return Positions(project, not may_see_original(project, coder))


def positions_in_view(project: Project, anonymised: bool) -> Positions:
    """Positions for a view that shows the anonymised text or not, in a project that may keep names
    from some coders (the history and other views that do not know who reads them)."""
    return Positions(project, anonymised and original_viewers(project) is not None)
