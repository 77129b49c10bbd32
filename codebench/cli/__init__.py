"""The ``codebench`` command line: the root group and its commands, one module per command group.

Each command is a thin shell over one function of :mod:`codebench.services`; the shared options,
error handling and project opening are in :mod:`codebench.cli.common`. User mistakes print one
clear message and exit 1; a traceback means a bug in codebench.
"""

from __future__ import annotations

import sys

import click

from codebench.cli.common import CodebenchGroup


class _Root(CodebenchGroup):
    # Each command's module is imported when the command runs (or is listed): see CodebenchGroup.
    lazy = {
        "init": "project:init", "import": "project:import_", "import-survey": "project:import_survey",
        "documents": "project:documents", "show": "project:show", "open": "project:open_", "demo": "project:demo",
        "codebook": "codebook:codebook", "codes": "codebook:codes", "merge-codes": "codebook:merge_codes",
        "code": "coding:code", "uncode": "coding:uncode", "recode": "coding:recode", "memo": "coding:memo",
        "memos": "memos:memos", "import-codings": "coding:import_codings",
        "undo": "history:undo", "redo": "history:redo", "log": "history:log",
        "quotes": "retrieval:quotes", "stats": "retrieval:stats", "search": "search:search",
        "searches": "search:searches",
        "merge": "team:merge", "agreement": "team:agreement", "disagreements": "team:disagreements",
        "resolve": "team:resolve",
        "export": "export:export", "import-refi": "interchange:import_refi",
        "anonymise": "anonymise:anonymise", "anonymise-file": "anonymise:anonymise_file",
        "edit": "editing:edit", "rename-speaker": "editing:rename_speaker", "flagged": "editing:flagged",
        "media": "editing:media",
    }


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    sys.unraisablehook = _quiet_interrupts


def _quiet_interrupts(unraisable: "sys.UnraisableHookArgs") -> None:
    """Ctrl-C that lands while the garbage collector runs a library's cleanup callback (an ORM
    object's weak reference) cannot be raised there: Python prints it as "Exception ignored …"
    with a traceback. The command says in one line what the interrupt did, so that print is
    noise (CI caught a 9-line one after "nothing was imported"); any other one is printed."""
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


__all__ = ["main"]
