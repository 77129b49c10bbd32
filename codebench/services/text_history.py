"""Merging coders' copies of a document whose text one or both of them edited.

Documents are matched by the hash of their text; an edited document has had several texts, and
its revision history lists their hashes. Before a coder project is merged, each of its
documents whose current text the team does not have is looked up in the team's histories:

- the coder's text is an *older* version of the team's: the coder's codings are carried onto
  the team's text through a word alignment of the two (those the edits overlap are flagged);
- the team's text is an older version of the coder's: the team takes in the coder's edits, one
  revision at a time, and its own codings follow them;
- both edited since a common version: if they edited different turns, the coder's edits are
  brought into the team's text turn by turn and the coder's codings carried over as above; if
  they edited the same turn differently, the merge is refused, naming the document and turn;
- no common version: as before, a document whose id or name the team has with another text is
  refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from codebench.domain.editing import (
    FLAG_MERGED, Piece, RevisionInfo, SpanFollower, TextMap, diff_pieces, history_hashes,
)
from codebench.domain.merge_report import MergeReport
from codebench.domain.records import DocumentInfo, TurnInfo
from codebench.errors import MergeRefused, ServiceError
from codebench.services.editing import apply_change, shifted_turns
from codebench.storage.store import Store


def _last_index(chain: Sequence[str], sha: str) -> int:
    return len(chain) - 1 - list(reversed(chain)).index(sha)


def _who(doc: DocumentInfo) -> str:
    """A document as a merge message names it: id and participant, never the file name."""
    return f"document {doc.id}" + (f" ({doc.participant.pid})" if doc.participant is not None else "")


def reconcile_texts(team: Store, source: Store, source_name: str, report: MergeReport) -> dict[int, TextMap]:
    """Bring edited texts of a coder project and the team project together before their codings merge.

    Runs in the team's open transaction (its writes commit or roll back with the merge).

    Returns:
        ``{coder document id: TextMap}`` for each coder document whose text differs from the
        team's but shares a version with it.

    Raises:
        MergeRefused: two sides edited the same turn differently, or a whole-text change
            (a corrected file) on one side meets edits on the other.
    """
    source_docs = source.documents.infos()
    team_docs = team.documents.infos()
    team_hashes = {d.sha256 for d in team_docs}
    pending = [d for d in source_docs if d.sha256 not in team_hashes]
    if not pending:
        return {}
    source_history = source.documents.revisions([d.id for d in pending])
    team_history = team.documents.revisions()
    chains = {d.id: history_hashes(d.sha256, team_history.get(d.id, [])) for d in team_docs}
    maps: dict[int, TextMap] = {}
    refused: list[str] = []
    for doc in pending:
        own = history_hashes(doc.sha256, source_history.get(doc.id, []))
        related = [t for t in team_docs if set(chains[t.id]) & set(own)]
        if not related:
            continue  # a document the team does not have in any version: merged as before
        same = [t for t in related if t.uuid == doc.uuid]
        target = (same or related)[0]
        team_chain = chains[target.id]
        common = next(sha for sha in reversed(own) if sha in team_chain)
        try:
            maps[doc.id] = _reconcile_one(team, source, doc, target, own, team_chain, common,
                                          source_history.get(doc.id, []), team_history.get(target.id, []),
                                          source_name, report)
        except MergeRefused as exc:
            refused.append(str(exc))
    if refused:
        raise MergeRefused(f"{source_name}: refused, nothing merged: " + "; ".join(refused))
    return maps


def _reconcile_one(team: Store, source: Store, doc: DocumentInfo, target: DocumentInfo, own: list[str],
                   team_chain: list[str], common: str, source_revisions: list[RevisionInfo],
                   team_revisions: list[RevisionInfo], source_name: str, report: MergeReport) -> TextMap:
    source_text = source.documents.text(doc.id)
    if common == target.sha256:
        # The team has not changed the text since the coder's version: take in the coder's edits.
        after = source_revisions[_last_index(own, common):]
        report.codings_flagged += _replay(team, target, after, source.documents.turns(doc.id), translate=False)
        report.texts_updated.append(f"{_who(target)}: {len(after)} edit(s) by {source_name}")
    elif common != doc.sha256:
        # Both sides edited since the common version: only different turns may be combined.
        theirs = source_revisions[_last_index(own, common):]
        ours = team_revisions[_last_index(team_chain, common):]
        if any(r.turn_seq is None for r in [*theirs, *ours]):
            whole = next(r for r in [*theirs, *ours] if r.turn_seq is None)
            if whole.kind == "speaker":
                raise MergeRefused(f"{_who(target)} had a speaker renamed in every turn on one side and was edited on "
                                   "the other since; undo the rename, merge, then rename the speaker in the merged project")
            raise MergeRefused(f"{_who(target)} was replaced by a corrected file on one side and edited on the other "
                               "since; bring one project up to date (re-import the file there) and merge again")
        team_text = team.documents.text(target.id)
        team_turns = team.documents.turns(target.id)
        source_turns = source.documents.turns(doc.id)
        clashes = sorted({r.turn_seq for r in theirs} & {r.turn_seq for r in ours})  # type: ignore[type-var]
        for seq in clashes:
            assert seq is not None
            if _turn_words(source_text, source_turns, seq) != _turn_words(team_text, team_turns, seq):
                raise MergeRefused(f"turn {seq + 1} of {_who(target)} was edited differently in the team project and by "
                                   f"{source_name}; make the two agree in one project, then merge again")
        if len(source_turns) != len(team_turns):
            raise MergeRefused(f"{_who(target)} has {len(team_turns)} turns in the team project and {len(source_turns)} "
                               f"in {source_name}'s; the edits cannot be combined turn by turn")
        wanted = [r for r in theirs if r.turn_seq not in clashes]
        report.codings_flagged += _replay(team, target, wanted, source_turns, translate=True)
        report.texts_updated.append(f"{_who(target)}: {len(wanted)} edit(s) by {source_name} joined with the team's")
    current = team.documents.infos([target.id])[0]
    team_text = team.documents.text(target.id)
    pieces = diff_pieces(source_text, team_text)
    return TextMap(target.id, SpanFollower(len(source_text), pieces), team_text, current.sha256)


def _turn_words(text: str, turns: Sequence[TurnInfo], seq: int) -> str:
    turn = turns[seq]
    return text[turn.start:turn.end]


def _replay(team: Store, target: DocumentInfo, revisions: Sequence[RevisionInfo], final_turns: Sequence[TurnInfo],
            *, translate: bool) -> int:
    """Apply a coder's revisions to the team's document, one change (and one revision) each.

    Returns:
        how many of the team's codings the changes flagged.
    """
    flagged = 0
    for i, revision in enumerate(revisions):
        doc = team.documents.infos([target.id])[0]
        turns = team.documents.turns(doc.id)
        pieces: Sequence[Piece] = revision.pieces
        if translate and revision.turn_seq is not None:
            # The coder's pieces lie in the coder's version of the turn: move them to where that
            # turn starts in the team's text (the other turns may differ in length there).
            delta = turns[revision.turn_seq].start - revision.turns_before[revision.turn_seq].start
            pieces = [Piece(p.start + delta, p.end + delta, p.old, p.new) for p in pieces]
        length = len(team.documents.text(doc.id))
        new_turns = shifted_turns(turns, pieces, length)
        if revision.turn_seq is not None:
            # The turn's own speaker and times, as the coder left them.
            after = revisions[i + 1].turns_before if i + 1 < len(revisions) else tuple(final_turns)
            if revision.turn_seq < len(after):
                theirs = after[revision.turn_seq]
                new_turns[revision.turn_seq] = replace(new_turns[revision.turn_seq], speaker=theirs.speaker,
                                                       t_start=theirs.t_start, t_end=theirs.t_end)
        elif not translate:
            after = revisions[i + 1].turns_before if i + 1 < len(revisions) else tuple(final_turns)
            new_turns = [replace(t, seq=n) for n, t in enumerate(after)]
        try:
            change, _payload = apply_change(team, doc, pieces, new_turns, kind="merge", turn_seq=revision.turn_seq,
                                            author=revision.author, flag=FLAG_MERGED, drop_lost=False)
        except ServiceError:  # the words the coder replaced are not in the team's text
            raise MergeRefused(f"{_who(target)}: the coder's edit of turn "
                               f"{(revision.turn_seq or 0) + 1} does not fit the team's text") from None
        flagged += len(change.flagged)
    return flagged

