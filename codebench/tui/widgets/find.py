"""Type-to-find for the workbench's lists and trees.

The scheme, the same in every list (the codebook tree, the project's documents, the review's
identifiers, the quotes):

- Typing a letter or digit that is not one of the screen's keys starts a find; ctrl+f starts
  one whatever the first letter (``m`` moves a code in the codebook, so finding «mentor» there
  starts with ctrl+f).
- While a find is open every typed character goes to it (the screen's letter keys wait; a capital
  or a symbol such as "+" that is one of the screen's keys closes the find and does its job —
  unless nothing matched and the key acts on a row: the row highlighted is not the one looked
  for), and
  the highlight jumps to the first row from the current one whose words start with what is
  typed (or, failing that, that contains it anywhere).
- ↓ / ↑ (or ctrl+f again) go to the next / previous match; Backspace takes back a letter (and
  closes the find when nothing is left); Esc closes it and stays on the row (and the first Esc
  after a screen's key closed it stays too); Enter closes it and does what Enter does in the list
  (open the document, show the quotes).
- A line under the list shows what is typed and how many rows match.
"""

from __future__ import annotations

from typing import Sequence

from textual import events
from textual.binding import Binding
from textual.widgets import Label, OptionList

FIND_BINDING = Binding("ctrl+f", "start_find", "find", show=False,
                       tooltip="Find a row by typing (letters that are not keys start it too); "
                               "↓↑ next/previous match, Esc closes")


class FindBar(Label):
    """The line under a list while a find is open: what is typed, and how many rows match."""

    DEFAULT_CSS = """
    FindBar { display: none; height: 1; width: 100%; padding: 0 1; background: $boost; color: $text; }
    FindBar.-open { display: block; }
    FindBar.-missing { color: $text-warning; }
    """


def find_match(rows: Sequence[str], query: str, start: int, step: int = 1, *, exact_first: bool = False) -> int | None:
    """The first row from ``start`` (going by ``step``, wrapping) that matches ``query``.

    A row whose words start with the query wins over one that only contains it, so «men»
    finds «mentor» before «kommentar». With ``exact_first`` (what is typed, not ↓↑), a row that
    is the query, or one of whose comma-separated names is, wins over both: «lie» typed finds the
    identifier "lie" before "bjørn erik lie" (a tester joined the wrong person so).
    """
    if not rows or not query:
        return None
    folded = query.casefold()
    count = len(rows)
    order = [(start + step * i) % count for i in range(count)]
    if exact_first:
        for i in order:
            if folded in (part.strip() for part in rows[i].casefold().split(",")):
                return i
    for i in order:
        text = rows[i].casefold()
        if text.startswith(folded) or any(word.startswith(folded) for word in text.split()):
            return i
    for i in order:
        if folded in rows[i].casefold():
            return i
    return None


class TypeToFind:
    """Mixin for a focusable list widget: type to jump to a matching row (see the module doc).

    The widget says what each row reads (:meth:`find_rows`), which row is current
    (:meth:`find_current`) and how to go to one (:meth:`find_go`).
    """

    HELP = """
**Type to find.** Type a name: letters that are not this screen's keys start a find (ctrl+f
starts one with any letter). The highlight jumps to the next row whose words start with what
you type. ↓ ↑ next / previous match · Backspace takes back a letter · Esc closes the find ·
Enter closes it and opens the row.
"""

    find_query: str = ""
    """What is typed into the open find ('' when no find is open)."""
    _find_open: bool = False
    _closed_by_a_key: bool = False
    """The find was closed by a screen's key (a capital, a symbol): the Esc a user presses next,
    to close the find they think still open, must not leave the screen (two testers' next
    letters went to the project screen after such an Esc)."""
    _find_origin: int = 0

    # -- what the list provides ----------------------------------------------------------

    def find_rows(self) -> Sequence[str]:
        """The words of each row, in the order the rows are shown."""
        raise NotImplementedError

    def find_current(self) -> int | None:
        """Index of the highlighted row."""
        raise NotImplementedError

    def find_go(self, index: int) -> None:
        """Highlight row ``index`` (scrolling it into view)."""
        raise NotImplementedError

    # -- the find ------------------------------------------------------------------------

    @property
    def finding(self) -> bool:
        """A find is open."""
        return self._find_open

    def _bar(self) -> FindBar:
        widget = self  # type: ignore[assignment]
        bar: FindBar | None = getattr(self, "_find_bar", None)
        if bar is None:
            bar = FindBar()
            self._find_bar = bar
            widget.parent.mount(bar, after=widget)  # type: ignore[attr-defined]
        return bar

    def action_start_find(self) -> None:
        """Open a find (ctrl+f); in an open find, go to the next match."""
        if self._find_open:
            self._find_step(1)
            return
        self.open_find("")

    def open_find(self, query: str) -> None:
        """Open a find with ``query`` typed (another widget hands a typed letter on)."""
        self._find_open = True
        self.find_query = query
        self._find_origin = self.find_current() or 0
        self._bar().set_class(True, "-open")
        self._find_search(self._find_origin)

    def close_find(self) -> None:
        """Close the find; the highlighted row stays."""
        self._find_open = False
        self.find_query = ""
        bar = getattr(self, "_find_bar", None)
        if bar is not None:
            bar.set_class(False, "-open")

    def _find_search(self, start: int, step: int = 1, *, typed: bool = True) -> None:
        rows = self.find_rows()
        found = find_match(rows, self.find_query, start, step, exact_first=typed) if self.find_query else None
        if found is not None:
            self.find_go(found)
        self._show_bar(rows, found)

    def _find_step(self, step: int) -> None:
        current = self.find_current()
        self._find_search(((current if current is not None else -step) + step), step, typed=False)

    def _show_bar(self, rows: Sequence[str], found: int | None) -> None:
        bar = self._bar()
        if not self.find_query:
            bar.update("find: type a name · Esc closes")
            bar.set_class(False, "-missing")
            return
        if found is None:
            bar.update(f"find: {self.find_query} — no row matches · Backspace · Esc")
            bar.set_class(True, "-missing")
            return
        folded = self.find_query.casefold()
        matches = sum(1 for row in rows if folded in row.casefold())
        bar.update(f"find: {self.find_query} — {matches} match{'es' if matches != 1 else ''} · ↓↑ next · Esc closes")
        bar.set_class(False, "-missing")

    def _is_binding(self, key: str) -> bool:
        return key in self.screen.active_bindings  # type: ignore[attr-defined]

    async def _on_key(self, event: events.Key) -> None:  # runs before the widget's and the screen's keys
        self.find_key(event)

    def find_key(self, event: events.Key) -> None:
        """Handle a key as this list's find does (another widget forwards keys typed while its
        focus is on the way here)."""
        # A key with a modifier (alt+g: also Esc then g typed fast) is never text for the find.
        typed = event.is_printable and bool(event.character) and not event.key.startswith(("alt+", "ctrl+"))
        closed_by_a_key, self._closed_by_a_key = self._closed_by_a_key, False
        if event.key == "escape" and not self._find_open and closed_by_a_key:
            event.stop()
            event.prevent_default()
            self.app.notify("The find had closed already; Esc again (or q) goes back", timeout=4)  # type: ignore[attr-defined]
            return
        if (self._find_open and typed and self._is_binding(event.key)
                and (event.character.isupper() or _symbol_key(event.character))):
            # A capital that is the screen's key ends the find and does its job: a tester's "R"
            # (list read) after a find went into it ("strømR") and nothing was recorded; so does
            # a key no name holds (a tester's "+" after "kuba" found "kuba+", no row).
            missed = (bool(self.find_query) and find_match(self.find_rows(), self.find_query, 0, 1) is None
                      and event.character not in getattr(self.screen, "SCREEN_WIDE_KEYS", ()))
            query = self.find_query
            self.close_find()
            self._closed_by_a_key = True
            if missed:
                # ... but not on the row a find that found nothing left highlighted: a tester's
                # "mahmud" matched no row and the highlight stayed on another person's.
                event.stop()
                event.prevent_default()
                self.app.notify(f"No row matches «{query}»: {event.character} not applied to the row "  # type: ignore[attr-defined]
                                "still highlighted", severity="warning")
            return
        if self._find_open:
            if event.key in ("escape", "backspace", "up", "down", "ctrl+f") or typed:
                event.stop()
                event.prevent_default()
            if event.key == "escape":
                self.close_find()
            elif event.key == "backspace":
                self.find_query = self.find_query[:-1]
                if not self.find_query:
                    self.close_find()
                else:
                    self._find_search(self._find_origin)
            elif event.key in ("down", "ctrl+f"):
                self._find_step(1)
            elif event.key == "up":
                self._find_step(-1)
            elif typed and event.character:
                self.find_query += event.character
                current = self.find_current()
                self._find_search(current if current is not None else 0)
            else:
                self.close_find()  # Enter, Tab, another key: the find is done, the key does its job
            return
        if event.key == "ctrl+f":
            # Opened here, not by the binding's action: that ran only after the key had gone round
            # the screen, and a letter typed right after ctrl+f was taken for the screen's key
            # (a tester's "r" rejected a name instead of starting the find).
            event.stop()
            event.prevent_default()
            self.open_find("")
            return
        if typed and event.character and event.character.isalnum() and not self._is_binding(event.key):
            event.stop()
            event.prevent_default()
            self.open_find(event.character)


def _symbol_key(character: str) -> bool:
    """A character no name is typed with: not a letter, digit, space, hyphen or apostrophe."""
    return not character.isalnum() and character not in " -'’."


class FindOptionList(TypeToFind, OptionList):
    """An option list in which typing finds an option (headings, which are disabled, are skipped)."""

    BINDINGS = [FIND_BINDING]

    def find_rows(self) -> list[str]:
        # A disabled option (a group heading) reads as nothing, so it never matches.
        return ["" if option.disabled else _plain(option.prompt) for option in self.options]

    def find_current(self) -> int | None:
        return self.highlighted

    def find_go(self, index: int) -> None:
        self.highlighted = index


def _plain(prompt: object) -> str:
    plain = getattr(prompt, "plain", None)
    return plain if isinstance(plain, str) else str(prompt)
