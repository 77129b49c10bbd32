"""Every command of the click tree explains itself and is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from codebench.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def _walk(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and group below ``command`` (itself included), with its path of names."""
    found = [(path, command)]
    if isinstance(command, click.Group):
        context = click.Context(command)
        # Listed and loaded as the command line does (the root group imports a command's module on use).
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None and sub.name == name, f"codebench {' '.join((*path, name))} does not load"
            found += _walk(sub, (*path, name))
    return found


COMMANDS = _walk(main)
SUBCOMMANDS = [(path, command) for path, command in COMMANDS if path]


def _ids(items: list[tuple[tuple[str, ...], click.Command]]) -> list[str]:
    return [" ".join(("codebench", *path)) for path, _ in items]


def test_the_tree_is_walked() -> None:
    paths = {path for path, _ in COMMANDS}
    assert {("init",), ("export", "matrix"), ("anonymise", "rename"), ("anonymise-file",), ("import-refi",)} <= paths
    assert len(SUBCOMMANDS) > 30


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=_ids(COMMANDS))
def test_every_command_has_help(path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or "").strip(), f"codebench {' '.join(path)} has no help text"
    assert command.get_short_help_str().strip()
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    first_line = " ".join(command.help.strip().splitlines()[0].split())
    assert "Usage:" in result.output and first_line in " ".join(result.output.split())


@pytest.mark.parametrize(("path", "command"), SUBCOMMANDS, ids=_ids(SUBCOMMANDS))
def test_every_command_is_in_the_readme(path: tuple[str, ...], command: click.Command) -> None:
    # Whole words only: `codebench code` must not be satisfied by `codebench codebook`.
    pattern = re.compile(r"\bcodebench " + re.escape(" ".join(path)) + r"(?![\w-])")
    assert pattern.search(README.read_text(encoding="utf-8")), f"`codebench {' '.join(path)}` is not in README.md"
