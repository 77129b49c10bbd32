"""Markdown text: pseudonyms keep their brackets, while links, emphasis and HTML stay characters."""

from __future__ import annotations

import pytest

from codebench.export.markdown import inline


@pytest.mark.parametrize(("text", "written"), [
    ("[Person 5] sa at [Sted 2] var fint", "[Person 5] sa at [Sted 2] var fint"),
    ("det var *veldig* bra", r"det var \*veldig\* bra"),
    ("[lenke](http://eksempel.no)", r"[lenke\](http://eksempel.no)"),
    ("![bilde](x.png)", r"![bilde\](x.png)"),
    ("[a][b] og [c]: d og [e]{.f}", r"[a\][b] og [c\]: d og [e\]{.f}"),
    ("<b>fet</b>", r"\<b\>fet\</b\>"),
])
def test_inline_escapes_markup_but_not_pseudonym_brackets(text, written):
    assert inline(text) == written
