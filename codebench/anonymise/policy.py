"""Which names identify nobody, and which public places and bodies are kept by default.

Sikt's rule of thumb: information must not point to a group of five or fewer people.  A
country, a county, a large city or a national institution does not narrow an informant down
("I Oslo er du bare ett nummer", "NAV som etat"), and masking it makes a quote unreadable
("I [Sted 1] er du bare 10 cm").  So:

- ``NOT_IDENTIFYING`` words are never suggested at all (the agency as such, generic words);
- ``PUBLIC`` places and bodies are found and listed, but kept by default: detection stores
  them as decided "keep" (rejected), the review shows them, and ``anonymise --mask-public``
  (or accepting the entity) masks them;
- everything else — small places, workplaces, NAV offices ("NAV Sørvik") — is masked.

The lists are written for this project from general knowledge (Norway's counties, old and new,
its municipalities of more than about 50,000 inhabitants, countries and national bodies).
"""

from __future__ import annotations

# Names of things that identify nobody (the agency itself, generic words, tools).
NOT_IDENTIFYING = frozenset({
    "nav", "nav sin", "nav-kontoret", "norden", "ia", "ia-avtalen", "arbeidslivssenteret",
    "arbeidslivssenter", "supported employment", "kommunen", "fylket", "staten", "teams", "zoom", "facebook",
    "google", "sikt", "nsd", "aap", "kvp", "tiltak",
    # Chains with a shop in every town: "jobber på kiwi" names no one (the town after it does).
    "kiwi", "rema", "rema 1000", "coop", "coop extra", "coop prix", "coop mega", "coop obs", "coop marked", "obs",
    "meny", "spar", "joker", "bunnpris", "europris", "xxl", "elkjøp", "clas ohlson", "jernia", "biltema",
    "plantasjen", "ikea", "cubus", "dressmann", "lindex", "vinmonopolet", "polet", "posten", "circle k", "esso",
    "uno-x", "mcdonalds", "mcdonald's", "burger king", "peppes", "narvesen", "7-eleven", "deli de luca", "fretex",
    "kiwi-butikken", "rema-butikken",
})

COUNTRIES = frozenset("""
norge noreg sverige danmark finland island tyskland frankrike england storbritannia skottland irland
nederland belgia spania portugal italia hellas polen litauen latvia estland russland ukraina
hviterussland tsjekkia slovakia ungarn romania bulgaria serbia kroatia bosnia østerrike sveits
tyrkia syria irak iran afghanistan pakistan india kina japan thailand vietnam filippinene
somalia eritrea etiopia sudan sør-sudan kongo nigeria ghana kenya uganda tanzania marokko algerie tunisia
libya egypt saudi-arabia jemen libanon jordan israel palestina kuwait qatar usa amerika canada
mexico brasil argentina colombia chile peru cuba australia europa afrika asia
bangladesh nepal myanmar burma indonesia malaysia korea sør-korea nord-korea georgia armenia
aserbajdsjan kasakhstan usbekistan tsjetsjenia kosovo albania makedonia nord-makedonia montenegro slovenia moldova
filippinan filippinane filippinerne statan statane kurdistan
""".split()) | {"sri lanka", "new zealand"}

# Large cities abroad, most of them where informants come from: as public as a country.
CITIES_ABROAD = frozenset("""
asmara mogadishu hargeisa kabul damaskus aleppo bagdad teheran istanbul ankara warszawa krakow kraków
gdansk gdańsk wrocław wroclaw poznań poznan vilnius kaunas riga tallinn kyiv kiev kharkiv lviv odesa moskva
manila bangkok hanoi beijing delhi mumbai karachi lahore islamabad dhaka nairobi kampala khartoum kairo
addis london paris berlin stockholm göteborg gøteborg københavn helsingfors helsinki madrid lisboa
amsterdam brussel praha budapest beograd sarajevo zagreb bucuresti minsk athen
""".split()) | {"addis abeba", "new york", "ho chi minh-byen"}

COUNTIES = frozenset({
    "østfold", "akershus", "hedmark", "oppland", "buskerud", "vestfold", "telemark", "aust-agder", "vest-agder",
    "rogaland", "hordaland", "sogn og fjordane", "møre og romsdal", "sør-trøndelag", "nord-trøndelag",
    "nordland", "troms", "finnmark", "viken", "innlandet", "vestfold og telemark", "agder", "vestland",
    "trøndelag", "troms og finnmark", "nord-norge", "vestlandet", "østlandet", "sørlandet", "midt-norge",
})

LARGE_CITIES = frozenset("""
oslo bergen trondheim stavanger bærum kristiansand drammen asker lillestrøm fredrikstad sandnes
tromsø sarpsborg skien ålesund bodø sandefjord larvik tønsberg arendal karmøy ullensaker
porsgrunn haugesund nordre follo
""".split())

INSTITUTIONS = frozenset({
    "eu", "eøs", "fn", "nato", "who", "oecd", "stortinget", "regjeringen", "regjeringa", "storting",
    "arbeids- og velferdsdirektoratet", "nav-direktoratet", "arbeids- og inkluderingsdepartementet",
    "helsedirektoratet", "skatteetaten", "statens vegvesen", "udi", "imdi", "politiet", "høyesterett",
    "ks", "lo", "nho", "virke", "unio", "ys", "ssb", "statistisk sentralbyrå", "fafo", "fhi",
    "folkehelseinstituttet", "kunnskapsdepartementet", "utdanningsdirektoratet", "bufdir", "nrk",
    "arbeidstilsynet", "datatilsynet", "husbanken", "lånekassen", "kriminalomsorgen", "helse- og omsorgsdepartementet",
})

PUBLIC = COUNTRIES | COUNTIES | LARGE_CITIES | CITIES_ABROAD | INSTITUTIONS


def is_public(form: str) -> bool:
    """A normalised (lower-case, single-spaced) form of a public place or body kept by default."""
    return " ".join(form.casefold().split()) in PUBLIC
