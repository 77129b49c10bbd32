"""The one way codebench writes an export file: all of it or none of it, owner-only while unfinished.

Every writer (XLSX, DOCX, Markdown, CSV, HTML, REFI-QDA) writes to a temporary file beside the
target and moves it into place with :func:`os.replace`, so a crash, a full disk or a killed
process never leaves a half-written export under the target's name, and a failed write leaves
the earlier file as it was.

The temporary file is created readable by its owner only whatever the umask: an export of the
original transcripts holds identifiable text from its first byte. The finished file stays
owner-only when ``private`` is set (exports with original text, like the pseudonym key); otherwise
it gets the mode an ordinary ``open()`` would have given it.
"""

from __future__ import annotations

import os
import re
import threading
import uuid
from pathlib import Path
from typing import Callable, TypeVar

from codebench.errors import ServiceError

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be removed there, which protects it as well
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

_OWNER_ONLY = 0o600
_PART = re.compile(r"\.[0-9a-f]{8}\.part")
_UMASK_LOCK = threading.Lock()


class FileWriteError(ServiceError):
    """An export file could not be written; the target is unchanged and no temporary file is left.

    Attributes:
        path: the file that was to be written.
        reason: the operating system's reason, e.g. ``"Permission denied"``.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


def _part_path(target: Path) -> Path:
    """A fresh name for the temporary file of ``target``: hidden, beside it, ending in ``.part``.

    Beside the target so that :func:`os.replace` is a rename within one file system.
    """
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")


def write_atomically(target: str | Path, write: Callable[[Path], T], *, private: bool) -> T:
    """Run ``write(temporary path)`` and move the file onto ``target`` only if it succeeds.

    Args:
        target: the file to create or replace.
        write: writes the whole file at the path it is given and may return a value.
        private: the finished file is readable by its owner only (exports with original text);
            otherwise it gets the usual mode (``0o666`` less the umask).

    Returns:
        What ``write`` returned.

    Raises:
        FileWriteError: one line naming ``target`` when the operating system refuses (no such
            folder, no permission, disk full); the target is then unchanged.
    """
    target = Path(target)
    _remove_stale_parts(target)
    temporary = _part_path(target)
    descriptor: int | None = None
    try:
        descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL, _OWNER_ONLY)
        # The umask can only take bits away, but one that takes the owner's write bit would
        # leave a file the writer cannot fill: set the mode outright.
        os.chmod(temporary, _OWNER_ONLY)
        if fcntl is not None:
            # Held until the file is in place: tells a later cleanup this part is not stale.
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.close(descriptor)
            descriptor = None
        result = write(temporary)
        if not private:
            os.chmod(temporary, _shared_mode())
        _sync(temporary, descriptor)
        os.replace(temporary, target)
        _sync_folder(target.parent)
    except OSError as exc:
        _discard(temporary, descriptor)
        raise FileWriteError(target, exc.strerror or str(exc)) from None
    except BaseException:
        _discard(temporary, descriptor)
        raise
    if descriptor is not None:
        os.close(descriptor)
    return result


def write_text_atomically(target: str | Path, text: str, *, private: bool) -> None:
    """Write ``text`` as UTF-8 to ``target`` with :func:`write_atomically`, line ends as given.

    Raises:
        FileWriteError: as :func:`write_atomically`.
    """
    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(text)

    write_atomically(target, write, private=private)


def _remove_stale_parts(target: Path) -> None:
    """Remove temporary files of ``target`` that an earlier, killed run left behind.

    A part whose writer is still running is locked by it and kept (two exports of one file at
    the same moment must not remove each other's work).
    """
    prefix = f".{target.name}"
    try:
        candidates = [p for p in target.parent.iterdir()
                      if p.name.startswith(prefix) and _PART.fullmatch(p.name[len(prefix):])]
    except OSError:
        return  # no such folder: the write itself reports it
    for candidate in candidates:
        try:
            descriptor = os.open(candidate, os.O_RDONLY)
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            candidate.unlink(missing_ok=True)
        except OSError:
            pass  # locked by a live writer, or not ours to remove
        finally:
            os.close(descriptor)


def _shared_mode() -> int:
    """``0o666`` less the process umask: the mode a plain ``open()`` would have given the file."""
    try:
        # Linux reports the umask without changing it; os.umask can only read it by setting it.
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return 0o666 & ~mask


def _sync(path: Path, descriptor: int | None) -> None:
    """Flush the file's data to disk, so that the rename never makes an empty file visible."""
    if descriptor is not None:
        os.fsync(descriptor)
        return
    reopened = os.open(path, os.O_RDONLY)
    try:
        os.fsync(reopened)
    finally:
        os.close(reopened)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; skipped where folders cannot be opened (Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _discard(temporary: Path, descriptor: int | None) -> None:
    if descriptor is not None:
        try:
            os.close(descriptor)
        except OSError:
            pass
    try:
        temporary.unlink(missing_ok=True)
    except OSError:
        pass


__all__ = ["FileWriteError", "write_atomically", "write_text_atomically"]
