"""Where the training scripts read NorNE and write their scratch data, found from the checkout.

NorNE lies in ``shared/norne`` beside the repository (as the test fixtures do). The DocBins and
the trained model are third-party-derived and large, so they go to the platform's temporary
folder, never into the repository; every script takes an argument to put them elsewhere.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# parents: training, anonymise, codebench, <repository>
REPO = Path(__file__).resolve().parents[3]
DEFAULT_NORNE = str(REPO.parent / "shared" / "norne")
DEFAULT_DATA = os.path.join(tempfile.gettempdir(), "norne-spacy")
DEFAULT_OUTPUT = os.path.join(tempfile.gettempdir(), "norne-model")
DEFAULT_MODEL = os.path.join(DEFAULT_OUTPUT, "model-best")
DEFAULT_RESULTS = str(REPO / "bench" / "results" / "ner_training.json")


def display_path(path: str) -> str:
    """The path as it should be recorded in results: relative to the repository when inside it.

    Args:
        path: a file or folder path.

    Returns:
        ``path`` relative to the repository root if it lies inside the checkout, else unchanged,
        so committed results never name the folder of one machine.
    """
    resolved = Path(path).resolve()
    if resolved.is_relative_to(REPO):
        return resolved.relative_to(REPO).as_posix()
    return path
