"""Memos: writing memos on codes, documents and the project, editing them, and every memo of the
project (code, coding, document and project memos) in one list for the browser, ``codebench
memos`` and ``export memos``.

A memo on a coding lives with the coding (``services.coding.set_coding_memo``) and a code's own
memo is a field of the code (``services.codebook.update_code``); :func:`memo_entries` gathers
them with the memo rows so that a researcher finds every memo in one place. Shown anonymised
(memo text and titles through the free-text anonymiser, documents by their anonymised label,
coded words from the rendition) unless the caller asks for the original.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Sequence

from codebench.domain.code_tree import ordered
from codebench.domain.memos import MemoEntry, MemoFilter, memo_order, select_memos
from codebench.domain.quote_editing import without_time_marks
from codebench.errors import ServiceError
from codebench.services.anonymisation.renditions import (
    anonymise_free_texts, anonymised_names, anonymised_passages,
)
from codebench.services.documents import find_document
from codebench.services.project import Project

if TYPE_CHECKING:  # the read path imports this module (exports name it) without SQLAlchemy
    from codebench.storage.store import Store

__all__ = ["add_memo", "edit_memo", "find_memo_document", "memo_entries", "memos"]


def add_memo(project: Project, text: str, *, code: str | None = None, document: str | int | None = None,
             title: str | None = None, author: str | None = None) -> int:
    """Write a memo on a code, a document, or (neither given) the project. Returns its id."""
    if not text.strip():
        raise ServiceError("the memo is empty")
    with project.transaction() as store:
        target_id: int | None
        if code is not None:
            node = store.codebook.by_name(code)
            if node is None:
                raise ServiceError(f"no code called {code!r}")
            target_type, target_id = "code", node.id
        elif document is not None:
            target_type, target_id = "document", find_document(store, document).id
        else:
            target_type, target_id = "project", None
        memo_id, memo_uuid = store.memos.add(target_type=target_type, target_id=target_id, text=text, title=title,
                                             author=author)
        # The whole memo goes into the log, so that undo can take it back and redo bring it again.
        store.audit.log("memo", author, {"memo": memo_uuid, "target_type": target_type, "target_id": target_id,
                                         "text": text, "title": title, "author": author})
        return memo_id


def edit_memo(project: Project, memo: str, text: str, *, title: str | None = None, coder: str | None = None) -> bool:
    """Change the text of a memo on the project, a document or a code; empty text deletes it.

    A memo is its author's: another coder's memo is refused (write your own beside it), a
    memo without an author (imported, or written before authors were kept) anyone may edit.
    Codings' memos and codes' own memo fields are edited with ``set_coding_memo`` and
    ``update_code``.

    Returns:
        True when the memo is kept (changed), False when the empty text deleted it.

    Raises:
        ServiceError: no such memo, or another coder's.
    """
    with project.transaction() as store:
        found = store.memos.get(memo)
        if found is None:
            raise ServiceError(f"no memo {memo!r}")
        if coder is not None and found["author"] and found["author"] != coder:
            raise ServiceError(f"that memo is {found['author']}'s: a coder edits only their own memos "
                               "(write your own memo beside it)")
        if not text.strip():
            store.memos.delete(memo)
            store.audit.log("memo_delete", coder, {"memo": memo, "snapshot": _snapshot(found)})
            return False
        store.memos.update(memo, text=text, title=title if title is not None else found["title"])
        store.audit.log("memo_edit", coder, {"memo": memo, "target_type": found["target_type"],
                                             "target_id": found["target_id"],
                                             "from": {"text": found["text"], "title": found["title"]},
                                             "to": {"text": text, "title": title if title is not None else found["title"]}})
        return True


def _snapshot(found: dict[str, Any]) -> dict[str, Any]:
    return {"memo": found["uuid"], "target_type": found["target_type"], "target_id": found["target_id"],
            "text": found["text"], "title": found["title"], "author": found["author"],
            "created_at": found["created_at"].isoformat() if found.get("created_at") else None}


def memos(project: Project) -> list[dict[str, Any]]:
    """All memo rows (project, document and code memos) as dictionaries (target, title, text, author, times)."""
    with project.transaction(write=False) as store:
        return store.memos.all()


def find_memo_document(project: Project, ref: str | int, *, original: bool = True) -> int:
    """The id of a document named by id, name or unique name prefix — or, for a coder shown the
    anonymised rendition (``original`` False), by its anonymised label ("V01 veileder runde 1").

    Raises:
        ServiceError: no such document.
    """
    with project.transaction(write=False) as store:
        infos = store.documents.infos()
        labels = anonymised_names(infos)
        wanted = str(ref).strip().casefold()
        by_label = [i for i, label in labels.items() if label.casefold() == wanted]
        if not by_label:
            by_label = [i for i, label in labels.items() if label.casefold().startswith(wanted)]
        if len(by_label) == 1:
            return by_label[0]
        if original or str(ref).strip().isdigit():
            return find_document(store, ref).id
    raise ServiceError(f"no document {ref!r} in this project (see `codebench documents`)")


def memo_entries(project: Project, *, original: bool = False, wanted: MemoFilter | None = None) -> list[MemoEntry]:
    """Every memo of the project — project, document, code and coding memos — as one list.

    Project memos come first, then document memos, code memos in code-tree order, and coding
    memos by code, document and position.

    Args:
        original: show memo text, titles, document names and coded words as written; else
            anonymised (known names in memos replaced, documents by their anonymised label,
            coded words from the rendition).
        wanted: keep only these (kinds, code, document, coder, words).
    """
    with project.transaction(write=False) as store:
        entries, code_order = _gather(store, original)
    if not original:
        entries = _anonymised(project, entries)
    # Coded words as every quote reads: without the transcript's time marks.
    entries = [replace(e, quote=without_time_marks(e.quote)) if e.quote else e for e in entries]
    entries = memo_order(entries, code_order)
    return select_memos(entries, wanted) if wanted is not None else entries


def _gather(store: Store, original: bool) -> tuple[list[MemoEntry], dict[int, int]]:
    """The memos of all three kinds of storage, with documents by their original name or label."""
    tree = ordered(store.codebook.rows())
    codes = {info.id: info for info in tree}
    infos = store.documents.infos()
    names = {i.id: i.name for i in infos} if original else anonymised_names(infos)
    entries: list[MemoEntry] = []
    for row in store.memos.all():
        kind, target = row["target_type"], row["target_id"]
        code = codes.get(target) if kind == "code" else None
        if kind == "code" and code is None:
            continue  # the code was removed (merged away): its memo row has nothing left to be about
        document_id = target if kind == "document" else None
        entries.append(MemoEntry(
            kind=kind, key=row["uuid"], text=row["text"], author=row["author"], title=row["title"],
            code=code.name if code else None, code_id=code.id if code else None, document_id=document_id,
            document=names.get(document_id) if document_id is not None else None,
            created_at=row["created_at"], updated_at=row["updated_at"],
        ))
    for info in tree:
        if info.memo and info.memo.strip():
            entries.append(MemoEntry(kind="code", key=f"code:{info.id}", text=info.memo, code=info.name, code_id=info.id,
                                     field_memo=True))
    for c in store.memos.coding_memos():
        code = codes.get(c.code_id)
        entries.append(MemoEntry(
            kind="coding", key=c.uuid, text=c.memo, author=c.coder, code=code.name if code else "?", code_id=c.code_id,
            document_id=c.document_id, document=names.get(c.document_id), start=c.start, end=c.end, quote=c.quote,
            created_at=c.created_at, updated_at=c.updated_at,
        ))
    return entries, {info.id: i for i, info in enumerate(tree)}


def _anonymised(project: Project, entries: Sequence[MemoEntry]) -> list[MemoEntry]:
    """Memo text and titles with known names replaced; coded words from the anonymised rendition."""
    # Code names too: an in-vivo code is the informant's own words.
    names = sorted({e.code for e in entries if e.code})
    texts = anonymise_free_texts(project, [e.text for e in entries] + [e.title or "" for e in entries])
    count = len(entries)
    # Code names as every view shows them (the known forms only); memo text is read by the detectors too.
    labels = {name: shown for name, shown in zip(names, anonymise_free_texts(project, names, detect=False))
              if shown != name}
    spans = [(e.document_id, e.start, e.end) for e in entries
             if e.kind == "coding" and e.document_id is not None and e.start is not None and e.end is not None]
    passages = iter(anonymised_passages(project, spans))  # type: ignore[arg-type]
    out = []
    for i, entry in enumerate(entries):
        quote = next(passages) if entry.kind == "coding" and entry.document_id is not None else entry.quote
        masked = texts[i] != entry.text or (texts[count + i] or None) != entry.title
        out.append(replace(entry, text=texts[i], title=texts[count + i] or None, quote=quote, masked=masked,
                           code_label=labels.get(entry.code) if entry.code else None))
    return out
