"""Who may see original names, and the pseudonym key that links them to the pseudonyms.

The key (original ↔ pseudonym) is a separate owner-only file, named by an id kept in the
project's settings; the database holds only the pseudonyms and where they stand in the text.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codebench.anonymise.key import PseudonymKey, load_key, save_key
from codebench.errors import KeyFileError, ServiceError
from codebench.services.project import Project

if TYPE_CHECKING:  # the light read path imports these modules without SQLAlchemy
    from codebench.storage.store import Store


def _key_id(store: Store) -> str:
    settings = store.anonymisation.settings()
    if not settings.get("key_id"):
        settings["key_id"] = str(uuid.uuid4())
        store.anonymisation.save_settings(settings)
    return settings["key_id"]


def pseudonym_key(project: Project) -> PseudonymKey:
    """The project's key (read from its owner-only file).

    Raises:
        ServiceError: the key file cannot be read safely.
    """
    with project.transaction(write=True) as store:
        key_id = _key_id(store)
    try:
        return load_key(key_id)
    except KeyFileError as exc:
        raise ServiceError(str(exc)) from None


def check_key_file(project: Project) -> None:
    """Refuse while the project's key file, once written, cannot be read safely (e.g. readable by others).

    Nothing is created or written: a project without a key yet passes.

    Raises:
        ServiceError: the key file's one line (readable by others, unreadable, not a key).
    """
    with project.reading() as store:
        key_id = store.anonymisation.settings().get("key_id")
    if not key_id:
        return
    try:
        load_key(key_id)
    except KeyFileError as exc:
        raise ServiceError(str(exc)) from None


def write_key(project: Project, known_names: list[dict[str, str]] | None = None) -> Path:
    """Rewrite the key from the stored decisions (original forms are read from the texts).

    Args:
        project: the project whose key is rewritten.
        known_names: names added by hand, replacing those in the key; kept as they are when None.

    Returns:
        the key file's path.
    """
    key = pseudonym_key(project)
    with project.transaction(write=False) as store:
        rows = store.anonymisation.key_mentions()
        texts = store.documents.texts({r.document_id for r in rows}) if rows else {}
    forms: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = forms.setdefault(r.entity_uuid, {"pseudonym": r.pseudonym, "kind": r.kind,
                                                 "originals": set(), "rejected": set()})
        surface = " ".join(texts[r.document_id][r.start:r.end].split())
        entry["rejected" if r.status == "rejected" else "originals"].add(surface)
    key.entities = [
        {"id": u, "pseudonym": e["pseudonym"], "kind": e["kind"], "originals": sorted(e["originals"]),
         **({"rejected": sorted(e["rejected"] - e["originals"])} if e["rejected"] - e["originals"] else {})}
        for u, e in sorted(forms.items(), key=lambda kv: kv[1]["pseudonym"])
    ]
    if known_names is not None:
        key.known_names = known_names
    return save_key(key)


def original_viewers(project: Project) -> list[str] | None:
    """Coders allowed to see original names; None when the project sets no list (everyone may).

    An empty list means no one: denying the last viewer must not open the names to all.
    """
    with project.reading() as store:
        viewers = store.anonymisation.settings().get("original_viewers")
    return None if viewers is None else list(viewers)


def set_original_viewer(project: Project, coder: str, allowed: bool, *, by: str | None = None) -> list[str]:
    """Allow or stop one coder seeing original names (workbench, CLI, ``--original`` exports).

    The first call sets up the list: from then on only the coders on it may see originals, and
    denying the last one leaves no one who may.  Once there is a list, only a coder on it may
    change it.

    Args:
        project: the project.
        coder: the coder concerned.
        allowed: whether the coder may see original names from now on.
        by: the coder making the change (for the audit log).

    Returns:
        the new list of original viewers.

    Raises:
        ServiceError: no coder named, or ``by`` is not on the project's list.
    """
    coder = coder.strip()
    if not coder:
        raise ServiceError("name the coder")
    # Once there is a list, only a coder on it may change it (or anyone could let themselves in).
    require_reviewer(project, by)
    with project.transaction(write=True) as store:
        settings = store.anonymisation.settings()
        viewers = [v for v in settings.get("original_viewers") or [] if v != coder]
        if allowed:
            viewers.append(coder)
        settings["original_viewers"] = sorted(viewers)
        store.anonymisation.save_settings(settings)
        store.audit.log("anonymise_viewers", by, {"coder": coder, "allowed": allowed})
    return sorted(viewers)


def may_see_original(project: Project, coder: str | None) -> bool:
    """Whether codebench may show this coder original names and the review of them.

    With no list set, everyone may (a single researcher, or a team that has not set it up).
    Once the project has a list, only the coders on it may, and a coder who does not say who
    they are (None) may not. This governs what codebench shows; it is not access control over
    a database the coder can read directly.
    """
    viewers = original_viewers(project)
    return viewers is None or (coder is not None and coder in viewers)


def require_reviewer(project: Project, coder: str | None) -> None:
    """Refuse an anonymisation decision (accept, reject, rename, add, keep) to a coder who may not
    see original names.

    A decision shows what it decides on: rejecting a pseudonym's mentions puts the names back in
    every rendition, and marking a name answers with the pseudonym it belongs to.  So in a project
    that lists its original viewers, only they may review.

    Raises:
        ServiceError: the project lists its original viewers and ``coder`` is not one of them.
    """
    if not may_see_original(project, coder):
        who = f"coder {coder!r}" if coder else "a coder who does not say who they are (--coder)"
        raise ServiceError(f"{who} may not see original names in this project, so may not review or change "
                           "its anonymisation either (a coder on its list can: codebench anonymise allow)")
