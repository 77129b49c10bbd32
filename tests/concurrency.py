"""Several coder processes writing to one project at once (SQLite file or PostgreSQL server)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from codebench import services


def _code_many(root: str, coder: str, n: int, queue) -> None:  # runs in a child process
    project = services.open_project(Path(root))
    try:
        for i in range(n):
            services.apply_code(project, "doc", i, i + 5, "kapasitet og portefølje", coder)
        queue.put((coder, "ok"))
    except Exception as exc:  # report, the parent asserts
        queue.put((coder, repr(exc)))
    finally:
        project.close()


def concurrent_coders(root: Path, coders: list[str], n: int) -> None:
    """Start one process per coder, each applying ``n`` codings; all must succeed."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_code_many, args=(str(root), c, n, queue)) for c in coders]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    results = dict(queue.get(timeout=5) for _ in workers)
    assert results == {c: "ok" for c in coders}
