"""A coder who may not see original names reads and gives character positions in the anonymised
text: the original's positions beside the rendition would tell each name's length."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation

NAME = "Kristine Holm"  # detected and accepted in the reviewed sample


@pytest.fixture(scope="module")
def project_dir(reviewed_sample_dir, tmp_path_factory):
    """The reviewed sample where only 'ingrid' may see originals."""
    folder = tmp_path_factory.mktemp("positions") / "demo"
    shutil.copytree(reviewed_sample_dir, folder)
    project = services.open_project(folder)
    try:
        anonymisation.set_original_viewer(project, "ingrid", True)
        doc = next(d for d in services.list_documents(project) if NAME in services.get_document(project, d.id).text)
    finally:
        project.close()
    return folder, doc.id


def run(*args, coder="ola"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": coder})


def _turns(output: str) -> list[tuple[int, int, str]]:
    found = re.findall(r"^turn \d+ \[(\d+), (\d+)\) (.*)$", output, flags=re.M)
    return [(int(s), int(e), text) for s, e, text in found]


def test_show_offsets_fit_the_text_shown_to_a_coder_kept_from_names(project_dir):
    folder, doc_id = project_dir
    shown = run("show", folder, doc_id, "--offsets")
    assert shown.exit_code == 0, shown.output
    turns = _turns(shown.stdout)
    assert turns and NAME not in shown.stdout
    # Each turn's range is exactly as long as its printed words: nothing tells how long a name was.
    named = [t for t in turns if "[" in t[2]]
    assert named and all(end - start == len(text) for start, end, text in turns if "\n" not in text)
    # The coder allowed names keeps the original's positions (which import-codings and REFI use).
    original = _turns(run("show", folder, doc_id, "--offsets", "--original", coder="ingrid").stdout)
    assert NAME in "".join(t[2] for t in original)
    assert any(o[1] - o[0] != s[1] - s[0] for o, s in zip(original, turns))


def test_a_span_given_in_the_rendition_codes_the_words_shown(project_dir, tmp_path):
    folder, doc_id = project_dir
    copy = tmp_path / "demo"
    shutil.copytree(folder, copy)
    turns = _turns(run("show", copy, doc_id, "--offsets").stdout)
    start, end, text = next(t for t in turns if "[" in t[2])
    pseudonym = re.search(r"\[[^\]]+\]", text)
    assert pseudonym
    # From two words before the pseudonym to its middle: the whole name is coded, not half of it.
    first = start + max(text.rfind(" ", 0, max(pseudonym.start() - 1, 0)), 0)
    cut = start + (pseudonym.start() + pseudonym.end()) // 2
    coded = run("code", copy, doc_id, "--start", first, "--end", cut, "--code", "posisjonstest")
    assert coded.exit_code == 0, coded.output
    shown_start, shown_end = map(int, re.search(r"coded \[(\d+), (\d+)\)", coded.stdout).groups())
    assert (shown_start, shown_end) == (first, start + pseudonym.end())
    project = services.open_project(copy)
    try:
        uuid = coded.stdout.strip().rsplit(": ", 1)[1]
        coding = next(c for c in services.codings(project, doc_id) if c.uuid == uuid)
        original = services.get_document(project, doc_id).text
        words = original[coding.start:coding.end]
    finally:
        project.close()
    assert words.endswith(original[coding.end - 1]) and not original[coding.end].isalpha()  # the name is whole
    # The coding comes back in quotes at the same places the coder gave.
    quotes = json.loads(run("quotes", copy, "--code", "posisjonstest", "--format", "json").stdout)
    assert [(q["start"], q["end"]) for q in quotes] == [(shown_start, shown_end)]
    assert NAME not in json.dumps(quotes, ensure_ascii=False)
    # Outside the text shown it is a clear error, not a coding somewhere in the original.
    beyond = run("code", copy, doc_id, "--start", 10**7, "--end", 10**7 + 5, "--code", "posisjonstest")
    assert beyond.exit_code != 0 and "anonymised text" in beyond.output


def test_search_hits_are_placed_in_the_rendition(project_dir):
    folder, doc_id = project_dir
    turns = _turns(run("show", folder, doc_id, "--offsets").stdout)
    pseudonym = re.search(r"\[([^\]]+)\]", "".join(t[2] for t in turns)).group(1)
    found = json.loads(run("search", folder, f'"{pseudonym}"', "--document", doc_id, "--format", "json").stdout)
    assert found
    for hit in found:
        start, _, text = next(t for t in turns if t[0] <= hit["start"] and hit["end"] <= t[1])
        assert hit["match"] in text[hit["start"] - start:hit["end"] - start]


def test_disagreements_are_placed_in_the_rendition_and_resolved_by_that_place(project_dir, tmp_path):
    """Found by a tester: `disagreements` printed regions in the original's positions
    ("5:6402-6460" for 63 characters shown), which told the hidden name's length."""
    folder, doc_id = project_dir
    copy = tmp_path / "demo"
    shutil.copytree(folder, copy)
    turns = _turns(run("show", copy, doc_id, "--offsets").stdout)
    start, end, text = next(t for t in turns if "[" in t[2])
    for coder, code in (("per", "posisjon a"), ("ola", "posisjon b")):
        coded = CliRunner().invoke(main, ["code", str(copy), str(doc_id), "--start", str(start), "--end", str(end),
                                          "--code", code], env={"CODEBENCH_CODER": coder})
        assert coded.exit_code == 0, coded.output
    listed = run("disagreements", copy, "--coders", "per,ola")
    assert listed.exit_code == 0, listed.output
    key = next(line.split()[0] for line in listed.stdout.splitlines() if line.startswith(f"{doc_id}:"))
    assert key == f"{doc_id}:{start}-{end}", (key, start, end)  # the place `show --offsets` gives
    assert NAME not in listed.output
    resolved = run("resolve", copy, key, "keep-a", "--coders", "per,ola")
    assert resolved.exit_code == 0 and "resolved" in resolved.stdout, resolved.output


def test_matrix_export_places_quotes_where_the_coder_kept_from_names_reads_them(project_dir, tmp_path):
    """Found by a tester: `export matrix --columns document` wrote the original's start and end
    (270,506 where `quotes` and `show --offsets` said 279,508), which told the names' lengths."""
    folder, _ = project_dir
    shown = {(q["document"], q["code"], q["text"]): (q["start"], q["end"])
             for q in json.loads(run("quotes", folder, "--format", "json").stdout)}
    original = {(q["document"], q["code"], q["text"]): (q["start"], q["end"])
                for q in json.loads(run("quotes", folder, "--format", "json", coder="ingrid").stdout)}
    out = tmp_path / "m.csv"
    written = run("export", "matrix", folder, "--columns", "document", "-o", out)
    assert written.exit_code == 0, written.output
    with open(out, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r["document"], r["code"], r["text"]) in shown]
    assert rows
    assert NAME not in out.read_text(encoding="utf-8")
    # The places of `quotes` and `show --offsets`, not the original's (which some of them differ from).
    assert all((int(r["start"]), int(r["end"])) == shown[(r["document"], r["code"], r["text"])] for r in rows)
    assert any(shown[k] != original.get(k) for k in shown)
    # The anonymised file is the same whoever writes it (it may be handed to such a coder), as a QDPX is.
    theirs = tmp_path / "owner.csv"
    assert run("export", "matrix", folder, "--columns", "document", "-o", theirs, coder="ingrid").exit_code == 0
    assert theirs.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
