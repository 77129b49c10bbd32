"""REFI-QDA interchange: a project to and from QDPX projects and QDC codebooks.

The XML and the archive are :mod:`codebench.export.refi`'s business, the queries
:mod:`codebench.storage.interchange`'s; this module maps the file's plain records to the project's
records and back.

Export is anonymised unless asked otherwise: each document's text comes from its anonymised
rendition, every coding span goes through the rendition's offset map, and researcher-written text
(definitions, memos, attribute values) through the free-text anonymiser.

Import is all or nothing: the file is read and checked completely before one transaction writes
documents, codes (matched by GUID, then by name), coders, codings (GUIDs kept as coding ids, so a
second import of the same file adds nothing), participants and memos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from codebench import __version__
from codebench.domain.records import CodeInfo, DocumentInfo, ParticipantInfo, TurnInfo, normalise_role, text_sha256
from codebench.domain.spans import Span
from codebench.export import refi
from codebench.export.atomic import FileWriteError
# The importers (codebench.ingest, with their patterns) load when a file is read: an export needs none.
from codebench.services import anonymisation
from codebench.errors import ServiceError
from codebench.services.project import Project

if TYPE_CHECKING:  # an export reads through the read path, without SQLAlchemy; an import loads these
    from codebench.storage.interchange import StoredText
    from codebench.storage.store import Store

ORIGIN = f"codebench {__version__}"
UNKNOWN_CODER = "unknown"
"""Coder of codings whose file names nobody (map it with ``coder_map={"unknown": ...}``)."""

# Variable names that carry codebench's own fields (matched ignoring case, English or Norwegian).
_ROLE_NAMES = ("role", "rolle")
_SITE_NAMES = ("site", "sted")
_ROUND_NAMES = ("round", "runde")
_SIX_DIGITS = re.compile(r"^#[0-9a-fA-F]{6}$")
_SEPARATOR = "\n\u241e\n"  # a line holding only the record-separator symbol


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    documents: int = 0
    codes: int = 0
    codings: int = 0
    users: int = 0
    cases: int = 0
    notes: int = 0
    anonymised: bool = True
    """True only when the file is anonymised: the project's review is finished and not ``original``."""
    anonymisation: str = ""
    """The anonymisation state as one line for the terminal."""


@dataclass
class InterchangeReport:
    """What an import did, and what it could not carry over."""

    file: str
    documents_added: list[str] = field(default_factory=list)
    documents_existing: list[str] = field(default_factory=list)
    codes_added: int = 0
    codes_matched: int = 0
    codings_added: int = 0
    codings_present: int = 0
    coders_added: list[str] = field(default_factory=list)
    participants_added: list[str] = field(default_factory=list)
    memos_added: int = 0
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


class _Anonymiser:
    """Free text as the export shows it: anonymised unless the original was asked for."""

    def __init__(self, project: Project, anonymised: bool) -> None:
        self.project = project
        self.anonymised = anonymised
        self._done: dict[str, str] = {}  # sites and attribute values repeat; each costs a key lookup

    def __call__(self, text: str | None) -> str | None:
        if not text or not self.anonymised:
            return text
        found = self._done.get(text)
        if found is None:
            found = self._done[text] = anonymisation.anonymise_free_text(self.project, text)
        return found

    def names(self, values: Sequence[str]) -> dict[str, str]:
        """Code names as every view shows them (the known forms only, no detection), in one call."""
        if not self.anonymised or not values:
            return {v: v for v in values}
        return dict(zip(values, anonymisation.anonymise_free_texts(self.project, list(values), detect=False)))

    def prepare(self, texts: Iterable[str | None]) -> None:
        """Anonymise many texts in one call: each call loads the pseudonym key and the mentions.

        Identifiers are replaced word by word, so texts joined by a separator line that none of
        them contains come back as the same texts, each anonymised.
        """
        todo = sorted({t for t in texts if t and t not in self._done})
        if not self.anonymised or not todo or any(_SEPARATOR in t for t in todo):
            return
        done = anonymisation.anonymise_free_text(self.project, _SEPARATOR.join(todo)).split(_SEPARATOR)
        if len(done) == len(todo):
            self._done.update(zip(todo, done))


def _ordered_children(rows: list[CodeInfo]) -> dict[int | None, list[CodeInfo]]:
    children: dict[int | None, list[CodeInfo]] = {}
    for row in sorted(rows, key=lambda r: (r.position, r.id)):
        children.setdefault(row.parent_id, []).append(row)
    return children


def _qda_codes(rows: list[CodeInfo], coded: set[int], notes: dict[int, list[str]], text: _Anonymiser) -> list[refi.QdaCode]:
    """The code tree as REFI codes: categories are codes with children, not codable unless coded."""
    children = _ordered_children(rows)
    names = text.names(sorted({row.name for row in rows}))

    def build(row: CodeInfo) -> refi.QdaCode:
        description = refi.compose_description(
            text(row.description), inclusion=text(row.inclusion), exclusion=text(row.exclusion),
            examples=[text(e) or "" for e in row.examples or ()], memo=text(row.memo), origin=row.origin,
            core=row.core, shortcut=row.shortcut,
        )
        return refi.QdaCode(
            # An in-vivo code is named with the informant's words, which may hold a name.
            guid=row.uuid, name=names.get(row.name) or row.name, codable=row.kind == "code" or row.id in coded, colour=row.colour,
            description=description, note_guids=notes.get(row.id, []), children=[build(c) for c in children.get(row.id, [])],
        )

    return [build(row) for row in children.get(None, [])]


def _variable_kind(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "Float" if all(v == v and abs(v) != float("inf") for v in values) else "Text"
    return "Text"


def _cases(participants: list[ParticipantInfo], documents: list[DocumentInfo], recorded: dict[str, str],
           text: _Anonymiser) -> tuple[list[refi.QdaVariable], list[refi.QdaCase]]:
    """Participants as cases with variables: role, site and every attribute."""
    values: dict[str, list[Any]] = {}
    for person in participants:
        values.setdefault("role", []).append(person.role)
        if person.site:
            values.setdefault("site", []).append(person.site)
        for key, value in person.attributes.items():
            if value is not None and key.casefold() not in ("role", "site"):
                values.setdefault(key, []).append(value)
    variables = {name: refi.QdaVariable(refi.derived_guid("variable", name), name, _variable_kind(found))
                 for name, found in values.items()}
    sources: dict[int, list[str]] = {}
    for doc in documents:
        if doc.participant is not None:
            sources.setdefault(doc.participant.id, []).append(doc.uuid)
    cases = []
    for person in participants:
        fields: dict[str, Any] = {"role": person.role, "site": person.site, **{
            k: v for k, v in person.attributes.items() if k.casefold() not in ("role", "site")}}
        case_values = {}
        for name, value in fields.items():
            if value is None:
                continue
            variable = variables[name]
            # Roles are codebench's fixed vocabulary, not free text; everything else may name someone.
            free = variable.kind == "Text" and isinstance(value, str) and name != "role"
            case_values[variable.guid] = text(value) if free else value
        cases.append(refi.QdaCase(recorded.get(person.pid) or refi.derived_guid("case", person.pid), person.pid,
                                  case_values, sources.get(person.id, [])))
    return list(variables.values()), cases


def _collect(project: Project, anonymised: bool) -> refi.QdaProject:
    """The whole project as REFI records (renditions read after the one read transaction)."""
    text = _Anonymiser(project, anonymised)
    with project.reading() as store:
        rows = store.codebook.rows()
        coder_names = store.codings.coder_names()
        all_codings = store.interchange.coding_spans()
        documents = store.documents.infos()
        texts = store.documents.texts()
        participants = store.documents.participants()
        memo_rows = store.interchange.memos()
        recorded_users, recorded_cases = store.interchange.recorded_guids()
        created = store.interchange.project_created()
    text.prepare([*(value for row in rows for value in (row.name, row.description, row.inclusion, row.exclusion,
                                                      row.memo, *(row.examples or ()))),
                  *(value for memo in memo_rows for value in (memo.text, memo.title)),
                  *(coding.memo for coding in all_codings if coding.memo), project.name,
                  *(value for person in participants for value in (person.site, *person.attributes.values())
                    if isinstance(value, str))])
    names = sorted({*coder_names.values(), *(m.author for m in memo_rows if m.author)})
    users = [refi.QdaUser(recorded_users.get(name) or refi.derived_guid("user", name), name) for name in names]
    user_guid = {u.name: u.guid for u in users}
    code_ids = {row.id for row in rows}
    doc_ids = {doc.id for doc in documents}
    notes = []
    code_notes: dict[int, list[str]] = {}
    document_notes: dict[int, list[str]] = {}
    project_notes: list[str] = []
    for memo in memo_rows:
        notes.append(refi.QdaNote(memo.uuid, text(memo.text) or "", text(memo.title), user_guid.get(memo.author or ""),
                                  memo.created_at))
        if memo.target_type == "code" and memo.target_id in code_ids:
            code_notes.setdefault(memo.target_id, []).append(memo.uuid)
        elif memo.target_type == "document" and memo.target_id in doc_ids:
            document_notes.setdefault(memo.target_id, []).append(memo.uuid)
        else:
            project_notes.append(memo.uuid)
    by_document: dict[int, list[Any]] = {}
    for coding in all_codings:
        by_document.setdefault(coding.document_id, []).append(coding)
    code_guid = {row.id: row.uuid for row in rows}
    codes = _qda_codes(rows, {c.code_id for c in all_codings}, code_notes, text)
    variables, cases = _cases(participants, documents, recorded_cases, text)
    round_variable = refi.QdaVariable(refi.derived_guid("variable", "round"), "round", "Integer")
    sources = []
    coder_guid = {coder_id: user_guid[name] for coder_id, name in coder_names.items()}
    # One load of the anonymisation decisions for all documents (per document it was 38 s
    # for 200 transcripts with 16,000 accepted mentions).
    shown_all = (iter(anonymisation.renditions(project, documents, texts)) if anonymised else None)
    for doc in documents:
        # The stored text as it is (one query for all documents instead of one each), or its rendition.
        name, shown_text, offsets = doc.name, texts[doc.id], None
        if shown_all is not None:
            shown = next(shown_all)
            name, shown_text, offsets = shown.name, shown.text, (shown.offsets if shown.offsets.edits else None)
        qda_codings = []
        for uuid, _, code_id, coder_id, start, end, created, memo in by_document.get(doc.id, []):
            if offsets is not None:
                span = offsets.span_to_target(Span(start, end))
                start, end = span.start, span.end
            qda_codings.append(refi.QdaCoding(uuid, code_guid[code_id], start, end, coder_guid[coder_id], created, text(memo)))
        sources.append(refi.QdaSource(
            doc.uuid, name, shown_text, qda_codings, document_notes.get(doc.id, []),
            {round_variable.guid: doc.round} if doc.round is not None else {}, created=doc.imported_at,
        ))
    if any(doc.round is not None for doc in documents):
        variables.append(round_variable)
    return refi.QdaProject(name=text(project.name) or project.name, origin=ORIGIN, users=users, codes=codes, variables=variables, cases=cases,
                           sources=sources, notes=notes, note_guids=project_notes, created=created)


def _state_lines(original: bool, state: anonymisation.AnonymisationState | None) -> tuple[str, str]:
    """``(Norwegian line for the file, English line for the terminal)`` of an export's anonymisation."""
    if original or state is None:
        return "Avidentifisert: nei – originaltekst med identifiserende opplysninger. Ikke del.", "ORIGINAL TEXT"
    return state.notice() or f"Avidentifisert: {state.describe_nb()}.", state.describe()


def export_qdpx(project: Project, path: str | Path, *, original: bool = False,
                allow_unreviewed: bool = False) -> ExportSummary:
    """Write the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

    Args:
        path: the file to write (replaced atomically: never a half-written file).
        original: export the original transcripts instead of their anonymised renditions.
            Codings, memos and definitions are then exported as written, too, and the file is
            created readable by its owner only.
        allow_unreviewed: write although the anonymisation is not finished; the project's
            Description in the file then says so.

    Raises:
        ServiceError: anonymisation not reviewed (without ``allow_unreviewed``); unwritable path.
    """
    state = None if original else anonymisation.require_exportable(project, allow_unreviewed=allow_unreviewed)
    data = _collect(project, anonymised=not original)
    data.description, status = _state_lines(original, state)
    try:
        refi.write_qdpx(data, path, private=original)  # original text: owner only, like the key
    except FileWriteError as exc:
        raise ServiceError(f"{path}: cannot write the file ({exc.reason})") from None
    return ExportSummary(Path(path), len(data.sources), sum(1 for _ in data.all_codes()),
                         sum(len(s.codings) for s in data.sources), len(data.users), len(data.cases), len(data.notes),
                         anonymised=state is not None and state.anonymised, anonymisation=status)


def export_qdc(project: Project, path: str | Path, *, allow_unreviewed: bool = False) -> ExportSummary:
    """Write the project's code tree as a REFI-QDA codebook (.qdc).

    Definitions, examples and memos go through the free-text anonymiser (examples are quotes).

    Raises:
        ServiceError: no codes; anonymisation not reviewed (without ``allow_unreviewed``).
    """
    with project.transaction(write=False) as store:
        rows = store.codebook.rows()
    if not rows:
        raise ServiceError("the project has no codes to export; load a codebook first")
    state = anonymisation.require_exportable(project, allow_unreviewed=allow_unreviewed)
    text = _Anonymiser(project, True)
    text.prepare(value for row in rows
                 for value in (row.name, row.description, row.inclusion, row.exclusion, row.memo, *(row.examples or ())))
    codes = _qda_codes(rows, set(), {}, text)
    try:
        refi.write_qdc(codes, path, ORIGIN, state.notice())
    except FileWriteError as exc:
        raise ServiceError(f"{path}: cannot write the file ({exc.reason})") from None
    return ExportSummary(Path(path), codes=len(rows), anonymised=state.anonymised, anonymisation=state.describe())


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def _clean_name(name: str, limit: int) -> str:
    return " ".join(name.split())[:limit].strip()


_PENDING: Any = object()  # in _CodeMerger.by_name: a name taken by a new leaf not yet inserted


class _CodeMerger:
    """Brings a REFI codebook into the project's code tree."""

    def __init__(self, store: Store, report: InterchangeReport, *, ours: bool) -> None:
        self.codebook = store.codebook
        self.report = report
        self.ours = ours  # a codebench file: the Description holds the labelled fields
        rows = self.codebook.rows()
        self.by_uuid: dict[str, CodeInfo] = {}
        self.by_name: dict[str, CodeInfo] = {}
        for row in rows:
            self._remember(row)
        self.shortcuts = {row.shortcut for row in rows if row.shortcut}
        self.has_core = any(row.core for row in rows)
        self.positions: dict[int | None, int] = {}
        self.mapping: dict[str, CodeInfo] = {}
        self.claimed: set[int] = set()  # codes a node of this file already stands for
        self.pending: list[tuple[str, dict[str, Any]]] = []  # new leaves (GUID, fields), added at the end

    def merge(self, roots: list[refi.QdaCode]) -> dict[str, CodeInfo]:
        """Match or add every node under ``roots``; returns the project's code for each node's GUID."""
        for root in roots:
            self._visit(root, None)
        self._add_pending()
        return self.mapping

    def _add_pending(self) -> None:
        """Insert the new leaves waiting in :attr:`pending` with one statement.

        A flush per code made 200,000 codes take minutes; waiting for all of them held a
        gigabyte, so they go in slices as the walk goes on.
        """
        added = self.codebook.add_many([values for _, values in self.pending])
        for (guid, _), row in zip(self.pending, added):
            self._remember(row)
            self.mapping[guid] = row
        self.pending.clear()

    def _remember(self, row: CodeInfo) -> None:
        # Records are frozen: after a change, the maps must hold the new record.
        self.by_uuid[row.uuid.lower()] = row
        self.by_name[row.name.casefold()] = row

    def _position(self, parent_id: int | None) -> int:
        if parent_id not in self.positions:
            self.positions[parent_id] = self.codebook.next_position(parent_id)
        position = self.positions[parent_id]
        self.positions[parent_id] += 1
        return position

    def _free_name(self, wanted: str, parent: CodeInfo | None) -> str:
        name = wanted or "(unnamed code)"
        if name.casefold() not in self.by_name:
            return name
        candidates = [f"{name} ({parent.name})"] if parent is not None else []
        candidates += [f"{name} ({n})" for n in range(2, 10_000)]
        chosen = next(c for c in candidates if c.casefold() not in self.by_name)
        self.report.warnings.append(f"code {name!r} is named {chosen!r}: the project already has a {name!r}")
        return chosen

    def _fields(self, node: refi.QdaCode) -> dict[str, Any]:
        if not self.ours:
            return {"description": node.description or None}
        fields = refi.parse_description(node.description)
        if fields["shortcut"] in self.shortcuts:
            self.report.warnings.append(f"code {node.name!r}: shortcut {fields['shortcut']!r} is taken; not given")
            fields["shortcut"] = None
        if fields["core"] and self.has_core:
            self.report.warnings.append(f"{node.name!r} is not marked as the core category: the project has one")
            fields["core"] = False
        return fields

    def _visit(self, node: refi.QdaCode, parent: CodeInfo | None) -> None:
        name = _clean_name(node.name, 200)
        row = self.by_uuid.get(node.guid)
        if row is None:
            row = self.by_name.get(name.casefold() or "(unnamed code)")
            if row is not None and (row is _PENDING or row.id in self.claimed):
                row = None  # two codes of the file share a name ("Other" in two groups): both are kept
        holds_codes = bool(node.children)
        if row is None:
            fields = self._fields(node)
            colour = node.colour
            if colour and len(colour) == 4:  # #rgb: codebench keeps six digits
                colour = "#" + "".join(ch * 2 for ch in colour[1:])
            name = self._free_name(name, parent)
            values = dict(
                uuid=node.guid, parent_id=parent.id if parent else None,
                kind="category" if holds_codes or not node.codable else "code", name=name,
                position=self._position(parent.id if parent else None), colour=colour if colour and _SIX_DIGITS.match(colour) else None,
                **{"examples": [], **fields},
            )
            if values.get("shortcut"):
                self.shortcuts.add(values["shortcut"])
            self.has_core = self.has_core or bool(values.get("core"))
            self.report.codes_added += 1
            if not holds_codes:  # a leaf: nothing below needs its id now
                self.pending.append((node.guid, values))
                self.by_name[name.casefold()] = _PENDING
                if len(self.pending) >= 2_000:
                    self._add_pending()
                return
            row = self.codebook.add(**values)
            self._remember(row)
        else:
            self.report.codes_matched += 1
            changes: dict[str, Any] = {}
            if holds_codes and row.kind == "code":
                # Codes cannot hold codes in codebench; its codings stay with it, as with promote.
                changes["kind"] = "category"
                self.report.warnings.append(f"code {row.name!r} holds codes in the file: it is now a category")
            if not row.description and node.description:
                changes["description"] = self._fields(node)["description"]
            if not row.colour and node.colour and _SIX_DIGITS.match(node.colour):
                changes["colour"] = node.colour
            if changes:
                row = self.codebook.update(row.id, **changes)
                self._remember(row)
        self.mapping[node.guid] = row
        self.claimed.add(row.id)
        for child in node.children:
            self._visit(child, row)


def _coder_names(data: refi.QdaProject, coder_map: Mapping[str, str], report: InterchangeReport) -> dict[str | None, str]:
    """Coder name for each user GUID (None: codings that name no user)."""
    names: dict[str | None, str] = {None: coder_map.get(UNKNOWN_CODER, UNKNOWN_CODER)}
    used_keys: set[str] = set()
    for user in data.users:
        for key in (user.name, user.guid):
            if key in coder_map:
                used_keys.add(key)
                names[user.guid] = coder_map[key]
                break
        else:
            names[user.guid] = user.name or f"user-{user.guid[:8]}"
    for source in data.sources:
        for coding in source.codings:
            if coding.user_guid and coding.user_guid not in names:
                names[coding.user_guid] = coder_map.get(coding.user_guid, f"user-{coding.user_guid[:8]}")
    unused = sorted(set(coder_map) - used_keys - {UNKNOWN_CODER})
    if unused:
        report.warnings.append(f"coder map: no user called {', '.join(unused)} in the file")
    return {key: _clean_name(name, 100) or UNKNOWN_CODER for key, name in names.items()}


def _participants(store: Store, data: refi.QdaProject, report: InterchangeReport) -> tuple[dict[str, int], dict[str, str]]:
    """Cases as participants: ``(participant id by source GUID, case GUID by pid)``."""
    variables = {v.guid: v for v in data.variables}
    by_source: dict[str, int] = {}
    guids: dict[str, str] = {}
    taken: set[str] = set()
    described = 0
    for case in data.cases:
        role = site = None
        attributes: dict[str, Any] = {}
        for guid, value in case.values.items():
            name = variables[guid].name
            key = name.casefold()
            if key in _ROLE_NAMES and role is None:
                role = str(value)
            elif key in _SITE_NAMES and site is None:
                site = str(value)
            else:
                attributes[name] = value
        canonical = None
        if role is not None:
            try:
                canonical = normalise_role(role)
            except ValueError:
                attributes["role"] = role  # not one of codebench's roles: kept as an attribute
        pid = base = _clean_name(case.name, 100) or f"case-{case.guid[:8]}"
        n = 2
        while pid.casefold() in taken:
            pid, n = f"{base} ({n})", n + 1
        taken.add(pid.casefold())
        described += bool(case.description)
        person = store.documents.participant(pid)
        if person is None:
            person = store.documents.add_participant(pid, canonical or "other", site, attributes)
            report.participants_added.append(pid)
        else:
            changes: dict[str, Any] = {}
            if canonical and person.role != canonical:
                if person.role == "other":
                    changes["role"] = canonical
                else:
                    report.warnings.append(f"participant {pid} stays a {person.role} (the file says {canonical})")
            if site and not person.site:
                changes["site"] = site
            missing = {k: v for k, v in attributes.items() if k not in person.attributes}
            if missing:
                changes["attributes"] = {**person.attributes, **missing}
            if changes:
                person = store.documents.update_participant(pid, **changes)
        guids[pid] = case.guid
        for source in case.source_guids:
            if source in by_source and by_source[source] != person.id:
                report.warnings.append(f"a source is in several cases; it belongs to the first ({pid} not used)")
                continue
            by_source[source] = person.id
    if described:
        report.warnings.append(f"{described} case description(s) not imported: participants have no description")
    return by_source, guids


def _round(source: refi.QdaSource, variables: dict[str, refi.QdaVariable]) -> int | None:
    for guid, value in source.values.items():
        if variables[guid].name.casefold() in _ROUND_NAMES:
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None


def _free_document_name(wanted: str, taken: set[str]) -> str:
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted} ({n})", n + 1
    taken.add(name)
    return name


def _documents(store: Store, data: refi.QdaProject, participants: dict[str, int], report: InterchangeReport,
               file: Path) -> tuple[dict[str, StoredText], set[int]]:
    """Each source as a document: ``(document by source GUID, ids of documents already there)``.

    Stored the way the importers store a transcript (text, hash, turns, notes), but in bulk:
    one flush for the documents and one insert for all their turns.
    """
    variables = {v.guid: v for v in data.variables}
    digests = {source.guid: text_sha256(source.text) for source in data.sources}
    by_hash = store.interchange.documents_by_hash(digests.values())
    existing = {doc.id for doc in by_hash.values()}
    names = store.documents.names()
    guids_taken = set(store.interchange.document_uuid_owners([s.guid for s in data.sources]))
    by_guid: dict[str, StoredText] = {}
    drafts: list[DocumentDraft] = []
    new: dict[str, int] = {}  # hash -> index in drafts, for documents this file adds
    waiting: dict[str, int] = {}  # source GUID -> index in drafts
    used: set[str] = set()  # hashes this file has already used
    for source in data.sources:
        digest = digests[source.guid]
        if digest in used:
            report.warnings.append(f"source {source.name!r} has the same text as another source; their codings are joined")
            if digest in by_hash:
                by_guid[source.guid] = by_hash[digest]
            else:
                waiting[source.guid] = new[digest]
            continue
        used.add(digest)
        if digest in by_hash:
            by_guid[source.guid] = by_hash[digest]
            report.documents_existing.append(by_hash[digest].name)
            continue
        from codebench.ingest.speakers import segment_turns

        found = segment_turns(source.text)
        labelled = sum(1 for t in found if t.speaker)
        notes = [*source.changes, f"from {data.origin or 'a REFI-QDA project'}",
                 f"{labelled} labelled turn(s)" if labelled else "no speaker labels found: imported as paragraphs"]
        extras = {k: v for g, v in source.values.items() if (k := variables[g].name).casefold() not in _ROUND_NAMES}
        from codebench.storage.interchange import DocumentDraft  # the import writes: SQLAlchemy is loaded

        draft = DocumentDraft(
            name=_free_document_name(_clean_name(source.name, 280) or "dokument", names),
            source_name=f"{file.name}: {source.name}"[:500], source_format="qdpx", text=source.text, sha256=digest,
            word_count=len(source.text.split()), round=_round(source, variables), participant_id=participants.get(source.guid),
            meta={"notes": notes, "refi": {"guid": source.guid, **({"variables": extras} if extras else {})}},
            turns=tuple(TurnInfo(i, t.speaker, t.start, t.end, t.body_start, t.t_start, t.t_end) for i, t in enumerate(found)),
            # The same GUID on the next export, so other tools recognise the source.
            uuid=source.guid if source.guid not in guids_taken else None,
        )
        new[digest] = waiting[source.guid] = len(drafts)
        drafts.append(draft)
        report.documents_added.append(draft.name)
    stored = store.interchange.add_documents(drafts)
    by_guid.update((guid, stored[index]) for guid, index in waiting.items())
    return by_guid, existing


def _codings(store: Store, data: refi.QdaProject, documents: dict[str, StoredText], existing: set[int],
             codes: dict[str, CodeInfo], coder_names: dict[str | None, str], report: InterchangeReport) -> None:
    """Insert the codings not yet in the project, creating their coders."""
    known = set(store.codings.coder_names().values())
    coders: dict[str, int] = {}
    for name in sorted({coder_names[c.user_guid] for s in data.sources for c in s.codings}):
        coder_id = store.codings.coder_id(name)
        assert coder_id is not None
        coders[name] = coder_id
        if name not in known:
            report.coders_added.append(name)
    present = store.interchange.coding_keys(existing) if existing else set()
    taken = store.interchange.coding_uuid_owners([c.guid for s in data.sources for c in s.codings])
    rows = []
    elsewhere = 0
    now = store.interchange.now()
    for source in data.sources:
        doc = documents[source.guid]
        for coding in source.codings:
            code = codes[coding.code_guid]
            coder = coders[coder_names[coding.user_guid]]
            key = (doc.id, code.id, coder, coding.start, coding.end)
            uuid = coding.guid
            if uuid in taken:
                if taken[uuid] == store.project_id:
                    report.codings_present += 1
                    continue
                uuid, elsewhere = store.codings.new_id(), elsewhere + 1
            if key in present:
                report.codings_present += 1
                continue
            present.add(key)
            taken[uuid] = store.project_id
            created = coding.created or now  # the file's time; the import's when it gives none
            rows.append({"uuid": uuid, "document_id": doc.id, "code_id": code.id, "coder_id": coder,
                         "start": coding.start, "end": coding.end, "text_sha256": doc.sha256,
                         "quote": doc.text[coding.start:coding.end], "memo": coding.memo or None,
                         "created_at": created, "updated_at": created})
    if elsewhere:
        report.warnings.append(f"{elsewhere} coding id(s) belong to another project on this server; given new ids")
    store.interchange.add_codings(rows)
    report.codings_added = len(rows)


def _memos(store: Store, data: refi.QdaProject, codes: dict[str, CodeInfo], documents: dict[str, StoredText],
           coder_names: dict[str | None, str], report: InterchangeReport) -> None:
    """Notes as memos on the code, document or project that refers to them."""
    targets: dict[str, tuple[str, int | None]] = {}
    for code, _ in data.all_codes():
        for guid in code.note_guids:
            targets.setdefault(guid, ("code", codes[code.guid].id))
    for source in data.sources:
        for guid in source.note_guids:
            targets.setdefault(guid, ("document", documents[source.guid].id))
    taken = store.interchange.memo_uuid_owners([n.guid for n in data.notes])
    empty = 0
    for note in data.notes:
        if not note.text.strip():
            empty += 1
            continue
        if taken.get(note.guid) == store.project_id:
            continue
        target_type, target_id = targets.get(note.guid, ("project", None))
        store.interchange.add_memo(
            target_type=target_type, target_id=target_id, text=note.text,
            title=_clean_name(note.name, 300) if note.name else None,
            author=coder_names.get(note.user_guid) if note.user_guid else None, created_at=note.created,
            uuid=note.guid if note.guid not in taken else None,
        )
        report.memos_added += 1
    if empty:
        report.warnings.append(f"{empty} empty note(s) skipped")


def _read(reader: Any, path: Path) -> Any:
    from codebench.ingest.base import IngestError

    try:
        return reader(path)
    except IngestError as exc:
        raise ServiceError(str(exc)) from None


def import_qdpx(project: Project, path: str | Path, *, coder_map: Mapping[str, str] | None = None) -> InterchangeReport:
    """Import a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or codebench.

    Documents whose text is already in the project are reused; codes match by GUID, then by name;
    codings keep their GUIDs as ids, so importing the same file again adds nothing.

    Args:
        coder_map: file user (name or GUID) -> codebench coder name, e.g. ``{"Ingrid H": "ingrid"}``.
            Codings that name no user belong to ``"unknown"`` unless mapped.

    Raises:
        ServiceError: naming the file (and XML line) for any problem; the project is then unchanged.
    """
    path = Path(path)
    data: refi.QdaProject = _read(refi.read_qdpx, path)
    report = InterchangeReport(str(path), warnings=list(data.warnings))
    ours = (data.origin or "").startswith("codebench")
    names = _coder_names(data, dict(coder_map or {}), report)
    with project.transaction() as store:
        codes = _CodeMerger(store, report, ours=ours).merge(data.codes)
        participants, case_guids = _participants(store, data, report)
        documents, existing = _documents(store, data, participants, report, path)
        _codings(store, data, documents, existing, codes, names, report)
        _memos(store, data, codes, documents, names, report)
        # Kept so the next export gives the other tool the same user and case GUIDs.
        store.interchange.remember_guids({names[u.guid]: u.guid for u in data.users}, case_guids)
        store.audit.log("import_refi", None, {
            "file": path.name, "origin": data.origin, "documents": [documents[s.guid].id for s in data.sources],
            "codes_added": report.codes_added, "codings_added": report.codings_added, "memos_added": report.memos_added,
        })
    project.checkpoint()
    return report


def import_qdc(project: Project, path: str | Path) -> InterchangeReport:
    """Import a REFI-QDA codebook (.qdc) into the code tree; codes match by GUID, then by name.

    Raises:
        ServiceError: naming the file and line for any problem; the code tree is then unchanged.
    """
    path = Path(path)
    book: refi.QdaCodebook = _read(refi.read_qdc, path)
    report = InterchangeReport(str(path), warnings=list(book.warnings))
    if not book.codes:
        raise ServiceError(f"{path}: the codebook holds no codes")
    with project.transaction() as store:
        _CodeMerger(store, report, ours=(book.origin or "").startswith("codebench")).merge(book.codes)
        store.audit.log("import_refi", None, {"file": path.name, "origin": book.origin, "codes_added": report.codes_added})
    return report


__all__ = ["ExportSummary", "InterchangeReport", "export_qdc", "export_qdpx", "import_qdc", "import_qdpx"]
