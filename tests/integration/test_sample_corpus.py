"""The sample corpus imports cleanly and its identifier gold matches the stored text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from codebench import services
from codebench.services.sample import CORPUS, transcript_files

GOLD = sorted((CORPUS / "gold" / "identifiers").glob("*.json"))


def test_whole_corpus_imports_with_expected_counts(sample_project_dir: Path):
    project = services.open_project(sample_project_dir)
    docs = services.list_documents(project)
    transcripts = [d for d in docs if d.source_format != "survey"]
    assert len(transcripts) == len(transcript_files()) == 17
    # The evaluation report is no one's interview: it has no participant.
    by_role = Counter(d.participant.role if d.participant else None for d in transcripts)
    assert by_role == {"veileder": 5, "IA-rådgiver": 2, "mentor": 6, "arbeidsgiver": 3, None: 1}
    people = Counter(p.role for p in services.participants(project) if not p.pid.startswith("arbeidsgiverundersokelse"))
    assert people == {"veileder": 4, "IA-rådgiver": 2, "mentor": 5, "arbeidsgiver": 3}
    # longitudinal: V01 and M01 were interviewed twice
    rounds = Counter((d.participant.pid, d.round) for d in transcripts if d.participant)
    assert rounds[("V01", 1)] == rounds[("V01", 2)] == rounds[("M01", 1)] == rounds[("M01", 2)] == 1
    assert sum(d.word_count for d in transcripts) > 17 * 1500
    assert all(1500 <= d.word_count <= 4000 for d in transcripts)
    formats = Counter(d.source_format for d in transcripts)
    assert formats == {"docx": 4, "txt": 4, "vtt": 5, "odt": 1, "json": 1, "noscribe-html": 1, "pdf": 1}
    survey = [d for d in docs if d.source_format == "survey"]
    assert len(survey) >= 30 and all(d.participant.role == "arbeidsgiver" for d in survey)
    project.close()


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_gold_spans_match_the_stored_text(sample_project_dir: Path, gold_path: Path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    project = services.open_project(sample_project_dir)
    doc = services.get_document(project, gold["file"])
    assert doc.info.sha256 == gold["sha256"]
    assert len(doc.turns) == gold["turns"]
    assert gold["spans"], "every transcript has identifiers to anonymise"
    previous_end = 0
    for span in gold["spans"]:
        assert doc.text[span["start"]:span["end"]] == span["text"]
        assert span["start"] >= previous_end  # sorted and disjoint
        previous_end = span["end"]
    project.close()


def test_asr_json_noscribe_html_and_pdf_report_are_in_the_sample(sample_project_dir: Path):
    """The sample has one file of each newer format, each with exact gold and what its format keeps."""
    golds = {Path(g["file"]).suffix: g for g in (json.loads(p.read_text(encoding="utf-8")) for p in GOLD)}
    assert {".json", ".html", ".pdf"} <= set(golds)
    project = services.open_project(sample_project_dir)
    try:
        docs = {d.source_name: d for d in services.list_documents(project)}
        whisperx, noscribe, report = (docs[golds[s]["file"]] for s in (".json", ".html", ".pdf"))
        assert (whisperx.source_format, noscribe.source_format, report.source_format) == ("json", "noscribe-html", "pdf")
        for info in (whisperx, noscribe, report):
            doc = services.get_document(project, info.id)
            gold = golds[Path(info.source_name).suffix]
            assert doc.info.sha256 == gold["sha256"] and gold["spans"]
            assert {"PER", "LOC"} <= {s["type"] for s in gold["spans"]}
            for span in gold["spans"]:
                assert doc.text[span["start"]:span["end"]] == span["text"]
        # ASR JSON: two diarised speakers with word times; noScribe: S01/S02 with anchor times.
        asr = services.get_document(project, whisperx.id)
        assert {t.speaker for t in asr.turns} == {"SPEAKER_00", "SPEAKER_01"}
        assert asr.info.source_meta.get("word_times") and asr.info.source_meta.get("language") == "no"
        html = services.get_document(project, noscribe.id)
        assert {t.speaker for t in html.turns if t.speaker} == {"S01", "S02"}
        assert all(t.t_start is not None for t in html.turns if t.speaker)
        # The report: paragraphs without speakers over 3-5 pages, header and page numbers gone.
        pdf = services.get_document(project, report.id)
        assert report.participant is None and all(t.speaker is None for t in pdf.turns)
        assert 3 <= pdf.info.source_meta.get("page_count", 0) <= 5
        assert "Evalueringsnotat – mentorordning" not in pdf.text
    finally:
        project.close()


def test_gold_covers_the_anonymisation_traps():
    spans = [s for p in GOLD for s in json.loads(p.read_text(encoding="utf-8"))["spans"]]
    types = Counter(s["type"] for s in spans)
    assert {"PER", "ORG", "LOC", "NAV_OFFICE", "PHONE", "EMAIL", "FNR", "ADDRESS"} <= set(types)
    texts = {s["text"] for s in spans if s["entity"] == "kristine_holm"}
    assert {"Kristine", "Kristines", "Kristin"} <= texts  # possessive and misspelling link to one person
    assert any(s["text"].islower() for s in spans if s["type"] == "PER")
    fnr = [s["text"] for s in spans if s["type"] == "FNR"]
    assert fnr and all(_valid_fnr(f) for f in fnr)


def _valid_fnr(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 11:
        return False
    k1 = 11 - sum(w * d for w, d in zip([3, 7, 6, 1, 8, 9, 4, 5, 2], digits[:9])) % 11
    k2 = 11 - sum(w * d for w, d in zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], digits[:10])) % 11
    return (k1 % 11 if k1 != 11 else 0) == digits[9] and (k2 if k2 != 11 else 0) == digits[10]


@pytest.mark.slow
def test_committed_corpus_matches_its_sources():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(CORPUS / "build.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
