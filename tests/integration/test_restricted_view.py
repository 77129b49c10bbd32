"""What a coder who may not see original names reads while the review is under way (#15).

Found by using it: in a project that lists its original viewers, `show` printed a newly
imported document, never searched, with the names the project had already accepted elsewhere
in clear, and a document's open suggestions in clear too.
"""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.services import anonymisation
from codebench.services.anonymisation.renditions import WITHHELD


def _cli(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], env={**os.environ, "CODEBENCH_CODER": "ingrid"})


def test_a_coder_kept_from_names_never_reads_an_open_suggestion_or_an_unsearched_document(
        project: services.Project, tmp_path: Path) -> None:
    first = tmp_path / "M01 mentor.txt"
    first.write_text("Intervjuer: Hvem hjalp deg?\nInformant: Kari Holmeset og Ragnvald Tveit hjalp meg.\n",
                     encoding="utf-8")
    assert not services.import_files(project, [first], services.ParticipantSpec(role="mentor", round=1)).errors
    anonymisation.detect(project, use_model=False, coder="ingrid")
    kari = next(e for e in anonymisation.entities(project) if "Kari Holmeset" in e.forms)
    anonymisation.decide(project, "accept", entity=kari.id, coder="ingrid")
    open_ = [e for e in anonymisation.entities(project, status="suggested")]
    assert open_, "something must still wait for review"
    assert _cli("anonymise", "allow", project.root, "ingrid").exit_code == 0

    shown = _cli("show", project.root, "1", "--coder", "per")
    assert shown.exit_code == 0, shown.output
    assert "Kari" not in shown.stdout and kari.pseudonym in shown.stdout
    for entity in open_:
        assert not any(form in shown.stdout for form in entity.forms), (entity.forms, shown.stdout)

    later = tmp_path / "M02 mentor.txt"
    later.write_text("Intervjuer: Og så?\nInformant: Kari Holmeset ringte meg igjen.\n", encoding="utf-8")
    assert not services.import_files(project, [later], services.ParticipantSpec(role="mentor", round=1)).errors
    refused = _cli("show", project.root, "2", "--coder", "per")
    assert refused.exit_code != 0 and "Kari" not in refused.output
    assert "not been searched for names yet" in refused.output
    # The owner may still read the original, when asking for it.
    assert "Kari Holmeset" in _cli("show", project.root, "2", "--coder", "ingrid", "--original").stdout
    # Found by a tester: search and quotes did show it, labelled "anonymised text". Neither does
    # now; a coding on it (made by the owner) is quoted without a word of the text.
    text = services.get_document(project, 2).text
    start = text.index("Kari")
    services.apply_code(project, 2, start, text.index("igjen"), "ringer igjen", "ingrid")
    for query in ("ringte", "Kari", "igjen"):
        found = _cli("search", project.root, query, "--coder", "per", "--format", "json")
        assert found.exit_code == 0, found.output
        assert "Kari" not in found.stdout and "ringte meg" not in found.stdout, found.stdout
    quoted = CliRunner().invoke(main, ["quotes", str(project.root), "--code", "ringer igjen", "--format", "json"],
                                env={**os.environ, "CODEBENCH_CODER": "per"})
    assert quoted.exit_code == 0, quoted.output
    assert "Kari" not in quoted.stdout and "ringte" not in quoted.stdout
    assert WITHHELD in quoted.stdout


def test_a_document_is_found_by_the_name_documents_lists_to_such_a_coder(project: services.Project,
                                                                          tmp_path: Path) -> None:
    paths = []
    for name, round_ in (("Intervju Kari Holmeset runde 1.txt", 1), ("Intervju Kari Holmeset runde 2.txt", 2)):
        path = tmp_path / name
        said = "Det gikk tregt i starten." if round_ == 1 else "Nå har hun fast jobb på lageret og trives godt."
        path.write_text(f"Intervjuer: Hvordan går det?\nInformant: {said}\n", encoding="utf-8")
        paths.append((path, round_))
    for path, round_ in paths:
        spec = services.ParticipantSpec(role="mentor", round=round_, pid="M07")
        report = services.import_files(project, [path], spec)
        assert not report.errors and report.added, (report.errors, report.duplicates, report.replaced)
    anonymisation.detect(project, use_model=False, coder="ingrid")
    assert _cli("anonymise", "allow", project.root, "ingrid").exit_code == 0
    listed = _cli("documents", project.root, "--coder", "per")
    assert "M07 mentor runde 2" in listed.stdout and "Holmeset" not in listed.stdout
    shown = _cli("show", project.root, "M07 mentor runde 2", "--coder", "per")
    assert shown.exit_code == 0 and "fast jobb" in shown.stdout, shown.output
    both = _cli("show", project.root, "m07", "--coder", "per")
    assert both.exit_code != 0 and "M07 mentor runde 1, M07 mentor runde 2" in both.output
    assert "Holmeset" not in both.output
    # Found by a tester: a document was also found by its file name, or the start of it, so
    # "does `show 'intervju kari'` work?" told a coder kept from names whether Kari was interviewed.
    for guess in ("Intervju Kari Holmeset runde 2", "Intervju Kari", "intervju"):
        for command in (["show", project.root, guess], ["documents", project.root, "--details", guess],
                        ["code", project.root, guess, "--start", 0, "--end", 5, "--code", "x"]):
            refused = _cli(*command, "--coder", "per") if command[0] != "code" else CliRunner().invoke(
                main, [str(a) for a in command], env={**os.environ, "CODEBENCH_CODER": "per"})
            assert refused.exit_code != 0 and f"no document {guess!r} in this project" in refused.output, \
                (command, refused.output)
    # The owner still finds it by its file name.
    assert _cli("show", project.root, "Intervju Kari Holmeset runde 2", "--coder", "ingrid").exit_code == 0


def test_a_participants_site_is_masked_in_every_anonymised_output_even_when_no_text_names_it(
        project: services.Project, tmp_path: Path) -> None:
    """Found by a tester: a case's site came out of the QDPX as ``<TextValue>Lundeby</TextValue>``
    to a coder kept from names; Lundeby was named only in a header line and in "NAV Lundeby", so
    no entity held it, and the README says the places participants come from are masked."""
    import zipfile

    from tests.conftest import review_everything

    path = tmp_path / "M10 mentor.txt"
    path.write_text("Intervjuer: Hvem følger deg opp?\n"
                    "Informant: Det er Trond Eriksen på NAV Lundeby, han ringer hver uke.\n", encoding="utf-8")
    spec = services.ParticipantSpec(pid="M10", role="mentor", site="Lundeby", round=1)
    assert not services.import_files(project, [path], spec).errors
    review_everything(project)
    services.add_memo(project, "Spør om Lundeby har flere mentorer", author="eva")
    assert _cli("anonymise", "allow", project.root, "eva").exit_code == 0

    as_tarjei = {**os.environ, "CODEBENCH_CODER": "tarjei"}
    out = tmp_path / "prosjekt.qdpx"
    written = CliRunner().invoke(main, ["export", "qdpx", str(project.root), "-o", str(out)], env=as_tarjei)
    assert written.exit_code == 0, written.output
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert "Lundeby" not in qde
    assert "<TextValue>[Sted]</TextValue>" in qde  # the case keeps a site, masked
    memos_shown = CliRunner().invoke(main, ["memos", str(project.root)], env=as_tarjei)
    assert memos_shown.exit_code == 0 and "mentorer" in memos_shown.stdout, memos_shown.output
    assert "Lundeby" not in memos_shown.stdout


def test_a_duplicate_import_names_the_document_as_the_coder_kept_from_names_knows_it(
        project: services.Project, tmp_path: Path) -> None:
    """Found by a tester: importing a renamed copy printed "skipped kopi.txt: same text as document
    'Intervju Solveig Brekke mentor Lundeby'" to a coder kept from names: the informant's name."""
    from tests.conftest import review_everything

    path = tmp_path / "Intervju Solveig Brekke mentor.txt"
    text = "Intervjuer: Hvem følger deg opp?\nInformant: Det er Trond Eriksen, han ringer hver uke.\n"
    path.write_text(text, encoding="utf-8")
    spec = services.ParticipantSpec(pid="M10", role="mentor", round=1)
    assert not services.import_files(project, [path], spec).errors
    review_everything(project)
    assert _cli("anonymise", "allow", project.root, "eva").exit_code == 0
    copy = tmp_path / "kopi.txt"
    copy.write_text(text, encoding="utf-8")

    def imported(coder: str) -> str:
        result = CliRunner().invoke(main, ["import", str(project.root), str(copy)],
                                    env={**os.environ, "CODEBENCH_CODER": coder})
        assert result.exit_code == 0, result.output
        return result.output

    tarjei = imported("tarjei")
    assert "Solveig" not in tarjei and "Brekke" not in tarjei
    assert f"skipped {copy}: same text as document 'M10 mentor runde 1'" in tarjei  # as `documents` lists it
    # The owner, who may see names, is told the document's name as she imported it.
    assert "same text as document 'Intervju Solveig Brekke mentor'" in imported("eva")
    # Nor does --replaces answer whether a guessed name is the project's: it takes the names
    # `documents` lists to the coder, and a guess gets the words any unknown name gets.
    corrected = tmp_path / "rettet.txt"
    corrected.write_text(text.replace("hver uke", "hver dag"), encoding="utf-8")
    as_tarjei = {**os.environ, "CODEBENCH_CODER": "tarjei"}
    answers = [CliRunner().invoke(main, ["import", str(project.root), str(corrected), "--replaces", guess],
                                  env=as_tarjei) for guess in ("Intervju Solveig", "Intervju Kari")]
    assert all(a.exit_code != 0 for a in answers)
    assert answers[0].output.replace("Solveig", "Kari") == answers[1].output, [a.output for a in answers]
    replaced = CliRunner().invoke(main, ["import", str(project.root), str(corrected), "--replaces",
                                         "M10 mentor runde 1"], env=as_tarjei)
    assert replaced.exit_code == 0 and "re-imported" in replaced.output, replaced.output


def test_a_corrected_file_lists_its_codings_at_the_places_the_coder_kept_from_names_reads(
        project: services.Project, tmp_path: Path) -> None:
    """`import` of a corrected file listed the codings to check at the original's positions, where
    `flagged` gives the same coder the places in the text they read."""
    import re

    from tests.conftest import review_everything

    text = ("Intervjuer: Hvem følger deg opp?\nInformant: Det er Trond Eriksen. Det er godt å ha noen å "
            "snakke med om alt som skjer på jobben. Han ringer hver uke.\n")
    path = tmp_path / "Intervju Solveig Brekke mentor.txt"
    path.write_text(text, encoding="utf-8")
    assert not services.import_files(project, [path], services.ParticipantSpec(pid="M10", role="mentor", round=1)).errors
    review_everything(project)
    services.apply_code(project, 1, text.index("Han ringer"), text.index(" hver uke") + 9, "ringer", "eva")
    services.apply_code(project, 1, text.index("godt å ha"), text.index(" om alt"), "godt", "eva")
    assert _cli("anonymise", "allow", project.root, "eva").exit_code == 0
    corrected = tmp_path / "rettet.txt"
    gone = text[text.index(" Det er godt"):text.index(" Han ringer")]
    corrected.write_text(text.replace("hver uke", "hver dag").replace(gone, ""), encoding="utf-8")
    as_tarjei = {**os.environ, "CODEBENCH_CODER": "tarjei"}
    done = CliRunner().invoke(main, ["import", str(project.root), str(corrected), "--replaces", "1"], env=as_tarjei)
    assert done.exit_code == 0, done.output
    to_check = re.findall(r"to check: (\w+) (\[\d+, \d+\))", done.output)
    flagged = CliRunner().invoke(main, ["flagged", str(project.root)], env=as_tarjei)
    assert to_check and all(re.search(rf"{uuid}\s+{re.escape(span)}", flagged.output) for uuid, span in to_check), (
        done.output, flagged.output)
    # The words of a coding that could not be placed are gone, and with them the map to where the
    # coder read them: it is listed without a place.
    assert re.search(r"not placed: \w+ godt \(eva\)", done.output), done.output
