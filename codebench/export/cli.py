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
