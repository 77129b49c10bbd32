"""Indirect identifiers the rules cannot verify: job titles and rare diagnoses.

"Daglig leder på Holmvika Trelast" or "den eneste bilmekanikeren i bygda" narrows an informant
down as well as a name does. These are flagged for the researcher (kind INDIRECT, a low score),
never replaced automatically: generalising ("a manager in a small firm") is the researcher's
call, not a pattern's.
"""

from __future__ import annotations

import re

from codebench.anonymise.detections import INDIRECT, Detection

# Titles that, with a workplace or a small place, point at one person.
_TITLES = (
    "daglig leder", "daglig leiar", "administrerende direktør", "adm. dir.", "direktør", "styreleder",
    "butikksjef", "butikkleder", "avdelingsleder", "avdelingsleiar", "verkstedleder", "verkstedsjef",
    "driftsleder", "produksjonsleder", "personalsjef", "hr-sjef", "hr-leder", "rektor", "styrer",
    "barnehagestyrer", "enhetsleder", "einingsleiar", "kjøkkensjef", "hovmester", "formann",
    "bas", "verneombud", "tillitsvalgt", "hovedtillitsvalgt", "ordfører", "rådmann", "kommunedirektør",
    "nav-leder", "nav-leiar", "kontorsjef", "teamleder", "fagleder", "økonomisjef", "eier",
    "innehaver", "sjefen", "bestyrer",
)
# Diagnoses rare enough to identify someone in a small workplace.
_DIAGNOSES = (
    "autisme", "asperger", "downs syndrom", "cerebral parese", "epilepsi", "schizofreni",
    "bipolar", "tourette", "adhd", "add", "cp", "ms", "als", "ptsd", "spiseforstyrrelse",
    "utviklingshemming", "psykisk utviklingshemmet",
)
# The title in any case; the workplace after it either capitalised words (a name) or one
# definite noun ("på verkstedet"). Case matters there, so only the title part ignores it.
_TITLE = re.compile(
    r"(?<!\w)(?i:" + "|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True)) + r")"
    r"(?:\s+(?:på|i|ved|hos|for)\s+(?:[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*){0,3}|[a-zæøå]+(?:en|et|a)))?(?!\w)",
)
_DIAGNOSIS = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(d) for d in sorted(_DIAGNOSES, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)


def find_indirect(text: str) -> list[Detection]:
    """Job titles (with the workplace that follows them) and rare diagnoses, for review only."""
    found = [Detection(m.start(), m.end(), INDIRECT, "rules:title", 0.3, m.group()) for m in _TITLE.finditer(text)]
    for m in _DIAGNOSIS.finditer(text):
        word = m.group()
        # Short abbreviations only in capitals ("ADHD", "CP"), so "add" and "ms" stay words.
        if len(word) <= 4 and not word.isupper():
            continue
        found.append(Detection(m.start(), m.end(), INDIRECT, "rules:diagnosis", 0.3, word))
    return found
