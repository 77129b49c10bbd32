"""Anonymised renditions: documents, quotes, passages, names and free text as readers get them.

The original text is never changed: a rendition is computed from the accepted and manual
mentions, with an offset map back to the original, so codings (always stored against the
original) stay on the same words whatever is decided later.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from codebench.anonymise.detections import PER
from codebench.anonymise.linking import normalise
from codebench.anonymise.pipeline import Replacement, render, replace_forms
from codebench.domain.records import DocumentInfo, MentionRecord, Quote
from codebench.domain.spans import OffsetMap, Span, apply_replacements
from codebench.errors import ServiceError
from codebench.export.atomic import write_text_atomically
from codebench.services.anonymisation.access import original_viewers, pseudonym_key
from codebench.services.anonymisation.state import anonymisation_state, require_exportable
from codebench.services.documents import get_document, list_documents
from codebench.services.project import Project

ACTIVE = ("accepted", "manual")
"""The statuses whose mentions a rendition replaces."""

SITE = "[Sted]"
"""A participant's site that no entity holds (no text names it alone), as anonymised outputs show it."""

WITHHELD = "[teksten er ikke søkt gjennom for navn ennå]"
"""What a coder who may not see names reads of a document detection has not searched yet: no
name in it is masked, not even one the project knows, so none of its words are shown."""


def _withheld(text: str) -> tuple[str, OffsetMap]:
    """A withheld text: the one line that stands for it, with the map onto it."""
    return apply_replacements(text, [(Span(0, len(text)), WITHHELD)])


class Rendition(NamedTuple):
    """A document's text as readers get it, with the map back to the stored original.

    ``offsets`` maps original code points to rendition code points (``span_to_target``) and back
    (``span_to_source``); codings are always stored against the original.
    """

    document_id: int
    name: str
    text: str
    offsets: OffsetMap
    open_spans: tuple[Span, ...] = ()
    """Where open suggestions stand in ``text`` (a rendition ``with_open``): masked, not yet reviewed."""


def anonymised_names(infos: Sequence[DocumentInfo]) -> dict[int, str]:
    """A file name that cannot identify anyone: participant, role and round ("M01 mentor runde 2")."""
    names: dict[int, str] = {}
    seen: Counter[str] = Counter()
    for info in sorted(infos, key=lambda i: i.id):
        if info.participant is not None:
            base = f"{info.participant.pid} {info.participant.role}"
        else:
            base = "Dokument"
        if info.round is not None:
            base += f" runde {info.round}"
        seen[base] += 1
        names[info.id] = base if seen[base] == 1 else f"{base} ({seen[base]})"
    return names


class _Replacer:
    """Accepted mentions of a project, loaded once per export.

    In a project that lists who may see original names, open suggestions are replaced too: a
    coder who may not see names must not read one because nobody has decided on it yet. So are
    they in a file (``with_open``): an export written before the review is finished
    (``--allow-unreviewed``) may be handed on, and a tester's had every open suggestion (dates of
    birth, a nickname) in clear. So does the workbench's masked view (``rendition(..., with_open=True)``),
    which marks them: testers read names there that the file they exported had masked.
    """

    def __init__(self, project: Project, document_ids: Iterable[int] | None = None, *,
                 with_open: bool = False) -> None:
        restricted = original_viewers(project) is not None
        statuses = ACTIVE + ("suggested",) if restricted or with_open else ACTIVE
        # In such a project a document detection has not searched yet is withheld whole.
        self.withheld: frozenset[int] = anonymisation_state(project).unsearched_ids if restricted else frozenset()
        with project.reading() as store:
            rows = store.anonymisation.mentions(list(document_ids) if document_ids is not None else None, statuses)
            # The forms of the entities on show (for possessives and name parts), wherever they occur.
            present = {r.entity_id for r in rows}
            all_rows = ([r for r in store.anonymisation.mentions(None, ACTIVE + ("suggested",)) if r.entity_id in present]
                        if rows else [])
            wanted = {r.document_id for r in all_rows}
            self.texts = store.documents.texts(wanted) if wanted else {}
            self.whole = store.anonymisation.chosen_pseudonyms()
        self.by_doc: dict[int, list[MentionRecord]] = defaultdict(list)
        for r in rows:
            self.by_doc[r.document_id].append(r)
        self.open_ids = frozenset(r.id for r in rows if r.status == "suggested")
        self.starts = {doc: [r.start for r in rs] for doc, rs in self.by_doc.items()}
        self.longest = {doc: max(r.end - r.start for r in rs) for doc, rs in self.by_doc.items()}
        self.forms: dict[str, set[str]] = defaultdict(set)
        for r in all_rows:
            self.forms[r.pseudonym].add(normalise(self.texts[r.document_id][r.start:r.end]))
        self.form_to_pseudonym = {f: p for p, fs in self.forms.items() for f in fs if len(f) >= 2}
        self.person_pseudonyms = {r.pseudonym for r in all_rows if r.kind == PER}

    def replacements(self, document_id: int, text: str) -> list[Replacement]:
        return [Replacement(r.start, r.end, r.pseudonym, text[r.start:r.end]) for r in self.by_doc.get(document_id, ())]

    def render(self, document_id: int, text: str) -> tuple[str, OffsetMap]:
        if document_id in self.withheld:
            return _withheld(text)
        return render(text, self.replacements(document_id, text), self.forms, whole=self.whole)

    def slice(self, document_id: int, text: str, start: int, end: int) -> str:
        """The anonymised text of [start, end), widened over any mention it cuts."""
        if document_id in self.withheld:
            return WITHHELD
        rows = self.by_doc.get(document_id, ())
        # Mentions are sorted by start: bisect to the few that can overlap this quote.
        i = bisect.bisect_left(self.starts.get(document_id, []), start - self.longest.get(document_id, 0))
        inside = [r for r in rows[i:] if r.start < end and start < r.end] if rows else []
        if not inside:
            return text[start:end]
        start = min(start, min(r.start for r in inside))
        end = max(end, max(r.end for r in inside))
        reps = [Replacement(r.start - start, r.end - start, r.pseudonym, text[r.start:r.end]) for r in inside]
        return render(text[start:end], reps, self.forms, whole=self.whole)[0]

    def string(self, value: str | None) -> str | None:
        return replace_forms(value, self.form_to_pseudonym) if value else value


class PassageRenditions:
    """Anonymised renditions of passages (a search's turns) with offset maps, one load of the decisions for all."""

    def __init__(self, project: Project, document_ids: Iterable[int] | None = None) -> None:
        """Load the decisions for some documents (None: all of them)."""
        self._replacer = _Replacer(project, list(document_ids) if document_ids is not None else None)
        self._replacer.texts = {}  # read for the entities' forms; not needed again (and large)
        self._labels: dict[str | None, str | None] = {}
        self._memo: dict[tuple[str, str], str] = {}

    def has_names(self, document_id: int) -> bool:
        """Whether the document has any replaced mention at all (else its rendition is its text)."""
        return bool(self._replacer.by_doc.get(document_id)) or document_id in self._replacer.withheld

    def withheld(self, document_id: int) -> bool:
        """The document is not shown at all: detection has not searched it, in a project that keeps
        names from some coders."""
        return document_id in self._replacer.withheld

    def mentions(self, document_id: int) -> list[MentionRecord]:
        """The replaced mentions of a document, by start."""
        return list(self._replacer.by_doc.get(document_id, ()))

    def render(self, document_id: int, start: int, text: str) -> tuple[str, OffsetMap | None]:
        """The passage ``text`` (the original from ``start``) as readers get it, with its map back to ``text``.

        A mention reaching past either end of the passage is replaced in the part inside it. The
        map is None when nothing in the passage is replaced (the passage is its own rendition).
        """
        replacer = self._replacer
        if document_id in replacer.withheld:
            return _withheld(text)
        rows = replacer.by_doc.get(document_id, ())
        end = start + len(text)
        reps = []
        if rows:
            i = bisect.bisect_left(replacer.starts[document_id], start - replacer.longest[document_id])
            for r in rows[i:]:
                if r.start >= end:
                    break
                if r.end > start:
                    s, e = max(r.start, start) - start, min(r.end, end) - start
                    reps.append(Replacement(s, e, r.pseudonym, text[s:e]))
        if not reps:
            return text, None
        return render(text, reps, replacer.forms, whole=replacer.whole, memo=self._memo)

    def label(self, value: str | None) -> str | None:
        """A speaker label (or other short text) with every known name form replaced."""
        if value not in self._labels:  # a transcript has a handful of labels, each over many turns
            self._labels[value] = self._replacer.string(value)
        return self._labels[value]


def _texts(project: Project, document_ids: set[int]) -> dict[int, str]:
    with project.reading() as store:
        return store.documents.texts(document_ids)


def rendition(project: Project, document: str | int, *, anonymised: bool = True,
              with_open: bool = False) -> Rendition:
    """The original or anonymised rendition of one document, with its offset map.

    ``with_open``: open suggestions are masked too, as in an exported file, and their places are
    in ``open_spans`` (the workbench's masked view marks them as not reviewed).

    Raises:
        ServiceError: no such document; or, in a project that keeps original names from some
            coders, an anonymised rendition of a document detection has not searched.
    """
    doc = get_document(project, document)
    if not anonymised:
        return Rendition(doc.info.id, doc.info.name, doc.text, OffsetMap.identity(len(doc.text)))
    if original_viewers(project) is not None and doc.info.id in anonymisation_state(project).unsearched_ids:
        # Nothing in it is masked yet, not even the names the project knows: in a project that
        # keeps names from some coders, no rendition of it exists until detection has run.
        raise ServiceError(f"{anonymised_names([doc.info])[doc.info.id]} has not been searched for names yet; "
                           "run detection first (codebench anonymise PROJECT, or d in the review)")
    replacer = _Replacer(project, [doc.info.id], with_open=with_open)
    text, offsets = replacer.render(doc.info.id, doc.text)
    open_spans = tuple(offsets.span_to_target(Span(r.start, r.end)) for r in replacer.by_doc.get(doc.info.id, ())
                       if r.id in replacer.open_ids) if doc.info.id not in replacer.withheld else ()
    return Rendition(doc.info.id, anonymised_names([doc.info])[doc.info.id], text, offsets, open_spans)


def masked_spans(project: Project, document: str | int) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Where one document's words are masked in a file exported now, in original offsets: the
    decided mentions, and the open suggestions (an export with ``--allow-unreviewed`` masks
    them too). The original view shows them, so that a researcher reading names in clear sees
    which of them are masked (two testers could not tell there)."""
    doc = get_document(project, document)
    replacer = _Replacer(project, [doc.info.id], with_open=True)
    rows = replacer.by_doc.get(doc.info.id, ())
    decided = tuple(Span(r.start, r.end) for r in rows if r.id not in replacer.open_ids)
    still_open = tuple(Span(r.start, r.end) for r in rows if r.id in replacer.open_ids)
    return decided, still_open


def shown_offsets(project: Project, document_ids: Iterable[int]) -> dict[int, OffsetMap]:
    """The maps from documents' originals to their anonymised renditions as lists and quotes show
    them, with one load of the decisions (a document withheld whole maps onto the one line that
    stands for it)."""
    ids = set(document_ids)
    replacer = _Replacer(project, ids)
    texts = _texts(project, ids)
    return {d: replacer.render(d, texts[d])[1] for d in ids if d in texts}


def renditions(project: Project, documents: Sequence[DocumentInfo], texts: dict[int, str]) -> Iterable[Rendition]:
    """Anonymised renditions of many documents with one load of the decisions (exports: open
    suggestions are masked too)."""
    replacer = _Replacer(project, with_open=True)
    names = anonymised_names(documents)
    for info in documents:
        text, offsets = replacer.render(info.id, texts[info.id])
        yield Rendition(info.id, names[info.id], text, offsets)


def anonymise_quotes(project: Project, quotes: Sequence[Quote], *, with_open: bool = False) -> list[Quote]:
    """The same quotes with text, document name and speaker in their anonymised rendition
    (``with_open``: open suggestions masked too, for a file)."""
    if not quotes:
        return []
    doc_ids = {q.document_id for q in quotes}
    replacer = _Replacer(project, doc_ids, with_open=with_open)
    names = anonymised_names(list_documents(project))
    texts = _texts(project, doc_ids)
    out = []
    speakers: dict[str | None, str | None] = {}
    for q in quotes:
        # Most quotes contain no name: they keep their text and only change document name.
        if q.document_id in replacer.withheld:
            text = WITHHELD
        elif replacer.by_doc.get(q.document_id):
            text = replacer.slice(q.document_id, texts[q.document_id], q.start, q.end)
        else:
            text = q.text
        if q.speaker not in speakers:
            speakers[q.speaker] = replacer.string(q.speaker)
        out.append(q._replace(text=text, document=names.get(q.document_id, "Dokument"), speaker=speakers[q.speaker]))
    return out


def anonymised_passages(project: Project, spans: Sequence[tuple[int, int, int]]) -> list[str]:
    """The anonymised text of ``(document_id, start, end)`` passages (one load for all)."""
    if not spans:
        return []
    doc_ids = {d for d, _, _ in spans}
    replacer = _Replacer(project, doc_ids)
    texts = _texts(project, doc_ids)
    return [replacer.slice(d, texts[d], s, e) for d, s, e in spans]


def document_labels(project: Project, *, original: bool = False) -> dict[int, str]:
    """Document id -> the name to show: anonymised ("M01 mentor runde 2") unless ``original``."""
    infos = list_documents(project)
    return {i.id: i.name for i in infos} if original else anonymised_names(infos)


def anonymise_free_text(project: Project, text: str, *, detect: bool = True) -> str:
    """Researcher-written text (memos, descriptions) with every known identifier replaced, and
    (``detect``) every further person's name or contact detail the detectors find in it."""
    if not text:
        return text
    return anonymise_free_texts(project, [text], detect=detect)[0]


def anonymise_free_texts(project: Project, texts: Sequence[str], *, detect: bool = True) -> list[str]:
    """Many researcher-written texts (a project's memos) anonymised with one load of the decisions.

    A memo may name someone no transcript names ("ringte Gunnar Rypdal om avtalen"): a tester
    found such a name in clear in every memo export a coder kept from names could write. With
    ``detect`` the detectors read what the known forms leave, and a person's name or a direct
    identifier they find is masked as ``[…]`` (no pseudonym: no decision joins it to anyone).
    Code names, shown everywhere and often, pass ``detect=False``: an in-vivo code's names are
    the transcript's, which the known forms cover."""
    if not any(texts):
        return list(texts)
    forms = _free_text_forms(project)
    done = [replace_forms(text, forms) if text else text for text in texts]
    if not detect:
        return done
    return _mask_found_names(done)


_FOUND_CACHE: dict[str, str] = {}
_FOUND_CACHE_SIZE = 4000
_PSEUDONYM = re.compile(r"\[[^\]\n]{0,40}\]")


def _mask_found_names(texts: list[str]) -> list[str]:
    """``texts`` with what the detectors take for a person's name or a direct identifier (phone,
    e-mail, fødselsnummer, address) masked as ``[…]``; pseudonyms already in them are left alone.
    Memoised by text: the workbench draws the same memos again and again."""
    from codebench.anonymise.detections import DEFAULT_THRESHOLD, DIRECT_KINDS
    from codebench.anonymise.linking import link
    from codebench.anonymise.pipeline import detect_texts

    todo = {i: t for i, t in enumerate(texts) if t and t not in _FOUND_CACHE and any(c.isalpha() for c in t)}
    if todo:
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for cluster in link(todo, detect_texts(todo)):
            if cluster.kind not in DIRECT_KINDS:
                continue
            for key, det in cluster.mentions:
                if det.score >= DEFAULT_THRESHOLD:
                    spans[key].append((det.start, det.end))
        for key, text in todo.items():
            shielded = [(m.start(), m.end()) for m in _PSEUDONYM.finditer(text)]
            reps = [(Span(a, b), "[…]") for a, b in _merged(spans.get(key, []))
                    if not any(s < b and a < e for s, e in shielded)]
            masked = apply_replacements(text, reps)[0] if reps else text
            if len(_FOUND_CACHE) >= _FOUND_CACHE_SIZE:
                _FOUND_CACHE.clear()
            _FOUND_CACHE[text] = masked
    return [_FOUND_CACHE.get(t, t) if t else t for t in texts]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _free_text_forms(project: Project) -> dict[str, str]:
    """Form -> pseudonym for text a researcher wrote: every masked form, the names added by hand,
    the given name and surname of a full name alone, and the participants' sites.

    A memo names people as the researcher thinks of them ("spurde Ragnhild"), while the
    transcript may only ever say the full name ("ragnhild tveiten"): a tester found the first
    name in every memo export. A part two people share ("Kari" of two Karis) is masked without
    saying whose ("[…]"); a part that is an ordinary word stays a word in lower case."""
    from codebench.anonymise.gazetteer import is_common_word, lexicon
    from codebench.anonymise.linking import FUNCTION_WORDS
    from codebench.anonymise.policy import is_public

    replacer = _Replacer(project)
    forms = dict(replacer.form_to_pseudonym)
    for entry in pseudonym_key(project).known_names:
        forms.setdefault(normalise(entry["name"]), "[…]")
    # A participant's site is a place by the project's own word, whether or not a text names it
    # (a tester found "Lundeby", named only in a header and in "NAV Lundeby", as a QDPX case's
    # site): one an entity holds keeps that pseudonym, any other is masked without a number.
    # A large city or county is kept, as the text's renditions keep it (anonymise/policy.py).
    with project.reading() as store:
        sites = {normalise(p.site) for p in store.documents.participants() if p.site and p.site.strip()}
    for site in sites:
        if not is_public(site):
            forms.setdefault(site, SITE)
    names = lexicon()
    parts: dict[str, set[str]] = defaultdict(set)
    for form, pseudonym in replacer.form_to_pseudonym.items():
        words = form.split()
        if len(words) < 2 or pseudonym not in replacer.person_pseudonyms:
            continue  # a person's name parts only: "NAV" of "NAV Sørvik" is the agency
        for word in words:
            if len(word) >= 3 and word not in FUNCTION_WORDS and (
                    word in names.female or word in names.male or word in names.surnames or not is_common_word(word)):
                parts[word].add(pseudonym)
    for word, owners in parts.items():
        forms.setdefault(word, next(iter(owners)) if len(owners) == 1 else "[…]")
    return forms


def export_text(project: Project, folder: Path, *, original: bool = False,
                allow_unreviewed: bool = False) -> list[Path]:
    """Write each document's (anonymised) rendition as a UTF-8 .txt file.

    Each file is written atomically; one with original text, or written before the review is
    finished (it may hold names), is readable by its owner only. A file written before the review
    is finished opens with a line saying so, in Norwegian and English, then an empty line; a
    reviewed rendition is the transcript alone.

    Args:
        allow_unreviewed: write renditions although the anonymisation is not finished (the
            files and the caller's terminal say so).

    Returns:
        the paths written, in import order.

    Raises:
        ServiceError: anonymisation not reviewed (without ``allow_unreviewed``).
    """
    if not original:
        require_exportable(project, allow_unreviewed=allow_unreviewed)
    folder = Path(folder)
    state = anonymisation_state(project)
    private = original or not state.anonymised
    # A tester found unreviewed .txt files opening straight with "SPEAKER_01: …": the file goes
    # on without the terminal that warned, so it must say itself that it is not de-identified.
    notice = None if original else state.notice()
    if not folder.exists():
        # The files' names are the documents' own with --original ("Intervju Kari Holmeset"):
        # a folder made for such files lists them to its owner only.
        folder.mkdir(parents=True, mode=0o700 if private else 0o777)
    infos = list_documents(project)
    names = anonymised_names(infos)
    replacer = _Replacer(project, with_open=True)
    written = []
    for info in infos:
        text = get_document(project, info.id).text
        body = text if original else replacer.render(info.id, text)[0]
        if notice:
            body = f"{notice}\n\n{body}"
        stem = info.name if original else names[info.id]
        path = folder / f"{_safe_file_name(stem)}.txt"
        write_text_atomically(path, body if body.endswith("\n") else body + "\n", private=private)
        written.append(path)
    return written


def _safe_file_name(stem: str) -> str:
    return "".join(c if c.isalnum() or c in " ._-()" else "_" for c in stem).strip() or "dokument"
