"""Survey answers as qualitative data."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from codebench.ingest import IngestError
from codebench.ingest.survey import import_survey

ROWS = [
    ["respondent", "bransje", "motiv", "samarbeid"],
    ["R1", "varehandel", "Vi trengte folk.", "Veilederen var alltid tilgjengelig"],
    ["R2", "industri", "", ""],
    ["R3", "helse", "Samfunnsansvar", ""],
]


def test_csv_one_document_per_respondent(tmp_path):
    path = tmp_path / "undersokelse.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(ROWS)
    docs = import_survey(path, ["motiv", "samarbeid"], "respondent")
    assert [d.name for d in docs] == ["undersokelse#R1", "undersokelse#R3"]  # R2 answered nothing
    # ... and the import says so, with the line (a tester found three respondents gone silently)
    said = "undersokelse.csv: 1 respondent(s) wrote nothing in these columns and were left out (line(s) 3)"
    assert docs[0].meta["left_out"] == said and not docs[0].warnings
    first = docs[0]
    assert [(t.speaker, first.text[t.body_start:t.end]) for t in first.turns] == [
        ("motiv", "Vi trengte folk."), ("samarbeid", "Veilederen var alltid tilgjengelig")]
    assert first.participant_hint == {"pid": "R1", "attributes": {"bransje": "varehandel"}}


def test_xlsx(tmp_path):
    path = tmp_path / "svar.xlsx"
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    book.save(path)
    docs = import_survey(path, ["motiv"], "respondent")
    assert [d.text for d in docs] == ["motiv: Vi trengte folk.", "motiv: Samfunnsansvar"]


def test_unknown_column_lists_the_real_ones(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        import_survey(path, ["fritekst"], None)
    assert "'fritekst'" in str(info.value) and "columns are: a, b" in str(info.value)


def test_duplicate_respondent_names_the_line(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,svar\nA,ja\nA,nei\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        import_survey(path, ["svar"], "id")
    assert info.value.line == 3
