"""The sample project: the fictional corpus and the hybrid-model codebook in one command.

Used by ``codebench demo`` (the README's first command), by the benchmarks and by tests.
The corpus lives in the source tree (``corpora/sample``), not in the installed package.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from codebench import services

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpora" / "sample"
CODEBOOK = REPO / "codebooks" / "hybridmodellen.yaml"
SURVEY = CORPUS / "arbeidsgiverundersokelse.csv"
SURVEY_TEXT_COLUMNS = ["motiv_fritekst", "samarbeid_nav_fritekst", "forbedring_fritekst"]
GOLD_CODINGS = CORPUS / "gold" / "codings"


def transcript_files(corpus: Path = CORPUS) -> list[Path]:
    """The sample transcripts: the files that the corpus's participants.yaml describes."""
    listing = yaml.safe_load((corpus / "participants.yaml").read_text(encoding="utf-8"))
    return sorted(corpus / name for name in listing["documents"])


def build_demo_project(folder: Path, *, with_codings: bool = True) -> services.Project:
    """Open ``folder`` as the sample project, creating and filling it on first use.

    Args:
        folder: where the project lives.
        with_codings: also apply the two fictional coders' gold codings.
    """
    if not CORPUS.is_dir():
        raise services.ServiceError(f"the sample corpus is not here ({CORPUS}); run from a codebench checkout")
    if (folder / services.CONFIG_NAME).exists():
        return services.open_project(folder)
    project = services.init_project(folder)
    report = services.import_files(project, transcript_files())
    if report.errors:
        raise services.ServiceError("; ".join(report.errors))
    if SURVEY.exists():
        survey = services.import_survey(project, SURVEY, SURVEY_TEXT_COLUMNS, id_column="respondent", role="arbeidsgiver")
        if survey.errors:
            raise services.ServiceError("; ".join(survey.errors))
    services.load_codebook(project, CODEBOOK)
    if with_codings:
        for path in sorted(GOLD_CODINGS.glob("*.yaml")):
            services.import_codings(project, path)
    return project
