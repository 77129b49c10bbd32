"""Decoding transcript bytes: UTF-8 (with or without BOM), UTF-16, cp1252.

The rules are deliberately simple and deterministic, so a researcher can predict them and the
note stored with the document says exactly what was done.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from codebench.ingest.base import IngestError

# Bytes that are undefined in Windows-1252; seeing them means the file is not cp1252 text.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def decode_bytes(data: bytes, file: str | Path, notes: list[str]) -> str:
    """Decode transcript bytes and record the decision in ``notes``.

    Raises:
        IngestError: for binary data, or bytes that fit none of the supported encodings.
    """
    if data.startswith(codecs.BOM_UTF8):
        notes.append("encoding: UTF-8 with BOM (BOM removed)")
        return _strict(data[3:], "utf-8", file)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        notes.append("encoding: UTF-16 with BOM")
        return _strict(data, "utf-16", file)
    sample = data[:4096]
    if sample and sample.count(0) > len(sample) // 4:
        # UTF-16 without BOM: every other byte of Latin text is NUL.
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        if odd_nuls > len(sample) // 3 and even_nuls == 0:
            notes.append("encoding: UTF-16-LE without BOM")
            return _strict(data, "utf-16-le", file)
        if even_nuls > len(sample) // 3 and odd_nuls == 0:
            notes.append("encoding: UTF-16-BE without BOM")
            return _strict(data, "utf-16-be", file)
        raise IngestError(file, "this looks like a binary file, not a transcript")
    if b"\x00" in sample:
        raise IngestError(file, "this looks like a binary file, not a transcript (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if any(b in _CP1252_UNDEFINED for b in data):
            line = data[: exc.start].count(b"\n") + 1
            raise IngestError(file, "the text is neither UTF-8 nor Windows-1252; save it as UTF-8 and import again", line) from None
        notes.append("encoding: Windows-1252 (not valid UTF-8)")
        return data.decode("cp1252")
    notes.append("encoding: UTF-8")
    return text


def _strict(data: bytes, encoding: str, file: str | Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(file, f"invalid {encoding.upper()} at byte {exc.start}") from None
