"""OpenDocument .odt transcripts (LibreOffice), read straight from content.xml.

Paragraphs and headings become lines; ``text:s`` runs of spaces, tabs and line breaks are
expanded; two-column table rows become ``label<TAB>text``; a leading span in a bold automatic
style is taken as the speaker label, as in Word files.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from codebench.ingest.archive import open_archive, safe_xml
from codebench.ingest.base import ImportedDocument, IngestError, max_xml_bytes, read_limited
from codebench.ingest.speakers import bold_label
from codebench.ingest.text import document_from_lines

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}
_T = "{%s}" % _NS["text"]
_TABLE = "{%s}" % _NS["table"]


def _bold_styles(root: etree._Element) -> set[str]:
    names: set[str] = set()
    for style in root.iterfind(".//style:style", _NS):
        props = style.find("style:text-properties", _NS)
        if props is not None and props.get("{%s}font-weight" % _NS["fo"]) in {"bold", "700", "800", "900"}:
            names.add(style.get("{%s}name" % _NS["style"], ""))
    return names


def _inline_text(element: etree._Element, bold: set[str], lead: list[str] | None) -> str:
    """Text of a paragraph; appends leading bold text to ``lead`` while it lasts."""
    parts: list[str] = []
    collecting = lead is not None

    def visit(node: etree._Element, in_bold: bool) -> None:
        nonlocal collecting
        if node.text:
            parts.append(node.text)
            if collecting and lead is not None:
                if in_bold:
                    lead.append(node.text)
                elif node.text.strip():
                    collecting = False
        for child in node:
            tag = child.tag
            if tag == _T + "s":
                parts.append(" " * int(child.get(_T + "c", "1")))
            elif tag == _T + "tab":
                parts.append("\t")
            elif tag == _T + "line-break":
                parts.append("\n")
            elif tag in {_T + "note", _T + "annotation"}:
                pass  # footnotes and comments are not part of the spoken text
            else:
                child_bold = in_bold or child.get(_T + "style-name") in bold
                visit(child, child_bold)
            if child.tail:
                parts.append(child.tail)
                if collecting and lead is not None and child.tail.strip() and not in_bold:
                    collecting = False

    visit(element, element.get(_T + "style-name") in bold)
    return "".join(parts)


def import_odt(path: Path) -> ImportedDocument:
    """Import an .odt transcript."""
    read_limited(path)
    with open_archive(path, ".odt", ("content.xml",), text_limit=max_xml_bytes()) as archive:
        root = safe_xml(archive.read("content.xml"), path, "content.xml")
    body = root.find("office:body/office:text", _NS)
    if body is None:
        raise IngestError(path, "not a text document (content.xml has no office:text)")
    bold = _bold_styles(root)
    lines: list[str] = []
    hints: dict[int, tuple[str, int]] = {}
    notes: list[str] = []
    for element in body.iter(_T + "p", _T + "h", _TABLE + "table-row"):
        if element.tag == _TABLE + "table-row":
            cells = [
                " ".join(_inline_text(p, bold, None) for p in cell.iter(_T + "p")).strip()
                for cell in element.iterfind("table:table-cell", _NS)
            ]
            if len(cells) == 2 and cells[0] and cells[1]:
                hints[len(lines)] = (cells[0].rstrip(":").strip(), len(cells[0]) + 1)
            lines.append("\t".join(cells))
            continue
        if any(a.tag == _TABLE + "table-cell" for a in element.iterancestors()):
            continue  # read with its row
        lead: list[str] = []
        text = _inline_text(element, bold, lead)
        found = bold_label(text, "".join(lead))
        if found:
            hints[len(lines)] = found
        lines.extend(text.split("\n"))
    return document_from_lines(path, "odt", lines, hints, notes)
