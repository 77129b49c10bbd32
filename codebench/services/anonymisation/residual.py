"""The residual review list: what detection left unmasked that may still be a name.

Detection finds most names; the rest must reach the researcher.  This lists, best first, the
word forms left in place that look like names (see :mod:`codebench.anonymise.residual`): the
researcher reads from the top, marks a name (``anonymise add``) or keeps the word (``keep``),
and a kept word is not listed again.  Kept words are stored as hashes, so the project file
never holds the words themselves.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping, Sequence

from codebench.anonymise.gazetteer import is_also_a_word
from codebench.anonymise.residual import REASONS, residual_candidates
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import require_reviewer
from codebench.services.anonymisation.state import RESIDUAL_READ, anonymisation_state
from codebench.services.project import Project

KEPT = "residual_kept"
"""Anonymisation setting: hashes of the word forms the researcher read and kept."""


@dataclass(frozen=True)
class ResidualContext:
    """One occurrence of a residual word with some original text around it."""

    document_id: int
    document: str
    start: int
    end: int
    before: str
    text: str
    after: str


@dataclass(frozen=True)
class ResidualView:
    """One word form for the researcher to read."""

    rank: int
    form: str
    score: float
    reasons: tuple[str, ...]
    count: int
    documents: int
    contexts: tuple[ResidualContext, ...]
    also_a_word: bool = False
    """The form is an ordinary word too ("hans", "per", "bakke"): marking it everywhere also
    marks it where it is the word."""
    unmasked: int = 0
    """How often the form stands unmasked in all (``count`` is how often it is listed: a word
    that is also a name is listed only where it may be the name)."""

    @property
    def why(self) -> str:
        """The reasons in words ("not an ordinary word, next to a masked name")."""
        return ", ".join(REASONS[r] for r in self.reasons)


# The name model's scores per document text (by its hash): a word's score depends only on the
# words around it, so after a researcher marks or keeps a word the list is ranked again without
# reading the documents through the model a second time.
_SCORES: OrderedDict[str, dict[int, float]] = OrderedDict()
_SCORES_LOCK = threading.Lock()
SCORED_DOCUMENTS = 2000


def _model_scores(texts: Mapping[Hashable, str], spans: Mapping[Hashable, list[tuple[int, int]]]
                  ) -> dict[tuple[Hashable, int], float]:
    """:func:`codebench.anonymise.ner.person_probabilities`, remembered per document text."""
    from codebench.anonymise.ner import person_probabilities

    digests = {key: hashlib.sha256(texts[key].encode("utf-8")).hexdigest() for key in spans}
    with _SCORES_LOCK:
        todo = {key: missing for key, asked in spans.items()
                for known in [_SCORES.get(digests[key], {})]
                for missing in [[(s, e) for s, e in asked if s not in known]] if missing}
    fresh = person_probabilities({key: texts[key] for key in todo}, todo) if todo else {}
    out: dict[tuple[Hashable, int], float] = {}
    with _SCORES_LOCK:
        for (key, start), p in fresh.items():
            _SCORES.setdefault(digests[key], {})[start] = p
        for key in spans:
            known = _SCORES.setdefault(digests[key], {})
            _SCORES.move_to_end(digests[key])
            out.update(((key, start), p) for start, p in known.items())
        while len(_SCORES) > SCORED_DOCUMENTS:
            _SCORES.popitem(last=False)
    return out


def _digest(form: str) -> str:
    return hashlib.sha256(form.casefold().encode("utf-8")).hexdigest()[:20]


def form_digest(form: str) -> str:
    """How a kept word is stored (a digest, never the word): ``" ".join`` of its words, any case."""
    return _digest(" ".join(form.split()))


def kept_digests(project: Project) -> frozenset[str]:
    """The digests of the words kept from the residual list (not names)."""
    with project.reading() as store:
        return frozenset(store.anonymisation.settings().get(KEPT, ()))


def residual(project: Project, *, limit: int | None = 200, context: int = 40, shown: int = 3,
             use_model: bool = True) -> list[ResidualView]:
    """The ranked residual list of the project (original words: for coders who may see them).

    Every mention detection stored counts as read, whatever its status: open suggestions are in
    the review list, and rejected ones were read already.

    Args:
        project: the project.
        limit: at most this many entries (None: all).
        context: characters of original text either side of an occurrence.
        shown: occurrences with context per entry (those the name model doubts most about first).
        use_model: rank with the name model's doubts too (it reads a few words around each
            candidate once per document text: the first list of a 40,000-word project takes
            about three seconds more, the lists after a decision little more than without).
    """
    with project.transaction(write=False) as store:
        infos = store.documents.infos()
        texts = store.documents.texts([i.id for i in infos]) if infos else {}
        rows = store.anonymisation.mentions()
        entities = {e.id: e.kind for e in store.anonymisation.entities()}
        kept = set(store.anonymisation.settings().get(KEPT, ()))
    names = {i.id: i.name for i in infos}
    masked: dict[int, list[tuple[int, int, str]]] = {}
    for r in rows:
        # A rejected mention was read, but it is no masked name: "Stortinget", kept by the policy,
        # must not make the word "masked elsewhere".
        kind = "" if r.status == "rejected" else entities.get(r.entity_id, "")
        masked.setdefault(r.document_id, []).append((r.start, r.end, kind))
    candidates = [c for c in residual_candidates(texts, masked, person_scores=_model_scores if use_model else None)
                  if _digest(c.form) not in kept]
    if limit is not None:
        candidates = candidates[:limit]
    unmasked = _unmasked_counts(texts, masked, {c.form for c in candidates})
    views = []
    for rank, cand in enumerate(candidates, 1):
        contexts = tuple(
            ResidualContext(o.document, names.get(o.document, str(o.document)), o.start, o.end,
                            texts[o.document][max(0, o.start - context):o.start].replace("\n", " "),
                            texts[o.document][o.start:o.end],
                            texts[o.document][o.end:o.end + context].replace("\n", " "))
            for o in cand.occurrences[:shown])
        views.append(ResidualView(rank, cand.form, cand.score, cand.reasons, cand.count,
                                  len({o.document for o in cand.occurrences}), contexts,
                                  is_also_a_word(cand.form), max(cand.count, unmasked.get(cand.form, 0))))
    return views


def _unmasked_counts(texts: dict[int, str], masked: dict[int, list[tuple[int, int, str]]],
                     forms: set[str]) -> dict[str, int]:
    """How often each of ``forms`` stands outside every stored mention, in all documents (a
    tester read "liv 1×" where four person uses of "liv" stood in clear: the list counted only
    the occurrence it listed)."""
    import bisect

    counts: dict[str, int] = {}
    if not forms:
        return counts
    for doc, text in texts.items():
        spans = sorted((s, e) for s, e, _ in masked.get(doc, ()))
        starts = [s for s, _ in spans]
        for match in _FORM.finditer(text):
            form = match.group().casefold()
            if form not in forms:
                continue
            k = bisect.bisect_right(starts, match.start()) - 1
            if any(s < match.end() and match.start() < e for s, e in spans[max(0, k - 3):k + 2]):
                continue
            counts[form] = counts.get(form, 0) + 1
    return counts


_FORM = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def keep_residual(project: Project, forms: Iterable[str], *, coder: str | None = None) -> int:
    """Mark word forms as read and kept (not names): they leave the residual list.

    Returns:
        how many forms were newly kept.
    """
    require_reviewer(project, coder)
    digests = [_digest(f) for f in forms if f.strip()]
    with project.transaction(write=True) as store:
        settings = store.anonymisation.settings()
        before = set(settings.get(KEPT, ()))
        settings[KEPT] = sorted(before | set(digests))
        store.anonymisation.save_settings(settings)
        new = sorted(set(settings[KEPT]) - before)
        # The log holds a count and the digests undo needs, never the words.
        store.audit.log("anonymise_residual_keep", coder, {"forms": len(new), "digests": new})
    return len(new)


def mark_residual_read(project: Project, *, coder: str | None = None) -> int:
    """Record that the researcher has read the residual list of every document searched so far.

    Until then the project is not called anonymised: the list holds the words detection and the
    review left that may still be names. A document imported or searched later needs it read
    again.

    Returns:
        how many documents' lists are newly marked read.

    Raises:
        ServiceError: a coder who may not see original names (the list shows them); documents
            detection has not searched yet (their list does not exist).
    """
    require_reviewer(project, coder)
    state = anonymisation_state(project)
    if state.unsearched:
        raise ServiceError(f"{state.unsearched} document(s) have not been searched for names yet; run detection "
                           "first (codebench anonymise PROJECT), then read the residual list")
    with project.transaction(write=True) as store:
        hashes = store.documents.hashes()
        settings = store.anonymisation.settings()
        before = set(settings.get(RESIDUAL_READ, ()))
        settings[RESIDUAL_READ] = sorted(before | set(hashes.values()))
        store.anonymisation.save_settings(settings)
        added = len(set(hashes.values()) - before)
        store.audit.log("anonymise_residual_read", coder, {"documents": added})
    return added


def is_ordinary_word_too(name: str) -> bool:
    """A one-word name that is an ordinary word as well ("vår", "sol", "hans"): marking it
    everywhere also masks it where it is the word, so the CLI and the workbench ask first."""
    words = name.split()
    return len(words) == 1 and is_also_a_word(words[0].casefold())


def residual_ranks(views: Sequence[ResidualView]) -> dict[str, int]:
    """Form -> rank, for callers that look words up."""
    return {v.form: v.rank for v in views}
