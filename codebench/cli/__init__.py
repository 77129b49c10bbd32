"""The ``codebench`` command line: the root group and its commands, one module per command group.

Each command is a thin shell over one function of :mod:`codebench.services`; the shared options,
error handling and project opening are in :mod:`codebench.cli.common`. User mistakes print one
clear message and exit 1; a traceback means a bug in codebench.
"""

from __future__ import annotations

import click

from codebench.cli import (
    anonymise, codebook, coding, editing, export, history, interchange, memos, project, retrieval, search, team,
)
from codebench.cli.common import CodebenchGroup


@click.group(cls=CodebenchGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="codebench")
def main() -> None:
    """codebench — code Norwegian interview transcripts in the terminal.

    \b
    A typical session:
      codebench init mystudy
      codebench import mystudy intervjuer/*.docx opptak/*.vtt --role mentor --round 1
      codebench codebook load mystudy codebooks/hybridmodellen.yaml
      codebench code mystudy DOC --start 120 --end 310 --code tidspress --coder ingrid
      codebench quotes mystudy --category mentor
      codebench stats mystudy

    PROJECT is a project folder made by `codebench init`.
    """


for _command in (
    project.init, project.import_, project.import_survey, project.documents, project.show, project.open_, project.demo,
    codebook.codebook, codebook.codes, codebook.merge_codes,
    coding.code, coding.uncode, coding.recode, coding.memo, memos.memos, coding.import_codings,
    history.undo, history.redo, history.log,
    retrieval.quotes, retrieval.stats, search.search, search.searches,
    team.merge, team.agreement, team.disagreements, team.resolve,
    export.export, interchange.import_refi,
    anonymise.anonymise, anonymise.anonymise_file,
    editing.edit, editing.flagged, editing.media,
):
    main.add_command(_command)

__all__ = ["main"]
