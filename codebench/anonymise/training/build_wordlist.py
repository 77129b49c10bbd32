"""Build the list of ordinary Norwegian words the anonymiser ships, from Stortinget's proceedings.

An ordinary word is one the edited proceedings (``shared/storting/proceedings``, 330 days,
about 13.7 M words of bokmål and nynorsk; Apache-2.0, see NOTICE) write in lower case inside a
sentence at least ``--min-count`` times and at least as often as they capitalise it there, or
one NorNE's training sentences (CC0 annotations) have in lower case outside any name at least
``--min-count`` times and hardly ever inside one.  "saksliste", "vedtak", "årsmøte" are
ordinary words; "storberget" or "tromsø" are not.  Words in the shipped given-name lists are
left out unless they are clearly words ("liv", "per", "hans" stay decided by the name
lexicon, not by this list).

The proceedings of the 22 held-back Stortinget test days (``storting_silver.split_days``) are
left out: ``bench/storting_eval.py`` measures names left and over-redaction on those days, and
a list that had read their proceedings would know every ordinary word of them in advance, so
those figures would be better than what a researcher's unseen transcript gets.  The dev days
(tune days included) stay in.

Usage:
    python -m codebench.anonymise.training.build_wordlist [--out codebench/anonymise/data/common_words.txt]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from codebench.anonymise.training.paths import REPO

PROCEEDINGS = REPO.parent / "shared" / "storting" / "proceedings"
DATA = Path(__file__).resolve().parents[1] / "data"
TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
HEADER = "# ordinary Norwegian words: NorNE training splits and Stortinget's proceedings, test days left out " \
         "(lower case inside a sentence >= {n} times, more often than capitalised); build_wordlist.py\n"


def proceedings_days(folder: Path = PROCEEDINGS) -> list[Path]:
    """The proceedings the list is read from: every day but the Stortinget test days."""
    from codebench.anonymise.training.storting_silver import split_days

    test = set(split_days()["test"])
    return [p for p in sorted(folder.glob("*.txt")) if p.stem not in test]


def count(paths: list[Path]) -> tuple[Counter[str], Counter[str]]:
    """Lower-case and capitalised counts of each word inside sentences (not the first word)."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            words = TOKEN.findall(line)
            for word in words[1:]:
                if word.islower():
                    lower[word] += 1
                elif word[:1].isupper() and not word.isupper():
                    upper[word.casefold()] += 1
    return lower, upper


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(DATA / "common_words.txt"))
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args(argv)
    if not PROCEEDINGS.exists():
        print(f"{PROCEEDINGS}: the Stortinget proceedings are missing", file=sys.stderr)
        return 1
    from codebench.anonymise.training.build_gazetteer import build

    as_name, as_word = build()
    old = {w for w, n in as_word.items() if n >= args.min_count and as_name.get(w, 0) * 3 < n and w.isalpha()}
    days = proceedings_days()
    lower, upper = count(days)
    import yaml

    names = yaml.safe_load((DATA / "names_no.yaml").read_text(encoding="utf-8"))
    given = {n.casefold() for n in names["female"] + names["male"]}
    new = {w for w, n in lower.items()
           if n >= args.min_count and n >= upper[w] and len(w) > 1 and (w not in given or n >= 20 * (upper[w] + 1))}
    words = sorted(old | new)
    Path(args.out).write_text(HEADER.format(n=args.min_count) + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words ({len(old)} from NorNE, {len(new - old)} more from {len(days)} days of proceedings)"
          f" -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
