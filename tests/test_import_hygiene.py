"""What a few entry statements load: the UI stays optional, the domain core stays pure, and the
CLI does not pay for spaCy or Textual on every command.

The arrows between rooms are checked statically in ``test_layers.py``; this test runs the real
imports in a fresh interpreter, so it also sees what third-party packages drag in.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

UI = ("textual", "rich")
HEAVY = ("spacy", "docx", "openpyxl")

#: (statement, modules it must not load)
STATEMENTS = [
    ("import codebench.cli", (*UI, *HEAVY)),
    ("import codebench.services", (*UI, *HEAVY, "click")),
    ("import codebench.storage.store, codebench.storage.documents, codebench.storage.codings", (*UI, "spacy", "click")),
    ("import codebench.domain.records, codebench.domain.code_tree, codebench.domain.matrix, codebench.domain.agreement, "
     "codebench.domain.codebook, codebench.domain.spans", (*UI, *HEAVY, "sqlalchemy", "click", "alembic")),
    ("import codebench.ingest.vtt, codebench.ingest.text, codebench.ingest.speakers", (*UI, "sqlalchemy", "spacy")),
    ("import codebench.export.refi, codebench.export.tidy_csv, codebench.export.markdown", (*UI, "sqlalchemy", "spacy")),
    ("import codebench.anonymise.pseudonyms", (*UI, "sqlalchemy")),
]


@pytest.mark.parametrize(("statement", "unwanted"), STATEMENTS, ids=[s.split(",")[0].removeprefix("import ") for s, _ in STATEMENTS])
def test_statement_loads_only_what_it_needs(statement, unwanted):
    code = f"import sys; {statement}; print(' '.join(m for m in {unwanted!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-800:]
    assert result.stdout.strip() == "", f"{statement!r} loaded {result.stdout.strip()}"
