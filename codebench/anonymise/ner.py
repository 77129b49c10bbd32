"""The trained Norwegian NER model (spaCy), shipped inside the package and loaded from disk.

spaCy is imported only when a model is loaded, so the rest of codebench starts fast and the
domain core stays importable without it.  Long texts are cut into line-sized chunks: the model
was trained on sentences, and a 10 MB single line must not become one giant document.
"""

from __future__ import annotations

import bisect
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from codebench.anonymise.detections import LOC, ORG, PER, Detection
from codebench.anonymise.gazetteer import (
    NOT_NAMES, NOUN_ENDINGS, is_caseless, is_common_word, is_finite_verb, is_ordinary_compound, lexicon, name_likelihood,
)

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_DIR = Path(__file__).resolve().parent / "model" / "nb_norne"
LABELS = {"PER": PER, "ORG": ORG, "GPE_ORG": ORG, "LOC": LOC, "GPE_LOC": LOC}
CHUNK = 1500  # characters; a few sentences, so the model sees context
_BREAK = re.compile(r"\n|(?<=[.!?])\s+")


# The parts of an entity span that may each be a name: a tab, a line end or a colon before a
# space ends one ("Intervjuer\tHvordan", "Tone: Sara har …": a speaker label and the first word
# of the turn); a colon inside a word ("10:30") does not.
_PIECES = re.compile(r"[^\s:](?:[^\t\n:]|:(?=\S))*")


def name_pieces(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(start, surface) of each part of ``text[start:end]`` that may be a name on its own."""
    return [(m.start(), m.group().rstrip()) for m in _PIECES.finditer(text, start, end)]




def _score(text: str, start: int, surface: str, kind: str) -> float:
    """Confidence for a model detection: a capitalised full name is strong; a lone capitalised
    word at the start of a sentence that is no known name ("Mentoren", "Kven") is weak."""
    words = surface.split()
    if len(words) > 1:
        return 0.9 if kind == PER else 0.85
    before = text[max(0, start - 3):start]
    sentence_start = start == 0 or bool(re.search(r"[.!?:\n\t]\s*$", before))
    known = name_likelihood(surface) >= 0.3
    if not surface[:1].isupper():
        if known or kind != PER:
            return 0.7
        lowered = surface.casefold()
        names = lexicon()
        if (is_common_word(lowered) and lowered not in names.female and lowered not in names.male
                and lowered not in names.surnames and not _after_saying(text, start) and not _where_a_name_goes(text, start)):
            # An ordinary word in lower case the model calls a person ("epost", "mase" in a
            # dialect transcript) waits for review; an unknown word keeps the model's word.
            return 0.45
        return 0.55
    lowered = surface.casefold()
    names = lexicon()
    # A given name that is also a word, capitalised inside a sentence, is the name ("Og Hans
    # seier", "han Per"): the pronoun and the preposition are written in lower case there.
    given_inside = not sentence_start and (lowered in names.female or lowered in names.male)
    if kind == PER and sentence_start and (lowered in names.female or lowered in names.male):
        # A sentence's first word that is a given name and a word, before a verb: the subject
        # ("Sol sa at eg skulle spørje", "Hans kom seint"), not "Hans oppgave" or "Sol og vind".
        after = re.match(r"[ ]+([^\W\d_]+)", text[start + len(surface):start + len(surface) + 30])
        if after is not None and is_finite_verb(after.group(1)) and after.group(1).casefold() not in ("er", "var"):
            return 0.6
    if kind == PER and not known and not given_inside and lowered not in names.surnames and not _after_saying(text, start) and (
            is_common_word(lowered) or sentence_start and is_ordinary_compound(lowered)):
        # An ordinary word the model calls a person ("Bil", "Golf", "Kontaktperson"), or a
        # compound of them opening a line ("Saksliste"), waits for review; a name that is also
        # a word is in the name lists.
        return 0.45
    if sentence_start and not known:
        # A sentence opener the model calls a name: ordinary words ("Kven") and words shaped
        # like Norwegian nouns ("Mentoren", "Arbeidsgiveren") wait for review; other unknown
        # words are most often names the lexicon has not met ("Nadia").
        lowered = surface.casefold()
        if is_common_word(lowered) or (lowered.endswith(NOUN_ENDINGS) and not lowered.endswith("sen")):
            return 0.45
        return 0.6
    return 0.85


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ ]+\Z")


def _where_a_name_goes(text: str, start: int) -> bool:
    """After a title or role, or after a word that follows one ("representanten soler",
    "representanten borger tenden"): a name heard as an ordinary word stands there."""
    from codebench.anonymise.gazetteer import after_role

    if after_role(text, start):
        return True
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and after_role(text, before.start(1))


_SAYING_BEFORE = re.compile(
    r"(?:sier|sa|seier|forteller|fortalte|forklarer|forklarte|mener|meiner|understreker|påpeker|hevder|"
    r"opplyser|spør|spurte|svarer|svarte|skriver|skrev)[ ]+\Z", re.IGNORECASE)


def _after_saying(text: str, start: int) -> bool:
    """Right after a verb of saying ("sier Sommer"): the speaker's name, even if it is a word."""
    return bool(_SAYING_BEFORE.search(text, max(0, start - 16), start))


_NEXT = re.compile(r"\s+(\w+)")
# Comparatives that do not end in -ere ("Jo mer ..., jo bedre").
_IRREGULAR_COMPARATIVES = frozenset({
    "mer", "meir", "mindre", "større", "bedre", "betre", "verre", "færre", "flere", "fleire",
    "eldre", "yngre", "lenger", "lengre", "før", "oftere", "heller",
})


def jo_before_comparative(text: str, start: int, surface: str) -> bool:
    """"Jo" opening "jo ..., jo/desto ..." before a comparative ("Jo større byene blir") is the
    conjunction, not the given name Jo."""
    if surface.casefold() != "jo":
        return False
    following = _NEXT.match(text, start + len(surface))
    if following is None:
        return False
    word = following.group(1).casefold()
    return word in _IRREGULAR_COMPARATIVES or (len(word) > 4 and word.endswith("ere"))


class ModelMissing(RuntimeError):
    """The NER model is not where it should be (a broken installation)."""


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> "Language":
    """Load the NER pipeline from disk (never from the network)."""
    import spacy

    where = Path(path) if path else MODEL_DIR
    if not (where / "meta.json").exists():
        raise ModelMissing(f"{where}: the NER model is missing; reinstall codebench")
    # One thread per process: the workbench stays responsive while a worker runs NER.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    return spacy.load(where)


def chunks(text: str, size: int = CHUNK) -> Iterator[tuple[int, str]]:
    """Pieces of ``text`` of at most about ``size`` characters, cut at line or sentence ends."""
    start = 0
    length = len(text)
    while start < length:
        end = min(length, start + size)
        if end < length:
            cut = -1
            for match in _BREAK.finditer(text, start + size // 3, end):
                cut = match.end()
            if cut == -1:
                space = text.rfind(" ", start + size // 3, end)
                cut = space + 1 if space > 0 else end
            end = cut
        piece = text[start:end]
        if piece.strip():
            yield start, piece
        start = end


_SENTENCE = re.compile(r"[^\n\t.!?]*[.!?]*")
_WORD = re.compile(r"\w+")


def might_name(sentence: str) -> bool:
    """Whether a sentence of properly cased text can hold a name: a capital letter after its
    first word, a known given name in any case, or a first word that is not an ordinary word
    or has been seen as a name.

    In cased text the model finds names by their capitals; on NorNE's test split no person name
    lies in a sentence this rejects, and skipping the rest (a third of news text, more of an
    interview) is what keeps detection fast.  Caseless (ASR) text goes by
    :func:`caseless_windows` instead.
    """
    words = _WORD.findall(sentence)
    if not words:
        return False
    if any(word[:1].isupper() for word in words[1:]):
        return True
    names = lexicon()
    # A given name typed in lower case ("når jeg ser emilie") is still a name.
    if any(word in names.female or word in names.male for word in map(str.casefold, words)
           if not is_common_word(word)):
        return True
    first = words[0]
    if not first[:1].isupper():
        return False
    folded = first.casefold()
    return not is_common_word(folded) or name_likelihood(folded) > 0


# Words of context kept on each side of a word that may be a name in caseless text.  The
# model's token vectors see four tokens either way (CNN depth 4, window 1); one more word
# leaves room for what the tokenizer splits differently from \w+.  NorNE's lower-cased test
# gives the same entities with 4, 5 or 6 words as with the whole sentence.
CASELESS_CONTEXT = 5


# An ordinary word seen as a name this rarely ("jo": 1 in 700) is read as the word it is.
RARELY_A_NAME = 0.02


@lru_cache(maxsize=65536)
def _plain(word: str) -> bool:
    """An ordinary word hardly ever a name: no name hides behind it, even without capitals."""
    folded = word.casefold()
    if name_likelihood(folded) >= RARELY_A_NAME or not is_common_word(folded):
        return False
    names = lexicon()
    return folded not in names.female and folded not in names.male


def caseless_windows(chunk: str, context: int = CASELESS_CONTEXT) -> Iterator[tuple[int, int]]:
    """Character ranges of a caseless chunk around every word that may be a name.

    Without capitals any word may be a name, so the model reads every word that is not an
    ordinary one, with ``context`` words either side; stretches of only ordinary words
    ("ja og så sa jeg at det var greit") are skipped.  Ranges closer than ``context`` words
    are merged, so the model never reads a name without its neighbours.
    """
    words = list(_WORD.finditer(chunk))
    window: list[int] | None = None
    for index, match in enumerate(words):
        if _plain(match.group()):
            continue
        first, last = max(0, index - context), min(len(words) - 1, index + context)
        if window is not None and first <= window[1] + context:
            window[1] = last
            continue
        if window is not None:
            yield words[window[0]].start(), words[window[1]].end()
        window = [first, last]
    if window is not None:
        yield words[window[0]].start(), words[window[1]].end()


def model_pieces(text: str) -> Iterator[tuple[int, str]]:
    """The parts of ``text`` the model must read, with their offsets.

    In caseless text the model reads the windows of :func:`caseless_windows`.  In cased text
    only runs of sentences that :func:`might_name` accepts are read; neighbouring accepted
    sentences stay together so the model keeps their context.
    """
    if is_caseless(text):
        for offset, chunk in chunks(text):
            for start, end in caseless_windows(chunk):
                yield offset + start, chunk[start:end]
        return
    for offset, chunk in chunks(text):
        run_start = run_end = -1
        for match in _SENTENCE.finditer(chunk):
            if match.start() == match.end():
                continue
            if might_name(match.group()):
                if run_start < 0:
                    run_start = match.start()
                run_end = match.end()
            elif run_start >= 0 and match.group().strip():
                yield offset + run_start, chunk[run_start:run_end]
                run_start = -1
        if run_start >= 0:
            yield offset + run_start, chunk[run_start:run_end]


def detect_entities(texts: Iterable[str], *, model: str | None = None, batch_size: int = 128) -> Iterator[list[Detection]]:
    """Person, organisation and place names found by the model, one list per text.

    The pieces of all texts go through one ``nlp.pipe`` stream: batching across documents is
    what keeps the model near its full speed on a corpus of short survey answers.
    """
    nlp = load_model(model)
    texts = list(texts)
    pieces = [(i, offset, piece) for i, text in enumerate(texts) for offset, piece in model_pieces(text)]
    found: list[list[Detection]] = [[] for _ in texts]
    docs = nlp.pipe((p for _, _, p in pieces), batch_size=batch_size)
    for (index, offset, _), doc in zip(pieces, docs):
        text = texts[index]
        for ent in doc.ents:
            kind = LABELS.get(ent.label_)
            if kind is None:
                continue
            start = offset + ent.start_char
            # A speaker label and the first word of its turn ("Intervjuer\tHvordan") are
            # two things; keep the pieces apart and let each stand on its own.
            pieces_of = name_pieces(text, start, offset + ent.end_char)
            for at, surface in pieces_of:
                if surface.casefold() in NOT_NAMES or not surface or jo_before_comparative(text, at, surface):
                    continue
                score = _score(text, at, surface, kind)
                if len(pieces_of) > 1 and score < 0.5:
                    continue  # a fragment of a mis-joined span, not a name on its own
                found[index].append(Detection(at, at + len(surface), kind, "ner", score, surface))
    yield from found


# Words either side of a word whose person probability is asked for: the model's token vectors
# see four tokens each way, so five words give it the whole context it can use.
SCORE_CONTEXT = 5


def _windows(text: str, spans: list[tuple[int, int]], context: int) -> list[tuple[int, int]]:
    """Character ranges of ``text`` covering each span with ``context`` words either side, merged."""
    words = [m.span() for m in _WORD.finditer(text)]
    starts = [s for s, _ in words]
    ranges: list[list[int]] = []
    for start, end in sorted(spans):
        k = bisect.bisect_right(starts, start) - 1
        j = bisect.bisect_left(starts, end)
        lo = words[max(0, k - context)][0] if words and k >= 0 else start
        hi = words[min(len(words) - 1, j - 1 + context)][1] if words and j > 0 else end
        lo, hi = min(lo, start), max(hi, end)
        # A window never runs across a line end: a transcript line is one speaker's turn.
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        lo, hi = max(lo, line_start), min(hi, line_end if line_end >= 0 else len(text))
        if ranges and lo <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], hi)
        else:
            ranges.append([lo, hi])
    return [(lo, hi) for lo, hi in ranges]


def _softmax(values: list[float]) -> list[float]:
    """Shares of the moves' scores (the model's scores are logits)."""
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def person_probabilities(texts: dict, spans: dict, *, model: str | None = None,
                         batch_size: int = 256) -> dict:
    """How likely the model holds each asked-for word to be (part of) a person's name.

    The model is the greedy transition-based recogniser; this reads its own scores as it goes
    through the words: for a word where no entity is open, the softmax share of "a person
    starts here" (B-PER, U-PER) among the moves allowed there; for a word a person name opened
    before it takes in, the share of "the name goes on" at the word before.  A word the model
    left out of every name but scored at 0.2 is where the last leaked names hide (the residual
    review list ranks by it).

    Args:
        texts: key -> text.
        spans: key -> (start, end) of the words to score, offsets into the text.
        model: the pipeline directory (default: the shipped one).

    Returns:
        ``{(key, start): probability}`` for every asked-for span (0.0 where the model read no
        word of it), and for every other token the model read around them (by the token's
        start): the words beside an asked-for one come free.
    """
    nlp = load_model(model)
    ner = nlp.get_pipe("ner")
    moves = ner.moves
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    opening = [i for i, n in enumerate(names) if n[:2] in ("B-", "U-") and len(n) > 2] + [names.index("O")]
    person_opening = [opening.index(names.index("B-PER")), opening.index(names.index("U-PER"))]
    going_on = [names.index("I-PER"), names.index("L-PER")]  # the next word joins / the name ends
    pieces: list[tuple[object, int, str]] = []
    for key, asked in spans.items():
        text = texts[key]
        for lo, hi in _windows(text, list(asked), SCORE_CONTEXT):
            pieces.append((key, lo, text[lo:hi]))
    token_probs: dict[object, list[tuple[int, int, float]]] = {}
    others = [name for name, _ in nlp.pipeline if name != "ner"]
    for at in range(0, len(pieces), batch_size):
        batch = pieces[at:at + batch_size]
        docs = list(nlp.pipe((p for _, _, p in batch), disable=["ner"]) if others else
                    (nlp.make_doc(p) for _, _, p in batch))
        probs = [[0.0] * len(doc) for doc in docs]
        states = moves.init_batch(docs)
        index = {id(s): k for k, s in enumerate(states)}
        open_label: dict[int, str] = {}
        step = ner.model.predict(docs)
        todo = [s for s in states if not s.is_final()]
        while todo:
            scores = step.predict(todo)
            for state, row in zip(todo, scores):
                k = index[id(state)]
                token = state.B(0)
                if token < 0:
                    continue
                if not state.entity_is_open():
                    values = [float(row[i]) for i in opening]
                    share = _softmax(values)
                    probs[k][token] = max(probs[k][token], share[person_opening[0]] + share[person_opening[1]])
                    if token + 1 < len(docs[k]):
                        # B-PER (not U-PER) takes the next word into the name as well.
                        probs[k][token + 1] = max(probs[k][token + 1], share[person_opening[0]])
                    # The label of the entity the greedy parser opens here, if it opens one.
                    best = max(range(len(values) - 1), key=values.__getitem__)
                    open_label[k] = names[opening[best]][2:]
                elif open_label.get(k) == "PER" and token + 1 < len(docs[k]):
                    # An open person name: how much the model wants the next word in it too.
                    share = _softmax([float(row[i]) for i in going_on])
                    probs[k][token + 1] = max(probs[k][token + 1], share[0])
            todo = ner.transition_states(todo, scores)
        for (key, lo, _), doc, p in zip(batch, docs, probs):
            token_probs.setdefault(key, []).extend((lo + t.idx, lo + t.idx + len(t), p[t.i]) for t in doc)
    out: dict = {}
    for key, asked in spans.items():
        toks = sorted(token_probs.get(key, []))
        for start, _end, p in toks:
            out[(key, start)] = max(out.get((key, start), 0.0), round(p, 4))

        starts = [s for s, _, _ in toks]
        for start, end in asked:
            k = max(0, bisect.bisect_right(starts, start) - 1)
            best = 0.0
            while k < len(toks) and toks[k][0] < end:
                if toks[k][1] > start:
                    best = max(best, toks[k][2])
                k += 1
            out[(key, start)] = round(best, 4)
    return out
