"""Pathological inputs: how long codebench takes, and how much memory, to load or refuse them.

    python -m bench hardening                       # every case at its issue-#19 size
    python -m bench hardening --cases txt-turns     # one case
    python -m bench hardening --scale 0.1           # every case at a tenth of its size (a quick look)

Each case writes its file with a generator below (nothing big is kept in git), then runs the real
command (``codebench codebook load``, ``import-refi``, ``import``) in a fresh process on a new
project and records the wall time, the CPU time (steadier than wall time on a shared machine),
the process's peak resident memory (``ru_maxrss``), the exit code and the first line it printed
on stderr. The goal for each: linear time and at most 500 MB,
or an early refusal in one line that says the limit and how to raise it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import quoteattr

MEMORY_GOAL_MB = 500
WORDS = ("arbeid", "mentor", "veileder", "tid", "kandidat", "oppfølging", "samarbeid", "leder", "tillit", "plass")


def _word(n: int) -> str:
    return WORDS[n % len(WORDS)] + str(n)


def write_codebook(path: Path, codes: int, per_category: int = 100) -> Path:
    """A YAML codebook of ``codes`` codes, ``per_category`` in each of ``codes / per_category`` categories."""
    lines = ["name: Enorm", "version: 1", "categories:"]
    for c in range(max(1, codes // per_category)):
        lines += [f"  - name: kategori {c}", f"    description: Kategori nummer {c}.", "    codes:"]
        for k in range(per_category):
            n = c * per_category + k
            lines += [f"      - name: kode {n} {_word(n)}", f"        description: Beskrivelse av kode {n}."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_qdpx_codes(path: Path, codes: int, per_parent: int = 100) -> Path:
    """A REFI-QDA project with ``codes`` codes (under ``codes / per_parent`` parent codes) and one short source."""
    def guid(n: int) -> str:
        return f"dddddddd-0000-4000-8000-{n:012d}"

    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="stor">'
             "<CodeBook><Codes>\n"]
    n = 0
    parent = 0
    while n < codes:
        parent_guid = guid(10_000_000 + parent)
        parts.append(f'<Code guid="{parent_guid}" name="overkode {parent}" isCodable="true">')
        for _ in range(min(per_parent, codes - n)):
            parts.append(f'<Code guid="{guid(n)}" name={quoteattr(f"kode {n} {_word(n)}")} isCodable="true"/>\n')
            n += 1
        parts.append("</Code>\n")
        parent += 1
    source = guid(20_000_000)
    parts.append(f'</Codes></CodeBook><Sources><TextSource guid="{source}" name="kilde" '
                 f'plainTextPath="internal://{source}.txt"/></Sources></Project>\n')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", "".join(parts).encode("utf-8"))
        archive.writestr(f"sources/{source}.txt", "R: Et kort intervju.".encode("utf-8"))
    return path


def write_many_turns(path: Path, turns: int) -> Path:
    """A .txt interview of ``turns`` one-line turns (I:/R: alternating), about 12.5 bytes a turn."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(turns):
            out.write(f"{'IR'[n % 2]}: ja {n % 1000}\n")
    return path


def write_one_line(path: Path, megabytes: float) -> Path:
    """A .txt that is one line of ``megabytes`` MB of words, without a single line break."""
    chunk = " ".join(_word(n) for n in range(20_000)) + " "
    data = chunk.encode("utf-8")
    target = int(megabytes * 1_000_000)
    with path.open("wb") as out:
        written = 0
        while written < target:
            piece = data[: target - written]
            out.write(piece)
            written += len(piece)
    return path


def write_docx_expanding(path: Path, megabytes: float) -> Path:
    """A .docx whose document.xml expands to ``megabytes`` MB (highly compressible paragraphs)."""
    paragraph = "<w:p><w:r><w:t>" + "Dette er en helt vanlig setning om arbeid og mentor. " * 40 + "</w:t></w:r></w:p>"
    count = max(1, int(megabytes * 1_000_000 / len(paragraph)))
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
            '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head.encode())
            block = (paragraph * 1000).encode()
            for _ in range(count // 1000):
                member.write(block)
            member.write((paragraph * (count % 1000)).encode())
            member.write(b"</w:body></w:document>")
    return path


# name: (what, full size, generator(folder, size) -> path, command after `codebench` given project and file)
CASES: dict[str, tuple[str, float, Callable[[Path, float], Path], Callable[[Path, Path], list[str]]]] = {
    "codebook-codes": ("YAML codebook, codes", 50_000,
                       lambda f, n: write_codebook(f / "enorm.yaml", int(n)),
                       lambda p, f: ["codebook", "load", str(p), str(f)]),
    "qdpx-codes": ("QDPX project, codes", 200_000,
                   lambda f, n: write_qdpx_codes(f / "stor.qdpx", int(n)),
                   lambda p, f: ["import-refi", str(p), str(f)]),
    "txt-turns": (".txt transcript, turns (5 MB)", 400_000,
                  lambda f, n: write_many_turns(f / "mange_turer.txt", int(n)),
                  lambda p, f: ["import", str(p), str(f)]),
    "txt-one-line": (".txt transcript, MB on one line", 50,
                     lambda f, n: write_one_line(f / "en_linje.txt", n),
                     lambda p, f: ["import", str(p), str(f)]),
    "docx-expanding": (".docx, MB of document.xml", 400,
                       lambda f, n: write_docx_expanding(f / "svulmer.docx", n),
                       lambda p, f: ["import", str(p), str(f)]),
}

# Runs the CLI in a child and prints its peak memory: ru_maxrss of the grandchild alone.
_MEASURED = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "elapsed = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime\n"
    "first = (done.stderr.strip().splitlines() or [''])[0]\n"
    "print(repr((elapsed, cpu, peak, done.returncode, first, done.stdout[-300:])))\n"
)


def run_case(name: str, folder: Path, scale: float = 1.0) -> dict[str, Any]:
    """Generate case ``name`` in ``folder`` and run its command; the figures."""
    import ast

    what, size, generate, command = CASES[name]
    size = size * scale
    path = generate(folder, size)
    project = folder / f"project-{name}"
    subprocess.run([sys.executable, "-m", "codebench", "init", str(project)], check=True, capture_output=True)
    argv = [sys.executable, "-m", "codebench", *command(project, path)]
    out = subprocess.run([sys.executable, "-c", _MEASURED, *argv], capture_output=True, text=True, check=True)
    elapsed, cpu, peak, code, first, stdout = ast.literal_eval(out.stdout.strip())
    return {"case": name, "what": what, "size": size, "file_mb": round(path.stat().st_size / 1e6, 2),
            "seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), "peak_mb": round(peak), "exit_code": code,
            "refused": code != 0, "message": first, "within_memory_goal": peak <= MEMORY_GOAL_MB}


def bench_hardening(args: argparse.Namespace, work: Path) -> None:
    """Every pathological case (or ``--cases``) at ``--scale`` of its issue size; bench/results/hardening.json."""
    from bench.run import _write

    names = args.cases or list(CASES)
    results = []
    for name in names:
        folder = work / name
        folder.mkdir()
        figures = run_case(name, folder, args.scale)
        results.append(figures)
        print(f"{name:15} {figures['size']:>9,.0f}  {figures['file_mb']:>7} MB  {figures['seconds']:>7} s "
              f"({figures['cpu_seconds']} s CPU)  "
              f"{figures['peak_mb']:>5} MB peak  exit {figures['exit_code']}  {figures['message'][:90]}", flush=True)
        for leftover in folder.iterdir():  # the big files go before the next case is made
            if leftover.is_file():
                leftover.unlink()
    _write(args.output or "hardening", {"memory_goal_mb": MEMORY_GOAL_MB, "scale": args.scale,
                                        "load": os.getloadavg(), "cases": results})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=list(CASES))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--output")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="codebench-hardening-") as tmp:
        bench_hardening(parser.parse_args(), Path(tmp))
