"""Reading REFI-QDA: QDPX projects and QDC codebooks into plain records.

Reading is tolerant of what real tools write (namespace variants, the inner file's name, folder
case, an empty ``<Sets/>``) and strict about what could hurt: archives are checked for bombs
and traversal before anything is parsed, XML with a DTD is refused, no file outside the archive
is ever opened, and every problem is an :class:`IngestError` naming the file and, for the XML,
the line. Every position is converted into code points of the text as codebench stores it.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from codebench.export.refi.records import (
    HEX_COLOUR, VARIABLE_TYPES, QdaCase, QdaCode, QdaCodebook, QdaCoding, QdaNote, QdaProject, QdaSource, QdaUser,
    QdaVariable, derived_guid,
)
from codebench.export.refi.text import SourceText, counts_utf16_over_crlf, normalise_with_map
from codebench.ingest.archive import open_archive, points_outside, read_member, safe_xml
from codebench.ingest.base import IngestError, max_file_bytes, read_limited
from codebench.ingest.encoding import decode_bytes

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _strip_namespaces(root: etree._Element) -> None:
    """Use local names only: files in the wild carry urn:QDA-XML:…:1.0, 1:0, or none at all."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11 reads the Z and fractions itself
    except ValueError:
        try:
            parsed = datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _canonical_guid(value: str) -> str:
    text = value.strip().strip("{}").lower()
    # Some tools write ids that are not GUIDs; derive one, the same for every mention.
    return text if len(text) == 36 and _GUID.match(text) else derived_guid("foreign", text)


class _Reader:
    """Shared parts of reading a project.qde or a .qdc: errors with lines, GUIDs, codes."""

    def __init__(self, path: Path, member: str | None) -> None:
        self.path = path
        self.member = member
        self.warnings: list[str] = []
        self._guids: dict[str, str] = {}  # users and codes are named once per coding: canonicalise once

    def error(self, element: etree._Element | None, message: str) -> IngestError:
        line = element.sourceline if element is not None else None
        if self.member is None:
            return IngestError(self.path, message, line)
        where = f"{self.member}:{line}" if line else self.member
        return IngestError(self.path, f"{where}: {message}")

    def guid(self, element: etree._Element, attribute: str = "guid", *, required: bool = True) -> str | None:
        value = element.get(attribute)
        found = self._guids.get(value) if value else None
        if found is not None:
            return found
        if value is None or not value.strip():
            if required:
                raise self.error(element, f"<{element.tag}> has no {attribute}")
            return None
        found = self._guids[value] = _canonical_guid(value)
        return found

    def code(self, element: etree._Element, seen: set[str]) -> QdaCode:
        guid = self.guid(element)
        assert guid is not None
        if guid in seen:
            raise self.error(element, f"two codes share the guid {element.get('guid')}")
        seen.add(guid)
        colour = (element.get("color") or "").strip()
        return QdaCode(
            guid=guid, name=element.get("name") or "", codable=(element.get("isCodable") or "true").strip().lower() in ("true", "1"),
            colour=colour if HEX_COLOUR.match(colour) else None, description=element.findtext("Description"),
            note_guids=[g for r in element.findall("NoteRef") if (g := self.guid(r, "targetGUID", required=False))],
            children=[self.code(child, seen) for child in element.findall("Code")], line=element.sourceline,
        )


class _Members:
    """Case-insensitive lookup of archive members, relative to the folder of the .qde."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive = archive
        self.path = path
        self.names = [i.filename for i in archive.infolist() if not i.is_dir()]
        self._lower: dict[str, str] = {}
        for name in self.names:
            self._lower.setdefault(name.replace("\\", "/").casefold(), name)
        self.base = ""

    def project_file(self) -> str:
        qde = [n for n in self.names if n.casefold().endswith(".qde")]
        top = [n for n in qde if "/" not in n.replace("\\", "/")]
        chosen: str | None = None
        if any(n.casefold() == "project.qde" for n in top):
            chosen = next(n for n in top if n.casefold() == "project.qde")
        elif len(top) == 1:
            chosen = top[0]  # ATLAS.ti 26 names it after the project
        elif not top and len(qde) == 1:
            chosen = qde[0]  # the whole project zipped inside a folder
        if chosen is None:
            if not qde:
                raise IngestError(self.path, "not a QDPX project: there is no project.qde inside")
            raise IngestError(self.path, f"not a QDPX project: several .qde files inside ({', '.join(sorted(qde))})")
        unified = chosen.replace("\\", "/")
        self.base = unified.rsplit("/", 1)[0] + "/" if "/" in unified else ""
        return chosen

    def find(self, relative: str) -> str | None:
        for candidate in (f"{self.base}sources/{relative}", f"{self.base}{relative}", relative):
            found = self._lower.get(candidate.casefold())
            if found is not None:
                return found
        return None


class _Outside(IngestError):
    """A source or note whose text lives outside the archive (an external file reference)."""


def _internal_target(value: str) -> str | None:
    """The archive-relative name of an ``internal://`` path, or None for an outside path."""
    if not value.casefold().startswith("internal://"):
        return None
    return unquote(value[len("internal://"):]).replace("\\", "/")


class _ProjectReader(_Reader):
    def __init__(self, path: Path, member: str, root: etree._Element, members: _Members) -> None:
        super().__init__(path, member)
        self.root = root
        self.members = members

    def read(self) -> QdaProject:
        root = self.root
        _strip_namespaces(root)
        if root.tag != "Project":
            raise self.error(root, f"the root element is <{root.tag}>, not <Project>: not a REFI-QDA project")
        origin = root.get("origin")
        utf16 = counts_utf16_over_crlf(origin)
        if utf16:
            self.warnings.append(f"positions counted as UTF-16 units over CRLF text, as {origin} writes them")
        project = QdaProject(name=root.get("name") or self.path.stem, origin=origin,
                             created=_parse_datetime(root.get("creationDateTime")))
        project.users = [QdaUser(self.guid(u) or "", (u.get("name") or "").strip()) for u in root.findall("Users/User")]
        code_guids: set[str] = set()
        project.codes = [self.code(c, code_guids) for c in root.findall("CodeBook/Codes/Code")]
        project.variables = [self._variable(v) for v in root.findall("Variables/Variable")]
        kinds = {v.guid: v.kind for v in project.variables}
        project.notes = [note for n in root.findall("Notes/Note") if (note := self._note(n)) is not None]
        sources = root.find("Sources")
        skipped: dict[str, int] = {}
        source_guids: set[str] = set()
        for element in sources if sources is not None else ():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "TextSource":
                source = self._text_source(element, utf16, code_guids, kinds)
                if source is not None:
                    if source.guid in source_guids:
                        raise self.error(element, f"two sources share the guid {element.get('guid')}")
                    source_guids.add(source.guid)
                    project.sources.append(source)
            else:
                skipped[element.tag] = skipped.get(element.tag, 0) + 1
        for kind, count in sorted(skipped.items()):
            self.warnings.append(f"{count} {kind}(s) skipped: codebench imports text sources only")
        project.cases = [self._case(c, kinds) for c in root.findall("Cases/Case")]
        project.note_guids = [g for r in root.findall("NoteRef") if (g := self.guid(r, "targetGUID", required=False))]
        for part, what in (("Sets/Set", "set(s) (groups of sources or codes)"), ("Links/Link", "link(s)"), ("Graphs/Graph", "graph(s)")):
            count = len(root.findall(part))
            if count:
                self.warnings.append(f"{count} {what} not imported: codebench has no such thing")
        self._check_references(project)
        project.warnings = self.warnings
        return project

    # -- parts -----------------------------------------------------------------------------

    def _variable(self, element: etree._Element) -> QdaVariable:
        kind = (element.get("typeOfVariable") or "Text").strip()
        return QdaVariable(self.guid(element) or "", (element.get("name") or "").strip(), kind if kind in VARIABLE_TYPES else "Text")

    def _values(self, element: etree._Element, kinds: dict[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for holder in element.findall("VariableValue"):
            ref = holder.find("VariableRef")
            if ref is None:
                continue
            guid = self.guid(ref, "targetGUID", required=False)
            if guid is None or guid not in kinds:
                self.warnings.append(f"{self.member}:{holder.sourceline}: a value of an undeclared variable was skipped")
                continue
            for child in holder:
                if isinstance(child.tag, str) and child.tag != "VariableRef":
                    values[guid] = _typed_value(child.tag, child.text or "")
                    break
        return values

    def _text_of(self, element: etree._Element, what: str) -> tuple[str | None, list[str]]:
        """The plain text of a TextSource or Note: inline, or an internal file; None when absent."""
        changes: list[str] = []
        inline = element.find("PlainTextContent")
        if inline is not None:
            return inline.text or "", changes
        location = element.get("plainTextPath")
        if not location:
            return None, changes
        target = _internal_target(location)
        if target is None:
            raise _Outside(self.path, f"{self.member}:{element.sourceline}: {what} points to a file outside the .qdpx "
                                      f"({location}); codebench reads only files stored inside the archive")
        if points_outside(target):
            raise self.error(element, f"refused: {what} points outside the archive ({location})")
        member = self.members.find(target)
        if member is None:
            raise self.error(element, f"{what}: the file {location} is missing from the archive")
        data = read_member(self.members.archive, member, self.path, max_file_bytes())
        if not data:
            return "", changes
        return decode_bytes(data, f"{self.path}: {member}", changes), changes

    def _note(self, element: etree._Element) -> QdaNote | None:
        guid = self.guid(element)
        assert guid is not None
        try:
            text, _ = self._text_of(element, f"note {element.get('name') or guid}")
        except _Outside:
            self.warnings.append(f"note {element.get('name') or guid!r} skipped: its text is not inside the archive")
            return None
        if text is None:
            return None
        stored, _, _ = normalise_with_map(text)
        return QdaNote(guid, stored, (element.get("name") or "").strip() or None, self.guid(element, "creatingUser", required=False),
                       _parse_datetime(element.get("creationDateTime")), element.sourceline)

    def _case(self, element: etree._Element, kinds: dict[str, str]) -> QdaCase:
        return QdaCase(
            guid=self.guid(element) or "", name=(element.get("name") or "").strip(), values=self._values(element, kinds),
            source_guids=[g for r in element.findall("SourceRef") if (g := self.guid(r, "targetGUID", required=False))],
            description=element.findtext("Description"), line=element.sourceline,
        )

    def _text_source(self, element: etree._Element, utf16: bool, codes: set[str], kinds: dict[str, str]) -> QdaSource | None:
        guid = self.guid(element)
        assert guid is not None
        name = (element.get("name") or "").strip() or f"source {guid[:8]}"
        selections = element.findall("PlainTextSelection")
        whole = element.findall("Coding")
        coded = any(s.find("Coding") is not None for s in selections) or bool(whole)
        try:
            raw, changes = self._text_of(element, f"source {name!r}")
        except _Outside:
            if coded:
                raise
            self.warnings.append(f"source {name!r} skipped: its text is not inside the archive")
            return None
        if raw is None or not raw.strip():
            if coded:
                raise self.error(element, f"source {name!r} has codings but no text")
            self.warnings.append(f"source {name!r} skipped: it has no text")
            return None
        text = SourceText(raw, utf16_crlf=utf16)
        source = QdaSource(guid, name, text.text, values=self._values(element, kinds),
                           note_guids=[g for r in element.findall("NoteRef") if (g := self.guid(r, "targetGUID", required=False))],
                           created=_parse_datetime(element.get("creationDateTime")),
                           user_guid=self.guid(element, "creatingUser", required=False), changes=changes + text.changes,
                           line=element.sourceline)
        for selection in selections:
            self._selection(selection, text, source, codes)
        for applied in whole:  # a code on the whole source
            source.codings.append(self._coding(applied, 0, len(text.text), None, None, None, [], codes))
        return source

    def _position(self, element: etree._Element, attribute: str) -> int:
        value = element.get(attribute)
        try:
            return int((value or "").strip())
        except ValueError:
            raise self.error(element, f"<{element.tag}> has no valid {attribute} ({value!r})") from None

    def _selection(self, element: etree._Element, text: SourceText, source: QdaSource, codes: set[str]) -> None:
        # One pass over the children: this runs once per coded passage, tens of thousands of times.
        applied: list[etree._Element] = []
        memo: str | None = None
        notes: list[str] = []
        for child in element:
            tag = child.tag
            if tag == "Coding":
                applied.append(child)
            elif tag == "Description":
                memo = child.text
            elif tag == "NoteRef" and (guid := self.guid(child, "targetGUID", required=False)):
                notes.append(guid)
        if not applied:
            return  # a quotation without codes: nothing to store
        start, end = self._position(element, "startPosition"), self._position(element, "endPosition")
        if start < 0 or end < start:
            raise self.error(element, f"selection [{start}, {end}) in {source.name!r} is not a span (start after end, or negative)")
        if end > text.length:
            raise self.error(element, f"selection [{start}, {end}) goes beyond the end of {source.name!r} "
                                      f"({text.length} {text.unit})")
        first, last = text.to_stored(start, side="start"), text.to_stored(end, side="end")
        if last <= first:
            self.warnings.append(f"{self.member}:{element.sourceline}: an empty selection in {source.name!r} was skipped")
            return
        user = self.guid(element, "creatingUser", required=False)
        created = _parse_datetime(element.get("creationDateTime"))
        selection_guid = self.guid(element)
        for coding in applied:
            source.codings.append(self._coding(coding, first, last, user, created, memo, notes, codes, selection_guid))

    def _coding(self, element: etree._Element, start: int, end: int, user: str | None, created: datetime | None,
                memo: str | None, notes: list[str], codes: set[str], selection: str | None = None) -> QdaCoding:
        target = None
        own_notes: list[str] = []
        for child in element:
            if child.tag == "CodeRef" and target is None:
                target = self.guid(child, "targetGUID")
            elif child.tag == "NoteRef" and (guid := self.guid(child, "targetGUID", required=False)):
                own_notes.append(guid)
        if target is None:
            raise self.error(element, "a coding without a <CodeRef>")
        if target not in codes:
            raise self.error(element, f"a coding refers to code {target}, which the codebook does not hold")
        return QdaCoding(
            guid=self.guid(element) or "", code_guid=target, start=start, end=end,
            # The coder: the coding's own creatingUser first, then the selection's.
            user_guid=self.guid(element, "creatingUser", required=False) or user,
            created=_parse_datetime(element.get("creationDateTime")) or created, memo=memo, selection_guid=selection,
            line=element.sourceline, note_guids=notes + own_notes if own_notes else notes,
        )

    def _check_references(self, project: QdaProject) -> None:
        users = {u.guid for u in project.users}
        unknown_users = {c.user_guid for s in project.sources for c in s.codings if c.user_guid and c.user_guid not in users}
        if unknown_users:
            self.warnings.append(f"{len(unknown_users)} coding user(s) not listed under <Users>; named after their GUID")
        sources = {s.guid for s in project.sources}
        for case in project.cases:
            missing = [g for g in case.source_guids if g not in sources]
            if missing:
                self.warnings.append(f"case {case.name!r} refers to {len(missing)} source(s) not imported")
                case.source_guids = [g for g in case.source_guids if g in sources]
        # Notes on codings become the coding's memo rather than free-standing memos.
        notes = {n.guid: n for n in project.notes}
        elsewhere = {*project.note_guids, *(g for code, _ in project.all_codes() for g in code.note_guids),
                     *(g for s in project.sources for g in s.note_guids)}
        on_codings: set[str] = set()
        for source in project.sources:
            for coding in source.codings:
                texts = [notes[g].text for g in coding.note_guids if g in notes]
                if texts:
                    coding.memo = "\n\n".join([coding.memo, *texts] if coding.memo else texts)
                    on_codings.update(coding.note_guids)
        project.notes = [n for n in project.notes if n.guid not in on_codings or n.guid in elsewhere]


def _typed_value(tag: str, text: str) -> Any:
    value = text.strip()
    try:
        if tag == "BooleanValue":
            return value.lower() in ("true", "1")
        if tag == "IntegerValue":
            return int(value)
        if tag == "FloatValue":
            return float(value)
    except ValueError:
        return value
    return text if tag == "TextValue" else value


def read_qdpx(path: str | Path) -> QdaProject:
    """Read a QDPX project: codebook, users, sources with codings (stored-text positions), cases, notes.

    Raises:
        IngestError: naming the file (and the member and XML line) for any problem; nothing is
            returned half-read.
    """
    path = Path(path)
    if not path.is_file():
        raise IngestError(path, "no such file")
    with open_archive(path, ".qdpx", ()) as archive:
        members = _Members(archive, path)
        member = members.project_file()
        root = safe_xml(read_member(archive, member, path), path, member, forbid_dtd=True)
        return _ProjectReader(path, member, root, members).read()


def read_qdc(path: str | Path) -> QdaCodebook:
    """Read a QDC codebook (any namespace variant; an empty ``<Sets/>`` is accepted).

    Raises:
        IngestError: naming the file and the XML line for any problem.
    """
    path = Path(path)
    if not path.is_file():
        raise IngestError(path, "no such file")
    root = safe_xml(read_limited(path), path, path.name, forbid_dtd=True)
    _strip_namespaces(root)
    reader = _Reader(path, None)
    if root.tag != "CodeBook":
        raise reader.error(root, f"the root element is <{root.tag}>, not <CodeBook>: not a REFI-QDA codebook")
    seen: set[str] = set()
    codes = [reader.code(c, seen) for c in root.findall("Codes/Code")]
    sets = [s for s in root.findall("Sets/Set") if len(s.findall("MemberCode"))]
    if sets:
        reader.warnings.append(f"{len(sets)} code set(s) not imported: codebench groups codes by categories only")
    return QdaCodebook(root.get("origin"), codes, reader.warnings)
