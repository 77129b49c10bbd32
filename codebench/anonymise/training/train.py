"""Convert NorNE (if needed) -> train the spaCy NER pipeline -> evaluate on the bokmål test split.

The trained model is written OUTSIDE the repository (default $TMPDIR/norne-model); model-best is
the pipeline to ship.  spaCy is imported lazily so this module imports without spaCy installed.

Usage:
    python -m codebench.anonymise.training.train [--data $TMPDIR/norne-spacy] [--output $TMPDIR/norne-model]
        [--config codebench/anonymise/training/config.cfg] [--asr-fraction 0.5] [--no-nno]
        [--max-steps N] [--results bench/results/ner_training.json] [--no-eval]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time

from codebench.anonymise.training.paths import DEFAULT_DATA, DEFAULT_OUTPUT

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CONFIG = os.path.join(HERE, "config.cfg")
SHIPPED = os.path.join(os.path.dirname(HERE), "model", "nb_norne")
META_NAME = "training_meta.json"


def config_hash(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    from codebench.anonymise.training import convert_norne, evaluate

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--output", default=DEFAULT_OUTPUT)
    ap.add_argument("--config", default=DEFAULT_CONFIG)
    ap.add_argument("--norne", default=convert_norne.DEFAULT_NORNE)
    ap.add_argument("--asr-fraction", type=float, default=0.5)
    ap.add_argument("--no-nno", action="store_true")
    ap.add_argument("--reconvert", action="store_true", help="convert even if DocBins exist")
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="any other config override (a JSON value), e.g. "
                         "components.tok2vec.model.embed.rows=[20000,2500,5000,2500]; recorded in training_meta.json")
    ap.add_argument("--base", default=SHIPPED,
                    help="the pipeline a config with paths.base (finetune.cfg) resumes from (default: the shipped one)")
    ap.add_argument("--results", default=evaluate.DEFAULT_RESULTS)
    ap.add_argument("--no-eval", action="store_true")
    args = ap.parse_args(argv)

    needed = ["train.spacy", "dev.spacy"] + ([] if args.no_eval else ["test.spacy", "test_lower.spacy"])
    present = [n for n in needed if os.path.exists(os.path.join(args.data, n))]
    conversion = None
    if args.reconvert or not present:
        conversion = convert_norne.convert(args.data, args.norne, args.asr_fraction,
                                           not args.no_nno, 0)
        print("converted:", conversion, flush=True)
    elif len(present) < len(needed):
        # A directory of hand-made DocBins (another split, another augmentation) must never be
        # overwritten by a silent conversion: the run would train on something else.
        missing = [n for n in needed if n not in present]
        ap.error(f"{args.data} has {', '.join(present)} but not {', '.join(missing)}; "
                 "add them, pass --no-eval, or --reconvert to replace every DocBin there")

    from spacy.cli.train import train as spacy_train

    overrides = {"paths.train": os.path.join(args.data, "train.spacy"),
                 "paths.dev": os.path.join(args.data, "dev.spacy")}
    import spacy

    if "base" in spacy.util.load_config(args.config, interpolate=False)["paths"]:
        # finetune.cfg: the components start from this pipeline's weights.
        overrides["paths.base"] = os.path.abspath(args.base)
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            ap.error(f"--set {item}: expected SECTION.KEY=VALUE")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    t0 = time.time()
    spacy_train(args.config, args.output, use_gpu=-1, overrides=overrides)
    seconds = time.time() - t0

    cfg = spacy.util.load_config(args.config, overrides=overrides)
    meta = {
        "config": os.path.relpath(args.config, os.path.dirname(os.path.dirname(os.path.dirname(HERE))))
        if args.config.startswith(os.path.dirname(HERE)) else args.config,
        "config_sha256_16": config_hash(args.config),
        "overrides": overrides,
        "max_steps": cfg["training"]["max_steps"],
        "training_seconds": round(seconds, 1),
        "asr_fraction": args.asr_fraction,
        "nynorsk_train": not args.no_nno,
        "conversion": conversion,
    }
    with open(os.path.join(args.output, META_NAME), "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=2)
    print("training meta:", meta, flush=True)
    if not args.no_eval:
        evaluate.main([os.path.join(args.output, "model-best"), "--data", args.data,
                       "--results", args.results])
    return 0


if __name__ == "__main__":
    sys.exit(main())
