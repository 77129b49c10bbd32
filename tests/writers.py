"""Writers of real transcript files in the shapes researchers have, for tests and the sample corpus.

Each writer takes a list of turns ``(label or None, text)`` and writes one file the way the
named tool or typist would. ``corpora/sample/build.py`` uses them too, so the sample corpus and
the test fixtures come from one place.
"""

from __future__ import annotations

import html
import uuid
import zipfile
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape

Turn = tuple[str | None, str]


def write_docx_bold(path: Path, turns: Sequence[Turn], *, title: str | None = None, colon: bool = True) -> None:
    """Word file: one paragraph per turn, the label in a bold run (``I:``), then the words."""
    import docx

    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    for label, text in turns:
        paragraph = document.add_paragraph()
        if label:
            paragraph.add_run(f"{label}:" if colon else label).bold = True
            paragraph.add_run(" " + text)
        else:
            paragraph.add_run(text)
    document.save(str(path))


def write_docx_table(path: Path, turns: Sequence[Turn], *, title: str | None = None) -> None:
    """Word file with a two-column table: speaker | words."""
    import docx

    document = docx.Document()
    if title:
        document.add_paragraph(title)
    table = document.add_table(rows=0, cols=2)
    for label, text in turns:
        cells = table.add_row().cells
        cells[0].text = label or ""
        cells[1].text = text
    document.save(str(path))


def write_docx_tabs(path: Path, turns: Sequence[Turn]) -> None:
    """Word file with ``label<TAB>words`` paragraphs and no bold."""
    import docx

    document = docx.Document()
    for label, text in turns:
        document.add_paragraph(f"{label}\t{text}" if label else text)
    document.save(str(path))


_ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _odt_inline(text: str) -> str:
    """ODF inline markup: runs of spaces as text:s, tabs as text:tab."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\t":
            out.append("<text:tab/>")
        elif ch == " " and i + 1 < len(text) and text[i + 1] == " ":
            j = i
            while j < len(text) and text[j] == " ":
                j += 1
            out.append(" " + (f'<text:s text:c="{j - i - 1}"/>'))
            i = j
            continue
        else:
            out.append(escape(ch))
        i += 1
    return "".join(out)


def write_odt(path: Path, turns: Sequence[Turn], *, title: str | None = None) -> None:
    """OpenDocument text: bold label span (automatic style T1) then the words, one paragraph per turn."""
    paragraphs = []
    if title:
        paragraphs.append(f'<text:h text:outline-level="1">{_odt_inline(title)}</text:h>')
    for label, text in turns:
        if label:
            paragraphs.append(f'<text:p><text:span text:style-name="T1">{escape(label)}:</text:span> {_odt_inline(text)}</text:p>')
        else:
            paragraphs.append(f"<text:p>{_odt_inline(text)}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">'
        '<office:automatic-styles><style:style style:name="T1" style:family="text">'
        '<style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>'
        "<office:body><office:text>" + "".join(paragraphs) + "</office:text></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _ODT_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def _chunks(text: str, words_per_cue: int) -> list[str]:
    words = text.split()
    return [" ".join(words[i : i + words_per_cue]) for i in range(0, len(words), words_per_cue)] or [""]


def _cues(turns: Sequence[Turn], words_per_cue: int, gap: float = 0.4) -> list[tuple[float, float, str | None, str]]:
    """(start, end, speaker, text) cues at a steady speaking rate of 2.5 words per second."""
    cues = []
    clock = 0.5
    for label, text in turns:
        for chunk in _chunks(text, words_per_cue):
            duration = max(1.0, len(chunk.split()) / 2.5)
            cues.append((clock, clock + duration, label, chunk))
            clock += duration + 0.1
        clock += gap
    return cues


def _vtt_time(seconds: float, *, hours: bool = True, old_teams: bool = False) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    if old_teams:
        return f"{h}:{m}:{s}.{ms // 100}"
    if hours or h:
        return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"
    return f"{m:02d}:{s:02d}.{ms:03d}"


def write_vtt(path: Path, turns: Sequence[Turn], style: str, *, words_per_cue: int = 12, header: str = "") -> None:
    """WebVTT in the style of an ASR tool.

    Styles: ``whisper`` (no speakers, no hours), ``whisperx`` (``[SPEAKER_00]: text``),
    ``noscribe`` (``<v S01>text``), ``teams`` (GUID ids, ``<v Name>text</v>``, HTML entities),
    ``teams-old`` (as teams with ``0:0:0.0`` times), ``zoom`` (numbered cues, ``Name: text``).
    """
    lines = ["WEBVTT" + (f" - {header}" if header else ""), ""]
    for n, (start, end, label, text) in enumerate(_cues(turns, words_per_cue), 1):
        old = style == "teams-old"
        timing = f"{_vtt_time(start, hours=style != 'whisper', old_teams=old)} --> {_vtt_time(end, hours=style != 'whisper', old_teams=old)}"
        if style in ("teams", "teams-old"):
            lines.append(f"{uuid.uuid5(uuid.NAMESPACE_URL, f'{path.name}-{n}')}/{n}-0")
            lines.append(timing)
            lines.append(f"<v {label}>{html.escape(text, quote=False)}</v>" if label else html.escape(text, quote=False))
        elif style == "whisperx":
            lines.append(timing)
            lines.append(f"[{label}]: {text}" if label else text)
        elif style == "noscribe":
            lines.append(timing)
            lines.append(f"<v {label}>{text}" if label else text)
        elif style == "zoom":
            lines.append(str(n))
            lines.append(timing)
            lines.append(f"{label}: {text}" if label else text)
        elif style == "whisper":
            lines.append(timing)
            lines.append(text)
        else:
            raise ValueError(f"unknown VTT style {style!r}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def write_srt(path: Path, turns: Sequence[Turn], *, words_per_cue: int = 12) -> None:
    """SubRip with ``Speaker: text`` cues where a speaker is known."""
    lines = []
    for n, (start, end, label, text) in enumerate(_cues(turns, words_per_cue), 1):
        lines.append(str(n))
        lines.append(f"{_vtt_time(start).replace('.', ',')} --> {_vtt_time(end).replace('.', ',')}")
        lines.append(f"{label}: {text}" if label else text)
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def write_txt(path: Path, turns: Sequence[Turn], *, encoding: str = "utf-8", crlf: bool = False,
              bom: bool = False, blank_lines: bool = True) -> None:
    """Plain text ``Label: words`` per turn in the given encoding and line ends."""
    body = ("\n\n" if blank_lines else "\n").join(f"{label}: {text}" if label else text for label, text in turns) + "\n"
    if crlf:
        body = body.replace("\n", "\r\n")
    data = body.encode(encoding)
    if bom:
        data = ("\ufeff".encode(encoding) if encoding.startswith("utf-16") else b"\xef\xbb\xbf") + data
    path.write_bytes(data)
