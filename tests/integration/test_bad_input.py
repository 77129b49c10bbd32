"""Bad input through the real command line: one clear line, exit code 1, the database untouched.

Every case here runs ``codebench.cli.main`` (click's runner, or a real process for a few) on a
real project file and asserts what issue #19 asks of every refusal: the exit code is not 0,
the output is exactly one line naming the file (and the line or item where there is one), no
traceback, and every row of every table is as it was before. The loaders covered: codebooks
(nesting, flow brackets, alias cycles), codings files, participants.yaml, survey files with a
repeated respondent, REFI-QDA archives and codebooks (zip bombs, XML entities, broken XML, path
traversal, missing sources), and the project database itself; ``anonymise --list`` with an exposed key.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import unicodedata
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any, Iterator, Sequence

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codebench import services
from codebench.cli import main
from codebench.domain.yaml_source import MAX_NESTING
from tests.conftest import REPO
from tests.db_dump import dump_tables

HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"
TRANSCRIPT = (
    "I: Hvordan ble du mentor?\n\nR: Lederen spurte meg, og jeg tenkte at det var en god idé.\n\n"
    "I: Hvor mye tid har du?\n\nR: Altfor lite tid, det er tidspress hele veien.\n"
)
CODE = "lederstøtte"  # a code of the hybrid-model codebook
CATEGORY = "veileder"  # a category of it
# A handful of generated cases per property: each is a CLI run on a real project (~0.1 s).
FEW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one transcript (``kari``) and the hybrid-model codebook, shared by the refusals.

    Sharing is safe because every case checks that it changed nothing.
    """
    root = tmp_path_factory.mktemp("bad-input") / "study"
    project = services.init_project(root)
    try:
        source = root.parent / "kari.txt"
        source.write_text(TRANSCRIPT, encoding="utf-8")
        report = services.import_files(project, [source], services.ParticipantSpec(role="mentor", round=1))
        assert not report.errors
        services.load_codebook(project, HYBRID)
    finally:
        project.close()
    return root


def _database(root: Path) -> Path:
    return root / "codebench.sqlite"


def refused(args: Sequence[Any], root: Path, *, names: str, line: int | None = None, item: str | None = None) -> str:
    """Run the CLI and assert a clean refusal; returns the one line.

    Args:
        args: the command line after ``codebench``.
        root: the project folder whose database must be unchanged.
        names: the file name the line must contain.
        line: the line number it must give (``file:LINE`` or ``(line LINE)``), if any.
        item: further text it must contain (``coding 3``), if any.
    """
    before = dump_tables(_database(root))
    result = CliRunner().invoke(main, [str(a) for a in args])
    output = result.output
    assert "Traceback" not in output
    assert isinstance(result.exception, SystemExit), f"uncaught {result.exception!r}: {output}"
    assert result.exit_code != 0, output
    lines = output.splitlines()
    assert len(lines) == 1, output
    message = lines[0]
    assert message.startswith("codebench: ") and names in message, message
    if line is not None:
        assert re.search(rf"{re.escape(names)}:{line}\b|\(line {line}\)", message), message
    if item is not None:
        assert item in message, message
    assert dump_tables(_database(root)) == before, f"the database changed: {message}"
    return message


def accepted(args: Sequence[Any]) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


# -- codebooks -------------------------------------------------------------------------------


def nested_categories(levels: int) -> str:
    """A codebook whose categories nest ``levels`` deep, one category each (two lines a level)."""
    lines = ["name: dyp", "categories:"]
    for i in range(levels):
        lines += ["  " * i + f"- name: nivå {i}", "  " * i + "  categories:"]
    return "\n".join(lines) + "\n"


# The root mapping is level 1, each category takes a list and a mapping: category i (from 0)
# is the mapping at level 2i + 3, on line 3 + 2i. The first one past the limit:
FIRST_TOO_DEEP = (MAX_NESTING - 3) // 2 + 1
TOO_DEEP_LINE = 3 + 2 * FIRST_TOO_DEEP


@FEW
@given(levels=st.integers(min_value=FIRST_TOO_DEEP + 1, max_value=400))
def test_deeply_nested_categories_are_one_line(study: Path, tmp_path_factory: pytest.TempPathFactory, levels: int) -> None:
    path = tmp_path_factory.mktemp("deep") / "dyp.yaml"
    path.write_text(nested_categories(levels), encoding="utf-8")
    message = refused(["codebook", "load", study, path], study, names="dyp.yaml", line=TOO_DEEP_LINE)
    assert f"nested more than {MAX_NESTING} levels" in message


def test_300_levels_of_categories(study: Path, tmp_path: Path) -> None:
    path = tmp_path / "dyp.yaml"
    path.write_text(nested_categories(300), encoding="utf-8")
    refused(["codebook", "load", study, path], study, names="dyp.yaml", line=TOO_DEEP_LINE)


def test_categories_just_inside_the_limit_load(project: services.Project, tmp_path: Path) -> None:
    path = tmp_path / "dyp.yaml"
    path.write_text(nested_categories(FIRST_TOO_DEEP), encoding="utf-8")
    root = project.root
    project.close()
    assert f"{FIRST_TOO_DEEP} added" in accepted(["codebook", "load", root, path])


@FEW
@given(brackets=st.integers(min_value=MAX_NESTING, max_value=5_000), closed=st.booleans())
def test_nested_flow_brackets_are_one_line(study: Path, tmp_path_factory: pytest.TempPathFactory,
                                           brackets: int, closed: bool) -> None:
    path = tmp_path_factory.mktemp("flow") / "klammer.yaml"
    path.write_text("name: x\ncategories: " + "[" * brackets + ("]" * brackets if closed else "") + "\n", encoding="utf-8")
    refused(["codebook", "load", study, path], study, names="klammer.yaml", line=2)


def test_50000_nested_flow_brackets(study: Path, tmp_path: Path) -> None:
    path = tmp_path / "klammer.yaml"
    path.write_text("name: x\ncategories: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    refused(["codebook", "load", study, path], study, names="klammer.yaml", line=2)


anchor_names = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)


@FEW
@given(anchor=anchor_names, depth=st.integers(min_value=0, max_value=5))
def test_an_alias_cycle_is_one_line(study: Path, tmp_path_factory: pytest.TempPathFactory, anchor: str, depth: int) -> None:
    inner = f"*{anchor}"
    for i in range(depth):
        inner = f"[{{name: n{i}, categories: {inner}}}]"
    path = tmp_path_factory.mktemp("cycle") / "sirkel.yaml"
    path.write_text(f"name: x\ncategories: &{anchor} [{{name: a, categories: {inner}}}]\n", encoding="utf-8")
    message = refused(["codebook", "load", study, path], study, names="sirkel.yaml", line=2)
    assert f"*{anchor}" in message and "cycle" in message


def test_the_issue_anchor_cycle(study: Path, tmp_path: Path) -> None:
    path = tmp_path / "sirkel.yaml"
    path.write_text("name: x\ncategories: &c [{name: a, categories: *c}]\n", encoding="utf-8")
    refused(["codebook", "load", study, path], study, names="sirkel.yaml", line=2)


def test_an_alias_repeating_a_list_of_codes_is_refused(study: Path, tmp_path: Path) -> None:
    # Aliases of aliases double at every step: a codebook may repeat text, not lists or mappings.
    path = tmp_path / "latter.yaml"
    path.write_text("name: x\ncategories:\n- name: a\n  codes: &k [{name: b}]\n- name: c\n  codes: *k\n",
                    encoding="utf-8")
    message = refused(["codebook", "load", study, path], study, names="latter.yaml", line=6)
    assert "*k" in message


# -- codings files ---------------------------------------------------------------------------


def coding_line(start: int, end: int, code: str = CODE, document: str = "kari") -> str:
    return f'- {{document: "{document}", start: {start}, end: {end}, code: "{code}"}}'


def good_codings(n: int) -> list[str]:
    """``n`` valid codings of ``kari``, one a line."""
    return [coding_line(i, i + 10) for i in range(n)]


def write_codings(folder: Path, body: str, name: str = "codings.yaml") -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


# (file body, line, item): each a refusal the issue or its neighbours found.
CODINGS_CASES = {
    "codes_created holds a number": (
        f"coder: ingrid\ncodes_created: [1]\ncodings:\n{coding_line(0, 5)}\n", 2, "codes_created item 1"),
    "a created code without a name": (
        f"coder: ingrid\ncodes_created:\n- {{category: {CATEGORY}}}\ncodings:\n{coding_line(0, 5)}\n", 3,
        "codes_created item 1"),
    "a created code under no category": (
        f"coder: ingrid\ncodes_created:\n- {{name: ny, category: finnesikke}}\ncodings:\n{coding_line(0, 5, 'ny')}\n",
        3, "no category called 'finnesikke'"),
    "an empty coder": (f'coder: ""\ncodings:\n{coding_line(0, 5)}\n', 1, "'coder' is empty"),
    "a blank coder": (f'coder: "   "\ncodings:\n{coding_line(0, 5)}\n', 1, "'coder' is empty"),
    "no coder": (f"codings:\n{coding_line(0, 5)}\n", 1, "no 'coder:'"),
    "a coder that is a list": (f"coder: [ingrid]\ncodings:\n{coding_line(0, 5)}\n", 1, "'coder' must be a name"),
    "no codings": ("coder: ingrid\ncodings: []\n", 2, "no codings"),
    "codings not a list": ("coder: ingrid\ncodings: {a: 1}\n", 2, "a list of 'codings:'"),
    "not a mapping": ("- 1\n- 2\n", 1, "expected 'coder:'"),
    "a coding that is a list": ("coder: ingrid\ncodings:\n- [1, 2]\n", 3, "coding 1"),
    "a coding without an end": ('coder: ingrid\ncodings:\n- {document: kari, start: 1, code: x}\n', 3, "end missing"),
    "a fractional position": (f"coder: ingrid\ncodings:\n{coding_line(0, 5)}\n"
                              f'- {{document: kari, start: 0, end: 5.5, code: "{CODE}"}}\n', 4, "coding 2"),
    "an unknown document": (f"coder: ingrid\ncodings:\n{coding_line(0, 5, document='finnesikke')}\n", 3,
                            "no document 'finnesikke'"),
    "an unknown code": (f"coder: ingrid\ncodings:\n{coding_line(0, 5, code='finnesikke')}\n", 3,
                        "no code called 'finnesikke'"),
    "a category as the code": (f"coder: ingrid\ncodings:\n{coding_line(0, 5, code=CATEGORY)}\n", 3, "is a category"),
    "a text that is not the document's": (
        f'coder: ingrid\ncodings:\n- {{document: kari, start: 0, end: 5, code: "{CODE}", text: "Nei"}}\n', 3,
        "is not the text in the file"),
    "an empty span": (f"coder: ingrid\ncodings:\n{coding_line(5, 5)}\n", 3, "coding 1"),
}


@pytest.mark.parametrize("case", CODINGS_CASES)
def test_a_bad_codings_file_is_one_line(study: Path, tmp_path: Path, case: str) -> None:
    body, line, item = CODINGS_CASES[case]
    path = write_codings(tmp_path, body)
    refused(["import-codings", study, path], study, names="codings.yaml", line=line, item=item)


@FEW
@given(before=st.integers(min_value=0, max_value=30), after=st.integers(min_value=0, max_value=5),
       overshoot=st.integers(min_value=1, max_value=10_000))
def test_a_span_outside_the_document_names_the_coding(study: Path, tmp_path_factory: pytest.TempPathFactory,
                                                      before: int, after: int, overshoot: int) -> None:
    length = len(TRANSCRIPT)
    lines = ["# made by another tool", "coder: ingrid", "codings:", *good_codings(before),
             coding_line(length - 3, length + overshoot), *good_codings(after)]
    path = write_codings(tmp_path_factory.mktemp("span"), "\n".join(lines) + "\n")
    n = before + 1
    message = refused(["import-codings", study, path], study, names="codings.yaml", line=3 + n,
                      item=f"coding {n} (line {3 + n})")
    assert "is not inside document" in message


@FEW
@given(line=st.integers(min_value=1, max_value=6), byte=st.sampled_from([b"\xe6", b"\xf8", b"\xff", b"\xc3(", b"\x80"]))
def test_a_codings_file_that_is_not_utf8_names_the_line(study: Path, tmp_path_factory: pytest.TempPathFactory,
                                                        line: int, byte: bytes) -> None:
    lines = ["coder: ingrid", "codings:", *good_codings(4)]
    raw = [text.encode("utf-8") for text in lines]
    raw[line - 1] = raw[line - 1].replace(b" ", b" " + byte, 1) if b" " in raw[line - 1] else raw[line - 1] + byte
    path = tmp_path_factory.mktemp("enc") / "codings.yaml"
    path.write_bytes(b"\n".join(raw) + b"\n")
    message = refused(["import-codings", study, path], study, names="codings.yaml", line=line)
    assert "not UTF-8" in message


def test_a_good_codings_file_still_imports(study: Path, tmp_path: Path) -> None:
    path = write_codings(tmp_path, "coder: kontroll\ncodings:\n" + "\n".join(good_codings(3)) + "\n")
    assert "3 coding(s) added" in accepted(["import-codings", study, path])
    assert "0 coding(s) added" in accepted(["import-codings", study, path])


# -- participants.yaml -----------------------------------------------------------------------


def import_with_participants(folder: Path, participants_yaml: str) -> Path:
    """A transcript ``m1.txt`` in ``folder`` with the given participants.yaml beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "m1.txt").write_text("I: Hei\n\nR: Hei på deg, dette er et nytt intervju.\n", encoding="utf-8")
    (folder / "participants.yaml").write_text(participants_yaml, encoding="utf-8")
    return folder / "m1.txt"


PARTICIPANTS_CASES = {
    "a role given as a mapping": ("participants:\n  V01:\n    role: {navn: veileder}\ndocuments:\n"
                                  "  m1.txt: {participant: V01}\n", 3, "role of participant V01 must be text"),
    "a role given as a list": ("participants:\n  V01: {role: [veileder]}\n", 2, "must be text"),
    "an unknown role": ("participants:\n  V01: {role: lærer}\ndocuments:\n  m1.txt: {participant: V01}\n", 2,
                        "unknown role 'lærer'"),
    "round 'to'": ('documents:\n  m1.txt:\n    participant: V01\n    round: "to"\n', 4, "round 'to'"),
    "a negative round": ("documents:\n  m1.txt: {round: -1}\n", 2, "round -1"),
    "an entry that is a list": ("participants:\n  V01: [veileder]\n", 2, "participant V01 must be a mapping"),
    "participants as a list": ("participants:\n- V01\n", 2, "'participants' must be a mapping"),
    "not a mapping": ("- V01\n", 1, "expected 'participants:'"),
    "not YAML": ("participants: [V01\n", 2, "not valid YAML"),
}


@pytest.mark.parametrize("case", PARTICIPANTS_CASES)
def test_a_bad_participants_yaml_is_one_line(study: Path, tmp_path: Path, case: str) -> None:
    body, line, item = PARTICIPANTS_CASES[case]
    transcript = import_with_participants(tmp_path / "intervjuer", body)
    refused(["import", study, transcript], study, names="participants.yaml", line=line, item=item)


@FEW
@given(word=st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=12), pad=st.integers(0, 4))
def test_a_round_that_is_not_a_number_names_its_line(study: Path, tmp_path_factory: pytest.TempPathFactory,
                                                     word: str, pad: int) -> None:
    comments = "".join(f"# kommentar {i}\n" for i in range(pad))
    body = f"{comments}participants:\n  V01: {{role: veileder}}\ndocuments:\n  m1.txt:\n    participant: V01\n" \
           f'    round: "{word}"\n'
    transcript = import_with_participants(tmp_path_factory.mktemp("rounds") / "intervjuer", body)
    message = refused(["import", study, transcript], study, names="participants.yaml", line=pad + 6)
    assert "whole number" in message


def test_a_round_written_as_text_digits_is_read(tmp_path: Path, project: services.Project) -> None:
    transcript = import_with_participants(tmp_path / "intervjuer", 'participants:\n  V01: {role: Veileder}\n'
                                          'documents:\n  m1.txt: {participant: V01, round: "2"}\n')
    root = project.root
    project.close()
    assert "V01 (veileder)" in accepted(["import", root, transcript])
    with closing(services.open_project(root)) as opened:
        assert services.list_documents(opened)[0].round == 2


# -- survey files ----------------------------------------------------------------------------


def survey_rows(ids: Sequence[Any]) -> list[list[Any]]:
    return [["id", "svar"]] + [[rid, f"Svar nummer {n}"] for n, rid in enumerate(ids, 1)]


def write_survey_csv(path: Path, rows: list[list[Any]]) -> None:
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n", encoding="utf-8")


def write_survey_xlsx(path: Path, rows: list[list[Any]]) -> None:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


@FEW
@given(count=st.integers(min_value=2, max_value=25), data=st.data())
def test_a_repeated_respondent_is_refused_alike_in_csv_and_xlsx(study: Path, tmp_path_factory: pytest.TempPathFactory,
                                                               count: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(min_value=0, max_value=count - 2), label="first")
    second = data.draw(st.integers(min_value=first + 1, max_value=count - 1), label="second")
    ids: list[Any] = [f"R{n}" for n in range(count)]
    ids[second] = ids[first]
    folder = tmp_path_factory.mktemp("survey")
    messages = []
    for suffix, writer in ((".csv", write_survey_csv), (".xlsx", write_survey_xlsx)):
        path = folder / f"dup_ids{suffix}"
        writer(path, survey_rows(ids))
        messages.append(refused(["import-survey", study, path, "--text-columns", "svar", "--id-column", "id"], study,
                                names=path.name, line=second + 2, item=f"first on line {first + 2}"))
    assert messages[0].replace(".csv", ".xlsx") == messages[1]


@pytest.mark.parametrize("ids", [
    pytest.param(["Ø1", unicodedata.normalize("NFD", "Ø1")], id="composed-and-decomposed"),
    pytest.param(["R 1", "R  1"], id="spaces"),
])
def test_ids_that_read_the_same_are_the_same_respondent(study: Path, tmp_path: Path, ids: list[Any]) -> None:
    for suffix, writer in ((".csv", write_survey_csv), (".xlsx", write_survey_xlsx)):
        path = tmp_path / f"dup_ids{suffix}"
        writer(path, survey_rows(ids))
        refused(["import-survey", study, path, "--text-columns", "svar", "--id-column", "id"], study,
                names=path.name, line=3, item="appears twice")


def test_a_spreadsheet_number_is_the_id_its_csv_export_shows(study: Path, tmp_path: Path) -> None:
    # 7 and 7.0 in a workbook are both "7" when it is saved as CSV, so both are respondent 7.
    path = tmp_path / "dup_ids.xlsx"
    write_survey_xlsx(path, survey_rows([7, 7.0]))
    message = refused(["import-survey", study, path, "--text-columns", "svar", "--id-column", "id"], study,
                      names=path.name, line=3)
    assert "respondent id '7' appears twice (first on line 2)" in message


# -- the project database itself -------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder made by ``init``, copied for every broken-database case."""
    root = tmp_path_factory.mktemp("template") / "study"
    services.init_project(root).close()
    return root


def _truncated(good: bytes) -> bytes:
    return good[:3000]


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE handleliste (vare TEXT)")
        conn.execute("INSERT INTO handleliste VALUES ('melk')")


BROKEN_DATABASES = {
    "random bytes": lambda path, good: path.write_bytes(os.urandom(8192)),
    "a text file renamed": lambda path, good: path.write_text("Intervjuliste\nKari, mentor\n", encoding="utf-8"),
    "cut off": lambda path, good: path.write_bytes(_truncated(good)),
    "empty": lambda path, good: path.write_bytes(b""),
    "another program's database": lambda path, good: (path.unlink(), _foreign_sqlite(path)),
}

PROJECT_COMMANDS = {
    "documents": ["documents", "{p}"],
    "stats": ["stats", "{p}"],
    "codes": ["codes", "{p}"],
    "show": ["show", "{p}", "kari"],
    "quotes": ["quotes", "{p}"],
    "log": ["log", "{p}"],
    "import": ["import", "{p}", "{transcript}"],
    "codebook load": ["codebook", "load", "{p}", str(HYBRID)],
    "codebook export": ["codebook", "export", "{p}"],
    "import-codings": ["import-codings", "{p}", "{codings}"],
    "code": ["code", "{p}", "kari", "--start", "0", "--end", "3", "--code", "x", "--coder", "ingrid"],
    "undo": ["undo", "{p}", "--coder", "ingrid"],
    "anonymise --list": ["anonymise", "{p}", "--list"],
    "anonymise --status": ["anonymise", "{p}", "--status"],
    "export matrix": ["export", "matrix", "{p}", "-o", "{out}"],
    "agreement": ["agreement", "{p}", "--coders", "ingrid,per"],
}


@pytest.fixture
def broken_project(request: pytest.FixtureRequest, template: Path, tmp_path: Path) -> Iterator[tuple[Path, bytes]]:
    """A copy of the template project whose database is replaced as the case says."""
    root = tmp_path / "study"
    shutil.copytree(template, root)
    database = _database(root)
    BROKEN_DATABASES[request.param](database, _database(template).read_bytes())
    yield root, database.read_bytes()


@pytest.mark.parametrize("command", PROJECT_COMMANDS)
@pytest.mark.parametrize("broken_project", BROKEN_DATABASES, indirect=True)
def test_a_broken_database_is_one_line_in_every_command(broken_project: tuple[Path, bytes], tmp_path: Path,
                                                        command: str) -> None:
    root, content = broken_project
    transcript = tmp_path / "m1.txt"
    transcript.write_text("I: Hei\n\nR: Hallo\n", encoding="utf-8")
    codings = write_codings(tmp_path, f"coder: ingrid\ncodings:\n{coding_line(0, 3)}\n")
    files_before = sorted(p.name for p in root.iterdir())
    args = [a.format(p=root, transcript=transcript, codings=codings, out=tmp_path / "m.xlsx")
            for a in PROJECT_COMMANDS[command]]
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, SystemExit) and result.exit_code != 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert lines[0].startswith(f"codebench: {_database(root)} is not a codebench database ("), lines[0]
    assert _database(root).read_bytes() == content  # not a byte written into it
    assert sorted(p.name for p in root.iterdir()) == files_before  # no -wal or -shm left behind
    assert not (tmp_path / "m.xlsx").exists()


def test_a_broken_database_in_a_real_process(template: Path, tmp_path: Path) -> None:
    root = tmp_path / "study"
    shutil.copytree(template, root)
    _database(root).write_bytes(os.urandom(4096))
    result = subprocess.run([sys.executable, "-m", "codebench", "stats", str(root)], capture_output=True, text=True,
                            timeout=120, cwd=REPO)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"codebench: {_database(root)} is not a codebench database (file is not a database); restore it from a backup "
        "or point 'database:' in codebench.yaml at the right file"]


def test_a_deep_codebook_in_a_real_process(study: Path, tmp_path: Path) -> None:
    path = tmp_path / "klammer.yaml"
    path.write_text("name: x\ncategories: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    before = dump_tables(_database(study))
    result = subprocess.run([sys.executable, "-m", "codebench", "codebook", "load", str(study), str(path)],
                            capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.fullmatch(rf"codebench: {re.escape(str(path))}:2:\d+: lists and mappings are nested more than "
                        rf"{MAX_NESTING} levels deep; codebench reads at most {MAX_NESTING}\n", result.stderr)
    assert dump_tables(_database(study)) == before


# -- the pseudonym key -----------------------------------------------------------------------


def test_anonymise_list_with_a_key_readable_by_others_exits_1(project: services.Project, tmp_path: Path) -> None:
    source = tmp_path / "k1.txt"
    source.write_text("I: Hei Kari Nordmann fra Oslo\n\nR: Hei, jeg heter Per Hansen og bor i Bergen.\n",
                      encoding="utf-8")
    assert not services.import_files(project, [source], services.ParticipantSpec(role="mentor")).errors
    root = project.root
    project.close()
    accepted(["anonymise", root, "--no-model", "--coder", "ingrid"])
    key = Path(re.search(r"pseudonym key: (\S+)", accepted(["anonymise", "key", "show", root])).group(1))
    assert "Kari Nordmann" in accepted(["anonymise", root, "--list"])
    key.chmod(0o644)
    try:
        message = refused(["anonymise", root, "--list"], root, names=key.name)
        assert "readable by others" in message and "Kari" not in message
    finally:
        key.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert "Kari Nordmann" in accepted(["anonymise", root, "--list"])


# -- REFI-QDA archives (.qdpx) and codebooks (.qdc) ----------------------------------------------

GUID = ["cccccccc-0000-4000-8000-%012d" % n for n in range(10)]
QDE_NS = 'xmlns="urn:QDA-XML:project:1.0"'
QDC_NS = 'xmlns="urn:QDA-XML:codebook:1.0"'


def qde(source_path: str | None = None, end: int = 3) -> str:
    """A small REFI project: one code, one text source with one coded selection."""
    path = source_path or f"internal://{GUID[3]}.txt"
    return (f'<?xml version="1.0" encoding="utf-8"?><Project {QDE_NS} name="fremmed">'
            f'<CodeBook><Codes><Code guid="{GUID[2]}" name="importert kode" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="{GUID[3]}" name="kilde" plainTextPath="{path}">'
            f'<PlainTextSelection guid="{GUID[5]}" startPosition="0" endPosition="{end}"><Coding guid="{GUID[6]}">'
            f'<CodeRef targetGUID="{GUID[2]}"/></Coding></PlainTextSelection></TextSource></Sources></Project>')


SOURCE = {f"sources/{GUID[3]}.txt": "Tolv tegn her".encode("utf-8")}


def qdpx(path: Path, project_xml: str | bytes | None, files: dict[str, bytes] | None = None,
         compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        if project_xml is not None:
            archive.writestr("project.qde", project_xml.encode("utf-8") if isinstance(project_xml, str) else project_xml)
        for name, data in (files if files is not None else SOURCE).items():
            archive.writestr(name, data)
    return path


LAUGHS = ('<!DOCTYPE {root} [<!ENTITY a "hahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')
EXTERNAL = '<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _many_members(folder: Path) -> Path:
    path = folder / "mange.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", qde())
        for n in range(100_001):
            archive.writestr(f"s/{n}", b"")
    return path


# (file name, how to build it in a folder, text the one line must hold)
QDPX_CASES: dict[str, tuple[str, Any, str]] = {
    "zip bomb, one member": ("bombe.qdpx", lambda f: qdpx(f / "bombe.qdpx", qde(), {
        **SOURCE, f"sources/{GUID[4]}.txt": b"\0" * 30_000_000}), "zip bomb?"),
    # 540 members of 1 MB each (too small for the ratio check of one member), 540 MB in all:
    "zip bomb, the whole archive": ("stor.qdpx", lambda f: qdpx(f / "stor.qdpx", qde(), {
        **SOURCE, **{f"sources/{n}.txt": bytes(1_000_000) for n in range(540)}}), "expands to"),
    "a hundred thousand members": ("mange.qdpx", _many_members, "zip bomb?"),
    "billion laughs": ("latter.qdpx", lambda f: qdpx(f / "latter.qdpx", qde().replace(
        "?>", "?>" + LAUGHS.format(root="Project"), 1).replace('name="fremmed"', 'name="&d;"')), "DTD or entities"),
    "external entity": ("ekstern.qdpx", lambda f: qdpx(f / "ekstern.qdpx", qde().replace(
        "?>", "?>" + EXTERNAL.format(root="Project"), 1).replace('name="kilde"', 'name="&x;"')), "DTD or entities"),
    "entities in UTF-16": ("utf16.qdpx", lambda f: qdpx(f / "utf16.qdpx", qde().replace("utf-8", "utf-16").replace(
        "?>", "?>" + LAUGHS.format(root="Project"), 1).encode("utf-16")), "DTD or entities"),
    "broken XML": ("brutt.qdpx", lambda f: qdpx(f / "brutt.qdpx", qde().replace("</Sources>", "")), "not well-formed XML"),
    "not XML at all": ("binaer.qdpx", lambda f: qdpx(f / "binaer.qdpx", bytes(range(256)) * 4), "not well-formed XML"),
    "a member outside the archive": ("sti.qdpx", lambda f: qdpx(f / "sti.qdpx", qde(), {
        **SOURCE, "../../utenfor.txt": b"x"}), "points outside the archive"),
    "an absolute member": ("absolutt.qdpx", lambda f: qdpx(f / "absolutt.qdpx", qde(), {
        **SOURCE, "/etc/cron.d/x": b"x"}), "points outside the archive"),
    "a source path outside the archive": ("kildesti.qdpx", lambda f: qdpx(f / "kildesti.qdpx", qde(
        "internal://../../etc/passwd")), "points outside the archive"),
    "a source on this machine": ("lokal.qdpx", lambda f: qdpx(f / "lokal.qdpx", qde("file:///etc/passwd")),
                                 "outside the .qdpx"),
    "a missing source": ("mangler.qdpx", lambda f: qdpx(f / "mangler.qdpx", qde(), {}), "is missing from the archive"),
    "no project.qde": ("tom.qdpx", lambda f: qdpx(f / "tom.qdpx", None), "no project.qde"),
    "not a zip": ("tekst.qdpx", lambda f: _written(f / "tekst.qdpx", b"<Project/>"), "not a valid .qdpx file"),
    "a truncated zip": ("kuttet.qdpx", lambda f: _written(f / "kuttet.qdpx", qdpx(f / "hel.qdpx", qde()).read_bytes()[:300]),
                        "not a valid .qdpx file"),
}

QDC_CASES: dict[str, tuple[str, str, str]] = {
    "billion laughs": ("latter.qdc", f'<?xml version="1.0"?>{LAUGHS.format(root="CodeBook")}<CodeBook {QDC_NS}>'
                       f'<Codes><Code guid="{GUID[1]}" name="&d;" isCodable="true"/></Codes></CodeBook>', "DTD or entities"),
    "external entity": ("ekstern.qdc", f'<?xml version="1.0"?>{EXTERNAL.format(root="CodeBook")}<CodeBook {QDC_NS}>'
                        f'<Codes><Code guid="{GUID[1]}" name="&x;" isCodable="true"/></Codes></CodeBook>', "DTD or entities"),
    "broken XML": ("brutt.qdc", f'<CodeBook {QDC_NS}>\n<Codes>\n<Code guid="{GUID[1]}" name="a">\n</Codes></CodeBook>',
                   "not well-formed XML"),
    "another root": ("prosjekt.qdc", f'<Project {QDE_NS} name="x"/>', "not a REFI-QDA codebook"),
}


@pytest.mark.parametrize("case", list(QDPX_CASES))
def test_a_bad_refi_project_is_one_line(study: Path, tmp_path: Path, case: str) -> None:
    name, build, says = QDPX_CASES[case]
    path = build(tmp_path)
    message = refused(["import-refi", study, path], study, names=name)
    assert says in message


@pytest.mark.parametrize("case", list(QDC_CASES))
def test_a_bad_refi_codebook_is_one_line(study: Path, tmp_path: Path, case: str) -> None:
    name, xml, says = QDC_CASES[case]
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    message = refused(["import-refi", study, path], study, names=name)
    assert says in message


def test_the_good_refi_project_behind_these_cases_imports(project: services.Project, tmp_path: Path) -> None:
    """The refusals above differ from this archive in one respect each; this one must import."""
    path = qdpx(tmp_path / "god.qdpx", qde())
    accepted(["import-refi", project.root, path])
    assert [q.text for q in services.quotes(project, code="importert kode")] == ["Tol"]


# -- Size limits: refused before the file is read whole, with the limit and how to raise it ------


def test_a_docx_whose_text_unzips_past_the_limit_is_one_line(study: Path, tmp_path: Path, project: services.Project,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.hardening import write_docx_expanding

    path = write_docx_expanding(tmp_path / "svulmer.docx", 3)  # 3 MB of document.xml, 20 kB zipped
    monkeypatch.setenv("CODEBENCH_MAX_XML_MB", "2")
    message = refused(["import", study, path], study, names="svulmer.docx")
    assert "word/document.xml is 2.9 MB; codebench reads at most 2 MB (set CODEBENCH_MAX_XML_MB=MB" in message
    monkeypatch.setenv("CODEBENCH_MAX_XML_MB", "4")
    assert "1 document(s) imported" in accepted(["import", project.root, path])


def test_a_transcript_past_the_file_limit_is_one_line(study: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.hardening import write_one_line

    path = write_one_line(tmp_path / "en_linje.txt", 1.5)
    monkeypatch.setenv("CODEBENCH_MAX_FILE_MB", "1")
    message = refused(["import", study, path], study, names="en_linje.txt")
    assert "the file is 1.4 MB; codebench reads at most 1 MB (set CODEBENCH_MAX_FILE_MB=MB" in message


def test_a_turn_past_the_turn_limit_is_one_line_with_its_line(study: Path, tmp_path: Path, project: services.Project,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A text without line breaks is one turn of the whole file: past the turn limit it is refused
    (its search index would take ten times its size in memory), saying which line and how to raise it."""
    from bench.hardening import write_one_line

    path = tmp_path / "uten_linjeskift.txt"
    path.write_text("I: Hvordan startet det?\nR: Det var sånn.\n" + write_one_line(tmp_path / "lang.txt", 1.5).read_text(),
                    encoding="utf-8")
    monkeypatch.setenv("CODEBENCH_MAX_TURN_MB", "1")
    message = refused(["import", study, path], study, names="uten_linjeskift.txt", line=2)
    # The long line has no label of its own, so it carries on the informant's turn from line 2.
    assert "turn 2 (one paragraph without a line break) is 1.4 MB; codebench reads at most 1 MB" in message
    assert "CODEBENCH_MAX_TURN_MB=MB" in message
    monkeypatch.setenv("CODEBENCH_MAX_TURN_MB", "2")
    assert "1 document(s) imported" in accepted(["import", project.root, path])


def test_a_codebook_cut_off_mid_line_loads_with_a_warning_and_undo_takes_the_load_back(tmp_path: Path) -> None:
    """Found by a tester: a codebook cut in half still parsed, `check` said OK, and the load was
    logged without a coder, so `undo` took back the coder's last coding instead of the load."""
    project = services.init_project(tmp_path / "p")
    source = tmp_path / "kari.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    services.import_files(project, [source], services.ParticipantSpec(role="mentor", round=1))
    services.load_codebook(project, HYBRID, coder="lena")
    text = services.get_document(project, "kari").text
    services.apply_code(project, "kari", text.index("Lederen"), text.index(" spurte"), CODE, "lena")
    root = project.root
    project.close()
    whole = HYBRID.read_text(encoding="utf-8").replace("lederstøtte", "lederstøtte2", 1)
    cut = tmp_path / "kuttet.yaml"
    cut.write_text(whole[:whole.rindex("Ikke for beskrivelse") + 20], encoding="utf-8")  # inside a plain text
    env = {"CODEBENCH_CODER": "lena"}
    checked = CliRunner().invoke(main, ["codebook", "check", str(cut)], env=env)
    assert checked.exit_code == 0 and "cut off" in checked.stderr and "OK" not in checked.stdout
    assert "kuttet.yaml:" in checked.stderr
    loaded = CliRunner().invoke(main, ["codebook", "load", str(root), str(cut)], env=env)
    assert loaded.exit_code == 0 and "cut off" in loaded.stderr
    undone = CliRunner().invoke(main, ["undo", str(root)], env=env)
    assert undone.exit_code == 0 and "undid codebook load from kuttet.yaml" in undone.stdout, undone.output
    project = services.open_project(root)
    try:
        assert [q.code for q in services.quotes(project)] == [CODE]  # the coding stays; the load went
        assert "lederstøtte2" not in {c.name for c in services.code_tree(project)}
    finally:
        project.close()
