"""Training pieces from interview transcripts whose identifiers are marked inline.

The held-out testers of #15 write ASR interviews (VTT, SRT, WhisperX JSON, noScribe HTML,
timestamped text) and mark every identifier where it is said: ``{{P:kari holmeset}}`` a
person, ``{{C:…}}`` a contact detail or age, ``{{L:…}}`` a small place, ``{{W:…}}`` a
workplace, ``{{T:…}}`` a word that looks like a name and is not (``bench/held_out.py`` scores
against the same marks).  Those files are the only text this project has in which people speak
of people the way informants do ("kona mi", "han hansen", a name heard in pieces); this turns
them into training pieces for the NER model:

- person words are ``PER``, trap words and ordinary words ``O``; small places, workplaces and
  the words of public places and bodies are *missing* (the model learns nothing there, as
  with the places of the ASR days);
- each copy gives every person another name (``asr_training.swapped``: lists, made-up farm
  names, one letter misheard now and then), so the model learns where names stand rather than
  the names the testers chose; ``originals`` copies keep the names as written, since the
  misheard foreign names ("ti lan", "abdi rahman var same") are the shape no list makes.

The files stay outside the repository (like NorNE and the proceedings); only a model trained
from them ships.  ``dirs`` are folders of such files (a tester's ``gold-frozen``).
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Iterable

from codebench.anonymise.training.asr_training import MISSING, Pools, pieces, swapped
from codebench.anonymise.training.convert_norne import Sentence

MARK = re.compile(r"\{\{([PCLWT]):(.*?)\}\}", re.S)
WORD = re.compile(r"\w+(?:[-'’.@]\w+)*|[^\w\s]", re.U)
_SUFFIXES = {".vtt", ".srt", ".json", ".html", ".htm", ".txt"}


def marked_turns(path: Path) -> list[str]:
    """The spoken text of each turn of ``path``, marks kept (the importer reads the format)."""
    from codebench.ingest import import_file

    doc = import_file(path)
    return [doc.text[t.body_start:t.end] for t in doc.turns if doc.text[t.body_start:t.end].strip()]


def labelled_words(text: str, is_public_place) -> tuple[list[str], list[str | None], list[str | None]]:
    """Words of one turn, their labels ("PER", "O" or None for missing) and, for person words,
    the mention's name (one entity per distinct spelling in a file)."""
    words: list[str] = []
    labels: list[str | None] = []
    entities: list[str | None] = []
    pos = 0

    def plain(chunk: str) -> None:
        for w in WORD.findall(chunk):
            words.append(w)
            labels.append(None if is_public_place(w) else "O")
            entities.append(None)

    for m in MARK.finditer(text):
        plain(text[pos:m.start()])
        kind, inner = m.group(1), m.group(2)
        name = " ".join(inner.casefold().split())
        for w in WORD.findall(inner):
            words.append(w)
            if kind == "P":
                labels.append("PER" if w.isalnum() or "-" in w else "O")
                entities.append(name)
            else:
                labels.append(None if kind in "LW" else "O")
                entities.append(None)
        pos = m.end()
    plain(text[pos:])
    return words, labels, entities


def files(dirs: Iterable[Path]) -> list[Path]:
    """The marked transcripts in ``dirs``, in a fixed order."""
    return sorted(p for d in dirs for p in Path(d).iterdir() if p.suffix.lower() in _SUFFIXES)


def _as_heard(words: list[str], labels: list[str | None], entities: list[str | None]) -> Sentence:
    tags: list[str] = []
    for i, (label, ent) in enumerate(zip(labels, entities)):
        if label != "PER":
            tags.append(label or MISSING)
        elif i and labels[i - 1] == "PER" and entities[i - 1] == ent:
            tags.append("I-PER")
        else:
            tags.append("B-PER")
    return [w.lower() for w in words], [True] * len(words), tags


def sentences(dirs: Iterable[Path], pools: Pools, rng: random.Random, *, copies: int,
              originals: int = 1) -> list[Sentence]:
    """Training pieces (12–40 words, never cut inside a name) of every marked transcript:
    ``originals`` copies with the names as written and ``copies`` with every person renamed."""
    from codebench.anonymise.policy import is_public

    out: list[Sentence] = []
    for path in files(dirs):
        turns = [labelled_words(t, is_public) for t in marked_turns(path)]
        for copy in range(originals + copies):
            # A renamed person keeps the new name through a piece (``swapped``), not a file:
            # the model learns from windows of a few words anyway.
            rename = copy >= originals
            for words, labels, entities in turns:
                if not words:
                    continue
                for start, end in pieces(len(words), labels, entities, rng):
                    w, lab, ent = words[start:end], labels[start:end], entities[start:end]
                    if rename:
                        out.append(swapped(w, lab, ent, pools, rng))
                    else:
                        out.append(_as_heard(w, lab, ent))
    return out
