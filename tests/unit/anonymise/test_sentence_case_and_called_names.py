"""Sentence-cased ASR with names in lower case, dialect pronouns, and the name a person is called
by (#15, testers 29–31): shapes three testers' unseen ASR interviews left in clear or masked
wrongly after ``--auto``. Rules, lexicon and linking only: no NER model."""

from __future__ import annotations

import re

from codebench.anonymise.gazetteer import is_caseless
from tests.unit.anonymise.mentions import clusters, left_in_clear, people

# Teams writes sentences with capitals and the names it does not know in lower case.
TEAMS = (
    "Intervjuer: Ja da tror jeg opptaket går nå. Det står at Teams transkriberer også.\n"
    "Informant: ja jeg heter tormod aaserud og jobber som veileder på Nav. Jeg har vært her i ti år.\n"
    "Intervjuer: Hvem bestemmer der?\n"
    "Informant: Det er hilde lie som bestemmer. Og så har vi gro anita bekkevold som er mentor. "
    "Hilde ringte meg i går. Jeg snakket med vibeke holter også, og hilde sa at det var greit.\n")


def test_sentence_case_with_names_in_lower_case_is_read_as_caseless_text() -> None:
    assert is_caseless(TEAMS)
    for name in ("tormod", "aaserud", "hilde", "lie", "gro", "anita", "bekkevold", "vibeke", "holter"):
        assert left_in_clear(TEAMS, None, name) == 0, (name, people(TEAMS))


def test_typed_text_whose_names_are_capitalised_keeps_its_capitals() -> None:
    typed = ("Intervjuer: Hvem er mentoren din?\n"
             "Informant: Det er Kari Nordmann. Kari har jobbet her lenge, og Per Olsen er sjefen. "
             "Jeg snakket med Hilde Lie også. Vi tar en bolle per dag, og det er liv og røre.\n")
    assert not is_caseless(typed)
    assert left_in_clear(typed, None, "per") == 1 and left_in_clear(typed, None, "liv") == 1, people(typed)


def test_a_dialect_pronoun_after_a_name_is_no_part_of_it() -> None:
    # Ringerike "je" (I) had run into "line haugerud je" and been masked twenty times after it.
    text = ("ja eh je heter line haugerud je er førtiett år og jobber som veileder på nav "
            "je kan ta en som har gått veldig bra og je er oppvokst her så je kjenner alle")
    assert left_in_clear(text, None, "haugerud") == 0, people(text)
    assert left_in_clear(text, None, "je") == 5, people(text)


def test_a_vietnamese_name_is_taken_whole_and_found_again_by_its_last_word() -> None:
    text = ("ja hvis me tar de vietnamesiske først så har me nguyen thi lan hun kom for tjue år siden "
            "jeg snakka med lan først og spurte om hun kunne være mentor "
            "det fungerer veldig godt altså lan e streng men snill "
            "og så har me pham thu hang unnskyld jeg sier det feil hver gang")
    assert left_in_clear(text, None, "lan") == 0, people(text)
    assert left_in_clear(text, None, "hang") == 0, people(text)


def test_a_given_name_that_is_a_noun_no_list_holds_is_found_where_she_is_thanked() -> None:
    text = ("ja eh jeg heter tone gundersen og er virksomhetsleder her på sykehjemmet "
            "og det er en fin tone mellom oss "
            "det vil jeg gjerne tusen takk tone")
    assert left_in_clear(text, None, "tone") == 1, people(text)  # "en fin tone" is the tone


def test_a_dialect_pronoun_the_model_takes_for_a_person_is_no_person() -> None:
    from tests.unit.anonymise.mentions import model_det

    # Nordmøre "hainn" (he) was masked five times as a person; Sunnhordland "altso" ran into names.
    text = "æ trur det va at gul va så arbeidsvillig hainn kom første dagen og so sa ommund altso at han kunne"
    assert left_in_clear(text, [model_det(text, "hainn", score=0.9)], "hainn") == 1
    assert left_in_clear(text, [model_det(text, "ommund altso", score=0.9)], "altso") == 1
    assert left_in_clear(text, [model_det(text, "ommund altso", score=0.9)], "ommund") == 0


def test_old_norwegian_given_names_that_are_words_are_names_where_the_sentence_says_so() -> None:
    # "salve" (an old given name, and an ointment), said alone as the subject of a clause.
    text = "han e den beste mentoren æ har sett om salve blir syk så stopper alt og så må vi ha salve på såret"
    assert left_in_clear(text, None, "salve") == 1, people(text)  # the ointment stays


def test_a_surname_that_is_a_word_after_a_given_name_where_the_introduction_goes_on() -> None:
    text = "kan du seie litt om deg sjølv ja eg heiter oddvar vie og eg er femtiåtte år eg er snikkar"
    assert left_in_clear(text, None, "vie") == 0, people(text)
    assert left_in_clear(text, None, "snikkar") == 1, "a trade NorNE saw twice as a name is a word"


def test_a_surname_that_is_a_word_before_som_or_a_reporting_verb() -> None:
    text = ("og der e det ivar flå som e sjef og mentor på ein gong "
            "altså ivar flå sa at han kunne ha tatt inn to til")
    assert left_in_clear(text, None, "flå") == 0, people(text)
    text = "det var kari også som sa det og det er ivar selv som bestemmer"
    assert left_in_clear(text, None, "også") == 1 and left_in_clear(text, None, "selv") == 1, people(text)


def test_what_a_named_person_is_called_is_found_again_where_the_sentence_reads_a_person() -> None:
    text = ("mentor han storm eller kjell storm heter han egentlig men alle kaller han stormen han e en "
            "sånn stor kar med skjegg og det har gått seg te nu stormen har tatt han med på fisketur "
            "og stormen i fjor var den verste")
    assert left_in_clear(text, None, "stormen") == 1, people(text)  # the weather stays


def test_a_name_announced_spoken_to_or_said_to_have_been_somewhere() -> None:
    text = ("ja eh æ heter ante nils somby og mor mi sa at du må ta en utdanning ante du kan ikkje gå rundt "
            "her og fornavn ante med e på slutten og eg ante ikkje kva det var")
    assert left_in_clear(text, None, "ante") == 1, people(text)  # "eg ante ikkje" is the verb
    text = "har dei ein fast mentor liv brandal ho er verkeleg god liv har vore der i trettifem år og livet er godt"
    assert left_in_clear(text, None, "liv") == 0, people(text)


def test_a_particle_written_as_one_word_between_two_pieces_of_a_name() -> None:
    from tests.unit.anonymise.mentions import model_det

    text = "det e ho mari sel dela krus ho e frå filippinane"
    dets = [model_det(text, "mari sel"), model_det(text, "krus", score=0.7)]
    assert left_in_clear(text, dets, "dela") == 0, people(text, dets)


def test_a_surname_said_again_after_the_full_name_is_his_not_a_repeated_word() -> None:
    from tests.unit.anonymise.mentions import model_det

    text = ("og han har ein mentor der som heiter kåre dal og dal han e formann på fileteringa "
            "og han har lært seg mykje og dal sier at han e flink og han bur i ein dal")
    dets = [model_det(text, "kåre dal"), model_det(text, "dal", nth=2, score=0.55)]
    masked = {d.start for c in clusters(text, dets) for d in c}
    assert text.index("dal han e") in masked, people(text, dets)
    assert text.index("ein dal") + 4 not in masked, "i ein dal is the valley"


def test_a_possessive_that_is_a_name_after_heter_or_before_a_second_given_name() -> None:
    text = "mentoren er en eldre kar som heter hans ja hans er veldig gammeldags og kona hans ja hun er snill"
    assert left_in_clear(text, None, "hans") == 1, people(text)  # "kona hans" is his wife
    text = "og så har vi han arild som e lærling og han hans petter og ola og han tok hans bil"
    assert [["hans petter"]] == [p for p in people(text) if "hans petter" in p], people(text)
    assert left_in_clear(text, None, "hans") == 1, people(text)  # "hans bil" is his car


def test_a_surname_that_is_a_word_as_the_subject_after_the_verb_and_an_adverb() -> None:
    text = ("en av de eldre pleierne per per bakke han har jobbet her siden åttitallet og etter det har "
            "bakke faktisk blitt litt mer positiv og det er en bratt bakke her")
    assert left_in_clear(text, None, "bakke") == 1, people(text)  # "en bratt bakke" is the hill


def test_a_word_said_twice_before_a_foreign_surname_is_the_given_name() -> None:
    from tests.unit.anonymise.mentions import model_det

    text = "det var ei dame frå litauen i fjor rasa rasa kass lauskiene som var på ein butikk"
    assert left_in_clear(text, None, "rasa") == 0, people(text)
    text = "og vi kan vise til statsråd statsråd bjørnar selene som har gjort gjort tilsaad for det"
    dets = [model_det(text, "bjørnar selene"), model_det(text, "tilsaad", score=0.6)]
    assert left_in_clear(text, dets, "statsråd") == 2 and left_in_clear(text, dets, "gjort") == 2, people(text, dets)


def test_the_one_so_called_and_a_name_announced_or_said_as_we_say_it() -> None:
    text = "på talvik har de en russisk formann dmitrij som alle kaller dima og han har tatt inn to"
    assert left_in_clear(text, None, "dmitrij") == 0 and left_in_clear(text, None, "dima") == 0, people(text)
    text = "ein ung gut frå vietnam tan thanh heiter han og etternavnet er nye vænn eller noko sånt"
    assert left_in_clear(text, None, "nye") == 0 and left_in_clear(text, None, "vænn") == 0, people(text)
    text = "de har hatt en fra polen gjennom oss wojciech eller voi tek som me sier det gikk fint"
    assert left_in_clear(text, None, "voi") == 0 and left_in_clear(text, None, "tek") == 0, people(text)
    text = "og mentoren som vi kaller en klippe er flink"
    assert left_in_clear(text, None, "mentoren") == 1, "a noun before 'som vi kaller' is no name"


def test_a_given_name_said_twice_with_its_surname_and_a_surname_after_a_spelled_name() -> None:
    text = "hvem er sjefen det er liv liv dalen hun eier firmaet og det er liv og røre"
    assert left_in_clear(text, None, "dalen") == 0 and left_in_clear(text, None, "liv") == 1, people(text)
    text = "eg hadde en syrisk mann rami eh han heter r a m i haddad eh han va på en plass"
    assert left_in_clear(text, None, "haddad") == 0, people(text)


def test_a_dialect_someone_is_no_person() -> None:
    from tests.unit.anonymise.mentions import model_det

    text = "det e alltid nån som spør og nån må jo gjøre det sa kari"
    assert left_in_clear(text, [model_det(text, "nån", score=0.9)], "nån") == 2


def test_a_listed_name_ending_in_s_is_no_possessive() -> None:
    # A tester's "tønnes" came out "[Person 26]s": the -s read as a possessive of "Tønne".
    from codebench.anonymise.pipeline import anonymise_text

    masked = anonymise_text("eg ringte tønnes og tønnes sa at det var greit og karis mor var der")
    assert "]s og" not in masked and "]s sa" not in masked, masked
    assert "]s mor" in masked, "a possessive of a name stays one"
    # nor is the -s of a surname in a full name ("kristian sannes" had read "[Person 35]s")
    masked = anonymise_text("det var kristian sannes og tor egil sannes som kom")
    assert "]s" not in masked and "sannes" not in masked, masked


def test_a_surname_in_the_possessive_keeps_its_s() -> None:
    # "Kari Hansens bil" had read "[Person 1] bil": NorNE counts "Hansens" as a name as often as
    # "Hansen", so the -s was taken for part of the name and the rendering dropped it.
    from codebench.anonymise.pipeline import anonymise_text

    assert anonymise_text("Vi satt i Kari Hansens bil hele dagen.") == "Vi satt i [Person 1]s bil hele dagen."
    assert anonymise_text("vi satt i kari hansens bil heile dagen") == "vi satt i [Person 1]s bil heile dagen"
    assert anonymise_text("Det var Hansens idé. Kari Hansen sa det.") == "Det var [Person 1]s idé. [Person 1] sa det."


def test_a_given_names_possessive_before_a_trade_noun_is_no_firm() -> None:
    # "i karis bil" is Kari's car, not a car dealer called Karis
    from codebench.anonymise.pipeline import anonymise_text

    assert anonymise_text("vi var i karis bil og kjells kjøkken") == "vi var i [Person 1]s bil og [Person 2]s kjøkken"
    assert anonymise_text("han jobba på olsen bil") == "han jobba på [Arbeidsplass 1]"


def test_a_foreign_name_in_a_cleft_and_a_name_as_he_calls_himself() -> None:
    text = "vi har språkkafé på onsdager det er haidar som har starta det og det er kantinar som står der"
    assert left_in_clear(text, None, "haidar") == 0 and left_in_clear(text, None, "kantinar") == 1, people(text)
    text = ("ja je kan ta han rahmatullah eller rahmat som han kaller seg han kom fra afghanistan "
            "og der fikk rahmat mentor og rahmat hadde lært bokmål")
    assert left_in_clear(text, None, "rahmatullah") == 0 and left_in_clear(text, None, "rahmat") == 0, people(text)


def test_a_word_name_of_a_person_named_in_the_document_is_theirs_unless_the_sentence_makes_it_the_word() -> None:
    # Testers' "då måtte liv ta ein prat", "hos storm", "ho e god ho sol" stood open at 0.35 beside
    # the masked full name, three times as often as "full storm" or "dei same" were words.
    text = ("eg kjenner liv moen frå nav og då måtte liv ta ein prat med han og hos liv var det "
            "alltid kaffe men det er eit godt liv her og dei kunne leve sine liv")
    assert left_in_clear(text, None, "liv") == 2, people(text)
    text = ("mentoren heiter kjell storm og vi var på tur hos storm på hytta men det va storm den dagen "
            "og full storm om natta og så sa storm at me skulle vente")
    assert left_in_clear(text, None, "storm") == 2, people(text)
    # a determiner that is a given name, before its noun, is the determiner
    text = "ho heiter inga moen og inga sa ja men eg kunne gje inga tid til det"
    assert left_in_clear(text, None, "inga") == 1, people(text)


def test_a_given_name_that_is_a_word_before_a_surname_no_list_holds_is_a_full_name() -> None:
    # Testers' "liv sørbøen", "liv aarflot", "liv skaslien": the model read "liv" as life and left
    # the full name, or took the surname alone, and every lone "liv" after it stood in clear.
    text = ("vi hadde med liv sørbøen fra arbeidslivssenteret og liv er kjempeflink hun har ryggen til "
            "og det er liv og helse det handler om")
    assert left_in_clear(text, None, "sørbøen") == 0 and left_in_clear(text, None, "liv") == 1, people(text)
    text = "inn med veiledaren liv aarflot og ja liv kontakta meg men det er eit godt liv her"
    assert left_in_clear(text, None, "aarflot") == 0 and left_in_clear(text, None, "liv") == 1, people(text)
    # a word that is no surname after it leaves the word a word
    text = "dei levde eit godt liv heime og sola skein"
    assert people(text) == [], people(text)


def test_totens_and_romsdals_pronouns_are_no_names_nor_parts_of_one() -> None:
    # A tester's Toten interview: "heter hænn" made "hænn" (he) a person 18 times, with Thanh's
    # pseudonym, and "thanh dom sto" made "dom" (they) his surname; "dattera dems", "for nokke".
    from codebench.anonymise.pipeline import anonymise_text

    masked = anonymise_text("det var en kar fra vietnam nguyen van thanh heter hænn og hænn hadde bodd her "
                            "og hænn og thanh dom sto ved siden av hverandre og dattera dems går på skolen "
                            "og så var eg mentor for nokke gjennom nav og etternavnet e j o n a s")
    for word in ("hænn", "dom sto", "dems", "nokke", "etternavnet"):
        assert word in masked, masked
    assert "thanh" not in masked, masked


def test_a_name_the_speaker_corrects_is_one_person_in_both_sayings() -> None:
    # Round 11's testers: "test fai nei tesfay", "mebrahtu eh me bra tu", "emre yil mas eller
    # yılmaz" left the other saying in clear beside the masked name.
    from codebench.anonymise.pipeline import anonymise_text

    assert anonymise_text("den sjette test fai nei tesfay han er fra eritrea") == \
        "den sjette [Person 1] nei [Person 1] han er fra eritrea"
    assert anonymise_text("ny dame fra eritrea mebrahtu eh me bra tu og hun er flink") == \
        "ny dame fra eritrea [Person 1] eh [Person 1] og hun er flink"
    assert "mas" not in anonymise_text("emre er nestkommanderende emre yil mas eller yılmaz han er tyrkisk")
    # two names said as alternatives stay two people, and a clause after a name is no saying of it
    assert anonymise_text("det var per eller pål som ringte") == "det var [Person 1] eller [Person 2] som ringte"
    assert anonymise_text("og kari nordmann eh kari sa ja") == "og [Person 1] eh [Person 1] sa ja"


def test_a_verb_with_its_spoken_pronoun_or_a_participle_after_a_name_is_no_part_of_it() -> None:
    # A tester's Sarpsborg interview: "dilovan heter'n", "det har hans petter gjort han ringe",
    # "norsken hans e bra" (his Norwegian), "han hadde ikkje bankid".
    from codebench.anonymise.pipeline import anonymise_text

    masked = anonymise_text("og det har hans petter gjort han ringe ofte og norsken hans e bra")
    assert "gjort han ringe" in masked and "norsken hans e bra" in masked, masked
    masked = anonymise_text("det er dilovan heter'n dilovan ahmed han er kurder og det hadde'n rett i "
                            "men han hadde ikkje bankid")
    assert "heter'n" in masked and "hadde'n rett" in masked and "bankid" in masked, masked
    assert "dilovan" not in masked, masked


def test_a_possessive_that_is_a_given_name_before_a_farm_surname_and_what_a_named_person_did() -> None:
    # Round 12's testers: "ia rådgiveren hans hans reinfjell", "ho vår vår eikås … så vår foreslo",
    # "liv lagde bildekort" (the verb had been taken as her surname).
    from codebench.anonymise.pipeline import anonymise_text

    assert "reinfjell" not in anonymise_text("æ skulle snakke med ia rådgiveren hans hans reinfjell og")
    masked = anonymise_text("og mentoren der var ho vår vår eikås som var flink og så vår foreslo at vi")
    assert "eikås" not in masked and "vår foreslo" not in masked, masked
    assert anonymise_text("liv lagde bildekort med alle tinga").endswith("lagde bildekort med alle tinga")
    # his car, his wife, our firm, his homeland stay words
    assert anonymise_text("og hans bil og hans kone og vår bedrift og hans heimland") == \
        "og hans bil og hans kone og vår bedrift og hans heimland"


def test_a_given_name_run_on_into_the_next_word_and_what_everyone_says_instead_of_a_name() -> None:
    # Round 12's testers: "vi laget en plan kamillasa at" (Kamilla, sa), and "ingen sir nils aslak
    # altså alle sir gaupa" (the nickname, left in clear where it was introduced).
    from codebench.anonymise.pipeline import anonymise_text

    assert "kamillasa" not in anonymise_text("eh vi laget en plan kamillasa at vi må skrive ned hva")
    masked = anonymise_text("ja men ingen sir nils aslak altså alle sir gaupa han har jobba der lenge")
    assert "gaupa" not in masked and "nils" not in masked, masked
    assert anonymise_text("ingen sier det men alle sier ja") == "ingen sier det men alle sier ja"


def test_a_question_word_heard_as_the_last_word_of_a_name_is_not_that_person_elsewhere() -> None:
    # A tester's Halden interview: "ngujen ti hva" (Hoa) made every "hva" of the interview Hoa.
    from codebench.anonymise.pipeline import anonymise_text

    masked = anonymise_text("og så er det ngujen ti hva som jobber på kjøkkenet og hva gjorde dere da "
                            "og jeg vet ikke hva hun sa")
    assert masked.count("hva") == 2 and "ngujen" not in masked, masked


def test_round_13s_kin_word_names_vietnamese_family_name_and_no_mr_noe() -> None:
    # "ei datter elle som er sju" (a Sámi daughter), "og fam tok resten" beside "pham van tuan",
    # and "en jørgen noe som begynte" had made "noe" a person in four interviews.
    from codebench.anonymise.pipeline import anonymise_text

    assert "elle" not in anonymise_text("og ei datter elle som er sju")
    assert "fam tok" not in anonymise_text("det var pham van tuan som kom og stein tok det praktiske og fam tok resten")
    masked = anonymise_text("så kom det en ny en jørgen noe som begynte her og hvis jeg gjør noe feil eller noe sånt")
    assert masked.count("noe") == 3 and "jørgen" not in masked, masked
    assert anonymise_text("han har ei datter på sju år") == "han har ei datter på sju år"


def test_round_14s_nickname_that_is_an_adverb_where_nothing_else_can_be() -> None:
    # Testers' Thai colleague "Nok", left in clear in six interviews: "alle kaller hu nok" at a
    # line's end, "som alle kaller nok hun har", "egentlig sirirat men alle sier nok og hun er".
    from codebench.anonymise.pipeline import anonymise_text

    for text in ("siriporn er frå thailand men alle kaller hu nok\nja det er fint",
                 "hun heter siriporn men hun kaller seg nok og hun har jobba på coop",
                 "da siriporn som alle kaller nok hun har vært her lenge",
                 "egentlig sirirat men alle sier nok og hun er den beste jeg har",
                 "men hun heter nok eller det er kallenavnet hennes"):
        assert not re.search(r"(?<!\w)nok(?!\w)", anonymise_text(text)), text
    # ... one person, one pseudonym, and the adverb elsewhere stays the adverb
    masked = anonymise_text("hun heter siriporn men hun kaller seg nok og hun har jobba på coop\n"
                            "og nok var veldig god med henne\nvi har nok folk på natt og det var greit nok")
    assert masked.count("[Person 1]") == 3 and masked.count("nok") == 2, masked
    for text in ("de kaller seg nok for noe annet", "alle sier nok han er flink", "det er jo nok da"):
        assert anonymise_text(text) == text


def test_round_14s_names_that_are_words_after_ho_a_greeting_and_an_article_with_som() -> None:
    from codebench.anonymise.pipeline import anonymise_text

    for text, name in (("det ho vår i kassa ho e flink med kundane", "vår"),
                       ("der va det ho vår fra arbeidslivssenteret som kom", "vår"),
                       ("tusen takk vår det va veldig nyttig", "vår"),
                       ("ho fekk ein mentor der ei som heiter vår og ho har jobba der lenge", "vår"),
                       ("hun har ei mor som heter vår ho bor i bergen", "vår"),
                       ("ja eh æ heite vår vår lie og æ e tjueseks", "vår"),
                       ("og der forresten sol ho e på kassa", "sol"),
                       ("tillitsvalgt stein som har vært med og passa på", "stein"),
                       ("ja pappa per jobbe på hydro", "per")):
        assert not re.search(rf"(?<!\w){name}(?!\w)", anonymise_text(text)), text
    for text in ("vi ga ho vår bil", "tusen takk for sist", "vi betaler per time"):
        assert anonymise_text(text) == text


def test_round_14s_surnames_heard_as_words_and_arabic_surnames_with_the_article() -> None:
    # "abdi rahman var same han e fra somalia" (Warsame, left in six interviews), "hodan var same
    # fra somalia", "hans haider al-saadi", and "ragnvald hus" had been rendered "[Person 1]s".
    from codebench.anonymise.pipeline import anonymise_text

    for text, left in (("det var abdi rahman var same eh abdirahman heter han egentlig", "same"),
                       ("ja og så har vi hodan eh hodan var same fra somalia hun er alenemor", "same"),
                       ("hans haider al-saadi fra irak han kom hit", "al-saadi"),
                       ("ja ehm jeg heter mohammad alkatib ja al-khatib med bindestrek", "al-khatib"),
                       ("kontoret og så er det rebas han er kurder og han er flink", "rebas")):
        assert left not in anonymise_text(text), text
    assert anonymise_text("det er han ragnvald hus som er pensjonist").endswith("[Person 1] som er pensjonist")
    assert anonymise_text("vi var enige om det var samme dag") == "vi var enige om det var samme dag"
    assert anonymise_text("de snakket om al-qaida i nyhetene") == "de snakket om al-qaida i nyhetene"
    assert "[Person 1] snakker thai og norsk" == anonymise_text("sirirat snakker thai og norsk")


def test_round_14s_dialect_words_and_the_weather_are_no_one() -> None:
    # Round 14's over-masking: Trøndelag's plural in -an ("foreldran", "folkan") made people, the
    # pronoun and verb "han e" joined to the interviewer Hanne, nynorsk "elles" read as Elle's,
    # "det var storm og ferja gjekk ikkje" beside a boy called Storm, "veilederen hass", "kåss".
    from codebench.anonymise.pipeline import anonymise_text

    for text in ("ho e fra vietnam eller foreldran e fra vietnam", "men at det e folkan som gjør det",
                 "ja det var thaimat og ramadan og sånt", "hun sa kåss e det du gjer og jeg tenkte hva er kåss",
                 "ja det var egentlig veilederen hass på nav som ringte"):
        assert anonymise_text(text) == text
    assert anonymise_text("hanne rasmussen spurte og ailu han e tjuetre år").endswith("han e tjuetre år")
    masked = anonymise_text("ho heiter elle marja og ho er flink\nelles har arbeidsgjevarane elles mykje å gjere")
    assert masked.count("elles") == 2 and "marja" not in masked, masked
    # ... while in typed text a capitalised possessive is the person's ("Livs mor": Liv Berg's)
    from codebench.anonymise.linking import normalise

    assert normalise("Livs") == "liv" and normalise("livs") == "livs" and normalise("Kari Hansens") == "kari hansen"
    masked = anonymise_text("sjefen der e storm kulstad ja han heite faktisk storm\n"
                            "ein dag i mars var det storm og ferja gjekk ikkje\nnår det e uvær og storm og ferja ikkje går\n"
                            "så vi kom for seint og storm sto i døra og sa")
    assert masked.count("storm") == 2 and "sto i døra" in masked and "[Person 1] sto" in masked, masked


def test_round_15s_what_a_named_person_is_called_and_a_word_surname_taken_up_by_the_pronoun() -> None:
    # "han kaller pavel for pavlo eller pav" (both left, and Pavel split over five entities),
    # "mentor liv strand ho eie butikken" (Liv Strand left, and every later "strand").
    from codebench.anonymise.pipeline import anonymise_text

    masked = anonymise_text("det var pavel wisniewski som kom\n"
                            "han e jo bare nitten år så han kaller pavel for pavlo eller pav og det synes han e morsomt")
    assert "pavlo" not in masked and "pav " not in masked and masked.count("[Person 1]") == 4, masked
    masked = anonymise_text("tone e mentor liv strand ho eie butikken sammen med mannen\n"
                            "folk men strand va veldig positiv fra starten")
    assert "strand" not in masked and "liv" not in masked, masked
    for text in ("vi kaller det for noe annet", "de kaller dem for latsabber", "det var et godt liv strand han var på"):
        assert anonymise_text(text) == text


def test_a_possessive_name_before_a_place_and_a_word_the_speaker_calls_a_nickname() -> None:
    # Testers' "og jp og hans på lageret", "eller hans på kvinesdal mek", "hadde jo hans da på
    # lageret" (Hans, left in clear: a possessive follows its noun, never "og" or "jo"), and
    # "nok det er et kallenavn fra thailand".
    from codebench.anonymise.pipeline import anonymise_text

    for text in ("og jp og hans på lageret hans er den eldste her", "eg ringe tønnes eller hans på kvinesdal mek",
                 "hadde jo hans da på lageret som har vore der lenge"):
        assert not anonymise_text(text).startswith(text.split(" hans")[0] + " hans"), anonymise_text(text)
    assert anonymise_text("nok det er et kallenavn fra thailand").startswith("[Person 1] det er")
    for text in ("i høst og vår på hytta", "kontoret hans på lageret er lite", "boka var hans på en måte"):
        assert anonymise_text(text) == text


def test_round_16s_a_role_after_a_name_and_where_someone_is_called_so_are_no_names() -> None:
    # "det e det dei kallar han heime" had given "heime" the informant's own pseudonym; "han hette
    # per steinar fjell" made "hette" a person; "rami mentoren" made every "mentoren" Rami.
    from codebench.anonymise.pipeline import anonymise_text

    assert anonymise_text("ja det e sigvart men det e det dei kallar han heime").endswith("kallar han heime")
    masked = anonymise_text("han hette per steinar fjell og ei som hette ragnhild")
    assert masked.count("hette") == 2 and "ragnhild" not in masked, masked
    masked = anonymise_text("det var rami mentoren som kom og mentoren var flink")
    assert masked.count("mentoren") == 2 and "rami" not in masked, masked


def test_round_16s_word_surname_before_a_full_stop_a_wife_a_nickname_said_after_and_a_verb_surname() -> None:
    # Punctuated Teams ASR: "mentoren vart liv bakke. ho har jobba" and "vår strand. ho e flink"
    # (a word-name and a listed surname, taken up by the pronoun of the next sentence); "og hans
    # kone hilja hu bakte" (kin after a possessive); "med sigge. det e det dei kallar han"; "men
    # mari sel har vært" (Maricel; "sel" is nynorsk's "sells"). All left in clear.
    from codebench.anonymise.pipeline import anonymise_text

    masked = anonymise_text("kem vart mentor? mentoren vart liv bakke. ho har jobba der i over tjue år\n"
                            "og så har vi hatt med ho eit par gonger, vår strand. ho e flink med arbeidsgivarsida")
    assert not re.search(r"\b(liv|bakke|vår|strand)\b", masked), masked
    masked = anonymise_text("dem hadde mye å snakke om og hans kone hilja hu bakte kaker til dem")
    assert "hilja" not in masked, masked
    masked = anonymise_text("ho sa at no må det skje noko med sigge. det e det dei kallar han heime")
    assert "sigge" not in masked and "kallar han heime" in masked, masked
    masked = anonymise_text("de er jo ikke gjennom nav men mari sel har vært litt sånn uoffisiell mentor")
    assert "mari" not in masked and "sel" not in masked, masked
    for text in ("min kone er fra bergen", "vi sa det var greit det e det vi kaller han",
                 "men kari sa har du vært der", "det var et godt liv. han var glad"):
        assert anonymise_text(text).replace("[Person 1]", "kari") == text, anonymise_text(text)


def test_round_17s_possessive_given_name_before_a_surname_a_past_tense_and_the_one_called() -> None:
    # "ja je heter hans grinaker" (Hans left: "heter hans" read as "his"), "og meseret kjente en
    # tante" (the verb taken for her surname), "han og olaus gamle olaus" (the adjective), "hun
    # ringte per og sa" (Per Moen, named as the boss before, left in clear).
    from codebench.anonymise.pipeline import anonymise_text

    assert anonymise_text("ja je heter hans grinaker og je er femtito") == "ja je heter [Person 1] og je er femtito"
    assert "kjente en tante" in anonymise_text("det ble ikke det samme og meseret kjente en tante av dem")
    assert anonymise_text("han og olaus gamle olaus vi kalle han") == "han og [Person 1] gamle [Person 1] vi kalle han"
    masked = anonymise_text("sjefen er per moen han e grei\nveilederen hennes ringte per og sa at hun hadde en plass")
    assert masked.count("[Person 1]") == 2, masked
    for text in ("hva heter hans kone", "sjefen er per moen\nvi ringte per telefon og spurte om"):
        assert "hans kone" in anonymise_text(text) or "per telefon" in anonymise_text(text), anonymise_text(text)


def test_a_kin_word_name_before_since_and_the_dialects_i_in_a_pair() -> None:
    # A tester's Sámi wife Elle, left four times: "sammen med kona mi elle sida nittifem", "det e
    # æ og elle og så" (the dialect's "I"); the weather beside "og æ" stays weather.
    from codebench.anonymise.pipeline import anonymise_text

    assert anonymise_text("æ har drevet firmaet sammen med kona mi elle sida nittifem") == \
        "æ har drevet firmaet sammen med kona mi [Person 1] sida nittifem"
    assert anonymise_text("det e æ og elle og så e det regnskapsføreren") == \
        "det e æ og [Person 1] og så e det regnskapsføreren"
    for text in ("ja det va en gang i januar det va storm og æ kom ikkje over",
                 "og det var minus tretti og storm og æ tenkte hva gjør vi"):
        assert anonymise_text(text) == text
