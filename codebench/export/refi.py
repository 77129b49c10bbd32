"""REFI-QDA exchange files (QDA-XML 1.0): QDPX projects and QDC codebooks, in and out.

Plain records in, plain records out: this module knows the XML and the archive layout and
nothing about the database; :mod:`codebench.services.interchange` maps the records to and from
a project.

Positions. The standard counts Unicode code points, 0-based, and the end is exclusive in practice.
Files written here use code points over LF text, UTF-8 without BOM, ``internal://<guid>.txt``.
Files read here may come from tools that do otherwise (NVivo for Windows counts UTF-16 code units
over CRLF text), so the reader converts every position into code points of the text as codebench
stores it (LF, NFC, no control characters); callers never see another unit.

Reading is tolerant of what real tools write (namespace variants, the inner file's name, folder
case, an empty ``<Sets/>``) and strict about what could hurt: archives are checked for bombs
and traversal before anything is parsed, XML with a DTD is refused, no file outside the archive
is ever opened, and every problem is an :class:`IngestError` naming the file and, for the XML,
the line.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import unquote

from lxml import etree

from codebench.domain.spans import OffsetMap, Span, apply_replacements, utf16_offsets_to_code_points
from codebench.ingest.archive import open_archive, points_outside, read_member, safe_xml
from codebench.ingest.base import MAX_FILE_BYTES, IngestError, read_limited
from codebench.ingest.encoding import decode_bytes

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_PROJECT_XSD = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"

GUID_NAMESPACE = uuid.UUID("99d789bb-37bd-4dbe-9972-7e9d4518447c")
"""Namespace of GUIDs derived from names (users, cases, variables, selections): the same name
gives the same GUID in every export, so another tool sees the same user or case each time."""

VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
# Characters XML 1.0 cannot carry at all (lxml refuses them); researchers' memos may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_NAMESPACE_BYTES = GUID_NAMESPACE.bytes


def derived_guid(kind: str, key: str) -> str:
    """A GUID that depends only on ``kind`` and ``key`` (stable across exports): a UUID version 5.

    Spelled out rather than ``uuid.uuid5`` because an export derives one per coding and the
    UUID object costs four times the hashing.
    """
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass
class QdaUser:
    """A person who made codings or notes."""

    guid: str
    name: str


@dataclass
class QdaCode:
    """A node of the codebook; codes with children are what codebench calls categories."""

    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str | None = None
    note_guids: list[str] = field(default_factory=list)
    children: list[QdaCode] = field(default_factory=list)
    line: int | None = None

    def walk(self, parent: QdaCode | None = None) -> Iterator[tuple[QdaCode, QdaCode | None]]:
        """Yield ``(node, parent)`` for this node and every node below it, parents first."""
        yield self, parent
        for child in self.children:
            yield from child.walk(self)


@dataclass
class QdaCoding:
    """A code on ``[start, end)`` of a source (code points of the stored text)."""

    guid: str
    code_guid: str
    start: int
    end: int
    user_guid: str | None = None
    created: datetime | None = None
    memo: str | None = None
    selection_guid: str | None = None
    line: int | None = None
    note_guids: list[str] = field(default_factory=list)


@dataclass
class QdaVariable:
    """A case or source attribute; ``kind`` is one of :data:`VARIABLE_TYPES`."""

    guid: str
    name: str
    kind: str = "Text"


@dataclass
class QdaSource:
    """A text source: its text (LF, NFC), codings, notes and variable values."""

    guid: str
    name: str
    text: str
    codings: list[QdaCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # variable guid -> value
    created: datetime | None = None
    user_guid: str | None = None
    changes: list[str] = field(default_factory=list)  # what reading did to the text (encoding, line ends)
    line: int | None = None


@dataclass
class QdaCase:
    """A case (a participant) with its variable values and sources."""

    guid: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)  # variable guid -> value
    source_guids: list[str] = field(default_factory=list)
    description: str | None = None
    line: int | None = None


@dataclass
class QdaNote:
    """A note (a memo)."""

    guid: str
    text: str
    name: str | None = None
    user_guid: str | None = None
    created: datetime | None = None
    line: int | None = None


@dataclass
class QdaProject:
    """Everything codebench reads from or writes to a QDPX project."""

    name: str
    origin: str | None = None
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)
    variables: list[QdaVariable] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    notes: list[QdaNote] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)  # notes on the project as a whole
    created: datetime | None = None
    warnings: list[str] = field(default_factory=list)

    def all_codes(self) -> Iterator[tuple[QdaCode, QdaCode | None]]:
        """Every code of the codebook with its parent, parents first."""
        for root in self.codes:
            yield from root.walk()


@dataclass
class QdaCodebook:
    """A QDC codebook."""

    origin: str | None
    codes: list[QdaCode]
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# codebench's code fields in a Description
# ---------------------------------------------------------------------------------------------

# The standard gives a code one Description; codebench's definitions have more parts. They are
# written as labelled paragraphs, readable in any tool, and read back only from codebench files.
_SECTIONS = (("inclusion", "Include: "), ("exclusion", "Exclude: "), ("examples", "Example: "), ("memo", "Memo: "),
             ("origin", "Origin: "), ("core", "Core category: "), ("shortcut", "Shortcut: "))
_ORIGINS = ("codebook", "open", "in-vivo")


def compose_description(description: str | None, *, inclusion: str | None = None, exclusion: str | None = None,
                        examples: Sequence[str] = (), memo: str | None = None, origin: str = "codebook",
                        core: bool = False, shortcut: str | None = None) -> str | None:
    """One Description text holding every part of a codebench code definition."""
    parts = [description] if description else []
    if inclusion:
        parts.append(f"Include: {inclusion}")
    if exclusion:
        parts.append(f"Exclude: {exclusion}")
    parts.extend(f"Example: {example}" for example in examples)
    if memo:
        parts.append(f"Memo: {memo}")
    if origin and origin != "codebook":
        parts.append(f"Origin: {origin}")
    if core:
        parts.append("Core category: yes")
    if shortcut:
        parts.append(f"Shortcut: {shortcut}")
    return "\n\n".join(parts) or None


def parse_description(text: str | None) -> dict[str, Any]:
    """The code fields of a Description written by :func:`compose_description`."""
    fields: dict[str, Any] = {"description": None, "inclusion": None, "exclusion": None, "examples": [],
                              "memo": None, "origin": "codebook", "core": False, "shortcut": None}
    if not text:
        return fields
    sections: list[tuple[str, list[str]]] = [("description", [])]
    for paragraph in text.split("\n\n"):
        for key, prefix in _SECTIONS:
            if paragraph.startswith(prefix):
                sections.append((key, [paragraph[len(prefix):]]))
                break
        else:
            sections[-1][1].append(paragraph)
    for key, paragraphs in sections:
        value = "\n\n".join(paragraphs)
        if key == "examples":
            fields["examples"].append(value)
        elif key == "core":
            fields["core"] = value.strip().lower() == "yes"
        elif key == "origin":
            fields["origin"] = value.strip() if value.strip() in _ORIGINS else "codebook"
        elif key == "shortcut":
            fields["shortcut"] = value.strip()[:1] or None
        elif paragraphs:
            fields[key] = value
    return fields


# ---------------------------------------------------------------------------------------------
# Text as a file holds it and as codebench stores it
# ---------------------------------------------------------------------------------------------


def _line_end_map(text: str) -> tuple[str, OffsetMap | None]:
    if "\r" not in text:
        return text, None
    edits = [(Span(m.start(), m.end()), 1) for m in re.finditer("\r\n", text)]
    converted = text.replace("\r\n", "\n").replace("\r", "\n")
    return converted, OffsetMap(len(text), edits)


def _nfc_map(text: str) -> tuple[str, OffsetMap | None]:
    if unicodedata.is_normalized("NFC", text):
        return text, None
    target = unicodedata.normalize("NFC", text)
    # Compose each starter with the combining marks after it: exact for decomposed Latin letters
    # (the macOS "å" = a + ring), the case that occurs in Norwegian transcripts.
    bounds = [0, *(i for i in range(1, len(text)) if unicodedata.combining(text[i]) == 0), len(text)]
    pieces: list[str] = []
    edits: list[tuple[Span, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        chunk = text[a:b]
        composed = unicodedata.normalize("NFC", chunk)
        pieces.append(composed)
        if composed != chunk:
            edits.append((Span(a, b), len(composed)))
    if "".join(pieces) != target:
        # Compositions across starters (Hangul jamo, some Indic vowel signs): derive the edits
        # from a character diff instead. Rare and slower, but still exact.
        matcher = difflib.SequenceMatcher(None, text, target, autojunk=False)
        edits = [(Span(i1, i2), j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return target, OffsetMap(len(text), edits)


def _control_map(text: str) -> tuple[str, OffsetMap | None]:
    found = [m.start() for m in _CONTROLS.finditer(text) if text[m.start()] not in "\n\t"]
    if not found:
        return text, None
    return _CONTROLS.sub(lambda m: m.group() if m.group() in "\n\t" else "", text), OffsetMap(
        len(text), [(Span(i, i + 1), 0) for i in found])


def normalise_with_map(text: str) -> tuple[str, list[OffsetMap], list[str]]:
    """The text as codebench's importers store it (LF, NFC, no control characters).

    Returns:
        ``(stored text, maps, notes)``: applying the maps in order takes a position in ``text`` to
        the same place in the stored text; ``notes`` say what changed, as the importers do.
    """
    notes: list[str] = []
    maps: list[OffsetMap] = []
    crlf = text.count("\r\n")
    step, mapping = _line_end_map(text)
    if mapping is not None:
        notes.append(f"line ends normalised to LF ({crlf} CRLF)" if crlf else "line ends normalised to LF (CR)")
        if mapping.edits:
            maps.append(mapping)
    composed, mapping = _nfc_map(step)
    if mapping is not None:
        notes.append("Unicode composed to NFC")
        maps.append(mapping)
    cleaned, mapping = _control_map(composed)
    if mapping is not None:
        notes.append(f"removed {len(composed) - len(cleaned)} control character(s)")
        maps.append(mapping)
    return cleaned, maps, notes


class SourceText:
    """A source's text as the file holds it, as codebench stores it, and the way between them.

    Args:
        raw: the decoded file text (BOM removed).
        utf16_crlf: positions in the file count UTF-16 code units over CRLF text (NVivo for
            Windows); otherwise they count code points of ``raw``.
    """

    def __init__(self, raw: str, *, utf16_crlf: bool = False) -> None:
        self.raw = raw
        self.text, self._maps, self.changes = normalise_with_map(raw)
        self._utf16: list[int] | None = None
        self._crlf: OffsetMap | None = None
        self.unit = "code points"
        self.length = len(raw)
        if utf16_crlf:
            # NVivo counts over CRLF text even where the file it wrote has bare LF.
            bare = [(Span(m.start(), m.end()), "\r\n") for m in re.finditer("\r\n|\r|\n", raw) if m.group() != "\r\n"]
            crlf_text, self._crlf = apply_replacements(raw, bare)
            self._utf16 = utf16_offsets_to_code_points(crlf_text)
            self.unit = "UTF-16 units"
            self.length = len(self._utf16) - 1

    def to_stored(self, position: int, *, side: str = "start") -> int:
        """Map a position as the file counts it to a code point of the stored text.

        Args:
            position: ``0 <= position <= self.length``.
            side: ``"start"`` or ``"end"``; a position inside a replaced character (the middle
                of a surrogate pair or of a CRLF) moves outwards, so spans never shrink.
        """
        pos = position
        if self._utf16 is not None and self._crlf is not None:
            point = self._utf16[pos]
            if side == "end" and pos > 0 and self._utf16[pos - 1] == point and pos < len(self._utf16) - 1:
                point += 1  # an end between the two halves of a surrogate pair includes the character
            pos = self._crlf.to_source(point, side=side)
        for mapping in self._maps:
            pos = mapping.to_target(pos, side=side)
        return pos


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


def _serialise(root: etree._Element) -> bytes:
    # The declaration as the QDA tools write it (lxml's own uses single quotes).
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _dt(value: datetime) -> str:
    """xsd:dateTime in UTC with a Z; fractions of a second only when there are any.

    Naive values are UTC already (SQLite hands back the UTC times codebench stored).
    """
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _variable_text(kind: str, value: Any) -> tuple[str, str]:
    if kind == "Boolean":
        return "BooleanValue", "true" if value else "false"
    if kind == "Integer":
        return "IntegerValue", str(int(value))
    if kind == "Float":
        return "FloatValue", format(Decimal(repr(float(value))), "f")
    return "TextValue", _clean(str(value))


class _Writer:
    """Builds QDA-XML elements in one namespace."""

    def __init__(self, namespace: str) -> None:
        self.ns = namespace
        self._tags: dict[str, str] = {}

    def tag(self, name: str) -> str:
        found = self._tags.get(name)
        if found is None:
            found = self._tags[name] = f"{{{self.ns}}}{name}"
        return found

    def add(self, parent: etree._Element, tag: str, text: str | None = None, /, **attrs: str | None) -> etree._Element:
        element = etree.SubElement(parent, self.tag(tag))
        for key, value in attrs.items():
            if value is not None:
                element.set(key, value)
        if text is not None:
            element.text = _clean(text)
        return element

    def code(self, parent: etree._Element, code: QdaCode, *, note_refs: bool) -> None:
        element = self.add(parent, "Code", guid=code.guid, name=_clean(code.name), isCodable="true" if code.codable else "false",
                           color=code.colour if code.colour and _COLOUR.match(code.colour) else None)
        if code.description:
            self.add(element, "Description", code.description)
        if note_refs:
            for guid in code.note_guids:
                self.add(element, "NoteRef", targetGUID=guid)
        for child in code.children:
            self.code(element, child, note_refs=note_refs)

    def values(self, parent: etree._Element, values: dict[str, Any], kinds: dict[str, str]) -> None:
        for guid, value in values.items():
            if value is None:
                continue
            holder = self.add(parent, "VariableValue")
            self.add(holder, "VariableRef", targetGUID=guid)
            name, text = _variable_text(kinds.get(guid, "Text"), value)
            self.add(holder, name, text)


def project_xml(project: QdaProject) -> bytes:
    """The ``project.qde`` document (UTF-8, no BOM) for ``project``; valid against Project.xsd."""
    w = _Writer(PROJECT_NS)
    root = etree.Element(w.tag("Project"), nsmap={None: PROJECT_NS, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", f"{PROJECT_NS} {_PROJECT_XSD}")
    root.set("name", _clean(project.name))
    if project.origin:
        root.set("origin", _clean(project.origin))
    if project.created:
        root.set("creationDateTime", _dt(project.created))
    if project.users:
        users = w.add(root, "Users")
        for user in project.users:
            w.add(users, "User", guid=user.guid, name=_clean(user.name))
    if project.codes:
        codes = w.add(w.add(root, "CodeBook"), "Codes")
        for code in project.codes:
            w.code(codes, code, note_refs=True)
    kinds = {v.guid: v.kind for v in project.variables}
    if project.variables:
        variables = w.add(root, "Variables")
        for variable in project.variables:
            w.add(variables, "Variable", guid=variable.guid, name=_clean(variable.name), typeOfVariable=variable.kind)
    if project.cases:
        cases = w.add(root, "Cases")
        for case in project.cases:
            element = w.add(cases, "Case", guid=case.guid, name=_clean(case.name))
            if case.description:
                w.add(element, "Description", case.description)
            w.values(element, case.values, kinds)
            for guid in case.source_guids:
                w.add(element, "SourceRef", targetGUID=guid)
    selections: list[bytes] = []
    if project.sources:
        sources = w.add(root, "Sources")
        for source in project.sources:
            _source_element(w, sources, source, kinds, selections)
    if project.notes:
        notes = w.add(root, "Notes")
        for note in project.notes:
            element = w.add(notes, "Note", guid=note.guid, name=_clean(note.name) if note.name else None,
                            creatingUser=note.user_guid, creationDateTime=_dt(note.created) if note.created else None)
            w.add(element, "PlainTextContent", note.text)
    for guid in project.note_guids:
        w.add(root, "NoteRef", targetGUID=guid)
    document = _serialise(root)
    return _SPLICE_MARK.sub(lambda m: selections[int(m.group(1))], document) if selections else document


def _source_element(w: _Writer, parent: etree._Element, source: QdaSource, kinds: dict[str, str],
                    selections: list[bytes]) -> None:
    element = w.add(parent, "TextSource", guid=source.guid, name=_clean(source.name),
                    plainTextPath=f"internal://{source.guid}.txt", creatingUser=source.user_guid,
                    creationDateTime=_dt(source.created) if source.created else None)
    if source.codings:
        # The selections are written as text and spliced in after serialising (see project_xml).
        element.append(etree.Comment(f"{_SPLICE}{len(selections)}"))
        selections.append(_selections(source.codings))
    for guid in source.note_guids:
        w.add(element, "NoteRef", targetGUID=guid)
    w.values(element, source.values, kinds)


_SPLICE = "selections:"
_SPLICE_MARK = re.compile(rb"<!--selections:(\d+)-->")


def _attr(value: str) -> str:
    return _clean(value).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _text(value: str) -> str:
    return _clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _selections(codings: Sequence[QdaCoding]) -> bytes:
    """PlainTextSelection elements, one coding each, as pretty-printed XML inside a TextSource.

    An export holds one per coding (50,000 in the benchmark); formatting them as text takes a
    tenth of the time of building them as lxml elements.
    """
    indent = "\n      "
    parts = []
    for coding in sorted(codings, key=lambda c: (c.start, c.end, c.guid)):
        user = f' creatingUser="{_attr(coding.user_guid)}"' if coding.user_guid else ""
        when = f' creationDateTime="{_dt(coding.created)}"' if coding.created else ""
        memo = f"{indent}  <Description>{_text(coding.memo)}</Description>" if coding.memo else ""
        selection = coding.selection_guid or derived_guid("selection", coding.guid)
        parts.append(
            f'<PlainTextSelection guid="{_attr(selection)}" startPosition="{coding.start}" endPosition="{coding.end}"{user}{when}>'
            f'{memo}{indent}  <Coding guid="{_attr(coding.guid)}"{user}{when}>'
            f'{indent}    <CodeRef targetGUID="{_attr(coding.code_guid)}"/>{indent}  </Coding>{indent}</PlainTextSelection>'
        )
    return indent.join(parts).encode("utf-8")


def codebook_xml(codes: Sequence[QdaCode], origin: str | None) -> bytes:
    """A QDC codebook document; valid against Codebook.xsd when ``codes`` is not empty."""
    w = _Writer(CODEBOOK_NS)
    root = etree.Element(w.tag("CodeBook"), nsmap={None: CODEBOOK_NS})
    if origin:
        root.set("origin", _clean(origin))
    holder = w.add(root, "Codes")
    for code in codes:
        w.code(holder, code, note_refs=False)
    return _serialise(root)


def _replace_atomically(path: Path, write: Any, *, private: bool = False) -> None:
    """Write to a temporary file beside ``path`` and move it into place: never a half file.

    Args:
        private: create the file readable by its owner only (exports with identifiable text).
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666))
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_qdpx(project: QdaProject, path: str | Path, *, private: bool = False) -> None:
    """Write ``project`` as a QDPX archive: ``project.qde`` and ``sources/<guid>.txt``.

    Args:
        private: the file is readable by its owner only (set for original, unanonymised text).
    """
    document = project_xml(project)

    def write(target: Path) -> None:
        # Level 1: a third of the time of the default for a file a fifth bigger.
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("project.qde", document)
            for source in project.sources:
                archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))

    _replace_atomically(Path(path), write, private=private)


def write_qdc(codes: Sequence[QdaCode], path: str | Path, origin: str | None) -> None:
    """Write a QDC codebook file."""
    document = codebook_xml(codes, origin)
    _replace_atomically(Path(path), lambda target: Path(target).write_bytes(document))


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def counts_utf16_over_crlf(origin: str | None) -> bool:
    """True for tools known to count UTF-16 units over CRLF text (NVivo for Windows)."""
    lowered = (origin or "").casefold()
    return "nvivo" in lowered and "mac" not in lowered


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
            colour=colour if _COLOUR.match(colour) else None, description=element.findtext("Description"),
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
        data = read_member(self.members.archive, member, self.path, MAX_FILE_BYTES)
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
