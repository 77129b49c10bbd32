"""Codebook YAML: validation with file:line:column, and lossless round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from codebench.domain.codebook import CodebookError, dump_codebook, parse_codebook

REPO = Path(__file__).resolve().parents[3]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"


def problems(text: str) -> list[str]:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "bok.yaml")
    return [str(p) for p in info.value.problems]


def test_hybrid_codebook_is_valid():
    book = parse_codebook(HYBRID.read_text(encoding="utf-8"), str(HYBRID))
    top = [n.name for n in book.roots]
    assert top[:4] == ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver"]
    for root in book.roots[:4]:
        codes = [n for n, _ in root.walk() if n.kind == "code"]
        assert 6 <= len(codes) <= 12, root.name
    assert any(n.core for n in book.categories())


def test_syntax_error_names_line_and_column():
    found = problems("name: x\ncategories:\n  - name: a\n   codes: [\n")
    assert len(found) == 1 and found[0].startswith("bok.yaml:4:") and "YAML syntax" in found[0]


def test_every_problem_is_reported_with_its_line():
    text = (
        "name: Test\n"                       # 1
        "version: 1\n"                       # 2
        "categories:\n"                      # 3
        "  - name: mentor\n"                 # 4
        "    colour: blue\n"                 # 5
        "    codes:\n"                       # 6
        "      - name: tid\n"                # 7
        "        shortcut: tt\n"             # 8
        "        origin: guessed\n"          # 9
        "        colur: '#ffffff'\n"         # 10
        "      - name: Tid\n"                # 11
        "      - description: no name\n"     # 12
        "  - name: veileder\n"               # 13
        "    codes: not-a-list\n"            # 14
    )
    found = problems(text)
    joined = "\n".join(found)
    assert "bok.yaml:5:13: colour 'blue'" in joined
    assert "bok.yaml:8:19: shortcut 'tt'" in joined
    assert "bok.yaml:9:17: origin 'guessed'" in joined
    assert "bok.yaml:10:9: unknown key 'colur'" in joined
    assert "bok.yaml:11:1: name 'Tid' is already used on line 7" in joined
    assert "bok.yaml:12:9: code without a name" in joined
    assert "bok.yaml:14:12: 'codes' must be a list" in joined
    assert found == sorted(found, key=lambda p: (int(p.split(":")[1]), int(p.split(":")[2])))


def test_duplicate_keys_and_empty_file():
    assert any("appears twice" in p for p in problems("name: a\nname: b\ncategories: []\n"))
    assert problems("") == ["bok.yaml:1:1: the file is empty"]
    assert any("unsupported schema version" in p for p in problems("name: a\nversion: 7\ncategories: []\n"))


def test_dump_then_parse_is_lossless():
    book = parse_codebook(HYBRID.read_text(encoding="utf-8"))
    text = dump_codebook(book)
    again = parse_codebook(text)
    strip = lambda b: [(n.kind, n.name, n.description, n.inclusion, n.exclusion, n.examples, n.colour, n.shortcut, n.origin, n.core, n.memo, len(n.children)) for n, _ in b.walk()]
    assert strip(again) == strip(book)
    assert dump_codebook(again) == text
