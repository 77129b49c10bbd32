"""Moving and merging pseudonym keys, as the owner chooses.

A key never travels with a project, a merge or an export: it lives in the owner's key folder.
What a team project needs from its coders' keys is the names they added by hand (so documents
imported later are searched for them too); the key's entities are rewritten from the team's own
decisions. Copying a key elsewhere (another machine, an encrypted volume) keeps it owner-only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from codebench.anonymise.key import PseudonymKey, load_key, read_key_file, save_key
from codebench.anonymise.linking import normalise
from codebench.errors import KeyFileError, ServiceError
from codebench.services.anonymisation.access import pseudonym_key, write_key
from codebench.services.project import CONFIG_NAME, Project, open_project


@dataclass(frozen=True)
class KeySummary:
    """What a key holds, in counts only (a summary never shows a name)."""

    path: Path
    exists: bool
    entities: int
    """Entities in the key file as written (0 while it is not)."""
    added_names: int
    decided: int = 0
    """Entities in the project's decisions: what the key holds once rewritten from them. A merge
    brings decisions but never a key, so after one the file lags until the next decision."""

    @property
    def current(self) -> bool:
        """Whether the file is written and holds every entity of the project's decisions."""
        return self.exists and self.entities == self.decided


@dataclass(frozen=True)
class KeyMerge:
    """The outcome of taking another key's added names into a project's key."""

    path: Path
    names_added: int
    names_known: int


def key_summary(project: Project) -> KeySummary:
    """Where the project's key is, how much it holds, and how many entities the project's decisions hold."""
    key = pseudonym_key(project)
    with project.transaction(write=False) as store:
        decided = len({row.entity_uuid for row in store.anonymisation.key_mentions()})
    return KeySummary(key.path, key.path.exists(), len(key.entities), len(key.added_names()), decided)


def _source_key(source: Path) -> PseudonymKey:
    """The key of a project folder (looked up in this machine's key folder) or a key file."""
    try:
        if source.is_dir():
            if not (source / CONFIG_NAME).exists():
                raise ServiceError(f"{source}: neither a codebench project nor a key file")
            other = open_project(source)
            try:
                with other.transaction(write=False) as store:
                    key_id = store.anonymisation.settings().get("key_id")
            finally:
                other.close()
            if not key_id:
                raise ServiceError(f"{source}: this project has no pseudonym key yet (no detection or names added)")
            key = load_key(key_id)
            if not key.path.exists():
                raise ServiceError(f"{source}: its key {key.path} is not on this machine; "
                                   "copy it here with `codebench anonymise key export` and merge the file")
            return key
        return read_key_file(source)
    except KeyFileError as exc:
        raise ServiceError(str(exc)) from None


def merge_key(project: Project, source: str | Path, *, coder: str | None = None) -> KeyMerge:
    """Take the names another key's owner added by hand into this project's key.

    Args:
        project: the project whose key grows (e.g. the team project after a merge).
        source: a coder's project folder (its key is on this machine) or a key file.
        coder: who does it (for the audit log, which records counts only).

    Returns:
        the project's key path and how many names were new or already known.

    Raises:
        ServiceError: the source is not a project or key, its key is missing, unreadable or
            readable by others.
    """
    theirs = _source_key(Path(source))
    ours = pseudonym_key(project)
    if theirs.key_id == ours.key_id:
        raise ServiceError(f"{source}: that is this project's own key")
    known = [{**n, "entry": n.get("entry") or str(uuid.uuid4())} for n in ours.known_names]
    active = {(normalise(n["name"]), n.get("kind")) for n in known if not n.get("withdrawn")}
    added = already = 0
    for name in theirs.known_names:
        if name.get("withdrawn"):
            continue
        wanted = (normalise(str(name["name"])), name.get("kind"))
        if wanted in active:
            already += 1
            continue
        active.add(wanted)
        known.append({"name": str(name["name"]), "kind": name.get("kind") or "PER", "entry": str(uuid.uuid4())})
        added += 1
    path = write_key(project, known_names=known)
    with project.transaction(write=True) as store:
        store.audit.log("anonymise_key_merge", coder, {"names_added": added, "names_known": already})
    return KeyMerge(path, added, already)


def export_key(project: Project, target: str | Path) -> Path:
    """Write an owner-only copy of the project's key (rewritten from the decisions first) to ``target``.

    Raises:
        ServiceError: the target cannot be written, or is inside the project folder (where a
            copied or zipped project would take it along).
    """
    folder_meant = str(target).endswith(("/", "\\"))  # "-o /media/kryptert/": a folder, made if need be
    target = Path(target)
    if folder_meant and not target.exists():
        target.mkdir(parents=True, mode=0o700)
    if target.is_dir():
        target = target / f"{project.name}-pseudonymnokkel.yaml"
    if target.resolve().is_relative_to(project.root.resolve()):
        raise ServiceError(f"{target}: a key inside the project folder would travel with every copy of the project; "
                           "write it elsewhere")
    write_key(project)
    try:
        return save_key(pseudonym_key(project), target)
    except KeyFileError as exc:
        raise ServiceError(str(exc)) from None
