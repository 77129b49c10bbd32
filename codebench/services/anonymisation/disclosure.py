"""What a front end may show a coder: the original or the anonymised rendition, and what to say.

The CLI and the workbench follow one rule. Once detection has run, text and names are shown in
their anonymised rendition unless the coder asks for the original and is allowed to see it (see
:func:`codebench.services.anonymisation.access.may_see_original`). Before detection has run
there is nothing to replace: an allowed coder sees the text as written, anyone else the
rendition (pseudonymous document names) — and both are told the project is not anonymised.
"""

from __future__ import annotations

from dataclasses import dataclass

from codebench.errors import ServiceError
from codebench.services.anonymisation.access import check_key_file, may_see_original
from codebench.services.anonymisation.state import (
    NO_DOCUMENTS,
    NOT_RUN,
    AnonymisationState,
    anonymisation_state,
)
from codebench.services.project import Project


@dataclass(frozen=True)
class Disclosure:
    """How one command shows a project to one coder."""

    original: bool
    """Show original text and names (else the anonymised rendition)."""
    state: AnonymisationState
    note: str | None
    """One line for the terminal's error stream, when what is shown is not (fully) anonymised."""


def disclosure(project: Project, coder: str | None, *, original: bool = False) -> Disclosure:
    """Decide what ``coder`` is shown of ``project``.

    Args:
        project: the open project.
        coder: who asks (``--coder`` or ``$CODEBENCH_CODER``); None when unknown.
        original: the coder asked for the original text (``--original``).

    Raises:
        ServiceError: the original was asked for by a coder the project does not allow to see it.
    """
    state = anonymisation_state(project)
    allowed = may_see_original(project, coder)
    if original and not allowed:
        who = f"coder {coder!r}" if coder else "a coder who does not say who they are (--coder)"
        raise ServiceError(f"{who} may not see original names in this project; the anonymised rendition is shown "
                           "without --original (the project's owner can allow it: codebench anonymise allow)")
    if original:
        return Disclosure(True, state, None)
    if state.status in (NOT_RUN, NO_DOCUMENTS) and allowed:
        note = None if state.status == NO_DOCUMENTS else f"note: {state.describe()}; names are shown as written"
        return Disclosure(True, state, note)
    note = None if state.anonymised else f"note: {state.describe()}"
    return Disclosure(False, state, note)


def require_original_viewer(project: Project, coder: str | None, *, what: str = "the review list") -> None:
    """Refuse a view that shows original names by nature (the review list) to a coder not allowed it.

    The list pairs every original name with its pseudonym, as the key does: while the key file
    is readable by others (or otherwise unsafe) it is refused too, with the key's own message.

    Raises:
        ServiceError: the project lists its original viewers and ``coder`` is not one of them,
            or the project's key file is not safe to read.
    """
    if not may_see_original(project, coder):
        who = f"coder {coder!r}" if coder else "a coder who does not say who they are (--coder)"
        raise ServiceError(f"{who} may not see original names in this project, so not {what} either")
    check_key_file(project)
