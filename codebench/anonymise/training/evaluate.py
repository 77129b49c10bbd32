"""Evaluate a trained NER pipeline on the NorNE bokmål test split and write JSON results.

Scores: per-type P/R/F (exact spans, GPE folded into LOC/ORG), type-agnostic masked-token
recall (fraction of gold entity tokens inside ANY predicted entity) for PER and for all types,
the same on a lower-cased, punctuation-free copy of the test set, dev scores, and throughput in
words/s on one thread pinned to one CPU core (raw text in, tokenizer included).

spaCy is imported lazily so this module imports without spaCy installed.

Usage:
    python -m codebench.anonymise.training.evaluate [MODEL_DIR] [--data $TMPDIR/norne-spacy]
        [--results bench/results/ner_training.json]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import time

from codebench.anonymise.training.paths import DEFAULT_DATA, DEFAULT_MODEL, DEFAULT_RESULTS, display_path


def _single_thread() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[0]})
    except (AttributeError, OSError):
        pass


def dir_size_mb(path: str) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return round(total / 1_000_000, 2)


def _load_docs(nlp, path: str):
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def _predict(nlp, gold_docs):
    from spacy.tokens import Doc

    inputs = [Doc(nlp.vocab, words=[t.text for t in g], spaces=[bool(t.whitespace_) for t in g])
              for g in gold_docs]
    return list(nlp.pipe(inputs, batch_size=256))


def masked_recall(pred_docs, gold_docs, label: str | None) -> dict:
    """Fraction of gold entity tokens (of `label`, or all if None) inside any predicted entity."""
    total = hit = 0
    for p, g in zip(pred_docs, gold_docs):
        masked = set()
        for ent in p.ents:
            masked.update(range(ent.start, ent.end))
        for ent in g.ents:
            if label is not None and ent.label_ != label:
                continue
            for i in range(ent.start, ent.end):
                total += 1
                hit += i in masked
    return {"tokens": total, "masked": hit, "recall": round(hit / total, 4) if total else None}


def score(nlp, gold_docs) -> dict:
    from spacy.scorer import get_ner_prf
    from spacy.training import Example

    pred = _predict(nlp, gold_docs)
    prf = get_ner_prf([Example(p, g) for p, g in zip(pred, gold_docs)])

    def r4(x):
        return round(float(x), 4)

    return {
        "sentences": len(gold_docs),
        "words": sum(len(g) for g in gold_docs),
        "ents_p": r4(prf["ents_p"]), "ents_r": r4(prf["ents_r"]), "ents_f": r4(prf["ents_f"]),
        "per_type": {k: {m: r4(v) for m, v in d.items()} for k, d in sorted(prf["ents_per_type"].items())},
        "masked_token_recall_PER": masked_recall(pred, gold_docs, "PER"),
        "masked_token_recall_all_types": masked_recall(pred, gold_docs, None),
    }


def throughput(nlp, gold_docs, min_seconds: float = 5.0) -> dict:
    texts = [g.text for g in gold_docs]
    n_words = sum(len(t.split()) for t in texts)  # whitespace-separated words
    n_tokens = sum(len(g) for g in gold_docs)  # NorNE tokens (punctuation counted)
    list(nlp.pipe(texts[:200]))  # warm-up
    rounds = 0
    t0 = time.perf_counter()
    while True:
        for _ in nlp.pipe(texts, batch_size=256):
            pass
        rounds += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            break
    return {"words_per_second": round(n_words * rounds / elapsed),
            "tokens_per_second": round(n_tokens * rounds / elapsed), "words": n_words * rounds,
            "seconds": round(elapsed, 2), "threads": 1,
            "note": "raw test text through tokenizer+tok2vec+ner, process pinned to one core"}


def evaluate(model_dir: str = DEFAULT_MODEL, data: str = DEFAULT_DATA) -> dict:
    _single_thread()
    import spacy

    nlp = spacy.load(model_dir)
    test = _load_docs(nlp, os.path.join(data, "test.spacy"))
    test_lower = _load_docs(nlp, os.path.join(data, "test_lower.spacy"))
    dev = _load_docs(nlp, os.path.join(data, "dev.spacy"))
    result = {
        "model": display_path(model_dir),
        "model_size_mb": dir_size_mb(model_dir),
        "spacy_version": spacy.__version__,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "test_nob": score(nlp, test),
        "test_nob_lower_nopunct": score(nlp, test_lower),
        "dev_nob": score(nlp, dev),
        "throughput": throughput(nlp, test),
    }
    meta_path = os.path.join(os.path.dirname(os.path.abspath(model_dir)), "training_meta.json")
    if os.path.exists(meta_path):
        with open(meta_path, encoding="utf-8") as fh:
            result["training"] = json.load(fh)
    try:
        with open(os.path.join(model_dir, "meta.json"), encoding="utf-8") as fh:
            m = json.load(fh)
        result["best_dev_during_training"] = m.get("performance", {}).get("ents_f")
    except OSError:
        pass
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="?", default=DEFAULT_MODEL)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--results", default=DEFAULT_RESULTS)
    args = ap.parse_args(argv)
    result = evaluate(args.model, args.data)
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    with open(args.results, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
