"""The anonymiser on the Stortinget silver set: real ASR (bokmål, nynorsk) and the cased proceedings.

Reads what ``codebench.anonymise.training.storting_silver`` wrote (dev and test days) and runs
detection + linking + the ``--auto`` threshold over each day as one project.  Figures:

- ``name_occurrences`` and ``left``: every mention of a person counts (a run of name words in
  the ASR, a person span in the proceedings); it is left when any of its words is not covered
  by a mention --auto would replace;
- ``over_redaction``: of the words known to be ordinary (lower case in the proceedings), the
  share that a replaced mention covers;
- ``review_burden``: how many entries of the residual review list (ranked, with the model's
  person probabilities unless ``--no-model-ranking``) a researcher reads before every left
  name has been seen;
- with ``swap``: every name replaced by another Norwegian name (the same one for the same
  word throughout), so the figures do not rest on knowing these members of parliament.

    python -m bench.storting_eval [--split dev] [--lang nob] [--swap] [--days N] [--show 40] [--root DIR]
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from codebench.anonymise.detections import DEFAULT_THRESHOLD, REVIEW_ONLY  # noqa: E402
from codebench.anonymise.linking import link  # noqa: E402
from codebench.anonymise.pipeline import detect_texts  # noqa: E402
from codebench.anonymise.training.storting_silver import tokens as silver_tokens  # noqa: E402
try:  # the residual list is new with #15; the bench also measures the code before it
    from codebench.anonymise.residual import residual_candidates, review_burden  # noqa: E402
except ImportError:  # pragma: no cover
    residual_candidates = review_burden = None

SEGMENTS_PER_LINE = 4
# Swapped names come from the shipped lists ("lists") or from real names they lack ("unseen").
SWAP_POOL = "unseen"
# Where codebench.anonymise.training.storting_silver writes the silver set.
DEFAULT_OUT = Path(tempfile.gettempdir()) / "storting-silver-2"  # the silver set, second alignment rule


class Doc(NamedTuple):
    """One evaluation document: its text, word offsets, tags (N/O/C/U) and name runs."""

    text: str
    words: list[tuple[int, int]]
    tags: str
    names: list[list[int]]  # word indexes of each name occurrence


def _surrogates() -> tuple[list[str], list[str]]:
    import yaml
    from importlib import resources

    data = resources.files("codebench.anonymise") / "data"
    names = yaml.safe_load((data / "names_no.yaml").read_text(encoding="utf-8"))
    given = sorted({n.casefold() for n in names["female"] + names["male"] if " " not in n})
    surnames = sorted({n.casefold() for n in names["surnames"] if " " not in n})
    if SWAP_POOL == "unseen":
        # Real names the shipped lists do not hold (storting_silver wrote them from Debian's
        # word list and apertium): the figures then show what the lists cannot know.
        given, surnames = [], []
        for line in (DEFAULT_OUT / "swap_names.tsv").read_text(encoding="utf-8").splitlines():
            kind, _, word = line.partition("\t")
            (given if kind == "given" else surnames).append(word.casefold())
        # Possessive forms ("aleksanders") are in the word list beside their names.
        given = [w for w in given if not (w.endswith("s") and w[:-1] in set(given))]
        surnames = [w for w in surnames if not (w.endswith("s") and w[:-1] in set(surnames))]
    return given, surnames


def _pick(pool: list[str], key: str) -> str:
    return pool[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(pool)]


def swap_word(word: str, entity: str, position: int, pools: tuple[list[str], list[str]]) -> str:
    """The swapped name word for ``word`` at ``position`` of a name of ``entity``."""
    given, surnames = pools
    parts = entity.split()
    if len(parts) > 1 and position == 0:
        return _pick(given, parts[0])
    source = parts[min(position, len(parts) - 1)]
    return _pick(surnames, source)


def recording_segments(day: dict, lang: str, max_segments: int) -> list[tuple[str, list[dict]]]:
    """The day's ASR segments in ``lang`` per recording, in recording order, at most
    ``max_segments`` in all (the same cut for the evaluation and the leak listing)."""
    by_recording: dict[str, list[dict]] = defaultdict(list)
    for seg in day["segments"]:
        if lang in seg:
            by_recording[seg["recording"]].append(seg[lang])
    out = []
    budget = max_segments
    for recording in sorted(by_recording):
        segs = by_recording[recording][:budget]
        budget -= len(segs)
        out.append((recording, segs))
        if budget <= 0:
            break
    return out


def asr_docs(day: dict, lang: str, *, swap: bool, max_segments: int) -> list[Doc]:
    """The day's ASR segments in ``lang`` as documents, one per recording."""
    pools = _surrogates() if swap else None
    docs = []
    for recording, segs in recording_segments(day, lang, max_segments):
        parts: list[str] = []
        words: list[tuple[int, int]] = []
        tags: list[str] = []
        names: list[list[int]] = []
        pos = 0
        for k, seg in enumerate(segs):
            if k and k % SEGMENTS_PER_LINE == 0:
                parts.append("\n")
                pos += 1
            previous = None
            run_pos = 0
            for w, t, ent in zip(seg["words"], seg["tags"], seg["entities"]):
                if t == "N":
                    if previous == ent and names and names[-1][-1] == len(words) - 1:
                        names[-1].append(len(words))
                        run_pos += 1
                    else:
                        names.append([len(words)])
                        run_pos = 0
                    if swap and pools:
                        w = swap_word(w, ent, run_pos, pools)
                previous = ent if t == "N" else None
                if parts and not parts[-1].endswith("\n"):
                    parts.append(" ")
                    pos += 1
                words.append((pos, pos + len(w)))
                parts.append(w)
                pos += len(w)
                tags.append(t)
        if words:
            docs.append(Doc("".join(parts), words, "".join(tags), names))
    return docs


_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def cased_docs(day: dict, *, swap: bool, max_lines: int, lines_per_doc: int = 40) -> list[Doc]:
    """The day's proceedings (cased, punctuated), as documents of ``lines_per_doc`` lines."""
    pools = _surrogates() if swap else None
    lines = day["proceedings"][:max_lines]
    docs = []
    for start in range(0, len(lines), lines_per_doc):
        parts: list[str] = []
        words: list[tuple[int, int]] = []
        tags: list[str] = []
        names: list[list[int]] = []
        pos = 0
        last_span = None
        for line in lines[start:start + lines_per_doc]:
            text = line["text"]
            spans = line["spans"]
            if swap and pools:
                text, spans = swap_line(text, spans, pools)
            first_word = True
            # The silver set's own tokens: words a lost line break joined ("GrøttingFor") are two.
            for m in silver_tokens(text):
                inside = [sp for sp in spans if sp[0] <= m.start < sp[1]]
                if inside:
                    tag = "N"
                elif m.text.islower() and not first_word:
                    tag = "O"
                else:
                    tag = "C"
                if tag == "N":
                    if names and names[-1][-1] == len(words) - 1 and tags[-1] == "N" and inside[0] is last_span:
                        names[-1].append(len(words))
                    else:
                        names.append([len(words)])
                    last_span = inside[0]
                words.append((pos + m.start, pos + m.end))
                tags.append(tag)
                first_word = False
            parts.append(text + "\n")
            pos += len(text) + 1
        if words:
            docs.append(Doc("".join(parts), words, "".join(tags), names))
    return docs


def swap_line(text: str, spans: list, pools: tuple[list[str], list[str]]) -> tuple[str, list]:
    """A proceedings line with every person span's words swapped, and the new spans."""
    out, pieces, at, shift = [], [], 0, 0
    for s, e, ent in sorted(spans):
        old = text[s:e]
        repl, last = [], 0
        for k, m in enumerate(_TOKEN.finditer(old)):
            new = swap_word(m.group().casefold(), ent, k, pools)
            repl += [old[last:m.start()], new[:1].upper() + new[1:]]
            last = m.end()
        repl_text = "".join(repl) + old[last:]
        pieces += [text[at:s], repl_text]
        at = e
        out.append([s + shift, s + shift + len(repl_text), ent])
        shift += len(repl_text) - len(old)
    pieces.append(text[at:])
    return "".join(pieces), out


def mentions(texts: dict[int, str], *, model: str | None, use_model: bool = True) -> dict[int, list[tuple]]:
    """Every linked mention per text: (start, end, kind, score, public)."""
    clusters = link(texts, detect_texts(texts, use_model=use_model, model=model))
    out: dict[int, list[tuple]] = defaultdict(list)
    for cluster in clusters:
        for doc, det in cluster.mentions:
            out[doc].append((det.start, det.end, det.kind, det.score, getattr(cluster, "public", False)))
    return out


def auto_masked(found: dict[int, list[tuple]], threshold: float = DEFAULT_THRESHOLD) -> dict[int, list[tuple[int, int]]]:
    """What --auto replaces: mentions at or above the threshold, not review-only, not kept public places."""
    return {doc: [(s, e) for s, e, kind, score, public in ms
                  if score >= threshold and kind not in REVIEW_ONLY and not public] for doc, ms in found.items()}


def score(docs: list[Doc], masked: dict[int, list[tuple[int, int]]], show: list | None = None) -> Counter:
    """Counts of name occurrences, those left, name words, ordinary words and those masked."""
    c: Counter = Counter()
    for i, doc in enumerate(docs):
        spans = sorted(masked.get(i, []))
        starts = [s for s, _ in spans]

        def covered(w: tuple[int, int]) -> bool:
            k = bisect.bisect_right(starts, w[0]) - 1
            return any(spans[j][0] <= w[0] and w[1] <= spans[j][1] for j in range(max(0, k - 3), k + 1))

        cov = [covered(w) for w in doc.words]
        for run in doc.names:
            c["name_occurrences"] += 1
            c["name_words"] += len(run)
            c["name_words_masked"] += sum(cov[k] for k in run)
            if not all(cov[k] for k in run):
                c["left"] += 1
                if show is not None:
                    a, b = doc.words[run[0]][0], doc.words[run[-1]][1]
                    show.append(("LEFT", doc.text[max(0, a - 50):a] + "[[" + doc.text[a:b] + "]]" + doc.text[b:b + 40]))
        for k, tag in enumerate(doc.tags):
            c[f"words_{tag}"] += 1
            if tag == "O":
                c["ordinary_masked"] += cov[k]
                if cov[k] and show is not None:
                    a, b = doc.words[k]
                    show.append(("OVER", doc.text[max(0, a - 40):a] + "[[" + doc.text[a:b] + "]]" + doc.text[b:b + 30]))
    return c


def _left_words(docs: list[Doc], masked: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int, int]]:
    """(document, start, end) of every name word no mention covers."""
    out = []
    for i, doc in enumerate(docs):
        spans = masked.get(i, [])
        for run in doc.names:
            for k in run:
                s, e = doc.words[k]
                if not any(a <= s and e <= b for a, b in spans):
                    out.append((i, s, e))
    return out


def evaluate(split: str, lang: str, *, swap: bool = False, days: int = 0, max_segments: int = 120,
             max_lines: int = 400, model: str | None = None, root: Path = DEFAULT_OUT,
             show: list | None = None, rank_with_model: bool = True) -> dict:
    """Figures for one split and language ("nob", "nno" or "cased") over every day of the split."""
    paths = sorted((root / split).glob("*.json"))
    if split == "tune":  # the 11 dev days the NER model is tuned on, never trained on
        from codebench.anonymise.training.storting_silver import dev_parts

        tune = set(dev_parts()["tune"])
        paths = sorted(p for p in (root / "dev").glob("*.json") if p.stem in tune)
    paths = paths[:days or None]
    if not paths:
        raise SystemExit(f"{root / split}: no silver data; run python -m codebench.anonymise.training.storting_silver")
    total: Counter = Counter()
    seconds = 0.0
    words = 0
    for path in paths:
        day = json.loads(path.read_text(encoding="utf-8"))
        docs = (cased_docs(day, swap=swap, max_lines=max_lines) if lang == "cased"
                else asr_docs(day, lang, swap=swap, max_segments=max_segments))
        if not docs:
            continue
        texts = {i: d.text for i, d in enumerate(docs)}
        started = time.perf_counter()
        found = mentions(texts, model=model)
        seconds += time.perf_counter() - started
        words += sum(len(d.text.split()) for d in docs)
        total += score(docs, auto_masked(found), show)
        # After review of every suggestion (accepting them all), what only the residual list can find.
        anything = {doc: [(s, e) for s, e, *_ in ms] for doc, ms in found.items()}
        reviewed = score(docs, anything)
        total["left_after_suggestions"] += reviewed["left"]
        if residual_candidates is None:
            continue
        left_words = _left_words(docs, anything)
        scorer = None
        if rank_with_model:
            from codebench.anonymise.ner import person_probabilities

            def scorer(texts_, spans_):
                return person_probabilities(texts_, spans_, model=model)
        candidates = residual_candidates(texts, {doc: [(s, e, k) for s, e, k, *_ in ms] for doc, ms in found.items()},
                                         caseless={i: lang != "cased" for i in texts}, person_scores=scorer)
        burden = review_burden(candidates, left_words)
        total["residual_entries_to_read"] += burden["entries_to_read"]
        total["residual_candidates"] += burden["candidates"]
        total["left_words_after_suggestions"] += burden["leaked_words"]
        total["left_words_listed"] += burden["listed"]
        total["left_words_in_top"] += burden["in_top"]
        if scorer is not None:
            # The same list ranked without the model, for comparison.
            plain = review_burden(residual_candidates(
                texts, {doc: [(s, e, k) for s, e, k, *_ in ms] for doc, ms in found.items()},
                caseless={i: lang != "cased" for i in texts}), left_words)
            total["plain_entries_to_read"] += plain["entries_to_read"]
            total["plain_candidates"] += plain["candidates"]
            total["plain_listed"] += plain["listed"]
            total["plain_in_top"] += plain["in_top"]
    left = total["left"] / max(1, total["name_occurrences"])
    over = total["ordinary_masked"] / max(1, total["words_O"])
    return {
        "split": split, "lang": lang, "swapped_names": swap, "days": len(paths), "words": words,
        "name_occurrences": total["name_occurrences"], "left": total["left"], "left_share": round(left, 4),
        "name_word_recall": round(total["name_words_masked"] / max(1, total["name_words"]), 4),
        "ordinary_words": total["words_O"], "ordinary_masked": total["ordinary_masked"],
        "over_redaction": round(over, 4),
        "words_per_second": round(words / seconds) if seconds else None,
        "left_after_accepting_every_suggestion": total["left_after_suggestions"],
        "residual_review": {
            "candidates": total["residual_candidates"],
            "entries_to_read_for_every_listed_leak": total["residual_entries_to_read"],
            "left_name_words": total["left_words_after_suggestions"],
            "left_name_words_listed": total["left_words_listed"],
            "left_name_words_in_the_top_25_of_each_day": total["left_words_in_top"],
            "note": "summed over days (each day is one project); a residual entry is a word form",
        },
    } | ({"residual_review_without_model": {
        "candidates": total["plain_candidates"],
        "entries_to_read_for_every_listed_leak": total["plain_entries_to_read"],
        "left_name_words_listed": total["plain_listed"],
        "left_name_words_in_the_top_25_of_each_day": total["plain_in_top"],
    }} if rank_with_model else {})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=("dev", "tune", "test"),
                    help="tune: the 11 dev days the NER model was tuned on and not trained on")
    ap.add_argument("--lang", default="nob", choices=("nob", "nno", "cased"))
    ap.add_argument("--swap", action="store_true")
    ap.add_argument("--days", type=int, default=0)
    ap.add_argument("--segments", type=int, default=240, help="ASR segments per day (bench/anonymise.py reads 240)")
    ap.add_argument("--root", default=str(DEFAULT_OUT),
                    help="the silver set (e.g. /tmp/storting-silver, built with the first alignment rule)")
    ap.add_argument("--show", type=int, default=0, help="print this many left names and over-redactions")
    ap.add_argument("--model")
    ap.add_argument("--no-model-ranking", action="store_true",
                    help="rank the residual list without the model's person probabilities")
    args = ap.parse_args(argv)
    shown: list | None = [] if args.show else None
    result = evaluate(args.split, args.lang, swap=args.swap, days=args.days, max_segments=args.segments,
                      model=args.model, show=shown, rank_with_model=not args.no_model_ranking,
                      root=Path(args.root))
    if shown:
        import random

        random.Random(0).shuffle(shown)
        for kind in ("LEFT", "OVER"):
            for k, line in [s for s in shown if s[0] == kind][:args.show]:
                print(k, line.replace("\n", " / "))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
