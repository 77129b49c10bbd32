"""Workbench timings measured through Pilot, as a user waits for them.

    python -m bench tui

- open: a 20,000-word transcript with 1,000 codings, from the keypress to the first paint;
- apply: applying a code until the view is redrawn (the write runs in the app's queue of writes);
- keys: a key press in that transcript (caret, word, line and selection moves, with the coding
  stripes on) until the screen has been redrawn, twice: on a quiet machine and under load
  (busy processes on every core);
- quotes: the retrieval view of a category with about 5,000 quotes until the table is filled.

A key's figure has two parts. *work* is what the app does for it: the key's handler and the
frame that repaints the changed lines (measured inside the app); this is what must fit in one
frame at 60 Hz (16 ms). *latency* is from the key press to the end of the screen update as
Pilot sees it; it adds the wait for Textual's next frame tick (up to 1/60 s), which no widget
design can remove.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import statistics
import time
from pathlib import Path
from typing import Any

from codebench import services

KEYS = ("right", "right", "shift+right", "shift+right", "ctrl+right", "ctrl+shift+right", "down", "shift+down",
        "left", "up", "escape", "right_square_bracket", "down", "down", "shift+right")
"""The keys pressed, in turn: what coding a transcript is made of."""


async def _settle(pilot: Any) -> None:
    """Wait until no worker and no queued write is left (a write starts the codings' reload)."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        pending = [w for w in app.workers if not w.is_finished]
        if not pending and not app.writes.busy:
            return
        if pending:
            await app.workers.wait_for_complete(pending)


async def _press_and_time(pilot: Any, key: str, frames: list[tuple[float, float]],
                          handlers: list[float]) -> tuple[float, float]:
    """Press ``key``; ``(work, latency)`` in ms until the screen update that followed it ended."""
    before_frames, before_handlers = len(frames), len(handlers)
    start = time.perf_counter()
    await pilot.press(key)
    deadline = start + 1.0
    while time.perf_counter() < deadline:
        if len(frames) > before_frames and frames[-1][0] >= start:
            break
        await asyncio.sleep(0.0005)
    else:
        raise RuntimeError(f"no screen update after {key!r}")
    # Every frame drawn for this key counts (a scroll can take two).
    frame_work = sum(end - begin for begin, end in frames[before_frames:])
    handler_work = sum(handlers[before_handlers:])
    return (frame_work + handler_work) * 1000, (frames[-1][1] - start) * 1000


def _instrument(app: Any, screen: Any, view: Any) -> tuple[list[tuple[float, float]], list[float]]:
    """Record each screen update (start, end) and the time spent in key handlers of the view and screen."""
    frames: list[tuple[float, float]] = []
    handlers: list[float] = []
    update = screen._on_timer_update

    def timed_update() -> None:
        began = time.perf_counter()
        update()
        frames.append((began, time.perf_counter()))

    screen._on_timer_update = timed_update
    screen._update_timer._callback = timed_update  # the timer holds the bound method it was made with

    def timing(obj: Any, name: str) -> None:
        original = getattr(obj, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                handlers.append(time.perf_counter() - began)

        setattr(obj, name, timed)

    for name in ("action_move", "action_word", "action_line", "action_clear_selection", "action_next_coding"):
        timing(view, name)
    timing(screen, "_show_here")
    return frames, handlers


async def _keys(pilot: Any, rounds: int) -> dict[str, list[float]]:
    from codebench.tui.screens.document import DocumentScreen
    from codebench.tui.widgets.transcript import TranscriptView

    app = pilot.app
    screen = app.screen
    assert isinstance(screen, DocumentScreen)
    view = screen.query_one(TranscriptView)
    assert view.stripes, "the bench measures with the coding stripes on"
    frames, handlers = _instrument(app, screen, view)
    work: list[float] = []
    latency: list[float] = []
    view.move_to(len(view.text) // 3)
    await _settle(pilot)
    for _ in range(rounds):
        for key in KEYS:
            w, lat = await _press_and_time(pilot, key, frames, handlers)
            work.append(w)
            latency.append(lat)
    return {"work_ms": work, "latency_ms": latency}


def _busy(stop: Any) -> None:
    """A process that keeps one core busy until told to stop (the load in 'under load')."""
    x = 0
    while not stop.is_set():
        for _ in range(10_000):
            x = (x * 31 + 7) % 1_000_003


async def _measure(project: services.Project, doc_id: int, category_project: services.Project,
                   load: int) -> dict[str, Any]:
    from codebench.tui.app import CodebenchApp
    from codebench.tui.screens.document import DocumentScreen
    from codebench.tui.widgets.transcript import TranscriptView

    results: dict[str, Any] = {"open_ms": [], "apply_ms": [], "quotes_ms": []}
    app = CodebenchApp(project, "bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        for _ in range(5):
            start = time.perf_counter()
            app.open_document(doc_id)
            await _settle(pilot)
            results["open_ms"].append((time.perf_counter() - start) * 1000)
            screen = app.screen
            assert isinstance(screen, DocumentScreen)
            view = screen.query_one(TranscriptView)
            text = view.text
            for n in range(5):
                position = text.index(" ", 1000 + n * 3000) + 1
                start = time.perf_counter()
                screen.apply((position, position + 40), "god mentor", origin="open")
                await _settle(pilot)
                results["apply_ms"].append((time.perf_counter() - start) * 1000)
            app.pop_screen()
            await _settle(pilot)

        app.open_document(doc_id)
        await _settle(pilot)
        results["keys_quiet"] = await _keys(pilot, rounds=6)
        stop = multiprocessing.Event()
        workers = [multiprocessing.Process(target=_busy, args=(stop,), daemon=True) for _ in range(load)]
        for worker in workers:
            worker.start()
        try:
            results["keys_loaded"] = await _keys(pilot, rounds=6)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=5)
        app.pop_screen()
        await _settle(pilot)
    app = CodebenchApp(category_project, "bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        node = next(c for c in services.code_tree(category_project) if c.name == "mentor")
        for _ in range(5):
            start = time.perf_counter()
            app.open_quotes(node)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            results["quotes_ms"].append((time.perf_counter() - start) * 1000)
            results["quotes_shown"] = len(app.screen.quotes)  # type: ignore[attr-defined]
            app.pop_screen()
            await pilot.pause()
    return results


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 2), "p95": round(ordered[int(len(ordered) * 0.95) - 1], 2),
            "max": round(ordered[-1], 2)}


def bench_tui(args: Any, work: Path) -> None:
    """Build the two projects and time the workbench."""
    from bench.run import _write, add_random_codings, build_project

    single = build_project(work, "single", 1, 20_000)
    add_random_codings(single, 1000, ("ingrid", "per"))
    (doc,) = services.list_documents(single)
    corpus = build_project(work, "corpus", 40, 10_000)
    add_random_codings(corpus, 20_000, ("ingrid", "per"))
    load = os.cpu_count() or 2
    before = os.getloadavg()[0]
    results = asyncio.run(_measure(single, doc.id, corpus, load))
    summary = {
        "transcript_words": doc.word_count,
        "transcript_codings": 1000,
        "open_median_ms": round(statistics.median(results["open_ms"]), 1),
        "apply_median_ms": round(statistics.median(results["apply_ms"]), 1),
        "key_press": {
            "keys": len(results["keys_quiet"]["work_ms"]),
            "quiet": {"work_ms": _summary(results["keys_quiet"]["work_ms"]),
                      "latency_ms": _summary(results["keys_quiet"]["latency_ms"])},
            "under_load": {"busy_processes": load,
                           "work_ms": _summary(results["keys_loaded"]["work_ms"]),
                           "latency_ms": _summary(results["keys_loaded"]["latency_ms"])},
            "machine_load_before": round(before, 2),
            "note": "work = the key's handlers + the frame that repaints (must fit one 60 Hz frame, 16 ms); "
                    "latency = key press to the end of the screen update, including the wait for the next frame tick",
        },
        "category_quotes": results["quotes_shown"],
        "quotes_view_median_ms": round(statistics.median(results["quotes_ms"]), 1),
        "targets_ms": {"open": 250, "apply": 50, "quotes_view": 300, "key_press_work": 16},
        "note": "measured through Textual's Pilot in a headless app at 120x40, coding stripes on",
    }
    _write("tui", summary)
    single.close()
    corpus.close()
