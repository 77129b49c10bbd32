"""PDF reports (AFI reports, white papers) read from their text layer into paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from codebench.ingest import IngestError, import_file
from tests.writers import lay_out_pages, write_pdf

HEADER = "AFI-rapport 2024:3 – Inkluderende arbeidsliv"

PAGE_1 = [
    "Sammendrag",
    "",
    "Denne rapporten handler om hvordan IA-rådgivere og veiledere i NAV følger opp arbeids-",
    "takere med nedsatt arbeidsevne. Helse- og omsorgstjenester i kommunene er en viktig",
    "samarbeidspartner, og mentorordningen brukes i økende grad.",
    "",
    "Vi har intervjuet 14 informanter i tre fylker. Intervjuene viser at arbeidsgiverne",
    "ønsker tettere kontakt med veilederen i den første tiden etter oppstart, og at de",
]
PAGE_2 = [
    "opplever mentoren som et bindeledd mellom den ansatte og kollegene.",
    "",
    "Kapittel 2 beskriver metoden. Kapittel 3 drøfter funnene om tilrettelegging på ar-",
    "beidsplassen og om hvordan ansvaret fordeles mellom partene.",
]
PAGE_3 = [
    "Kapittel 4 oppsummerer anbefalingene til partene i arbeidslivet.",
]


def report(tmp_path: Path, pages=(PAGE_1, PAGE_2, PAGE_3), **kwargs) -> Path:
    path = tmp_path / "rapport.pdf"
    write_pdf(path, pages, title="Inkluderende arbeidsliv i praksis", header=HEADER, **kwargs)
    return path


def paragraphs(doc) -> list[str]:
    return [doc.text[t.body_start : t.end] for t in doc.turns]


def test_report_becomes_paragraphs_without_headers_page_numbers_or_split_words(tmp_path):
    doc = import_file(report(tmp_path))
    assert doc.source_format == "pdf"
    assert paragraphs(doc) == [
        "Sammendrag",
        "Denne rapporten handler om hvordan IA-rådgivere og veiledere i NAV følger opp arbeidstakere "
        "med nedsatt arbeidsevne. Helse- og omsorgstjenester i kommunene er en viktig samarbeidspartner, "
        "og mentorordningen brukes i økende grad.",
        # runs on over the page break, as the sentence does
        "Vi har intervjuet 14 informanter i tre fylker. Intervjuene viser at arbeidsgiverne ønsker "
        "tettere kontakt med veilederen i den første tiden etter oppstart, og at de opplever mentoren "
        "som et bindeledd mellom den ansatte og kollegene.",
        "Kapittel 2 beskriver metoden. Kapittel 3 drøfter funnene om tilrettelegging på arbeidsplassen "
        "og om hvordan ansvaret fordeles mellom partene.",
        "Kapittel 4 oppsummerer anbefalingene til partene i arbeidslivet.",
    ]
    assert all(t.speaker is None for t in doc.turns)
    assert HEADER not in doc.text and "AFI-rapport" not in doc.text
    assert doc.meta["title"] == "Inkluderende arbeidsliv i praksis"
    assert doc.meta["page_count"] == 3
    assert "removed 3 running header/footer line(s)" in doc.notes
    assert "removed 3 page number(s)" in doc.notes
    assert doc.warnings == []


def test_page_offsets_point_at_each_pages_first_words(tmp_path):
    doc = import_file(report(tmp_path))
    starts = doc.meta["pages"]
    assert len(starts) == 3
    assert doc.text[starts[0]:].startswith("Sammendrag")
    assert doc.text[starts[1]:].startswith("opplever mentoren")
    assert doc.text[starts[2]:].startswith("Kapittel 4")


def test_a_body_line_that_repeats_on_every_page_is_not_taken_for_a_header(tmp_path):
    refrain = "Tabell: antall informanter per fylke"
    # The refrain closes each page's body, but pages are filled to different depths.
    pages = [[f"Side {n} har sin egen tekst om oppfølging."] * n + [refrain] for n in range(1, 5)]
    doc = import_file(report(tmp_path, pages=pages))
    assert doc.text.count(refrain) == 4


def test_a_pdf_of_only_headers_and_page_numbers_is_refused(tmp_path):
    path = tmp_path / "forside.pdf"
    write_pdf(path, [["AFI"], ["AFI"], ["AFI"]])
    with pytest.raises(IngestError, match=r"forside\.pdf.*no text besides headers"):
        import_file(path)


def test_without_running_header_the_first_lines_stay(tmp_path):
    path = tmp_path / "notat.pdf"
    write_pdf(path, [["Notat om mentorordningen", "", "Mentoren møter den ansatte hver uke."]])
    doc = import_file(path)
    assert paragraphs(doc) == ["Notat om mentorordningen", "Mentoren møter den ansatte hver uke."]
    assert "title" not in doc.meta


SENTENCES = [
    "Arbeidsgiveren beskriver samarbeidet med IA-rådgiveren som avgjørende for tilretteleggingen.",
    "Særlig i perioder med sykefravær og omstilling trengs en fast kontaktperson i NAV.",
    "Veilederne forteller at de har for mange brukere til å følge opp hver enkelt tett.",
    "Mentoren blir ofte den som fanger opp misforståelser tidlig på arbeidsplassen.",
    "Flere informanter etterlyser bedre rutiner for overgangen fra tiltak til fast ansettelse.",
    "Tilretteleggingstilskuddet oppleves som byråkratisk, men nyttig når det først er innvilget.",
    "Kommunene har ulike erfaringer med å bruke lønnstilskudd over lengre tid.",
]


def test_long_report_laid_out_by_a_word_processor_keeps_every_word(tmp_path):
    paras = [f"Avsnitt {n}. " + " ".join(SENTENCES[(n * 3 + k) % 7] for k in range(1 + n % 5)) for n in range(60)]
    path = tmp_path / "lang.pdf"
    write_pdf(path, lay_out_pages(paras, lines_per_page=40), header="Sluttrapport", page_numbers=True)
    doc = import_file(path)
    assert paragraphs(doc) == paras
    assert doc.meta["page_count"] == len(doc.meta["pages"]) > 5


def test_a_scan_without_text_is_refused_with_advice(tmp_path):
    path = tmp_path / "skann.pdf"
    write_pdf(path, [[], []])
    with pytest.raises(IngestError, match=r"skann\.pdf.*no text layer.*OCR"):
        import_file(path)


def test_one_scanned_page_in_a_report_is_a_warning(tmp_path):
    doc = import_file(report(tmp_path, pages=(PAGE_1, [], PAGE_2, PAGE_3)))
    assert doc.warnings == ["rapport.pdf: page 2 has images but no text (a scanned page?); run OCR to import its words"]
    assert "1 page(s) without text" in doc.notes
    # The empty page starts where the next page's text does.
    assert doc.meta["pages"][1] == doc.meta["pages"][2]


@pytest.mark.parametrize(("data", "message"), [
    (b"Dette er ikke en PDF\n", "not a PDF file"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "incomplete"),
    (b"%PDF-1.4\ngarbage garbage\n%%EOF\n", "not a readable PDF"),
])
def test_broken_files_name_the_file(tmp_path, data, message):
    path = tmp_path / "feil.pdf"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=rf"feil\.pdf.*{message}"):
        import_file(path)


def test_a_file_cut_off_mid_download_is_refused_not_half_read(tmp_path):
    whole = report(tmp_path).read_bytes()
    cut = tmp_path / "avkuttet.pdf"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(IngestError, match=r"avkuttet\.pdf.*incomplete"):
        import_file(cut)


def test_a_password_protected_pdf_is_refused_clearly(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(report(tmp_path)))
    writer.encrypt(user_password="hemmelig", algorithm="RC4-128")
    locked = tmp_path / "låst.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    with pytest.raises(IngestError, match=r"låst\.pdf.*password-protected"):
        import_file(locked)


def test_an_owner_password_only_pdf_opens(tmp_path):
    """Many reports are 'protected' against editing only; they open without a password and import."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(report(tmp_path)))
    writer.encrypt(user_password="", owner_password="eier", algorithm="RC4-128")
    protected = tmp_path / "beskyttet.pdf"
    with protected.open("wb") as out:
        writer.write(out)
    assert paragraphs(import_file(protected))[0] == "Sammendrag"


def test_a_decompression_bomb_is_refused_quickly(tmp_path):
    """A content stream that inflates to 100 MB: refused by the page, without unpacking it all."""
    import zlib

    packer = zlib.compressobj(9)
    packed = packer.compress(b"BT /F1 11 Tf 72 760 Td (Hei) Tj ET\n")
    chunk = b" " * 1_000_000
    packed += b"".join(packer.compress(chunk) for _ in range(100)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    data, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    bomb = tmp_path / "bombe.pdf"
    bomb.write_bytes(bytes(data))
    with pytest.raises(IngestError, match=r"bombe\.pdf: page 1 unpacks to more data than any report holds"):
        import_file(bomb)


def test_a_transcript_of_one_line_turns_keeps_a_turn_per_speaker(tmp_path):
    # A tester's interview saved from Word with space after each paragraph: every gap is the
    # same, so no gap stands out and the 129 lines came in as 8 paragraphs, "I: … Ahmad: …" in one.
    lines = []
    for n in range(12):  # enough lines that the usual spacing is read from them
        lines += [f"I: Hva skjedde i uke {n + 1}?", "", f"Ahmad: Da jobbet jeg på lageret, dag {n + 1}.", ""]
    lines[:4] = ["I: Hva jobbet du med før?", "", "Ahmad: Jeg var elektriker i mange år.", ""]
    path = tmp_path / "intervju.pdf"
    write_pdf(path, [lines], page_numbers=False)
    turns = paragraphs(import_file(path))
    assert len(turns) == 24, turns
    assert turns[0] == "I: Hva jobbet du med før?" and turns[1] == "Ahmad: Jeg var elektriker i mange år."
