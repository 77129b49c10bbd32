"""Whether the interviews of a project speak of the same people: how far a lone name reaches.

A first name said alone ("kari ringte") is linked to a person named in full.  Three settings:

- ``circle`` (the default): a lone name joins a person named in full in its own interview, or
  in the interviews that share someone named in full with its own.  Interviews that name the
  same adviser or leader in full speak of the same circle of people; an interview that shares
  no one named in full with another keeps its "kari" apart (a tester's independent informants
  got one pseudonym for two people five times, the sample's one-site interviews none);
- ``project``: as in a study of one site, a lone name joins the project's one person of that
  name, wherever she is named in full;
- ``interview``: the informants are independent of each other: a lone name joins only a person
  named in the same interview, or by the same participant, and is otherwise a person of its own
  interview.

The setting is stored with the anonymisation settings and read by every detection run.  It
shapes new suggestions; entities already stored keep their mentions (``anonymise split``
separates them).
"""

from __future__ import annotations

from codebench.anonymise.detections import PEOPLE_SCOPES as SCOPES
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import require_reviewer
from codebench.services.project import Project

PEOPLE = "people"
DEFAULT_SCOPE = "circle"


def people_scope(project: Project) -> str:
    """``circle``, ``project`` or ``interview`` (see the module)."""
    with project.transaction(write=False) as store:
        value = store.anonymisation.settings().get(PEOPLE, DEFAULT_SCOPE)
    return value if value in SCOPES else DEFAULT_SCOPE


def set_people_scope(project: Project, scope: str, *, coder: str | None = None) -> bool:
    """Set how far a lone name reaches (see the module); only the reviewers may.

    Returns:
        whether detection had already run, so that stored suggestions were linked the other way.

    Raises:
        ServiceError: an unknown scope, or a coder who may not review.
    """
    if scope not in SCOPES:
        raise ServiceError(f"unknown setting {scope!r}; choose from {', '.join(SCOPES)}")
    require_reviewer(project, coder)
    with project.transaction(write=True) as store:
        settings = store.anonymisation.settings()
        before = settings.get(PEOPLE, DEFAULT_SCOPE)
        settings[PEOPLE] = scope
        store.anonymisation.save_settings(settings)
        if before != scope:
            store.audit.log("anonymise_people_scope", coder, {"from": before, "to": scope})
        detected = bool(store.anonymisation.mentions())
    return detected and before != scope
