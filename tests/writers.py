"""Writers of real transcript files in the shapes researchers have, for tests and the sample corpus.

Each writer takes a list of turns ``(label or None, text)`` and writes one file the way the
named tool or typist would. ``corpora/sample/build.py`` uses them too, so the sample corpus and
the test fixtures come from one place.
"""

from __future__ import annotations

import html
import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any, Sequence
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


def timed_segments(turns: Sequence[Turn], *, max_words: int = 22, pace: float = 0.36,
                   gap: float = 0.8) -> list[tuple[str | None, float, float, str, list[tuple[str, float, float]]]]:
    """ASR-style segments ``(speaker, start, end, text, [(word, start, end)])`` at a steady pace.

    Each turn is cut at sentence ends into segments of at most ``max_words`` words (a longer
    sentence is one segment); words are ``pace`` seconds apart and a speaker change leaves ``gap``.
    """
    segments = []
    clock = 0.6
    for label, text in turns:
        sentences = [s for s in re.split(r"(?<=[.!?…])\s+", text.strip()) if s]
        groups: list[list[str]] = []
        for sentence in sentences:
            words = sentence.split()
            if groups and len(groups[-1]) + len(words) <= max_words:
                groups[-1].extend(words)
            else:
                groups.append(words)
        for words in groups:
            start = clock
            timed = []
            for word in words:
                timed.append((word, round(clock, 3), round(clock + pace - 0.06, 3)))
                clock += pace
            segments.append((label, round(start - 0.12, 3), round(clock + 0.05, 3), " ".join(words), timed))
            clock += 0.3
        clock += gap
    return segments


def write_whisperx_json(path: Path, turns: Sequence[Turn], *, language: str = "no") -> None:
    """WhisperX JSON (``whisperx --diarize --output_format json``): segments with a speaker and
    timed words; words with digits stay untimed, as WhisperX's aligner leaves them."""
    segments = []
    for n, (label, start, end, text, words) in enumerate(timed_segments(turns)):
        out_words = []
        for k, (word, w_start, w_end) in enumerate(words):
            if any(c.isdigit() for c in word):
                out_words.append({"word": word})
            else:
                entry: dict[str, Any] = {"word": word, "start": w_start, "end": w_end,
                                         "score": round(0.62 + 0.37 * ((n * 7 + k * 13) % 17) / 16, 3)}
                if label:
                    entry["speaker"] = label
                out_words.append(entry)
        segment: dict[str, Any] = {"start": start, "end": end, "text": " " + text, "words": out_words}
        if label:
            segment["speaker"] = label
        segments.append(segment)
    # WhisperX dumps the whole result on one line; one segment a line keeps the file readable.
    body = ",\n".join(json.dumps(segment, ensure_ascii=False) for segment in segments)
    path.write_text(f'{{"segments": [\n{body}\n], "language": {json.dumps(language)}}}\n', encoding="utf-8")


def _noscribe_head(audio: str) -> str:
    return (f'<head><meta charset="UTF-8"><meta name="audio_source" content="C:/opptak/{html.escape(audio)}">'
            '<meta name="qrichtext" content="1"><title>Skjult tittel</title>'
            '<style type="text/css">p { margin: 0 } .x::after { content: "stiltekst" }</style>'
            '<script>var hemmelig = "skripttekst";</script></head>')


def write_noscribe(path: Path, segments: Sequence[tuple[str, int, int, str]], *, timestamps: bool = False,
                   labels: bool = True, title: str = "Intervju 3", audio: str = "intervju3.mp3") -> None:
    """A file in the shape of noScribe's HTML: one <p> per speaker turn, one ts anchor per segment.

    ``segments`` are ``(speaker, start_ms, end_ms, text)``; consecutive segments of one speaker share
    a paragraph, and the first shows the label (``S01: ``) and, optionally, a ``[hh:mm:ss]`` stamp.
    """
    paragraphs: list[str] = []
    current: str | None = None
    for speaker, start, end, text in segments:
        opening = ""
        if speaker != current:
            if timestamps:
                s = start // 1000
                opening += f'<span style="color:#78909c">[{s // 3600:02}:{s // 60 % 60:02}:{s % 60:02}]</span> '
            if labels:
                opening += f"{speaker}: "
            paragraphs.append("")
            current = speaker
        else:
            opening = " "
        paragraphs[-1] += (f'<a name="ts_{start}_{end}_{speaker}"><span style="font-family:Arial">'
                           f"{opening}{html.escape(text)}</span></a>")
    body = (f'<p style="font-weight:600;"><span>{html.escape(title)}</span></p>\n'
            f'<p style="color:#909090;font-size:0.8em">(Transkribert med noScribe vers. 0.6 – lydkilde: {html.escape(audio)})</p>\n'
            + "\n".join(f"<p>{p}</p>" for p in paragraphs))
    path.write_text(f"<!DOCTYPE html>\n<html>{_noscribe_head(audio)}\n<body>\n{body}\n</body></html>\n", encoding="utf-8")


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


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), so æøå come out as a reader sees them."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252"):
        if byte in b"\\()":
            out += b"\\" + bytes([byte])
        elif byte >= 0x80:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def _pdf_page_stream(lines: Sequence[str], header: str | None, number: int | None) -> bytes:
    """One page's content: header at the top, body lines 14 pt apart, the page number at the bottom.

    An empty string in ``lines`` leaves one line of vertical space (how a paragraph gap looks in a PDF).
    """
    ops: list[bytes] = []
    if header:
        ops.append(b"BT /F1 9 Tf 72 800 Td " + _pdf_string(header) + b" Tj ET")
    if lines:
        ops.append(b"BT /F1 11 Tf 14 TL 72 760 Td")
        for line in lines:
            ops.append((_pdf_string(line) + b" Tj T*") if line else b"T*")
        ops.append(b"ET")
    if number is not None:
        ops.append(b"BT /F1 9 Tf 290 40 Td " + _pdf_string(str(number)) + b" Tj ET")
    if not ops:
        # A scanned page: one image drawn over the page and no text operators.
        ops.append(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
    return b"\n".join(ops) + b"\n"


def write_pdf(path: Path, pages: Sequence[Sequence[str]], *, title: str | None = None,
              header: str | None = None, page_numbers: bool = True) -> None:
    """PDF report with a text layer: each page is a list of lines (``""`` = a blank line of space).

    Helvetica with WinAnsiEncoding; ``header`` repeats at the top of every page and, with
    ``page_numbers``, a lone number sits at the bottom. A page with no lines (and no header or
    number) has no text at all, like a scanned page.
    """
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree's number is known
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    scan = add(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    kids = []
    for n, lines in enumerate(pages, 1):
        stream = _pdf_page_stream(lines, header if lines else None, n if page_numbers and lines else None)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (pages_obj, content, font, scan)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = (b"<< /Type /Pages /Count %d /Kids [" % len(kids)
                              + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")
    # The info dictionary holds a text string (PDFDocEncoding or UTF-16BE), not WinAnsi page text.
    info = add(b"<< /Title <" + ("\ufeff" + title).encode("utf-16-be").hex().upper().encode() + b"> >>") if title else None

    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    data += (b" /Info %d 0 R" % info if info else b"") + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(data))


def lay_out_pages(paragraphs: Sequence[str], *, lines_per_page: int = 48, width: int = 90,
                  keep_headings: bool = False) -> list[list[str]]:
    """Wrap paragraphs into page lines the way a word processor would, a blank line between them.

    Paragraphs run on over page breaks; a word longer than what is left on a line is split with a
    hyphen at the line end when the line is less than two-thirds full (so dehyphenation has work).
    With ``keep_headings``, a heading (a short one-line paragraph without a full stop) that would
    fall on a page's last two lines moves to the next page ("keep with next"), as in Word.
    """
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        heading = len(paragraph) < width // 2 and not paragraph.rstrip().endswith((".", ":", "!", "?", "»", ")"))
        if keep_headings and heading and len(lines) % lines_per_page >= lines_per_page - 2:
            lines.extend([""] * (lines_per_page - len(lines) % lines_per_page))
        line = ""
        for word in paragraph.split():
            if not line:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            elif len(line) < width * 2 // 3 and len(word) >= 8 and word[:4].isalpha():
                room = max(3, min(len(word) - 3, width - len(line) - 2))
                lines.append(f"{line} {word[:room]}-")
                line = word[room:]
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
    return [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
