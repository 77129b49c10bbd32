"""Every name occurrence the anonymiser leaves on the Stortinget tune days, with its context and a category.

For leak analysis only (#15): read the tune days, never the test days, while changing the code.

    python -m bench.storting_leaks [--split tune] [--lang nob] [--out /tmp/leaks.tsv]

Categories (first that applies):
- ``gold-noise``: the silver set calls the ASR word a name, but it sounds like none of the
  proceedings name's words (an alignment artefact: "er", "til" beside a name);
- ``heard-as-word``: the word sounds like the name but is an ordinary word ("steder" for
  "Steder"?) — only the context could tell;
- ``partial``: part of a multi-word name is masked, the rest left (which part: ``given-left``,
  ``surname-left``);
- ``fused``: one ASR word holds two name words ("perolav");
- ``suggested``: a mention covers it but below the --auto threshold or of a kind --auto keeps;
- ``unknown-word``: no mention at all, the word is not an ordinary word;
- ``known-name``: no mention, though the word is in the name lexicon.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import storting_eval as se  # noqa: E402
from codebench.anonymise.gazetteer import is_common_word, lexicon  # noqa: E402


def sounds_like(word: str, entity: str) -> bool:
    """True when ``word`` is close to one of the name's words (or two run together)."""
    from rapidfuzz import fuzz

    parts = entity.split()
    if any(fuzz.ratio(word, p) >= 60 for p in parts):
        return True
    return any(fuzz.ratio(word, a + b) >= 75 for a, b in zip(parts, parts[1:]))


def category(doc: se.Doc, run: list[int], cov: list[bool], ents: list[str | None], any_cov: list[bool],
             lex) -> tuple[str, str]:
    words = [doc.text[doc.words[k][0]:doc.words[k][1]] for k in run]
    entity = ents[run[0]] or ""
    left = [k for k in run if not cov[k]]
    lw = [doc.text[doc.words[k][0]:doc.words[k][1]] for k in left]
    if not all(sounds_like(w, entity) for w in lw):
        return "gold-noise", ""
    if any(cov[k] for k in run):
        sub = "given-left" if not cov[run[0]] else "surname-left"
        return "partial", sub
    if any(any_cov[k] for k in left):
        return "suggested", ""
    ents_parts = entity.split()
    if len(ents_parts) > len(run) and len(run) == 1 and any(w.replace(" ", "") == "".join(ents_parts) for w in lw):
        return "fused", ""
    if all(is_common_word(w) for w in lw):
        return "heard-as-word", ""
    if any(lex.name_ratio.get(w, 0) >= 0.3 for w in lw):
        return "known-name", ""
    return "unknown-word", ""


TOTALS: Counter = Counter()
OVER: list[str] = []


def leaks(split: str, lang: str, *, segments: int = 240, model: str | None = None,
          root: Path = se.DEFAULT_OUT) -> list[dict]:
    """Every left name occurrence of the split: context, words, gold entity, category."""
    paths = sorted((root / split).glob("*.json"))
    if split == "tune":
        from codebench.anonymise.training.storting_silver import dev_parts

        tune = set(dev_parts()["tune"])
        paths = sorted(p for p in (root / "dev").glob("*.json") if p.stem in tune)
    lex = lexicon()
    out = []
    TOTALS.clear()
    for path in paths:
        day = json.loads(path.read_text(encoding="utf-8"))
        docs = se.asr_docs(day, lang, swap=False, max_segments=segments)
        # The gold entity of each ASR word, in the same order as asr_docs reads them.
        ents_by_doc = _entities(day, lang, segments)
        texts = {i: d.text for i, d in enumerate(docs)}
        found = se.mentions(texts, model=model)
        masked = se.auto_masked(found)
        for i, doc in enumerate(docs):
            spans = masked.get(i, [])
            every = [(s, e) for s, e, *_ in found.get(i, [])]
            cov = [any(a <= s and e <= b for a, b in spans) for s, e in doc.words]
            any_cov = [any(a <= s and e <= b for a, b in every) for s, e in doc.words]
            ents = ents_by_doc[i]
            TOTALS["occurrences"] += len(doc.names)
            TOTALS["ordinary"] += doc.tags.count("O")
            over = [k for k, t in enumerate(doc.tags) if t == "O" and cov[k]]
            TOTALS["ordinary_masked"] += len(over)
            OVER.extend(doc.text[max(0, doc.words[k][0] - 40):doc.words[k][0]] + "[[" + doc.text[doc.words[k][0]:doc.words[k][1]]
                        + "]]" + doc.text[doc.words[k][1]:doc.words[k][1] + 30] for k in over)
            for run in doc.names:
                if all(cov[k] for k in run):
                    continue
                cat, sub = category(doc, run, cov, ents, any_cov, lex)
                a, b = doc.words[run[0]][0], doc.words[run[-1]][1]
                marked = "".join(
                    ("[" + doc.text[s:e] + "]" if cov[k] else doc.text[s:e]) + " "
                    for k, (s, e) in enumerate(doc.words[run[0]:run[-1] + 1], start=run[0])).strip()
                lo = doc.words[max(0, run[0] - 8)][0]
                hi = doc.words[min(len(doc.words) - 1, run[-1] + 6)][1]
                out.append({"day": path.stem, "cat": cat, "sub": sub, "words": doc.text[a:b], "entity": ents[run[0]],
                            "marked": marked,
                            "context": doc.text[lo:a] + "<<" + doc.text[a:b] + ">>" + doc.text[b:hi]})
    return out


def _entities(day: dict, lang: str, segments: int) -> list[list[str | None]]:
    """The gold entity of every ASR word per document, in asr_docs's order."""
    out = []
    for _, segs in se.recording_segments(day, lang, segments):
        ents = [e for seg in segs for e in seg["entities"]]
        if ents:
            out.append(ents)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="tune", choices=("dev", "tune"))
    ap.add_argument("--lang", default="nob", choices=("nob", "nno"))
    ap.add_argument("--model")
    ap.add_argument("--out")
    ap.add_argument("--root", default=str(se.DEFAULT_OUT))
    args = ap.parse_args(argv)
    rows = leaks(args.split, args.lang, model=args.model, root=Path(args.root))
    counts = Counter(r["cat"] + (":" + r["sub"] if r["sub"] else "") for r in rows)
    lines = [f"{r['cat']}\t{r['sub']}\t{r['marked']}\t{r['entity']}\t{r['context']}".replace("\n", " / ") for r in rows]
    if args.out:
        Path(args.out).write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")
    else:
        print("\n".join(sorted(lines)))
    if args.out:
        Path(args.out + ".over").write_text("\n".join(OVER).replace("\n[", " / [") + "\n", encoding="utf-8")
    print(json.dumps({"left": len(rows), **TOTALS, "by_category": dict(counts.most_common())}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
