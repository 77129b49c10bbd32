"""Reading YAML that people edit by hand, with errors that say where the file went wrong.

Project settings, participant lists, coding scripts, pseudonym keys and codebooks are all YAML
that a researcher may have typed. A parse error must come out as one line naming the file and,
where PyYAML knows it, the line (``participants.yaml:3: not valid YAML``), never as PyYAML's
multi-line report or a traceback.

Hand-edited files are also read within limits that PyYAML does not set itself: at most
:data:`MAX_NESTING` levels of lists and mappings inside each other, and no alias (``*name``)
that stands for a list or mapping containing it (a cycle). Either would otherwise end in a
``RecursionError`` deep inside PyYAML or in the code that walks the data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
from yaml.nodes import CollectionNode, MappingNode, Node, SequenceNode

MAX_NESTING = 100
"""Most lists and mappings a hand-edited YAML file may nest inside each other (a codebook's
categories take two levels each, so about 50 levels of sub-categories); real files use fewer
than ten, and the limit keeps PyYAML's recursive composer far from Python's recursion limit."""


class YamlShapeError(ComposerError):
    """Well-formed YAML that codebench refuses to read: nested too deep, or an alias cycle.

    A :class:`yaml.MarkedYAMLError`, so it carries the line (``problem_mark``) like a syntax
    error; ``problem`` is the whole sentence to show after the location.
    """


class GuardedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a nesting limit and alias checks, so no input can recurse without end.

    ``allow_collection_aliases = False`` (see :func:`compose_guarded`) also refuses an alias to a
    list or mapping that is not a cycle: a codebook has no use for one, and a chain of such
    aliases (``b: [*a, *a]``, ``c: [*b, *b]`` …) makes a walk of the tree exponential.
    """

    allow_collection_aliases = True

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._open_anchors: set[str] = set()

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            if event.anchor in self._open_anchors:
                raise YamlShapeError(None, None, f"the alias *{event.anchor} stands for a list or mapping that "
                                     "contains it (a cycle); write the entries out instead", event.start_mark)
            if isinstance(target, CollectionNode) and not self.allow_collection_aliases:
                raise YamlShapeError(None, None, f"the alias *{event.anchor} repeats a list or mapping; "
                                     "write the entries out (aliases may stand for text only)", event.start_mark)
            return super().compose_node(parent, index)
        if not isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise YamlShapeError(None, None, f"lists and mappings are nested more than {MAX_NESTING} levels deep; "
                                 f"codebench reads at most {MAX_NESTING}", event.start_mark)
        anchor = event.anchor
        if anchor is not None:
            self._open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open_anchors.discard(anchor)


class _StrictAliasLoader(GuardedLoader):
    allow_collection_aliases = False


class YamlMap(dict[Any, Any]):
    """A mapping read by :func:`load_yaml` with ``located=True``: knows its line and its values' lines."""

    line: int
    """1-based line where the mapping starts."""
    lines: dict[Any, int]
    """1-based line of each key's value."""


class YamlList(list[Any]):
    """A list read by :func:`load_yaml` with ``located=True``: knows its line and its items' lines."""

    line: int
    """1-based line where the list starts."""
    lines: list[int]
    """1-based line of each item."""


class _LocatedLoader(GuardedLoader):
    """Builds :class:`YamlMap` and :class:`YamlList` so that messages can name the line of a value."""

    def construct_located_map(self, node: MappingNode) -> Any:
        data = YamlMap()
        data.line = node.start_mark.line + 1
        data.lines = {}
        yield data
        data.update(self.construct_mapping(node))
        for key_node, value_node in node.value:
            key = self.construct_object(key_node)  # cached: built above
            data.lines.setdefault(key, value_node.start_mark.line + 1)

    def construct_located_seq(self, node: SequenceNode) -> Any:
        data = YamlList()
        data.line = node.start_mark.line + 1
        data.lines = [item.start_mark.line + 1 for item in node.value]
        yield data
        data.extend(self.construct_sequence(node))


_LocatedLoader.add_constructor("tag:yaml.org,2002:map", _LocatedLoader.construct_located_map)
_LocatedLoader.add_constructor("tag:yaml.org,2002:seq", _LocatedLoader.construct_located_seq)


def line_of(container: Any, key: Any = None) -> int | None:
    """The 1-based line of ``container[key]`` (or of the container itself), when it was read located.

    Args:
        container: a :class:`YamlMap` or :class:`YamlList` (anything else gives None).
        key: a key of the mapping or an index of the list; None for the container's own line.

    Returns:
        The line, or None when it is not known.
    """
    if key is None:
        return getattr(container, "line", None)
    if isinstance(container, YamlMap):
        return container.lines.get(key)
    if isinstance(container, YamlList) and isinstance(key, int) and 0 <= key < len(container.lines):
        return container.lines[key]
    return None


def _with_libyaml(loader: type[GuardedLoader]) -> type[GuardedLoader] | None:
    """``loader`` reading its events from libyaml (C) instead of PyYAML's Python scanner and parser.

    The composer stays the Python one with the guards above; only the events come from C, which
    makes a 50,000-code codebook compose in a seventh of the time. None without libyaml.
    """
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None

    def __init__(self: Any, stream: str) -> None:
        CParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        self._depth = 0
        self._open_anchors = set()

    # The event methods must be libyaml's: name them here, ahead of PyYAML's parser in the MRO.
    methods = {name: getattr(CParser, name) for name in ("check_event", "peek_event", "get_event", "dispose")}
    return type(f"C{loader.__name__}", (loader, CParser), {"__init__": __init__, **methods})


_FAST = {allow: _with_libyaml(GuardedLoader if allow else _StrictAliasLoader) for allow in (True, False)}


def compose_guarded(text: str, *, allow_collection_aliases: bool = True) -> Node | None:
    """``yaml.compose`` within the limits of :class:`GuardedLoader`.

    Events come from libyaml where PyYAML has it. A file that fails is read again by PyYAML's own
    parser, so the error (and its line) is worded the same with or without libyaml.

    Raises:
        yaml.YAMLError: a syntax error, or :class:`YamlShapeError` for input past the limits.
    """
    fast = _FAST[allow_collection_aliases]
    if fast is not None:
        loader = fast(text)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            pass  # read again below for PyYAML's wording of the problem
        finally:
            loader.dispose()
    loader = (GuardedLoader if allow_collection_aliases else _StrictAliasLoader)(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


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
    located: bool = False,
) -> Any:
    """Parse YAML safely (no Python objects), turning a syntax error into one line.

    Args:
        text: the YAML text.
        source: the file name to put in the message.
        error: the exception type (or factory) to raise, e.g. ``ServiceError``.
        message: what to say after the location.
        located: build :class:`YamlMap` / :class:`YamlList` (plain dict and list subclasses that
            know their lines, see :func:`line_of`) instead of dict and list.

    Returns:
        The parsed data; None for an empty document.

    Raises:
        Exception: of the type ``error``, with the message ``source:line: message``; input
            nested past :data:`MAX_NESTING` or with an alias cycle says so instead.
    """
    loader = (_LocatedLoader if located else GuardedLoader)(text)
    try:
        return loader.get_single_data()
    except YamlShapeError as exc:
        raise error(f"{yaml_location(source, exc)}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise error(f"{yaml_location(source, exc)}: {message}") from None
    except RecursionError:  # e.g. a long chain of merge keys; the limits above catch the usual shapes
        raise error(f"{source}: the YAML is nested too deeply to read") from None
    finally:
        loader.dispose()
