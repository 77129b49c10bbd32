"""The sample project: the fictional corpus and the hybrid-model codebook in one command.

Used by ``codebench demo`` (the README's first command), by the benchmarks and by tests.
The corpus lives in the source tree (``corpora/sample``), not in the installed package.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from codebench.errors import ServiceError
from codebench.services.codebook import load_codebook
from codebench.services.coding import import_codings
from codebench.services.importing import import_files, import_survey
from codebench.services.project import CONFIG_NAME, Project, init_project, open_project

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpora" / "sample"
CODEBOOK = REPO / "codebooks" / "hybridmodellen.yaml"
SURVEY = CORPUS / "arbeidsgiverundersokelse.csv"
SURVEY_TEXT_COLUMNS = ["motiv_fritekst", "samarbeid_nav_fritekst", "forbedring_fritekst"]
GOLD_CODINGS = CORPUS / "gold" / "codings"


def transcript_files(corpus: Path = CORPUS) -> list[Path]:
    """The sample transcripts: the files that the corpus's participants.yaml describes.

    Args:
        corpus: the corpus folder (default: the sample corpus of this checkout).

    Returns:
        The transcript paths, sorted.
    """
    listing = yaml.safe_load((corpus / "participants.yaml").read_text(encoding="utf-8"))
    return sorted(corpus / name for name in listing["documents"])


def build_demo_project(folder: Path, *, with_codings: bool = True) -> Project:
    """Open ``folder`` as the sample project, creating and filling it on first use.

    Args:
        folder: where the project lives.
        with_codings: also apply the two fictional coders' gold codings.

    Returns:
        The open project; the caller closes it.

    Raises:
        ServiceError: the sample corpus is not in this checkout, or a sample file cannot be read.
    """
    if not CORPUS.is_dir():
        raise ServiceError(f"the sample corpus is not here ({CORPUS}); run from a codebench checkout")
    if (folder / CONFIG_NAME).exists():
        return open_project(folder)
    project = init_project(folder)
    report = import_files(project, transcript_files())
    if report.errors:
        raise ServiceError("; ".join(report.errors))
    if SURVEY.exists():
        survey = import_survey(project, SURVEY, SURVEY_TEXT_COLUMNS, id_column="respondent", role="arbeidsgiver")
        if survey.errors:
            raise ServiceError("; ".join(survey.errors))
    load_codebook(project, CODEBOOK)
    if with_codings:
        for path in sorted(GOLD_CODINGS.glob("*.yaml")):
            import_codings(project, path)
    return project
