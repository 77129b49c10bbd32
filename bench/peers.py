"""codebench against qc (qualitative-coding), the closest terminal peer, on the same project.

    python -m bench peers --install-qc     # first time: makes bench/.peers/qc-venv (pip install qualitative-coding)
    python -m bench peers                  # 500k and 2.5 M words, three runs of each operation
    python -m bench peers --sizes 200000 --repeat 3 --qc-venv /somewhere/qc-venv

How the comparison is made fair:

- **One project for both.** A synthetic codebench project (the sample corpus's sentences, the
  hybrid-model codebook, 25 codings per 1,000 words by four coders) is exported as REFI-QDA
  (``export qdpx --original``). codebench imports that file into a fresh project
  (``import-refi``) and qc into its own (``qc init --import``); every query then runs on a
  project made from the same file.
- **Codings that really land in qc.** qc's QDPX reader places a selection that has no
  ``name="line:N"`` on line 0 of its document (it compares the start position with every
  character's offset and stops at the first), so a stock export would give qc a project whose
  codings all sit on line 0. qc's own exporter names each selection ``line:N`` and its reader
  honours that, so qc's copy of the file gets that name on every selection, N being the line the
  coding starts on. After the import the bench reads qc's database and checks that every
  (document, line, code, coder) expected from the file is there, and nothing else; the run
  stops if not.
- **Interleaved.** Each operation runs codebench, then qc, then the next repeat, so a busy moment
  on a shared machine hits both; wall and CPU time (user + system of the command) are medians.
  ``ratio`` is qc's median over codebench's (higher: codebench faster).

The bench needs the network only for ``--install-qc`` (when a developer asks for it); qc is run
from its own virtual environment, never imported here. It is not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from codebench import services

HERE = Path(__file__).resolve().parent
DEFAULT_VENV = HERE / ".peers" / "qc-venv"
DEFAULT_SIZES = (500_000, 2_500_000)
CODINGS_PER_1000_WORDS = 25
WORDS_PER_TRANSCRIPT = 10_000
QDA = "urn:QDA-XML:project:1.0"
QC_ENV = {"PYTHONBREAKPOINT": "0"}  # qc 1.7's QDPX reader stops at a breakpoint() left in it

# codebench as its console script runs it, so both tools pay their own start-up.
ENTRY = "import sys; sys.argv[0] = 'codebench'; from codebench.cli import main; main()"


def install_qc(venv: Path) -> Path:
    """Make ``venv`` with qualitative-coding installed from PyPI; returns its ``qc`` program."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "qualitative-coding"], check=True)
    return qc_program(venv)


def qc_program(venv: Path) -> Path:
    """The ``qc`` program of the virtual environment (which must have been made)."""
    program = venv / "bin" / "qc"
    if not program.exists():
        raise SystemExit(f"no qc in {venv}: run `python -m bench peers --install-qc` once (it needs the network), "
                         "or give --qc-venv")
    return program


def _measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU time (s) of one run of ``command`` in ``cwd``; fails loudly on a non-zero exit."""
    before = os.times()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    after = os.times()
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}: {result.stderr.decode(errors='replace')[-800:]}")
    return elapsed, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def build_shared_file(work: Path, words: int) -> tuple[Path, dict[str, Any]]:
    """The synthetic project, exported as one REFI-QDA file both tools import; and what it holds."""
    from bench.run import add_random_codings, build_project

    transcripts = max(1, words // WORDS_PER_TRANSCRIPT)
    project = build_project(work, "source", transcripts, min(words, WORDS_PER_TRANSCRIPT))
    add_random_codings(project, words * CODINGS_PER_1000_WORDS // 1000, ("ingrid", "per", "kari", "ola"))
    stats = services.stats(project)
    path = work / "shared.qdpx"
    services.export_qdpx(project, path, original=True)
    project.close()
    return path, {"words": stats.words, "documents": stats.documents, "codings": stats.codings}


def qc_copy(shared: Path, target: Path) -> Counter[tuple[str, int, str, str]]:
    """``shared`` with each selection named ``line:N`` (qc's own convention), written to ``target``.

    Returns:
        the coded lines qc should hold: (document file, line, code, coder) with how often.
    """
    ElementTree.register_namespace("", QDA)
    ElementTree.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    with zipfile.ZipFile(shared) as source:
        root = ElementTree.fromstring(source.read("project.qde"))
        users = {u.get("guid"): u.get("name") for u in root.iter(f"{{{QDA}}}User")}
        codes = {c.get("guid"): c.get("name") for c in root.iter(f"{{{QDA}}}Code")}
        expected: Counter[tuple[str, int, str, str]] = Counter()
        for text_source in root.iter(f"{{{QDA}}}TextSource"):
            inner = text_source.get("plainTextPath", "").replace("internal://", "")
            text = source.read(f"sources/{inner}").decode("utf-8")
            for selection in text_source.iter(f"{{{QDA}}}PlainTextSelection"):
                line = text.count("\n", 0, int(selection.get("startPosition", "0")))
                selection.set("name", f"line:{line}")
                for coding in selection.iter(f"{{{QDA}}}Coding"):
                    for ref in coding.iter(f"{{{QDA}}}CodeRef"):
                        expected[(f"{text_source.get('name')}.txt", line, codes[ref.get("targetGUID")],
                                  users[coding.get("creatingUser")])] += 1
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("project.qde", ElementTree.tostring(root, encoding="unicode", xml_declaration=True))
            for name in source.namelist():
                if name != "project.qde":
                    out.writestr(name, source.read(name))
    return expected


def check_qc_landed(qc_project: Path, expected: Counter[tuple[str, int, str, str]]) -> dict[str, Any]:
    """Compare qc's stored coded lines with those expected from the file; stop the run if they differ."""
    import sqlite3

    with sqlite3.connect(qc_project / "qualitative_coding.sqlite3") as connection:
        rows = connection.execute(
            "SELECT d.document_id, c.line, c.code_id, c.coder_id FROM coded_line c"
            " JOIN coded_line_location_association a ON a.coded_line_id = c.id"
            " JOIN location l ON l.id = a.location_id JOIN document_index d ON d.id = l.document_index_id"
        ).fetchall()
    stored = {tuple(row) for row in rows}
    wanted = set(expected)  # qc keeps one coded line per (line, code, coder): repeats on a line merge
    if stored != wanted:
        raise RuntimeError(f"qc's import differs from the file: {len(wanted - stored)} coded lines missing, "
                           f"{len(stored - wanted)} unexpected (e.g. {sorted(wanted - stored)[:3]})")
    lines = Counter(line for _, line, _, _ in stored)
    return {"qc_coded_lines": len(stored), "codings_in_file": sum(expected.values()),
            "share_on_line_0": round(lines[0] / max(1, len(stored)), 4)}


def _operations(codebench: Path, qc_dir: Path, out: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Each shared operation as (codebench command, qc command)."""
    cb = [sys.executable, "-c", ENTRY]
    return {
        "find one code": ([*cb, "quotes", str(codebench), "--code", "god mentor", "--original"],
                          ["codes", "find", "god mentor"]),
        "find a category": ([*cb, "quotes", str(codebench), "--category", "mentor", "--original"],
                            ["codes", "find", "mentor", "--recursive-codes"]),
        "stats": ([*cb, "stats", str(codebench)], ["codes", "stats"]),
        "codes with counts": ([*cb, "codes", str(codebench)], ["codes", "stats", "--recursive-counts"]),
        "crosstab / co-occurrence": ([*cb, "export", "matrix", str(codebench), "--counts-only", "--original",
                                     "-o", str(out / "counts.md")], ["codes", "crosstab"]),
        "QDPX export": ([*cb, "export", "qdpx", str(codebench), "--original", "-o", str(out / "cb.qdpx")],
                        ["export", str(out / "qc.qdpx")]),
    }


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def bench_peers(args: argparse.Namespace, work: Path) -> None:
    """Build the shared file at each size, import it into both tools, and time the shared operations."""
    from bench.run import _write

    venv = Path(args.qc_venv) if args.qc_venv else DEFAULT_VENV
    qc = install_qc(venv) if args.install_qc else qc_program(venv)
    version = subprocess.run([str(qc), "version"], capture_output=True, text=True).stdout.strip()
    sizes = args.sizes or list(DEFAULT_SIZES)
    load_before = os.getloadavg()[0]
    results = []
    for words in sizes:
        folder = work / str(words)
        folder.mkdir()
        shared, held = build_shared_file(folder, words)
        expected = qc_copy(shared, folder / "qc.qdpx")
        out = folder / "out"
        out.mkdir()
        figures: dict[str, dict[str, Any]] = {}
        imports: dict[str, list[tuple[float, float]]] = {"codebench": [], "qc": []}
        for n in range(args.repeat):
            # QDPX import, interleaved too: each run into a fresh project.
            cb_project, qc_project = folder / f"cb{n}", folder / f"qc{n}"
            subprocess.run([sys.executable, "-c", ENTRY, "init", str(cb_project)], check=True, capture_output=True)
            imports["codebench"].append(_measured([sys.executable, "-c", ENTRY, "import-refi", str(cb_project),
                                                   str(shared)], folder))
            qc_project.mkdir()
            imports["qc"].append(_measured([str(qc), "init", "--import", str(folder / "qc.qdpx")], qc_project, QC_ENV))
        landed = check_qc_landed(folder / "qc0", expected)
        opened = services.open_project(folder / "cb0")
        cb_codings = services.stats(opened).codings
        opened.close()
        if cb_codings != held["codings"]:
            raise RuntimeError(f"codebench imported {cb_codings} codings of {held['codings']}")
        operations = _operations(folder / "cb0", folder / "qc0", out)
        runs: dict[str, dict[str, list[tuple[float, float]]]] = {name: {"codebench": [], "qc": []} for name in operations}
        for name, (cb_command, qc_arguments) in operations.items():  # warm both tools' files once
            _measured(cb_command, folder)
            _measured([str(qc), *qc_arguments], folder / "qc0", QC_ENV)
        for _ in range(args.repeat):
            for name, (cb_command, qc_arguments) in operations.items():
                runs[name]["codebench"].append(_measured(cb_command, folder))
                runs[name]["qc"].append(_measured([str(qc), *qc_arguments], folder / "qc0", QC_ENV))
        runs["QDPX import"] = imports
        for name, by_tool in runs.items():
            cb_wall, qc_wall = _median([r[0] for r in by_tool["codebench"]]), _median([r[0] for r in by_tool["qc"]])
            cb_cpu, qc_cpu = _median([r[1] for r in by_tool["codebench"]]), _median([r[1] for r in by_tool["qc"]])
            figures[name] = {"codebench_seconds": cb_wall, "qc_seconds": qc_wall, "ratio": round(qc_wall / cb_wall, 1),
                             "codebench_cpu_seconds": cb_cpu, "qc_cpu_seconds": qc_cpu,
                             "cpu_ratio": round(qc_cpu / cb_cpu, 1) if cb_cpu else None}
        row = {**held, **landed, "operations": figures}
        print(json.dumps(row, indent=1, ensure_ascii=False), flush=True)
        results.append(row)
    _write(args.output or "peers", {
        "qc": version, "runs": args.repeat, "sizes": results,
        "commands": {name: {"codebench": " ".join(cb[3:]).replace(str(work), "…"), "qc": "qc " + " ".join(q)}
                     for name, (cb, q) in _operations(Path("PROJECT"), Path("QC"), Path("OUT")).items()},
        "goal": "every query command at least 5× faster than qc (ratio ≥ 5)",
        "note": "ratio = qc's median wall time / codebench's; cpu_ratio the same for CPU time. qc's copy of the "
                "file names each selection line:N so its codings land on their lines (checked against its database).",
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    })
