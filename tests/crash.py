"""A codebench process that is killed with SIGKILL in the middle of its work (tests/integration/test_crash.py).

``python -m tests.crash OPERATION PROJECT [ARG]`` runs one kind of write over and over, until it is
killed, through the
services, as the CLI and the workbench do, and prints ``ack WHAT`` after each write has returned
(committed) — so every ``ack`` the parent reads is a write the user was told had happened. The
parent kills the process at a random moment and then checks the project.
"""

from __future__ import annotations

import sys
from pathlib import Path

from codebench import services

CODE = "kapasitet og portefølje"
CODER = "krasj"


def _ack(what: object) -> None:
    print(f"ack {what}", flush=True)


def code(project: services.Project, _arg: str) -> None:
    """Code one new span after another as coder ``krasj``."""
    for i in range(100_000):
        start = i % 150
        coding = services.apply_code(project, "doc", start, start + 3 + i // 150, CODE, CODER)
        _ack(coding.uuid)


def import_(project: services.Project, folder: str) -> None:
    """Import the folder's transcripts one file at a time (then again: each is then a duplicate)."""
    while True:
        for path in sorted(Path(folder).glob("*.txt")):
            report = services.import_files(project, [path])
            assert not report.errors, report.errors
            _ack(path.stem)


def anonymise(project: services.Project, _arg: str) -> None:
    """Detect identifiers (a large write), then accept the suggestions one entity at a time."""
    from codebench.services import anonymisation

    while True:
        anonymisation.detect(project, use_model=False, coder=CODER)
        _ack("detect")
        for entity in anonymisation.entities(project, status="suggested"):
            anonymisation.decide(project, "accept", entity=entity.id, coder=CODER)
            _ack(entity.id)


def merge(project: services.Project, sources: str) -> None:
    """Merge each coder's project (folders separated by commas) into this team project, over and over
    (after the first round a merge finds everything there already)."""
    while True:
        for source in sources.split(","):
            services.merge_projects(project, [source])
            _ack(Path(source).name)


def export(project: services.Project, target: str) -> None:
    """Export the project as REFI-QDA to the same file again and again."""
    while True:
        services.export_qdpx(project, target, original=True)
        _ack(target)


OPERATIONS = {"code": code, "import": import_, "anonymise": anonymise, "merge": merge, "export": export}


def main() -> None:
    operation, root = sys.argv[1], sys.argv[2]
    arg = sys.argv[3] if len(sys.argv) > 3 else ""
    project = services.open_project(Path(root))
    print("ready", flush=True)
    try:
        OPERATIONS[operation](project, arg)
    finally:
        project.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
