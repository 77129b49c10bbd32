"""Safe opening of zip-based documents (.docx, .odt, .xlsx, later .qdpx).

Checks happen before any XML parser sees the content: a damaged or truncated archive, a zip
bomb (huge declared sizes or absurd compression ratios) and path-traversal member names are
refused with a message naming the file. XML is parsed without entity resolution or network.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from codebench.ingest.base import IngestError

MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 1000


def open_archive(path: Path, kind: str, required: tuple[str, ...]) -> zipfile.ZipFile:
    """Open ``path`` as a zip archive after checking it is complete and not a bomb.

    Args:
        path: the file.
        kind: what the file should be (".docx"), for messages.
        required: member names that must exist.
    """
    if not zipfile.is_zipfile(path):
        raise IngestError(path, f"not a valid {kind} file (damaged or truncated archive)")
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(path, f"not a valid {kind} file ({exc})") from None
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in Path(name).parts:
            raise IngestError(path, f"refused: archive member {name!r} points outside the archive")
        total += info.file_size
        if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO and info.file_size > 1_000_000:
            raise IngestError(path, f"refused: member {name!r} expands {info.file_size // max(info.compress_size, 1)}× (zip bomb?)")
    if total > MAX_UNCOMPRESSED:
        raise IngestError(path, f"refused: the archive expands to {total / 1e6:.0f} MB (zip bomb?)")
    names = {info.filename for info in infos}
    for member in required:
        if member not in names:
            raise IngestError(path, f"not a valid {kind} file: {member} is missing")
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise IngestError(path, f"not a valid {kind} file (damaged archive: {exc})") from None
    if bad is not None:
        raise IngestError(path, f"not a valid {kind} file (damaged member {bad})")
    return archive


def safe_xml(data: bytes, path: Path, member: str) -> etree._Element:
    """Parse XML with entity expansion, DTD loading and network access all off."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(path, f"{member} is not well-formed XML: {exc.msg}", exc.lineno) from None
    if root is None:
        raise IngestError(path, f"{member} is empty")
    return root
