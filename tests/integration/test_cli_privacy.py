"""What the command line prints follows the anonymisation, as the exports do.

After `anonymise --auto` the terminal shows the anonymised rendition (quotes in every format,
show, documents, log, stats, codes, error messages); `--original` shows names only to a coder the
project allows, and `anonymise allow/deny` is obeyed by every command. Output is scanned for the
gold identifiers of the sample corpus that the rendition has replaced everywhere.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation
from tests.privacy_scan import occurs

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "corpora" / "sample" / "gold" / "identifiers"


def _cli(*args: object, coder: str | None = None, ok: bool = True):
    env = {"CODEBENCH_CODER": coder} if coder else {"CODEBENCH_CODER": ""}
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    if ok:
        assert result.exit_code == 0, (args, result.output, result.stderr)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def auto(sample_project_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project after `anonymise --auto` (rules and names; some suggestions left open)."""
    folder = tmp_path_factory.mktemp("cli-privacy") / "demo"
    shutil.copytree(sample_project_dir, folder)
    _cli("anonymise", folder, "--auto", "--no-model")
    return folder


@pytest.fixture(scope="module")
def replaced_forms(auto: Path) -> set[str]:
    """Gold identifiers (names in the text, in the file names, participant sites) that occur in no
    anonymised rendition: whatever prints them has bypassed the anonymisation."""
    forms: set[str] = set()
    for path in GOLD.glob("*.json"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        forms |= {s["text"] for s in gold["spans"] if s.get("direct")}
        forms |= {i["text"] for i in gold.get("file_name_identifiers", [])}
    project = services.open_project(auto)
    try:
        renditions = "\n".join(anonymisation.rendition(project, d.id).text for d in services.list_documents(project))
    finally:
        project.close()
    kept = {f for f in forms if len(f) >= 3 and not occurs(f, renditions)}
    assert len(kept) >= 20, f"too few replaced identifiers to make the scan mean anything: {sorted(kept)}"
    return kept


def _leaks(text: str, forms: set[str]) -> list[str]:
    return sorted(f for f in forms if occurs(f, text))


def _outputs(project: Path, *extra: str, coder: str | None = None, ok: bool = True) -> dict[str, str]:
    """stdout and stderr of every command that prints transcript text, names or document names."""
    doc_ids = [str(i) for i in range(1, 15)]
    commands = [
        ("quotes", project), ("quotes", project, "--format", "csv"), ("quotes", project, "--format", "json"),
        ("quotes", project, "--category", "mentor"), ("documents", project), ("memos", project),
        ("memos", project, "--format", "json"),
        # a common word's hits carry context from nearly every turn of every transcript
        ("search", project, "og", "--width", "80"), ("search", project, "mentor*", "--format", "json"),
        *[("show", project, doc) for doc in doc_ids],
    ]
    seen = {}
    for command in commands:
        result = _cli(*command, *extra, coder=coder, ok=ok)
        seen[" ".join(str(c) for c in command)] = result.stdout + "\n" + result.stderr
    return seen


def test_after_auto_every_command_prints_the_rendition(auto: Path, replaced_forms: set[str]) -> None:
    printed = _outputs(auto)
    for command in (("log", auto), ("stats", auto), ("codes", auto), ("agreement", auto, "--coders", "ingrid,per"),
                    ("disagreements", auto, "--coders", "ingrid,per")):
        result = _cli(*command)
        printed[command[0]] = result.stdout + result.stderr
    leaks = {command: found for command, text in printed.items() if (found := _leaks(text, replaced_forms))}
    assert not leaks, leaks
    # what is shown is not called anonymised while suggestions are open: the note says so, on stderr
    quotes = _cli("quotes", auto, "--format", "csv")
    assert "not fully anonymised" in quotes.stderr and "suggestion" in quotes.stderr
    assert "not fully anonymised" not in quotes.stdout


def test_a_provoked_error_names_no_one(auto: Path, replaced_forms: set[str]) -> None:
    for args in (("code", auto, "1", "--start", "0", "--end", "99999999", "--code", "tidspress", "--coder", "ingrid"),
                 ("code", auto, "Intervju Kristine Holm runde 1", "--start", "5", "--end", "2", "--code", "tidspress",
                  "--coder", "ingrid")):
        result = _cli(*args, ok=False)
        assert result.exit_code != 0 and result.stderr.startswith("codebench: ")
        assert "document " in result.stderr
        # the second command names the document itself; nothing else may add a name
        assert not _leaks(result.stderr.replace("Intervju Kristine Holm runde 1", ""), replaced_forms), result.stderr


def test_original_shows_names_and_deny_takes_them_away(sample_project_dir: Path, tmp_path: Path,
                                                       replaced_forms: set[str]) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(sample_project_dir, folder)
    _cli("anonymise", folder, "--auto", "--no-model")
    # No viewer list: whoever asks for the original sees it (a one-person project).
    originals = "\n".join(_outputs(folder, "--original").values())
    assert len(_leaks(originals, replaced_forms)) >= 20, "--original shows no names: the scan above proves nothing"

    _cli("anonymise", "allow", folder, "ingrid", coder="ingrid")
    allowed = "\n".join(_outputs(folder, "--original", coder="ingrid").values())
    assert _leaks(allowed, replaced_forms)
    for coder in ("per", None):
        for command in (("quotes", folder, "--original"), ("show", folder, "1", "--original"),
                        ("documents", folder, "--original"), ("anonymise", folder, "--list")):
            refused = _cli(*command, coder=coder, ok=False)
            assert refused.exit_code != 0, (coder, command, refused.output)
            assert "may not see original names" in refused.stderr
            assert not _leaks(refused.output + refused.stderr, replaced_forms)
    listing = _cli("anonymise", folder, "--list", coder="ingrid")
    assert _leaks(listing.stdout, replaced_forms), "the review list of an allowed coder shows what it asks about"

    _cli("anonymise", "deny", folder, "ingrid", coder="ingrid")
    denied = _cli("show", folder, "1", "--original", coder="ingrid", ok=False)
    assert denied.exit_code != 0 and "may not see original names" in denied.stderr
    plain = "\n".join(_outputs(folder, coder="ingrid").values())
    assert not _leaks(plain, replaced_forms)


def test_before_detection_the_terminal_says_names_are_shown(sample_project_dir: Path) -> None:
    result = _cli("quotes", sample_project_dir, "--category", "mentor")
    assert "not anonymised" in result.stderr and "names are shown as written" in result.stderr
    assert "not anonymised" not in result.stdout
