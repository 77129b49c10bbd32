"""Memos of every kind in one list: what they are about, who wrote them, and how to find them.

A project keeps memos in three places, each where it belongs: a memo on the project, a document
or a code is a row of its own (``codebench memo``); a code's own memo is a field of the code (the
codebook's ``memo:``, written with ``e`` in the codebook screen); a memo on a coding is a field
of that coding (``m`` in the transcript: why *these* words carry *this* code). The memo browser,
``codebench memos`` and ``export memos`` show them side by side as :class:`MemoEntry` records,
and :func:`select_memos` narrows the list by kind, code, document, coder and words.

Pure Python: the services gather the records, the front ends and writers show them.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

MEMO_KINDS: tuple[str, ...] = ("project", "document", "code", "coding")
"""What a memo can be about, in the order lists and exports present them."""

KIND_TITLES: dict[str, str] = {"project": "project memo", "document": "document memo", "code": "code memo",
                               "coding": "coding memo"}
"""How a kind is named on screen and in the command line."""

KIND_TITLES_NB: dict[str, str] = {"project": "Prosjektmemo", "document": "Dokumentmemo", "code": "Kodememo",
                                  "coding": "Kodingsmemo"}
"""The same in Norwegian, for exported files (which Norwegian research teams read)."""


@dataclass(frozen=True)
class MemoEntry:
    """One memo, whichever table it lives in, with what a reader needs to place it.

    ``key`` identifies the memo for editing and jumping: the memo's id for a memo row, ``code:``
    and the code's id for a code's own memo field, the coding's id for a coding memo.
    """

    kind: str
    key: str
    text: str
    author: str | None = None
    """Who wrote it: the memo's author, the coder of a coding memo; None for a code's own memo field."""
    title: str | None = None
    code: str | None = None
    """The code of a code or coding memo (its name: the key to edit or find it by)."""
    code_id: int | None = None
    code_label: str | None = None
    """The code's name as shown when that differs (an in-vivo code's rendition in an anonymised list)."""
    document_id: int | None = None
    document: str | None = None
    """The document's name as shown (anonymised label unless originals are shown)."""
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    """The coded words of a coding memo."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    field_memo: bool = False
    """A code's own memo field (the codebook's ``memo:``) rather than a memo row."""
    masked: bool = False
    """The anonymisation replaced names in the text shown: saving an edit of it would write the
    pseudonyms over the names, so front ends edit such a memo only where originals show."""

    @property
    def kind_title(self) -> str:
        """"coding memo", "code memo", …"""
        return KIND_TITLES[self.kind]

    @property
    def code_shown(self) -> str | None:
        """The code's name as a reader is shown it."""
        return self.code_label or self.code

    @property
    def place(self) -> str:
        """What the memo is about, in a few words: ``«tidspress» in V01 veileder runde 1 [120–310]``."""
        if self.kind == "coding":
            return f"«{self.code_shown}» in {self.document} [{self.start}–{self.end}]"
        if self.kind == "code":
            return f"«{self.code_shown}»"
        if self.kind == "document":
            return self.document or "a document"
        return "the project"


@dataclass(frozen=True)
class MemoFilter:
    """What to keep of a list of memos; an empty filter keeps everything.

    Names match regardless of case; ``code`` and ``document`` match a name that starts with
    the value (``tids`` finds «tidspress»), ``coder`` the whole name, ``words`` every word
    somewhere in the memo, its title, place, author or coded words.
    """

    kinds: tuple[str, ...] = ()
    code: str | None = None
    document: str | None = None
    document_id: int | None = None
    coder: str | None = None
    words: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        """Nothing is filtered."""
        return not (self.kinds or self.code or self.document or self.document_id is not None or self.coder or self.words)

    def describe(self) -> str:
        """The active filters in one line, e.g. ``coding memos · code «tids» · by ingrid · "tid"``."""
        parts = [" and ".join(KIND_TITLES[k] + "s" for k in self.kinds)] if self.kinds else []
        if self.code:
            parts.append(f"code «{self.code}»")
        if self.document:
            parts.append(f"document «{self.document}»")
        if self.coder:
            parts.append(f"by {self.coder}")
        if self.words:
            parts.append(" ".join(f'"{w}"' for w in self.words))
        return " · ".join(parts)


_PREFIXES = {"code": "code", "kode": "code", "doc": "document", "document": "document", "dok": "document",
             "by": "coder", "coder": "coder", "av": "coder", "kind": "kind", "type": "kind"}
_KIND_WORDS = {"project": "project", "prosjekt": "project", "document": "document", "doc": "document",
               "dokument": "document", "code": "code", "kode": "code", "coding": "coding", "koding": "coding"}


def parse_memo_query(query: str) -> MemoFilter:
    """A filter from what the user typed: words, and ``code:``, ``doc:``, ``by:``, ``kind:`` terms.

    ``code:"god mentor" by:ingrid tid`` keeps ingrid's memos on codes starting «god mentor»
    that contain "tid". A term with an unknown prefix or kind is an ordinary word, so a memo
    that says "kl. 10:30" can still be found by typing it.
    """
    try:
        tokens = shlex.split(query)
    except ValueError:  # an unclosed quotation mark while typing: take the words as they are
        tokens = query.replace('"', " ").replace("'", " ").split()
    kinds: list[str] = []
    values: dict[str, str] = {}
    words: list[str] = []
    for token in tokens:
        prefix, colon, value = token.partition(":")
        target = _PREFIXES.get(prefix.casefold()) if colon else None
        if target == "kind" and value.casefold() in _KIND_WORDS:
            kinds.append(_KIND_WORDS[value.casefold()])
        elif target and target != "kind" and value.strip():
            values[target] = " ".join(value.split())
        else:
            words.append(token)
    return MemoFilter(kinds=tuple(dict.fromkeys(kinds)), code=values.get("code"), document=values.get("document"),
                      coder=values.get("coder"), words=tuple(words))


def _haystack(entry: MemoEntry) -> str:
    return " ".join(part for part in (entry.kind_title, entry.code_shown, entry.document, entry.author, entry.title,
                                      entry.text, entry.quote) if part).casefold()


def select_memos(entries: Iterable[MemoEntry], wanted: MemoFilter) -> list[MemoEntry]:
    """The entries the filter keeps, in their order."""
    if wanted.empty:
        return list(entries)
    code = wanted.code.casefold() if wanted.code else None
    document = wanted.document.casefold() if wanted.document else None
    coder = wanted.coder.casefold() if wanted.coder else None
    words = [w.casefold() for w in wanted.words]
    kept = []
    for entry in entries:
        if wanted.kinds and entry.kind not in wanted.kinds:
            continue
        # Matched on the name shown: a hidden name is not found by guessing it.
        if code is not None and not (entry.code_shown or "").casefold().startswith(code):
            continue
        if wanted.document_id is not None and entry.document_id != wanted.document_id:
            continue
        if document is not None and not (entry.document or "").casefold().startswith(document):
            continue
        if coder is not None and (entry.author or "").casefold() != coder:
            continue
        if words:
            haystack = _haystack(entry)
            if not all(w in haystack for w in words):
                continue
        kept.append(entry)
    return kept


def memo_order(entries: Sequence[MemoEntry], code_order: dict[int, int] | None = None) -> list[MemoEntry]:
    """Project memos first, then document memos by document, code memos in code-tree order,
    and coding memos by code (tree order), document and position; oldest first within each."""
    order = code_order or {}
    kinds = {kind: i for i, kind in enumerate(MEMO_KINDS)}

    def key(entry: MemoEntry) -> tuple[object, ...]:
        return (kinds[entry.kind], order.get(entry.code_id or -1, len(order)) if entry.kind in ("code", "coding") else 0,
                entry.document_id or 0, entry.start or 0, not entry.field_memo,
                entry.created_at.isoformat() if entry.created_at else "", entry.key)

    return sorted(entries, key=key)
