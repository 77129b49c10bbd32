"""Training data that teaches the NER model where names stand in real, lower-case ASR speech.

NorNE alone is edited news: the shipped model found names in lower-case text mostly by knowing
them.  This builds DocBins from three sources, each with the people in it swapped for others
so that the model learns the *contexts* of names, not the names of a few members of parliament:

1. NorNE bokmål + nynorsk train (cased), a lower-cased copy without punctuation of a share of it,
   name-swapped copies of a share of the sentences naming people (as ``convert_norne``) and,
   with ``--speaker-share``, copies of a share of them as transcript turns behind a speaker
   label ("Liv: …", "Intervjuer: …": the name is a person, the role is not);
2. the real ASR segments (bokmål and nynorsk ASR) of the Stortinget *train* days (33 of the 44
   dev days, ``storting_silver.dev_parts``), person spans projected from the cased proceedings
   of the same day.  Words aligned to a lower-case word of the proceedings are ``O``; words
   aligned to another capitalised word (a place, a party) or to nothing are *missing*: the
   model is neither rewarded nor punished there;
3. the cased proceedings of the days without ASR (264), person names labelled by the silver
   rules, lower-cased and without punctuation; capitalised words that are no person are
   missing, as above.

Every person in sources 2 and 3 gets another name: a given name and surnames drawn from the
shipped lists, NorNE's persons, the proceedings' surnames and made-up farm-name surnames
("Brekkestad"), a few of them also ordinary words ("line", "per"), a few misheard (one letter
changed) or run together ("karinandersen") as ASR does.  Names of the "unseen names"
evaluation pool (``swap_names.tsv``) are never drawn, so that evaluation stays honest.

Labels here use no GPL data: the silver rules run with the shipped lists and NorNE's given
names only (Debian's apertium lexicon labels the *evaluation* set, never training data).
The 22 test days are never read.  Output goes to the temporary folder:

    train.spacy  dev.spacy (NorNE dev, its lower-cased copy, ASR of the 11 tune days, real names)
    test.spacy   test_lower.spacy (NorNE bokmål test, for evaluate.py)   counts.json

Usage:
    python -m codebench.anonymise.training.asr_training [OUT (default $TMPDIR/asr-ner-spacy)]
        [--silver $TMPDIR/storting-silver] [--proceedings-sentences 40000] [--seed 0] [--speaker-share 0]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from codebench.anonymise.training import convert_norne, storting_silver
from codebench.anonymise.training.convert_norne import Sentence, asr_copy, load_splits, to_docbin

DEFAULT_OUT = os.path.join(tempfile.gettempdir(), "asr-ner-spacy")
MISSING = ""  # spaCy: no annotation on this token
# Parts of made-up Norwegian farm-name surnames: a first element and an ending.
_FIRST = ("aas", "berg", "bakk", "brekk", "dal", "eik", "eng", "fjell", "foss", "gjerd", "gran", "haug", "hegg",
          "holm", "hov", "kvam", "kval", "lang", "li", "lund", "myr", "nes", "nord", "ny", "rud", "sand", "skog",
          "sol", "stein", "strand", "sæter", "sør", "vest", "vik", "øst", "øy", "bjørk", "rønn", "hell", "tveit",
          "kleiv", "moen", "rø", "fur", "ask", "hol", "bru", "ulv", "orm", "hjelm", "tang", "stokk", "flat")
_ENDING = ("stad", "rud", "heim", "land", "set", "seth", "nes", "dal", "berg", "vik", "haug", "bø", "lie", "mo",
           "by", "gård", "gaard", "holm", "eng", "lund", "voll", "sæter", "myr", "rem", "øy", "bakken", "hagen",
           "strand", "li", "seter", "tun", "stø", "vold", "hus", "aker", "bekk", "ås", "rød", "tveit", "evik")


def made_up_surnames(rng: random.Random, n: int) -> list[str]:
    """``n`` surname-shaped words ("Eikeland", "Brekkestad", "Torsen") that need not exist."""
    out: set[str] = set()
    while len(out) < n:
        first, ending = rng.choice(_FIRST), rng.choice(_ENDING)
        link = rng.choice(("", "", "e", "s")) if not first.endswith(("e", "a")) else ""
        word = first + link + ending
        if 4 < len(word) < 14:
            out.add(word[:1].upper() + word[1:])
    return sorted(out)


def norne_names(sentences: Iterable[Sentence]) -> tuple[set[str], set[str]]:
    """First words of NorNE's multi-word person names (given names) and last words (surnames)."""
    given: set[str] = set()
    surnames: set[str] = set()
    for words, _spaces, tags in sentences:
        run: list[str] = []
        for word, tag in list(zip(words, tags)) + [("", "O")]:
            if tag == "I-PER" and run:
                run.append(word)
                continue
            if len(run) >= 2 and all(w.isalpha() and w[:1].isupper() and w[1:].islower() for w in run):
                given.add(run[0])
                surnames.add(run[-1])
            run = [word] if tag == "B-PER" else []
    return given, surnames


def evaluation_pool(silver: Path) -> set[str]:
    """The names the "unseen names" evaluation swaps in (lower case): never used in training."""
    path = silver / "swap_names.tsv"
    if not path.exists():
        return set()
    return {line.partition("\t")[2].casefold() for line in path.read_text(encoding="utf-8").splitlines() if line}


class Pools:
    """Names to swap in: given names and surnames (capitalised), and the noise of real ASR."""

    def __init__(self, given: Iterable[str], surnames: Iterable[str], exclude: set[str]):
        self.given = sorted({g for g in given if g.casefold() not in exclude and g.isalpha() and len(g) > 1})
        self.surnames = sorted({s for s in surnames if s.casefold() not in exclude and s.isalpha() and len(s) > 1})

    def swap_entity(self, parts: int, rng: random.Random) -> list[str]:
        """New words for a name of ``parts`` words: a given name first, surnames after it; a lone
        word is a given name or a surname."""
        if parts == 1:
            return [rng.choice(self.given if rng.random() < 0.5 else self.surnames)]
        words = [rng.choice(self.given)]
        # "Line Henriette Hjemdal": a middle given name now and then.
        for k in range(1, parts):
            words.append(rng.choice(self.given if k < parts - 1 and rng.random() < 0.5 else self.surnames))
        return words


def mishear(word: str, rng: random.Random) -> str:
    """One letter changed, dropped or doubled: a name as an ASR system may write it."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("sub", "del", "dup"))
    if op == "sub":
        return word[:i] + rng.choice("aeioulnrstdkgmbv") + word[i + 1:]
    if op == "del":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def swapped(words: list[str], labels: list[str | None], entities: list[str | None], pools: Pools,
            rng: random.Random, *, noise: float = 0.12, fuse: float = 0.04, lower: bool = True) -> Sentence:
    """A copy with every person (a run of words of one entity) under another name, as IOB tags.

    ``labels`` are "PER", "O" or None (missing) per word; ``entities`` the person each PER word
    belongs to (consecutive words of one entity are one name).  The same entity gets the same
    new name throughout the copy; a possessive -s stays.  Some names come out misheard or run
    together into one word.
    """
    names: dict[str, list[str]] = {}
    out_w: list[str] = []
    out_t: list[str] = []
    i = 0
    while i < len(words):
        if labels[i] != "PER":
            out_w.append(words[i].lower() if lower else words[i])
            out_t.append(labels[i] or MISSING)
            i += 1
            continue
        j = i + 1
        while j < len(words) and labels[j] == "PER" and entities[j] == entities[i]:
            j += 1
        key = f"{entities[i]}/{j - i}"
        if key not in names:
            names[key] = pools.swap_entity(j - i, rng)
        new = list(names[key])
        old_last = words[j - 1].casefold()
        if old_last.endswith("s") and not old_last.endswith("ss") and (entities[i] or "").split()[-1:] != [old_last]:
            new[-1] += "s"
        new = [mishear(w, rng) if rng.random() < noise else w for w in new]
        if len(new) > 1 and rng.random() < fuse:
            new = ["".join(new[-2:])] if len(new) == 2 else new[:-2] + ["".join(new[-2:])]
        for k, word in enumerate(new):
            out_w.append(word.lower() if lower else word)
            out_t.append("B-PER" if k == 0 else "I-PER")
        i = j
    return out_w, [True] * len(out_w), out_t


def pieces(n: int, labels: list[str | None], entities: list[str | None], rng: random.Random,
           shortest: int = 12, longest: int = 40) -> Iterator[tuple[int, int]]:
    """Cuts of a long segment into pieces of ``shortest``–``longest`` words, never inside a name.

    The pipeline shows the model windows of a few words around a possible name, not whole
    minute-long segments; shorter pieces also let the sampler drop stretches with no name.
    """
    start = 0
    while start < n:
        end = min(n, start + rng.randint(shortest, longest))
        while end < n and labels[end] == "PER" and labels[end - 1] == "PER" and entities[end] == entities[end - 1]:
            end += 1
        yield start, end
        start = end


def asr_sentences(day: dict, lang: str, pools: Pools | None, rng: random.Random, *, plain_share: float,
                  ambiguous: frozenset[str]) -> list[Sentence]:
    """Training pieces of one day's ASR in ``lang`` (nob or nno), persons swapped (``pools``) or
    kept as heard (``pools=None``: the tune days, to measure the real thing)."""
    out: list[Sentence] = []
    for seg in day["segments"]:
        data = seg.get(lang)
        if not data:
            continue
        words = data["words"]
        labels: list[str | None] = ["PER" if t == "N" else "O" if t == "O" else None for t in data["tags"]]
        entities = data["entities"]
        for a, b in pieces(len(words), labels, entities, rng):
            has_name = "PER" in labels[a:b]
            tricky = any(w.casefold() in ambiguous for w in words[a:b])
            if not has_name and not tricky and rng.random() >= plain_share:
                continue
            if sum(1 for l in labels[a:b] if l is None) > (b - a) // 2:
                continue  # mostly unaligned: the proceedings were edited here, little to learn
            if pools is None:
                tags, prev = [], None
                for k in range(a, b):
                    if labels[k] == "PER":
                        tags.append("I-PER" if prev == entities[k] and tags and tags[-1] != "O" else "B-PER")
                        prev = entities[k]
                    else:
                        tags.append(labels[k] or MISSING)
                        prev = None
                out.append(([w.lower() for w in words[a:b]], [True] * (b - a), tags))
            else:
                out.append(swapped(words[a:b], labels[a:b], entities[a:b], pools, rng))
    return out


# Speaker labels that are roles, not names (tagged O), as transcripts write them.
ROLE_LABELS = ("Intervjuer", "Informant", "I", "R", "IV", "Int", "Forsker", "Deltaker", "Moderator", "Mentor",
               "Veileder", "Kandidat", "Leder", "Spørsmål", "Svar")


def speaker_turn(sent: Sentence, pools: Pools, rng: random.Random) -> Sentence:
    """The sentence as a transcript turn: a speaker label and a colon before it ("Liv: Og jeg …",
    "Intervjuer: …").  A given name (sometimes with a surname) is a person; a role is not; the
    colon always ends the label, so the model learns that a name opening the turn is its own.
    """
    words, spaces, tags = sent
    if rng.random() < 0.7:
        label = [rng.choice(pools.given)] + ([rng.choice(pools.surnames)] if rng.random() < 0.2 else [])
        label_tags = ["B-PER"] + ["I-PER"] * (len(label) - 1)
    else:
        label = [rng.choice(ROLE_LABELS)] + ([str(rng.randint(1, 4))] if rng.random() < 0.2 else [])
        label_tags = ["O"] * len(label)
    return (label + [":"] + list(words), [True] * (len(label) - 1) + [False, True] + list(spaces),
            label_tags + ["O"] + list(tags))


_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ«\"])")


def proceedings_sentences(lines: list[str], labels: list[list[str | None]], pools: Pools,
                          rng: random.Random) -> Iterator[tuple[bool, Sentence]]:
    """(names someone, lower-cased swapped sentence) for each sentence of a proceedings day.

    Lower-case words are ``O``; a person's words are the person; other capitalised words
    (places, parties, a sentence's first word) and numbers are missing.
    """
    for line, labs in zip(lines, labels):
        toks = storting_silver.tokens(line)
        cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line) + 1]
        k = 0
        for lo, hi in zip(cuts, cuts[1:]):
            words, tags, ents = [], [], []
            while k < len(toks) and toks[k].start < hi:
                tok, lab = toks[k], labs[k]
                words.append(tok.text)
                if lab is not None:
                    tags.append("PER")
                    ents.append(lab)
                else:
                    tags.append("O" if tok.text.islower() and words[:-1] else None)
                    ents.append(None)
                k += 1
            if len(words) >= 4 and not all(t is None for t in tags):
                yield "PER" in tags, swapped(words, tags, ents, pools, rng)


def build(out_dir: str = DEFAULT_OUT, *, silver: Path = storting_silver.DEFAULT_OUT, seed: int = 0,
          asr_fraction: float = 0.5, norne_swap: float = 0.25, plain_share: float = 0.25,
          proceedings_sentences_max: int = 40000, proceedings_plain: float = 0.25,
          use_proceedings: bool = True, speaker_share: float = 0.0, interview_copies: int = 0,
          interview_word_share: float = 0.3, marked_dirs: Iterable[Path] = (), marked_copies: int = 0,
          marked_originals: int = 1) -> dict:
    """Write the DocBins and return their counts."""
    rng = random.Random(seed)
    os.makedirs(out_dir, exist_ok=True)
    nob, nno = load_splits(lang="nob"), load_splits(lang="nno")
    exclude = evaluation_pool(silver)
    import yaml
    from importlib import resources

    shipped = yaml.safe_load((resources.files("codebench.anonymise") / "data" / "names_no.yaml").read_text(encoding="utf-8"))
    n_given, n_surnames = norne_names(nob["train"] + nno["train"])
    proc_days = sorted((storting_silver.STORTING / "proceedings").glob("*.txt"))
    test_days = set(storting_silver.split_days()["test"])
    parts = storting_silver.dev_parts()
    # Given names for the labelling rules: the shipped lists and NorNE's, never apertium's.
    given, surnames, places = storting_silver.corpus_names(
        [p for p in proc_days if p.stem not in test_days and p.stem not in parts["tune"]],
        use_apertium=False, extra_given=n_given)
    proc_surnames = {s[:1].upper() + s[1:] for s in surnames if s.isalpha()}
    pools = Pools([g for g in shipped["female"] + shipped["male"] if " " not in g] + sorted(n_given),
                  [s for s in shipped["surnames"] if " " not in s] + sorted(n_surnames) + sorted(proc_surnames)
                  + made_up_surnames(rng, 1500), exclude)
    ambiguous = frozenset(n.casefold() for n in shipped["female"] + shipped["male"] + shipped["surnames"])
    counts: Counter[str] = Counter({"pool_given": len(pools.given), "pool_surnames": len(pools.surnames),
                                    "excluded_evaluation_names": len(exclude)})

    # 1. NorNE: originals, name-swapped copies, lower-cased copies of a share of both.
    train: list[Sentence] = list(nob["train"]) + list(nno["train"])
    counts["norne_train"] = len(train)
    swaps = [c for s in train if rng.random() < norne_swap
             for c in [convert_norne.name_swap_copy(s, rng, pools.given, pools.surnames)] if c]
    counts["norne_name_swapped"] = len(swaps)
    train += swaps
    lower = [c for s in train if rng.random() < asr_fraction for c in [asr_copy(s)] if c]
    counts["norne_lower"] = len(lower)
    # Cased transcripts open every turn with a speaker label ("Liv: …", "Intervjuer: …").
    turns = [speaker_turn(s, pools, rng) for s in train if rng.random() < speaker_share] if speaker_share else []
    counts["norne_speaker_turns"] = len(turns)
    train += lower + turns

    # 2. Real ASR of the train days, every person under another name.
    for date in parts["train"]:
        day = json.loads((silver / "dev" / f"{date}.json").read_text(encoding="utf-8"))
        # Relabel with the training rules (no GPL lexicon) where the silver set used apertium.
        day = storting_silver.build_day(date, given, surnames, places)
        for lang in ("nob", "nno"):
            sents = asr_sentences(day, lang, pools, rng, plain_share=plain_share, ambiguous=ambiguous)
            counts[f"asr_{lang}_pieces"] += len(sents)
            counts[f"asr_{lang}_name_words"] += sum(t != "O" and t != MISSING for s in sents for t in s[2])
            train += sents
        print(f"train day {date}: {len(train)} sentences so far", flush=True)

    # 3. Proceedings of the days without ASR, lower-cased, people swapped.
    if use_proceedings:
        asr_days = {p.stem for p in (storting_silver.STORTING / "asr").glob("*.tsv")}
        named: list[Sentence] = []
        plain: list[Sentence] = []
        for path in proc_days:
            if path.stem in asr_days:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            labels = storting_silver.label_proceedings(lines, given, surnames, places)
            for has_name, sent in proceedings_sentences(lines, labels, pools, rng):
                (named if has_name else plain).append(sent)
        rng.shuffle(named)
        rng.shuffle(plain)
        named = named[:proceedings_sentences_max]
        plain = plain[:int(len(named) * proceedings_plain)]
        counts["proceedings_named"] = len(named)
        counts["proceedings_plain"] = len(plain)
        train += named + plain

    # 4. Interview-like utterances with names planted where informants say them.
    if interview_copies:
        from codebench.anonymise.gazetteer import is_also_a_word
        from codebench.anonymise.policy import is_public
        from codebench.anonymise.training import interview_templates

        place_file = resources.files("codebench.anonymise") / "data" / "place_names.txt"
        small_places = [line.strip() for line in place_file.read_text(encoding="utf-8").splitlines()
                        if line.strip() and not line.startswith("#") and " " not in line.strip()
                        and not is_public(line.strip())]  # a {STED} is a small place, never a country
        name_pools = interview_templates.NamePools(
            [g for g in shipped["female"] if " " not in g], [g for g in shipped["male"] if " " not in g],
            pools.surnames, small_places, is_also_a_word, exclude)
        planted = interview_templates.sentences(name_pools, rng, copies=interview_copies,
                                                word_share=interview_word_share)
        counts["interview_utterances"] = len(planted)
        train += planted

    # 5. Interviews written with their identifiers marked (the testers' gold), people renamed.
    if marked_dirs:
        from codebench.anonymise.training import marked_interviews

        spoken = marked_interviews.sentences(marked_dirs, pools, rng, copies=marked_copies,
                                             originals=marked_originals)
        counts["marked_interview_pieces"] = len(spoken)
        counts["marked_interview_name_words"] = sum(t.endswith("-PER") for s in spoken for t in s[2])
        train += spoken

    rng.shuffle(train)
    # Dev: NorNE dev (cased and lower-cased) and the tune days' ASR with the real names.
    dev: list[Sentence] = list(nob["dev"]) + [c for s in nob["dev"] for c in [asr_copy(s)] if c]
    for date in parts["tune"]:
        day = json.loads((silver / "dev" / f"{date}.json").read_text(encoding="utf-8"))
        for lang in ("nob", "nno"):
            sents = asr_sentences(day, lang, None, rng, plain_share=plain_share, ambiguous=ambiguous)
            counts[f"dev_asr_{lang}"] += len(sents)
            dev += sents
    for name, sents in (("train", train), ("dev", dev), ("test", nob["test"]),
                        ("test_lower", [c for s in nob["test"] for c in [asr_copy(s)] if c])):
        db, n = to_docbin(sents)
        db.to_disk(os.path.join(out_dir, f"{name}.spacy"))
        counts[name] = n
    counts["train_words"] = sum(len(s[0]) for s in train)
    Path(out_dir, "counts.json").write_text(json.dumps(dict(counts), indent=2), encoding="utf-8")
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", nargs="?", default=DEFAULT_OUT)
    ap.add_argument("--silver", default=str(storting_silver.DEFAULT_OUT))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--proceedings-sentences", type=int, default=40000,
                    help="at most this many proceedings sentences naming someone (0: none)")
    ap.add_argument("--norne-swap", type=float, default=0.25)
    ap.add_argument("--speaker-share", type=float, default=0.0,
                    help="share of the NorNE sentences added again as transcript turns behind a speaker label "
                         "(0.2 gave no better model on the tune days and split one sample person; see README)")
    ap.add_argument("--plain-share", type=float, default=0.25,
                    help="share of ASR pieces without a name or a name-like word that is kept")
    ap.add_argument("--interview-copies", type=int, default=0,
                    help="fill every interview template this many times (interview_templates.py; 0: none)")
    ap.add_argument("--interview-word-share", type=float, default=0.3,
                    help="share of the planted given names and surnames that are also ordinary words")
    ap.add_argument("--marked", action="append", default=[], metavar="DIR",
                    help="a folder of interviews with inline identifier marks ({{P:…}}, marked_interviews.py); "
                         "may be given more than once")
    ap.add_argument("--marked-copies", type=int, default=8,
                    help="renamed copies of each marked interview")
    ap.add_argument("--marked-originals", type=int, default=1,
                    help="copies of each marked interview with the names as written")
    args = ap.parse_args(argv)
    counts = build(args.out_dir, silver=Path(args.silver), seed=args.seed, norne_swap=args.norne_swap,
                   plain_share=args.plain_share, proceedings_sentences_max=args.proceedings_sentences,
                   speaker_share=args.speaker_share, interview_copies=args.interview_copies,
                   interview_word_share=args.interview_word_share,
                   marked_dirs=[Path(d) for d in args.marked], marked_copies=args.marked_copies,
                   marked_originals=args.marked_originals,
                   use_proceedings=args.proceedings_sentences > 0)
    print(json.dumps(counts, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
