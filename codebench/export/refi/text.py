"""Text as a REFI-QDA file holds it and as codebench stores it, and positions between the two.

The standard counts Unicode code points over the source text; NVivo for Windows counts UTF-16
code units over CRLF text. :class:`SourceText` takes a position as the file counts it to a code
point of the stored text (LF, NFC, no control characters), so nothing past the reader sees
another unit.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from codebench.domain.spans import OffsetMap, Span, apply_replacements, utf16_offsets_to_code_points

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def counts_utf16_over_crlf(origin: str | None) -> bool:
    """True for tools known to count UTF-16 units over CRLF text (NVivo for Windows)."""
    lowered = (origin or "").casefold()
    return "nvivo" in lowered and "mac" not in lowered


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
