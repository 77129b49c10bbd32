"""The anonymisation pipeline for texts: detect, link, choose, render.

The project services (``services/anonymisation.py``) add storage and review around these
steps; ``codebench anonymise-file`` runs them on one file with the same defaults.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Callable, Collection, Hashable, Iterable, Mapping, NamedTuple, Sequence

from codebench.anonymise.detections import ADDRESS, DEFAULT_THRESHOLD, LOC, ORG, REVIEW_ONLY, PER, Detection, line_pieces
from codebench.anonymise.split_names import find_split_names
from codebench.anonymise.gazetteer import (
    find_after_roles, find_article_surnames, find_firm_names, find_given_names_run_together, find_interview_intro, find_lexicon_names,
    find_names, find_pronoun_names,
    find_after_origin, find_chain_branches, find_hyphenated_given_names, find_named_institutions, find_place_names, find_possessor_names, find_reported_speakers, find_subject_names, find_trade_firms, find_workplaces_by_name,
    find_surname_shapes, find_unknown_pairs, find_vietnamese_names, find_word_names_with_surnames, looks_like_name, name_likelihood, own_name_parts, with_definite_forms,
)
from codebench.anonymise.linking import Cluster, link, normalise
from codebench.anonymise.pseudonyms import mention_text, new_pseudonym
from codebench.domain.spans import OffsetMap, Span, apply_replacements

Progress = Callable[[int, int], None]
# A transcript line longer than this is not a transcript (a dump, a binary, one giant paragraph).
MAX_LINE = 200_000


class AnonymiseInputError(ValueError):
    """The text cannot be anonymised as it is; the message says why and where."""


def check_text(text: str) -> None:
    """Refuse empty text and absurdly long lines with a message naming the line."""
    if not text.strip():
        raise AnonymiseInputError("there is no text to anonymise")
    start = 0
    line = 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if end - start > MAX_LINE:
            raise AnonymiseInputError(
                f"line {line} is {end - start:,} characters long (limit {MAX_LINE:,}); "
                "split it into paragraphs or speaker turns first")
        start, line = end + 1, line + 1


# The rules that read caseless text only (ASR), in the order they have always run.
_CASELESS_FINDERS: tuple[Callable[[str], list[Detection]], ...] = (
    find_reported_speakers, find_interview_intro, find_place_names, find_trade_firms, find_workplaces_by_name,
    find_named_institutions, find_chain_branches, partial(find_after_roles, caseless=True), find_after_origin, find_subject_names,
    find_possessor_names, find_pronoun_names, find_given_names_run_together, find_word_names_with_surnames,
    find_article_surnames, find_split_names,
)


def detect_text(
    text: str,
    *,
    known_names: Iterable[str | tuple[str, str]] = (),
    speaker_labels: Iterable[str] = (),
    places: Iterable[str] = (),
    use_model: bool = True,
    model: str | None = None,
) -> list[Detection]:
    """Everything every detector finds in one text (overlaps are resolved later, by linking)."""
    from codebench.anonymise import rules

    from codebench.anonymise.gazetteer import is_caseless

    caseless = is_caseless(text)
    from codebench.anonymise.indirect import find_indirect

    places = [p for p in places if p and p.strip()]
    found = list(rules.find_identifiers(text, places=places))
    found += find_indirect(text)
    from codebench.anonymise.spelled import find_spelled_names

    # A name spelled out letter by letter ("m j e l d e"): no list or model knows it.
    found += find_spelled_names(text)
    # Places the project names (participants' sites): a place wherever they occur, in any case
    # in caseless text, so the model calling one a person is outvoted in linking.
    found += find_names(text, places, kind=LOC, detector="known-place", score=0.85, capitalised=not caseless)
    # Names the researcher added are matched in any case, each as the kind it was added as, a
    # person's own words alone too ("gunnvor" of Gunnvor Brattli, as adding it marked them);
    # names only seen as speaker labels must be capitalised where the text has capitals.
    found += _known(text, known_names, caseless)
    found += find_names(text, [n for n in speaker_labels if looks_like_name(n)], capitalised=not caseless)
    found += find_lexicon_names(text, caseless=caseless)
    found += find_hyphenated_given_names(text)
    found += find_vietnamese_names(text)
    if not caseless:
        from codebench.anonymise.line_names import find_line_names

        found += find_after_roles(text, caseless=False)
        found += find_line_names(text)
        found += find_pronoun_names(text, caseless=False)
        found += find_firm_names(text)
    if caseless:
        # Punctuated ASR (Teams, noScribe) puts commas where speech pauses, inside the phrases
        # these rules read ("agnes ka, eh, agnieszka", "hans lie, som var mentoren"): they read
        # the text with each comma a space, which keeps every offset.
        plain = text.replace(",", " ")
        read = [d for finder in _CASELESS_FINDERS for d in finder(plain)]
        # (a span read over a comma holds it in the text)
        found += [d if "," not in text[d.start:d.end] else d._replace(text=text[d.start:d.end]) for d in read]
        # Unknown words the project names as places are not unknown: they are its places; nor are
        # the street of an address ("heimeadressa fannestrandvegen førtiåtte" is no person).
        known_places = [d for d in found if d.detector == "known-place" or d.kind == ADDRESS]
        found += [d for d in find_surname_shapes(text) + find_unknown_pairs(text)
                  if not any(p.start < d.end and d.start < p.end for p in known_places)]
    if use_model:
        from codebench.anonymise.ner import detect_entities

        found += next(detect_entities([text], model=model))
    return found


def _known(text: str, known_names: Iterable[str | tuple[str, str]], caseless: bool) -> list[Detection]:
    by_kind: dict[str, list[str]] = {}
    for entry in known_names:
        name, kind = (entry, PER) if isinstance(entry, str) else entry
        if name.strip():
            by_kind.setdefault(kind, []).append(name)
    # A workplace or place added by hand is also said in its definite form ("Fjordkjøkkenet").
    found = [d for kind, names in by_kind.items()
             for d in find_names(text, [f for n in names for f in (with_definite_forms(n) if kind in (ORG, LOC) else [n])],
                                 kind=kind)]
    parts = sorted({p for name in by_kind.get(PER, ()) for p in own_name_parts(name)})
    if parts:
        found += find_names(text, parts, score=0.9, capitalised=not caseless)
    return found


def detect_texts(
    texts: Mapping[Hashable, str],
    *,
    known_names: Iterable[str | tuple[str, str]] = (),
    speaker_labels: Mapping[Hashable, Iterable[str]] | None = None,
    places: Iterable[str] = (),
    use_model: bool = True,
    model: str | None = None,
    progress: Progress | None = None,
) -> dict[Hashable, list[Detection]]:
    """Run the detectors over many texts; names seen as speaker labels anywhere count everywhere.

    ``places`` are the places the project names (participants' sites): found as places in
    every text, and never taken for persons.
    """
    places = sorted({" ".join(p.split()) for p in places if p and p.strip()})
    labels = sorted({l for ls in (speaker_labels or {}).values() for l in ls if looks_like_name(l)})
    names = list(known_names)
    result: dict[Hashable, list[Detection]] = {}
    keys = list(texts)
    # Progress counts documents: through the fast detectors when there is no model, otherwise
    # through the model, which takes nearly all of the time.
    for i, key in enumerate(keys):
        result[key] = detect_text(texts[key], known_names=names, speaker_labels=labels, places=places,
                                  use_model=False)
        if progress and not use_model:
            progress(i + 1, len(keys))
    if use_model:
        from codebench.anonymise.ner import detect_entities

        step = max(1, len(keys) // 20)
        for start in range(0, len(keys), step):
            batch = keys[start:start + step]
            for key, found in zip(batch, detect_entities([texts[k] for k in batch], model=model)):
                result[key] += found
            if progress:
                progress(start + len(batch), len(keys))
    return result


class Replacement(NamedTuple):
    """One accepted mention and what it becomes."""

    start: int
    end: int
    pseudonym: str
    surface: str


def is_possessive(surface: str, forms: Iterable[str]) -> bool:
    """True when the mention ends in a possessive -s that is not part of the name itself."""
    lowered = " ".join(surface.split()).casefold()
    if lowered.endswith(("'s", "’s")):
        return True
    if not lowered.endswith("s"):
        return False
    known = set(forms)
    # Both spellings among the entity's forms ("Toffen", "Toffens"): the -s form is the
    # possessive unless the lists know it as the likelier name ("Hans" beside "Han").
    return lowered not in known and lowered[:-1] in known or (
        lowered[:-1] in known and name_likelihood(lowered.split()[-1]) <= name_likelihood(lowered[:-1].split()[-1]))


def name_part(surface: str, forms: Iterable[str], kind: str) -> str:
    """Whether a lone-word person mention is a given name ("first") or a surname ("last")."""
    word = normalise(surface)
    if kind != PER or " " in word:
        return "full"
    fulls = [f for f in forms if " " in f]
    if any(f.split()[-1] == word for f in fulls) and not any(f.split()[0] == word for f in fulls):
        return "last"
    return "first"


def render(text: str, replacements: Sequence[Replacement], forms: Mapping[str, Iterable[str]], *,
           whole: Collection[str] = (), memo: dict[tuple[str, str], str] | None = None) -> tuple[str, OffsetMap]:
    """The anonymised text and its offset map.

    Args:
        text: the original text.
        replacements: accepted mentions (non-overlapping).
        forms: pseudonym -> the entity's normalised forms (to read possessives and name parts).
        whole: pseudonyms the researcher chose; every mention shows them whole, even a given
            name alone (a replacement name of the names style is otherwise shortened to match).
        memo: ``(pseudonym, surface) -> replacement`` kept between calls with the same ``forms``
            and ``whole`` (a search renders thousands of passages naming the same few people).
    """
    edits: list[tuple[Span, str]] = []
    for rep in sorted(_within_lines(text, replacements), key=lambda r: r.start):
        if memo is not None and (rep.pseudonym, rep.surface) in memo:
            edits.append((Span(rep.start, rep.end), memo[(rep.pseudonym, rep.surface)]))
            continue
        entity_forms = list(forms.get(rep.pseudonym, ()))
        part = "full" if rep.pseudonym in whole else name_part(
            rep.surface, entity_forms, PER if not rep.pseudonym[1:2].isdigit() else "")
        new = mention_text(rep.pseudonym, rep.surface, possessive=is_possessive(rep.surface, entity_forms), part=part)
        if memo is not None:
            memo[(rep.pseudonym, rep.surface)] = new
        edits.append((Span(rep.start, rep.end), new))
    return apply_replacements(text, edits)


def _within_lines(text: str, replacements: Iterable[Replacement]) -> list[Replacement]:
    """Replacements cut at line breaks, each part replaced on its own line.

    Detection never stores a mention across a line end, but a database written before it did
    may hold one; the rendition must keep every line (in a transcript, every turn) anyway.
    """
    out: list[Replacement] = []
    for rep in replacements:
        for start, end in line_pieces(text, rep.start, rep.end):
            out.append(rep if (start, end) == (rep.start, rep.end) else rep._replace(
                start=start, end=end, surface=text[start:end]))
    return out


def pseudonymise_clusters(clusters: Sequence[Cluster], *, style: str = "labels") -> dict[int, str]:
    """A pseudonym for each cluster (by index), numbered per kind in order of first mention."""
    taken: set[str] = set()
    out: dict[int, str] = {}
    all_forms = {f for c in clusters for f in c.forms}
    for i, cluster in enumerate(clusters):
        out[i] = new_pseudonym(cluster.key, cluster.kind, cluster.forms, taken, style=style, avoid=all_forms)
        taken.add(out[i])
    return out


def anonymise_text(
    text: str,
    *,
    style: str = "labels",
    threshold: float = DEFAULT_THRESHOLD,
    use_model: bool = True,
    known_names: Iterable[str | tuple[str, str]] = (),
    mask_public: bool = False,
) -> str:
    """Anonymise one text on its own with the project defaults (``codebench anonymise-file``).

    Public places and bodies (countries, counties, large cities, national institutions) are
    kept unless ``mask_public``; see :mod:`codebench.anonymise.policy`.
    """
    check_text(text)
    detections = {0: detect_text(text, known_names=known_names, use_model=use_model)}
    clusters = link({0: text}, detections)
    names = pseudonymise_clusters(clusters, style=style)
    replacements: list[Replacement] = []
    forms: dict[str, set[str]] = {}
    for i, cluster in enumerate(clusters):
        forms[names[i]] = cluster.forms
        if cluster.public and not mask_public:
            continue
        for _, det in cluster.mentions:
            if det.score >= threshold and det.kind not in REVIEW_ONLY:
                replacements.append(Replacement(det.start, det.end, names[i], det.text))
    return render(text, _non_overlapping(replacements), forms)[0]


def _non_overlapping(replacements: Iterable[Replacement]) -> list[Replacement]:
    chosen: list[Replacement] = []
    end = -1
    for rep in sorted(replacements, key=lambda r: (r.start, -(r.end - r.start))):
        if rep.start >= end:
            chosen.append(rep)
            end = rep.end
    return chosen


def replace_forms(text: str, form_to_pseudonym: Mapping[str, str]) -> str:
    """Replace every known form (case-insensitive, whole words, possessives) in a short string.

    Used for speaker labels, file names and memos, where no offsets need to be kept.
    """
    from codebench.anonymise.gazetteer import name_pattern

    pattern = name_pattern(form_to_pseudonym)
    if pattern is None:
        return text

    from codebench.anonymise.gazetteer import is_common_word

    def swap(match: re.Match[str]) -> str:
        surface = match.group()
        form = normalise(surface)
        if " " not in form and is_common_word(form) and not surface[:1].isupper():
            return surface  # "liv" (life) in a memo is a word; "Liv" is the person
        pseudonym = form_to_pseudonym.get(form) or form_to_pseudonym.get(" ".join(surface.casefold().split()))
        if pseudonym is None:
            return surface
        return _keeping_lines(surface, pseudonym + ("s" if is_possessive(surface, form_to_pseudonym) else ""))

    return pattern.sub(swap, text)


def _keeping_lines(surface: str, new: str) -> str:
    """``new`` in place of ``surface``, once on each line a name written across a line end touches.

    The possessive ending, if any, stays with the last part, where the original had it.
    """
    pieces = line_pieces(surface, 0, len(surface))
    if pieces == [(0, len(surface))]:
        return new
    bare = new[:-1] if new.endswith("]s") else new
    out, at = [], 0
    for i, (start, end) in enumerate(pieces):
        out += [surface[at:start], new if i == len(pieces) - 1 else bare]
        at = end
    return "".join(out) + surface[at:]
