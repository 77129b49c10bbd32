"""Reading YAML that people edit by hand, with errors that say where the file went wrong.

Project settings, participant lists, coding scripts, pseudonym keys and codebooks are all YAML
that a researcher may have typed. A parse error must come out as one line naming the file and,
where PyYAML knows it, the line (``participants.yaml:3: not valid YAML``), never as PyYAML's
multi-line report or a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def yaml_position(exc: yaml.YAMLError) -> tuple[int, int] | None:
    """Where a YAML error happened: 1-based ``(line, column)``, or None when PyYAML does not say.

    The problem's own mark is preferred; the context mark (e.g. where an unclosed bracket opened)
    is the fallback. Errors found before parsing (a reader error on a control character) carry
    no mark at all.

    Args:
        exc: the error PyYAML raised.

    Returns:
        The position, or None.
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return None
    return mark.line + 1, mark.column + 1


def yaml_location(source: str | Path, exc: yaml.YAMLError) -> str:
    """``source:line`` for an error message, or just ``source`` when the line is unknown.

    Args:
        source: the file name (or another name for where the text came from).
        exc: the error PyYAML raised.

    Returns:
        The location to put before the message, e.g. ``project.yaml:4``.
    """
    position = yaml_position(exc)
    return f"{source}:{position[0]}" if position is not None else str(source)


def load_yaml(
    text: str,
    source: str | Path,
    *,
    error: Callable[[str], Exception] = ValueError,
    message: str = "not valid YAML",
) -> Any:
    """Parse YAML safely (no Python objects), turning a syntax error into one line.

    Args:
        text: the YAML text.
        source: the file name to put in the message.
        error: the exception type (or factory) to raise, e.g. ``ServiceError``.
        message: what to say after the location.

    Returns:
        The parsed data; None for an empty document.

    Raises:
        Exception: of the type ``error``, with the message ``source:line: message``.
    """
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{yaml_location(source, exc)}: {message}") from None
