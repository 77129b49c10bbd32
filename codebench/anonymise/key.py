"""The pseudonym key: which original names stand behind which pseudonyms.

Kept apart from the coding database, in a YAML file readable by its owner only (mode 0600, in a
0700 folder), by default under ``$XDG_DATA_HOME/codebench/keys/`` (``~/.local/share/...``) —
outside the project folder, so copying or zipping a project never takes the key along.
``CODEBENCH_KEY_DIR`` moves it (for example to an encrypted volume).  Exports and merges never
read it.  It also holds the names the researcher added by hand, which must be searched for in
documents imported later.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from codebench.domain.yaml_source import load_yaml
from codebench.errors import KeyFileError
from codebench.export.atomic import FileWriteError, write_text_atomically




def key_dir() -> Path:
    """Where key files live."""
    configured = os.environ.get("CODEBENCH_KEY_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "codebench" / "keys"


@dataclass
class PseudonymKey:
    """The key's content: entities (pseudonym, kind, original forms) and added names."""

    key_id: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    known_names: list[dict[str, Any]] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return key_dir() / f"{self.key_id}.yaml"

    def added_names(self, kind: str | None = None) -> list[str]:
        """Names the researcher added and did not take back (undo), optionally of one kind.

        A withdrawn entry stays in the key, so that redo can put it back without the audit log
        ever holding the name.
        """
        return [n["name"] for n in self.known_names
                if not n.get("withdrawn") and (kind is None or n.get("kind") == kind)]

    def added_entries(self) -> list[tuple[str, str]]:
        """(name, kind) of every name the researcher added and did not take back."""
        return [(n["name"], str(n.get("kind") or "PER")) for n in self.known_names if not n.get("withdrawn")]


def load_key(key_id: str) -> PseudonymKey:
    """Read the key (an empty key when none was written yet); loosened permissions are refused."""
    key = PseudonymKey(key_id)
    if not key.path.exists():
        return key
    return read_key_file(key.path, key_id=key_id)


def read_key_file(path: Path, *, key_id: str | None = None) -> PseudonymKey:
    """Read a key file anywhere (one a colleague handed over, or a project's own).

    Args:
        path: the YAML key file.
        key_id: the id to give the key; the file's own ``key_id`` (or its stem) when None.

    Raises:
        KeyFileError: the file is missing, readable by others, not valid YAML or not a key.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the pseudonym key ({exc.strerror})") from None
    if mode & 0o077:
        raise KeyFileError(f"{path}: the pseudonym key is readable by others (mode {mode:o}); run chmod 600 on it")
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the pseudonym key ({exc})") from None
    data = load_yaml(raw, path, error=KeyFileError, message="the pseudonym key is not valid YAML") or {}
    if not isinstance(data, dict) or not isinstance(data.get("entities") or [], list) \
            or not isinstance(data.get("known_names") or [], list):
        raise KeyFileError(f"{path}: not a codebench pseudonym key (no entities / known_names lists)")
    key = PseudonymKey(key_id or str(data.get("key_id") or path.stem))
    key.entities = list(data.get("entities") or [])
    key.known_names = [n for n in data.get("known_names") or [] if isinstance(n, dict) and n.get("name")]
    return key


def save_key(key: PseudonymKey, target: Path | None = None) -> Path:
    """Write the key atomically with owner-only permissions; returns its path.

    Args:
        key: the key.
        target: write a copy here (to move the key to another machine or an encrypted volume)
            instead of to the key folder; the file is owner-only there too.
    """
    destination = key.path if target is None else Path(target)
    folder = destination.parent
    if target is None:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    elif not folder.is_dir():
        raise KeyFileError(f"{destination}: no folder {folder} to write the key copy in")
    body = yaml.safe_dump(
        {"key_id": key.key_id,
         "warning": "Pseudonym key: links pseudonyms to real names. Keep apart from the data; never share.",
         "entities": key.entities, "known_names": key.known_names},
        allow_unicode=True, sort_keys=False,
    )
    # The one atomic writer of the project: the part file is 0600 from its first byte.
    try:
        write_text_atomically(destination, body, private=True)
    except FileWriteError as exc:
        raise KeyFileError(f"{destination}: cannot write the pseudonym key ({exc.reason})") from None
    return destination
