"""A name spelled out in an ASR transcript is masked like the name, through the CLI on a real
project (a tester's "altså det er m j e l d e" and "t s e n på slutten" stayed in clear)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from codebench.cli import main

# Caseless, as ASR writes it; the spelled names are unknown to every list.
TRANSCRIPT = """\
1
00:00:01,000 --> 00:00:05,000
kan du si litt om deg sjøl

2
00:00:05,500 --> 00:00:14,000
ja eg heter runa tveit altså det er t v e i t tveit og eg bur i byen

3
00:00:14,500 --> 00:00:20,000
og veilederen din

4
00:00:20,500 --> 00:00:30,000
det var han bakkebrun med b r u n på slutten han var grei altså

5
00:00:30,500 --> 00:00:36,000
æ e i a sånn det e greit
"""


def _masked_export(tmp_path: Path, transcript: str) -> str:
    source = tmp_path / "intervju 1.srt"
    source.write_text(transcript, encoding="utf-8")
    root = str(tmp_path / "p")
    runner = CliRunner()
    for args in (["init", root], ["import", root, str(source)], ["anonymise", root, "--no-model", "--auto"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    result = runner.invoke(main, ["export", "text", root, "-o", str(tmp_path / "ut"), "--allow-unreviewed"])
    assert result.exit_code == 0, result.output
    return "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "ut").iterdir())


def test_spelled_names_are_masked_by_auto_and_dialect_letters_are_not(tmp_path: Path) -> None:
    text = _masked_export(tmp_path, TRANSCRIPT)
    assert re.search(r"altså det er \[Person \d+\] \[Person \d+\] og eg bur", text), text  # "t v e i t tveit"
    assert re.search(r"med \[Person \d+\] på slutten", text), text  # "b r u n"
    assert "æ e i a sånn det e greit" in text  # single-letter words of dialect stay


def test_a_spelled_name_opening_and_ending_with_letters_that_are_words_is_masked_whole(tmp_path: Path) -> None:
    text = _masked_export(tmp_path, TRANSCRIPT.replace("t v e i t tveit", "m j e l d e mjelde"))
    assert re.search(r"altså det er \[Person \d+\] \[Person \d+\] og eg bur", text), text


def test_a_name_spelled_in_a_typed_transcript_is_masked() -> None:
    from codebench.anonymise.pipeline import anonymise_text

    text = anonymise_text("I: Og etternavnet?\n\nR: Det er Tveitnes. Tveitnes med n e s på slutten.\n", use_model=False)
    assert "n e s" not in text and "med [Person" in text, text
