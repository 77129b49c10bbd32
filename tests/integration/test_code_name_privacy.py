"""An in-vivo code is named with an informant's words: no command shows those words unanonymised
unless the coder asks for the original and may see it (codes, codebook export, log)."""

from __future__ import annotations

import shutil
import stat

import pytest
import yaml
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation

NAME = "Kristine Holm"  # detected and accepted in the reviewed sample


@pytest.fixture(scope="module")
def project_dir(reviewed_sample_dir, tmp_path_factory):
    """The reviewed sample with an in-vivo code holding a name, its memo naming her too; only
    'ingrid' may see originals."""
    folder = tmp_path_factory.mktemp("invivo") / "demo"
    shutil.copytree(reviewed_sample_dir, folder)
    project = services.open_project(folder)
    try:
        doc = next(d for d in services.list_documents(project) if NAME in services.get_document(project, d.id).text)
        text = services.get_document(project, doc.id).text
        end = text.index(NAME) + len(NAME)
        start = text.rindex(" ", 0, end - len(NAME) - 12) + 1
        name = services.in_vivo_code_name(project, doc.id, start, end)
        assert NAME in name
        services.apply_code(project, doc.id, start, end, name, "ingrid", create="in-vivo")
        services.update_code(project, name, memo=f"{NAME} sa dette tidlig", coder="ingrid")
        other = next(c.name for c in services.code_tree(project) if c.kind == "code" and c.origin == "codebook")
        services.apply_code(project, doc.id, start, end, other, "per")  # a disagreement on those words
        anonymisation.set_original_viewer(project, "ingrid", True)
    finally:
        project.close()
    return folder


def run(*args, coder="ola"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"CODEBENCH_CODER": coder})


def test_codes_shows_in_vivo_names_anonymised_unless_original(project_dir):
    shown = run("codes", project_dir)
    assert shown.exit_code == 0, shown.output
    assert "Kristine" not in shown.stdout
    assert any("[Veileder" in line and "(in-vivo)" in line for line in shown.stdout.splitlines())
    assert run("codes", project_dir, "--original").exit_code != 0  # ola may not see originals
    assert NAME in run("codes", project_dir, "--original", coder="ingrid").stdout


def test_codebook_export_is_anonymised_and_loads_back_without_renaming(project_dir, tmp_path):
    path = tmp_path / "kodebok.yaml"
    written = run("codebook", "export", project_dir, "-o", path)
    assert written.exit_code == 0, written.output
    text = path.read_text(encoding="utf-8")
    assert "Kristine" not in text and "Holm" not in text
    assert "\nanonymisation: de-identified, not anonymous (" in text  # the review is finished: the file may say so
    # Loading the rendition back keeps the project's own names: the code is not renamed.
    loaded = run("codebook", "load", project_dir, path)
    assert loaded.exit_code == 0 and "kept as the project has them" in loaded.stdout
    project = services.open_project(project_dir)
    try:
        code = next(c for c in services.code_tree(project) if c.memo == f"{NAME} sa dette tidlig")
        assert NAME in code.name
    finally:
        project.close()
    # The exact file is for coders allowed to see names, and readable by its owner only.
    assert run("codebook", "export", project_dir, "--original").exit_code != 0
    original = tmp_path / "original.yaml"
    assert run("codebook", "export", project_dir, "--original", "-o", original, coder="ingrid").exit_code == 0
    assert NAME in original.read_text(encoding="utf-8") and "anonymisation:" not in original.read_text(encoding="utf-8")
    assert stat.S_IMODE(original.stat().st_mode) == 0o600


def test_codebook_export_refuses_an_unreviewed_project_unless_allowed(coded_project, tmp_path):
    assert run("codebook", "export", coded_project.root).exit_code != 0
    allowed = run("codebook", "export", coded_project.root, "--allow-unreviewed")
    assert allowed.exit_code == 0
    assert yaml.safe_load(allowed.stdout)["anonymisation"] == "not anonymised: detection has not been run"


def test_log_and_memos_name_the_in_vivo_code_anonymised(project_dir):
    log = run("log", project_dir, "--limit", "5")
    assert log.exit_code == 0 and "memo on the code «" in log.stdout
    assert "Kristine" not in log.output
    assert NAME in run("log", project_dir, "--limit", "5", "--original", coder="ingrid").stdout
    memos = run("memos", project_dir, "--kind", "code")
    assert memos.exit_code == 0 and "sa dette tidlig" in memos.stdout
    assert "Kristine" not in memos.output and "Holm" not in memos.output


def test_agreement_and_disagreements_name_the_in_vivo_code_anonymised(project_dir):
    agreement = run("agreement", project_dir, "--coders", "ingrid,per")
    assert agreement.exit_code == 0 and "[Veileder" in agreement.stdout
    assert "Kristine" not in agreement.output
    listed = run("disagreements", project_dir, "--coders", "ingrid,per")
    assert listed.exit_code == 0 and "ingrid: Og hun sa at [Veileder" in listed.stdout
    assert "Kristine" not in listed.output
    assert run("disagreements", project_dir, "--coders", "ingrid,per", "--original").exit_code != 0


def test_coding_in_vivo_says_the_name_as_the_coder_is_shown_it(project_dir):
    project = services.open_project(project_dir)
    try:
        code = next(c for c in services.code_tree(project) if c.memo == f"{NAME} sa dette tidlig")
        coding = next(c for c in services.codings(project) if c.code_id == code.id)
        # ola, who may not see names, gives positions in the anonymised text.
        shown = anonymisation.positions_for(project, "ola").shown(coding.document_id, coding.start, coding.end)
    finally:
        project.close()
    args = ("code", project_dir, coding.document_id, "--start", coding.start, "--end", coding.end, "--in-vivo")
    again = run(*args, coder="ingrid")  # the same words coded again: refused, without the words
    assert again.exit_code != 0 and "already coded this span" in again.output and "Kristine" not in again.output
    coded = run("code", project_dir, coding.document_id, "--start", shown[0], "--end", shown[1], "--in-vivo")
    assert coded.exit_code == 0 and "[Veileder" in coded.stdout and "Kristine" not in coded.output


def test_a_refused_corrected_file_names_the_in_vivo_code_as_shown(project_dir, tmp_path):
    """A corrected file that would drop the in-vivo coding (it carries a memo) is refused in one
    line naming that coding: its code's name as the coder is shown it, never the informant's name."""
    folder = tmp_path / "demo"
    shutil.copytree(project_dir, folder)
    project = services.open_project(folder)
    try:
        code = next(c for c in services.code_tree(project) if c.memo == f"{NAME} sa dette tidlig")
        coding = next(c for c in services.codings(project) if c.code_id == code.id and c.coder == "ingrid")
        services.set_coding_memo(project, coding.uuid, "Sterkt sitat", "ingrid")
        text = services.get_document(project, coding.document_id).text
    finally:
        project.close()
    corrected = tmp_path / "rettet.txt"
    corrected.write_text(text[:coding.start] + text[coding.end:], encoding="utf-8")

    refused = run("import", folder, corrected, "--replaces", coding.document_id)
    assert refused.exit_code == 1
    assert "carry a memo" in refused.output and f"{coding.uuid[:8]} «Og hun sa at [Veileder" in refused.output
    assert "Kristine" not in refused.output

    dropped = run("import", folder, corrected, "--replaces", coding.document_id, "--drop-memos")
    assert dropped.exit_code == 0, dropped.output
    assert f"not placed: {coding.uuid[:8]}" in dropped.output and "Kristine" not in dropped.output
