"""Coding: applying, removing and recoding codings, coding memos, importing codings, the transcript view's codings."""

from __future__ import annotations


from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml
from sqlalchemy import select

from codebench.domain.records import (
    CodeInfo, CodingInfo,
)
from codebench.domain.spans import Span
from codebench.storage.orm import (
    Coding, Document, new_uuid, utcnow,
)
from codebench.storage.repositories import code_info, coding_info
from codebench.errors import ServiceError
from codebench.services.project import Project
from codebench.services.documents import _document
from codebench.services.codebook import _create_code, _ordered_tree
from codebench.storage.repositories import coding_snapshot
from codebench.domain.records import code_snapshot




def _check_span(document: Document, start: int, end: int) -> Span:
    if start < 0 or end > document.length or end <= start:
        raise ServiceError(
            f"span [{start}, {end}) is not inside {document.name!r} (length {document.length}); end must be after start"
        )
    return Span(start, end)


def apply_code(
    project: Project,
    document: str | int,
    start: int,
    end: int,
    code: str,
    coder: str,
    *,
    memo: str | None = None,
    create: str | None = "open",
    category: str | None = None,
) -> CodingInfo:
    """Code ``[start, end)`` of a document.

    Args:
        document: document id or name.
        start, end: half-open code point span into the stored text.
        code: code name; an unknown name creates a new code when ``create`` is an origin
            (``"open"`` or ``"in-vivo"``), else it is an error.
        coder: who codes (created on first use).
        memo: optional memo on the coding.
        category: where a newly created code goes (default: top level).
    """
    coder = coder.strip()
    if not coder:
        raise ServiceError("a coding needs a coder name")
    with project.transaction() as repo:
        doc = _document(repo, document)
        span = _check_span(doc, start, end)
        code_row = repo.code_by_name(code)
        created = False
        if code_row is None:
            if create is None:
                raise ServiceError(f"no code called {code!r}")
            code_row = _create_code(repo, code, parent=category, kind="code", origin=create)
            created = True
        elif code_row.kind != "code":
            raise ServiceError(f"{code_row.name!r} is a category; apply one of its codes")
        coder_row = repo.coder(coder)
        assert coder_row is not None
        duplicate = repo.session.scalar(select(Coding).where(
            Coding.document_id == doc.id, Coding.code_id == code_row.id, Coding.coder_id == coder_row.id,
            Coding.start == span.start, Coding.end == span.end,
        ))
        if duplicate is not None:
            raise ServiceError(f"{coder} has already coded this span with {code_row.name!r}")
        now = utcnow()
        row = Coding(
            uuid=new_uuid(), document_id=doc.id, code_id=code_row.id, coder_id=coder_row.id, start=span.start,
            end=span.end, text_sha256=doc.sha256, quote=doc.text[span.start:span.end], memo=memo,
            created_at=now, updated_at=now,
        )
        repo.session.add(row)
        repo.session.flush()
        payload = coding_snapshot(row)
        if created:
            payload["created_code"] = code_snapshot(code_info(code_row))
        repo.audit.log("apply", coder, payload)
        return coding_info(row, coder)


def remove_coding(project: Project, coding_uuid: str, coder: str | None = None) -> CodingInfo:
    """Delete a coding (its snapshot stays in the audit log, so undo can restore it)."""
    with project.transaction() as repo:
        row = repo.coding(coding_uuid)
        if row is None:
            raise ServiceError(f"no coding {coding_uuid!r}")
        info = coding_info(row, repo.coder_names()[row.coder_id])
        repo.audit.log("remove", coder, coding_snapshot(row))
        repo.session.delete(row)
        return info


def recode(project: Project, coding_uuid: str, code: str, coder: str | None = None, *,
           create: str | None = None) -> CodingInfo:
    """Give an existing coding another code (same span, same coder).

    Args:
        create: an origin ("open", "in-vivo") to create ``code`` when it does not exist yet.
    """
    with project.transaction() as repo:
        row = repo.coding(coding_uuid)
        if row is None:
            raise ServiceError(f"no coding {coding_uuid!r}")
        code_row = repo.code_by_name(code)
        if code_row is None and create is not None:
            code_row = _create_code(repo, code, parent=None, kind="code", origin=create)
        if code_row is None or code_row.kind != "code":
            raise ServiceError(f"no code called {code!r}")
        old = row.code_id
        row.code_id = code_row.id
        row.updated_at = utcnow()
        repo.audit.log("recode", coder, {"uuid": row.uuid, "from": old, "to": code_row.id})
        return coding_info(row, repo.coder_names()[row.coder_id])


def set_coding_memo(project: Project, coding_uuid: str, memo: str | None, coder: str | None = None) -> CodingInfo:
    """Write (or clear, with None) the memo of a coding."""
    with project.transaction() as repo:
        row = repo.coding(coding_uuid)
        if row is None:
            raise ServiceError(f"no coding {coding_uuid!r}")
        repo.audit.log("coding_memo", coder, {"uuid": row.uuid, "from": row.memo, "to": memo})
        row.memo = memo
        row.updated_at = utcnow()
        return coding_info(row, repo.coder_names()[row.coder_id])


def codings(project: Project, document: str | int | None = None) -> list[CodingInfo]:
    """Codings of the project or of one document, by position."""
    with project.transaction(write=False) as repo:
        doc_id = _document(repo, document).id if document is not None else None
        return repo.codings.list(doc_id)


def import_codings(project: Project, path: str | Path) -> int:
    """Apply a file of codings (YAML; format in corpora/sample/gold/codings/README.md).

    The file names a coder, optional ``codes_created`` (open or in-vivo codes with a category)
    and ``codings`` with document, start, end, code and the coded ``text``, which must equal the
    document's text at that span, so that a file made against another version of a transcript
    is refused instead of coding the wrong words. All or nothing.

    Returns:
        the number of codings added (codings already present are skipped).
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServiceError(f"{path}: no such file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ServiceError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("coder"), str) or not isinstance(data.get("codings"), list):
        raise ServiceError(f"{path}: expected 'coder:' and a list of 'codings:'")
    coder_name = data["coder"]
    added = 0
    with project.transaction() as repo:
        for spec in data.get("codes_created") or []:
            if repo.code_by_name(spec["name"]) is None:
                _create_code(repo, spec["name"], parent=spec.get("category"), kind="code", origin=spec.get("origin", "open"))
        coder_row = repo.coder(coder_name)
        assert coder_row is not None
        documents: dict[str, Document] = {}
        present = set(repo.session.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(Coding.coder_id == coder_row.id)).all())
        rows = []
        for n, item in enumerate(data["codings"], 1):
            where = f"{path}: coding {n}"
            try:
                doc_ref, start, end, code_name = item["document"], int(item["start"]), int(item["end"]), item["code"]
            except (KeyError, TypeError, ValueError):
                raise ServiceError(f"{where}: needs document, start, end and code") from None
            if doc_ref not in documents:
                found = repo.find_document(doc_ref)
                if found is None:
                    raise ServiceError(f"{where}: no document {doc_ref!r} in the project")
                documents[doc_ref] = found
            doc = documents[doc_ref]
            span = _check_span(doc, start, end)
            if "text" in item and doc.text[span.start:span.end] != item["text"]:
                raise ServiceError(f"{where}: the text at [{start}, {end}) of {doc.name!r} is not the text in the file")
            code_row = repo.code_by_name(code_name)
            if code_row is None or code_row.kind != "code":
                raise ServiceError(f"{where}: no code called {code_name!r}")
            key = (doc.id, code_row.id, span.start, span.end)
            if key in present:
                continue
            present.add(key)
            now = utcnow()
            rows.append({"uuid": new_uuid(), "document_id": doc.id, "code_id": code_row.id, "coder_id": coder_row.id,
                         "start": span.start, "end": span.end, "text_sha256": doc.sha256,
                         "quote": doc.text[span.start:span.end], "memo": item.get("memo"), "created_at": now,
                         "updated_at": now})
        if rows:
            from sqlalchemy import insert

            repo.session.execute(insert(Coding), rows)
            repo.audit.log("import_codings", coder_name, {"file": path.name, "codings": [r["uuid"] for r in rows]})
        added = len(rows)
    project.checkpoint()
    return added


@dataclass(frozen=True)
class CodedSpanView:
    """A coding as a reading view shows it: code name, effective colour, coder."""

    uuid: str
    start: int
    end: int
    code: str
    colour: str | None
    coder: str
    memo: str | None


def effective_colours(tree: Sequence[CodeInfo]) -> dict[int, str | None]:
    """Each node's colour, inherited from the nearest coloured ancestor when it has none."""
    by_id = {c.id: c for c in tree}
    colours: dict[int, str | None] = {}
    for node in tree:
        current: CodeInfo | None = node
        while current is not None and not current.colour:
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        colours[node.id] = current.colour if current else None
    return colours


def document_codings(project: Project, document: str | int, coders: Sequence[str] | None = None) -> list[CodedSpanView]:
    """The codings of one document with names and colours, for the transcript view."""
    with project.transaction(write=False) as repo:
        doc = _document(repo, document)
        tree = _ordered_tree(repo.code_rows())
        names = {c.id: c.name for c in tree}
        colours = effective_colours(tree)
        return [
            CodedSpanView(c.uuid, c.start, c.end, names[c.code_id], colours[c.code_id], c.coder, c.memo)
            for c in repo.codings.list(doc.id) if coders is None or c.coder in coders
        ]
