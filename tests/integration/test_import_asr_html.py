"""ASR JSON, noScribe HTML and PDF reports through the command line, as a researcher imports and reads them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from tests.unit.ingest.test_noscribe_html import SEGMENTS
from tests.writers import write_noscribe


def run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_whisperx_json_and_noscribe_html_import_show_and_keep_times(tmp_path: Path):
    study = tmp_path / "studie"
    run("init", study)
    asr = tmp_path / "opptak1.json"
    asr.write_text(json.dumps({"language": "no", "segments": [
        {"start": 0.4, "end": 2.0, "text": " Hvordan gikk første uke?", "speaker": "SPEAKER_00",
         "words": [{"word": "Hvordan", "start": 0.5, "end": 0.9}, {"word": "gikk", "start": 0.9, "end": 1.1},
                   {"word": "første", "start": 1.1, "end": 1.5}, {"word": "uke?", "start": 1.5, "end": 1.9}]},
        {"start": 2.3, "end": 4.0, "text": " Den gikk fint.", "speaker": "SPEAKER_01"},
        {"start": 4.1, "end": 6.5, "text": " Veldig fint, faktisk.", "speaker": "SPEAKER_01"},
    ]}, ensure_ascii=False), encoding="utf-8")
    noscribe = tmp_path / "opptak2.html"
    write_noscribe(noscribe, SEGMENTS)

    assert "2 document(s) imported" in run("import", study, asr, noscribe)

    shown = run("show", study, "1")
    assert shown.split("\n\n")[:2] == ["SPEAKER_00: Hvordan gikk første uke?", "SPEAKER_01: Den gikk fint. Veldig fint, faktisk."]
    assert "language    no" in run("documents", study, "--details", "1")
    first = services.get_document(services.open_project(study), "1")
    assert [(t.speaker, t.t_start, t.t_end) for t in first.turns] == [("SPEAKER_00", 0.5, 1.9), ("SPEAKER_01", 2.3, 6.5)]

    shown = run("show", study, "2")
    assert "S01: Hei, og velkommen. Kan du fortelle litt om mentoren din?" in shown
    assert "S02: Ja, gjerne. Vi møttes i mars. Det gikk bra & raskt." in shown
    assert "skripttekst" not in shown and "stiltekst" not in shown
    second = services.get_document(services.open_project(study), "2")
    assert [(t.speaker, t.t_start, t.t_end) for t in second.turns if t.speaker] == [
        ("S01", 0.0, 7.9), ("S02", 8.1, 15.67), ("S01", 16.0, 18.0)]


def test_pdf_report_imports_as_paragraphs_and_its_title_stays_out_of_pseudonymous_details(tmp_path: Path):
    from tests.writers import write_pdf

    study = tmp_path / "studie"
    run("init", study)
    report = tmp_path / "evaluering.pdf"
    write_pdf(report, [["Oppsummering", "", "Mentorordningen fungerer godt for de fleste deltakerne, og arbeidsgiverne",
                        "ønsker mer kontakt med NAV i den første tiden etter at en ny medarbeider har begynt,"],
                       ["særlig når det gjelder tilrettelegging.", "", "Veilederne har for mange brukere."], ["Vedlegg"]],
              title="Evaluering skrevet av Kari Nordmann", header="Evalueringsrapport")

    assert "1 document(s) imported" in run("import", study, report)
    shown = run("show", study, "1")
    assert shown.split("\n\n")[:4] == [
        "Oppsummering",
        "Mentorordningen fungerer godt for de fleste deltakerne, og arbeidsgiverne ønsker mer kontakt med NAV "
        "i den første tiden etter at en ny medarbeider har begynt, særlig når det gjelder tilrettelegging.",
        "Veilederne har for mange brukere.", "Vedlegg"]
    assert "Evalueringsrapport" not in shown
    assert "Evaluering skrevet av Kari Nordmann" in run("documents", study, "--details", "1")  # not yet anonymised
    run("anonymise", study)
    details = run("documents", study, "--details", "1")
    assert "format      pdf" in details and "page_count  3" in details
    assert "Kari" not in details and "evaluering.pdf" not in details
    assert "Evaluering skrevet av Kari Nordmann" in run("documents", study, "--details", "1", "--original")


def test_a_quote_from_a_pdf_report_is_cited_by_page_in_the_matrix(tmp_path: Path):
    from tests.writers import write_pdf

    study = tmp_path / "studie"
    run("init", study)
    report = tmp_path / "notat.pdf"
    write_pdf(report, [["Innledning", "", "Notatet oppsummerer erfaringene fra forsøket."],
                       ["Mentorene trenger mer tid til oppfølging av nye medarbeidere."],
                       ["Avslutning"]], header="Notat om mentorordningen")
    from codebench.services.sample import CODEBOOK

    run("codebook", "load", study, CODEBOOK)
    run("import", study, report, "--role", "mentor")
    text = services.get_document(services.open_project(study), "1").text
    start = text.index("Mentorene trenger")
    run("code", study, "1", "--start", start, "--end", start + len("Mentorene trenger mer tid"),
        "--code", "tid til oppfølging", "--category", "mentor", "--coder", "ingrid")
    matrix = tmp_path / "matrise.csv"
    run("export", "matrix", study, "-o", matrix, "--original")
    header, row = matrix.read_text(encoding="utf-8").splitlines()[:2]
    fields = dict(zip(header.split(","), row.split(",")))
    assert fields["page"] == "2" and fields["text"] == "Mentorene trenger mer tid"
    markdown = tmp_path / "matrise.md"
    run("export", "matrix", study, "-o", markdown, "--original")
    assert "«Mentorene trenger mer tid» — M01, mentor, notat, s. 2" in markdown.read_text(encoding="utf-8")


def test_a_noscribe_header_naming_the_informant_stays_out_of_the_text_and_every_export(tmp_path: Path):
    # A tester's noScribe file came in with its header as turns (a speaker "Audio source"); the
    # audio file is often named after the informant, and then the header names her.
    import zipfile

    from tests.unit.ingest.test_noscribe_html import _noscribe_file

    study = tmp_path / "studie"
    run("init", study)
    transcript = tmp_path / "intervju 4.html"
    _noscribe_file(transcript, "Transcribed with noScribe vers. 0.5<br />Audio source: kari nordmann.m4a")
    (tmp_path / "kari nordmann.m4a").write_bytes(b"\x00" * 64)  # the recording the header names
    imported = run("import", study, transcript)
    assert "1 document(s) imported" in imported  # (the importer is told the files' names: they are hers)
    shown = run("show", study, "1")
    assert shown.startswith("S00: ok. da er opptaket i gang") and "Audio source" not in shown
    project = services.open_project(study)
    assert services.media_of(project, 1).path == str((tmp_path / "kari nordmann.m4a").resolve())
    document = services.get_document(project, 1)
    services.create_code(project, "oppstart")
    services.apply_code(project, 1, 0, document.text.index("\n"), "oppstart", "ingrid")
    run("anonymise", study, "--no-model", "--auto")
    out = tmp_path / "ut"
    outputs = [run("documents", study), run("documents", study, "--details", "1")]
    for command in (["text", study, "-o", out / "tekst"], ["qdpx", study, "-o", out / "p.qdpx"],
                    ["matrix", study, "-o", out / "m.md"], ["matrix", study, "-o", out / "m.csv"]):
        outputs.append(run("export", *command, "--allow-unreviewed"))
    written = [p.read_text(encoding="utf-8") for p in (out / "tekst").iterdir()]
    written += [(out / "m.md").read_text(encoding="utf-8"), (out / "m.csv").read_text(encoding="utf-8")]
    with zipfile.ZipFile(out / "p.qdpx") as archive:
        written += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    for content in outputs + written + [p.name for p in out.rglob("*")]:
        assert "kari" not in content.casefold() and "nordmann" not in content.casefold(), content[:300]
