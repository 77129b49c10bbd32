"""A silver-labelled ASR dev and test set from Stortinget: real lower-case ASR with person spans.

The Stortinget data (``shared/storting``, Apache-2.0) holds, for 66 sitting days, both the
edited cased proceedings and the real ASR segments of the same speeches (bokmål and nynorsk
ASR).  This script

1. labels person names in the cased proceedings with rules that do not use the anonymiser
   (a full name is a run of capitalised words opening with a given name; a surname of such a
   full name alone, capitalised inside a sentence, is that person; a capitalised run after
   "representanten", "statsråd" … is a name), so the silver labels are not the anonymiser's
   own opinion;
2. aligns every ASR segment word by word to the proceedings of its day (trigram anchors, then
   difflib) and carries the person spans over to the ASR words, misheard or not
   ("Erling Sande" → "eirik sanne" is still a name);
3. marks each ASR word ``N`` (in a name, with the entity it belongs to), ``O`` (an ordinary
   word: aligned to a word written in lower case in the proceedings), ``C`` (aligned to another
   capitalised word: a place, a party, a sentence start) or ``U`` (not aligned: the proceedings
   were edited there), so recall counts every name occurrence and over-redaction counts only
   words known to be ordinary;
4. splits by day: every third day (sorted by date, the third, sixth, …) is the held-out test
   part, never used to tune; the rest is dev.

The output is one JSON file per day and split (``OUT/dev/DATE.json``, ``OUT/test/DATE.json``)
in the temporary folder, never in the repository (the texts are the Storting's, and the
labels are derived data, rebuilt in a minute).  ``bench/anonymise.py`` reads them.

Usage:
    python -m codebench.anonymise.training.storting_silver [--out /tmp/storting-silver]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, NamedTuple

from codebench.anonymise.training.paths import REPO

STORTING = REPO.parent / "shared" / "storting"
# Versioned: the second alignment rule (#15, see sounds_like) labels differently from the first,
# and figures of either stay reproducible side by side.
DEFAULT_OUT = Path(tempfile.gettempdir()) / "storting-silver-2"
TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Words before a capitalised run that make it a person's name in the proceedings.
TRIGGERS = frozenset({
    "representanten", "representantene", "statsråd", "statsrådene", "statsminister", "statsministeren",
    "utenriksminister", "finansminister", "justisminister", "minister", "ministeren", "fru", "herr",
    "stortingsrepresentant", "vararepresentant", "saksordfører", "saksordføreren", "komitéleder",
    "partileder", "leder", "president", "presidenten", "ordfører", "kollega", "kollegaen",
})
# Parties and other capitalised short words that a run must not take in.
NOT_NAME_WORDS = frozenset({"H", "A", "FrP", "Frp", "KrF", "Sp", "SV", "V", "MDG", "R", "Ap", "Stortinget",
                            "Presidenten", "Representanten", "Statsråd", "Statsråden", "Regjeringen",
                            "Høyre", "Høyres", "Høgre", "Høgres", "Venstre", "Venstres", "Folkeparti",
                            "Folkepartis", "Venstreparti", "Venstrepartis", "Kristelig", "Kristeleg",
                            # Where a line break was lost ("Are HelsethFor Buskerud fylke"), or a
                            # sentence opens with a name, a function word is never part of it.
                            "For", "Fra", "Frå", "Og", "Det", "Er", "Til", "I", "På", "Av", "Med", "Om", "Som",
                            # Titles, not names ("fastsettes av Kongen i statsråd").
                            "Kongen", "Kongens", "Dronningen", "Dronningens", "Kronprinsen", "Kronprinsens"})
# Parties, reforms and agencies: capitalised, never a person.
NOT_NAME_ENDINGS = ("partiet", "partiets", "reformen", "reforma", "verket", "verkets", "direktoratet", "tilsynet",
                    "departementet", "departementets", "komiteen", "komiteens", "utvalget", "rådet")
PLACE_PREPOSITIONS = frozenset({"i", "på", "fra", "frå", "til", "mot", "over", "ved"})


class Token(NamedTuple):
    text: str
    start: int
    end: int


# A lost line break joins two lines' words ("HelsethFor Buskerud"): a lower-case letter followed
# by a capital, after at least three letters, is where one word ends and the next begins.
_JOINT = re.compile(r"(?<=[^\W\d_]{3})(?<=[a-zæøå])(?=[A-ZÆØÅ][a-zæøå])")


def tokens(line: str) -> list[Token]:
    """The words of a proceedings line, split where a lost line break joined two."""
    out = []
    for m in TOKEN.finditer(line):
        at = m.start()
        for cut in [j.start() for j in _JOINT.finditer(m.group())] + [len(m.group())]:
            out.append(Token(line[at:m.start() + cut], at, m.start() + cut))
            at = m.start() + cut
    return out


def _capitalised(word: str) -> bool:
    # "Aasta Hansteen-feltet", "Sverdrup-feltet": a compound named after someone is a thing.
    tail = word.rsplit("-", 1)[-1]
    return (len(word) > 1 and word[:1].isupper() and not word.isupper() and word not in NOT_NAME_WORDS
            and not word.casefold().endswith(NOT_NAME_ENDINGS) and not (tail != word and tail.islower()))


def capitalised_runs(toks: list[Token]) -> Iterable[tuple[int, int]]:
    """Runs of capitalised words with nothing but one space between them ("Jonas Gahr Støre")."""
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and _capitalised(toks[j].text) and (j == i or toks[j].start - toks[j - 1].end == 1):
            j += 1
        if j > i:
            yield i, j
        i = max(j, i + 1)


def given_name_pool(extra: Iterable[str] = ()) -> frozenset[str]:
    """Given names (lower case): the shipped lists, NorNE's first words of names, and ``extra``."""
    import yaml
    from importlib import resources

    data = resources.files("codebench.anonymise") / "data"
    names = yaml.safe_load((data / "names_no.yaml").read_text(encoding="utf-8"))
    pool = {n.casefold() for n in names["female"] + names["male"]}
    pool.update(w.casefold() for w in extra)
    return frozenset(pool)


APERTIUM = "/usr/share/apertium/apertium-nno-nob/nob-nno.automorf.bin"


def apertium_names(words: Iterable[str], analyser: str = APERTIUM) -> tuple[set[str], set[str], set[str]]:
    """Which of ``words`` apertium's bokmål analyser tags as given names, surnames and places.

    Debian's ``apertium-nno-nob`` and ``lttoolbox`` (``lt-proc``); GPL data, so used only to
    label evaluation data and draw swapped names, never shipped.  Empty sets without them.
    """
    import shutil
    import subprocess

    given: set[str] = set()
    surnames: set[str] = set()
    places: set[str] = set()
    if not shutil.which("lt-proc") or not os.path.exists(analyser):
        return given, surnames, places
    words = sorted(set(words))
    result = subprocess.run(["lt-proc", analyser], input="\n".join(words) + "\n", capture_output=True,
                            text=True, check=True)
    for unit in re.findall(r"\^([^$]*)\$", result.stdout):
        surface, *readings = unit.split("/")
        tags = " ".join(readings)
        folded = surface.casefold()
        if "<np><ant>" in tags:
            given.add(folded)
        if "<np><cog>" in tags:
            surnames.add(folded)
        if "<np><top>" in tags:
            places.add(folded)
    return given, surnames, places


def label_proceedings(lines: list[str], given: frozenset[str], surnames: frozenset[str],
                      places: frozenset[str]) -> list[list[str | None]]:
    """Per line, per token: the person entity key (lower-cased full name or surname) or None."""
    out: list[list[str | None]] = []
    for line in lines:
        toks = tokens(line)
        labels: list[str | None] = [None] * len(toks)
        for i, run_end in capitalised_runs(toks):
            run = toks[i:run_end]
            first = run[0].text.casefold()
            first_given = first in given or first.split("-")[0] in given
            triggered = i > 0 and toks[i - 1].text.casefold() in TRIGGERS
            if len(run) >= 2 and (first_given or triggered):
                key = " ".join(t.text.casefold() for t in run)
                for k in range(i, run_end):
                    labels[k] = key
            elif len(run) == 1 and i > 0:
                folded = run[0].text.casefold()
                bare = folded[:-1] if folded.endswith("s") and folded[:-1] in surnames else folded
                before = toks[i - 1].text.casefold()
                if (bare in surnames and bare not in places and before not in PLACE_PREPOSITIONS) or (
                        first_given and bare not in places) or triggered:
                    labels[i] = bare
        out.append(labels)
    return out


def corpus_names(days: list[Path], *, use_apertium: bool = True, extra_given: Iterable[str] = ()
                 ) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Given names, surnames of full names and capitalised words mostly used as places, over all
    proceedings (given names: the shipped lists, ``extra_given`` and apertium's; places: after
    "i", "på" … or apertium's places that are no one's surname here).

    ``use_apertium=False`` leaves Debian's GPL lexicon out: the labels of *training* data (a
    shipped model learns from them) rest only on the shipped lists, NorNE and the proceedings.
    """
    lines = [line for path in days for line in path.read_text(encoding="utf-8").splitlines()]
    after_place_prep: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for line in lines:
        toks = tokens(line)
        for i, tok in enumerate(toks):
            if _capitalised(tok.text):
                if i:
                    capitalised[tok.text.casefold()] += 1
                    if toks[i - 1].text.casefold() in PLACE_PREPOSITIONS:
                        after_place_prep[tok.text.casefold()] += 1
    ap_given, ap_surnames, ap_places = (apertium_names(w[:1].upper() + w[1:] for w in capitalised)
                                         if use_apertium else (set(), set(), set()))
    ordinary = Counter(t.text for line in lines for t in tokens(line) if t.text.islower())
    # A given name that is mostly an ordinary word ("Er", "Bo", "Dag") opens a
    # full name only when the shipped lists know it.
    given = given_name_pool([w for w in ap_given if ordinary[w] < 3 * (capitalised[w] + 1)]
                            + [w.casefold() for w in extra_given if ordinary[w.casefold()] < 3 * (capitalised[w.casefold()] + 1)])
    surname_counts: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for line in lines:
        toks = tokens(line)
        lower.update(t.text for t in toks if t.text.islower())
        for i, j in capitalised_runs(toks):
            if j - i >= 2 and toks[i].text.casefold() in given:
                surname_counts[toks[j - 1].text.casefold()] += 1
    places = {w for w, n in capitalised.items() if n >= 3 and after_place_prep[w] / n >= 0.3}
    places |= {w for w in ap_places if surname_counts[w] < 3}
    # A surname that is mostly an ordinary word ("Venstre", "venstre") is labelled only in full names.
    surnames = frozenset(s for s in surname_counts if s not in places and s not in given
                         and lower[s] < capitalised[s])
    return given, surnames, frozenset(places)


def _normal(word: str) -> str:
    return word.casefold()


def sounds_like(word: str, names: list[tuple[str, str]]) -> str | None:
    """The person whose name ``word`` (an ASR word) was heard as, among ``names`` (the
    proceedings' name words opposite, with their persons, in order), or None.

    rapidfuzz ratio at least 60 to one name word ("tosen" for "thorsen"); a word of at most
    three letters also begins as that name word does ("dag" for "dagrun", not "er" for
    "borten"); or ratio at least 70 to two name words of one person run together ("alankurdi").
    """
    from rapidfuzz import fuzz

    if len(word) < 2:
        return None
    best, person = 0.0, None
    for name, who in names:
        score = fuzz.ratio(word, name)
        if score >= 60 and score > best and (len(word) > 3 or word[:2] == name[:2]):
            best, person = score, who
    if person:
        return person
    for (a, who), (b, other) in zip(names, names[1:]):
        if who == other and fuzz.ratio(word, a + b) >= 70:
            return who
    return None


def align_segment(seg: list[str], proc: list[str], index: dict[tuple[str, str, str], list[int]]
                  ) -> tuple[int, list[tuple[str, int, int, int, int]]] | None:
    """Where an ASR segment lies in the day's proceedings, and difflib's opcodes against it."""
    offsets: Counter[int] = Counter()
    for i in range(len(seg) - 2):
        for p in index.get((seg[i], seg[i + 1], seg[i + 2]), ()):
            offsets[(p - i) // 8] += 1
    if not offsets:
        return None
    bucket, votes = offsets.most_common(1)[0]
    if votes < 2 and len(seg) > 6:
        return None
    lo = max(0, bucket * 8 - 30)
    hi = min(len(proc), bucket * 8 + len(seg) + 38)
    matcher = difflib.SequenceMatcher(None, seg, proc[lo:hi], autojunk=False)
    return lo, matcher.get_opcodes()


def label_segment(seg_words: list[str], proc_words: list[str], proc_labels: list[str | None],
                  proc_case: list[str], index: dict) -> tuple[list[str], list[str | None], float] | None:
    """ASR word labels (N/O/C/U), the entity of each N word, and the share of words matched."""

    proc = proc_words
    found = align_segment(seg_words, proc_words, index)
    if found is None:
        return None
    lo, ops = found
    tags = ["U"] * len(seg_words)
    ents: list[str | None] = [None] * len(seg_words)
    matched = 0
    for op, i1, i2, j1, j2 in ops:
        j1, j2 = j1 + lo, j2 + lo
        if op == "equal":
            matched += i2 - i1
            pairs = list(zip(range(i1, i2), range(j1, j2)))
        elif op == "replace":
            if not any(proc_labels[j] for j in range(j1, j2)):
                pairs = list(zip(range(i1, i2), range(j1, j2))) if i2 - i1 == j2 - j1 else []
            else:
                # A name heard as other words (fused, split, misheard) is still the name: each ASR
                # word that sounds like one of the name words here takes that word's person; a
                # word that sounds like none ("er", "og" beside a name) is left uncertain, and so
                # are the ordinary words opposite when the counts differ.
                names = [(proc[j], proc_labels[j]) for j in range(j1, j2) if proc_labels[j]]
                same_count = i2 - i1 == j2 - j1
                for k, i in enumerate(range(i1, i2)):
                    if same_count and not proc_labels[j1 + k]:
                        continue  # opposite an ordinary word: that word, below
                    person = sounds_like(seg_words[i], names)
                    if person:
                        tags[i], ents[i] = "N", person
                pairs = [(i, j) for i, j in zip(range(i1, i2), range(j1, j2)) if not proc_labels[j]] if same_count else []
        else:
            continue
        for i, j in pairs:
            if proc_labels[j]:
                tags[i], ents[i] = "N", proc_labels[j]
            elif proc_case[j] == "l":
                tags[i] = "O"
            else:
                tags[i] = "C"
    share = matched / max(1, len(seg_words))
    return tags, ents, share


def build_day(date: str, given: frozenset[str], surnames: frozenset[str], places: frozenset[str],
              min_share: float = 0.5) -> dict:
    """The labelled ASR segments (bokmål and nynorsk ASR) and labelled proceedings of one day."""
    lines = (STORTING / "proceedings" / f"{date}.txt").read_text(encoding="utf-8").splitlines()
    labels = label_proceedings(lines, given, surnames, places)
    proc_words: list[str] = []
    proc_labels: list[str | None] = []
    proc_case: list[str] = []
    for line, labs in zip(lines, labels):
        for k, (tok, lab) in enumerate(zip(tokens(line), labs)):
            proc_words.append(_normal(tok.text))
            proc_labels.append(lab)
            # Lower case inside the sentence: an ordinary word; anything else is not counted.
            proc_case.append("l" if tok.text.islower() and not tok.text.isdigit() else "c")
    index: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for p in range(len(proc_words) - 2):
        index[(proc_words[p], proc_words[p + 1], proc_words[p + 2])].append(p)
    index = {k: v for k, v in index.items() if len(v) <= 3}
    segments = []
    with open(STORTING / "asr" / f"{date}.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            seg = {"recording": row["recording"], "start": float(row["start"])}
            keep = False
            for column, lang in (("text_bm", "nob"), ("text_nn", "nno")):
                words = [m.group() for m in TOKEN.finditer(row[column] or "")]
                result = label_segment([_normal(w) for w in words], proc_words, proc_labels, proc_case, index) \
                    if len(words) >= 4 else None
                if result is None or result[2] < min_share:
                    continue
                tags, ents, share = result
                seg[lang] = {"words": words, "tags": "".join(tags), "entities": ents, "share": round(share, 3)}
                keep = True
            if keep:
                segments.append(seg)
    cased = [{"text": line, "spans": _spans(line, labs)} for line, labs in zip(lines, labels)]
    return {"date": date, "segments": segments, "proceedings": cased}


def _spans(line: str, labels: list[str | None]) -> list[list]:
    """Person spans of one proceedings line: [start, end, entity] over runs of one entity."""
    out: list[list] = []
    for tok, lab in zip(tokens(line), labels):
        if lab is None:
            continue
        if out and out[-1][2] == lab and line[out[-1][1]:tok.start].strip() == "":
            out[-1][1] = tok.end
        else:
            out.append([tok.start, tok.end, lab])
    return out


def write_swap_pool(path: Path, given: frozenset[str]) -> None:
    """Names to swap in for evaluation that the shipped lists do not hold: the capitalised words
    of Debian's bokmål word list (wnorwegian) that apertium tags as given names or surnames.

    GPL data, written to the temporary folder for evaluation only.
    """
    import yaml
    from importlib import resources

    wordlist = Path("/usr/share/dict/bokmaal")
    if not wordlist.exists():
        return
    data = resources.files("codebench.anonymise") / "data"
    shipped = yaml.safe_load((data / "names_no.yaml").read_text(encoding="utf-8"))
    known = {n.casefold() for kind in ("female", "male", "surnames") for n in shipped[kind]}
    words = [w for w in wordlist.read_text(encoding="latin-1").splitlines()
             if w[:1].isupper() and w[1:].islower() and w.isalpha() and len(w) > 2]
    ap_given, ap_surnames, ap_places = apertium_names(words)
    # Not places ("Troms", "Falun") and not ordinary words: names only.
    from codebench.anonymise.gazetteer import is_common_word
    from codebench.anonymise.policy import PUBLIC

    not_names = ap_places | PUBLIC
    lines = [f"given\t{w}" for w in sorted(ap_given - known - not_names) if not is_common_word(w)]
    lines += [f"surname\t{w}" for w in sorted(ap_surnames - known - ap_given - not_names) if not is_common_word(w)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def split_days() -> dict[str, list[str]]:
    """Dev and test days: every third ASR day (by date) is test."""
    days = sorted(p.stem for p in (STORTING / "asr").glob("*.tsv"))
    return {"dev": [d for i, d in enumerate(days) if i % 3 != 2], "test": [d for i, d in enumerate(days) if i % 3 == 2]}


# Every fourth dev day (by date) tunes the model (early stopping, choices); the rest trains it.
TUNE_EVERY = 4


def dev_parts(dev_days: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The dev days split for training the NER model: ``train`` (33 days) and ``tune`` (11).

    The test days are in neither: they are never trained or tuned on.
    """
    days = sorted(dev_days if dev_days is not None else split_days()["dev"])
    return {"train": [d for i, d in enumerate(days) if i % TUNE_EVERY != TUNE_EVERY - 1],
            "tune": [d for i, d in enumerate(days) if i % TUNE_EVERY == TUNE_EVERY - 1]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--days", type=int, default=0, help="only the first N days of each split (quick runs)")
    args = ap.parse_args(argv)
    if not STORTING.exists():
        print(f"{STORTING}: the Stortinget data is missing", file=sys.stderr)
        return 1
    given, surnames, places = corpus_names(sorted((STORTING / "proceedings").glob("*.txt")))
    print(f"{len(given)} given names, {len(surnames)} surnames, {len(places)} places", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_swap_pool(out / "swap_names.tsv", given)
    for split, days in split_days().items():
        (out / split).mkdir(parents=True, exist_ok=True)
        for date in days[:args.days or None]:
            day = build_day(date, given, surnames, places)
            (out / split / f"{date}.json").write_text(json.dumps(day, ensure_ascii=False), encoding="utf-8")
            n = sum(t.count("N") for s in day["segments"] for t in [s.get("nob", {}).get("tags", "")])
            print(f"{split} {date}: {len(day['segments'])} segments, {n} name words (bokmål ASR)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
