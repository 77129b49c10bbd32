"""Text search across the project: hits as keyword-in-context lines, coding them, saved searches.

A search runs in three steps:

1. the query is read (:mod:`codebench.domain.search`) and its filters resolved to documents and
   codes;
2. the full-text index (:mod:`codebench.storage.search`) narrows the project's turns to the
   candidates that may hold a hit;
3. each candidate turn is read *as this coder may see it* — the anonymised rendition once
   detection has run, unless the original is asked for and allowed (see
   :func:`codebench.services.anonymisation.disclosure`) — and the hits are found in that text.

So what is counted is what is shown: a coder who may not see original names finds nothing when
searching for one (and is told why, in words that do not depend on whether the name occurs),
while a pseudonym such as "[Mentor 2]" is found where it stands. Hits keep their positions in
the stored original, where codings live and where the transcript view jumps to.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable, Iterator, Sequence

from codebench.domain import code_tree as rules
from codebench.domain.code_tree import subtree_ids
from codebench.domain.records import normalise_role
from codebench.domain.search import (
    WIDEN_UNITS, IndexPlan, Matcher, MatchOptions, ParsedQuery, PseudonymFinder, QueryFilters, SearchHit,
    SearchQueryError, covered, index_plan, inside, keeps_pseudonyms_whole, parse_query, pseudonym_cores,
    sides_need_questions, speaker_sides, widen,
)
from codebench.errors import ServiceError
from codebench.services.anonymisation.access import may_see_original
from codebench.services.anonymisation.disclosure import disclosure
from codebench.services.anonymisation.renditions import (
    ACTIVE, PassageRenditions, anonymise_free_text, document_labels,
)
from codebench.services.codebook import add_code
from codebench.services.project import Project
from codebench.storage.search import CandidateTurn, DocumentFacts
from codebench.storage.store import Store

__all__ = [
    "CodedHits", "MatchOptions", "QueryFilters", "SavedSearch", "SearchHit", "SearchResult", "WIDEN_UNITS",
    "code_hits", "forget_search", "run_saved_search", "save_search", "saved_searches", "search",
]

_SURVEY_FORMATS = ("csv", "xlsx")
_FIRST_BATCH = 64
_LARGEST_BATCH = 2000


@dataclass(frozen=True)
class SearchResult:
    """The hits of one search, and how they were found."""

    query: ParsedQuery
    options: MatchOptions
    filters: QueryFilters
    """The query's own filters with the caller's added."""
    hits: list[SearchHit]
    complete: bool
    """Every hit is in ``hits`` (False: the search stopped at its limit; there are more)."""
    anonymised: bool
    """The text searched and shown is the anonymised rendition."""
    note: str | None = None
    """Why nothing was found, or what the coder should know about what was searched."""
    state_note: str | None = None
    """The anonymisation state's note (not anonymised, N suggestions open), as every view prints it."""

    @property
    def documents(self) -> int:
        """How many documents the hits are in."""
        return len({h.document_id for h in self.hits})

    def describe(self) -> str:
        """The query as it was run: terms, filters and options ("tillit* role:mentor (å=aa ø=oe æ=ae)")."""
        text = " ".join(t.text for t in self.query.terms)
        filters = self.filters.describe()
        options = self.options.describe()
        return " ".join(p for p in (text, filters, f"({options})" if options else "") if p)


def _parse(query: str, filters: QueryFilters) -> tuple[ParsedQuery, QueryFilters]:
    try:
        parsed = parse_query(query)
        return parsed, parsed.filters.merged(filters)
    except SearchQueryError as exc:
        raise ServiceError(str(exc)) from None


def search(
    project: Project,
    query: str,
    *,
    coder: str | None = None,
    original: bool = False,
    options: MatchOptions = MatchOptions(),
    filters: QueryFilters = QueryFilters(),
    coded_by: Sequence[str] | None = None,
    limit: int | None = None,
) -> SearchResult:
    """Find a query's hits across the project (or the documents its filters leave).

    Args:
        query: the query, in the language of :mod:`codebench.domain.search` (filters included).
        coder: who searches (decides whether original names may be searched and shown).
        original: search and show the original text (only for coders allowed to see names).
        options: case, accents, and å/aa ø/oe æ/ae folding.
        filters: more filters (the command line's flags), added to the query's own.
        coded_by: whose codings count for ``is:uncoded`` and ``in:CODE`` (None: everyone's).
        limit: stop after this many hits (the first page); None finds them all.

    Raises:
        ServiceError: a query that cannot be read, a filter naming nothing, or the original
            asked for by a coder who may not see it.
    """
    parsed, wanted = _parse(query, filters)
    shown = disclosure(project, coder, original=original)
    anonymised = not shown.original
    matcher = Matcher(parsed, options)
    plan = index_plan(parsed, options)
    # Anonymised names number documents across the project ("M01 mentor runde 1 (2)"): read them all.
    pseudonymous = document_labels(project) if anonymised else None
    with project.transaction(write=False) as store:
        facts = store.search.document_facts()
        labels = pseudonymous if pseudonymous is not None else {d: f.name for d, f in facts.items()}
        document_ids = _documents(store, facts, labels, wanted, anonymised=anonymised)
        inside_spans = None
        if wanted.in_codes:
            inside_spans = store.search.coded_spans(document_ids if document_ids is not None else list(facts),
                                                    code_ids=_codes(store, wanted.in_codes), coders=coded_by)
            document_ids = sorted(inside_spans)
        extra = _pseudonym_turns(store, parsed, options, document_ids) if anonymised and plan is not None else []
        signature = store.search.rendition_signature() if anonymised else None
    renditions = _renditions(project, signature) if anonymised else None

    hits: list[SearchHit] = []
    sides: dict[int, dict[str | None, str]] = {}
    coded_spans: dict[int, list[tuple[int, int]]] = {}
    complete = True
    for turns in _candidate_pages(project, plan, document_ids, extra, limit):
        turns = [t for t in turns if t.document_id in facts]  # not a document imported since the search began
        if renditions is not None:
            # A document detection has not searched is not shown to a coder kept from names.
            turns = [t for t in turns if not renditions.withheld(t.document_id)]
        new_documents = sorted({t.document_id for t in turns} - sides.keys())
        with project.transaction(write=False) as store:
            sides.update(_sides(store, facts, new_documents))
            if wanted.uncoded:
                coded_spans.update(store.search.coded_spans(new_documents, coders=coded_by))
        if wanted.speaker:
            turns = [t for t in turns if sides[t.document_id].get(t.speaker) == wanted.speaker]

        def keep(document_id: int, start: int, end: int) -> bool:
            if inside_spans is not None and not inside(inside_spans.get(document_id, []), start, end):
                return False
            return not wanted.uncoded or not covered(coded_spans.get(document_id, []), start, end)

        keeping = keep if inside_spans is not None or wanted.uncoded else None
        for turn in turns:
            hits.extend(_turn_hits(turn, matcher, renditions, facts[turn.document_id],
                                   labels.get(turn.document_id, "Dokument"), sides, keeping))
        if limit is not None and len(hits) >= limit:
            complete = False  # stopped early: there may be more (the caller asks for all when it wants them)
            break
    if limit is not None:
        hits = hits[:limit]
    else:
        # Turn ids follow the order turns were stored in; a turn added later (an edit that splits
        # one) still goes to its place in its document.
        hits.sort(key=lambda h: (h.document_id, h.start, h.end))
    note = None if hits else _nothing_found(project, coder, anonymised, wanted)
    return SearchResult(parsed, options, wanted, hits, complete, anonymised, note, shown.note)


_LOADED: dict[tuple[str, int], tuple[Any, PassageRenditions]] = {}
"""The anonymisation decisions last loaded per project, with the signature they were loaded at."""


def _renditions(project: Project, signature: Any) -> PassageRenditions:
    """The project's anonymisation decisions, loaded once and kept while they do not change.

    A coder who may not see names searches the rendition; loading every mention and the forms of
    every entity costs about a second at 15,000 mentions, and the workbench searches again and
    again. The signature (mentions, statuses, pseudonyms, document texts) says when to reload.
    """
    key = (project.url, project.project_id)
    kept = _LOADED.get(key)
    if kept is not None and kept[0] == signature:
        return kept[1]
    loaded = PassageRenditions(project)
    _LOADED[key] = (signature, loaded)
    return loaded


def _candidate_pages(project: Project, plan: IndexPlan | None, document_ids: Sequence[int] | None,
                     extra: Sequence[int], limit: int | None) -> Iterator[list[CandidateTurn]]:
    """Candidate turns in stored order, a page at a time: small pages while a first page of hits is
    wanted (a common word is in most turns), all at once when every hit is."""
    if limit is None:
        with project.transaction(write=False) as store:
            turns = store.search.candidates(plan, document_ids)
            missing = sorted(set(extra) - {t.id for t in turns})
            if missing:
                turns = sorted(turns + store.search.candidates(None, document_ids, turn_ids=missing), key=itemgetter(0))
        yield turns
        return
    after, size = 0, _FIRST_BATCH
    pending = sorted(extra)
    while True:
        with project.transaction(write=False) as store:
            turns = store.search.candidates(plan, document_ids, after=after, limit=size)
            last = len(turns) < size
            upto = None if last else turns[-1].id
            wanted = [i for i in pending if upto is None or i <= upto]
            pending = pending[len(wanted):]
            missing = sorted(set(wanted) - {t.id for t in turns})
            if missing:
                turns = sorted(turns + store.search.candidates(None, document_ids, turn_ids=missing), key=itemgetter(0))
        if turns:
            yield turns
        if last:
            return
        after, size = upto, min(size * 4, _LARGEST_BATCH)  # type: ignore[assignment]


def _turn_hits(turn: CandidateTurn, matcher: Matcher, renditions: PassageRenditions | None,
               facts: DocumentFacts, label: str, sides: dict[int, dict[str | None, str]],
               keep: Callable[[int, int, int], bool] | None) -> list[SearchHit]:
    """The hits in one turn: found in the text as shown, placed in the original."""
    shown, offsets = turn.body, None
    speaker = turn.speaker
    if renditions is not None:
        if renditions.has_names(turn.document_id):
            shown, offsets = renditions.render(turn.document_id, turn.body_start, turn.body)
        speaker = renditions.label(speaker)
    spans = matcher.find(shown)
    if not spans:
        return []
    base = turn.body_start
    if offsets is not None:
        cores = pseudonym_cores(shown, ((offsets.to_target(span.start), offsets.to_target(span.start) + length)
                                        for span, length in offsets.edits))
        spans = [(s, e) for s, e in spans if keeps_pseudonyms_whole(s, e, cores)]
        placed = [(s, e, offsets.to_source(s, side="start") + base, offsets.to_source(e, side="end") + base)
                  for s, e in spans]
    else:
        placed = [(s, e, s + base, e + base) for s, e in spans]
    document_id = turn.document_id
    if keep is not None:
        placed = [p for p in placed if keep(document_id, p[2], p[3])]
    # A common word has thousands of hits: the tuple is made directly, with what is per turn once.
    side = sides[document_id].get(turn.speaker, "unknown")
    make = SearchHit._make
    return [make((document_id, label, facts.participant, facts.role, facts.round, turn.seq + 1, speaker, side,
                  start, end, base, turn.end, facts.sha256, shown, s, e)) for s, e, start, end in placed]


def _nothing_found(project: Project, coder: str | None, anonymised: bool, wanted: QueryFilters) -> str:
    """Why a search found nothing — never depending on what the original text holds."""
    filtered = " with these filters" if wanted.describe() else ""
    if not anonymised:
        return f"no hits{filtered}"
    if may_see_original(project, coder):
        return (f"no hits in the anonymised text{filtered}: names and other identifiers are replaced by "
                "pseudonyms such as [Person 1]; search the original with --original (o in the workbench)")
    who = f"coder {coder!r}" if coder else "a coder who does not say who they are"
    return (f"no hits in the anonymised text{filtered}: names and other identifiers are replaced by pseudonyms "
            f"such as [Person 1], and {who} may not see original names, so searches find only what the "
            "anonymised text shows (search for the pseudonym instead)")


# -- filters -----------------------------------------------------------------------------------


def _documents(store: Store, facts: dict[int, DocumentFacts], labels: dict[int, str], wanted: QueryFilters, *,
               anonymised: bool) -> list[int] | None:
    """The documents the filters leave (None: all of them)."""
    chosen: set[int] | None = None
    if wanted.roles:
        try:
            roles = {normalise_role(r) for r in wanted.roles}
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        chosen = {d for d, f in facts.items() if f.role in roles}
    if wanted.rounds:
        rounds = {d for d, f in facts.items() if f.round in set(wanted.rounds)}
        chosen = rounds if chosen is None else chosen & rounds
    if wanted.documents:
        named: set[int] = set()
        for ref in wanted.documents:
            named |= _named_documents(ref, facts, labels, anonymised=anonymised)
        chosen = named if chosen is None else chosen & named
    return sorted(chosen) if chosen is not None else None


def _named_documents(ref: str, facts: dict[int, DocumentFacts], labels: dict[int, str], *, anonymised: bool) -> set[int]:
    """Documents a ``doc:`` filter names: id, the name as shown (or its start), or the participant."""
    key = ref.strip().casefold()
    if key.isdigit() and int(key) in facts:
        return {int(key)}
    names = {d: labels.get(d, "") for d in facts}
    if not anonymised:  # the stored name is shown too; a coder seeing pseudonyms names by label only
        names = {d: f.name for d, f in facts.items()}
    for candidates in (
        {d for d, n in names.items() if n.casefold() == key} | {d for d, l in labels.items() if l.casefold() == key},
        {d for d, f in facts.items() if (f.participant or "").casefold() == key},
        {d for d, n in names.items() if n.casefold().startswith(key)} | {d for d, l in labels.items() if l.casefold().startswith(key)},
    ):
        if candidates:
            return candidates
    raise ServiceError(f"doc:{ref} names no document you can search (give its number, its name as "
                       "`codebench documents` lists it, or the participant, e.g. doc:M01)")


def _codes(store: Store, names: Sequence[str]) -> list[int]:
    rows = store.codebook.rows()
    ids: list[int] = []
    for name in names:
        node = store.codebook.by_name(name)
        if node is None:
            raise ServiceError(f"in:{name} — no code or category called {name!r}")
        ids += subtree_ids(rows, node.id)
    return ids


def _sides(store: Store, facts: dict[int, DocumentFacts], document_ids: Sequence[int]) -> dict[int, dict[str | None, str]]:
    """Who is the interviewer and who the informant, per document."""
    turns = store.search.speaker_turns(document_ids)
    survey = {d for d in document_ids if facts[d].source_format in _SURVEY_FORMATS}
    asking = [d for d in document_ids if sides_need_questions(turns.get(d, {}), survey=d in survey)]
    questions = store.search.question_counts(asking) if asking else {}
    # Speech recognition writes no question marks: there the turns that open as questions say who asks.
    unmarked = [d for d in asking if not any((questions.get(d) or {}).values())]
    questions.update(store.search.question_turns(unmarked))
    return {d: speaker_sides(turns.get(d, {}), questions.get(d), survey=d in survey) for d in document_ids}


def _pseudonym_turns(store: Store, parsed: ParsedQuery, options: MatchOptions,
                     document_ids: Sequence[int] | None) -> list[int]:
    """The turns where a pseudonym the query may find stands in the rendition.

    The index holds the original words: "[Mentor 2]" is in no index row, yet a reader of the
    rendition sees (and searches) it.
    """
    finder = PseudonymFinder(parsed, options)
    found = [p for p in store.search.pseudonyms(ACTIVE, document_ids) if finder.finds(p)]
    return store.search.turns_naming(found, ACTIVE, document_ids) if found else []


# -- coding the hits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodedHits:
    """What coding a search's hits did."""

    code: str
    added: int
    already: int
    """Hits (after widening) this coder had already coded with this code: left as they were."""
    created: bool
    """The code was made for this (an open code)."""
    widen: str


def code_hits(
    project: Project,
    hits: Sequence[SearchHit],
    code: str,
    coder: str,
    *,
    widen_to: str = "sentence",
    query: str | None = None,
    create: str | None = "open",
) -> CodedHits:
    """Code every hit given (all of a search's, or the ones the coder marked) — one undoable operation.

    Each hit is widened first (``hit``: the matched words; ``word``; ``sentence``; ``turn``),
    within its turn; hits that widen to the same span make one coding.

    Args:
        hits: the hits to code (their positions are in the stored text).
        code: the code's name; an unknown name creates an open code when ``create`` says so.
        coder: who codes.
        widen_to: one of :data:`WIDEN_UNITS`.
        query: the search that found the hits, kept in the audit log.

    Raises:
        ServiceError: no hits, no coder, an unknown code (without ``create``), a category,
            or a transcript that changed since the search (search again).
    """
    coder = coder.strip()
    if not coder:
        raise ServiceError("coding needs a coder name")
    if not hits:
        raise ServiceError("there are no hits to code")
    if widen_to not in WIDEN_UNITS:
        raise ServiceError(f"widen to one of {', '.join(WIDEN_UNITS)}, not {widen_to!r}")
    with project.transaction() as store:
        hashes = store.documents.hashes()
        changed = {h.document_id for h in hits if hashes.get(h.document_id) != h.text_sha256}
        if changed:
            raise ServiceError(f"{len(changed)} of the transcripts changed (or went) since the search; "
                               "search again before coding the hits")
        node = store.codebook.by_name(code)
        created = None
        if node is None:
            if create is None:
                raise ServiceError(f"no code called {code!r}")
            node = created = add_code(store, code, parent=None, kind="code", origin=create)
        rules.check_applicable(node, code)
        coder_id = store.codings.coder_id(coder)
        assert coder_id is not None
        texts = store.documents.texts({h.document_id for h in hits})
        present = {(d, s, e) for d, who, s, e in store.codings.span_keys(code_id=node.id) if who == coder_id}
        spans: dict[tuple[int, int, int], None] = {}
        for h in hits:
            start, end = widen(texts[h.document_id], h.start, h.end, widen_to, (h.turn_start, h.turn_end))
            if end > start:
                spans[(h.document_id, start, end)] = None
        new = [s for s in spans if s not in present]
        rows = [{"uuid": store.codings.new_id(), "document_id": d, "code_id": node.id, "coder_id": coder_id,
                 "start": s, "end": e, "text_sha256": hashes[d], "quote": texts[d][s:e], "memo": None}
                for d, s, e in new]
        store.codings.add_many(rows)
        payload: dict[str, Any] = {
            "code_id": node.id, "coder_id": coder_id, "widen": widen_to, "hits": len(hits),
            "codings": [{k: r[k] for k in ("uuid", "document_id", "start", "end", "text_sha256")} for r in rows],
        }
        if query is not None:
            payload["query"] = query
        if created is not None:
            from codebench.domain.records import code_snapshot

            payload["created_code"] = code_snapshot(created)
        store.audit.log("code_hits", coder, payload)
    return CodedHits(node.name, len(rows), len(spans) - len(new), created is not None, widen_to)


# -- saved searches -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedSearch:
    """A saved search as the reader may see it (the query anonymised for coders who may not see names)."""

    name: str
    query: str
    options: MatchOptions
    coder: str | None
    hits: int | None
    saved_at: Any

    def describe(self) -> str:
        """The query with its options, as the methods section would quote it."""
        options = self.options.describe()
        return f"{self.query} ({options})" if options else self.query


_OPTION_KEYS = ("case_sensitive", "accent_sensitive", "nordic")


def save_search(project: Project, name: str, query: str, *, options: MatchOptions = MatchOptions(),
                filters: QueryFilters = QueryFilters(), coder: str | None = None, hits: int | None = None) -> SavedSearch:
    """Keep a search under a name (a search of that name is replaced), audit-logged.

    The query is stored with the filters given apart (``filters``) written into it, so the saved
    text alone says what was searched.

    Raises:
        ServiceError: no name, or a query that cannot be read.
    """
    name = " ".join(name.split())
    if not name:
        raise ServiceError("name the search")
    parsed, wanted = _parse(query, filters)
    extra = filters.describe()
    text = f"{query.strip()} {extra}".strip() if extra else query.strip()
    stored = {k: getattr(options, k) for k in _OPTION_KEYS}
    with project.transaction() as store:
        record = store.search.save(name[:200], text, stored, coder, hits)
        store.audit.log("search_save", coder, {"name": record.name, "hits": hits})
    return SavedSearch(record.name, record.query, options, record.coder, record.hits, record.created_at)


def saved_searches(project: Project, *, coder: str | None = None, original: bool = False,
                   name: str | None = None) -> list[SavedSearch]:
    """The project's saved searches, oldest first (one by ``name``, when given).

    Queries are shown with known names replaced unless originals are shown to this coder: a
    search for a name, saved by someone allowed to see it, does not pass the name on.

    Raises:
        ServiceError: ``name`` given but no search has it.
    """
    shown = disclosure(project, coder, original=original)
    with project.transaction(write=False) as store:
        records = store.search.saved(name)
    if name is not None and not records:
        raise ServiceError(f"no saved search called {name!r} (see `codebench searches`)")
    found = []
    for r in records:
        query = r.query if shown.original else anonymise_free_text(project, r.query)
        options = MatchOptions(**{k: bool(r.options.get(k)) for k in _OPTION_KEYS})
        found.append(SavedSearch(r.name, query, options, r.coder, r.hits, r.created_at))
    return found


def run_saved_search(project: Project, name: str, **kwargs: Any) -> SearchResult:
    """Run a saved search again (with its options), as :func:`search` with the same keywords.

    Raises:
        ServiceError: no saved search has that name, or :func:`search`'s reasons.
    """
    with project.transaction(write=False) as store:
        records = store.search.saved(name)
    if not records:
        raise ServiceError(f"no saved search called {name!r} (see `codebench searches`)")
    stored = records[0].options
    kwargs["options"] = MatchOptions(**{k: bool(stored.get(k)) for k in _OPTION_KEYS})
    return search(project, records[0].query, **kwargs)


def forget_search(project: Project, name: str, coder: str | None = None) -> None:
    """Delete a saved search.

    Raises:
        ServiceError: no search has that name.
    """
    with project.transaction() as store:
        if not store.search.forget(name):
            raise ServiceError(f"no saved search called {name!r}")
        store.audit.log("search_forget", coder, {"name": name})
