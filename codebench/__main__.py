"""``python -m codebench`` runs the command line."""

from codebench.cli import main

main()
