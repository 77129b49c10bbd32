"""``codebench export …``: one subcommand per export, each a thin shell over a services function.

Exports are anonymised by default; the original text needs ``--original`` and prints a warning.
Subcommands are defined in their own modules and registered at the bottom of this file.
"""

from __future__ import annotations

import click


@click.group()
def export() -> None:
    """Write coded material and codebooks for reports and for other QDA tools.

    Exports are anonymised unless --original is given.
    """


# Registrations (one line per subcommand module).
from codebench.export import cli_writing as _writing  # noqa: E402  (matrix, quotes, codebook documents)

export.add_command(_writing.matrix)
export.add_command(_writing.quotes)
export.add_command(_writing.codebook)
from codebench.anonymise.cli import export_text as _export_text  # noqa: E402  (anonymised transcripts)

export.add_command(_export_text)
from codebench.export.cli_refi import qdc as _qdc, qdpx as _qdpx  # noqa: E402  (REFI-QDA project and codebook)

export.add_command(_qdpx)
export.add_command(_qdc)
