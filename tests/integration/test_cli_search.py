"""``codebench search`` and ``codebench searches`` as a user types them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation
from tests.conftest import review_everything
from tests.integration.test_search import MENTOR, VEILEDER

REPO = Path(__file__).resolve().parents[2]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"


def run(*args: object, ok: bool = True, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def study_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two interviews imported and the codebook loaded through the command line, once."""
    folder = tmp_path_factory.mktemp("cli-search") / "study"
    run("init", folder)
    for name, text, role in (("v01.txt", VEILEDER, "veileder"), ("m01.txt", MENTOR, "mentor")):
        (folder.parent / name).write_text(text, encoding="utf-8")
        run("import", folder, folder.parent / name, "--role", role, "--round", "1")
    run("codebook", "load", folder, HYBRID)
    return folder


@pytest.fixture
def study(study_template: Path, tmp_path: Path) -> Path:
    shutil.copytree(study_template, tmp_path / "study")
    return tmp_path / "study"


def test_search_prints_keyword_in_context_lines(study):
    result = run("search", study, "tillit*", "--width", "20")
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 hit(s) in 2 document(s)"
    assert "veileder" in lines[0] and " R " in lines[0] and "t2" in lines[0]
    assert lines[0].endswith("Nordmann sa at «tillit» tar tid.")
    assert "not anonymised: detection has not been run" in result.stderr
    rows = json.loads(run("search", study, "mentor", "--speaker", "informant", "--format", "json").stdout)
    assert [(r["document"], r["side"], r["match"]) for r in rows] == [("m01", "informant", "mentor")]
    limited = run("search", study, "tillit*", "--limit", "1").stdout
    assert "the first 1 hit(s) in 1 document(s); there are more" in limited


def test_search_codes_every_hit_and_undo_takes_it_back(study):
    result = run("search", study, '"god mentor"', "--code", "god mentor", "--widen", "sentence", "--coder", "ingrid")
    assert "coded 2 passage(s) as «god mentor», each hit widened to its sentence" in result.stdout
    project = services.open_project(study)
    try:
        assert sorted(q.text for q in services.quotes(project, code="god mentor")) == [
            "En god mentor har tid.", "Hva gjør en god mentor?"]
        log = run("log", study, "--limit", "1").stdout
        assert "code_hits" in log and "coding of 2 search hits in 1 document as «god mentor»" in log
        assert "undid coding of 2 search hits" in run("undo", study, "--coder", "ingrid").stdout
        assert services.quotes(project, code="god mentor") == []
    finally:
        project.close()


def test_searches_are_saved_and_listed_for_the_methods_section(study):
    run("search", study, "*tilskudd", "--nordic", "--save", "tilskudd", "--coder", "ingrid")
    listed = run("searches", study).stdout
    assert listed.startswith("tilskudd: *tilskudd (å=aa ø=oe æ=ae) · 2 hit(s) · ingrid")
    table = run("searches", study, "--format", "md").stdout.splitlines()
    assert table[0] == "| search | query | hits | saved by | saved |" and table[2].startswith("| tilskudd | `*tilskudd (å=aa")
    again = run("search", study, "--saved", "tilskudd").stdout
    assert again.splitlines()[-1] == "2 hit(s) in 1 document(s)"
    assert "forgot" in run("searches", study, "--forget", "tilskudd").stdout
    assert "no saved searches" in run("searches", study).stdout


@pytest.mark.parametrize(("args", "message"), [
    (['"god mentor'], 'the phrase starting at «"god mentor» has no closing "'),
    (["mentor", "--role", "kokk"], "unknown role 'kokk'"),
    ([], "give a QUERY or --saved NAME"),
    (["mentor", "--saved", "x"], "give a QUERY or --saved NAME"),
    (["--saved", "finnes ikke"], "no saved search called 'finnes ikke'"),
    (["mentor", "--code", "god mentor"], "say who is coding"),
    (["/(mentor/"], "is not a regular expression"),
])
def test_a_mistake_is_one_line(study, args, message):
    result = run("search", study, *args, ok=False, env={"CODEBENCH_CODER": ""})
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("codebench: ") and message in last
    assert "Traceback" not in result.output


def test_a_coder_who_may_not_see_names_finds_none_by_name(study):
    project = services.open_project(study)
    try:
        anonymisation.add_name(project, "Kari Nordmann", coder="ingrid")
        review_everything(project)
        anonymisation.set_original_viewer(project, "ingrid", True)
    finally:
        project.close()
    result = run("search", study, "Kari", env={"CODEBENCH_CODER": "per"})
    assert result.stdout.strip() == "0 hit(s) in 0 document(s) · anonymised text"
    assert "coder 'per' may not see original names" in result.stderr
    refused = run("search", study, "Kari", "--original", ok=False, env={"CODEBENCH_CODER": "per"})
    assert refused.exit_code == 1 and "may not see original names" in refused.stderr
    allowed = run("search", study, "Kari", "--original", env={"CODEBENCH_CODER": "ingrid"})
    assert allowed.stdout.splitlines()[-1] == "2 hit(s) in 1 document(s)"
    shown = run("search", study, "tillit", env={"CODEBENCH_CODER": "per"}).stdout
    assert "Kari" not in shown and "Nordmann" not in shown and "[" in shown


def test_in_asr_text_without_question_marks_the_speaker_asking_is_the_interviewer(tmp_path):
    """Found by a tester: in WhisperX, noScribe and Teams transcripts every speaker counted as an
    informant (no question marks), so `--speaker interviewer` found nothing."""
    folder = tmp_path / "asr"
    run("init", folder)
    vtt = tmp_path / "intervju.vtt"
    cues = [("SPEAKER_00", "ja eh kan du fortelle litt om jobben din som mentor"),
            ("SPEAKER_01", "ja jeg har vært mentor i tre år nå og det går fint"),
            ("SPEAKER_00", "hvordan ble du mentor da"),
            ("SPEAKER_01", "sjefen spurte meg og jeg sa ja til å være mentor"),
            ("SPEAKER_00", "og hva gjør du en vanlig dag"),
            ("SPEAKER_01", "jeg viser ham rundt og vi tar en prat om morgenen")]
    body = "WEBVTT\n\n" + "\n\n".join(f"00:00:{2 * i:02d}.000 --> 00:00:{2 * i + 1:02d}.000\n<v {who}>{words}"
                                        for i, (who, words) in enumerate(cues))
    vtt.write_text(body + "\n", encoding="utf-8")
    run("import", folder, vtt, "--role", "mentor", "--round", "1")
    asked = json.loads(run("search", folder, "mentor", "--speaker", "interviewer", "--format", "json").stdout)
    answered = json.loads(run("search", folder, "mentor", "--speaker", "informant", "--format", "json").stdout)
    assert [r["speaker"] for r in asked] == ["SPEAKER_00", "SPEAKER_00"]
    assert {r["speaker"] for r in answered} == {"SPEAKER_01"} and len(answered) == 2
