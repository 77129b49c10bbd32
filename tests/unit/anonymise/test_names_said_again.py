"""Names said again in pieces or as heard, and what someone is called (#15, testers 13–15): the
shapes three testers' unseen ASR interviews left in clear. Rules, lexicon and linking only: no
NER model; where the model found the first saying in the tester's file, it is given here."""

from __future__ import annotations

from codebench.anonymise.detections import Detection
from tests.unit.anonymise.mentions import clusters, left_in_clear, model_det, people

_det = model_det
_clusters = clusters
_people = people


_left = left_in_clear


def _person_with(people: list[list[str]], mention: str) -> list[str]:
    return next(p for p in people if mention in p)


def test_noe_after_kalt_han_is_no_nickname_and_what_comes_after_enn_is() -> None:
    # A tester's "noe" became one person 32 times in five interviews.
    text = ("ja han heter sigurd brønstad men ingen har kalt han noe annet enn snurre sia han va liten "
            "har du noe mer å si nei ikke noe mer egentlig men det skjer noe hver dag")
    people = _people(text)
    assert _left(text, None, "noe") == 4, people
    assert _left(text, None, "snurre") == 0, people


def test_a_name_said_again_in_pieces_is_the_same_person() -> None:
    text = ("og så e det berivan eh beri van ho e kurdisk fra irak og berivan jobbar på kafeen "
            "og så har me halldor eh hall dor som e mentoren min på garden")
    people = _people(text, [_det(text, "berivan"), _det(text, "halldor")])
    berivan = _person_with(people, "berivan")
    assert "beri van" in berivan and _left(text, [_det(text, "berivan"), _det(text, "halldor")], "beri") == 0, people
    halldor = _person_with(people, "halldor")
    assert "hall dor" in halldor, people


def test_a_short_name_said_in_pieces_is_taken_only_beside_the_name() -> None:
    text = "og eh broren min aram a ram eh han har også vore på nav men det var a ram som sa det"
    people = _people(text, [_det(text, "aram")])
    aram = _person_with(people, "aram")
    # Right after "aram" the pieces repeat it; elsewhere "a ram" is too short to vouch for itself.
    assert aram.count("a ram") == 1 and len(aram) == 2, people


def test_the_pronoun_after_jo_is_no_piece_of_johan() -> None:
    text = "johan begynte i august og det var jo han som sa ifra til sjefen"
    people = _people(text, [_det(text, "johan")])
    assert _left(text, [_det(text, "johan")], "jo han") == 1, people


def test_a_foreign_name_heard_again_differently_is_the_same_person() -> None:
    text = ("det var khaled al masri eh kaled ja han var lærer i homs og så kom andrij melnyk eh melnik "
            "ja han e bakarlærling no")
    people = _people(text, [_det(text, "khaled al masri"), _det(text, "andrij melnyk")])
    khaled = _person_with(people, "khaled al masri")
    assert "kaled" in khaled, people
    assert _left(text, [_det(text, "khaled al masri"), _det(text, "andrij melnyk")], "melnik") == 0, people


def test_a_surname_heard_in_pieces_after_the_name_is_part_of_it() -> None:
    text = ("ein konflikt med ein av dei eldre tilsette ingebjørg skjerv heim eh ingebjørg har jobba her i tretti år "
            "og det fyrste var pawel kowal ski frå polen")
    people = _people(text, [_det(text, "ingebjørg", score=0.7), _det(text, "pawel kowal")])
    assert "ingebjørg skjerv heim" in _person_with(people, "ingebjørg"), people
    assert "pawel kowal ski" in _person_with(people, "pawel kowal ski"), people


def test_a_verb_and_home_after_a_name_are_no_surname() -> None:
    text = "og så gikk ingebjørg heim og ingebjørg bo heim hos mora si"
    people = _people(text, [_det(text, "ingebjørg", score=0.7)])
    assert all(m == "ingebjørg" for p in people for m in p), people


def test_a_lone_name_a_rule_found_is_found_again_in_its_document() -> None:
    # "kona hans rojda" finds her; two lines later "og rojda kona til rahim" had been left.
    text = ("eilert var mentor for rahim ein periode og rahim ho kona hans rojda e flink "
            "det var rahim hossaini som kom først og rojda kona til rahim ho har gått på norskkurs")
    people = _people(text, [_det(text, "rahim hossaini")])
    assert _left(text, [_det(text, "rahim hossaini")], "rojda") == 0, people


def test_an_unknown_word_like_an_unsure_guess_is_not_masked() -> None:
    # Only a listed name or a sure mention vouches for a word that sounds like it: a weak guess
    # at a garbled word must not take every word heard like it.
    text = "dei som er permiterte no og permitert i fjor fekk ikkje pengar"
    people = _people(text, [_det(text, "permiterte", score=0.55)])
    assert _left(text, [_det(text, "permiterte", score=0.55)], "permitert") == 1, people


def test_what_we_call_someone_is_that_person_wherever_the_document_says_it() -> None:
    text = ("og så har æ satt han sammen med sigurd som vi kaller snurre for han e så sindig "
            "ja snurre hehe han heter egentlig sigurd brønstad men snurre har tatt over jobben")
    people = _people(text)
    assert _left(text, None, "snurre") == 0, people


def test_a_nickname_that_is_a_word_is_the_person_only_where_the_sentence_makes_it_one() -> None:
    text = ("og så er det ørnulf bakken som vi kaller ørn fordi han ser ned på alle som en ørn "
            "hehe og ørn sto der oppe og lo av meg")
    people = _people(text, [_det(text, "ørnulf bakken")])
    assert _left(text, [_det(text, "ørnulf bakken")], "ørn") == 1, people  # "som en ørn" is the bird
    assert "som en ørn" in text


def test_initials_everyone_calls_him_are_masked_though_they_look_like_a_label() -> None:
    text = ("mentoren min er per kristian dahl men alle kaller han pk og pk er mentoren min "
            "så sa pk at jeg løfta feil")
    people = _people(text, [_det(text, "per kristian dahl")])
    assert _left(text, [_det(text, "per kristian dahl")], "pk") == 0, people
    assert len(_person_with(people, "per kristian dahl")) == 4, people


def test_two_people_with_one_given_name_and_short_unlike_surnames_are_two() -> None:
    # A tester's "synnøve lid" and "synnøve eide" had one pseudonym.
    text = ("eg har to kollegaer synnøve lid og synnøve eide og dei er ulike "
            "og kjersti toppe sa det same som kjersti toppar")
    people = _people(text, [_det(text, "synnøve lid"), _det(text, "synnøve eide"),
                            _det(text, "kjersti toppe"), _det(text, "kjersti toppar")])
    assert _person_with(people, "synnøve lid") != _person_with(people, "synnøve eide"), people
    assert _person_with(people, "kjersti toppe") == _person_with(people, "kjersti toppar"), people


def test_a_surname_with_a_particle_is_masked_with_the_name() -> None:
    text = ("og så har vi ingrid de lange som jobber i resepsjonen og på kontoret sitter dag henning van der velde "
            "og hun heter amina el idrissi og kommer fra marokko")
    people = _people(text, [_det(text, "ingrid"), _det(text, "dag henning"), _det(text, "amina")])
    for word in ("lange", "velde", "idrissi", "der", "el"):
        assert _left(text, [_det(text, "ingrid"), _det(text, "dag henning"), _det(text, "amina")], word) == 0, people


def test_a_particle_that_is_a_word_takes_no_verb_as_a_surname() -> None:
    text = "og så kom ingrid de kom seint begge to"
    given = [_det(text, "ingrid")]
    assert _left(text, given, "kom") == 2, _people(text, given)


def test_a_given_name_that_is_a_word_before_a_full_name_after_a_role_is_part_of_it() -> None:
    text = "det var avdelingsleder grim ove skaaret og mentoren hans jan erik nilsen som bestemte"
    given = [_det(text, "ove skaaret"), _det(text, "jan erik nilsen")]
    people = _people(text, given)
    assert "grim ove skaaret" in _person_with(people, "grim ove skaaret"), people
    assert "jan erik nilsen" in _person_with(people, "jan erik nilsen"), people  # "hans" is his, no name
    assert _left(text, given, "hans") == 1, people


def test_a_given_name_after_the_spoken_article_is_a_name_though_it_is_a_word() -> None:
    # Trøndelag and northern speech put "ho"/"han" before a name: "ho sol", "han even".
    text = ("ja det e ho sol ho e bare tjuefire og æ har vært fadder for ho sol "
            "men han tor ikkje si det og sola skin")
    given: list[Detection] = []
    people = _people(text, given)
    assert _left(text, given, "sol") == 0, people
    assert _left(text, given, "sola") == 1, people


def test_a_name_spelled_right_after_it_is_said_is_masked_with_it() -> None:
    text = "og så eva nei ieva ho heiter ieva i e v a frå litauen ho jobbar i pakkeriet"
    given = [_det(text, "ieva", nth=1)]
    assert _left(text, given, "i e v a") == 0, _people(text, given)


def test_a_piece_before_a_found_piece_completes_the_name() -> None:
    text = "og så har me somchai som chai frå thailand han e gift og chai jobbar natt"
    given = [_det(text, "somchai"), _det(text, "chai", score=0.55)]
    people = _people(text, given)
    assert _left(text, given, "som chai") == 0 and "som chai" in _person_with(people, "somchai"), people


def test_a_surname_that_is_no_word_after_a_name_said_again_goes_with_it() -> None:
    text = "der var det mange eh filmon film on hapte frå eritrea eh han var morosam altså filmon"
    given = [_det(text, "filmon")]
    assert _left(text, given, "hapte") == 0, _people(text, given)


def test_the_residual_list_says_a_name_that_is_a_word_is_one_not_that_it_is_no_word() -> None:
    # A tester read "not an ordinary word" beside "per", "storm", "tone" and "kjempeflink".
    from codebench.anonymise.gazetteer import lexicon
    from codebench.anonymise.residual import REASONS, _reasons

    for word, text in (("per", "og per sa det"), ("storm", "og storm sa det"), ("kjempeflink", "hun er kjempeflink"),
                       ("holmeset", "kari holmeset sa det")):
        start = text.index(word)
        reasons, _ = _reasons(text, start, start + len(word), word, word, True, set(), [], lexicon())
        said = [REASONS[r] for r in reasons]
        assert ("not an ordinary word" in said) == (word == "holmeset"), (word, said)


def test_what_someone_calls_himself_is_his_name_and_the_word_after_it_stays() -> None:
    text = ("her kaller mæ bare finnen ha ha og han kaller seg bare krisse her og krisse e formann "
            "på nattskiftet")
    spans = [(d.start, d.end) for c in _clusters(text) for d in c]
    assert _left(text, None, "finnen") == 0 and _left(text, None, "krisse") == 0, _people(text)
    assert _left(text, None, "e") == 1, "the dialect's 'e' (is) after the name is no part of it"
    assert spans


def test_a_name_spelled_after_heter_may_hold_the_letters_that_are_words() -> None:
    text = "æ heter e i n o men det e det ingen som seier og så i e a sånn"
    assert _left(text, None, "e i n o") == 0, _people(text)
    assert _left(text, None, "i e a") == 1  # no cue: the dialect's words


def test_a_word_before_the_pronoun_that_takes_the_name_up_is_its_surname() -> None:
    text = ("det er kjellaug fiske ho er femti og leiaren vår er randi bø eh ho randi har vore her lenge "
            "men da var kari syk ho hadde feber")
    people = _people(text)
    assert _left(text, None, "fiske") == 0 and _left(text, None, "bø") == 0, people
    assert _left(text, None, "syk") == 1, people  # "da var kari syk": the rest of the clause


def test_two_given_names_written_as_one_word_are_a_name() -> None:
    text = "bakgrunnen din ja pappa nilsanders han e reindriftssame og mamma har lært meg joik"
    assert _left(text, None, "nilsanders") == 0, _people(text)


def test_a_piece_before_a_name_that_makes_a_listed_given_name_is_part_of_it() -> None:
    text = "eg hadde ei polsk dame jus tyna visnievska det er ho som vaskar"
    given = [_det(text, "tyna visnievska", score=0.7)]
    assert _left(text, given, "jus") == 0, _people(text, given)


def test_himself_after_kaller_seg_is_no_name() -> None:
    # "han kalla seg sjølv ..." made "sjølv" a person sixteen times in a tester's interviews.
    text = "han kalla seg sjølv ein bonde og ho seier det sjølv at ho er flink"
    assert _left(text, None, "sjølv") == 2, _people(text)


def test_the_dialects_copula_is_no_part_of_a_name_on_either_side() -> None:
    text = "og så e det bente e sykepleier og e line sørensen sa det og krisse e formann på nattskiftet"
    given = [_det(text, "bente e", score=0.7), _det(text, "e line sørensen"), _det(text, "krisse", score=0.6)]
    people = _people(text, given)
    assert all(not m.startswith("e ") and not m.endswith(" e") for p in people for m in p), people
    assert _left(text, given, "e") == 4, people


def test_what_everyone_says_for_a_name_is_that_name() -> None:
    text = "eg heter cecilie wang aarvik men alle sier bare cille og cille e ia-rådgiver og alle sier bare at det går bra"
    assert _left(text, None, "cille") == 0, _people(text)
    assert _left(text, None, "at") == 1


def test_the_surname_of_a_full_name_is_found_alone_where_the_name_is_said() -> None:
    text = "og så er det paula sotto fra chile og hun er kjempeflink sotto har jobbet mye med ungdom"
    given = [_det(text, "paula sotto", score=0.9)]
    assert _left(text, given, "sotto") == 0, _people(text, given)


def test_laughter_and_himself_at_the_edge_of_a_name_are_not_searched_for() -> None:
    # "roy arne hehe" and "sjæl stig rune" had made every "hehe" and "sjæl" of an interview a person.
    text = ("je tenker på jobb roy arne hehe og så går vi på tur og stig rune sjæl sa det hehe "
            "og han har sjæl hatt en tøff tid hehe")
    given = [_det(text, "roy arne hehe"), _det(text, "stig rune sjæl")]
    people = _people(text, given)
    assert _left(text, given, "hehe") == 3 and _left(text, given, "sjæl") == 2, people


def test_after_where_someone_comes_from_a_new_clause_names_no_one() -> None:
    from codebench.anonymise.gazetteer import find_after_origin

    assert [d.text for d in find_after_origin("hun kommer fra syria og hun er fagkonsulent i teamet")] == []
    assert [d.text for d in find_after_origin("jurgita fra litauen som fikk prolaps i ryggen")] == []
    assert [d.text for d in find_after_origin("og så frå ukraina oksana har jobba")] == ["oksana"]


def test_the_name_before_heter_han_is_the_name() -> None:
    text = "han kom fra rinkeby eh khadar heter han og kva heter ho igjen og det heter ho ikkje"
    assert _left(text, None, "khadar") == 0, _people(text)
    assert _left(text, None, "kva") == 1 and _left(text, None, "det") == 1


def test_a_name_heard_as_a_word_right_beside_the_name_is_the_name() -> None:
    text = "ho heiter hodan warsame og ho skar seg i starten varsame eh nei warsame heiter ho og er varsame folk"
    given = [_det(text, "hodan warsame")]
    assert _left(text, given, "varsame") == 1, _people(text, given)  # the last one is the word "careful"


def test_the_dialects_there_is_no_part_of_a_name() -> None:
    text = "dær ørjan nilsen sa at det va greit og dær va det mange folk"
    given = [_det(text, "dær ørjan nilsen")]
    assert _left(text, given, "dær") == 2, _people(text, given)


def test_what_we_call_him_with_the_object_first_is_his_name() -> None:
    text = ("han heter kåre lien men han kalle vi bare for kranen for han løfte alt og kranen han e helt "
            "fantastisk og halvor grøthe han kallar dei for sagkongen og sagkongen han lærte meg alt")
    people = _people(text)
    assert _left(text, None, "kranen") == 0 and _left(text, None, "sagkongen") == 0, people
