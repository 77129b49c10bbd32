"""Whether the interviews of a project speak of the same people: how far a lone name reaches.

A first name said alone ("kari ringte") is linked to a person named in full.  In a study of one
site the informants talk about the same colleagues, advisers and leaders, so a lone "kari" is the
project's one Kari Nordmann wherever she is named in full (``project``, the default).  When the
informants are independent of each other (recruited one by one, from different places), two
interviews' "kari" are most often two people, and joining them gives two people one pseudonym
(``interview``): a lone name then joins only a person named in the same interview, or by the
same participant, and is otherwise a person of its own interview.

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
DEFAULT_SCOPE = "project"


def people_scope(project: Project) -> str:
    """``project`` (a lone name joins the one person of the project carrying it) or
    ``interview`` (only a person of the same interview or participant)."""
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
