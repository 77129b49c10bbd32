"""Convert NorNE (ndt + UD dev/test) into spaCy DocBin files with the official splits.

train = every ndt sentence whose token sequence is not in the UD dev or test file;
GPE_LOC -> LOC and GPE_ORG -> ORG; nothing else is dropped.  An ASR-style copy
(lower-cased, punctuation tokens removed, entity spans kept aligned) of a fraction of
the training sentences is added to train.spacy; with --name-swap, copies of sentences that
name people, with other names from the shipped name lists, are added first.

spaCy is imported lazily so this module imports without spaCy installed.

Usage:
    python -m codebench.anonymise.training.convert_norne [OUT_DIR (default: $TMPDIR/norne-spacy)] [--asr-fraction 0.5]
        [--no-nno] [--norne ../shared/norne] [--seed 0] [--name-swap 0.0]
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import sys
import unicodedata
from typing import Iterable, Iterator

from codebench.anonymise.training.paths import DEFAULT_DATA as DEFAULT_OUT
from codebench.anonymise.training.paths import DEFAULT_NORNE

FOLD = {"GPE_LOC": "LOC", "GPE_ORG": "ORG"}

# A sentence: (words, spaces, iob tags)
Sentence = tuple[list[str], list[bool], list[str]]


def _name_tag(misc: str) -> str:
    for part in misc.split("|"):
        if part.startswith("name="):
            tag = part[5:]
            if tag == "O":
                return "O"
            prefix, _, label = tag.partition("-")
            return f"{prefix}-{FOLD.get(label, label)}"
    return "O"


def read_conll(path: str) -> Iterator[Sentence]:
    """Yield sentences from an ndt .conll or UD .conllu file (name= in the last column)."""
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    yield words, spaces, tags
                words, spaces, tags = [], [], []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:  # multiword / empty nodes
                continue
            words.append(cols[1])
            spaces.append("SpaceAfter=No" not in cols[-1].split("|"))
            tags.append(_name_tag(cols[-1]))
    if words:
        yield words, spaces, tags


def is_punct(word: str) -> bool:
    """True when the token has no letters or digits (punctuation, dashes, quotes, symbols)."""
    return not any(unicodedata.category(c)[0] in "LN" for c in word)


def asr_copy(sent: Sentence) -> Sentence | None:
    """Lower-case, drop punctuation tokens, keep IOB tags aligned (repairing broken B-)."""
    words, _spaces, tags = sent
    out_w: list[str] = []
    out_t: list[str] = []
    prev = "O"
    for w, t in zip(words, tags):
        if is_punct(w):
            # A punctuation token inside an entity is dropped; the entity continues.
            continue
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out_w.append(w.lower())
        out_t.append(t)
        prev = t
    if not out_w:
        return None
    return out_w, [True] * len(out_w), out_t


def name_swap_copy(sent: Sentence, rng: random.Random, given: list[str], surnames: list[str]) -> Sentence | None:
    """A copy of a sentence with other people in it: every person name gets new words.

    The first word of a name becomes a given name, the others surnames, a lone word either;
    a possessive -s before a lower-case word is kept.  The model meets many more names in the
    same contexts, so it learns the context ("… sier X", "X (45) forteller") and not the few
    thousand names NorNE happens to contain.  None when the sentence names nobody.
    """
    words, spaces, tags = sent
    if not any(t.endswith("-PER") for t in tags):
        return None
    out = list(words)
    for i, (word, tag) in enumerate(zip(words, tags)):
        if not tag.endswith("-PER") or not word.isalpha():
            continue
        starts = tag.startswith("B-") or i == 0 or not tags[i - 1].endswith("-PER")
        lone = starts and (i + 1 == len(tags) or tags[i + 1] != "I-PER")
        pool = given if starts and not (lone and rng.random() < 0.5) else surnames
        name = rng.choice(pool)
        following = words[i + 1] if i + 1 < len(words) else ""
        if word.endswith("s") and not word.endswith("ss") and following[:1].islower():
            name += "s"
        out[i] = name
    return out, list(spaces), list(tags)


def fix_iob(tags: list[str]) -> list[str]:
    out = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def load_splits(norne: str = DEFAULT_NORNE, lang: str = "nob") -> dict[str, list[Sentence]]:
    ud_name = {"nob": "no_bokmaal", "nno": "no_nynorsk"}[lang]
    dev = list(read_conll(os.path.join(norne, "ud", lang, f"{ud_name}-ud-dev.conllu")))
    test = list(read_conll(os.path.join(norne, "ud", lang, f"{ud_name}-ud-test.conllu")))
    held_out = {tuple(s[0]) for s in dev} | {tuple(s[0]) for s in test}
    train = []
    for path in sorted(glob.glob(os.path.join(norne, "ndt", lang, "*.conll"))):
        for sent in read_conll(path):
            if tuple(sent[0]) not in held_out:
                train.append(sent)
    return {"train": train, "dev": dev, "test": test}


def to_docbin(sents: Iterable[Sentence]):
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("nb").vocab
    db = DocBin(store_user_data=False)
    n = 0
    for words, spaces, tags in sents:
        doc = Doc(vocab, words=words, spaces=spaces, ents=fix_iob(tags))
        db.add(doc)
        n += 1
    return db, n


def _name_lists() -> tuple[list[str], list[str]]:
    """Given names and surnames from the shipped name lists, as written (capitalised)."""
    from importlib import resources

    import yaml

    data = yaml.safe_load((resources.files("codebench.anonymise") / "data" / "names_no.yaml").read_text(encoding="utf-8"))
    given = sorted({n for n in data["female"] + data["male"] if " " not in n})
    return given, sorted({n for n in data["surnames"] if " " not in n})


def convert(out_dir: str = DEFAULT_OUT, norne: str = DEFAULT_NORNE, asr_fraction: float = 0.5,
            nno: bool = True, seed: int = 0, name_swap: float = 0.0) -> dict[str, int]:
    os.makedirs(out_dir, exist_ok=True)
    nob = load_splits(norne, "nob")
    train = list(nob["train"])
    counts = {"nob_train": len(train), "dev": len(nob["dev"]), "test": len(nob["test"])}
    if nno:
        nn = load_splits(norne, "nno")
        train.extend(nn["train"])
        counts["nno_train"] = len(nn["train"])
    rng = random.Random(seed)
    if name_swap > 0:
        given, surnames = _name_lists()
        swapped = [c for s in train if rng.random() < name_swap for c in [name_swap_copy(s, rng, given, surnames)] if c]
        counts["name_swap_train"] = len(swapped)
        train.extend(swapped)
    asr = [c for s in train if rng.random() < asr_fraction for c in [asr_copy(s)] if c]
    counts["asr_train"] = len(asr)
    train_all = train + asr
    rng.shuffle(train_all)
    for name, sents in (("train", train_all), ("dev", nob["dev"]), ("test", nob["test"])):
        db, n = to_docbin(sents)
        db.to_disk(os.path.join(out_dir, f"{name}.spacy"))
        counts[name] = n
    # Lower-cased, punctuation-free test copy for the ASR evaluation.
    db, n = to_docbin(c for s in nob["test"] for c in [asr_copy(s)] if c)
    db.to_disk(os.path.join(out_dir, "test_lower.spacy"))
    counts["test_lower"] = n
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", nargs="?", default=DEFAULT_OUT)
    ap.add_argument("--norne", default=DEFAULT_NORNE)
    ap.add_argument("--asr-fraction", type=float, default=0.5,
                    help="fraction of training sentences also added lower-cased without punctuation")
    ap.add_argument("--no-nno", action="store_true", help="bokmål only (default: add nynorsk train)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name-swap", type=float, default=0.0,
                    help="fraction of training sentences with persons also added with other names")
    args = ap.parse_args(argv)
    counts = convert(args.out_dir, args.norne, args.asr_fraction, not args.no_nno, args.seed, args.name_swap)
    for k, v in counts.items():
        print(f"{k}\t{v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
