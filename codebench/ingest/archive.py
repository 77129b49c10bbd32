"""Safe opening of zip-based documents (.docx, .odt, .xlsx, .qdpx).

Checks happen before any XML parser sees the content: a damaged or truncated archive, a zip
bomb (huge declared sizes or absurd compression ratios) and path-traversal member names are
refused with a message naming the file. XML is parsed without entity resolution or network.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from codebench.ingest.base import MAX_XML_VARIABLE, IngestError, too_large

MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 1000
MAX_MEMBERS = 100_000

# What reading a member can raise besides BadZipFile: encrypted (RuntimeError), an unknown
# compression method (NotImplementedError), corrupt deflate data (zlib.error).
_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zlib.error)


def points_outside(name: str) -> bool:
    """True for member names that would land outside a folder they were extracted to."""
    unified = name.replace("\\", "/")
    parts = unified.split("/")
    return unified.startswith("/") or ".." in parts or (bool(parts) and ":" in parts[0])


def open_archive(path: Path, kind: str, required: tuple[str, ...], *, text_limit: int | None = None) -> zipfile.ZipFile:
    """Open ``path`` as a zip archive after checking it is complete and not a bomb.

    Args:
        path: the file.
        kind: what the file should be (".docx"), for messages.
        required: member names that must exist.
        text_limit: the most each required member and each XML member may unzip to (XML is
            parsed whole, at many times its size); None for no limit beyond the bomb checks.
    """
    if not zipfile.is_zipfile(path):
        raise IngestError(path, f"not a valid {kind} file (damaged or truncated archive)")
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(path, f"not a valid {kind} file ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise IngestError(path, f"refused: the archive holds {len(infos)} files (zip bomb?)")
    total = 0
    for info in infos:
        name = info.filename
        if points_outside(name):
            raise IngestError(path, f"refused: archive member {name!r} points outside the archive")
        total += info.file_size
        if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO and info.file_size > 1_000_000:
            raise IngestError(path, f"refused: member {name!r} expands {info.file_size // max(info.compress_size, 1)}× (zip bomb?)")
    if total > MAX_UNCOMPRESSED:
        raise IngestError(path, f"refused: the archive expands to {total / 1e6:.0f} MB (zip bomb?)")
    sizes = {info.filename: info.file_size for info in infos}
    for member in required:
        if member not in sizes:
            raise IngestError(path, f"not a valid {kind} file: {member} is missing")
    if text_limit is not None:
        # Declared sizes bind: zipfile reads a member no further than its declared size.
        for member, size in sizes.items():
            if size > text_limit and (member in required or member.lower().endswith((".xml", ".rels"))):
                raise IngestError(path, too_large(member, size, text_limit, MAX_XML_VARIABLE))
    try:
        bad = archive.testzip()
    except _READ_ERRORS as exc:
        raise IngestError(path, f"not a valid {kind} file (damaged archive: {exc})") from None
    if bad is not None:
        raise IngestError(path, f"not a valid {kind} file (damaged member {bad})")
    return archive


def read_member(archive: zipfile.ZipFile, member: str, path: Path, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """Read one member, never more than ``limit`` bytes, whatever its header declares.

    Raises:
        IngestError: naming the archive and the member, for any damage, encryption or excess.
    """
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)
    except KeyError:
        raise IngestError(path, f"{member} is missing from the archive") from None
    except _READ_ERRORS as exc:
        raise IngestError(path, f"cannot read {member} from the archive ({exc})") from None
    if len(data) > limit:
        raise IngestError(path, f"refused: {member} expands beyond {limit / 1e6:.0f} MB (zip bomb?)")
    return data


_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")


def safe_xml(data: bytes, path: Path, member: str, *, forbid_dtd: bool = False) -> etree._Element:
    """Parse XML with entity expansion, DTD loading and network access all off.

    Args:
        forbid_dtd: refuse any document type declaration. libxml2 still expands internal
            entities inside attribute values, so formats that never need a DTD (QDPX) refuse one.
    """
    if forbid_dtd and _DTD.search(data):
        raise IngestError(path, f"refused: {member} declares a DTD or entities (XML entity expansion attack?)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(path, f"{member} is not well-formed XML: {exc.msg}", exc.lineno) from None
    if root is None:
        raise IngestError(path, f"{member} is empty")
    if forbid_dtd and root.getroottree().docinfo.internalDTD is not None:  # e.g. a UTF-16 document
        raise IngestError(path, f"refused: {member} declares a DTD or entities (XML entity expansion attack?)")
    return root
