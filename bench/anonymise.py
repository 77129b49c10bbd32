"""Evaluate the anonymiser and write bench/results/anonymise.json.

    python -m bench.anonymise [--model DIR] [--quick] [--repeat N]

Measures, with the shipped model unless --model says otherwise:
- NorNE bokmål test (UD split, never trained on): per-type exact-span P/R/F of the model, PER
  exact-span P/R/F of the whole pipeline (kind PER after linking), and masked-token recall of PER tokens (any predicted type counts) for the model alone and for the
  whole pipeline (rules + lexicon + model + corpus-wide linking over the test set);
- the same test lower-cased without punctuation (ASR-style);
- a name-noise test: every PER token of the test set gets one or two character edits;
- the sample corpus gold: recall and precision of direct identifiers after linking and
  auto-accept, recall of every identifier, and pseudonym consistency across documents;
- throughput of the whole pipeline in words/s on one thread (fastest of --repeat runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from codebench.anonymise import ner  # noqa: E402
from codebench.anonymise.detections import PER  # noqa: E402
from codebench.anonymise.linking import link  # noqa: E402
from codebench.anonymise.pipeline import detect_texts  # noqa: E402
from codebench.anonymise.training.convert_norne import asr_copy, load_splits  # noqa: E402
from codebench.anonymise.training.paths import display_path  # noqa: E402

DIRECT = {"PER", "PHONE", "EMAIL", "FNR", "ADDRESS"}
# ASR segments per Stortinget day (a fourth of a day's, about 15,000 words of ASR).
SEGMENTS = 240


def _text_and_offsets(words: list[str], spaces: list[bool]) -> tuple[str, list[tuple[int, int]]]:
    parts, offsets, pos = [], [], 0
    for word, space in zip(words, spaces):
        offsets.append((pos, pos + len(word)))
        parts.append(word + (" " if space else ""))
        pos += len(word) + (1 if space else 0)
    return "".join(parts), offsets


def _gold_spans(tags: list[str], offsets: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    spans, current = [], None
    for tag, (s, e) in zip(tags, offsets):
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != tag[2:])):
            if current:
                spans.append(tuple(current))
            current = [s, e, tag[2:]]
        elif tag.startswith("I-") and current:
            current[1] = e
        else:
            if current:
                spans.append(tuple(current))
            current = None
    if current:
        spans.append(tuple(current))
    return spans


def _noisy(word: str, rng: random.Random) -> str:
    """One or two character edits (substitute, delete, swap, double) inside a name."""
    letters = "abcdefghijklmnoprstuvyæøå"
    for _ in range(rng.choice((1, 2))):
        if len(word) < 3:
            break
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("sub", "del", "swap", "dup"))
        if op == "sub":
            word = word[:i] + rng.choice(letters) + word[i + 1:]
        elif op == "del":
            word = word[:i] + word[i + 1:]
        elif op == "swap" and i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            word = word[:i] + word[i] + word[i:]
    return word


def _fastest(run, repeat: int) -> tuple[object, float]:
    """The result of ``run()`` and its fastest wall time over ``repeat`` runs.

    The machine is shared: other work slows single runs by up to a third, never speeds them
    up, so the fastest of a few runs is the honest figure for the code itself.
    """
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return result, best


def evaluate_norne(sentences, *, model: str | None, label: str, repeat: int = 3) -> dict:
    """Model-only span scores and PER masked-token recall, model-only and whole pipeline."""
    texts, golds, tokens = {}, {}, {}
    for i, (words, spaces, tags) in enumerate(sentences):
        text, offsets = _text_and_offsets(words, spaces)
        texts[i] = text
        golds[i] = _gold_spans(tags, offsets)
        tokens[i] = [(s, e, t[2:]) for (s, e), t in zip(offsets, tags) if t != "O"]
    model_found, model_seconds = _fastest(
        lambda: dict(zip(texts, ner.detect_entities(list(texts.values()), model=model))), repeat)
    by_type: dict[str, Counter] = defaultdict(Counter)
    for i, found in model_found.items():
        pred = {(d.start, d.end, d.kind) for d in found}
        gold = {(s, e, t) for s, e, t in golds[i] if t in ("PER", "ORG", "LOC")}
        for span in pred:
            by_type[span[2]]["tp" if span in gold else "fp"] += 1
        for span in gold - pred:
            by_type[span[2]]["fn"] += 1
    scores = {}
    for kind, c in sorted(by_type.items()):
        p = c["tp"] / max(1, c["tp"] + c["fp"])
        r = c["tp"] / max(1, c["tp"] + c["fn"])
        scores[kind] = {"p": round(p, 4), "r": round(r, 4), "f": round(2 * p * r / max(1e-9, p + r), 4),
                        "gold": c["tp"] + c["fn"]}

    def masked(found_by_doc) -> dict:
        hit = total = 0
        for i, toks in tokens.items():
            spans = found_by_doc.get(i, [])
            for s, e, t in toks:
                if t != "PER":
                    continue
                total += 1
                hit += any(d.start <= s and e <= d.end for d in spans)
        return {"tokens": total, "masked": hit, "recall": round(hit / max(1, total), 4)}

    clusters, pipeline_seconds = _fastest(lambda: link(texts, detect_texts(texts, model=model)), repeat)
    pipeline_found: dict[int, list] = defaultdict(list)
    for cluster in clusters:
        for doc, det in cluster.mentions:
            if det.score >= 0.5:
                pipeline_found[doc].append(det)
    # The anonymiser's person detection as a whole (model + lexicon + linking), exact spans.
    tp = fp = fn = 0
    for i in texts:
        pred = {(d.start, d.end) for d in pipeline_found.get(i, []) if d.kind == PER}
        gold = {(s, e) for s, e, t in golds[i] if t == "PER"}
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    pipeline_per = {"p": round(p, 4), "r": round(r, 4), "f": round(2 * p * r / max(1e-9, p + r), 4), "gold": tp + fn}
    words = sum(len(s[0]) for s in sentences)
    return {
        "set": label, "sentences": len(sentences), "words": words,
        "model_spans": scores,
        "pipeline_PER_spans": pipeline_per,
        "model_PER_masked_token_recall": masked(model_found),
        "pipeline_PER_masked_token_recall": masked(pipeline_found),
        "model_words_per_second": round(words / model_seconds),
        "pipeline_words_per_second": round(words / pipeline_seconds),
    }


def evaluate_sample(model: str | None, repeat: int = 3, people: str | None = None) -> dict:
    """Direct-identifier recall/precision and pseudonym consistency on the sample corpus gold.

    ``people``: the project's setting for lone names (``anonymise people``; None: the
    default); the sample is a study of one site, so ``interview`` measures what that setting
    costs where it is wrong.
    """
    os.environ.setdefault("CODEBENCH_KEY_DIR", tempfile.mkdtemp())
    from codebench import services
    from codebench.services.sample import build_demo_project
    from codebench.services import anonymisation

    if model:
        ner.MODEL_DIR = Path(model)
    def fresh_detect():
        # A new project each time: detection on a project that already has decisions is a
        # different (re-run) path.
        fresh = build_demo_project(Path(tempfile.mkdtemp()) / "sample", with_codings=False)
        if people is not None:
            anonymisation.set_people_scope(fresh, people)
        started = time.perf_counter()
        anonymisation.detect(fresh)
        return fresh, time.perf_counter() - started

    runs = [fresh_detect() for _ in range(max(1, repeat))]
    project, seconds = runs[-1][0], min(s for _, s in runs)
    words = sum(d.word_count for d in services.list_documents(project))
    # What `anonymise --auto` does: accept, detect again with the acceptances as evidence, accept
    # what that adds (services.anonymisation.automatic).
    if anonymisation.auto_accept(project):
        anonymisation.detect(project)
        anonymisation.auto_accept(project)
    docs = {d.name: d.id for d in services.list_documents(project)}
    with project.transaction(write=False) as store:
        rows = store.anonymisation.mentions()
    active = defaultdict(list)
    anything = defaultdict(list)
    for r in rows:
        anything[r.document_id].append(r)
        if r.status in ("accepted", "manual"):
            active[r.document_id].append(r)
    counts = Counter()
    by_language: dict[str, Counter] = defaultdict(Counter)
    import yaml

    languages = {Path(name).stem: (meta or {}).get("language", "nb") for name, meta in yaml.safe_load(
        (ROOT / "corpora/sample/participants.yaml").read_text(encoding="utf-8"))["documents"].items()}
    pseudonyms_of_entity: dict[str, set] = defaultdict(set)
    gold_docs = set()
    for path in sorted((ROOT / "corpora/sample/gold/identifiers").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc = docs[Path(gold["file"]).stem]
        gold_docs.add(doc)
        language = languages.get(Path(gold["file"]).stem, "nb")
        for span in gold["spans"]:
            cover = [r for r in active[doc] if r.start <= span["start"] and span["end"] <= r.end]
            kind = "direct" if span["direct"] else "indirect"
            counts[f"{kind}_gold"] += 1
            counts[f"{kind}_replaced"] += bool(cover)
            if span["type"] == "PER":
                by_language[language]["person_occurrences"] += 1
                by_language[language]["person_left"] += not cover
            counts[f"{kind}_suggested"] += any(r.start <= span["start"] and span["end"] <= r.end for r in anything[doc])
            if cover and span["type"] == "PER":
                pseudonyms_of_entity[span["entity"]].add(cover[0].pseudonym)
    tp = fp = 0
    for doc in gold_docs:
        gold = json.loads(next(p for p in (ROOT / "corpora/sample/gold/identifiers").glob("*.json")
                               if docs[Path(json.loads(p.read_text(encoding="utf-8"))["file"]).stem] == doc)
                          .read_text(encoding="utf-8"))["spans"]
        for r in active[doc]:
            if r.kind in DIRECT:
                if any(s["start"] < r.end and r.start < s["end"] for s in gold):
                    tp += 1
                else:
                    fp += 1
    consistent = sum(len(v) == 1 for v in pseudonyms_of_entity.values())
    if os.environ.get("CODEBENCH_BENCH_VERBOSE"):  # which gold person has several (never names: entity ids)
        print({e: sorted(v) for e, v in pseudonyms_of_entity.items() if len(v) > 1}, file=sys.stderr)
    # The other way round: one pseudonym given to two or more people (a reader takes them for one).
    entities_of_pseudonym: dict[str, set] = defaultdict(set)
    for entity, shown in pseudonyms_of_entity.items():
        for pseudonym in shown:
            entities_of_pseudonym[pseudonym].add(entity)
    shared = sum(len(v) > 1 for v in entities_of_pseudonym.values())

    # Places and workplaces the gold calls places that became persons (#15: never).
    places_as_persons = 0
    for path in sorted((ROOT / "corpora/sample/gold/identifiers").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc = docs[Path(gold["file"]).stem]
        for span in gold["spans"]:
            if span["type"] in ("LOC", "ORG"):
                places_as_persons += any(r.kind == "PER" and r.start < span["end"] and span["start"] < r.end
                                         for r in active[doc])
    return {
        "documents": len(docs), "gold_documents": len(gold_docs), "words": words,
        "direct_recall_after_linking_auto_accepted": round(counts["direct_replaced"] / counts["direct_gold"], 4),
        "direct_recall_suggested_any_status": round(counts["direct_suggested"] / counts["direct_gold"], 4),
        "direct_precision_auto_accepted": round(tp / max(1, tp + fp), 4),
        "indirect_recall_auto_accepted": round(counts["indirect_replaced"] / max(1, counts["indirect_gold"]), 4),
        "direct_gold_spans": counts["direct_gold"], "indirect_gold_spans": counts["indirect_gold"],
        "person_entities_with_one_pseudonym": f"{consistent}/{len(pseudonyms_of_entity)}",
        "pseudonym_consistency": round(consistent / max(1, len(pseudonyms_of_entity)), 4),
        "pseudonyms_shared_by_two_or_more_persons": f"{shared}/{len(entities_of_pseudonym)}",
        "place_or_workplace_spans_masked_as_person": places_as_persons,
        "person_occurrences_left_by_language": {
            lang: {"occurrences": c["person_occurrences"], "left": c["person_left"],
                   "left_share": round(c["person_left"] / max(1, c["person_occurrences"]), 4)}
            for lang, c in sorted(by_language.items())},
        "detect_seconds": round(seconds, 2),
        "detect_words_per_second": round(words / seconds),
    }


def evaluate_storting(model: str | None, *, quick: bool = False) -> dict:
    """Real ASR (bokmål and nynorsk) and the cased proceedings of Stortinget, dev and held-out test
    days, with the real names and with every name swapped for one the name lists lack."""
    from bench import storting_eval

    if not (storting_eval.DEFAULT_OUT / "dev").exists():
        return {"note": "silver set missing: python -m codebench.anonymise.training.storting_silver"}
    out: dict = {"how": f"python -m bench.storting_eval (one day = one project; {SEGMENTS} ASR segments or 400 proceedings "
                        "lines per day); tune = the 11 of the 44 dev days the NER model was tuned on (it was "
                        "trained on the other 33); the 22 test days were never trained or tuned on; silver set "
                        f"{storting_eval.DEFAULT_OUT.name} (alignment rule in codebench/anonymise/training/README.md)"}
    for split in ("tune", "test"):
        for lang in ("nob", "nno", "cased"):
            for swap in (False, True):
                if swap and lang == "nno":
                    continue
                key = f"{split}_{lang}{'_swapped_unseen_names' if swap else ''}"
                out[key] = storting_eval.evaluate(split, lang, swap=swap, days=3 if quick else 0, max_segments=SEGMENTS,
                                                  model=model)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="model directory (default: the shipped one)")
    ap.add_argument("--quick", action="store_true", help="first 300 test sentences only")
    ap.add_argument("--out", default=str(HERE / "results" / "anonymise.json"))
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per set; the fastest counts")
    ap.add_argument("--note", help="a note kept in the results (e.g. the machine's load)")
    args = ap.parse_args(argv)
    test = load_splits(lang="nob")["test"]
    if args.quick:
        test = test[:300]
    # Load and warm the model first: throughput figures are for a running pipeline.
    next(ner.detect_entities(["Kari Nordmann jobber i Oslo."], model=args.model))
    rng = random.Random(0)
    lower = [c for s in test for c in [asr_copy(s)] if c]
    noisy = []
    for words, spaces, tags in test:
        if any(t.endswith("PER") for t in tags):
            noisy.append(([_noisy(w, rng) if t.endswith("PER") else w for w, t in zip(words, tags)], spaces, tags))
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model": display_path(args.model or str(ner.MODEL_DIR)),
        "norne_test_nob": evaluate_norne(test, model=args.model, label="NorNE bokmål test (UD)", repeat=args.repeat),
        "norne_test_nob_lower_nopunct": evaluate_norne(lower, model=args.model, label="lower-cased, no punctuation", repeat=args.repeat),
        "norne_test_nob_name_noise": evaluate_norne(noisy, model=args.model, label="1–2 character edits in PER tokens", repeat=args.repeat),
        "sample_corpus": evaluate_sample(args.model, repeat=args.repeat),
        # The same with `anonymise people PROJECT interview` (independent informants), which the
        # sample is not: how many persons split when the setting is wrong for a project.
        "sample_corpus_people_interview": {
            k: v for k, v in evaluate_sample(args.model, repeat=1, people="interview").items()
            if k.startswith(("person_entities", "pseudonym", "direct_recall", "direct_precision"))},
        "storting_silver": evaluate_storting(args.model, quick=args.quick),
    }
    if args.note:
        result["note"] = args.note
    out = Path(args.out)
    if out.exists():
        # The run before this one stays beside it, so a change's effect is visible in one file.
        try:
            previous = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            previous = None
        if isinstance(previous, dict):
            previous.pop("previous", None)
            result["previous"] = previous
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
