"""HTML transcripts: noScribe's editor format, and any HTML with one paragraph per turn.

The noScribe shape (as its editor saves it)::

    <html><head><meta name="audio_source" content="..."><style>...</style></head>
    <body><p><span style="font-weight:600">title</span></p>
    <p><span style="color:#909090">Transcribed with noScribe vers. 0.5<br>Audio source: intervju 4.m4a</span></p>
    <p><a name="ts_0_4500_S01"><span>[00:00:00] </span>S01: words</a><a name="ts_4500_7900_S01">more</a></p>

The lines before the first timed paragraph are noScribe's header, not speech: they go to the
document's metadata (``meta["header"]``: title, the noScribe version, the audio file's name),
never into its text, where a tester found them as a speaker "Audio source" and a person.

Block elements (``<p>``, headings, list items, ``<div>``) are lines, ``<br>`` breaks a line, only
visible body text is kept (never ``<head>``, ``<style>``, ``<script>``, hidden elements). Speaker
labels are found by :mod:`codebench.ingest.speakers` as for text files, with a bold opening
(``<b>Kari:</b>``) taken as the label as in Word files. Turn times come from the ``ts_START_END``
anchors (milliseconds); without anchors, from ``[00:01:23]`` timestamps in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from codebench.ingest.base import ImportedDocument, IngestError, normalise_text, read_limited
from codebench.ingest.encoding import decode_bytes
from codebench.ingest.speakers import bold_label
from codebench.ingest.text import document_from_lines

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dt", "dd",
           "section", "article", "header", "footer", "table", "ul", "ol", "body", "hr"}
_INVISIBLE = {"head", "script", "style", "noscript", "template", "title", "meta", "link", "object", "iframe", "svg"}
_BOLD = {"b", "strong"}
_TS_ANCHOR = re.compile(r"^ts_(\d+)_(\d+)(?:_(.*))?$")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# HTML never needs entity declarations; a DOCTYPE with an internal subset is how entity bombs
# and external entities arrive, so such a file is refused before any parser sees it.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_LABEL_START = re.compile(r"^(?:\[[\d:.,]+\]\s*)?[^\W\d_][\w.'’ \-]{0,40}:")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# A recording's file name at the end of a header line ("Audio source: intervju 4.m4a",
# "(… lydkilde: intervju3.mp3)"); the extensions of services.media (ingest cannot import it).
_AUDIO_FILE = re.compile(r"[^:/\\]+\.(?:m4a|mp3|wav|ogg|opus|flac|aac|wma|mp4|m4v|mkv|webm|mov)", re.IGNORECASE)
# "Audio source: intervju 4.m4a", "Audiodatei: …": a field of the header (a time "10:15" is not).
_HEADER_FIELD = re.compile(r"^(?P<key>[^\W\d_][^:]{0,40}?)\s*:\s+(?P<value>.+)$")
# More untimed lines than this before the first timed one are not a header but text whose
# anchors were lost (edited in the editor): they stay in the text.
_HEADER_MAX_LINES = 6


@dataclass
class _Paragraph:
    """One block's visible text, its bold opening, and the ts anchors inside it."""

    pieces: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    leading: bool = True  # still at the paragraph's start: bold text so far may be a label
    times: list[tuple[float, float, str | None]] = field(default_factory=list)

    def add(self, text: str | None, bold: bool) -> None:
        if not text:
            return
        self.pieces.append(text)
        if self.leading:
            if bold:
                self.lead.append(text)
            elif text.strip():
                self.leading = False


def _parse(path: Path, text: str) -> etree._Element:
    declared = _ENTITY_DECLARATION.search(text)
    if declared:
        line = text.count("\n", 0, declared.start()) + 1
        raise IngestError(path, "the file declares entities (<!ENTITY> or a DOCTYPE [...] subset), "
                                "which an HTML transcript never needs; refused for safety", line)
    # lxml refuses a str with an XML encoding declaration; the bytes are already decoded.
    text = _XML_DECLARATION.sub("", text, count=1)
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  recover=True, huge_tree=False, default_doctype=False)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise IngestError(path, f"not a readable HTML file ({exc})") from None
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:
        # The parser stopped early (for instance nesting deeper than 256): the rest would be lost.
        raise IngestError(path, f"the HTML cannot be read to the end ({fatal[0].message.strip()})", fatal[0].line or None)
    return root


def _paragraphs(root: etree._Element) -> list[_Paragraph]:
    """Visible body text cut into blocks, walking the tree without recursion."""
    body = root.find("body")
    if body is None:
        body = root
    paragraphs: list[_Paragraph] = []
    current = _Paragraph()
    hidden = 0  # depth inside invisible elements
    bold = 0

    def flush() -> None:
        nonlocal current
        if "".join(current.pieces).strip():
            paragraphs.append(current)
        current = _Paragraph()

    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        style = element.get("style", "")
        invisible = tag in _INVISIBLE or bool(_HIDDEN_STYLE.search(style)) or element.get("hidden") is not None
        emphasised = tag in _BOLD or bool(_BOLD_STYLE.search(style))
        if event == "start":
            if invisible:
                hidden += 1
            if hidden:
                continue
            if tag in _BLOCKS:
                flush()
            if tag == "br":
                current.add("\n", False)
            anchor = _TS_ANCHOR.match(element.get("name") or element.get("id") or "")
            if anchor:
                speaker = (anchor.group(3) or "").strip() or None
                current.times.append((int(anchor.group(1)) / 1000, int(anchor.group(2)) / 1000, speaker))
            if emphasised:
                bold += 1
            current.add(element.text, bold > 0)
        else:
            if hidden:
                if invisible:
                    hidden -= 1
                if hidden:
                    continue
                current.add(element.tail, bold > 0)
                continue
            if emphasised:
                bold -= 1
            if tag in _BLOCKS:
                flush()
            current.add(element.tail, bold > 0)
    flush()
    return paragraphs


def _collapse(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def import_noscribe_html(path: Path) -> ImportedDocument:
    """Import a noScribe HTML transcript, or any HTML transcript with one paragraph per turn.

    Raises:
        IngestError: for entity declarations, markup the parser cannot read to the end, or a file
            without visible text.
    """
    notes: list[str] = []
    source = normalise_text(decode_bytes(read_limited(path), path, notes), notes)
    root = _parse(path, source)
    noscribe = root.find(".//meta[@name='audio_source']") is not None or root.find(".//a[@name]") is not None
    lines: list[str] = []
    line_times: list[list[tuple[float, float, str | None]]] = []
    hints: dict[int, tuple[str, int]] = {}
    previous_speaker: str | None = None
    paragraphs = _paragraphs(root)
    header = _noscribe_header(paragraphs) if noscribe else None
    if header is not None:
        paragraphs = paragraphs[header.paragraphs:]
    for paragraph in paragraphs:
        parts = [_collapse(part) for part in "".join(paragraph.pieces).split("\n")]
        parts = [part for part in parts if part]
        if not parts:
            continue
        lead = _collapse("".join(paragraph.lead))
        found = bold_label(parts[0], lead) if lead and parts[0].startswith(lead) else None
        speakers = [s for _, _, s in paragraph.times if s]
        if (found is None and speakers and speakers[0] != previous_speaker
                and not _LABEL_START.match(parts[0])):
            # The anchor names a new speaker but the text shows no label: the turn starts here.
            found = (speakers[0], 0)
        if speakers:
            previous_speaker = speakers[-1]
        if found:
            hints[len(lines)] = found
        for part in parts:
            lines.append(part)
            line_times.append(paragraph.times)
    has_anchors = any(line_times)
    if not lines:
        raise IngestError(path, "the HTML holds no visible text")
    document = document_from_lines(path, "noscribe-html" if noscribe and has_anchors else "html", lines, hints, notes)
    if header is not None:
        _keep_header(document, header, root)
    if has_anchors:
        _anchor_times(document, line_times)
    return document


@dataclass
class _Header:
    """noScribe's header: its paragraphs at the top and their lines."""

    paragraphs: int
    lines: list[str]
    bold_first: bool


def _noscribe_header(paragraphs: list[_Paragraph]) -> _Header | None:
    """The paragraphs before the first timed one, when they are few and none is a speaker's turn."""
    first_timed = next((i for i, p in enumerate(paragraphs) if p.times), None)
    if not first_timed:
        return None
    speakers = {s for p in paragraphs for _, _, s in p.times if s}
    lines: list[str] = []
    for paragraph in paragraphs[:first_timed]:
        for part in "".join(paragraph.pieces).split("\n"):
            line = _collapse(part)
            if not line:
                continue
            label = _LABEL_START.match(line)
            if label and line[:label.end() - 1].strip() in speakers:
                return None  # "S01: …" without its anchor: speech, not a header
            lines.append(line)
    if not lines or len(lines) > _HEADER_MAX_LINES:
        return None
    return _Header(first_timed, lines, bool(paragraphs[0].lead))


def _keep_header(document: ImportedDocument, header: _Header, root: etree._Element) -> None:
    """Put noScribe's header into the document's metadata, and note it (by count: it may name people)."""
    values: dict[str, str] = {}
    for n, line in enumerate(header.lines):
        keyed = _HEADER_FIELD.match(line)
        if n == 0 and header.bold_first:
            key, value = "title", line
        elif "noscribe" in line.casefold():
            key, value = "transcribed_with", line
        elif keyed:
            key, value = keyed.group("key").casefold(), keyed.group("value")
        else:
            key, value = f"line {n + 1}", line  # a date, a note: kept as it is
        values[key] = f"{values[key]}; {value}" if key in values else value
        audio = _AUDIO_FILE.search(line.rsplit(":", 1)[-1].strip(" ()[]"))
        if audio and "audio" not in values:
            values["audio"] = audio.group().strip()
    meta = root.find(".//meta[@name='audio_source']")
    if meta is not None and (meta.get("content") or "").strip():
        values["audio_path"] = meta.get("content", "").strip()
    header_meta = document.meta.get("header")
    document.meta["header"] = {**values, **header_meta} if isinstance(header_meta, dict) else values
    # What was taken off the top goes first in "removed", so the text as extracted can be restored.
    document.meta["removed"] = [[0, "\n".join(header.lines) + "\n"], *document.meta.get("removed", [])]
    document.notes.append(f"{len(header.lines)} noScribe header line(s) moved to the document's attributes")


def _anchor_times(document: ImportedDocument, line_times: list[list[tuple[float, float, str | None]]]) -> None:
    """Each turn's time: the earliest anchor start to the latest anchor end on the lines it covers."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in document.text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    # Clean-up may have moved header lines (title, audio source) out of the text; those are
    # always at the start, so the stored lines are the last ones extracted.
    skipped = len(line_times) - len(spans)
    if skipped < 0:
        return
    for turn in document.turns:
        times = [t for (begin, end), ts in zip(spans, line_times[skipped:])
                 if begin < turn.end and end > turn.start for t in ts]
        if times:
            turn.t_start = min(s for s, _, _ in times)
            turn.t_end = max(e for _, e, _ in times)
