"""The codebook: a tree of categories and codes, read from and written to YAML.

The YAML schema is documented in ``codebooks/README.md``. Loading reports *every* problem it
finds, each with ``file:line:column``, so that a researcher can fix a hand-edited codebook in
one pass. Writing produces the same schema, so load → dump → load is lossless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml

from codebench.domain.yaml_source import YamlShapeError, compose_guarded, yaml_position
from codebench.errors import CodebookError

SCHEMA_VERSION = 1
ORIGINS = ("codebook", "open", "in-vivo")
IN_VIVO_NAME_LENGTH = 80
"""Longest name :func:`in_vivo_name` gives: a phrase, short enough to read in the code tree
(well inside the 200-character limit of any code name)."""
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHORTCUT = re.compile(r"^[a-z0-9]$")

_CATEGORY_KEYS = {"name", "id", "description", "colour", "core", "memo", "categories", "codes"}
_CODE_KEYS = {
    "name", "id", "description", "inclusion", "exclusion", "example", "examples", "colour",
    "shortcut", "origin", "memo",
}
_TOP_KEYS = {"name", "version", "description", "anonymisation", "categories", "codes"}


@dataclass
class CodebookNode:
    """A category (which may hold sub-categories and codes) or a code (a leaf)."""

    kind: str  # "category" | "code"
    name: str
    id: str | None = None
    description: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    examples: list[str] = field(default_factory=list)
    colour: str | None = None
    shortcut: str | None = None
    origin: str = "codebook"
    core: bool = False
    memo: str | None = None
    children: list[CodebookNode] = field(default_factory=list)
    line: int | None = None  # 1-based line in the YAML file it came from

    def walk(self) -> Iterator[tuple[CodebookNode, CodebookNode | None]]:
        """Yield ``(node, parent)`` for this node and all below it, depth first."""
        stack: list[tuple[CodebookNode, CodebookNode | None]] = [(self, None)]
        while stack:
            node, parent = stack.pop()
            yield node, parent
            stack.extend((child, node) for child in reversed(node.children))


@dataclass
class Codebook:
    """A whole codebook: a name, a description and top-level categories (and loose codes)."""

    name: str
    description: str | None = None
    roots: list[CodebookNode] = field(default_factory=list)
    anonymisation: str | None = None
    """Set in a file written as the anonymised rendition: the project's anonymisation state then
    (names and texts in it may be pseudonyms, not the project's own words); None in an original."""

    def walk(self) -> Iterator[tuple[CodebookNode, CodebookNode | None]]:
        """Yield ``(node, parent)`` for every node of the tree, depth first, in file order."""
        for root in self.roots:
            yield from root.walk()

    def codes(self) -> list[CodebookNode]:
        """All codes (leaves), in file order."""
        return [n for n, _ in self.walk() if n.kind == "code"]

    def categories(self) -> list[CodebookNode]:
        """All categories, in file order."""
        return [n for n, _ in self.walk() if n.kind == "category"]


@dataclass(frozen=True)
class CodebookProblem:
    """One problem found while loading a codebook."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"




class _Reader:
    """Walks a composed YAML node tree, collecting problems with their positions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[CodebookProblem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(CodebookProblem(self.file, mark.line + 1, mark.column + 1, message))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping (key: value lines)")
            return None
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, f"{what}: keys must be plain words")
                continue
            if key in result:
                self.problem(key_node, f"{what}: key {key!r} appears twice")
                continue
            result[key] = (key_node, value_node)
        return result

    def text(self, node: yaml.Node, what: str, *, required: bool = False) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be text")
            return None
        if node.tag == "tag:yaml.org,2002:null" or (node.value == "" and node.style is None):
            if required:
                self.problem(node, f"{what} must not be empty")
            return None
        value = str(node.value).strip()
        if required and not value:
            self.problem(node, f"{what} must not be empty")
            return None
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.value.lower() in {"true", "false", "yes", "no"}:
            return node.value.lower() in {"true", "yes"}
        self.problem(node, f"{what} must be true or false")
        return False

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list (lines starting with '- ')")
            return []
        return list(node.value)

    def node(self, node: yaml.Node, kind: str) -> CodebookNode | None:
        what = kind
        fields = self.mapping(node, what)
        if fields is None:
            return None
        allowed = _CATEGORY_KEYS if kind == "category" else _CODE_KEYS
        for key, (key_node, _) in fields.items():
            if key not in allowed:
                hint = " (only categories have sub-categories and codes)" if key in {"codes", "categories"} else ""
                self.problem(key_node, f"unknown key {key!r} in a {kind}{hint}; allowed: {', '.join(sorted(allowed))}")
        name = None
        if "name" in fields:
            name = self.text(fields["name"][1], f"{kind} name", required=True)
        else:
            self.problem(node, f"{kind} without a name")
        result = CodebookNode(kind=kind, name=name or "", line=node.start_mark.line + 1)
        for key in ("id", "description", "inclusion", "exclusion", "memo"):
            if key in fields:
                setattr(result, key, self.text(fields[key][1], f"{key!r}"))
        if "colour" in fields:
            colour = self.text(fields["colour"][1], "'colour'")
            if colour is not None and not _COLOUR.match(colour):
                self.problem(fields["colour"][1], f"colour {colour!r} is not of the form #rrggbb")
            else:
                result.colour = colour
        if "shortcut" in fields:
            shortcut = self.text(fields["shortcut"][1], "'shortcut'")
            if shortcut is not None and not _SHORTCUT.match(shortcut):
                self.problem(fields["shortcut"][1], f"shortcut {shortcut!r} must be one key: a-z or 0-9")
            else:
                result.shortcut = shortcut
        if "origin" in fields:
            origin = self.text(fields["origin"][1], "'origin'")
            if origin not in ORIGINS:
                self.problem(fields["origin"][1], f"origin {origin!r} must be one of {', '.join(ORIGINS)}")
            else:
                result.origin = origin
        if "example" in fields and "examples" in fields:
            self.problem(fields["examples"][0], "use either 'example' or 'examples', not both")
        if "example" in fields:
            example = self.text(fields["example"][1], "'example'")
            result.examples = [example] if example else []
        if "examples" in fields:
            for item in self.sequence(fields["examples"][1], "'examples'"):
                example = self.text(item, "an example")
                if example:
                    result.examples.append(example)
        if "core" in fields:
            result.core = self.boolean(fields["core"][1], "'core'")
        if kind == "category":
            for key, child_kind in (("categories", "category"), ("codes", "code")):
                if key in fields:
                    for item in self.sequence(fields[key][1], f"{key!r}"):
                        child = self.node(item, child_kind)
                        if child is not None:
                            result.children.append(child)
        return result


def parse_codebook(text: str, file: str = "<codebook>") -> Codebook:
    """Parse and validate codebook YAML.

    Args:
        text: the YAML text.
        file: the file name to put in problem messages.

    Raises:
        CodebookError: listing every problem found, each with line and column.
    """
    reader = _Reader(file)
    try:
        # Within limits (nesting, no alias for a list or mapping): the tree is walked recursively.
        root = compose_guarded(text, allow_collection_aliases=False)
    except YamlShapeError as exc:
        line, col = yaml_position(exc) or (1, 1)
        raise CodebookError([CodebookProblem(file, line, col, str(exc.problem))]) from None
    except RecursionError:
        raise CodebookError([CodebookProblem(file, 1, 1, "the YAML is nested too deeply to read")]) from None
    except yaml.MarkedYAMLError as exc:
        line, col = yaml_position(exc) or (1, 1)
        context = exc.context
        if context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            context += f" (from line {exc.context_mark.line + 1})"
        problem = (exc.problem or "").replace("'<stream end>'", "the end of the file")
        message = " ".join(p for p in (context, problem) if p) or "invalid YAML"
        raise CodebookError([CodebookProblem(file, line, col, f"YAML syntax: {message}")]) from None
    except yaml.YAMLError as exc:
        raise CodebookError([CodebookProblem(file, 1, 1, f"YAML syntax: {exc}")]) from None
    if root is None:
        raise CodebookError([CodebookProblem(file, 1, 1, "the file is empty")])
    fields = reader.mapping(root, "the codebook")
    if fields is None:
        raise CodebookError(reader.problems)
    for key, (key_node, _) in fields.items():
        if key not in _TOP_KEYS:
            reader.problem(key_node, f"unknown top-level key {key!r}; allowed: {', '.join(sorted(_TOP_KEYS))}")
    name = reader.text(fields["name"][1], "codebook name", required=True) if "name" in fields else None
    if "name" not in fields:
        reader.problem(root, "the codebook has no 'name'")
    if "version" in fields:
        version_node = fields["version"][1]
        if not (isinstance(version_node, yaml.ScalarNode) and version_node.value == str(SCHEMA_VERSION)):
            reader.problem(version_node, f"unsupported schema version {getattr(version_node, 'value', '?')!r}; this codebench reads version {SCHEMA_VERSION}")
    description = reader.text(fields["description"][1], "'description'") if "description" in fields else None
    anonymisation = reader.text(fields["anonymisation"][1], "'anonymisation'") if "anonymisation" in fields else None
    book = Codebook(name=name or "", description=description, anonymisation=anonymisation)
    if "categories" not in fields and "codes" not in fields:
        reader.problem(root, "the codebook has no 'categories'")
    for key, kind in (("categories", "category"), ("codes", "code")):
        if key in fields:
            for item in reader.sequence(fields[key][1], f"{key!r}"):
                node = reader.node(item, kind)
                if node is not None:
                    book.roots.append(node)
    _check_unique(book, reader, root)
    if reader.problems:
        raise CodebookError(sorted(reader.problems, key=lambda p: (p.line, p.column)))
    return book


def _check_unique(book: Codebook, reader: _Reader, root: yaml.Node) -> None:
    """Names are unique case-insensitively (codes are addressed by name); so are shortcuts."""
    names: dict[str, int] = {}
    shortcuts: dict[str, int] = {}
    ids: dict[str, int] = {}
    for node, _ in book.walk():
        line = node.line or 1
        if node.name:
            key = node.name.casefold()
            if key in names:
                reader.problems.append(CodebookProblem(reader.file, line, 1, f"name {node.name!r} is already used on line {names[key]}; names must be unique (ignoring case)"))
            else:
                names[key] = line
        if node.shortcut:
            if node.shortcut in shortcuts:
                reader.problems.append(CodebookProblem(reader.file, line, 1, f"shortcut {node.shortcut!r} is already used on line {shortcuts[node.shortcut]}"))
            else:
                shortcuts[node.shortcut] = line
        if node.id:
            if node.id in ids:
                reader.problems.append(CodebookProblem(reader.file, line, 1, f"id {node.id!r} is already used on line {ids[node.id]}"))
            else:
                ids[node.id] = line


def _node_to_dict(node: CodebookNode) -> dict[str, Any]:
    data: dict[str, Any] = {"name": node.name}
    if node.id:
        data["id"] = node.id
    for key in ("description", "inclusion", "exclusion"):
        value = getattr(node, key)
        if value:
            data[key] = value
    if node.examples:
        if len(node.examples) == 1:
            data["example"] = node.examples[0]
        else:
            data["examples"] = list(node.examples)
    if node.colour:
        data["colour"] = node.colour
    if node.kind == "code":
        if node.shortcut:
            data["shortcut"] = node.shortcut
        if node.origin != "codebook":
            data["origin"] = node.origin
    else:
        if node.core:
            data["core"] = True
    if node.memo:
        data["memo"] = node.memo
    if node.kind == "category":
        subcats = [_node_to_dict(c) for c in node.children if c.kind == "category"]
        codes = [_node_to_dict(c) for c in node.children if c.kind == "code"]
        if subcats:
            data["categories"] = subcats
        if codes:
            data["codes"] = codes
    return data


class _Dumper(yaml.SafeDumper):
    """Block style, long text folded as literal blocks, keys kept in schema order."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_codebook(book: Codebook) -> str:
    """Serialise a codebook to YAML text in the documented schema."""
    data: dict[str, Any] = {"name": book.name, "version": SCHEMA_VERSION}
    if book.description:
        data["description"] = book.description
    if book.anonymisation:
        data["anonymisation"] = book.anonymisation
    cats = [_node_to_dict(n) for n in book.roots if n.kind == "category"]
    codes = [_node_to_dict(n) for n in book.roots if n.kind == "code"]
    if cats:
        data["categories"] = cats
    if codes:
        data["codes"] = codes
    header = "# codebench codebook — schema: codebooks/README.md\n"
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# Quotation marks, sentence punctuation and dialogue dashes around the selected words belong to
# the transcript, not to the informant's phrase. Brackets are kept: "(ler)" is half a pair.
_IN_VIVO_TRIM = " .,;:!?…\"'«»“”„‘’‚‹›-–—"


def in_vivo_name(text: str, max_length: int = IN_VIVO_NAME_LENGTH) -> str:
    """The name of an in-vivo code made from the selected words, the same in CLI and workbench.

    White space (line breaks included) is folded to single spaces, surrounding quotation
    marks, punctuation and dashes are stripped, and a long selection is cut after its last
    whole word that fits (a single word longer than the limit is cut at the limit).

    Args:
        text: the selected words as they stand in the transcript.
        max_length: the longest name to give.

    Returns:
        The code name; empty when the selection holds no words.
    """
    name = " ".join(text.split()).strip(_IN_VIVO_TRIM)
    if len(name) <= max_length:
        return name
    # One character more than fits: if it is a space, the word before it still fits whole.
    head = name[: max_length + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else name[:max_length]
    return cut.strip(_IN_VIVO_TRIM)
