"""Build the list of Norwegian place names the anonymiser ships with, from Stortinget's proceedings.

Lower-case speech recognition output gives the model no capital letters to find "på biri" or
"oppi støren" by; a list of place names does.  The proceedings of Stortinget (Apache-2.0, see
NOTICE) speak of every part of the country, capitalised and punctuated.  A word is taken as a
place when, in those texts:

- it is capitalised inside a sentence and stands after a preposition of place ("i", "på",
  "fra", "til", "ved", "for", "nord" …) in at least three of ten of those uses, at least
  ``--min`` times;
- it is no ordinary word in any case (the common-word list, compounds of ordinary words, the
  genitive of another listed form) and no given name; a surname only when it stands after such a
  preposition in seven of ten uses, at least five times ("Sogndal", "Melhus": places first).

Only the days without ASR are read: the 66 days whose ASR makes the dev and test sets stay
unseen.  Nothing but single lower-case word forms is written.

Usage:
    python -m codebench.anonymise.training.build_places [--out codebench/anonymise/data/place_names.txt]
"""

from __future__ import annotations

import argparse
import os
import re
from collections import Counter
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(os.path.dirname(HERE), "data", "place_names.txt")
DEFAULT_STORTING = os.path.join(HERE, "..", "..", "..", "..", "shared", "storting")
HEADER = ("# Norwegian place names (lower case), one per line — capitalised after a preposition of place in "
          "Stortinget's proceedings (Apache-2.0; see NOTICE); build_places.py\n")

_PREPOSITIONS = frozenset("i på fra frå til ved mot rundt for utenfor utanfor innenfor innanfor nord sør øst vest".split())
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[.!?:;«»()\"]")


def count(paths: list[Path]) -> tuple[Counter[str], Counter[str]]:
    """``(after a preposition of place, anywhere capitalised inside a sentence)`` per word form."""
    after: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            previous = None
            for match in _TOKEN.finditer(line):
                token = match.group()
                if token[0].isupper() and previous is not None and previous not in ".!?:;«(\"":
                    capitalised[token] += 1
                    if previous.casefold() in _PREPOSITIONS:
                        after[token] += 1
                previous = token
    return after, capitalised


def places(after: Counter[str], capitalised: Counter[str], minimum: int) -> list[str]:
    """The word forms that are places by the rules in the module docstring."""
    from codebench.anonymise.gazetteer import is_common_word, is_ordinary_compound, lexicon

    names = lexicon()
    kept = set()
    for word, n in after.items():
        folded = word.casefold()
        if n < minimum or n < capitalised[word] * 0.3 or word.isupper() or len(folded) < 3:
            continue
        if is_common_word(folded) or folded in names.female or folded in names.male:
            continue
        if len(folded) >= 10 and is_ordinary_compound(folded):  # "Tolkeutredningen" ("Stavanger" is short)
            continue
        if folded.endswith("s") and capitalised[word[:-1]] > n:
            continue  # "Dagbladets": the genitive of a name listed (or not) on its own
        if any(is_common_word(part) for part in folded.split("-")[1:]):
            continue  # "FN-regi", "IKT-området": a noun with a name in front
        if (folded in names.surnames or names.name_ratio.get(folded, 0.0) >= 0.3) and (
                n < 5 or n < capitalised[word] * 0.7):
            continue
        kept.add(folded)
    return sorted(kept)


def source_days(root: Path) -> list[Path]:
    """The proceedings the list is built from: every day without ASR (those are the dev and test days)."""
    asr_days = {p.stem for p in (root / "asr").glob("*.tsv")}
    return sorted(p for p in (root / "proceedings").glob("*.txt") if p.stem not in asr_days)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storting", default=DEFAULT_STORTING)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--min", type=int, default=3, help="uses after a preposition of place, at least")
    args = parser.parse_args(argv)
    paths = source_days(Path(args.storting))
    after, capitalised = count(paths)
    found = places(after, capitalised, args.min)
    Path(args.out).write_text(HEADER + "".join(f"{w}\n" for w in found), encoding="utf-8")
    print(f"{len(found)} place names from {len(paths)} days -> {args.out}")


if __name__ == "__main__":
    main()
