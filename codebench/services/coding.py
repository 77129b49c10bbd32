"""Coding: applying, removing and recoding codings, coding memos, importing codings, the transcript view's codings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence


from codebench.domain import code_tree as rules
from codebench.domain.code_tree import effective_colours, main_categories, ordered
from codebench.domain.codebook import ORIGINS, in_vivo_name
from codebench.domain.records import CodingInfo, DocumentInfo, code_snapshot
from codebench.domain.spans import Span
from codebench.errors import ServiceError
from codebench.services.codebook import add_code
from codebench.services.documents import find_document
from codebench.domain.yaml_source import line_of, load_yaml
from codebench.services.project import Project, read_text_file
from codebench.storage.store import Store

__all__ = [
    "CodedSpanView", "apply_code", "check_span", "codings", "document_codings", "document_version", "effective_colours", "import_codings",
    "recode", "remove_coding", "set_coding_memo",
]


def check_span(document: DocumentInfo, start: int, end: int) -> Span:
    """The span ``[start, end)`` if it lies inside the document and is not empty."""
    if start < 0 or end > document.length or end <= start:
        raise ServiceError(
            f"span [{start}, {end}) is not inside document {document.id} (length {document.length}); "
            "end must be after start"
        )
    return Span(start, end)


def in_vivo_code_name(project: Project, document: str | int, start: int, end: int, *,
                      coder: str | None = None) -> str:
    """The name an in-vivo code made from ``[start, end)`` of a document gets (the workbench's rule).

    The words are taken whole, and so is every identifier the span touches: a span starting
    inside a name ("umo Hassan" of Fadumo Hassan) would otherwise name the code with a piece of
    it that no anonymisation recognises.  A coder the project does not let see original names
    gets the name from the anonymised rendition, as the workbench's anonymised view gives it.

    Raises:
        ServiceError: no such document, or the span is outside it or holds no words.
    """
    from codebench.services.anonymisation.access import may_see_original

    with project.transaction(write=False) as store:
        doc = find_document(store, document)
        text = store.documents.text(doc.id)
        touched = [(m.start, m.end) for m in store.anonymisation.mentions([doc.id])
                   if m.status != "rejected" and m.start < end and start < m.end]
    if not 0 <= start < end <= len(text):
        raise ServiceError(f"[{start}, {end}) is not inside document {doc.id} ({len(text)} characters)")
    start, end = min([start, *(s for s, _ in touched)]), max([end, *(e for _, e in touched)])
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    words = text[start:end]
    if not may_see_original(project, coder):
        from codebench.services.anonymisation.renditions import rendition

        shown = rendition(project, doc.id)
        target = shown.offsets.span_to_target(Span(start, end))
        words = shown.text[target.start:target.end]
    name = in_vivo_name(words)
    if not name:
        raise ServiceError(f"[{start}, {end}) holds no words to name an in-vivo code after")
    return name


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
    with project.transaction() as store:
        doc = find_document(store, document)
        span = check_span(doc, start, end)
        node = store.codebook.by_name(code)
        created = None
        if node is None:
            if create is None:
                raise ServiceError(f"no code called {code!r}")
            node = created = add_code(store, code, parent=category, kind="code", origin=create)
        rules.check_applicable(node, code)
        coder_id = store.codings.coder_id(coder)
        assert coder_id is not None
        if store.codings.exists(doc.id, node.id, coder_id, span.start, span.end):
            # An in-vivo code's name is the informant's words: an error message does not repeat it.
            which = "this in-vivo code" if node.origin == "in-vivo" else repr(node.name)
            raise ServiceError(f"{coder} has already coded this span with {which}")
        payload = _add(store, doc, node.id, coder_id, span, memo=memo)
        if created is not None:
            payload["created_code"] = code_snapshot(created)
        store.audit.log("apply", coder, payload)
        coding = store.codings.get(payload["uuid"])
        assert coding is not None
        return coding


def _add(store: Store, doc: DocumentInfo, code_id: int, coder_id: int, span: Span, *, memo: str | None = None,
         uuid: str | None = None) -> dict[str, Any]:
    """Store one coding of ``doc`` (its quote copied from the stored text); returns the audit snapshot."""
    quote = store.documents.text(doc.id)[span.start:span.end]
    return store.codings.add(document_id=doc.id, code_id=code_id, coder_id=coder_id, start=span.start, end=span.end,
                             text_sha256=doc.sha256, quote=quote, memo=memo, uuid=uuid)


def add_coding(store: Store, doc: DocumentInfo, code_id: int, coder: str, span: Span) -> dict[str, Any]:
    """Store one coding inside an open transaction (consensus codings of adjudication use this)."""
    coder_id = store.codings.coder_id(coder)
    assert coder_id is not None
    return _add(store, doc, code_id, coder_id, span)


def _existing(store: Store, coding_uuid: str, coder: str | None = None, *, take_over: bool | None = None) -> CodingInfo:
    """The coding, when ``coder`` (if given) may change it: a coder changes their own codings only,
    unless ``take_over`` says the coder has confirmed changing another's (None: not offered).

    Agreement is computed on each coder's codings, so one coder recoding, removing or annotating
    another's would silently change the other's data (the log would even name the wrong person).
    """
    found = store.codings.get(coding_uuid)
    if found is None:
        raise ServiceError(f"no coding {coding_uuid!r}")
    if coder is not None and found.coder != coder and not take_over:
        how = ", or take it over with --take-over (it becomes yours)" if take_over is not None else ""
        raise ServiceError(f"that coding is {found.coder}'s: a coder changes only their own codings "
                           f"(code the span yourself, settle differences in adjudication{how})")
    return found


def remove_coding(project: Project, coding_uuid: str, coder: str | None = None, *, with_memo: bool = False,
                  take_over: bool = False) -> CodingInfo:
    """Delete a coding (its snapshot stays in the audit log, so undo can restore it).

    A memo on a coding says why these words carry this code; it has no meaning without the
    coding, so it goes with it — but never silently: a coding that carries a memo is removed
    only with ``with_memo`` (the workbench asks first, showing the memo; the CLI wants
    ``--with-memo``). Undo brings back the coding and its memo together.

    Another coder's coding is removed only with ``take_over`` (the user confirmed it); the log
    then names both: who removed it and whose it was.

    Raises:
        ServiceError: no such coding, another coder's coding, or a memo without ``with_memo``.
    """
    with project.transaction() as store:
        info = _existing(store, coding_uuid, coder, take_over=take_over)
        if info.memo and info.memo.strip() and not with_memo:
            # The memo's words stay out of the message: a memo may name people (see `codebench memos`).
            words = len(info.memo.split())
            raise ServiceError(f"coding {info.uuid[:8]} carries a memo ({words} word{'s' if words != 1 else ''}) that "
                               "would go with it; read it with `codebench memos`, then remove both with --with-memo "
                               "(undo brings both back)")
        snapshot = store.codings.snapshot(info.uuid) or {}
        if coder is not None and info.coder != coder:
            snapshot["taken_from"] = info.coder
        store.audit.log("remove", coder, snapshot)
        store.codings.delete(info.uuid)
        return info


def recode(project: Project, coding_uuid: str, code: str, coder: str | None = None, *,
           create: str | None = None, take_over: bool = False) -> CodingInfo:
    """Give an existing coding another code (same span, same coder).

    Args:
        create: an origin ("open", "in-vivo") to create ``code`` when it does not exist yet.
        take_over: the coder confirmed recoding another coder's coding: it becomes the coder's
            own (agreement then counts it as theirs), and the log names whose it was.
    """
    with project.transaction() as store:
        info = _existing(store, coding_uuid, coder, take_over=take_over)
        node = store.codebook.by_name(code)
        if node is None and create is not None:
            node = add_code(store, code, parent=None, kind="code", origin=create)
        if node is None or node.kind != "code":
            raise ServiceError(f"no code called {code!r}")
        payload: dict[str, Any] = {"uuid": info.uuid, "from": info.code_id, "to": node.id}
        changes: dict[str, Any] = {"code_id": node.id}
        if coder is not None and info.coder != coder:
            payload.update(taken_from=info.coder, coder_from=store.codings.coder_id(info.coder),
                           coder_to=store.codings.coder_id(coder))
            changes["coder_id"] = payload["coder_to"]
        store.audit.log("recode", coder, payload)
        updated = store.codings.update(info.uuid, **changes)
        assert updated is not None
        return updated


def set_coding_memo(project: Project, coding_uuid: str, memo: str | None, coder: str | None = None) -> CodingInfo:
    """Write (or clear, with None) the memo of a coding."""
    with project.transaction() as store:
        info = _existing(store, coding_uuid, coder)
        store.audit.log("coding_memo", coder, {"uuid": info.uuid, "from": info.memo, "to": memo})
        updated = store.codings.update(info.uuid, memo=memo)
        assert updated is not None
        return updated


def recent_codes(project: Project, coder: str, limit: int = 8) -> list[str]:
    """Names of the codes ``coder`` applied most recently, newest first: the picker's first rows."""
    with project.transaction(write=False) as store:
        ids = store.codings.recent_code_ids(coder, limit)
        names = {row.id: row.name for row in store.codebook.rows()}
    return [names[i] for i in ids if i in names]


def codings(project: Project, document: str | int | None = None) -> list[CodingInfo]:
    """Codings of the project or of one document, by position."""
    with project.transaction(write=False) as store:
        doc_id = find_document(store, document).id if document is not None else None
        return store.codings.ordered(doc_id)


def import_codings(project: Project, path: str | Path) -> int:
    """Apply a file of codings (YAML; format in corpora/sample/gold/codings/README.md).

    The file names a coder, optional ``codes_created`` (open or in-vivo codes with a category)
    and ``codings`` with document, start, end, code and the coded ``text``, which must equal the
    document's text at that span, so that a file made against another version of a transcript
    is refused instead of coding the wrong words. All or nothing: the whole file is checked
    before anything is written, and a problem is one line naming the file, the coding (or the
    created code) and its line, e.g. ``codings.yaml: coding 12 (line 40): no code called 'x'``.

    Returns:
        the number of codings added (codings already present are skipped).

    Raises:
        ServiceError: the file is unreadable, not of this shape, names no coder, holds no
            codings, or one of its entries does not fit the project.
    """
    path = Path(path)
    data = load_yaml(read_text_file(path), path, error=ServiceError, located=True)
    coder_name, created, items = _codings_file(path, data)
    with project.transaction() as store:
        for n, (spec, where) in enumerate(created, 1):
            if store.codebook.by_name(spec["name"]) is None:
                try:
                    add_code(store, spec["name"], parent=spec["category"], kind="code", origin=spec["origin"])
                except ServiceError as exc:
                    raise ServiceError(f"{where}: {exc}") from None
        coder_id = store.codings.coder_id(coder_name)
        assert coder_id is not None
        documents: dict[str | int, tuple[DocumentInfo, str]] = {}
        present = store.codings.span_keys(coder_id=coder_id)
        rows = []
        for item, where in items:
            doc_ref = item["document"]
            if doc_ref not in documents:
                found = store.documents.find(doc_ref)
                if found is None:
                    raise ServiceError(f"{where}: no document {doc_ref!r} in the project")
                documents[doc_ref] = (found, store.documents.text(found.id))
            doc, text = documents[doc_ref]
            try:
                span = check_span(doc, item["start"], item["end"])
            except ServiceError as exc:
                raise ServiceError(f"{where}: {exc}") from None
            if item["text"] is not None and text[span.start:span.end] != item["text"]:
                raise ServiceError(f"{where}: the text at [{span.start}, {span.end}) of document {doc.id} "
                                   "is not the text in the file")
            node = store.codebook.by_name(item["code"])
            if node is None:
                raise ServiceError(f"{where}: no code called {item['code']!r}")
            if node.kind != "code":
                raise ServiceError(f"{where}: {node.name!r} is a category; codings go to codes")
            key = (doc.id, node.id, span.start, span.end)
            if key in present:
                continue
            present.add(key)
            rows.append({"uuid": store.codings.new_id(), "document_id": doc.id, "code_id": node.id, "coder_id": coder_id,
                         "start": span.start, "end": span.end, "text_sha256": doc.sha256,
                         "quote": text[span.start:span.end], "memo": item["memo"]})
        if rows:
            store.codings.add_many(rows)
            store.audit.log("import_codings", coder_name, {"file": path.name, "codings": [r["uuid"] for r in rows]})
        added = len(rows)
    project.checkpoint()
    return added


_CODINGS_SHAPE = "expected 'coder:' and a list of 'codings:' (see corpora/sample/gold/codings/README.md)"


def _codings_file(
    path: Path, data: Any,
) -> tuple[str, list[tuple[dict[str, Any], str]], list[tuple[dict[str, Any], str]]]:
    """Check a codings file's shape before anything is written.

    Returns:
        ``(coder, codes to create, codings)``; each entry comes with where it is in the file
        (``codings.yaml: coding 12 (line 40)``) for the messages of later checks.
    """
    if not isinstance(data, dict):
        raise ServiceError(f"{_at(path, line_of(data))}: {_CODINGS_SHAPE}")
    if "coder" not in data or data["coder"] is None:
        raise ServiceError(f"{_at(path, line_of(data))}: no 'coder:' saying whose codings these are")
    coder = data["coder"]
    if not isinstance(coder, str):
        raise ServiceError(f"{_at(path, line_of(data, 'coder'))}: 'coder' must be a name, not {_kind(coder)}")
    if not coder.strip():
        raise ServiceError(f"{_at(path, line_of(data, 'coder'))}: 'coder' is empty; say whose codings these are")
    codings = data.get("codings")
    if not isinstance(codings, list):
        raise ServiceError(f"{_at(path, line_of(data, 'codings') or line_of(data))}: {_CODINGS_SHAPE}")
    if not codings:
        raise ServiceError(f"{_at(path, line_of(data, 'codings'))}: the file holds no codings; nothing to import")
    created_specs = data.get("codes_created") or []
    if not isinstance(created_specs, list):
        raise ServiceError(f"{_at(path, line_of(data, 'codes_created'))}: 'codes_created' must be a list of "
                           "{name: ..., category: ..., origin: open} entries")
    created = []
    for n, spec in enumerate(created_specs, 1):
        where = f"{path}: codes_created item {n}{_line_note(line_of(created_specs, n - 1))}"
        if not isinstance(spec, dict):
            raise ServiceError(f"{where}: expected {{name: ..., category: ..., origin: open}}, not {_kind(spec)}")
        name = _text_field(spec, "name", where, required=True)
        category = _text_field(spec, "category", where)
        origin = _text_field(spec, "origin", where) or "open"
        if origin not in ORIGINS:
            raise ServiceError(f"{where}: origin {origin!r} must be one of {', '.join(ORIGINS)}")
        created.append(({"name": name, "category": category, "origin": origin}, where))
    items = []
    for n, item in enumerate(codings, 1):
        where = f"{path}: coding {n}{_line_note(line_of(codings, n - 1))}"
        if not isinstance(item, dict):
            raise ServiceError(f"{where}: expected document, start, end and code, not {_kind(item)}")
        missing = [k for k in ("document", "start", "end", "code") if item.get(k) is None]
        if missing:
            raise ServiceError(f"{where}: needs document, start, end and code ({', '.join(missing)} missing)")
        document = item["document"]
        if isinstance(document, bool) or not isinstance(document, (str, int)):
            raise ServiceError(f"{where}: 'document' must be a document name or id, not {_kind(document)}")
        positions = {}
        for key in ("start", "end"):
            value = item[key]
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ServiceError(f"{where}: '{key}' must be a whole number (a character position), not {value!r}")
            positions[key] = value
        items.append(({"document": document, **positions, "code": _text_field(item, "code", where, required=True),
                       "text": _text_field(item, "text", where, strip=False),
                       "memo": _text_field(item, "memo", where, strip=False)}, where))
    return coder.strip(), created, items


def _text_field(entry: dict[str, Any], key: str, where: str, *, required: bool = False, strip: bool = True) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise ServiceError(f"{where}: needs a {key!r}")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # a code called 2024 is written without quotes
    if not isinstance(value, str):
        raise ServiceError(f"{where}: {key!r} must be text, not {_kind(value)}")
    if required and not value.strip():
        raise ServiceError(f"{where}: {key!r} is empty")
    return value.strip() if strip else value


def _kind(value: Any) -> str:
    """How a message names a wrongly typed YAML value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _at(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line is not None else str(path)


def _line_note(line: int | None) -> str:
    return f" (line {line})" if line is not None else ""


@dataclass(frozen=True)
class CodedSpanView:
    """A coding as a reading view shows it: code name, effective colour, coder, main category."""

    uuid: str
    start: int
    end: int
    code: str
    colour: str | None
    coder: str
    memo: str | None
    flag: str | None = None
    """Set when the words under the coding changed (an edit, a corrected file): the coder checks it."""
    main_category: str | None = None
    """The top-level category the code sits under (None for a code outside every category)."""
    category_rank: int | None = None
    """The main category's place among the top-level categories (0 first), so a view can give
    each main category its own colour, the same in every document."""


def document_version(project: Project, document_id: int) -> tuple[Any, ...]:
    """A value that changes whenever what a transcript view of this document draws changes: its
    text, its codings (by any coder, from any process) or the code tree.

    An open workbench compares it every few seconds with the value it read with the codings, so
    another coder's work on a shared project shows without re-reading the codings each time.
    """
    with project.reading() as store:
        return store.codings.document_version(document_id)


def document_codings(project: Project, document: str | int, coders: Sequence[str] | None = None, *,
                     anonymised: bool = False) -> list[CodedSpanView]:
    """The codings of one document with names, colours and main categories, for the transcript view.

    With ``anonymised`` the code names go through the same replacement as researcher-written
    text in exports: an in-vivo code made from the original words may hold a name.
    """
    with project.transaction(write=False) as store:
        doc = find_document(store, document)
        tree = ordered(store.codebook.rows())
        codings = [c for c in store.codings.ordered(doc.id) if coders is None or c.coder in coders]
    names = {c.id: c.name for c in tree}
    colours = effective_colours(tree)
    mains = main_categories(tree)
    ranks = {node.name: rank for rank, node in enumerate(n for n in tree if n.parent_id is None and n.kind == "category")}
    if anonymised:
        # Imported here: the anonymisation pipeline is not needed (nor loaded) to code originals.
        from codebench.services.anonymisation.renditions import anonymise_free_texts

        used = sorted({names[c.code_id] for c in codings})
        names_shown = dict(zip(used, anonymise_free_texts(project, used, detect=False)))
        names = {key: names_shown.get(name, name) for key, name in names.items()}
    views = []
    for c in codings:
        main = mains[c.code_id][1]
        views.append(CodedSpanView(c.uuid, c.start, c.end, names[c.code_id], colours[c.code_id], c.coder, c.memo,
                                   c.flag, main, ranks.get(main) if main is not None else None))
    return views
