"""Build the word classes the name completion ships with, from NorNE's training sentences.

The Norwegian Dependency Treebank under NorNE tags every word with its part of speech (CC0
annotations).  For speech recognition output the anonymiser needs two facts about ordinary
words, both decided by what a word form mostly is in those sentences:

- ``F`` — a form that is mostly no noun and no adjective (a verb, pronoun, preposition,
  conjunction, adverb, determiner …): after a person's given name it goes on with the sentence
  ("kari sa", "ida og", "per har"), so it is never taken for a surname heard as a word;
- ``C`` — a form that is mostly a noun or an adjective, seen at least twice ("mulig", "bru"):
  only such a word, known to be one, is taken for a surname heard as a word; a verb form the
  sentences never showed ("samtykker") is not;
- ``V`` — a form that is mostly a finite verb ("var", "fikk", "sa"): before a given name it
  marks the subject after the verb ("da var kari syk"), where a noun or adjective after the name
  is the rest of the clause, not a surname.

Only the training split is read (every treebank sentence that is not in NorNE's UD dev or test
files), so the NorNE test figures stay honest.  Nothing but single lower-case word forms and
their class is written.

Usage:
    python -m codebench.anonymise.training.build_wordclasses [--out codebench/anonymise/data/word_classes.tsv]
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from collections import Counter, defaultdict

from codebench.anonymise.training.convert_norne import DEFAULT_NORNE, load_splits

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(os.path.dirname(HERE), "data", "word_classes.tsv")
CONTENT = ("subst", "adj")
HEADER = ("# word\tclass  (C: mostly a noun or adjective; F: mostly neither; V: mostly a finite verb) — NorNE/NDT training "
          "sentences; build_wordclasses.py\n")


def count(norne: str = DEFAULT_NORNE) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Part-of-speech counts of each lower-case word form, and how often it is a finite verb."""
    pos: dict[str, Counter[str]] = defaultdict(Counter)
    finite: Counter[str] = Counter()
    for lang in ("nob", "nno"):
        held_out = {tuple(s[0]) for part in ("dev", "test") for s in load_splits(norne, lang)[part]}
        for path in sorted(glob.glob(os.path.join(norne, "ndt", lang, "*.conll"))):
            for rows in _sentences(path):
                if tuple(r[1] for r in rows) in held_out:
                    continue
                for row in rows:
                    word = row[1]
                    if not (word.isalpha() and word.islower()):
                        continue
                    pos[word][row[3]] += 1
                    if row[3] == "verb" and {"pres", "pret"} & set(row[5].split("|")):
                        finite[word] += 1
    return pos, finite


def _sentences(path: str):
    rows: list[list[str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if rows:
                    yield rows
                rows = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) >= 6:
                    rows.append(cols)
    if rows:
        yield rows


def classes(pos: dict[str, Counter[str]], finite: Counter[str]) -> dict[str, str]:
    """``V`` for forms mostly finite verbs, ``F`` for the other forms mostly no noun or adjective,
    ``C`` for nouns and adjectives seen twice or more."""
    out: dict[str, str] = {}
    for word, counts in pos.items():
        total = sum(counts.values())
        if finite[word] * 2 >= total:
            out[word] = "V"
        elif sum(counts[c] for c in CONTENT) * 2 < total:
            out[word] = "F"
        elif total >= 2:
            out[word] = "C"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--norne", default=DEFAULT_NORNE)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    found = classes(*count(args.norne))
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER)
        for word in sorted(found):
            fh.write(f"{word}\t{found[word]}\n")
    print(f"wrote {len(found)} word forms to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
