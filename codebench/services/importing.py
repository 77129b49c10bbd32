"""Importing transcripts and surveys: parse every file first, then store all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence


from codebench.domain.records import DocumentInfo, ParticipantInfo, TurnInfo, normalise_role, text_sha256
from codebench.ingest import IngestError, import_file
from codebench.ingest.base import ImportedDocument
from codebench.storage.store import Store
from codebench.errors import ServiceError
from codebench.domain.yaml_source import line_of, load_yaml
from codebench.services.code_names import code_names_shown_to
from codebench.services.project import Project, read_text_file


ROLE_PREFIX = {"veileder": "V", "IA-rådgiver": "IA", "mentor": "M", "arbeidsgiver": "A", "other": "X"}
"""Participant ids made up for an informant given only a role: V01, IA01, M01 …"""


@dataclass
class ParticipantSpec:
    """What the user said about a file's informant (CLI flags or participants.yaml)."""

    pid: str | None = None
    role: str | None = None
    site: str | None = None
    round: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    """What an import did: documents added, files skipped as duplicates, problems found."""

    added: list[DocumentInfo] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, existing document)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # tolerated problems, each naming file and line
    replaced: list[Replacement] = field(default_factory=list)
    """Corrected files imported over the documents they correct (codings realigned)."""
    linked: list[tuple[int, str]] = field(default_factory=list)
    """``(document id, recording path)`` of recordings found beside the transcripts."""


@dataclass(frozen=True)
class Replacement:
    """A corrected transcript imported over its document: why it was recognised and what followed."""

    file: str
    document: DocumentInfo
    reason: str
    """``--replaces``, or the same file name with how alike the texts are."""
    change: Any  # codebench.services.editing.EditReport


def _participants_yaml(folder: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """``(participants by pid, documents by file name)`` from a participants.yaml in ``folder``.

    Every entry is checked here, so that a wrong value is one line naming the file and its line
    (``participants.yaml:7: round 'to' of document 'm1.txt' must be a whole number``).
    """
    path = folder / "participants.yaml"
    if not path.is_file():
        return {}, {}
    data = load_yaml(read_text_file(path), path, error=ServiceError, located=True) or {}
    if not isinstance(data, dict):
        raise ServiceError(f"{_at(path, line_of(data))}: expected 'participants:' and 'documents:' sections")
    sections = []
    for section in ("participants", "documents"):
        value = data.get(section) or {}
        if not isinstance(value, dict):
            raise ServiceError(f"{_at(path, line_of(data, section))}: '{section}' must be a mapping "
                               f"({'V01: {role: veileder}' if section == 'participants' else 'file.docx: {participant: V01}'})")
        sections.append(value)
    participants, documents = sections
    return (
        {str(k): _checked_entry(path, participants, k, f"participant {k}") for k in participants},
        {str(k): _checked_entry(path, documents, k, f"document {str(k)!r}") for k in documents},
    )


def _checked_entry(path: Path, section: dict[Any, Any], key: Any, what: str) -> dict[str, Any]:
    """One participant or document entry of participants.yaml with role, site, round and participant checked."""
    entry = section[key]
    if entry is None:
        return {}
    if not isinstance(entry, dict):
        raise ServiceError(f"{_at(path, line_of(section, key))}: {what} must be a mapping (role: ..., site: ...), "
                           f"not {entry!r}")
    checked = dict(entry)
    for field_name in ("role", "site", "participant"):
        value = entry.get(field_name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            kind = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)
            raise ServiceError(f"{_at(path, line_of(entry, field_name))}: {field_name} of {what} must be text, not {kind}")
        checked[field_name] = str(value).strip()
    if checked.get("role"):
        try:
            checked["role"] = normalise_role(checked["role"])
        except ValueError as exc:
            raise ServiceError(f"{_at(path, line_of(entry, 'role'))}: {what}: {exc}") from None
    if entry.get("round") is not None:
        value = entry["round"]
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ServiceError(f"{_at(path, line_of(entry, 'round'))}: round {value!r} of {what} must be a whole "
                               "number (1, 2 …)")
        checked["round"] = value
    return checked


def _at(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line is not None else str(path)


def _spec_for(path: Path, flags: ParticipantSpec, cache: dict[Path, Any]) -> ParticipantSpec:
    folder = path.parent
    if folder not in cache:
        cache[folder] = _participants_yaml(folder)
    people, documents = cache[folder]
    entry = documents.get(path.name) or documents.get(path.stem) or {}
    pid = flags.pid or entry.get("participant")
    person = dict(people.get(str(pid), {})) if pid else {}
    role = flags.role or entry.get("role") or person.pop("role", None)
    person.pop("role", None)
    site = flags.site or entry.get("site") or person.pop("site", None)
    person.pop("site", None)
    round_ = flags.round if flags.round is not None else entry.get("round")
    attributes = {**person, **flags.attributes}
    return ParticipantSpec(str(pid) if pid else None, role, site, int(round_) if round_ is not None else None, attributes)


def _ensure_participant(store: Store, spec: ParticipantSpec) -> ParticipantInfo | None:
    if spec.pid is None and spec.role is None:
        return None
    role = normalise_role(spec.role) if spec.role else None
    if spec.pid is None:
        assert role is not None
        prefix = ROLE_PREFIX[role]
        taken = {p.pid for p in store.documents.participants()}
        n = 1
        while f"{prefix}{n:02d}" in taken:
            n += 1
        spec.pid = f"{prefix}{n:02d}"
    found = store.documents.participant(spec.pid)
    if found is None:
        return store.documents.add_participant(spec.pid, role or "other", spec.site, spec.attributes)
    changes: dict[str, Any] = {}
    if role and found.role != role:
        if found.role != "other":
            raise ServiceError(f"participant {spec.pid} is a {found.role}, not a {role}")
        changes["role"] = role
    if spec.site and not found.site:
        changes["site"] = spec.site
    if spec.attributes:
        changes["attributes"] = {**(found.attributes or {}), **spec.attributes}
    return store.documents.update_participant(spec.pid, **changes) if changes else found


def _by_file_name(warning: str, doc: ImportedDocument) -> str:
    """A warning as stored: naming the file by its name, not the folder it was imported from."""
    head, sep, rest = warning.partition(": ")
    where = head.rsplit(":", 1)
    if where and Path(where[0]).name == doc.source_name:
        return f"{doc.source_name}{':' + where[1] if len(where) == 2 else ''}{sep}{rest}"
    return warning


def _store_document(store: Store, doc: ImportedDocument, spec: ParticipantSpec, taken: set[str]) -> tuple[int, str]:
    """Store one parsed document under a free name; returns its ``(id, name)``."""
    participant = _ensure_participant(store, spec)
    base = doc.name or Path(doc.source_name).stem
    name, n = base, 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    taken.add(name)
    document_id = store.documents.add(
        name=name, source_name=doc.source_name, source_format=doc.source_format, text=doc.text,
        sha256=text_sha256(doc.text), word_count=doc.word_count, round=spec.round,
        participant_id=participant.id if participant else None,
        meta={**doc.meta, "notes": list(doc.notes), **({"warnings": [_by_file_name(w, doc) for w in doc.warnings]} if doc.warnings else {})},
        turns=doc.turns,
    )
    return document_id, name


def import_files(
    project: Project,
    paths: Sequence[str | Path],
    flags: ParticipantSpec | None = None,
    *,
    skip_bad: bool = False,
    strict: bool = False,
    replaces: str | int | None = None,
    coder: str | None = None,
    drop_memos: bool = False,
) -> ImportReport:
    """Import transcripts; all or nothing unless ``skip_bad``.

    A corrected version of a document already in the project (the same interview corrected in
    noScribe's editor, say) is imported *over* that document instead of beside it: its codings
    and anonymisation decisions are carried onto the new text by aligning the two texts word by
    word, codings whose words changed are flagged, and those whose words are gone are reported
    (undo brings them back) — but a coding that carries a memo is not removed unless
    ``drop_memos``: without it the import is refused, naming those codings, and nothing changes
    (a memo is the researcher's own writing, not something to lose in a list of what moved).
    A file is taken as a correction when ``replaces`` names the
    document, or when it has the same file name as a document (or the same name with another
    ending: noScribe's editor saves HTML beside the VTT) and the texts are at least
    :data:`REIMPORT_SIMILARITY` alike: a corrected file keeps its name, while two different
    interviews saved under one name (``intervju.txt`` in two folders) are far less alike.

    A problem the importer can live with because the content is clear (one cue with impossible
    times in a long interview) is a warning in the report and on the document; ``strict``
    makes it an error.

    Every file is parsed before anything is written. If any file fails and ``skip_bad`` is
    false, nothing is imported and every problem is reported. Content already in the project
    (same SHA-256 of the normalised text) is skipped and reported as a duplicate.
    """
    flags = flags or ParticipantSpec()
    report = ImportReport()
    parsed: list[tuple[Path, ImportedDocument]] = []
    for raw in paths:
        path = Path(raw)
        if path.name == "participants.yaml":
            # `import p folder/*` names the participants file too: it is read for the files beside
            # it, not imported (refusing the whole import over it helps no one).
            continue
        try:
            parsed.append((path, import_file(path, strict=strict)))
        except IngestError as exc:
            report.errors.append(str(exc))
    if report.errors and not skip_bad:
        return report
    cache: dict[Path, Any] = {}
    try:
        specs = [_spec_for(path, flags, cache) for path, _ in parsed]
    except ValueError as exc:
        report.errors.append(str(exc))
        return report
    if replaces is not None and len(parsed) != 1:
        report.errors.append("--replaces takes exactly one file (the corrected version of that document)")
        return report
    _store_all(project, [(p, d, s) for (p, d), s in zip(parsed, specs)], report, replaces=replaces, coder=coder,
               drop_memos=drop_memos)
    project.checkpoint()
    return report


def import_survey(
    project: Project,
    path: str | Path,
    text_columns: list[str],
    *,
    id_column: str | None = None,
    role: str = "arbeidsgiver",
    round: int | None = None,
) -> ImportReport:
    """Import survey answers: each respondent becomes a participant and a document."""
    from codebench.ingest.survey import import_survey as parse_survey

    report = ImportReport()
    path = Path(path)
    try:
        documents = parse_survey(path, text_columns, id_column)
        role = normalise_role(role)
    except (IngestError, ValueError) as exc:
        report.errors.append(str(exc))
        return report
    if documents and documents[0].meta.get("left_out"):
        report.warnings.append(documents[0].meta.pop("left_out"))
    items = []
    for doc in documents:
        hint = doc.participant_hint or {}
        pid = f"{path.stem}-{hint.get('pid')}"
        items.append((path, doc, ParticipantSpec(pid, role, None, round, dict(hint.get("attributes", {})))))
    _store_all(project, items, report)
    return report


class MemosWouldBeLost(ServiceError):
    """A corrected file would remove codings that carry memos (refused unless ``drop_memos``).

    ``str()`` names the codings without their codes' names; :meth:`describe` adds the names as
    the coder is shown them.
    """

    def __init__(self, file: str, items: Sequence[Any]) -> None:
        self.file = file
        self.items = list(items)
        super().__init__(self.describe(None))

    def describe(self, shown: dict[str, str] | None) -> str:
        """The one-line refusal; ``shown`` maps code names to what this coder sees (None: no names)."""
        def one(item: Any) -> str:
            code = "" if shown is None else f" «{shown.get(item.code, item.code)}»"
            return f"{item.uuid[:8]}{code} ({item.coder})"

        listed = ", ".join(one(item) for item in self.items)
        return (f"{self.file}: the corrected text no longer has the words of {len(self.items)} coding(s) "
                f"that carry a memo: {listed}; --drop-memos removes them with their memos (undo brings them back)")


REIMPORT_SIMILARITY = 0.6
"""How alike (0–1, word by word) a file must be to the same-named document to be taken as its correction."""


def _store_all(project: Project, items: list[tuple[Path, ImportedDocument, ParticipantSpec]], report: ImportReport,
               *, replaces: str | int | None = None, coder: str | None = None, drop_memos: bool = False) -> None:
    from codebench.services.media import MEDIA_KEY, find_beside

    try:
        with project.transaction() as store:
            seen: dict[str, str] = {}
            added_ids: list[int] = []
            taken = store.documents.names()
            for path, doc, spec in items:
                digest = text_sha256(doc.text)
                existing = store.documents.name_by_hash(digest)
                if existing is not None or digest in seen:
                    report.duplicates.append((str(path), existing if existing is not None else seen[digest]))
                    continue
                target, reason = _corrected_document(store, doc, replaces)
                if target is not None:
                    report.replaced.append(_reimport(store, path, doc, target, reason, coder, drop_memos=drop_memos))
                    seen[digest] = target.name
                    continue
                document_id, name = _store_document(store, doc, spec, taken)
                report.warnings.extend(doc.warnings)
                seen[digest] = name
                added_ids.append(document_id)
                if any(t.t_start is not None for t in doc.turns) and path.parent.is_dir():
                    header = doc.meta.get("header")
                    audio = header.get("audio") if isinstance(header, dict) else None
                    recording = find_beside(path, audio if isinstance(audio, str) else None)
                    if recording is not None:
                        store.documents.set_meta(document_id, MEDIA_KEY, str(recording))
                        report.linked.append((document_id, str(recording)))
            if added_ids:
                store.audit.log("import", None, {"documents": added_ids})
            report.added = store.documents.infos(added_ids) if added_ids else []
    except MemosWouldBeLost as exc:
        # Named after the transaction is gone: the codes' names as this coder is shown them (an
        # in-vivo code is an informant's words and may hold a name).
        report.errors.append(exc.describe(code_names_shown_to(project, coder, [item.code for item in exc.items])))
        report.added = []
        report.replaced = []
        report.linked = []
    except ValueError as exc:
        report.errors.append(str(exc))
        report.added = []
        report.replaced = []
        report.linked = []
    except ServiceError as exc:
        report.errors.append(str(exc))
        report.added = []
        report.replaced = []
        report.linked = []


def _corrected_document(store: Store, doc: ImportedDocument, replaces: str | int | None
                        ) -> tuple[DocumentInfo | None, str]:
    """The document ``doc`` is a corrected version of, and why; None when it is a new document."""
    from rapidfuzz.distance import Levenshtein

    if replaces is not None:
        found = store.documents.find(replaces)
        if found is None:
            raise ServiceError(f"--replaces: no document {replaces!r} in this project (see `codebench documents`)")
        return found, "--replaces"
    same_name = [d for d in store.documents.infos() if d.source_name == doc.source_name]
    if not same_name:
        # noScribe's editor saves an HTML file beside the VTT it came from: the same name, another ending.
        stem = Path(doc.source_name).stem
        same_name = [d for d in store.documents.infos() if Path(d.source_name).stem == stem]
    if len(same_name) != 1:
        return None, ""
    old = store.documents.text(same_name[0].id).split()
    alike = Levenshtein.normalized_similarity(old, doc.text.split())
    if alike < REIMPORT_SIMILARITY:
        return None, ""
    return same_name[0], f"same file name, {alike:.0%} alike"


def _reimport(store: Store, path: Path, doc: ImportedDocument, target: DocumentInfo, reason: str,
              coder: str | None, *, drop_memos: bool = False) -> Replacement:
    """Put a corrected file's text in place of ``target``'s; codings and mentions follow by alignment.

    Raises:
        ServiceError: codings with memos would be removed and ``drop_memos`` is false (the
            caller's transaction then rolls back: nothing is changed).
    """
    from codebench.domain.editing import FLAG_REALIGNED, diff_pieces
    from codebench.services.editing import apply_change

    old_text = store.documents.text(target.id)
    pieces = diff_pieces(old_text, doc.text)
    turns = [TurnInfo(i, t.speaker, t.start, t.end, t.body_start, t.t_start, t.t_end) for i, t in enumerate(doc.turns)]
    change, payload = apply_change(store, target, pieces, turns, kind="reimport", turn_seq=None, author=coder,
                                   flag=FLAG_REALIGNED, drop_lost=True)
    with_memos = [item for item in change.unplaced if item.memo]
    if with_memos and not drop_memos:
        raise MemosWouldBeLost(path.name, with_memos)
    payload["file"] = path.name
    store.audit.log("reimport", coder, payload)
    updated = store.documents.infos([target.id])[0]
    return Replacement(str(path), updated, reason, change)
