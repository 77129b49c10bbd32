"""The one atomic file writer (codebench.export.atomic): all or nothing, owner-only while unfinished."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Iterator

import pytest

from codebench.errors import ServiceError
from codebench.export.atomic import FileWriteError, write_atomically, write_text_atomically


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which an ordinary file is readable by everyone."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.part")) + sorted(folder.glob(".*.part"))


def test_the_temporary_file_is_owner_only_whatever_the_umask(tmp_path: Path, umask_022: None) -> None:
    seen: list[tuple[Path, int]] = []

    def write(part: Path) -> str:
        seen.append((part, _mode(part)))
        part.write_text("Kari Nordmann sa ...", encoding="utf-8")
        return "done"

    target = tmp_path / "matrix.md"
    assert write_atomically(target, write, private=False) == "done"
    ((part, mode),) = seen
    assert part.parent == tmp_path and part.name.endswith(".part") and part != target
    assert mode == 0o600
    assert target.read_text(encoding="utf-8") == "Kari Nordmann sa ..."
    assert _mode(target) == 0o644  # shareable, as any file the umask allows
    assert _parts(tmp_path) == []


def test_a_private_target_is_owner_only(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "original.md"
    write_text_atomically(target, "Kari Nordmann\r\n", private=True)
    assert _mode(target) == 0o600
    assert target.read_bytes() == b"Kari Nordmann\r\n"  # line ends as given


def test_replacing_a_shared_file_with_a_private_one_makes_it_owner_only(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "export.md"
    write_text_atomically(target, "anonymisert", private=False)
    assert _mode(target) == 0o644
    write_text_atomically(target, "original", private=True)
    assert (target.read_text(encoding="utf-8"), _mode(target)) == ("original", 0o600)


def test_a_failing_writer_leaves_no_part_and_the_old_target_intact(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"the earlier export")

    def half_then_crash(part: Path) -> None:
        part.write_bytes(b"half a fi")
        raise RuntimeError("simulated crash")

    with pytest.raises(RuntimeError, match="simulated crash"):
        write_atomically(target, half_then_crash, private=True)
    assert target.read_bytes() == b"the earlier export"
    assert _parts(tmp_path) == []


def test_an_os_error_is_one_line_naming_the_target(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("earlier", encoding="utf-8")

    def disk_full(part: Path) -> None:
        part.write_text("some", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(FileWriteError) as caught:
        write_atomically(target, disk_full, private=False)
    assert isinstance(caught.value, ServiceError)
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert (caught.value.path, caught.value.reason) == (target, "No space left on device")
    assert target.read_text(encoding="utf-8") == "earlier"
    assert _parts(tmp_path) == []


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "file.md"
    with pytest.raises(FileWriteError, match=r"cannot write .*file\.md: No such file or directory"):
        write_text_atomically(target, "x", private=False)
    assert not (tmp_path / "no").exists()


def test_a_stale_part_of_a_killed_run_is_removed_on_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "project.qdpx"
    stale = tmp_path / ".project.qdpx.0123abcd.part"
    stale.write_bytes(b"left by a run that was killed")
    other = tmp_path / ".other.qdpx.0123abcd.part"  # another target's: not ours to touch
    other.write_bytes(b"someone else's")
    unrelated = tmp_path / ".project.qdpx.notes.part"  # not a name the writer makes
    unrelated.write_bytes(b"keep")
    write_text_atomically(target, "new", private=False)
    assert not stale.exists()
    assert other.exists() and unrelated.exists()
    assert target.read_text(encoding="utf-8") == "new"


def test_a_part_that_a_running_writer_holds_is_not_removed(tmp_path: Path) -> None:
    target = tmp_path / "project.qdpx"
    kept: list[bool] = []

    def nested(part: Path) -> None:
        # A second export of the same file while the first is still writing.
        write_text_atomically(target, "second", private=False)
        kept.append(part.exists())
        part.write_text("first", encoding="utf-8")

    write_atomically(target, nested, private=False)
    assert kept == [True]
    assert target.read_text(encoding="utf-8") == "first"  # the later rename wins, as in any race
    assert _parts(tmp_path) == []
