"""Correcting a long transcript: an edit, its undo, a corrected file re-imported, and the workbench's save.

    python -m bench edit

One 20,000-word transcript with 1,000 codings (two coders) and its names marked:

- edit: fixing two words of a turn in the middle (codings and mentions follow, revision kept),
  without and with the edited turn searched for names again (rules and the NER model);
- undo: taking that edit back;
- reimport: a corrected copy of the file (60 words fixed across the transcript) imported over it;
- workbench: from ctrl+s in the turn editor to the corrected transcript on screen (Pilot).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from codebench import services


def _middle_turn(project: services.Project, doc_id: int) -> tuple[int, str, str]:
    """The number of a long turn in the middle, its words, and the words with two of them fixed."""
    doc = services.get_document(project, doc_id)
    turns = [t for t in doc.turns if t.end - t.body_start > 300]
    turn = turns[len(turns) // 2]
    body = doc.text[turn.body_start:turn.end]
    words = body.split(" ")
    fixed = list(words)
    for i in (len(words) // 3, 2 * len(words) // 3):
        fixed[i] = fixed[i] + "x"
    return turn.seq + 1, body, " ".join(fixed)


async def _workbench_save(project: services.Project, doc_id: int, turn: int, new_text: str) -> float:
    from codebench.tui.app import CodebenchApp
    from codebench.tui.screens.edit_turn import TurnEditor
    from textual.widgets import TextArea

    app = CodebenchApp(project, "ingrid")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        doc = services.get_document(project, doc_id)
        app.open_document(doc_id, position=doc.turns[turn - 1].body_start)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TurnEditor)
        app.screen.query_one(TextArea).text = new_text
        start = time.perf_counter()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return (time.perf_counter() - start) * 1000


def bench_edit(args: Any, work: Path) -> None:
    """Build the transcript and time the edits."""
    from bench.run import _write, add_random_codings, build_project

    # The pseudonym key of the throwaway project goes with it, not into the user's key folder.
    os.environ.setdefault("CODEBENCH_KEY_DIR", str(work / "keys"))
    project = build_project(work, "single", 1, 20_000)
    add_random_codings(project, 1000, ("ingrid", "per"))
    (doc,) = services.list_documents(project)
    services.anonymisation.detect(project, use_model=False)
    mentions = len(services.anonymisation.entities(project))
    turn, body, fixed = _middle_turn(project, doc.id)

    edit_ms, undo_ms, flagged = [], [], []
    for _ in range(5):
        start = time.perf_counter()
        report = services.edit_turn(project, doc.id, turn, coder="ingrid", text=fixed, detect=False)
        edit_ms.append((time.perf_counter() - start) * 1000)
        flagged.append(len(report.flagged))
        start = time.perf_counter()
        services.undo(project, "ingrid")
        undo_ms.append((time.perf_counter() - start) * 1000)
    detect_ms = []
    for use_model in (False, True):
        start = time.perf_counter()
        services.edit_turn(project, doc.id, turn, coder="ingrid", text=fixed, use_model=use_model)
        detect_ms.append((time.perf_counter() - start) * 1000)
        services.undo(project, "ingrid")

    # A corrected file: the same transcript with 60 words fixed across it.
    source = sorted((work / "single_txt").glob("*.txt"))[0]
    text = source.read_text(encoding="utf-8")
    rng = random.Random(3)
    words = text.split(" ")
    for i in rng.sample(range(10, len(words) - 10), 60):
        if words[i].isalpha():
            words[i] = words[i] + "e"
    corrected = work / "rettet" / source.name
    corrected.parent.mkdir()
    corrected.write_text(" ".join(words), encoding="utf-8")
    start = time.perf_counter()
    imported = services.import_files(project, [corrected], coder="ingrid")
    reimport_ms = (time.perf_counter() - start) * 1000
    (replaced,) = imported.replaced
    services.undo(project, "ingrid")

    tui_ms = asyncio.run(_workbench_save(project, doc.id, turn, fixed))
    _write("edit", {
        "transcript_words": doc.word_count, "codings": 1000, "entities": mentions,
        "edit_median_ms": round(statistics.median(edit_ms), 1),
        "edit_codings_flagged": flagged[0],
        "undo_median_ms": round(statistics.median(undo_ms), 1),
        "edit_with_turn_detection_ms": {"rules": round(detect_ms[0], 1), "rules_and_model": round(detect_ms[1], 1)},
        "reimport_ms": round(reimport_ms, 1),
        "reimport": {"pieces": replaced.change.pieces, "codings_moved": replaced.change.shifted,
                     "flagged": len(replaced.change.flagged), "not_placed": len(replaced.change.unplaced)},
        "workbench_save_to_redraw_ms": round(tui_ms, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine slows every figure
    })
    project.close()
