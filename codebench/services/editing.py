"""Correcting a transcript without losing work: edit a turn's words, speaker or times.

An edit changes the document's current text; the words it replaced stay in the document's
revision history (``store.documents.revisions``), with the text hash before and after, so every
earlier version can be rebuilt and a merge can match a coder's copy made before the edit.

Everything that lies on the text follows the edit through its offset map
(:mod:`codebench.domain.editing`): codings and anonymisation mentions that lie wholly outside
the changed words keep their words (they only shift); those the change overlaps are kept,
widened over the new words and flagged for the coder to check; a coding whose words were all
deleted stays on the word beside them, flagged ``deleted``. Nothing is dropped. Coding memos
travel with their codings. One edit is one transaction and one undoable audit entry holding
the old and the new words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Sequence

from codebench.domain.editing import (
    FLAG_DELETED, FLAG_EDITED, FLAG_REALIGNED, FLAG_WORDS, Piece, RevisionInfo, SpanFollower, apply_pieces, diff_pieces, invert_pieces,
    word_at,
)
from codebench.domain.records import DocumentInfo, TurnInfo, text_sha256
from codebench.errors import ServiceError
from codebench.services.documents import find_document
from codebench.services.project import Project
from codebench.storage.store import Store

__all__ = [
    "CheckItem", "EditReport", "Unchanged", "check_coding", "document_revisions", "edit_span", "edit_turn", "flagged_codings",
    "rename_speaker", "turn_text",
]


class _Unset:
    """The value of an argument that was not given (None means "no speaker", "no time")."""

    def __repr__(self) -> str:
        return "Unchanged"


Unchanged: Any = _Unset()
"""Passed for a turn's speaker or time that stays as it is."""


@dataclass(frozen=True)
class CheckItem:
    """A coding the coder should look at after its words changed."""

    uuid: str
    document_id: int
    code: str
    coder: str
    start: int
    end: int
    flag: str
    memo: bool = False
    """The coding carries a memo (a re-import that removes it removes the memo too)."""

    @property
    def reason(self) -> str:
        """What happened to its words, in a few words."""
        return FLAG_WORDS.get(self.flag, self.flag)


@dataclass
class EditReport:
    """What one change of a document's text did."""

    document_id: int
    turn: int | None
    """The turn changed (0-based), None for a change of the whole text or no change at all."""
    before_sha256: str
    after_sha256: str
    pieces: int = 0
    shifted: int = 0
    """Codings that lay wholly outside the change: same words, new offsets."""
    flagged: list[CheckItem] = field(default_factory=list)
    """Codings the change overlapped: kept, adjusted and flagged for the coder to check."""
    unplaced: list[CheckItem] = field(default_factory=list)
    """Codings whose words are gone from a re-imported text (removed; undo brings them back)."""
    mentions_moved: int = 0
    mentions_adjusted: int = 0
    mentions_removed: int = 0
    mentions_found: int = 0
    """New anonymisation suggestions in the edited turns (detection re-run on them only)."""
    renamed: int = 0
    """Turns whose speaker was renamed (:func:`rename_speaker`)."""
    revision: str | None = None
    """The uuid of the revision the change made in the document's history (None: no change)."""

    @property
    def changed(self) -> bool:
        """Whether the text changed at all."""
        return self.before_sha256 != self.after_sha256


# -- the change itself ---------------------------------------------------------------------------


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without white space at its ends (coded words never start or end with a space)."""
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else (start, end)


def apply_change(
    store: Store,
    doc: DocumentInfo,
    pieces: Sequence[Piece],
    new_turns: Sequence[TurnInfo],
    *,
    kind: str,
    turn_seq: int | None,
    author: str | None,
    flag: str | None = FLAG_EDITED,
    drop_lost: bool = False,
    restore: dict[str, Any] | None = None,
) -> tuple[EditReport, dict[str, Any]]:
    """Change a document's text by ``pieces`` inside an open transaction; codings and mentions follow.

    Args:
        doc: the document as it is now (its hash is checked against the text).
        pieces: the replacements, positioned in the current text.
        new_turns: the turn layout of the new text.
        kind: what the revision history calls the change (edit, reimport, undo, redo, merge).
        turn_seq: the turn changed, or None for a change of the whole text.
        flag: what a coding the change overlaps is flagged with (None: it keeps its flag —
            a speaker's labels renamed, the words coded are the same).
        drop_lost: remove codings whose words are all gone (a re-import reports them) instead
            of keeping them on the word beside them.
        restore: an undo's payload of the change taken back: the codings and mentions it
            adjusted go back exactly where they were, the ones it removed come back.

    Returns:
        the report and the audit payload (old and new words, what moved), for undo.

    Raises:
        ServiceError: the pieces do not fit the text, or the new text is another document's.
    """
    text = store.documents.text(doc.id)
    try:
        new_text = apply_pieces(text, pieces)
    except ValueError as exc:
        raise ServiceError(f"document {doc.id}: {exc}; it changed since — reload it and try again") from None
    new_sha = text_sha256(new_text)
    turns_before = store.documents.turns(doc.id)
    report = EditReport(doc.id, turn_seq, doc.sha256, new_sha, pieces=len(pieces))
    if new_sha != doc.sha256:
        other = store.documents.name_by_hash(new_sha)
        if other is not None:
            raise ServiceError(f"document {doc.id} would then have the same text as another document of the project")
    follower = SpanFollower(len(text), pieces)
    back = restore or {}
    exact_codings = {u: (s, e, f) for u, s, e, f in back.get("codings", ())}
    exact_mentions = {i: (s, e, st) for i, s, e, st in back.get("mentions", ())}
    names = {c.id: c.name for c in store.codebook.rows()}
    codings = {c.uuid: c for c in store.codings.ordered(doc.id)}

    moves: list[tuple[str, int, int, str, str | None]] = []
    adjusted: list[list[Any]] = []
    removed_codings: list[dict[str, Any]] = []
    for uuid, start, end, old_flag in store.codings.positions(doc.id):
        if uuid in exact_codings:
            s, e, f = exact_codings[uuid]
            moves.append((uuid, s, e, new_text[s:e], f))
            continue
        fate = follower.follow(start, end)
        if not fate.touched:
            if (fate.start, fate.end) != (start, end):
                moves.append((uuid, fate.start, fate.end, new_text[fate.start:fate.end], old_flag))
                report.shifted += 1
            continue
        info = codings[uuid]
        if fate.lost:
            placed = None if drop_lost else word_at(new_text, fate.start)
            if placed is None:
                snapshot = store.codings.snapshot(uuid)
                assert snapshot is not None
                removed_codings.append({**snapshot, "flag": old_flag})
                report.unplaced.append(CheckItem(uuid, doc.id, names.get(info.code_id, "?"), info.coder, start, end,
                                                 old_flag or "", memo=bool(snapshot.get("memo"))))
                continue
            s, e, new_flag = placed[0], placed[1], FLAG_DELETED
        else:
            s, e = _trimmed(new_text, fate.start, fate.end)
            if flag is None:
                # A speaker renamed: a label inside the coded passage changed, not the words
                # anyone said; the coding keeps its flag (undo still puts it back exactly).
                adjusted.append([uuid, start, end, old_flag])
                moves.append((uuid, s, e, new_text[s:e], old_flag))
                report.shifted += 1
                continue
            new_flag = flag
        adjusted.append([uuid, start, end, old_flag])
        moves.append((uuid, s, e, new_text[s:e], new_flag))
        report.flagged.append(CheckItem(uuid, doc.id, names.get(info.code_id, "?"), info.coder, s, e, new_flag))

    mention_moves: list[tuple[int, int, int, str]] = []
    mentions_before: list[list[Any]] = []
    gone: list[int] = []
    taken: set[tuple[int, int]] = set()
    for m in store.anonymisation.mentions([doc.id]):
        if m.id in exact_mentions:
            s, e, status = exact_mentions[m.id]
        else:
            fate = follower.follow(m.start, m.end)
            if fate.lost:
                gone.append(m.id)
                continue
            s, e, status = fate.start, fate.end, m.status
            if fate.touched:
                s, e = _trimmed(new_text, s, e)
                # A decision about other words does not hold for these: a rejection is asked
                # again; an accepted (masked) name stays masked until someone looks.
                status = "suggested" if m.status == "rejected" else m.status
                mentions_before.append([m.id, m.start, m.end, m.status])
                report.mentions_adjusted += 1
            elif (s, e) != (m.start, m.end):
                report.mentions_moved += 1
        if (s, e) in taken:
            gone.append(m.id)  # two mentions squeezed onto the same words: one is enough
            continue
        taken.add((s, e))
        if (s, e, status) != (m.start, m.end, m.status):
            mention_moves.append((m.id, s, e, status))
    removed_mentions = store.anonymisation.mention_snapshots(gone) if gone else []
    report.mentions_removed = len(gone)

    store.documents.replace_text(doc.id, text=new_text, sha256=new_sha, word_count=len(new_text.split()),
                                 turns=new_turns)
    if gone:
        store.anonymisation.delete_mentions(gone)
    store.anonymisation.move_mentions(mention_moves)
    for snapshot in back.get("mentions_removed", ()):
        store.anonymisation.restore_mentions([snapshot])
    if removed_codings:
        for snapshot in removed_codings:
            store.codings.delete(snapshot["uuid"])
    store.codings.move_many(doc.id, moves, new_sha)
    for snapshot in back.get("codings_removed", ()):
        _bring_back_coding(store, snapshot, new_text, new_sha)
    revision = store.documents.add_revision(
        doc.id, kind=kind, before_sha256=doc.sha256, after_sha256=new_sha, pieces=pieces,
        turns_before=turns_before, turn_seq=turn_seq, author=author)
    report.revision = revision.uuid
    payload = {
        "document_id": doc.id, "revision": revision.uuid, "kind": kind, "turn": turn_seq,
        "before_sha256": doc.sha256, "after_sha256": new_sha, "pieces": [p.to_json() for p in pieces],
        "turns_before": [_turn_json(t) for t in turns_before], "turns_after": [_turn_json(t) for t in new_turns],
        "codings": adjusted, "codings_removed": removed_codings,
        "mentions": mentions_before, "mentions_removed": removed_mentions,
        "flagged": len(report.flagged), "shifted": report.shifted,
    }
    return report, payload


def change_turns_only(store: Store, doc: DocumentInfo, turns_before: Sequence[TurnInfo], new_turns: Sequence[TurnInfo],
                      *, kind: str, turn_seq: int | None, author: str | None) -> str:
    """Give a document new turn times or speakers over the same text, as one revision of its history.

    The text and its hash stay; the revision (``before_sha256 == after_sha256``, no pieces) keeps
    the turns as they were, so the history says who changed a turn's times and when, like any
    other correction, and what they were before.

    Returns:
        the revision's uuid.
    """
    store.documents.set_turns(doc.id, new_turns)
    return store.documents.add_revision(doc.id, kind=kind, before_sha256=doc.sha256, after_sha256=doc.sha256,
                                        pieces=[], turns_before=turns_before, turn_seq=turn_seq, author=author).uuid


def _bring_back_coding(store: Store, snapshot: dict[str, Any], text: str, sha256: str) -> None:
    """Restore a coding a re-import removed (undo), on the words it had."""
    if store.codings.get(snapshot["uuid"]) is not None:
        return
    start, end = snapshot["start"], snapshot["end"]
    store.codings.add(document_id=snapshot["document_id"], code_id=snapshot["code_id"], coder_id=snapshot["coder_id"],
                      start=start, end=end, text_sha256=sha256, quote=text[start:end], memo=snapshot.get("memo"),
                      uuid=snapshot["uuid"])
    if snapshot.get("flag"):
        store.codings.update(snapshot["uuid"], flag=snapshot["flag"])


def _turn_json(t: TurnInfo) -> list[Any]:
    return [t.speaker, t.start, t.end, t.body_start, t.t_start, t.t_end]


def turns_from_json(rows: Sequence[Sequence[Any]]) -> list[TurnInfo]:
    """Turns as an audit payload or a revision keeps them."""
    return [TurnInfo(i, *row) for i, row in enumerate(rows)]


def shifted_turns(turns: Sequence[TurnInfo], pieces: Sequence[Piece], length: int) -> list[TurnInfo]:
    """The turn layout after a change that stays inside turns (an edit): offsets follow the map."""
    follower = SpanFollower(length, pieces)
    moved = []
    for t in turns:
        # "end" sides throughout: words inserted where a turn (or its words) begins belong to it.
        start = follower.map.to_target(t.start, side="end")
        end = follower.map.to_target(t.end, side="end")
        body = follower.map.to_target(t.body_start, side="end")
        moved.append(replace(t, start=start, end=max(end, body), body_start=min(max(body, start), end)))
    return moved


# -- the user's actions --------------------------------------------------------------------------


def _turn(turns: Sequence[TurnInfo], number: int, doc: DocumentInfo) -> TurnInfo:
    """Turn ``number`` (1-based, as shown to the user)."""
    if not 1 <= number <= len(turns):
        raise ServiceError(f"document {doc.id} has turns 1–{len(turns)}; there is no turn {number}")
    return turns[number - 1]


def _check_times(t_start: Any, t_end: Any, turn: TurnInfo) -> tuple[float | None, float | None]:
    start = turn.t_start if t_start is Unchanged else t_start
    end = turn.t_end if t_end is Unchanged else t_end
    for value in (start, end):
        if value is not None and value < 0:
            raise ServiceError("a turn time cannot be negative")
    if start is not None and end is not None and end < start:
        raise ServiceError(f"the turn would end ({end:.2f} s) before it starts ({start:.2f} s)")
    return start, end


def edit_turn(
    project: Project,
    document: str | int,
    turn: int,
    *,
    coder: str,
    text: str | None = None,
    speaker: str | None = Unchanged,
    t_start: float | None = Unchanged,
    t_end: float | None = Unchanged,
    detect: bool = True,
    use_model: bool = True,
) -> EditReport:
    """Correct one turn: its words, its speaker label, its start and end times.

    Args:
        document: document id or name.
        turn: the turn's number, 1-based.
        coder: who edits (the audit log and the revision history name them).
        text: the turn's new words (without the speaker label); None keeps them.
        speaker: the new speaker label (None for none); :data:`Unchanged` keeps it.
        t_start, t_end: the turn's times in seconds (None for none); :data:`Unchanged` keeps them.
        detect: look for names in the edited turn (only when the document was searched before).
        use_model: let that detection use the NER model.

    Raises:
        ServiceError: no such document or turn, an empty edit, times that end before they start.
    """
    coder = coder.strip()
    if not coder:
        raise ServiceError("an edit needs a coder name")
    if text is not None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise ServiceError("a turn cannot be left empty; to remove words, keep at least one")
        if "\n\n" in text.strip("\n"):
            raise ServiceError("a turn cannot hold an empty line (that is where turns part)")
        text = text.strip("\n")
    if isinstance(speaker, str):
        speaker = " ".join(speaker.split()) or None
        if speaker and (":" in speaker or "\n" in speaker):
            raise ServiceError("a speaker label cannot hold a colon or a line break")
    _require_original(project, coder)
    with project.transaction() as store:
        doc = find_document(store, document)
        turns = store.documents.turns(doc.id)
        current = _turn(turns, turn, doc)
        old_text = store.documents.text(doc.id)
        times = _check_times(t_start, t_end, current)
        pieces: list[Piece] = []
        label_now = old_text[current.start:current.body_start]
        new_speaker = current.speaker if speaker is Unchanged else speaker
        label_after = label_now
        if speaker is not Unchanged and speaker != current.speaker:
            label = f"{speaker}: " if speaker else ""
            if label != label_now:
                pieces.append(Piece(current.start, current.body_start, label_now, label))
                label_after = label
        if text is not None:
            pieces += diff_pieces(old_text[current.body_start:current.end], text, base=current.body_start)
        times_changed = times != (current.t_start, current.t_end)
        speaker_changed = new_speaker != current.speaker
        if not pieces and not times_changed and not speaker_changed:
            return EditReport(doc.id, None, doc.sha256, doc.sha256)  # nothing to store
        new_turns = shifted_turns(turns, pieces, len(old_text))
        edited = new_turns[turn - 1]
        new_turns[turn - 1] = replace(edited, speaker=new_speaker, t_start=times[0], t_end=times[1],
                                      start=current.start, body_start=current.start + len(label_after))
        if pieces:
            report, payload = apply_change(store, doc, pieces, new_turns, kind="edit", turn_seq=turn - 1, author=coder)
        else:
            # Times (or a speaker whose label is already right) only: the text stays, the history
            # still records the change.
            revision = change_turns_only(store, doc, turns, new_turns, kind="edit", turn_seq=turn - 1, author=coder)
            report = EditReport(doc.id, turn - 1, doc.sha256, doc.sha256, revision=revision)
            payload = {"document_id": doc.id, "kind": "turn", "turn": turn - 1, "before_sha256": doc.sha256,
                       "after_sha256": doc.sha256, "pieces": [], "revision": revision,
                       "turns_before": [_turn_json(t) for t in turns], "turns_after": [_turn_json(t) for t in new_turns]}
        store.audit.log("edit_text", coder, payload)
    if report.changed and detect:
        report.mentions_found = _detect_after(project, doc.id, doc.sha256, report, coder, use_model=use_model)
    return report


SPEAKER_RENAMED = "speaker"
"""The revision kind (and audit payload kind) of a speaker renamed in every turn of a document."""


def _speaker_name(value: str, what: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise ServiceError(f"the {what} speaker needs a name")
    if ":" in name:
        raise ServiceError("a speaker label cannot hold a colon")
    return name


def rename_speaker(project: Project, document: str | int, old: str, new: str, *, coder: str, detect: bool = True,
                   use_model: bool = True) -> EditReport:
    """Rename a speaker in every turn of a document at once ("I" → "Intervjuer", "SPEAKER_01" → a name).

    Each label in the text changes (the rest of the label, such as brackets, stays as it is); the
    words said do not, so codings keep their words and flags and memos stay with them. One
    transaction, one revision of the document's history, one undoable audit entry.

    The new name is text like any other original: when detection has searched the document, the
    renamed labels are searched for names again, so a person's name given to a speaker becomes a
    suggestion to review and stays out of anonymised output once accepted (as any detected name).

    Args:
        document: document id or name.
        old: the speaker as the turns name it now.
        new: the new name.
        coder: who renames (the audit log and the revision history name them).
        detect: look for names in the renamed labels (only when the document was searched before).

    Raises:
        ServiceError: no such document, no turn of that speaker, an empty name or one with a colon,
            or a coder who may not see the original text.
    """
    coder = coder.strip()
    if not coder:
        raise ServiceError("renaming a speaker needs a coder name")
    old, new = _speaker_name(old, "old"), _speaker_name(new, "new")
    _require_original(project, coder)
    with project.transaction() as store:
        doc = find_document(store, document)
        turns = store.documents.turns(doc.id)
        theirs = [t for t in turns if t.speaker == old]
        if not theirs:
            raise ServiceError(f"document {doc.id} has no turn whose speaker is {old!r} "
                               f"(`codebench show {doc.id} --offsets` shows the labels)")
        if new == old:
            return EditReport(doc.id, None, doc.sha256, doc.sha256)
        text = store.documents.text(doc.id)
        pieces: dict[int, Piece] = {}
        for t in theirs:
            label = text[t.start:t.body_start]
            renamed = label.replace(old, new, 1) if old in label else f"{new}: "
            pieces[t.seq] = Piece(t.start, t.body_start, label, renamed)
        # Each piece is exactly a turn's label: every offset after it moves by its change of length.
        new_turns, delta = [], 0
        for t in turns:
            start = t.start + delta
            piece = pieces.get(t.seq)
            if piece is not None:
                delta += len(piece.new) - len(piece.old)
            new_turns.append(replace(t, speaker=new if piece is not None else t.speaker, start=start,
                                     body_start=t.body_start + delta, end=t.end + delta))
        report, payload = apply_change(store, doc, list(pieces.values()), new_turns, kind=SPEAKER_RENAMED,
                                       turn_seq=None, author=coder, flag=None)
        report.renamed = payload["renamed"] = len(theirs)
        store.audit.log("edit_text", coder, payload)
    if detect and report.changed:
        from codebench.services.anonymisation.detection import detect_in_spans

        labels = [(t.start, t.body_start) for t in new_turns if t.seq in pieces]
        report.mentions_found = detect_in_spans(project, doc.id, labels, previous_sha256=doc.sha256, coder=coder,
                                                use_model=use_model)
    return report


def _require_original(project: Project, coder: str) -> None:
    """Editing works on the original words: refuse a coder the project shows only the anonymised rendition."""
    from codebench.services.anonymisation.access import may_see_original

    if not may_see_original(project, coder):
        raise ServiceError(f"coder {coder!r} may not see original names in this project, so cannot edit the "
                           "original text either (the project's owner can allow it: codebench anonymise allow)")


def turn_text(project: Project, document: str | int, turn: int, coder: str) -> str:
    """The words of turn ``turn`` (1-based) as stored, for an editor; only for a coder who may see originals."""
    _require_original(project, coder)
    with project.transaction(write=False) as store:
        doc = find_document(store, document)
        current = _turn(store.documents.turns(doc.id), turn, doc)
        return store.documents.text(doc.id)[current.body_start:current.end]


def edit_span(project: Project, document: str | int, start: int, end: int, new_text: str, *, coder: str,
              detect: bool = True, use_model: bool = True) -> EditReport:
    """Replace ``[start, end)`` of a document's text (the workbench's editor over a selection).

    The span must lie inside one turn's words (not its speaker label, not across turns): the
    edit is then an edit of that turn.
    """
    with project.transaction(write=False) as store:
        doc = find_document(store, document)
        turns = store.documents.turns(doc.id)
        text = store.documents.text(doc.id)
    if not 0 <= start <= end <= len(text):
        raise ServiceError(f"[{start}, {end}) is not inside document {doc.id} ({len(text)} characters)")
    inside = [t for t in turns if t.body_start <= start and end <= t.end]
    if not inside:
        raise ServiceError("select words inside one turn (not a speaker label, not across turns) to edit them")
    turn = inside[0]
    body = text[turn.body_start:start] + new_text + text[end:turn.end]
    return edit_turn(project, doc.id, turn.seq + 1, coder=coder, text=body, detect=detect, use_model=use_model)


def _detect_after(project: Project, document_id: int, old_sha: str, report: EditReport, coder: str, *,
                  use_model: bool) -> int:
    """Look for names in the edited turn (when detection had searched the document before)."""
    from codebench.services.anonymisation.detection import detect_in_spans

    with project.transaction(write=False) as store:
        turns = store.documents.turns(document_id)
    spans = [(t.start, t.end) for t in turns if report.turn is None or t.seq == report.turn]
    return detect_in_spans(project, document_id, spans, previous_sha256=old_sha, coder=coder, use_model=use_model)


def undo_change(store: Store, payload: dict[str, Any], author: str | None) -> None:
    """Take back a change of text from its audit payload (an undo step)."""
    doc = find_document(store, payload["document_id"])
    if doc.sha256 != payload["after_sha256"]:
        raise ServiceError(f"document {doc.id} was changed again since; undo that change first")
    pieces = [Piece.from_json(p) for p in payload["pieces"]]
    if not pieces:
        change_turns_only(store, doc, store.documents.turns(doc.id), turns_from_json(payload["turns_before"]),
                          kind="undo", turn_seq=payload.get("turn"), author=author)
        return
    apply_change(store, doc, invert_pieces(pieces), turns_from_json(payload["turns_before"]), kind="undo",
                 turn_seq=payload.get("turn"), author=author, restore=payload)


def redo_change(store: Store, payload: dict[str, Any], author: str | None) -> None:
    """Make a change of text again from its audit payload (a redo step)."""
    doc = find_document(store, payload["document_id"])
    if doc.sha256 != payload["before_sha256"]:
        raise ServiceError(f"document {doc.id} was changed since; it cannot be edited this way again")
    pieces = [Piece.from_json(p) for p in payload["pieces"]]
    turns = turns_from_json(payload["turns_after"])
    if not pieces:
        change_turns_only(store, doc, store.documents.turns(doc.id), turns, kind="redo", turn_seq=payload.get("turn"),
                          author=author)
        return
    kind = payload.get("kind")
    flag = {"reimport": FLAG_REALIGNED, SPEAKER_RENAMED: None}.get(kind, FLAG_EDITED)
    apply_change(store, doc, pieces, turns, kind="redo", turn_seq=payload.get("turn"), author=author,
                 flag=flag, drop_lost=kind == "reimport")


# -- checking what changed -------------------------------------------------------------------------


def flagged_codings(project: Project, document: str | int | None = None, coder: str | None = None) -> list[CheckItem]:
    """Codings whose words changed and that nobody has checked yet (of one coder, if given)."""
    with project.transaction(write=False) as store:
        doc_id = find_document(store, document).id if document is not None else None
        names = {c.id: c.name for c in store.codebook.rows()}
        return [CheckItem(c.uuid, c.document_id, names.get(c.code_id, "?"), c.coder, c.start, c.end, c.flag or "")
                for c in store.codings.flagged(doc_id) if coder is None or c.coder == coder]


def check_coding(project: Project, coding_uuid: str, coder: str) -> CheckItem:
    """Mark a flagged coding as checked: the coder has looked at its words (undoable)."""
    with project.transaction() as store:
        found = store.codings.get(coding_uuid)
        if found is None:
            raise ServiceError(f"no coding {coding_uuid!r}")
        if found.coder != coder:
            raise ServiceError(f"that coding is {found.coder}'s: its coder checks it")
        if not found.flag:
            raise ServiceError("that coding is not flagged; there is nothing to check")
        store.audit.log("coding_checked", coder, {"uuid": found.uuid, "from": found.flag, "to": None})
        store.codings.update(found.uuid, flag=None)
        names = {c.id: c.name for c in store.codebook.rows()}
        return CheckItem(found.uuid, found.document_id, names.get(found.code_id, "?"), found.coder, found.start, found.end,
                         found.flag)


def document_revisions(project: Project, document: str | int) -> list[RevisionInfo]:
    """A document's revision history, oldest change first."""
    with project.transaction(write=False) as store:
        doc = find_document(store, document)
        return store.documents.revisions([doc.id]).get(doc.id, [])
