"""No replacement crosses a line break (#14): a name written across a line end is two mentions
of one entity, one on each line, and rendering keeps every line even given a span across one."""

from __future__ import annotations

from codebench.anonymise.detections import PER, Detection, line_pieces, split_at_line_breaks
from codebench.anonymise.linking import link
from codebench.anonymise.pipeline import Replacement, anonymise_text, detect_text, render, replace_forms

TEXT = (
    "I: Hvem var veilederen din?\n"
    "R: Det var Aksel Lund Svindal. Han kom fra NAV Sørvik.\n"
    "I: Og mentoren?\n"
    "R: Mentoren var en venn av Aksel\n"
    "Lund Svindal, og Aksel ringte meg hver uke.\n"
)
SPLIT = TEXT.index("Aksel\nLund")
SPLIT_END = SPLIT + len("Aksel\nLund Svindal")


def test_line_pieces_cut_at_the_line_end_and_trim() -> None:
    assert line_pieces(TEXT, SPLIT, SPLIT_END) == [(SPLIT, SPLIT + 5), (SPLIT + 6, SPLIT_END)]
    assert line_pieces(TEXT, SPLIT, SPLIT + 5) == [(SPLIT, SPLIT + 5)]  # one line: unchanged
    assert line_pieces("Kari \r\n - \n", 0, 11) == [(0, 4)]  # a bare hyphen identifies nobody
    det = Detection(SPLIT, SPLIT_END, PER, "ner", 0.9, TEXT[SPLIT:SPLIT_END])
    assert [d.text for d in split_at_line_breaks(det)] == ["Aksel", "Lund Svindal"]
    assert all(d.kind == PER and d.score == 0.9 for d in split_at_line_breaks(det))


def test_linking_gives_one_entity_two_mentions_and_no_line_break() -> None:
    clusters = link({0: TEXT}, {0: detect_text(TEXT, use_model=False)})
    aksel = next(c for c in clusters if "aksel lund svindal" in c.forms)
    spans = [(det.start, det.end) for _, det in aksel.mentions]
    assert (SPLIT, SPLIT + 5) in spans and (SPLIT + 6, SPLIT_END) in spans, spans
    assert all("\n" not in det.text for c in clusters for _, det in c.mentions)


def test_a_split_name_with_no_full_form_elsewhere_stays_one_entity() -> None:
    text = "R: Jeg snakket med Aksel\nLund Svindal i går.\nI: Hva sa han?\n"
    start = text.index("Aksel")
    detections = {0: [Detection(start, start + len("Aksel\nLund Svindal"), PER, "ner", 0.9,
                                text[start:start + len("Aksel\nLund Svindal")])]}
    clusters = link({0: text}, detections)
    assert len(clusters) == 1 and [d.text for _, d in clusters[0].mentions] == ["Aksel", "Lund Svindal"]


def test_anonymising_keeps_every_line() -> None:
    out = anonymise_text(TEXT, use_model=False)
    assert out.count("\n") == TEXT.count("\n") and "Aksel" not in out and "Svindal" not in out
    assert out.splitlines()[3].endswith("en venn av [Person 1]") and out.splitlines()[4].startswith("[Person 1], og")


def test_render_keeps_a_line_break_inside_a_stored_span() -> None:
    """A database from before the fix may hold one mention across the line end."""
    rep = Replacement(SPLIT, SPLIT_END, "[Veileder 1]", TEXT[SPLIT:SPLIT_END])
    text, offsets = render(TEXT, [rep], {"[Veileder 1]": {"aksel lund svindal", "aksel"}})
    assert text.splitlines()[3].endswith("av [Veileder 1]") and text.splitlines()[4].startswith("[Veileder 1], og")
    assert len(text.splitlines()) == len(TEXT.splitlines())
    # The line break maps back onto the original line break.
    at = text.index("[Veileder 1]\n") + len("[Veileder 1]")
    assert text[at] == "\n" and TEXT[offsets.to_source(at)] == "\n"


def test_short_strings_keep_their_line_breaks() -> None:
    forms = {"aksel lund svindal": "[Person 1]", "aksel": "[Person 1]"}
    assert replace_forms("Ring Aksel\nLund Svindals kontor", forms) == "Ring [Person 1]\n[Person 1]s kontor"
