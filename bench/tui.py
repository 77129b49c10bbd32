"""Workbench timings measured through Pilot, as a user waits for them.

    python -m bench tui

- open: a 20,000-word transcript with 1,000 codings, from the keypress to the first paint;
- apply: applying a code until the view is redrawn;
- quotes: the retrieval view of a category with about 5,000 quotes until the table is filled.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from codebench import services


async def _measure(project: services.Project, doc_id: int, category_project: services.Project) -> dict[str, Any]:
    from codebench.tui.app import CodebenchApp
    from codebench.tui.screens.document import DocumentScreen
    from codebench.tui.widgets.transcript import TranscriptView

    results: dict[str, Any] = {"open_ms": [], "apply_ms": [], "quotes_ms": []}
    app = CodebenchApp(project, "bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(5):
            start = time.perf_counter()
            app.open_document(doc_id)
            await pilot.pause()
            results["open_ms"].append((time.perf_counter() - start) * 1000)
            screen = app.screen
            assert isinstance(screen, DocumentScreen)
            view = screen.query_one(TranscriptView)
            text = view.text
            for n in range(5):
                position = text.index(" ", 1000 + n * 3000) + 1
                start = time.perf_counter()
                screen.apply((position, position + 40), "god mentor", origin="open")
                await pilot.pause()
                results["apply_ms"].append((time.perf_counter() - start) * 1000)
            app.pop_screen()
            await pilot.pause()
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


def bench_tui(args: Any, work: Path) -> None:
    """Build the two projects and time the workbench."""
    from bench.run import _write, add_random_codings, build_project

    single = build_project(work, "single", 1, 20_000)
    add_random_codings(single, 1000, ("ingrid", "per"))
    (doc,) = services.list_documents(single)
    corpus = build_project(work, "corpus", 40, 10_000)
    add_random_codings(corpus, 20_000, ("ingrid", "per"))
    results = asyncio.run(_measure(single, doc.id, corpus))
    summary = {
        "transcript_words": doc.word_count,
        "transcript_codings": 1000,
        "open_median_ms": round(statistics.median(results["open_ms"]), 1),
        "apply_median_ms": round(statistics.median(results["apply_ms"]), 1),
        "category_quotes": results["quotes_shown"],
        "quotes_view_median_ms": round(statistics.median(results["quotes_ms"]), 1),
        "targets_ms": {"open": 250, "apply": 50, "quotes_view": 300},
        "note": "measured through Textual's Pilot in a headless app: keypress-equivalent to the next idle frame",
    }
    _write("tui", summary)
    single.close()
    corpus.close()
