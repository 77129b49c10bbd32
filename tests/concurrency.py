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


# -- Races: several processes doing one operation each at the same moment, round after round ----------


def _race_worker(root: str, role: str, index: int, rounds: int, barrier, queue) -> None:  # a child process
    from codebench.errors import CodebenchError

    project = services.open_project(Path(root))
    try:
        for r in range(rounds):
            barrier.wait(60)
            try:
                ROLES[role](project, r, index)
                outcome = "ok"
            except CodebenchError as exc:  # a refusal a user reads (e.g. the code was merged away)
                outcome = f"refused: {exc}"
            except Exception as exc:  # a raw error: what the parent asserts never happens
                outcome = f"raw: {exc!r}"
            queue.put((index, r, outcome))
    finally:
        project.close()


def _code_as_new_coder(project, r: int, index: int) -> None:
    """Every worker codes as coder ``nyR``, who does not exist yet: they race to create the row."""
    services.apply_code(project, "doc", index, index + 4, "kapasitet og portefølje", f"ny{r}")


def _rename(project, r: int, index: int) -> None:
    services.update_code(project, f"x{r}", name=f"z{r}", coder="renamer")


def _merge(project, r: int, index: int) -> None:
    services.merge_codes(project, f"x{r}", f"y{r}", coder="merger")


ROLES = {"new-coder": _code_as_new_coder, "rename": _rename, "merge": _merge}


def race(root: Path, roles: list[str], rounds: int) -> dict[tuple[int, int], str]:
    """Run ``roles`` (one process each) for ``rounds`` rounds; in each round all start together.

    Returns:
        ``{(worker index, round): "ok" | "refused: …" | "raw: …"}``.
    """
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(len(roles))
    workers = [ctx.Process(target=_race_worker, args=(str(root), role, i, rounds, barrier, queue))
               for i, role in enumerate(roles)]
    for w in workers:
        w.start()
    outcomes = {}
    for _ in range(len(roles) * rounds):
        index, r, outcome = queue.get(timeout=180)
        outcomes[(index, r)] = outcome
    for w in workers:
        w.join(60)
    return outcomes


def _code_own(project, r: int, index: int) -> None:
    """Worker ``index`` codes one new span per round as its own coder ``wINDEX``."""
    services.apply_code(project, "doc", r, r + 3, "kapasitet og portefølje", f"w{index}")


ROLES["code"] = _code_own
