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


def _run(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stderr.decode()[-500:]}")
    return elapsed


def _interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, list[float]]:
    """Run each command ``repeat`` times, taking turns, so that a busy moment hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        _run(command)  # warm the file cache and the bytecode
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(_run(command))
    return times


def bench_startup(args: argparse.Namespace, work: Path) -> None:
    """Median wall time of ``codebench --help`` and ``codebench stats`` on a tiny project, against ``python -c pass``."""
    from bench.run import _write
    from codebench.services.sample import transcript_files

    project = services.init_project(work / "tiny")
    services.import_files(project, transcript_files()[:2])
    project.close()
    python = sys.executable
    sources = {"after": ""}
    if args.before:
        sources["before"] = str(Path(args.before).resolve())
    commands: dict[str, list[str]] = {"python -c pass": [python, "-c", "pass"]}
    for label, src in sources.items():
        entry = ENTRY.format(src=src)
        commands[f"{label}: codebench --help"] = [python, "-c", entry, "--help"]
        commands[f"{label}: codebench stats"] = [python, "-c", entry, "stats", str(work / "tiny")]
    times = _interleaved(commands, args.repeat)
    bare = statistics.median(times["python -c pass"])
    figures = {name: {"median_ms": _median_ms(t), "min_ms": round(min(t) * 1000, 1),
                      "ratio_to_python": round(statistics.median(t) / bare, 2)} for name, t in times.items()}
    payload: dict[str, Any] = {"runs": args.repeat, "tiny_project": "2 sample transcripts, no codings", "figures": figures,
                               "target_ratio": 8, "load_average_1min": round(os.getloadavg()[0], 2)}
    if args.before:
        payload["before"] = args.before_label or args.before
    _write("startup", payload)


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


async def _project_screen(project: services.Project, repeat: int) -> dict[str, list[float]]:
    """The workbench's project screen: app start to first frame, a fresh screen pushed, F5."""
    from codebench.tui.app import CodebenchApp
    from codebench.tui.screens.project import ProjectScreen

    times: dict[str, list[float]] = {"app_first_frame": [], "screen_first_frame": [], "refresh": []}
    for _ in range(max(1, repeat // 2)):
        start = time.perf_counter()
        app = CodebenchApp(project, "bench")
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ProjectScreen) and app.screen.query_one("#documents").row_count > 0
            times["app_first_frame"].append(time.perf_counter() - start)
            for _ in range(repeat):
                start = time.perf_counter()
                app.push_screen(ProjectScreen())
                await pilot.pause()
                times["screen_first_frame"].append(time.perf_counter() - start)
                app.pop_screen()
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("f5")
                await pilot.pause()
                times["refresh"].append(time.perf_counter() - start)
    return times


def bench_scaling(args: argparse.Namespace, work: Path) -> None:
    """``stats`` (in process and through the CLI) and the project screen at growing project sizes."""
    from bench.run import _timed, _write  # bench.run imports this module for its table

    keep = Path(args.keep) if args.keep else None
    rows = []
    for words in args.sizes:
        started = time.perf_counter()
        project = _project(work / str(words), words, keep)
        built = time.perf_counter() - started
        stats = services.stats(project)
        in_process = _timed(lambda: services.stats(project), args.repeat)
        cli = [_run([sys.executable, "-c", ENTRY.format(src=""), "stats", str(project.root)]) for _ in range(args.repeat)]
        screen = asyncio.run(_project_screen(project, args.repeat))
        row = {
            "words": stats.words, "documents": stats.documents, "turns": stats.turns, "codings": stats.codings,
            "stats_median_ms": _median_ms(in_process), "stats_cli_median_ms": _median_ms(cli),
            **{f"project_screen_{name}_median_ms": _median_ms(t) for name, t in screen.items()},
            "build_or_open_seconds": round(built, 1),
        }
        print(row, flush=True)
        rows.append(row)
        project.close()
    _write(args.output or "scaling", {
        "sizes": rows, "runs": args.repeat,
        "targets_ms": {"stats_at_10M_words": 50, "project_screen_first_frame_at_10M_words": 300},
        "note": "project screen through Textual's Pilot, headless: app_first_frame includes the app's own start; "
                "screen_first_frame pushes a fresh project screen on the running app; refresh is F5",
        "load_average_1min": round(os.getloadavg()[0], 2),
    })
