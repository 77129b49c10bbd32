"""Undo and redo say what they took back — code, document and span — and leave no empty open code."""

from __future__ import annotations

from click.testing import CliRunner

from codebench import services
from codebench.cli import main


def test_undo_names_the_code_the_document_and_the_span(coded_project):
    project = coded_project
    label = services.anonymisation.document_labels(project)[1]
    services.apply_code(project, "kari", 0, 5, "god mentor", "ingrid")
    entry = services.undo(project, "ingrid")
    assert services.describe_operation(entry, project) == f"coding «god mentor» in {label} [0–5]"
    assert "kari" not in label  # the file's name may be the informant's: the label is the anonymised one

    coding = services.apply_code(project, "kari", 6, 12, "god mentor", "ingrid")
    services.recode(project, coding.uuid, "tid og ressurser", "ingrid")
    assert services.describe_operation(services.undo(project, "ingrid"), project) == (
        f"recode from «god mentor» to «tid og ressurser» in {label} [6–12]")
    services.update_code(project, "god mentor", name="den gode mentoren", coder="ingrid")
    assert services.describe_operation(services.undo(project, "ingrid"), project) == (
        "rename of «god mentor» to «den gode mentoren»")
    services.update_code(project, "god mentor", memo="viktig", coder="ingrid")
    assert services.describe_operation(services.undo(project, "ingrid"), project) == "memo on the code «god mentor»"
    coding = services.apply_code(project, "kari", 13, 20, "god mentor", "ingrid")
    services.set_coding_memo(project, coding.uuid, "hvorfor", "ingrid")
    assert services.describe_operation(services.undo(project, "ingrid"), project) == (
        f"memo on the coding «god mentor» in {label} [13–20]")


def test_undoing_the_only_coding_of_a_new_open_code_takes_the_code_back_too(coded_project):
    project = coded_project
    services.apply_code(project, "kari", 0, 5, "lederen spurte", "ingrid", create="open")
    assert "lederen spurte" in {c.name for c in services.code_tree(project)}
    entry = services.undo(project, "ingrid")
    assert services.describe_operation(entry, project) == (
        f"coding «lederen spurte» (a new code) in {services.anonymisation.document_labels(project)[1]} [0–5]")
    assert "lederen spurte" not in {c.name for c in services.code_tree(project)}
    services.redo(project, "ingrid")
    codes = {c.name: c for c in services.code_tree(project)}
    assert codes["lederen spurte"].origin == "open"
    assert [(q.code, q.start, q.end) for q in services.quotes(project)] == [("lederen spurte", 0, 5)]


def test_a_new_code_used_again_stays_when_its_first_coding_is_undone(coded_project):
    project = coded_project
    services.apply_code(project, "kari", 0, 5, "lederen spurte", "ingrid", create="open")
    services.apply_code(project, "kari", 6, 12, "lederen spurte", "per")
    services.undo(project, "ingrid")
    assert [(q.code, q.coder) for q in services.quotes(project)] == [("lederen spurte", "per")]


def test_the_command_line_says_what_it_undid(coded_project):
    project = coded_project
    services.apply_code(project, "kari", 0, 5, "god mentor", "ingrid")
    label = services.anonymisation.document_labels(project)[1]
    result = CliRunner().invoke(main, ["undo", str(project.root), "--coder", "ingrid"])
    assert result.exit_code == 0 and f"undid coding «god mentor» in {label} [0–5]" in result.stdout


def test_the_log_says_what_was_coded_where_and_what_was_undone(coded_project):
    project = coded_project
    services.apply_code(project, "kari", 0, 5, "god mentor", "ingrid")
    entry = services.undo(project, "ingrid")
    label = services.anonymisation.document_labels(project)[1]
    services.redo(project, "ingrid")
    lines = CliRunner().invoke(main, ["log", str(project.root), "--limit", "3"]).stdout.splitlines()
    # An undo or redo names what it took back, not only the number of its entry (tried as a user:
    # "undo of #9 (apply)" sent the reader looking for #9).
    assert lines[0].endswith(f"redo          of #{entry.id}: coding «god mentor» in {label} [0–5]")
    assert lines[1].endswith(f"undo          of #{entry.id}: coding «god mentor» in {label} [0–5]")
    assert lines[2].endswith(f"apply         coding «god mentor» in {label} [0–5]")


def test_a_coder_cannot_change_another_coders_coding(coded_project):
    """Agreement is computed on each coder's codings: per's must stay per's."""
    project = coded_project
    coding = services.apply_code(project, "kari", 0, 5, "god mentor", "per")
    for change in (lambda: services.recode(project, coding.uuid, "tid og ressurser", "ingrid"),
                   lambda: services.remove_coding(project, coding.uuid, "ingrid"),
                   lambda: services.set_coding_memo(project, coding.uuid, "min merknad", "ingrid")):
        try:
            change()
        except services.ServiceError as exc:
            assert "that coding is per's" in str(exc)
        else:
            raise AssertionError("another coder's coding was changed")
    assert [(q.code, q.coder) for q in services.quotes(project)] == [("god mentor", "per")]
    assert services.codings(project)[0].memo is None
    services.recode(project, coding.uuid, "tid og ressurser", "per")  # per may
    assert [(q.code, q.coder) for q in services.quotes(project)] == [("tid og ressurser", "per")]


def test_another_coders_coding_is_changed_only_when_taken_over_and_the_log_names_both(coded_project):
    """#16 item 4: refused unless the user confirms; the result is the changer's; the log names both."""
    project = coded_project
    root, runner = str(project.root), CliRunner()
    label = services.anonymisation.document_labels(project)[1]
    coding = services.apply_code(project, "kari", 0, 5, "god mentor", "per")
    refused = runner.invoke(main, ["recode", root, coding.uuid, "--code", "tid og ressurser", "--coder", "ingrid"])
    assert refused.exit_code == 1 and "--take-over" in refused.output

    taken = runner.invoke(main, ["recode", root, coding.uuid, "--code", "tid og ressurser", "--coder", "ingrid",
                                 "--take-over"])
    assert taken.exit_code == 0, taken.output
    assert [(q.code, q.coder, q.start, q.end) for q in services.quotes(project)] == [("tid og ressurser", "ingrid", 0, 5)]
    line = runner.invoke(main, ["log", root, "--limit", "1"]).stdout
    assert "ingrid" in line and (f"recode of per's coding from «god mentor» to «tid og ressurser» in {label} [0–5]"
                                 in line)

    # Undo (the changer's) gives per's coding back as it was.
    services.undo(project, "ingrid")
    assert [(q.code, q.coder) for q in services.quotes(project)] == [("god mentor", "per")]
    services.redo(project, "ingrid")
    assert [(q.code, q.coder) for q in services.quotes(project)] == [("tid og ressurser", "ingrid")]
    services.undo(project, "ingrid")

    removed = runner.invoke(main, ["uncode", root, coding.uuid, "--coder", "ingrid", "--take-over"])
    assert removed.exit_code == 0, removed.output
    assert services.quotes(project) == []
    line = runner.invoke(main, ["log", root, "--limit", "1"]).stdout
    assert "ingrid" in line and f"removal of per's coding «god mentor» in {label} [0–5]" in line
    services.undo(project, "ingrid")
    assert [(q.code, q.coder) for q in services.quotes(project)] == [("god mentor", "per")]
