"""Writing REFI-QDA: ``project.qde`` and QDC documents, QDPX archives, all files atomic.

Files written here use code points over LF text, UTF-8 without BOM, ``internal://<guid>.txt``.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from lxml import etree

from codebench.export.atomic import write_atomically
from codebench.export.refi.records import (
    CODEBOOK_NS, HEX_COLOUR, PROJECT_NS, QdaCode, QdaCoding, QdaProject, QdaSource, derived_guid,
)

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_PROJECT_XSD = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
# Characters XML 1.0 cannot carry at all (lxml refuses them); researchers' memos may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

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
                           color=code.colour if code.colour and HEX_COLOUR.match(code.colour) else None)
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
    if project.description:
        w.add(root, "Description", project.description)
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


# What an attribute value cannot hold as it is: GUIDs (four per coding) almost never do.
_NOT_PLAIN_ATTR = re.compile('[&<"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _attr(value: str) -> str:
    if not _NOT_PLAIN_ATTR.search(value):
        return value
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
    # A handful of coders and a few hundred codes: each one's attribute is written once.
    users: dict[str, str] = {}
    code_refs: dict[str, str] = {}
    for coding in sorted(codings, key=lambda c: (c.start, c.end, c.guid)):
        user = ""
        if coding.user_guid:
            user = users.get(coding.user_guid) or users.setdefault(
                coding.user_guid, f' creatingUser="{_attr(coding.user_guid)}"')
        when = f' creationDateTime="{_dt(coding.created)}"' if coding.created else ""
        memo = f"{indent}  <Description>{_text(coding.memo)}</Description>" if coding.memo else ""
        selection = coding.selection_guid or derived_guid("selection", coding.guid)
        code_ref = code_refs.get(coding.code_guid) or code_refs.setdefault(
            coding.code_guid, f'{indent}    <CodeRef targetGUID="{_attr(coding.code_guid)}"/>{indent}  </Coding>')
        parts.append(
            f'<PlainTextSelection guid="{_attr(selection)}" startPosition="{coding.start}" endPosition="{coding.end}"{user}{when}>'
            f'{memo}{indent}  <Coding guid="{_attr(coding.guid)}"{user}{when}>'
            f'{code_ref}{indent}</PlainTextSelection>'
        )
    return indent.join(parts).encode("utf-8")


def codebook_xml(codes: Sequence[QdaCode], origin: str | None, notice: str | None = None) -> bytes:
    """A QDC codebook document; valid against Codebook.xsd when ``codes`` is not empty.

    Args:
        notice: a line for whoever opens the file (an anonymisation not finished), written as a
            comment before the root: Codebook.xsd has no place for a description of the book.
    """
    w = _Writer(CODEBOOK_NS)
    root = etree.Element(w.tag("CodeBook"), nsmap={None: CODEBOOK_NS})
    if origin:
        root.set("origin", _clean(origin))
    holder = w.add(root, "Codes")
    for code in codes:
        w.code(holder, code, note_refs=False)
    document = _serialise(root)
    if notice:
        # "--" may not occur inside an XML comment.
        comment = etree.tostring(etree.Comment(" " + _clean(notice).replace("--", "- -") + " "), encoding="UTF-8")
        document = document.replace(_DECLARATION, _DECLARATION + comment + b"\n", 1)
    return document


def write_qdpx(project: QdaProject, path: str | Path, *, private: bool = False) -> None:
    """Write ``project`` as a QDPX archive: ``project.qde`` and ``sources/<guid>.txt``.

    Args:
        private: the file is readable by its owner only (set for original, unanonymised text).

    Raises:
        FileWriteError: naming ``path`` when it cannot be written; an earlier file stays as it was.
    """
    document = project_xml(project)

    def write(target: Path) -> None:
        # Level 1: a third of the time of the default for a file a fifth bigger.
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("project.qde", document)
            for source in project.sources:
                archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))

    write_atomically(path, write, private=private)


def write_qdc(codes: Sequence[QdaCode], path: str | Path, origin: str | None, notice: str | None = None) -> None:
    """Write a QDC codebook file (codes and definitions only, so not owner-only).

    Args:
        notice: see :func:`codebook_xml`.

    Raises:
        FileWriteError: naming ``path`` when it cannot be written; an earlier file stays as it was.
    """
    document = codebook_xml(codes, origin, notice)
    write_atomically(path, lambda target: target.write_bytes(document), private=False)
