"""Measure what an anonymised export leaves, against a held-out tester's annotated gold (#15).

Testers write ASR interviews the code has never seen, mark every identifier inline, freeze the
marks before any run, and score the unreviewed export of `anonymise --auto` with this script
(their files stay outside the repository: they are test material, not fixtures).

Gold: files in gold/ with inline marks {{P:kari holmeset}} (person name), {{C:...}} (contact
detail: phone, e-mail, address, birth date, age), {{L:...}} (small place), {{W:...}} (workplace),
{{T:...}} (trap: words that look like a name and are not). `make` strips the marks into input/.

Usage:
  python -m bench.held_out make GOLD_DIR INPUT_DIR
  python -m bench.held_out score GOLD_DIR ORIGINAL_EXPORT_DIR ANONYMISED_EXPORT_DIR [--show]
  python -m bench.held_out burden PROJECT_DIR score.json   # where the left names stand in the residual list

Words are aligned gold -> original export -> anonymised export (difflib on word tokens); a gold
word that comes through unchanged is left in clear. A mention is left when any of its words is.
"""
from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

MARK = re.compile(r"\{\{([PCLWT]):(.*?)\}\}", re.S)
WORD = re.compile(r"[\wæøåÆØÅ@.'-]+", re.U)


def tokens(text: str) -> list[str]:
    out = []
    for m in WORD.finditer(text):
        w = m.group().strip(".'-").lower()
        if w:
            out.append(w)
    return out


def strip(text: str) -> str:
    return MARK.sub(lambda m: m.group(2), text)


def labelled(text: str) -> tuple[list[str], list[tuple[str, int] | None]]:
    """Tokens of the gold text and, for each, (kind, mention number) or None."""
    toks: list[str] = []
    labels: list[tuple[str, int] | None] = []
    pos = 0
    n = 0
    for m in MARK.finditer(text):
        for t in tokens(text[pos:m.start()]):
            toks.append(t)
            labels.append(None)
        n += 1
        for t in tokens(m.group(2)):
            toks.append(t)
            labels.append((m.group(1), n))
        pos = m.end()
    for t in tokens(text[pos:]):
        toks.append(t)
        labels.append(None)
    return toks, labels


def matcher(a: list[str], b: list[str]) -> difflib.SequenceMatcher:
    return difflib.SequenceMatcher(None, a, b, autojunk=False)


def equal_map(a: list[str], b: list[str]) -> dict[int, int]:
    out = {}
    for tag, i1, i2, j1, j2 in matcher(a, b).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                out[i1 + k] = j1 + k
    return out


def best(src: list[str], candidates: dict[Path, list[str]]) -> Path:
    def score(p: Path) -> float:
        return matcher(src, candidates[p]).ratio() if candidates[p] else 0.0
    return max(candidates, key=score)


def make(gold: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for f in sorted(gold.iterdir()):
        if f.is_file():
            (out / f.name).write_text(strip(f.read_text(encoding="utf-8")), encoding="utf-8")
            print("wrote", out / f.name)


def score(gold: Path, orig_dir: Path, anon_dir: Path, show: bool) -> dict:
    origs = {p: tokens(p.read_text(encoding="utf-8")) for p in orig_dir.glob("*.txt")}
    anons = {p: tokens(p.read_text(encoding="utf-8")) for p in anon_dir.glob("*.txt")}
    result: dict = {"files": {}}
    tot: dict = {}
    for f in sorted(gold.iterdir()):
        if not f.is_file():
            continue
        gtoks, glabels = labelled(f.read_text(encoding="utf-8"))
        o = best(gtoks, origs)
        a = best(origs[o], anons)
        g2o = equal_map(gtoks, origs[o])
        o2a = equal_map(origs[o], anons[a])
        mentions: dict[int, dict] = {}
        ordinary = masked_ordinary = 0
        masked_words = []
        unaligned = 0
        for i, (t, lab) in enumerate(zip(gtoks, glabels)):
            j = g2o.get(i)
            if j is None:
                if lab is not None:
                    unaligned += 1
                continue
            clear = j in o2a
            if lab is None:
                ordinary += 1
                if not clear:
                    masked_ordinary += 1
                    masked_words.append(t)
                continue
            kind, n = lab
            m = mentions.setdefault(n, {"kind": kind, "words": [], "left": []})
            m["words"].append(t)
            if clear:
                m["left"].append(t)
        per: dict = {}
        for m in mentions.values():
            k = m["kind"]
            s = per.setdefault(k, {"mentions": 0, "left": 0, "words_left": []})
            s["mentions"] += 1
            if k == "T":
                if len(m["left"]) < len(m["words"]):
                    s["left"] += 1  # for traps: "left" counts traps masked
                    s["words_left"].append(" ".join(m["words"]))
            elif m["left"]:
                s["left"] += 1
                s["words_left"].append(" ".join(m["words"]) + "  -> left: " + " ".join(m["left"]))
        result["files"][f.name] = {
            "original_export": o.name, "anonymised_export": a.name, "per_kind": per,
            "ordinary_words": ordinary, "ordinary_masked": masked_ordinary,
            "ordinary_masked_words": masked_words, "gold_words_not_found_in_export": unaligned,
        }
        for k, s in per.items():
            t = tot.setdefault(k, {"mentions": 0, "left": 0})
            t["mentions"] += s["mentions"]
            t["left"] += s["left"]
        tot.setdefault("ordinary", {"words": 0, "masked": 0})
        tot["ordinary"]["words"] += ordinary
        tot["ordinary"]["masked"] += masked_ordinary
    result["total"] = tot
    names = {"P": "person-name mentions left", "C": "contact details left",
             "L": "places left", "W": "workplaces left", "T": "trap phrases masked"}
    for k, label in names.items():
        if k in tot:
            print(f"{label}: {tot[k]['left']} of {tot[k]['mentions']}")
    print(f"ordinary words masked: {tot['ordinary']['masked']} of {tot['ordinary']['words']}")
    if show:
        for fname, r in result["files"].items():
            print(f"\n== {fname}  (gold words not found in the original export: "
                  f"{r['gold_words_not_found_in_export']})")
            for k, s in r["per_kind"].items():
                for w in s["words_left"]:
                    print(f"  {k}: {w}")
            print("  ordinary masked:", ", ".join(r["ordinary_masked_words"]))
    return result


def burden(project_dir: Path, score_path: Path) -> dict:
    """The review burden of a scored project: where the words of the names left after ``--auto``
    stand in its residual list (the ranked list of unmasked words that may be names).

    A researcher who reads the list down to the deepest listed left word has seen every listed
    one; the words the list does not hold are found only by reading the transcript.
    """
    from codebench import services
    from codebench.services.anonymisation import residual

    scored = json.loads(score_path.read_text(encoding="utf-8"))
    left: list[tuple[str, str]] = []
    for fname, r in scored["files"].items():
        for mention in r["per_kind"].get("P", {}).get("words_left", []):
            left += [(fname, w) for w in mention.split("-> left:")[1].split()]
    project = services.open_project(project_dir)
    try:
        views = residual(project, limit=None)
    finally:
        project.close()
    rank = {v.form: v.rank for v in views}
    ranks = sorted(rank[w] for _, w in left if w in rank)
    result = {"left_words": len(left), "listed": len(ranks), "entries": len(views),
              "deepest_rank": ranks[-1] if ranks else 0, "ranks": ranks,
              "not_listed": sorted({w for _, w in left if w not in rank})}
    print(f"left name words: {len(left)}; in the residual list: {len(ranks)} (ranks {ranks}); "
          f"entries: {len(views)}; read to rank {result['deepest_rank']} to see them; "
          f"not listed: {', '.join(result['not_listed']) or '-'}")
    return result


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["make"]:
        make(Path(args[1]), Path(args[2]))
    elif args[:1] == ["burden"]:
        r = burden(Path(args[1]), Path(args[2]))
        Path("burden.json").write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    elif args[:1] == ["score"]:
        r = score(Path(args[1]), Path(args[2]), Path(args[3]), "--show" in args)
        Path("score.json").write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
