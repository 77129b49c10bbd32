"""Build the name lexicon the gazetteer detector ships with, from the NorNE training splits.

For every word that is part of a person name (PER) in NorNE's training sentences (bokmål and
nynorsk; the UD dev and test sentences are left out, so evaluation stays honest) it records how
often it was a name and how often the same word, lower-cased, was an ordinary word outside any
name.  The gazetteer uses the ratio: "rune" is nearly always a name, "liv" or "berg" rarely.

Usage:
    python -m codebench.anonymise.training.build_gazetteer [--out codebench/anonymise/data/name_lexicon.tsv]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

from codebench.anonymise.training.convert_norne import DEFAULT_NORNE, load_splits

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(os.path.dirname(HERE), "data", "name_lexicon.tsv")


def build(norne: str = DEFAULT_NORNE) -> tuple[Counter[str], Counter[str]]:
    """Counts of each word inside PER names and as a lower-case word outside any entity."""
    as_name: Counter[str] = Counter()
    as_word: Counter[str] = Counter()
    for lang in ("nob", "nno"):
        for words, _spaces, tags in load_splits(norne, lang)["train"]:
            for word, tag in zip(words, tags):
                if tag.endswith("-PER") and word[:1].isalpha() and len(word) > 1:
                    as_name[word.casefold()] += 1
                elif tag == "O" and word.islower():
                    as_word[word] += 1
    return as_name, as_word


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--norne", default=DEFAULT_NORNE)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    as_name, as_word = build(args.norne)
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# word\tas_name\tas_word  (NorNE training splits; build_gazetteer.py)\n")
        for word in sorted(as_name):
            fh.write(f"{word}\t{as_name[word]}\t{as_word.get(word, 0)}\n")
    print(f"wrote {len(as_name)} name words to {args.out}")
    # The ordinary-word list (common_words.txt) is built by build_wordlist.py from NorNE and
    # Stortinget's proceedings.
    return 0


if __name__ == "__main__":
    sys.exit(main())
