"""Independent informants: a lone given name in one interview is not the person another
interview names in full (``codebench anonymise people PROJECT interview``)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation

# Typed transcripts (the lexicon finds the given names without the model).
FIRST = ("I: Hvem følger deg opp?\n\n"
         "R: Det er Kari Nordmann på NAV. Kari ringer meg hver uke, og Kari er flink.\n")
SECOND = ("I: Hvem hjalp deg i starten?\n\n"
          "R: Søstera mi, Kari, hjalp meg mye. Kari kjørte meg til jobben den første uka.\n")


def _two_informants(project: services.Project, tmp_path: Path) -> None:
    for n, (name, text) in enumerate([("a.txt", FIRST), ("b.txt", SECOND)]):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        report = services.import_files(project, [path], services.ParticipantSpec(role="mentor", round=1))
        assert not report.errors


def _pseudonyms_of_kari(project: services.Project) -> dict[str, set[str]]:
    """Document name -> the pseudonyms its mentions of Kari got."""
    out: dict[str, set[str]] = {}
    docs = {d.id: d for d in services.list_documents(project)}
    for view in anonymisation.entities(project, with_mentions=True):
        for mention in view.mentions:
            if "Kari" in mention.text:
                out.setdefault(str(mention.document_id), set()).add(view.pseudonym)
    assert set(out) <= {str(i) for i in docs}
    return out


def test_one_site_links_a_lone_name_to_the_full_name_of_another_interview(project: services.Project,
                                                                          tmp_path: Path) -> None:
    _two_informants(project, tmp_path)
    anonymisation.set_people_scope(project, "project", coder="ingrid")
    anonymisation.detect(project, use_model=False, coder="ingrid")
    found = _pseudonyms_of_kari(project)
    assert len(found) == 2 and len(set.union(*found.values())) == 1


def test_by_default_a_lone_name_reaches_the_interviews_that_share_someone_named_in_full(
        project: services.Project, tmp_path: Path) -> None:
    # The two interviews share no one named in full: the second's "Kari" is her own person.
    _two_informants(project, tmp_path)
    assert anonymisation.people_scope(project) == "circle"
    anonymisation.detect(project, use_model=False, coder="ingrid")
    apart = _pseudonyms_of_kari(project)
    assert len(apart) == 2 and len(set.union(*apart.values())) == 2


def test_interviews_naming_the_same_adviser_in_full_share_their_lone_names(project: services.Project,
                                                                           tmp_path: Path) -> None:
    both = "\n\nI: Og på NAV?\n\nR: Der har jeg Trond Bakke.\n"
    for name, text in (("a.txt", FIRST + both), ("b.txt", SECOND + both)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        services.import_files(project, [tmp_path / name], services.ParticipantSpec(role="mentor", round=1))
    anonymisation.detect(project, use_model=False, coder="ingrid")
    joined = _pseudonyms_of_kari(project)
    assert len(joined) == 2 and len(set.union(*joined.values())) == 1


def test_independent_informants_give_the_other_interviews_kari_her_own_pseudonym(project: services.Project,
                                                                                tmp_path: Path) -> None:
    _two_informants(project, tmp_path)
    runner = CliRunner()
    root = str(project.root)
    shown = runner.invoke(main, ["anonymise", "people", root])
    assert shown.exit_code == 0 and "people: circle" in shown.output
    changed = runner.invoke(main, ["anonymise", "people", root, "interview", "--coder", "ingrid"])
    assert changed.exit_code == 0 and "people: interview" in changed.output
    assert "already run" not in changed.output  # nothing was detected yet
    detected = runner.invoke(main, ["anonymise", root, "--no-model", "--coder", "ingrid"])
    assert detected.exit_code == 0, detected.output
    assert "anonymise people" not in detected.output  # already said
    found = _pseudonyms_of_kari(project)
    assert len(found) == 2
    first, second = found.values()
    # Each interview's Kari has one pseudonym, and they are two people.
    assert len(first) == 1 and len(second) == 1 and first != second
    # Going back after detection says what it does not change.
    back = runner.invoke(main, ["anonymise", "people", root, "circle", "--coder", "ingrid"])
    assert back.exit_code == 0 and "already run" in back.output and "anonymise split" in back.output
    bad = runner.invoke(main, ["anonymise", "people", root, "site"])
    assert bad.exit_code == 2 and "site" in bad.output and "Traceback" not in bad.output


def test_the_review_list_asks_about_a_person_joined_by_a_lone_name_in_another_interview(
        project: services.Project, tmp_path: Path) -> None:
    _two_informants(project, tmp_path)
    anonymisation.set_people_scope(project, "project", coder="ingrid")  # one site: joined by "Kari"
    runner = CliRunner()
    root = str(project.root)
    detected = runner.invoke(main, ["anonymise", root, "--no-model", "--coder", "ingrid"])
    assert detected.exit_code == 0, detected.output
    # Detection says once that it joined across interviews by a lone name, and what to do.
    assert "1 person(s) are named in some interviews by a first name" in detected.output
    assert f"codebench anonymise people {root} interview" in detected.output
    listing = runner.invoke(main, ["anonymise", root, "--list", "--coder", "ingrid"])
    assert listing.exit_code == 0, listing.output
    second = [d for d in services.list_documents(project) if d.name.startswith("b")][0]
    asked = [line for line in listing.output.splitlines() if "the same person?" in line]
    assert len(asked) == 1 and second.name in asked[0]
    # The command it offers splits exactly the other interview's mentions off.
    assert f"codebench anonymise split {root} --mention" in asked[0]  # the command as it is typed
    ids = [int(i) for i in asked[0].split("--mention ")[1:]]
    split = runner.invoke(main, ["anonymise", "split", root, *sum((["--mention", str(i)] for i in ids), []),
                                 "--coder", "ingrid"])
    assert split.exit_code == 0, split.output
    found = _pseudonyms_of_kari(project)
    first, other = found.values()
    assert first != other and len(other) == 1
    again = runner.invoke(main, ["anonymise", root, "--list", "--coder", "ingrid"])
    assert "the same person?" not in again.output
