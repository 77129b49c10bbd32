"""How the ASR training data is built from Stortinget's aligned ASR (#15): people under other
names, never a name of the evaluation pool, pieces never cut inside a name, and test days never
read (no spaCy needed)."""

from __future__ import annotations

import random

from codebench.anonymise.training.asr_training import MISSING, Pools, pieces, swapped
from codebench.anonymise.training.storting_silver import dev_parts, split_days

# ASR of a speech: "PER" words belong to the entity beside them, None is a word the aligned
# proceedings could not label (a place, a word the editor left out).
WORDS = ["takk", "til", "kari", "holmeset", "og", "kari", "holmesets", "forslag", "fra", "bodø", "eee"]
LABELS = ["O", "O", "PER", "PER", "O", "PER", "PER", "O", "O", None, "O"]
ENTITIES = [None, None, "kari holmeset", "kari holmeset", None, "kari holmeset", "kari holmeset", None, None,
            None, None]


def _pools(exclude: set[str] = frozenset()) -> Pools:
    return Pools(["Ingrid", "Sander", "Kari"], ["Solbakk", "Brekkestad", "Holmeset"], set(exclude))


def test_every_person_gets_another_name_the_same_one_throughout_and_the_rest_stays() -> None:
    words, spaces, tags = swapped(WORDS, LABELS, ENTITIES, _pools({"kari", "holmeset"}), random.Random(0),
                                  noise=0.0, fuse=0.0)
    assert len(words) == len(tags) == len(spaces) == len(WORDS)
    assert tags[2:4] == ["B-PER", "I-PER"] and tags[5:7] == ["B-PER", "I-PER"]
    assert words[2] in ("ingrid", "sander") and words[3] in ("solbakk", "brekkestad")
    assert words[5] == words[2] and words[6] == words[3] + "s", "one person, one new name; the possessive stays"
    assert tags[9] == MISSING, "an unlabelled word is neither rewarded nor punished"
    assert [w for i, w in enumerate(words) if tags[i] in ("O", MISSING)] == \
        [w for w, lab in zip(WORDS, LABELS) if lab != "PER"]


def test_names_of_the_evaluation_pool_are_never_drawn() -> None:
    pools = _pools({"ingrid", "sander", "solbakk", "brekkestad"})
    assert pools.given == ["Kari"] and pools.surnames == ["Holmeset"]
    for seed in range(20):
        words, _, tags = swapped(WORDS, LABELS, ENTITIES, pools, random.Random(seed), noise=0.0, fuse=0.0)
        assert {w for w, t in zip(words, tags) if t.endswith("PER")} <= {"kari", "holmeset", "holmesets"}


def test_some_names_come_out_run_together_as_asr_writes_them() -> None:
    words, _, tags = swapped(WORDS[:4], LABELS[:4], ENTITIES[:4], _pools(), random.Random(0), noise=0.0, fuse=1.0)
    assert len(words) == 3 and tags == ["O", "O", "B-PER"] and words[2].isalpha() and len(words[2]) > 8


def test_pieces_cover_the_segment_and_never_cut_inside_a_name() -> None:
    n = 400
    labels = ["PER" if i % 7 in (3, 4, 5) else "O" for i in range(n)]
    entities = [f"p{i // 7}" if lab == "PER" else None for i, lab in enumerate(labels)]
    cuts = list(pieces(n, labels, entities, random.Random(1), shortest=4, longest=9))
    assert cuts[0][0] == 0 and cuts[-1][1] == n
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
    for start, _end in cuts[1:]:
        assert not (labels[start] == "PER" and labels[start - 1] == "PER" and entities[start] == entities[start - 1])


def test_the_tune_days_are_a_quarter_of_the_dev_days_and_the_test_days_are_in_neither_part() -> None:
    days = split_days()
    parts = dev_parts(days["dev"])
    assert sorted(parts["train"] + parts["tune"]) == sorted(days["dev"])
    assert not set(parts["train"]) & set(parts["tune"])
    assert len(parts["tune"]) == len(days["dev"]) // 4
    assert not (set(parts["train"]) | set(parts["tune"])) & set(days["test"])


def test_a_speaker_turn_has_a_name_or_a_role_before_a_colon_and_the_sentence_unchanged() -> None:
    from codebench.anonymise.training.asr_training import ROLE_LABELS, speaker_turn

    sentence = (["Sara", "har", "fått", "jobb", "."], [True, True, True, False, False], ["B-PER", "O", "O", "O", "O"])
    kinds = set()
    for seed in range(30):
        words, spaces, tags = speaker_turn(sentence, _pools(), random.Random(seed))
        colon = words.index(":")
        assert words[colon + 1:] == sentence[0] and tags[colon + 1:] == sentence[2] and tags[colon] == "O"
        assert len(words) == len(spaces) == len(tags) and spaces[colon - 1] is False
        if words[0] in ROLE_LABELS:
            kinds.add("role")
            assert tags[:colon] == ["O"] * colon
        else:
            kinds.add("name")
            assert tags[:colon] == ["B-PER"] + ["I-PER"] * (colon - 1)
    assert kinds == {"role", "name"}


def test_a_marked_interview_gives_people_traps_and_places_their_labels(tmp_path) -> None:
    from codebench.anonymise.training import marked_interviews

    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "intervju.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n"
        "æ jobbe med {{P:kari holmeset}} på {{W:kiwi sentrum}} i oslo og {{T:per dag}} e det fint\n\n"
        "00:00:05.000 --> 00:00:09.000\nho {{P:kari}} bur på {{L:mørkved}} og e {{C:førtito}}\n", encoding="utf-8")
    heard = marked_interviews.sentences([folder], _pools(), random.Random(0), copies=0, originals=1)
    tags = {w: t for words, _, ts in heard for w, t in zip(words, ts)}
    assert (tags["kari"], tags["holmeset"]) == ("B-PER", "I-PER")
    assert tags["per"] == "O" and tags["dag"] == "O", "a trap is taught as no name"
    assert tags["kiwi"] == tags["mørkved"] == MISSING, "workplaces and small places teach nothing"
    assert tags["oslo"] == MISSING, "a public place is a place, not an ordinary word"
    assert tags["førtito"] == "O" and tags["jobbe"] == "O"
    renamed = marked_interviews.sentences([folder], _pools({"kari", "holmeset"}), random.Random(0),
                                          copies=3, originals=0)
    people = {w for words, _, ts in renamed for w, t in zip(words, ts) if t.endswith("PER")}
    assert people and not people & {"kari", "holmeset"}, "renamed copies carry other names"
    assert {w for words, _, ts in renamed for w, t in zip(words, ts) if not t.endswith("PER")} >= {"jobbe", "dag"}
