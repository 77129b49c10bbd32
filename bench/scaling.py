"""Start-up and scaling: what a user waits for as the project grows, and what every command pays.

    python -m bench startup                   # codebench --help and stats on a tiny project vs python -c pass
    python -m bench startup --before DIR      # ... and the same for another checkout's codebench/ (old code)
    python -m bench scaling                   # stats and the project screen at 20k / 200k / 2 M / 10 M words
    python -m bench scaling --sizes 20000 200000 --keep /tmp/projects   # reuse built projects

Each figure should grow with what the user asked for, not with the project: ``stats`` is a
handful of aggregate queries, the project screen counts codings per document and code in SQL.
Projects have 25 codings per 1,000 words (250,000 at 10 M words), by four coders, in transcripts
of 10,000 words.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from codebench import services

CODINGS_PER_1000_WORDS = 25
WORDS_PER_TRANSCRIPT = 10_000
DEFAULT_SIZES = (20_000, 200_000, 2_000_000, 10_000_000)

# The console script's own lines (codebench.egg's entry point), with an optional other checkout first on the path.
ENTRY = "import sys; sys.path.insert(0, {src!r}) if {src!r} else None; sys.argv[0] = 'codebench'; from codebench.cli import main; main()"


def _median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 1)


# Runs a command and reports its wall time, CPU time and peak RSS. Started as a small process of its
# own: Linux keeps a process's peak RSS across exec, so a command forked straight from this (large)
# benchmark would report the benchmark's memory as its own.
MEASURE = """
import json, os, subprocess, sys, time
command = json.loads(sys.argv[1])
start = time.perf_counter()
process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
stderr = process.stderr.read()
_pid, status, usage = os.wait4(process.pid, 0)
elapsed = time.perf_counter() - start
print(json.dumps([elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
                  stderr.decode(errors="replace")[-500:]]))
"""


def _measured(command: list[str]) -> tuple[float, float, float]:
    """Run a command; its wall time and CPU time (s) and its own peak resident memory (MiB)."""
    import json

    result = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(command)], capture_output=True, text=True,
                            check=True)
    elapsed, cpu, rss, code, stderr = json.loads(result.stdout)
    if code != 0:
        raise RuntimeError(f"{command} failed: {stderr}")
    return elapsed, cpu, rss


def _run(command: list[str]) -> float:
    return _measured(command)[0]


def _interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, list[tuple[float, float, float]]]:
    """Run each command ``repeat`` times, taking turns, so that a busy moment hits all alike."""
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for command in commands.values():
        _run(command)  # warm the file cache and the bytecode
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(_measured(command))
    return runs


def _tiny_project(folder: Path) -> Path:
    """Two sample transcripts, the hybrid codebook and a few codings: a small project's query commands."""
    from codebench.services.sample import CODEBOOK, transcript_files

    project = services.init_project(folder)
    services.import_files(project, transcript_files()[:2], services.ParticipantSpec(role="mentor", round=1))
    services.load_codebook(project, CODEBOOK)
    for n, doc in enumerate(services.list_documents(project)):
        for start in range(0, 2000, 200):
            services.apply_code(project, doc.id, start + n, start + n + 80, "tid og ressurser", "ingrid")
    project.close()
    return folder


def bench_startup(args: argparse.Namespace, work: Path) -> None:
    """Wall and CPU time of ``codebench --help`` and the query commands on a tiny project, against ``python -c pass``.

    CPU time (user + system of the command's process) is reported beside wall time: on a shared
    machine other work stretches wall time, while CPU time stays what the command itself costs.
    """
    from bench.run import _write

    tiny = str(_tiny_project(work / "tiny"))
    python = sys.executable
    sources = {"after": ""}
    if args.before:
        sources["before"] = str(Path(args.before).resolve())
    commands: dict[str, list[str]] = {"python -c pass": [python, "-c", "pass"]}
    from bench.run import make_transcripts

    (work / "file").mkdir()
    make_transcripts(work / "file", 1, 1000)  # a 1,000-word interview for anonymise-file (its fixed cost)
    queries = {"--help": ["--help"], "stats": ["stats", tiny], "quotes": ["quotes", tiny, "--category", "mentor"],
               "codes": ["codes", tiny], "documents": ["documents", tiny], "show": ["show", tiny, "1"],
               "anonymise-file": ["anonymise-file", str(work / "file" / "intervju_0000.txt"), "-o", str(work / "out.txt")]}
    for label, src in sources.items():
        entry = ENTRY.format(src=src)
        for name, arguments in queries.items():
            commands[f"{label}: codebench {name}"] = [python, "-c", entry, *arguments]
    load_before = os.getloadavg()[0]
    runs = _interleaved(commands, args.repeat)
    bare_wall = statistics.median(r[0] for r in runs["python -c pass"])
    bare_cpu = statistics.median(r[1] for r in runs["python -c pass"])
    figures = {}
    for name, measured in runs.items():
        wall, cpu = [r[0] for r in measured], [r[1] for r in measured]
        figures[name] = {"median_ms": _median_ms(wall), "min_ms": round(min(wall) * 1000, 1),
                         "ratio_to_python": round(statistics.median(wall) / bare_wall, 2),
                         "cpu_median_ms": _median_ms(cpu), "cpu_ratio_to_python": round(statistics.median(cpu) / bare_cpu, 2),
                         "peak_rss_mib": round(max(r[2] for r in measured), 1)}
    payload: dict[str, Any] = {"runs": args.repeat, "tiny_project": "2 sample transcripts, the hybrid codebook, 20 codings",
                               "figures": figures, "target_ratio": 8, "target_anonymise_file_seconds": 2.5,
                               "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    if args.before:
        payload["before"] = args.before_label or args.before
    _write(args.output or "startup", payload)


def _build(work: Path, words: int) -> services.Project:
    from bench.run import add_random_codings, build_project

    transcripts = max(1, words // WORDS_PER_TRANSCRIPT)
    per_transcript = min(words, WORDS_PER_TRANSCRIPT)
    project = build_project(work, "project", transcripts, per_transcript)
    add_random_codings(project, words * CODINGS_PER_1000_WORDS // 1000, ("ingrid", "per", "kari", "ola"))
    return project


def _project(root: Path, words: int, keep: Path | None) -> services.Project:
    """The project of ``words`` words: built in ``root``, or reused from ``keep`` where it was built before."""
    if keep is None:
        return _build(root, words)
    folder = keep / f"{words}"
    if not (folder / "project" / services.CONFIG_NAME).exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _build(folder, words).close()
    return services.open_project(folder / "project")


async def _listed(pilot: Any, app: Any) -> None:
    """Wait until the project screen shows its documents (they may be fetched in a worker)."""
    from codebench.tui.screens.project import ProjectScreen

    for _ in range(4000):
        if isinstance(app.screen, ProjectScreen) and app.screen.query_one("#documents").row_count > 0:
            return
        await pilot.pause(0.005)
    raise RuntimeError("the project screen listed no documents")


async def _project_screen(project: services.Project, repeat: int) -> dict[str, list[float]]:
    """The workbench's project screen: app start to first frame, a fresh screen pushed, F5.

    Each is timed to the first frame that shows the documents (rows in the list), also when
    the screen fetches them off the UI thread; CPU time is this process's (the workers' included).
    """
    from codebench.tui.app import CodebenchApp
    from codebench.tui.screens.project import ProjectScreen

    names = ("app_first_frame", "screen_first_frame", "refresh")
    times: dict[str, list[float]] = {name: [] for name in (*names, *(f"{n}_cpu" for n in names))}

    def record(name: str, start: float, start_cpu: float) -> None:
        times[name].append(time.perf_counter() - start)
        times[f"{name}_cpu"].append(time.process_time() - start_cpu)

    for _ in range(max(1, repeat // 2)):
        start, start_cpu = time.perf_counter(), time.process_time()
        app = CodebenchApp(project, "bench")
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await _listed(pilot, app)
            record("app_first_frame", start, start_cpu)
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                app.push_screen(ProjectScreen())
                await pilot.pause()
                await _listed(pilot, app)
                record("screen_first_frame", start, start_cpu)
                app.pop_screen()
                # The screen below reloads on resume: let that finish, or its worker's CPU and its
                # garbage land in the next figure.
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                start, start_cpu = time.perf_counter(), time.process_time()
                await pilot.press("f5")
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                record("refresh", start, start_cpu)
    return times


def _cli(project: services.Project, arguments: list[str], repeat: int) -> dict[str, float]:
    """One command on the project: median wall and CPU time (ms), and its highest peak RSS (MiB)."""
    command = [sys.executable, "-c", ENTRY.format(src=""), arguments[0], str(project.root), *arguments[1:]]
    runs = [_measured(command) for _ in range(repeat)]
    return {"wall_ms": _median_ms([r[0] for r in runs]), "cpu_ms": _median_ms([r[1] for r in runs]),
            "peak_rss_mib": round(max(r[2] for r in runs), 1)}


CLI_COMMANDS = {"stats": ["stats"], "quotes_mentor": ["quotes", "--category", "mentor"], "codes": ["codes"],
                "documents": ["documents"], "show": ["show", "1"]}


def bench_scaling(args: argparse.Namespace, work: Path) -> None:
    """``stats``, quote retrieval, the query commands' time and memory, and the project screen at growing sizes."""
    from bench.run import _timed, _write, quote_floor  # bench.run imports this module for its table

    keep = Path(args.keep) if args.keep else None
    rows = []
    load_before = os.getloadavg()[0]
    for words in args.sizes or DEFAULT_SIZES:
        started = time.perf_counter()
        project = _project(work / str(words), words, keep)
        built = time.perf_counter() - started
        stats = services.stats(project)
        in_process = _timed(lambda: services.stats(project), args.repeat)
        cpu_start = time.process_time()
        for _ in range(args.repeat):
            services.stats(project)
        stats_cpu_ms = round((time.process_time() - cpu_start) / args.repeat * 1000, 1)
        retrieval = quote_floor(project, "mentor", args.repeat)
        cli = {name: _cli(project, arguments, max(3, args.repeat // 2)) for name, arguments in CLI_COMMANDS.items()}
        screen = asyncio.run(_project_screen(project, args.repeat))
        row = {
            "words": stats.words, "documents": stats.documents, "turns": stats.turns, "codings": stats.codings,
            "stats_median_ms": _median_ms(in_process), "stats_cpu_mean_ms": stats_cpu_ms,
            "stats_cli_median_ms": cli["stats"]["wall_ms"],
            "quotes_mentor": retrieval, "cli": cli,
            "cli_peak_rss_mib": max(c["peak_rss_mib"] for c in cli.values()),
            **{f"project_screen_{name}_median_ms": _median_ms(t) for name, t in screen.items()},
            "build_or_open_seconds": round(built, 1),
        }
        print(row, flush=True)
        rows.append(row)
        project.close()
    _write(args.output or "scaling", {
        "sizes": rows, "runs": args.repeat,
        "targets": {"stats_ms_at_10M_words": 50, "project_screen_first_frame_ms_at_10M_words": 300,
                    "quotes_service_to_sql_floor": 1.5, "cli_peak_rss_mib_at_10M_words": 150},
        "note": "project screen through Textual's Pilot, headless: app_first_frame includes the app's own start; "
                "screen_first_frame pushes a fresh project screen on the running app; refresh is F5. "
                "quotes_mentor: services.quotes(category='mentor') against the bare SQL (see bench.run.quote_floor). "
                "cli: each query command as a fresh process (wall, CPU, peak RSS).",
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    })
