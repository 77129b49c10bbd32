"""Quotes lightened for a report: transcription marks removed, long quotes shortened with
a marked omission (…), attribution by role only, and the choice of which quotes to print.

Pure text functions on :class:`~codebench.domain.records.Quote` records; the chapter and codebook
documents that hold their results are in :mod:`codebench.domain.report_models`.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from codebench.domain.passages import passages
from codebench.domain.records import Quote

WORKPLACE_KEYS: tuple[str, ...] = ("bransje", "arbeidsplasstype", "arbeidsplass", "sektor", "sector", "workplace", "industry")
"""Participant attributes that describe the kind of workplace, in order of preference.

Deliberately not ``site`` or ``kommune``: those name a place and identify the informant.
"""

OMISSION = "(…)"
"""How a report marks left-out words inside a quote."""

# Transcription marks that mean nothing to a report reader. Pauses are removed because "(…)"
# in the finished quote must only ever mean that words were left out.
_PAUSE = re.compile(r"\(\s*(?:\.{1,4}|…)\s*\)")
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
# Searched from its colon: a pattern that starts with \d is tried at every character, one that
# starts with ":" jumps from colon to colon (ten times faster over a category's quotes).
_CLOCK_COLON = re.compile(r":\d\d")
# Inline stamps typists and transcription tools leave: [00:12:31], {00:34:20}, #00:02:14-6#,
# [00:05.240 --> 00:08.640]. A parenthesised time counts only at a line's start or end, where
# it cannot be a time said in a sentence ("vi møttes (10:30) …" is rare; "klokka 10:30" stays).
_INLINE_STAMP = re.compile(
    rf"[ \t]*(?:\[{_CLOCK}(?:\s*-->\s*{_CLOCK})?\]|\{{{_CLOCK}\}}|#\d{{1,2}}:\d{{2}}:\d{{2}}(?:[-.,]\d+)?#)"
)
_EDGE_STAMP = re.compile(rf"^[ \t]*\({_CLOCK}\)[ \t]*|[ \t]*\({_CLOCK}\)[ \t]*$", re.M)
# Whole lines that are only time: a Zoom header "[Kari Nordmann] 11:02:09" (in the rendition
# "[[Person 1]] 11:02:09"), a subtitle cue's timing "00:05.240 --> 00:08.640", a bare "00:12:31".
_TIME_LINE = re.compile(rf"^[ \t]*(?:\[(?:[^\[\]\n]|\[[^\[\]\n]*\]){{1,60}}\][ \t]+{_CLOCK}|{_CLOCK}(?:[ \t]*-->[ \t]*{_CLOCK})?)[ \t]*(?:\n|$)",
                        re.M)
_OVERLAP = re.compile(r"//")
_LABEL = re.compile(r"^\s*([^:\n]{1,40}):\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.!?;:])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _has_clock(text: str) -> bool:
    """Whether ``text`` holds a digit, a colon and two digits (``9:05``, ``00:12:31``)."""
    for found in _CLOCK_COLON.finditer(text):
        at = found.start()
        if at and text[at - 1].isdecimal():  # \d is a decimal digit of any script, as isdecimal
            return True
    return False


def without_time_marks(text: str) -> str:
    """A quote without the time marks of its transcript: inline timestamps (``[00:12:31]``,
    ``{00:34:20}``, ``#00:02:14-6#``, a ``(00:03:12)`` at a line's edge) and lines that hold
    only time (Zoom's ``[Name] 11:02:09`` headers, subtitle cue timings).

    Typed transcripts lose these on import (:mod:`codebench.ingest.cleanup`); projects imported
    before that, and ASR formats whose quotes span a cue header, still have them in the stored
    text, which is never changed. So every place that shows a quote to a reader — the quotes
    view, ``codebench quotes``, matrices, chapters, memo exports — shows it through here. Line
    breaks stay; the spaces a stamp leaves behind do not.
    """
    if not _has_clock(text):  # every mark has a clock in it: most quotes are done here
        return text
    cleaned = _TIME_LINE.sub("", text)
    cleaned = _INLINE_STAMP.sub("", cleaned)
    cleaned = _EDGE_STAMP.sub("", cleaned)
    if cleaned == text:
        return text
    return "\n".join(" ".join(line.split()) if line.strip() else "" for line in cleaned.split("\n")).strip("\n")


def edit_quote(text: str, speaker: str | None = None) -> str:
    """A coded segment as a report prints it: one paragraph without the informant's own speaker
    label, pause marks, timestamps or overlap marks, inner quotation marks made single.

    Other speakers' labels (an interviewer's question inside the segment) are kept so that the
    writer sees them and decides.
    """
    lines: list[str] = []
    for line in without_time_marks(text).split("\n"):
        line = line.strip()
        if not line:
            continue
        label = _LABEL.match(line)
        if label and speaker and label.group(1).strip() == speaker.strip():
            line = line[label.end():]
        lines.append(line)
    edited = " ".join(lines)
    edited = _PAUSE.sub(" ", edited)
    edited = _OVERLAP.sub("", edited)
    edited = " ".join(edited.split())
    edited = _SPACE_BEFORE_PUNCT.sub(r"\1", edited)
    # Norwegian style: «outer», ‘inner’.
    return edited.replace("«", "‘").replace("»", "’")


def trim_quote(text: str, max_words: int | None) -> tuple[str, bool]:
    """Shorten a quote to about ``max_words`` words by leaving out its middle, marked (…).

    Whole sentences are kept where possible (the opening ones and the closing ones); a first
    sentence longer than the budget is cut between words instead.

    Returns:
        ``(text, trimmed)``; the text is unchanged when it is short enough or ``max_words`` is None.
    """
    words = text.split()
    if max_words is None or max_words <= 0 or len(words) <= max_words:
        return text, False
    head_budget = max(1, round(max_words * 0.6))
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    head: list[str] = []
    used = 0
    for sentence in sentences:
        n = len(sentence.split())
        if used + n > head_budget:
            break
        head.append(sentence)
        used += n
    if head:
        tail: list[str] = []
        tail_used = 0
        for sentence in reversed(sentences[len(head):]):
            n = len(sentence.split())
            if used + tail_used + n > max_words:
                break
            tail.insert(0, sentence)
            tail_used += n
        kept_head, kept_tail = " ".join(head), " ".join(tail)
    else:
        tail_budget = max_words - head_budget
        kept_head = " ".join(words[:head_budget])
        kept_tail = " ".join(words[len(words) - tail_budget:]) if tail_budget else ""
    return (f"{kept_head} {OMISSION} {kept_tail}" if kept_tail else f"{kept_head} {OMISSION}"), True


def workplace_of(attributes: Mapping[str, object]) -> str | None:
    """The kind of workplace a participant's attributes give (see :data:`WORKPLACE_KEYS`)."""
    lowered = {str(key).casefold(): value for key, value in attributes.items()}
    for key in WORKPLACE_KEYS:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def attribution(role: str | None, *, workplace: str | None = None, round: int | None = None,
                group: bool = False, survey: bool = False) -> str:
    """Who said it, by role only, e.g. ``(mentor, butikk, runde 2)``.

    Args:
        role: the informant's role (none or ``other``: "informant").
        workplace: a kind of workplace, never a place name.
        round: the interview round.
        group: the quote comes from a group interview.
        survey: the quote is a free-text survey answer (then no round).
    """
    parts = ["informant" if role in (None, "other") else str(role)]
    if group:
        parts.append("gruppeintervju")
    if workplace:
        parts.append(workplace)
    if survey:
        parts.append("spørreundersøkelse")
    elif round is not None:
        parts.append(f"runde {round}")
    return "(" + ", ".join(parts) + ")"


def distinct_passages(quotes: Sequence[Quote]) -> list[Quote]:
    """One quote per passage: of quotes of the same code in the same document whose spans
    overlap (two coders marking nearly the same words), only the longest is kept.

    Overlap chains count as one passage (see :mod:`codebench.domain.passages`, where counts
    use the same rule). The kept quotes come in document order.
    """
    return passages(quotes)


def short_examples(quotes: Sequence[Quote], count: int, *, ideal_words: int = 20, max_words: int = 40) -> list[Quote]:
    """Up to ``count`` short, telling quotes for a codebook: near ``ideal_words`` words, from
    different participants where possible, always the same choice for the same quotes."""
    if count <= 0:
        return []
    candidates: list[tuple[int, int, int, Quote]] = []
    for order, quote in enumerate(distinct_passages(quotes)):
        n = len(quote.text.split())
        too_long = n > max_words
        # Fragments under four words say little about a code; they come last.
        candidates.append((int(too_long), abs(n - ideal_words) if n >= 4 else ideal_words + 100, order, quote))
    candidates.sort(key=lambda item: item[:3])
    chosen: list[Quote] = []
    people: set[str | None] = set()
    for *_, quote in candidates:  # first pass: one per participant
        if quote.participant not in people:
            chosen.append(quote)
            people.add(quote.participant)
        if len(chosen) == count:
            return chosen
    for *_, quote in candidates:
        if quote not in chosen:
            chosen.append(quote)
        if len(chosen) == count:
            break
    return chosen
