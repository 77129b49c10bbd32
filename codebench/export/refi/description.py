"""codebench's code fields in a REFI-QDA Description, and back.

The standard gives a code one Description; codebench's definitions have more parts. They are
written as labelled paragraphs, readable in any tool, and read back only from codebench files.
"""

from __future__ import annotations

from typing import Any, Sequence

_SECTIONS = (("inclusion", "Include: "), ("exclusion", "Exclude: "), ("examples", "Example: "), ("memo", "Memo: "),
             ("origin", "Origin: "), ("core", "Core category: "), ("shortcut", "Shortcut: "))
_ORIGINS = ("codebook", "open", "in-vivo")


def compose_description(description: str | None, *, inclusion: str | None = None, exclusion: str | None = None,
                        examples: Sequence[str] = (), memo: str | None = None, origin: str = "codebook",
                        core: bool = False, shortcut: str | None = None) -> str | None:
    """One Description text holding every part of a codebench code definition."""
    parts = [description] if description else []
    if inclusion:
        parts.append(f"Include: {inclusion}")
    if exclusion:
        parts.append(f"Exclude: {exclusion}")
    parts.extend(f"Example: {example}" for example in examples)
    if memo:
        parts.append(f"Memo: {memo}")
    if origin and origin != "codebook":
        parts.append(f"Origin: {origin}")
    if core:
        parts.append("Core category: yes")
    if shortcut:
        parts.append(f"Shortcut: {shortcut}")
    return "\n\n".join(parts) or None


def parse_description(text: str | None) -> dict[str, Any]:
    """The code fields of a Description written by :func:`compose_description`."""
    fields: dict[str, Any] = {"description": None, "inclusion": None, "exclusion": None, "examples": [],
                              "memo": None, "origin": "codebook", "core": False, "shortcut": None}
    if not text:
        return fields
    sections: list[tuple[str, list[str]]] = [("description", [])]
    for paragraph in text.split("\n\n"):
        for key, prefix in _SECTIONS:
            if paragraph.startswith(prefix):
                sections.append((key, [paragraph[len(prefix):]]))
                break
        else:
            sections[-1][1].append(paragraph)
    for key, paragraphs in sections:
        value = "\n\n".join(paragraphs)
        if key == "examples":
            fields["examples"].append(value)
        elif key == "core":
            fields["core"] = value.strip().lower() == "yes"
        elif key == "origin":
            fields["origin"] = value.strip() if value.strip() in _ORIGINS else "codebook"
        elif key == "shortcut":
            fields["shortcut"] = value.strip()[:1] or None
        elif paragraphs:
            fields[key] = value
    return fields
