"""The command line as a user types it: happy path, and one clear line for every mistake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main

REPO = Path(__file__).resolve().parents[2]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_the_issue_walkthrough(tmp_path: Path):
    study = tmp_path / "mystudy"
    run("init", study)
    interviews = tmp_path / "intervjuer"
    interviews.mkdir()
    (interviews / "m1.txt").write_text("I: Hvordan er det å være mentor?\nR: Det er mye tidspress, men jeg liker det.\n", encoding="utf-8")
    (interviews / "m2.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:03.000\n<v S01>Hvordan gikk det?\n\n00:03.000 --> 00:06.000\n<v S02>Det gikk fint.\n", encoding="utf-8")
    out = run("import", study, interviews / "m1.txt", interviews / "m2.vtt", "--role", "mentor", "--round", "1").output
    assert "2 document(s) imported" in out
    run("codebook", "load", study, HYBRID)
    text = services.get_document(services.open_project(study), "m1").text
    start = text.index("Det er mye")
    end = text.index(", men") + len(", men")
    out = run("code", study, "m1", "--start", start, "--end", end, "--code", "tidspress", "--coder", "ingrid").output
    assert "coded" in out
    run("code", study, "m1", "--start", start, "--end", end, "--code", "tid og ressurser", "--coder", "ingrid")
    quotes = run("quotes", study, "--category", "mentor").output
    assert "«Det er mye tidspress, men»" in quotes and "1 quote(s)" in quotes
    stats = run("stats", study).output
    assert "documents     2" in stats and "codings       2" in stats
    exported = tmp_path / "codebook.yaml"
    run("codebook", "export", study, "-o", exported, "--original")  # the file that loads back exactly
    assert "name: tidspress" in exported.read_text(encoding="utf-8")
    other = tmp_path / "other"
    run("init", other)
    run("codebook", "load", other, exported)
    assert run("codebook", "export", other, "--original").stdout == exported.read_text(encoding="utf-8")
    assert "m1" in run("documents", study).output
    assert "R: Det er mye tidspress" in run("show", study, "m1").output
    csv_out = run("quotes", study, "--format", "csv").stdout  # the state note goes to stderr
    assert csv_out.splitlines()[0].startswith("code,category,coder")


@pytest.mark.parametrize("args, message", [
    (["import", "{p}", "{tmp}/missing.txt"], "missing.txt: no such file"),
    (["import", "{p}", "{tmp}/empty.txt"], "empty.txt: the file is empty"),
    (["codebook", "load", "{p}", "{tmp}/broken.yaml"], "broken.yaml:3:1: YAML syntax: while parsing a flow node expected the node content, but found the end of the file"),
    (["code", "{p}", "nope", "--start", "0", "--end", "3", "--code", "x", "--coder", "a"], "no document 'nope'"),
    (["quotes", "{tmp}/not-a-project"], "not a codebench project"),
    (["import", "{p}", "{tmp}/empty.txt", "--role", "boss"], "empty.txt"),
    (["code", "{p}", "a", "--start", "0", "--end", "3", "--code", "x"], "--coder"),
])
def test_user_mistakes_give_one_line_and_exit_1(tmp_path: Path, args, message, monkeypatch):
    monkeypatch.delenv("CODEBENCH_CODER", raising=False)
    services.init_project(tmp_path / "p").close()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.yaml").write_text("name: x\ncategories: [\n", encoding="utf-8")
    argv = [a.format(p=tmp_path / "p", tmp=tmp_path) for a in args]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_console_script_runs_in_a_real_process(tmp_path: Path):
    """The installed entry point, as the README's commands use it, prints errors without tracebacks."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "codebench", "stats", str(tmp_path / "nothing")],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("codebench: ") and "Traceback" not in result.stderr
    help_text = subprocess.run([sys.executable, "-m", "codebench", "--help"], capture_output=True, text=True).stdout
    for command in ("init", "import", "codebook", "code", "quotes", "stats"):
        assert f"  {command}" in help_text


def test_in_vivo_code_is_named_after_the_words(tmp_path: Path):
    project = services.init_project(tmp_path / "p")
    path = tmp_path / "a.txt"
    path.write_text("I: Hva er viktigst?\nR: Å være der når det brenner, liksom.\n", encoding="utf-8")
    services.import_files(project, [path])
    text = services.get_document(project, "a").text
    start = text.index("Å være")
    end = text.index(", liksom")
    run("code", tmp_path / "p", "a", "--start", start, "--end", end, "--in-vivo", "--coder", "ingrid")
    (code,) = [c for c in services.code_tree(project) if c.origin == "in-vivo"]
    assert code.name == "Å være der når det brenner"


def test_in_vivo_name_folds_white_space_as_the_workbench_does(tmp_path: Path):
    # The same selection must give the same code from the CLI and from the workbench's `v`.
    from codebench.domain.codebook import in_vivo_name

    project = services.init_project(tmp_path / "p")
    path = tmp_path / "b.txt"
    path.write_text("R: «Vi   sto\nalene», sa hun.\n", encoding="utf-8")
    services.import_files(project, [path])
    text = services.get_document(project, "b").text
    start, end = text.index("«"), text.index(",")
    run("code", tmp_path / "p", "b", "--start", start, "--end", end, "--in-vivo", "--coder", "ingrid")
    (code,) = [c for c in services.code_tree(project) if c.origin == "in-vivo"]
    assert code.name == "Vi sto alene" == in_vivo_name(text[start:end])
