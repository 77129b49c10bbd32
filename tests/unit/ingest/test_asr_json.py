"""JSON transcripts from WhisperX, faster-whisper and NB-Whisper."""

from __future__ import annotations

import json

import pytest

from codebench.ingest import IngestError, import_file

QUESTION = "Kan du fortelle om kandidaten din?"
ANSWER_1 = "Ja, han startet i 2019."
ANSWER_2 = "Og det gikk bra etter hvert."


def timed_words(text: str, start: float, step: float = 0.3, untimed: tuple[str, ...] = ()) -> list[dict]:
    """WhisperX-style words: each word timed in turn, except those in ``untimed`` (numbers)."""
    words = []
    for n, word in enumerate(text.split()):
        if word in untimed:
            words.append({"word": word})
        else:
            words.append({"word": word, "start": round(start + n * step, 3),
                          "end": round(start + n * step + step - 0.05, 3), "score": 0.91})
    return words


def whisperx() -> dict:
    return {
        "segments": [
            {"start": 0.4, "end": 3.0, "text": " " + QUESTION, "speaker": "SPEAKER_00",
             "words": timed_words(QUESTION, 0.5)},
            {"start": 3.1, "end": 6.0, "text": " " + ANSWER_1, "speaker": "SPEAKER_01",
             "words": timed_words(ANSWER_1, 3.2, untimed=("2019.",))},
            {"start": 6.2, "end": 8.4, "text": " " + ANSWER_2, "speaker": "SPEAKER_01",
             "words": timed_words(ANSWER_2, 6.3)},
        ],
        "language": "no",
    }


def write(tmp_path, name, data) -> object:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def bodies(doc):
    return [(t.speaker, doc.text[t.body_start:t.end]) for t in doc.turns]


def test_whisperx_speakers_form_turns_with_exact_word_times(tmp_path):
    doc = import_file(write(tmp_path, "intervju.json", whisperx()))
    assert doc.text.startswith(f"SPEAKER_00: {QUESTION}\n\nSPEAKER_01: ")
    assert bodies(doc) == [("SPEAKER_00", QUESTION), ("SPEAKER_01", f"{ANSWER_1} {ANSWER_2}")]
    first, second = doc.turns
    # The first word's start and the last word's end, not the segment's padded times.
    assert (first.t_start, first.t_end) == pytest.approx((0.5, 0.5 + 5 * 0.3 + 0.25))
    assert second.t_start == pytest.approx(3.2)
    assert second.t_end == pytest.approx(6.3 + 5 * 0.3 + 0.25)
    assert doc.meta["language"] == "no"
    assert not doc.warnings


def test_word_times_point_at_the_words_in_the_stored_text(tmp_path):
    data = whisperx()
    doc = import_file(write(tmp_path, "intervju.json", data))
    expected = [(w["word"], w["start"], w["end"]) for s in data["segments"] for w in s["words"] if "start" in w]
    stored = doc.meta["word_times"]
    assert len(stored) == len(expected)
    for (offset, start, end), (word, w_start, w_end) in zip(stored, expected):
        assert doc.text[offset:offset + len(word)] == word
        assert (start, end) == (w_start, w_end)
    # The untimed number is in the text but has no word time.
    assert "2019." in doc.text and all(doc.text[o:o + 5] != "2019." for o, _, _ in stored)


def test_untimed_last_word_keeps_the_segment_end(tmp_path):
    data = {"segments": [{"start": 1.0, "end": 4.0, "text": "Han startet i 2019.", "speaker": "SPEAKER_00",
                          "words": timed_words("Han startet i 2019.", 1.1, untimed=("2019.",))}]}
    doc = import_file(write(tmp_path, "tall.json", data))
    assert (doc.turns[0].t_start, doc.turns[0].t_end) == (pytest.approx(1.1), 4.0)


def test_faster_whisper_segments_with_probabilities(tmp_path):
    def segment(n, start, end, text):
        words = [{"start": start + i * 0.4, "end": start + i * 0.4 + 0.35, "word": " " + w, "probability": 0.8}
                 for i, w in enumerate(text.split())]
        return {"id": n, "seek": 0, "start": start, "end": end, "text": " " + text, "tokens": [50364, 1000],
                "avg_logprob": -0.2, "compression_ratio": 1.3, "no_speech_prob": 0.01, "temperature": 0.0,
                "words": words}
    data = {"segments": [segment(1, 0.0, 2.0, "Hei og velkommen."), segment(2, 2.1, 4.0, "Takk skal du ha.")],
            "info": {"language": "nn", "language_probability": 0.93}}
    doc = import_file(write(tmp_path, "fw.json", data))
    assert doc.text == "Hei og velkommen. Takk skal du ha."
    assert [t.speaker for t in doc.turns] == [None]
    assert doc.meta["language"] == "nn"
    offset, start, end = doc.meta["word_times"][4]
    assert doc.text[offset:offset + 4] == "skal" and start == pytest.approx(2.5)


def test_nb_whisper_without_speakers_splits_paragraphs_at_pauses(tmp_path):
    data = {"language": "nb", "segments": [
        {"start": 0.0, "end": 2.0, "text": "Første setning."},
        {"start": 2.2, "end": 4.0, "text": "Andre setning."},
        {"start": 7.5, "end": 9.0, "text": "Etter en lang pause."},
    ]}
    doc = import_file(write(tmp_path, "nb.json", data))
    assert bodies(doc) == [(None, "Første setning. Andre setning."), (None, "Etter en lang pause.")]
    assert [(t.t_start, t.t_end) for t in doc.turns] == [(0.0, 4.0), (7.5, 9.0)]
    assert "word_times" not in doc.meta and doc.meta["language"] == "nb"


def test_transformers_chunks_as_written_for_nb_whisper(tmp_path):
    data = {"text": "Hei. Hallo.", "chunks": [{"timestamp": [0.0, 1.5], "text": " Hei."},
                                              {"timestamp": [1.6, None], "text": " Hallo."}]}
    doc = import_file(write(tmp_path, "chunks.json", data))
    assert doc.text == "Hei. Hallo."
    # The open-ended last chunk is tolerated: its text is kept, its times are not.
    assert doc.turns[0].t_start == 0.0 and doc.turns[0].t_end == 1.5
    assert len(doc.warnings) == 1 and "segment 2" in doc.warnings[0]


def test_top_level_list_of_segments(tmp_path):
    data = [{"start": 0.0, "end": 1.0, "text": "Ja.", "speaker": "SPEAKER_00"},
            {"start": 1.2, "end": 3.0, "text": "Nei, altså.", "speaker": "SPEAKER_01"}]
    doc = import_file(write(tmp_path, "liste.json", data))
    assert bodies(doc) == [("SPEAKER_00", "Ja."), ("SPEAKER_01", "Nei, altså.")]
    assert doc.turns[1].t_start == 1.2
    assert "language" not in doc.meta


def test_tolerated_bad_times_warn_without_quoting_text(tmp_path):
    data = {"segments": [
        {"start": 0.0, "end": 2.0, "text": "Hemmelig navn her.", "speaker": "SPEAKER_00"},
        {"start": 5.0, "end": 3.0, "text": "Baklengs tid.", "speaker": "SPEAKER_01"},
        {"text": "Uten tider.", "speaker": "SPEAKER_00"},
    ]}
    path = write(tmp_path, "opptak.json", data)
    doc = import_file(path)
    assert bodies(doc) == [("SPEAKER_00", "Hemmelig navn her."), ("SPEAKER_01", "Baklengs tid."),
                           ("SPEAKER_00", "Uten tider.")]
    assert [(t.t_start, t.t_end) for t in doc.turns] == [(0.0, 2.0), (None, None), (None, None)]
    assert len(doc.warnings) == 2
    assert "segment 2 ends" in doc.warnings[0] and "segment 3 has no usable" in doc.warnings[1]
    for warning in doc.warnings:
        assert warning.startswith(f"{path}: ")
        assert not any(word in warning for word in ("Baklengs", "Uten", "tider.", "Hemmelig"))
    with pytest.raises(IngestError, match="refused under --strict"):
        import_file(path, strict=True)


def test_not_json_names_file_and_line(tmp_path):
    path = tmp_path / "ødelagt.json"
    path.write_text('{"segments": [\n  {"start": 0, "end": 1, "text": "hei"},\n  {"start": oops}\n]}\n', encoding="utf-8")
    with pytest.raises(IngestError) as info:
        import_file(path)
    assert info.value.line == 3 and str(info.value).startswith(f"{path}:3: not valid JSON")


@pytest.mark.parametrize("data", [
    {"results": []},
    {"segments": "tekst"},
    [1, 2, 3],
    "bare en streng",
    {"segments": [{"start": 0, "end": 1, "text": 42}]},
])
def test_json_of_another_shape_is_refused(tmp_path, data):
    path = write(tmp_path, "annet.json", data)
    with pytest.raises(IngestError) as info:
        import_file(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "expected a WhisperX/faster-whisper JSON with segments" in str(info.value)


@pytest.mark.parametrize("data", [{"segments": []}, {"segments": [{"start": 0, "end": 1, "text": "  "}]}])
def test_no_text_at_all_is_refused(tmp_path, data):
    path = write(tmp_path, "tom.json", data)
    with pytest.raises(IngestError, match="holds no transcript text"):
        import_file(path)
