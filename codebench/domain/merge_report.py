"""What merging a coder project into the team project did, and the code-name suggestions it makes.

Pure: the storage layer fills a :class:`MergeReport` while it merges; the CLI and the methods
section read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from rapidfuzz import fuzz, process

SUGGESTION_SCORE = 80.0
"""rapidfuzz ratio at or above which two different code names are reported as a merge suggestion.

80 catches spelling variants and inflections ("tidspress"/"tidspresset" 90, "tillit tar tid"/
"tillitt over tid" 80) while codes that merely share a word stay apart ("sosial inkludering"/
"inkludering" 76, "god mentor"/"mentor som pedagog" 43). Only a suggestion: nothing is merged.
"""


@dataclass
class MergeReport:
    """Exactly what one merge did, for the terminal and for the methods section."""

    source: str
    documents_matched: int = 0
    documents_added: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codes_filled: list[str] = field(default_factory=list)  # empty team fields taken from the coder
    code_conflicts: list[str] = field(default_factory=list)  # differing fields, team's version kept
    suggestions: list[tuple[str, str, float]] = field(default_factory=list)
    codings_added: int = 0
    codings_unchanged: int = 0
    codings_updated: int = 0
    codings_duplicate: int = 0
    codings_removed: int = 0
    coding_conflicts: list[str] = field(default_factory=list)
    memos_added: int = 0
    coders: list[str] = field(default_factory=list)
    entities_added: int = 0
    entities_matched: int = 0
    mentions_added: int = 0
    mentions_updated: int = 0
    mentions_overlapping: int = 0  # spans that overlap a different team span: the team's decision stands
    anonymisation_conflicts: list[str] = field(default_factory=list)  # masked here, rejected there: masked
    pseudonyms_renumbered: list[str] = field(default_factory=list)
    linked_differently: list[str] = field(default_factory=list)
    """Words the team and the coder put with different entities (a join or split in one copy)."""
    viewers: list[str] = field(default_factory=list)  # the original-viewer list, when the merge changed it
    viewers_not_taken: list[str] = field(default_factory=list)
    """Coders the coder's copy lets see original names and the team's list does not: not let in."""
    anonymisation_settings_changed: bool = False
    texts_updated: list[str] = field(default_factory=list)
    """Team documents that took in the coder's edits of their text (by id and participant, never file name)."""
    codings_realigned: int = 0
    """The coder's codings made on another version of a text, carried onto the team's version."""
    codings_flagged: int = 0
    """Codings (either side's) whose words an edit brought in by the merge changed: flagged to check."""

    @property
    def changed(self) -> bool:
        """True when the merge wrote anything."""
        return bool(self.documents_added or self.codes_added or self.codes_filled or self.codings_added
                    or self.codings_updated or self.codings_removed or self.memos_added or self.entities_added
                    or self.mentions_added or self.mentions_updated or self.anonymisation_settings_changed
                    or self.texts_updated)

    def lines(self) -> list[str]:
        """The report as readable lines."""
        out = [f"merged {self.source}: coders {', '.join(self.coders) or '(none)'}"]
        out.append(f"  documents: {self.documents_matched} matched, {len(self.documents_added)} added")
        out.append(f"  codes: {len(self.codes_added)} added, {len(self.codes_filled)} filled in, {len(self.code_conflicts)} conflicts")
        out.append(
            f"  codings: {self.codings_added} added, {self.codings_updated} updated, {self.codings_removed} removed, "
            f"{self.codings_unchanged} unchanged, {self.codings_duplicate} duplicates skipped"
        )
        # Memos on codings travel inside their codings (added or updated above): this counts the
        # memos on the project, documents and codes (a tester read "1 added" for three memos).
        out.append(f"  memos on the project, documents and codes: {self.memos_added} added "
                   "(memos on codings come with their codings)")
        if self.texts_updated or self.codings_realigned or self.codings_flagged:
            out.append(f"  edited texts: {len(self.texts_updated)} team document(s) took in the coder's edits; "
                       f"{self.codings_realigned} coding(s) carried onto another version of their text, "
                       f"{self.codings_flagged} flagged to check (codebench flagged)")
            out.extend(f"  text updated: {t}" for t in self.texts_updated)
        if self.entities_added or self.entities_matched or self.mentions_added or self.mentions_updated:
            out.append(f"  anonymisation: {self.entities_added} entities added, {self.entities_matched} matched; "
                       f"{self.mentions_added} mentions added, {self.mentions_updated} decisions joined"
                       + (f", {self.mentions_overlapping} overlapping the team's left to the team" if self.mentions_overlapping else ""))
        out.extend(f"  anonymisation conflict: {c}" for c in self.anonymisation_conflicts)
        out.extend(f"  pseudonym renumbered: {p}" for p in self.pseudonyms_renumbered)
        out.extend(f"  linked differently: {line}" for line in self.linked_differently)
        if self.viewers:
            out.append(f"  may see original names: {', '.join(self.viewers)}")
        if self.viewers_not_taken:
            out.append(f"  not let see original names (the team's list stands; codebench anonymise allow): "
                       f"{', '.join(self.viewers_not_taken)}")
        out.extend(f"  code conflict: {c}" for c in self.code_conflicts)
        out.extend(f"  coding conflict: {c}" for c in self.coding_conflicts)
        out.extend(f"  suggestion: merge {a!r} and {b!r}? (similarity {s:.0f})" for a, b, s in self.suggestions)
        return out


def name_suggestions(new_names: Sequence[str], existing_names: Sequence[str]) -> list[tuple[str, str, float]]:
    """Pairs of code names similar enough that a person should consider merging them.

    Args:
        new_names: names the merge added to the team's codebook, in the order it added them.
        existing_names: names the team's codebook had before the merge.

    Returns:
        ``(new name, similar name, score)``: first each new name against the team's names (the
        three closest), then the new names among themselves (two coders' "tidspress" and
        "tidspresset" arrive in the same merge).
    """
    found: list[tuple[str, str, float]] = []
    for name in new_names:
        for match, score, _ in process.extract(name, existing_names, scorer=fuzz.ratio, limit=3):
            if score >= SUGGESTION_SCORE and match.casefold() != name.casefold():
                found.append((name, match, float(score)))
    for i, name in enumerate(new_names):
        for other in new_names[i + 1:]:
            score = fuzz.ratio(name, other)
            if score >= SUGGESTION_SCORE:
                found.append((name, other, float(score)))
    return found
