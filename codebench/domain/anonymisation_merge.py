"""The rules by which a team merge joins two coders' anonymisation decisions (pure, no database).

Two coders may have reviewed the same transcript differently. Where one masked a mention and
the other let it stand, the team project masks it: a name shown by mistake cannot be taken
back once a report is out, a word masked by mistake costs a reader one bracket. Where one
decided and the other only has the suggestion, the decision counts.
"""

from __future__ import annotations

import re

MASKING = ("accepted", "manual")
"""Statuses whose mentions a rendition replaces."""

_NUMBERED = re.compile(r"^\[(?P<stem>.*?)\s+(?P<n>\d+)\]$")


def merged_status(team: str, source: str) -> tuple[str, bool]:
    """The team's status for a mention both projects have, and whether the two disagreed.

    Args:
        team: the status in the team project.
        source: the status in the coder project being merged.

    Returns:
        ``(status, conflict)``: conflict is True when one masked the mention and the other
        rejected it; the mention is then masked. A decision beats a suggestion without conflict.
    """
    if team == source:
        return team, False
    if team == "suggested":
        return source, False
    if source == "suggested":
        return team, False
    if team in MASKING and source in MASKING:
        return team, False  # accepted or marked by hand: masked either way
    masked = team if team in MASKING else source
    return masked, True


def free_pseudonym(wanted: str, taken: set[str]) -> str:
    """``wanted`` if no other entity of the team uses it, else the next free one of its series.

    ``[Veileder 2]`` becomes ``[Veileder N]`` with N one above the highest in use; a pseudonym
    without a number (``[Hilde Lunde]``) gets one (``[Hilde Lunde 2]``).
    """
    if wanted not in taken:
        return wanted
    match = _NUMBERED.match(wanted)
    stem = match.group("stem") if match else wanted.strip("[]")
    used = [int(m.group("n")) for t in taken if (m := _NUMBERED.match(t)) and m.group("stem") == stem]
    n = max(used, default=1) + 1
    while f"[{stem} {n}]" in taken:
        n += 1
    return f"[{stem} {n}]"
