"""The matrix counts distinct passages (#16 item 8): the same words coded by two coders count once and
show once, `--coder` counts one coder's, and every export and the terminal say which."""

from __future__ import annotations

import csv

import openpyxl
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from tests.conftest import review_everything
from tests.privacy_scan import read_back


def _two_coders(project: services.Project) -> None:
    """ingrid and per code the same answer (per a little wider), per one more; ingrid another code."""
    text = services.get_document(project, "kari").text
    answer = text.index("Altfor lite tid")
    end = text.index("veien.") + len("veien.")
    services.apply_code(project, "kari", answer, end, "tid og ressurser", "ingrid")
    services.apply_code(project, "kari", answer - 3, end, "tid og ressurser", "per")
    first = text.index("Lederen spurte")
    services.apply_code(project, "kari", first, first + 14, "tid og ressurser", "per")
    services.apply_code(project, "kari", first, first + 14, "god mentor", "ingrid")
    review_everything(project)


def _cli(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": ""})
    assert result.exit_code == 0, result.output
    return result


def test_matrix_counts_each_passage_once_and_says_so(coded_project, tmp_path):
    _two_coders(coded_project)
    root = coded_project.root
    done = _cli("export", "matrix", root, "-o", tmp_path / "m.xlsx")
    assert "3 passage(s)" in done.stdout and "counted: distinct passages, all coders" in done.stdout
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    counts = {row[2]: row[-1] for row in book["Antall"].iter_rows(min_row=2, values_only=True) if row[2]}
    assert counts["tid og ressurser"] == 2 and counts["god mentor"] == 1  # 3 codings of «tid og ressurser», 2 passages
    about = dict(book["Om eksporten"].iter_rows(values_only=True))
    assert about["Telling"] == "distinkte passasjer, alle kodere" and about["Passasjer"] == "3"
    cell = next(v for row in book["mentor"].iter_rows(min_row=2, values_only=True) for v in row[2:]
                if v and "Altfor lite tid" in v)
    assert cell.count("Altfor lite tid") == 1 and cell.count("«") == 2  # the answer once, not once per coder

    _cli("export", "matrix", root, "-o", tmp_path / "m.csv")
    with open(tmp_path / "m.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    shared = [r for r in rows if "Altfor lite tid" in r["text"]]
    assert len(shared) == 1 and shared[0]["coder"] == "ingrid, per"
    assert shared[0]["start"] == str(services.get_document(coded_project, "kari").text.index("Altfor lite tid") - 3)

    per = _cli("export", "matrix", root, "--coder", "per", "--counts-only", "-o", tmp_path / "per.md")
    assert "2 passage(s) counted" in per.stdout and "counted: distinct passages, coder per" in per.stdout
    assert "- Telling: distinkte passasjer, koder per" in (tmp_path / "per.md").read_text(encoding="utf-8")

    _cli("export", "matrix", root, "-o", tmp_path / "m.html")
    html = read_back(tmp_path / "m.html")
    assert "distinkte passasjer, alle kodere" in html and "tid og ressurser · mentor: 2" in html
