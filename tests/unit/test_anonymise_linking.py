"""Linking decisions that need no model: detections are built by hand over real sentences."""

from __future__ import annotations

from codebench.anonymise.detections import LOC, ORG, PER, Detection
from codebench.anonymise.linking import link


def _det(text: str, surface: str, kind: str, *, nth: int = 0, detector: str = "ner", score: float = 0.9) -> Detection:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Detection(start, start + len(surface), kind, detector, score, surface)


def _kinds(clusters, doc) -> dict[str, str]:
    return {det.text: det.kind for cluster in clusters for d, det in cluster.mentions if d == doc}


def test_a_title_stays_outside_the_person_span() -> None:
    texts = {1: "Vi snakket med Dr. Donsbach i går, og fru Holm var også der."}
    dets = {1: [_det(texts[1], "Dr. Donsbach", PER), _det(texts[1], "fru Holm", PER)]}
    spans = {texts[1][det.start:det.end] for c in link(texts, dets) for _, det in c.mentions}
    assert "Donsbach" in spans and "Holm" in spans
    assert not any(s.startswith(("Dr", "fru")) for s in spans)


def test_a_place_named_after_a_given_name_stays_a_place_when_the_model_keeps_calling_it_one() -> None:
    texts = {
        1: "Jan Hansen var på Jan Mayen i fjor.",
        2: "Stasjonen på Jan Mayen ble bygd om.",
        3: "Ingen bor fast på Jan Mayen.",
    }
    dets = {
        1: [_det(texts[1], "Jan Hansen", PER), _det(texts[1], "Jan Mayen", LOC)],
        2: [_det(texts[2], "Jan Mayen", LOC)],
        3: [_det(texts[3], "Jan Mayen", LOC)],
    }
    clusters = link(texts, dets)
    assert all(_kinds(clusters, doc)["Jan Mayen"] == LOC for doc in texts)
    assert _kinds(clusters, 1)["Jan Hansen"] == PER


def test_a_person_the_model_once_called_a_workplace_is_still_a_person() -> None:
    texts = {
        1: "Tobias Berg begynte i butikken i mai.",
        2: "Tobias Berg fikk fast stilling til slutt.",
        3: "Jeg ringte til Tobias Berg om turnusen.",
    }
    dets = {
        1: [_det(texts[1], "Tobias Berg", PER)],
        2: [_det(texts[2], "Tobias Berg", PER)],
        3: [_det(texts[3], "Tobias Berg", ORG)],
    }
    clusters = link(texts, dets)
    assert {_kinds(clusters, doc)["Tobias Berg"] for doc in texts} == {PER}
    assert len({id(c) for c in clusters for _, det in c.mentions if det.text == "Tobias Berg"}) == 1


def test_a_one_word_name_the_model_repeatedly_calls_a_workplace_follows_its_person_evidence() -> None:
    texts = {
        1: "Elsa sa at hun trivdes.",
        2: "Vi har snakket med Elsa om det.",
        3: "Elsa ville ikke mer.",
        4: "Jeg spurte Elsa igjen.",
    }
    dets = {
        1: [_det(texts[1], "Elsa", PER)],
        2: [_det(texts[2], "Elsa", ORG)],
        3: [_det(texts[3], "Elsa", ORG)],
        4: [_det(texts[4], "Elsa", ORG)],
    }
    clusters = link(texts, dets)
    assert {_kinds(clusters, doc)["Elsa"] for doc in texts} == {PER}


def test_a_sentence_that_ends_inside_a_person_span_ends_the_name() -> None:
    texts = {1: "Før Thea hadde vi en gutt, Kim. Det var ikke via Ole. Og Kim var flink."}
    dets = {1: [_det(texts[1], "Kim. Det", PER), _det(texts[1], "Kim", PER, nth=1)]}
    clusters = link(texts, dets)
    kims = [c for c in clusters if any(det.text.startswith("Kim") for _, det in c.mentions)]
    assert len(kims) == 1, "both mentions of Kim are one person"
    assert sorted(det.text for _, det in kims[0].mentions) == ["Kim", "Kim"]


def test_initials_and_abbreviations_do_not_end_a_name() -> None:
    texts = {1: "Det sa Eli H. Berg til avisen, og St. Olavs hospital svarte."}
    dets = {1: [_det(texts[1], "Eli H. Berg", PER), _det(texts[1], "St. Olavs hospital", ORG)]}
    spans = {det.text for c in link(texts, dets) for _, det in c.mentions}
    assert {"Eli H. Berg", "St. Olavs hospital"} <= spans


def test_a_function_word_the_model_runs_into_a_place_is_cut_off() -> None:
    texts = {1: "Men eg tenkjer framleis på Sander av og til, sa ho.",
             2: "Sander kom ein måndag."}
    dets = {1: [_det(texts[1], "Sander av", LOC), _det(texts[1], "Sander", PER, detector="lexicon", score=0.63)],
            2: [_det(texts[2], "Sander", PER)]}
    clusters = link(texts, dets)
    assert _kinds(clusters, 1) == {"Sander": PER}
    assert len({id(c) for c in clusters for _, det in c.mentions if det.text == "Sander"}) == 1


def test_a_place_the_model_runs_into_a_person_name_in_asr_text_is_cut_off() -> None:
    texts = {
        1: "vi fikk et mentornettverk her i sørvik hannes nettverk har hatt to samlinger",
        2: "Hanne Strand jobber i Sørvik.",
        3: "Jeg bor i Sørvik.",
        4: "Sørvik er en liten plass.",
    }
    dets = {
        1: [_det(texts[1], "sørvik hannes", PER)],
        2: [_det(texts[2], "Hanne Strand", PER), _det(texts[2], "Sørvik", LOC)],
        3: [_det(texts[3], "Sørvik", LOC)],
        4: [_det(texts[4], "Sørvik", LOC)],
    }
    clusters = link(texts, dets)
    hanne = next(c for c in clusters if "hanne strand" in c.forms)
    assert (1, "hannes") in {(d, det.text) for d, det in hanne.mentions}
    assert _kinds(clusters, 1)["sørvik"] == LOC


def test_a_workplace_gets_one_kind_however_the_model_labels_it_each_time() -> None:
    texts = {1: "Han fikk jobb på Sørvik Bil i mai.", 2: "Sørvik Bil tok ham inn.", 3: "Hos Sørvik Bil var det bra."}
    dets = {1: [_det(texts[1], "Sørvik Bil", ORG)], 2: [_det(texts[2], "Sørvik Bil", LOC)],
            3: [_det(texts[3], "Sørvik Bil", ORG)]}
    clusters = link(texts, dets)
    owners = {id(c) for c in clusters for _, det in c.mentions if det.text == "Sørvik Bil"}
    assert len(owners) == 1
    assert {_kinds(clusters, doc)["Sørvik Bil"] for doc in texts} == {ORG}


def test_a_short_form_of_a_given_name_the_document_names_in_full_is_that_person() -> None:
    # A tester's Oleksandr Kovalenko was "sasha" in most of the interview and got pseudonyms of
    # his own for it; "kris" of Kristoffer Haugland likewise.
    text = ("oleksandr kovalenko kom hit i fjor og sasha jobber på lageret nå\n"
            "kristoffer haugland er veileder og kris ringer ofte\n"
            "marianne lie og marit berg var der og mari sa ja")
    other = "sasha kom også"
    found = {0: [_det(text, w, PER, nth=n) for w, n in (("oleksandr kovalenko", 0), ("sasha", 0),
                                                         ("kristoffer haugland", 0), ("kris", 1), ("marianne lie", 0),
                                                         ("marit berg", 0), ("mari", 2))],
             1: [_det(other, "sasha", PER)]}
    clusters = link({0: text, 1: other}, found)
    owner = {(doc, det.text): c.key for c in clusters for doc, det in c.mentions}
    assert owner[(0, "sasha")] == owner[(0, "oleksandr kovalenko")]
    assert owner[(0, "kris")] == owner[(0, "kristoffer haugland")]


def test_in_asr_text_a_foreign_given_name_of_a_masked_full_name_is_found_alone_in_its_document() -> None:
    # A tester's interview masked "rasha haddad" and left three lone "rasha" a few lines later;
    # another interview's "rasha" may be someone else and is not taken
    text = "og så har vi rasha haddad som e en annen historie\nså æ satt mæ ned med stig og rasha\nrasha itj skulle løfte"
    other = "rasha kom også innom i går"
    found = {0: [_det(text, "rasha haddad", PER)], 1: []}
    owners = {(doc, det.start): c.key for c in link({0: text, 1: other}, found) for doc, det in c.mentions}
    lone = [i for i in range(len(text)) if text.startswith("rasha", i) and not text.startswith("rasha haddad", i)]
    assert all(owners.get((0, start)) == "PER:rasha haddad" for start in lone), owners
    assert not any(doc == 1 for doc, _ in owners)


def test_in_asr_text_a_three_letter_surname_of_a_sure_full_name_is_found_alone_in_its_document() -> None:
    # A tester's "sjur aga" was masked, and "og aga var redd for at det" a few lines on was left
    text = "lager oppe på lofthus som sjur aga driv eh han har hatt fleire\neh og aga var redd for at det skulle bli forskjell"
    found = {0: [_det(text, "sjur aga", PER)]}
    owners = {det.start: c.key for c in link({0: text}, found) for _, det in c.mentions}
    assert owners.get(text.index("og aga") + 3) == "PER:sjur aga", owners


# Two independent informants: Kari Nordmann is one informant's NAV adviser; the other informant
# speaks of "kari" and "per", her own sister and colleague, and names nobody in full.
_FIRST = "ja kari nordmann er veilederen min på nav og kari ringer meg hver uke sammen med per olsen"
_SECOND = "søstera mi kari hjalp meg mye og per på lageret viste meg rundt så kari var glad"


def _independent(people: str) -> dict[tuple[int, str], int]:
    texts = {1: _FIRST, 2: _SECOND}
    dets = {
        1: [_det(_FIRST, "kari nordmann", PER), _det(_FIRST, "kari", PER, nth=1), _det(_FIRST, "per olsen", PER)],
        2: [_det(_SECOND, "kari", PER), _det(_SECOND, "per", PER)],
    }
    owner: dict[tuple[int, str], int] = {}
    for n, cluster in enumerate(link(texts, dets, people=people)):
        for doc, det in cluster.mentions:
            owner[(doc, det.text, det.start)] = n
    return owner


def test_a_lone_given_name_joins_the_project_person_of_that_name_by_default() -> None:
    owner = _independent("project")
    # One site: the second informant's "kari" is the first's Kari Nordmann.
    assert owner[(2, "kari", _SECOND.index("kari"))] == owner[(1, "kari nordmann", _FIRST.index("kari nordmann"))]


def test_independent_informants_keep_a_lone_given_name_in_its_own_interview() -> None:
    owner = _independent("interview")
    first_kari = owner[(1, "kari nordmann", _FIRST.index("kari nordmann"))]
    # Inside the first interview the lone "kari" is still Kari Nordmann ...
    assert owner[(1, "kari", _FIRST.index("kari", 8))] == first_kari
    # ... while the second interview's "kari" (said twice) is one other person, and so is "per".
    second = {owner[(2, "kari", _SECOND.index("kari"))], owner[(2, "kari", _SECOND.rindex("kari"))]}
    assert len(second) == 1 and first_kari not in second
    assert owner[(2, "per", _SECOND.index("per"))] != owner[(1, "per olsen", _FIRST.index("per olsen"))]


def test_independent_informants_still_find_a_lone_name_the_detectors_missed() -> None:
    # The detectors found "kari" only once in the second interview; the second time is found by
    # propagation, as another person than the first interview's Kari Nordmann.
    texts = {1: _FIRST, 2: _SECOND}
    dets = {1: [_det(_FIRST, "kari nordmann", PER), _det(_FIRST, "kari", PER, nth=1)], 2: []}
    clusters = link(texts, dets, people="interview")
    found = {(doc, det.start): n for n, c in enumerate(clusters) for doc, det in c.mentions}
    assert (2, _SECOND.index("kari")) in found and (2, _SECOND.rindex("kari")) in found
    assert found[(2, _SECOND.index("kari"))] != found[(1, _FIRST.index("kari nordmann"))]


def test_laughter_and_the_dialect_she_are_never_a_person_however_sure_the_model_is() -> None:
    # A tester's five ASR interviews: the model's "haha haha" (0.90) made every "haha" of the
    # project one person, and "mamma hu ble bekymra" made "hu" (she; "Hu" is a surname on the
    # lists) a person 25 times.
    text = "og mamma hu ble jo bekymra haha haha ja og så var det hu som ringte nav haha"
    dets = {1: [_det(text, "haha haha", PER, score=0.9), _det(text, "hu", PER, score=0.7),
                _det(text, "hu", PER, nth=1, score=0.7, detector="lexicon")]}
    assert not [det.text for c in link({1: text}, dets) for _, det in c.mentions]


def test_circles_a_lone_name_reaches_the_interviews_sharing_someone_named_in_full() -> None:
    # Interviews 1 and 2 both name the adviser Trond Bakke in full: one circle. Interview 3
    # names no one the others do: its "kari" is someone else.
    texts = {1: "ja kari nordmann er lederen min og trond bakke er veilederen",
             2: "kari sa det til meg og trond bakke ringte etterpå",
             3: "søstera mi kari hjalp meg i starten"}
    dets = {1: [_det(texts[1], "kari nordmann", PER), _det(texts[1], "trond bakke", PER)],
            2: [_det(texts[2], "kari", PER), _det(texts[2], "trond bakke", PER)],
            3: [_det(texts[3], "kari", PER)]}
    owner = {(doc, det.start): n for n, c in enumerate(link(texts, dets, people="circle")) for doc, det in c.mentions}
    assert owner[(2, 0)] == owner[(1, 3)], "the same circle: Kari Nordmann"
    assert owner[(3, texts[3].index("kari"))] != owner[(1, 3)], "no one shared: another Kari"


def _cluster_of(clusters, surface: str):
    found = [c for c in clusters for _, det in c.mentions if det.text == surface]
    assert found, f"{surface!r} is in no cluster"
    return found[0]


def test_a_name_heard_in_pieces_is_the_person_whose_name_it_makes() -> None:
    # ASR splits a name it hears slowly: "odd bjørn" and "hatle vik" are Oddbjørn Hatlevik, and
    # each used to become a person of its own with a first and a last name.
    text = ("rettleiaren min var oddbjørn hatlevik på kontoret og odd bjørn sa at eg kunne ringe "
            "han så eg ringte hatle vik neste dag")
    dets = {1: [_det(text, "oddbjørn hatlevik", PER), _det(text, "odd bjørn", PER), _det(text, "hatle vik", PER)]}
    clusters = link({1: text}, dets)
    assert _cluster_of(clusters, "odd bjørn") is _cluster_of(clusters, "oddbjørn hatlevik")
    assert _cluster_of(clusters, "hatle vik") is _cluster_of(clusters, "oddbjørn hatlevik")


def test_a_name_run_together_and_a_name_spelled_out_join_the_person_named_in_full() -> None:
    text = ("jeg heter hodan warsame h o d a n og sjefen min abdi rahman er snill "
            "abdirahman lærte meg alt og hodan er glad")
    dets = {1: [_det(text, "hodan warsame", PER), _det(text, "h o d a n", PER, detector="rules:spelled"),
                _det(text, "abdi rahman", PER), _det(text, "abdirahman", PER), _det(text, "hodan", PER, nth=1)]}
    clusters = link({1: text}, dets, people="circle")
    hodan = _cluster_of(clusters, "hodan warsame")
    assert _cluster_of(clusters, "h o d a n") is hodan
    assert _cluster_of(clusters, "abdirahman") is _cluster_of(clusters, "abdi rahman")
    assert _cluster_of(clusters, "abdirahman") is not hodan


def test_a_name_in_pieces_in_another_interview_is_still_a_person_of_its_own() -> None:
    # Only where the document names the whole word: elsewhere Odd Bjørn may be a man of that name.
    texts = {1: "veilederen var oddbjørn hatlevik og han var grei",
             2: "sjefen min odd bjørn var streng men rettferdig"}
    dets = {1: [_det(texts[1], "oddbjørn hatlevik", PER)], 2: [_det(texts[2], "odd bjørn", PER)]}
    clusters = link(texts, dets)
    assert _cluster_of(clusters, "odd bjørn") is not _cluster_of(clusters, "oddbjørn hatlevik")


def test_initials_said_as_a_nickname_are_the_person_they_stand_for() -> None:
    text = "sjefen het hans petter rong og det var hp som fant på det alle kaller han hp på jobb"
    dets = {1: [_det(text, "hans petter rong", PER), _det(text, "hp", PER), _det(text, "hp", PER, nth=1)]}
    clusters = link({1: text}, dets, people="circle")
    assert _cluster_of(clusters, "hp") is _cluster_of(clusters, "hans petter rong")


def test_a_pronoun_after_a_given_name_is_no_surname_and_the_lone_name_keeps_its_person() -> None:
    # "kari hu" had become Kari Hu, a second full-named Kari, and every lone "kari" of the
    # interview then a person of its own instead of Kari Holmen.
    text = ("eg fikk kari holmen som veileder altså kari hu var liksom den første som fikk meg "
            "og kari ringte meg kver uke")
    dets = {1: [_det(text, "kari holmen", PER), _det(text, "kari hu", PER), _det(text, "kari", PER, nth=2)]}
    clusters = link({1: text}, dets, people="circle")
    holmen = _cluster_of(clusters, "kari holmen")
    assert _cluster_of(clusters, "kari") is holmen
    assert all(det.text != "kari hu" for c in clusters for _, det in c.mentions)


def test_a_given_name_that_is_a_word_before_a_surname_found_alone_is_part_of_the_name() -> None:
    # The model took "kjørlaug" only; "liv" stayed as the noun and was left in the export.
    text = "og så fekk eg ein mentor liv kjørlaug som har vore der i mange år"
    clusters = link({1: text}, {1: [_det(text, "kjørlaug", PER)]})
    assert [det.text for c in clusters for _, det in c.mentions] == ["liv kjørlaug"]


def test_after_an_article_the_word_stays_a_noun_before_a_surname() -> None:
    text = "ho har eit liv kjørlaug ikkje kjenner til"
    clusters = link({1: text}, {1: [_det(text, "kjørlaug", PER)]})
    assert [det.text for c in clusters for _, det in c.mentions] == ["kjørlaug"]


def test_a_foreign_name_written_as_it_sounds_is_the_same_person() -> None:
    texts = {1: "mentoren hans heter tomasz kowalczyk og han er fra polen",
             2: "eg snakka med tomas kovalsjik i går og yonas tesfay var der",
             3: "jonas tesfai sa at han likte jobben"}
    dets = {1: [_det(texts[1], "tomasz kowalczyk", PER)],
            2: [_det(texts[2], "tomas kovalsjik", PER), _det(texts[2], "yonas tesfay", PER)],
            3: [_det(texts[3], "jonas tesfai", PER)]}
    clusters = link(texts, dets, people="circle")
    assert _cluster_of(clusters, "tomas kovalsjik") is _cluster_of(clusters, "tomasz kowalczyk")
    assert _cluster_of(clusters, "jonas tesfai") is _cluster_of(clusters, "yonas tesfay")
    assert _cluster_of(clusters, "jonas tesfai") is not _cluster_of(clusters, "tomas kovalsjik")


def test_a_role_before_a_name_and_a_spoken_verb_after_it_are_no_part_of_it() -> None:
    # "butikksjefen mona rasmussen" and "marit sku" had each become a second full-named person,
    # and the lone "mona" and "marit" of the interview persons of their own.
    text = ("og butikksjefen mona rasmussen sa ja og mona var grei og marit lie kom og marit sku "
            "gjøre det og marit sa nei")
    dets = {1: [_det(text, "butikksjefen mona rasmussen", PER), _det(text, "mona", PER, nth=1, score=0.7),
                _det(text, "marit lie", PER), _det(text, "marit sku", PER), _det(text, "marit", PER, nth=2, score=0.7)]}
    clusters = link({1: text}, dets, people="circle")
    assert sorted(d.text for _, d in _cluster_of(clusters, "mona").mentions) == ["mona", "mona rasmussen"]
    assert sorted(d.text for _, d in _cluster_of(clusters, "marit lie").mentions) == ["marit", "marit", "marit lie"]


def test_a_short_name_spelled_out_and_two_given_names_run_together_join_their_person() -> None:
    text = "ho heiter idil farah det staves i d i l og sjefen er jan erik lie men alle seier janerik"
    dets = {1: [_det(text, "idil farah", PER), _det(text, "i d i l", PER, detector="rules:spelled", score=0.8),
                _det(text, "jan erik lie", PER), _det(text, "janerik", PER, score=0.6)]}
    clusters = link({1: text}, dets, people="circle")
    assert _cluster_of(clusters, "i d i l") is _cluster_of(clusters, "idil farah")
    assert _cluster_of(clusters, "janerik") is _cluster_of(clusters, "jan erik lie")


def test_a_name_said_again_after_a_filler_is_two_mentions_of_one_person() -> None:
    # One span "kjell arne eh kjellarne kjell arne" had become a person of its own.
    text = "mentoren heter kjell arne eh kjellarne kjell arne strand og han er snill og kjell arne sa det"
    dets = {1: [_det(text, "kjell arne eh kjellarne kjell arne", PER), _det(text, "strand", PER, score=0.6),
                _det(text, "kjell arne", PER, nth=2, score=0.7)]}
    clusters = link({1: text}, dets, people="circle")
    persons = [c for c in clusters if c.kind == PER]
    assert len(persons) == 1
    assert sorted(d.text for _, d in persons[0].mentions) == ["kjell arne", "kjell arne", "kjell arne strand", "kjellarne"]


def test_two_given_names_found_apart_are_a_double_name_but_not_in_a_list() -> None:
    text = "og så kom pål arne inn og sa hei"
    clusters = link({1: text}, {1: [_det(text, "pål", PER), _det(text, "arne", PER)]})
    assert [[d.text for _, d in c.mentions] for c in clusters] == [["pål arne"]]
    # a list said without its commas: three people
    text = "takk til eva kari og per"
    clusters = link({1: text}, {1: [_det(text, "eva", PER), _det(text, "kari", PER), _det(text, "per", PER)]})
    assert sorted(d.text for c in clusters for _, d in c.mentions) == ["eva", "kari", "per"]
    assert len(clusters) == 3


def test_another_liv_in_typed_text_is_a_person() -> None:
    # "ein annan Liv" is another person called Liv, not another life (a tester's typed interview).
    text = "Hodan: Nei, nei. Det er ein annan Liv. Læraren heitte Liv Kvåle."
    dets = {1: [_det(text, "Liv", PER, score=0.8), _det(text, "Liv Kvåle", PER)]}
    spans = [d.text for c in link({1: text}, dets) for _, d in c.mentions]
    assert "Liv" in spans and "Liv Kvåle" in spans
