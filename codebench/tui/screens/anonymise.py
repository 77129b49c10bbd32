"""Anonymisation review: detected names and identifiers, grouped into entities, with context.

The researcher walks the entities (direct identifiers first), reads each mention in its
sentence, and accepts or rejects whole entities or single mentions; renames a pseudonym; adds a
name the detectors missed; runs detection again. Every decision goes through
``services.anonymisation``, so the CLI and the workbench record exactly the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Header, Label, OptionList, ProgressBar
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from codebench import services
from codebench.anonymise.key import KeyFileError
from codebench.domain.records import AuditEntry
from codebench.services import anonymisation
from codebench.services.anonymisation import DetectReport, EntityView, MentionView, parse_kind
from codebench.services.anonymisation.review import AutoAcceptPreview, auto_accept_preview
from codebench.services.history import describe_operation
from codebench.tui.screens.base import WorkbenchScreen
from codebench.tui.screens.confirm import ConfirmDialog
from codebench.tui.screens.kind_picker import KindPicker
from codebench.tui.screens.picker import TextPrompt
from codebench.tui.widgets.find import FindOptionList
from codebench.tui.widgets.stable_footer import StableFooter

# Theme variables, so statuses read well in light and dark themes alike.
STATUS_STYLES = {
    "suggested": "$text-warning",
    "accepted": "$text-success",
    "manual": "$text-success",
    "rejected": "$text-error",
}
ENTITY_KEYS = Binding.Group("accept/reject")
MENTION_KEYS = Binding.Group("one mention")
FORMS_SHOWN = 6  # original spellings on an entity's second line; the mentions pane shows the rest


def entity_prompt(view: EntityView) -> Content:
    """Two lines for the entity list: pseudonym and original forms; then counts, kind, documents.

    The list does not wrap (each entity keeps its two lines). The forms are what the reviewer
    decides on, so they follow the pseudonym on the first line (at 80 columns the kind and
    document count had left room for nine characters of them); an ellipsis cuts what does not
    fit, and the mentions pane title lists all of them.
    """
    settled = view.statuses.get("accepted", 0) + view.statuses.get("manual", 0)
    rejected = view.statuses.get("rejected", 0)
    forms = ", ".join(view.forms[:FORMS_SHOWN]) + (", …" if len(view.forms) > FORMS_SHOWN else "")
    documents = f"{view.documents} doc" + ("s" if view.documents != 1 else "")
    return Content.assemble(
        (view.pseudonym, "bold"), " ", (forms, "italic"), "\n  ",
        (f"{view.open} open", STATUS_STYLES["suggested"] if view.open else "$text-muted"), " ",
        (f"{settled}✓", STATUS_STYLES["accepted"] if settled else "$text-muted"), " ",
        (f"{rejected}✗", STATUS_STYLES["rejected"] if rejected else "$text-muted"), " · ",
        (view.kind, "$text-muted"), " · ", (documents, "$text-muted"),
    )


def mention_prompt(mention: MentionView, *, lone: bool = False, current: bool = False) -> Content:
    """Two lines for the mention list: status, document, detector, score; then the words around it.

    ``lone``: the document names this person by one word only, and another names them in full
    (linking joined them by that word): asked about, since it may be someone else.
    ``current``: the mention Y, N and S act on, marked by a ▶ as well as by colour (three testers
    could not tell which row was highlighted and decided on its neighbour)."""
    return Content.assemble(
        (f"{mention.status:<9}", STATUS_STYLES.get(mention.status, "")), " ",
        (f"{mention.score:.2f} {mention.detector}", "$text-muted"), "  ", (mention.document, "bold"),
        ("  same person? S splits this interview's" if lone else "", "$warning"),
        ("\n▶ …", "bold") if current else "\n  …",
        mention.before, (mention.text.replace("\n", " "), "bold underline"), mention.after, "…",
    )


@dataclass
class _Wanted:
    """Where the highlights should land when the lists are rebuilt (ids survive a reload)."""

    entity: int | None = None
    mention: int | None = None
    pseudonym: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a review action did: a line for the user, and the entity to show afterwards."""

    note: str
    pseudonym: str | None = None


def _words_start(typed: Sequence[str], words: Sequence[str]) -> bool:
    """Each typed word starts a word of ``words``, in the same order."""
    at = 0
    for piece in typed:
        while at < len(words) and not words[at].startswith(piece):
            at += 1
        if at == len(words):
            return False
        at += 1
    return bool(typed)


_WHOSE = " — "
"""Between a name and its entity's pseudonym in the join prompt's completions."""


class EntityList(FindOptionList):
    """The identifiers. A find reads their spellings, and their pseudonyms only when what is
    typed looks like one: "per" typed to find Per had landed on the next row, whose pseudonym
    "[Person 66]" contains the letters."""

    def find_rows(self) -> list[str]:
        views = {f"entity:{v.id}": v for v in getattr(self.screen, "views", [])}
        pseudonyms = any(c.isdigit() for c in self.find_query) or self.find_query.startswith("[")
        rows = []
        for option in self.options:
            view = views.get(option.id or "")
            if view is None or option.disabled:
                rows.append("")
            else:
                # (the pseudonym as a name of its own, with and without brackets, so that one typed
                # in full finds that entity: a tester's "[Person 5]" had landed on [Person 57])
                rows.append(", ".join(view.forms) + (
                    f", {view.pseudonym.strip('[]')}, {view.pseudonym}" if pseudonyms else ""))
        return rows


class MentionList(OptionList):
    """The highlighted entity's mentions.  A typed letter (no letter key of this screen is lower case) finds an
    entity: focus goes back to the entity list with the find open, so "sør" typed after looking
    at one entity's mentions finds Sørvik instead of going nowhere."""

    async def _on_key(self, event: events.Key) -> None:
        entities = self.screen.query_one("#entities", EntityList)
        if entities.finding:
            # Keys typed fast after the first letter arrive here before the focus has moved.
            entities.find_key(event)
            return
        typed = event.is_printable and bool(event.character) and not event.key.startswith(("alt+", "ctrl+"))
        if typed and event.character and event.character.isalnum() and event.key not in self.screen.active_bindings:
            event.stop()
            event.prevent_default()
            entities.focus()
            entities.open_find(event.character)


class AnonymisationScreen(WorkbenchScreen):
    """Review detected identifiers: accept, reject, rename, add; run detection; jump to the text."""

    SCREEN_WIDE_KEYS = frozenset("FDU+")
    """Keys that act on the review, not on the highlighted row: a find that matched nothing still
    lets them through (a decision key does not: the row highlighted is not the one looked for)."""

    BINDINGS = [
        # Every key of the review is a capital, a symbol or a function key, so that typing a
        # name always finds it: three testers typed "randi", "nguyen" into the list and each
        # letter that was a key (r, a, n) rejected or accepted a name on the way.
        # Grouped in the footer ("A R accept/reject"): the screen has more keys than 80 columns.
        Binding("A", "decide_entity('accept')", "accept entity", group=ENTITY_KEYS,
                tooltip="Accept the entity's open mentions (all of them, when none is open)"),
        Binding("R", "decide_entity('reject')", "reject entity", group=ENTITY_KEYS,
                tooltip="Reject the entity's open mentions (all of them, when none is open)"),
        Binding("Y", "decide_mention('accept')", "accept mention", group=MENTION_KEYS,
                tooltip="Accept the highlighted mention only"),
        Binding("N", "decide_mention('reject')", "reject mention", group=MENTION_KEYS,
                tooltip="Reject the highlighted mention only"),
        Binding("S", "split_mention", "split off", show=False,
                tooltip="Give the highlighted mention an entity of its own (linking put it with the wrong person)"),
        Binding("f2", "rename", "rename", tooltip="Give the entity another pseudonym"),
        Binding("plus", "add_name", "add name", tooltip="Mark every occurrence of a name the detectors missed"),
        Binding("M", "join", "join", tooltip="Make the entity one with another (it takes that one's pseudonym)"),
        Binding("T", "change_kind", "kind", show=False, tooltip="Make the entity another kind: a place found as a person becomes a place"),
        Binding("J", "jump", "go to text", tooltip="Open the transcript at the highlighted mention"),
        Binding("F", "toggle_open_only", "open only", tooltip="Show only entities with mentions still to review"),
        Binding("D", "detect(True)", "detect", tooltip="Run detection with the NER model (keeps earlier decisions)"),
        Binding("ctrl+d", "detect(False)", "detect (no model)", tooltip="Rules, names and linking only: fast, lower recall",
                show=False),
        Binding("ctrl+a", "auto_accept", "auto-accept",
                tooltip="Accept every open suggestion scored above the default threshold (asks first)"),
        Binding("U", "residual", "residual",
                tooltip="Words left unmasked that may still be names, best first (the last percent)"),
        Binding("ctrl+z", "undo", "undo", tooltip="Take back your last decision (accept, reject, rename, add, auto-accept)"),
        Binding("ctrl+y", "redo", "redo", show=False, tooltip="Do again what you undid"),
        Binding("tab", "app.focus_next", "switch pane", show=False),
        # → and ← too: a tester looked for the mentions pane with the arrows (y, n and S act on
        # the mention highlighted there).
        Binding("right", "focus_pane('mentions')", "mentions pane", show=False),
        Binding("left", "focus_pane('entities')", "identifiers pane", show=False),
        Binding("f5", "refresh", "refresh", show=False),
        Binding("q,escape", "app.pop_screen", "back"),
    ]

    open_only: reactive[bool] = reactive(False)
    """Show only entities with suggestions still waiting for a decision."""
    detecting: reactive[bool] = reactive(False)
    """A detection run is under way; decisions wait until it has stored its results."""

    class Loaded(Message):
        """Fresh entity views arrived from the loading worker."""

        def __init__(self, review: AnonymisationScreen, views: list[EntityView], note: str | None) -> None:
            super().__init__()
            self.review = review
            self.views = views
            self.note = note

        @property
        def control(self) -> AnonymisationScreen:
            return self.review

    def __init__(self) -> None:
        super().__init__()
        self.views: list[EntityView] = []
        self._by_id: dict[int, EntityView] = {}
        self._shown_entity: int | None = None
        self._lone_mentions: set[int] = set()
        self._marked_mention: int | None = None
        """The mention row that shows the ▶ (the highlighted one)."""
        self._wanted = _Wanted()
        self._titles: dict[str, Content | str] = {}
        self.said: list[str] = []
        """Every note shown on the note line, oldest first."""

    def say(self, note: str) -> None:
        """Show what a decision did on the note line (errors still pop up: they must be seen)."""
        self.said.append(note)
        if self.is_mounted:
            self.query_one("#review-note", Label).update(note)


    def _title(self, label: str, text: Content | str) -> None:
        """Set a pane's title; the pane the keys act on is marked ▸ (testers at 80 columns, where
        the border colour alone did not show it, decided in the pane they did not mean)."""
        self._titles[label] = text
        pane = "entities" if label == "entity-count" else "mentions"
        here = self.is_mounted and self.app.focused is not None and self.app.focused.id == pane
        self.query_one(f"#{label}", Label).update(Content.assemble("▸ ", text) if here else text)

    def on_descendant_focus(self) -> None:
        for label, text in self._titles.items():
            self._title(label, text)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="entities-pane"):
                yield Label("Identifiers", id="entity-count", classes="pane-title")
                yield EntityList(id="entities")  # typing a spelling (or a pseudonym) finds it
            with Vertical(id="mentions-pane"):
                yield Label("", id="mention-title", classes="pane-title")
                yield MentionList(id="mentions")
        with Horizontal(id="detect-bar"):
            yield Label("", id="detect-label", markup=False)
            yield ProgressBar(id="detect-progress", show_eta=False)
        # What the last decision did, on a line of its own: a pop-up note covered the very
        # mention context the reviewer reads next (a tester, at 80×24).
        yield Label("", id="review-note", markup=False)
        yield StableFooter()

    def on_mount(self) -> None:
        self.title = "codebench — anonymisation review"
        self.sub_title = f"coder: {self.coder}"
        self.query_one("#entities", OptionList).focus()  # the lists fill on screen resume

    def on_screen_resume(self) -> None:
        self.action_refresh()

    # -- loading -------------------------------------------------------------------------

    def action_refresh(self, note: str | None = None) -> None:
        """Fetch the entities again (in a worker: a big project has thousands of mentions)."""
        self._load(note)

    @work(thread=True, exclusive=True, group="anonymisation-load")
    def _load(self, note: str | None = None) -> None:
        # As many words around each mention as a line of the mention pane holds (less its margins
        # and the name itself); 40 characters either side at least, which fills it at 160 columns.
        # (The pane is 3/5 of the screen: its own size is not laid out yet on the first load.)
        context = max(40, (self.app.size.width * 3 // 5 - 20) // 2)
        views = anonymisation.entities(self.project, with_mentions=True, context=context)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(self, views, note))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.views = event.views
        self._by_id = {v.id: v for v in event.views}
        self._fill_entities()
        if event.note:
            self.say(event.note)

    def watch_open_only(self) -> None:
        if self.is_mounted and self.views:
            self._fill_entities()

    def _visible(self) -> list[EntityView]:
        return [v for v in self.views if v.open or not self.open_only]

    def _fill_entities(self) -> None:
        entity_list = self.query_one("#entities", OptionList)
        current = self.current_entity()
        # Keep the reviewer's place: the wanted entity, else the one highlighted before the
        # reload, else (it left the "open only" list) whatever now sits at the same row.
        if self._wanted.pseudonym is not None:
            self._wanted.entity = next((v.id for v in self.views if v.pseudonym == self._wanted.pseudonym), None)
        wanted = self._wanted.entity if self._wanted.entity is not None else (current.id if current else None)
        old_index = entity_list.highlighted or 0
        shown = self._visible()
        options: list[Option] = []
        for title, group in (("Direct identifiers", [v for v in shown if v.direct]),
                             ("Indirect identifiers", [v for v in shown if not v.direct])):
            if group:
                # Disabled options are the group headings: the cursor skips them.
                options.append(Option(Content.assemble((title, "bold"), f"  {len(group)}"), id=f"group:{title}",
                                      disabled=True))
                options.extend(Option(entity_prompt(v), id=f"entity:{v.id}") for v in group)
        entity_list.set_options(options)
        open_total = sum(v.open for v in self.views)
        filtered = " · open only" if self.open_only else ""
        self._title("entity-count", f"Identifiers: {len(shown)} of {len(self.views)} · {open_total} open{filtered}")
        index = next((i for i, o in enumerate(options) if o.id == f"entity:{wanted}"), None)
        if index is None:
            enabled = [i for i, o in enumerate(options) if not o.disabled]
            index = min(enabled, key=lambda i: (i < old_index, abs(i - old_index))) if enabled else None
        self._wanted.entity = self._wanted.pseudonym = None
        if index is not None:
            entity_list.highlighted = index
        self._show_mentions(self.current_entity())

    def current_entity(self) -> EntityView | None:
        """The highlighted entity."""
        option = self.query_one("#entities", OptionList).highlighted_option
        if option is None or not (option.id or "").startswith("entity:"):
            return None
        return self._by_id.get(int((option.id or "")[7:]))

    def current_mention(self) -> MentionView | None:
        """The highlighted mention of the highlighted entity."""
        entity = self.current_entity()
        option = self.query_one("#mentions", OptionList).highlighted_option
        if entity is None or option is None:
            return None
        return next((m for m in entity.mentions if f"mention:{m.id}" == option.id), None)

    @on(OptionList.OptionHighlighted, "#entities")
    def _entity_highlighted(self) -> None:
        entity = self.current_entity()
        if entity is not None and entity.id != self._shown_entity:
            self._show_mentions(entity)

    def _show_mentions(self, entity: EntityView | None) -> None:
        mention_list = self.query_one("#mentions", OptionList)
        previous = self.current_mention() if entity is not None and entity.id == self._shown_entity else None
        wanted = self._wanted.mention if self._wanted.mention is not None else (previous.id if previous else None)
        self._wanted.mention = None
        self._shown_entity = entity.id if entity else None
        if entity is None:
            mention_list.clear_options()
            self._title("mention-title", "No identifiers yet: press D to run detection" if not self.views else (
                "Nothing open: every suggestion is decided · F shows all · U the residual list"
                if self.open_only else ""))
            return
        kind = "direct" if entity.direct else "indirect"
        self._title("mention-title", Content.assemble((entity.pseudonym, "bold"), f"  {entity.kind} ({kind}) · "
                                                      f"{len(entity.mentions)} mention(s) · ",
                                                      (", ".join(entity.forms), "italic")))
        options: list[Option | None] = []
        lone = {i for _, ids in entity.lone_name_documents() for i in ids}
        self._lone_mentions = lone
        self._marked_mention = None
        for m in entity.mentions:
            options += [Option(mention_prompt(m, lone=m.id in lone), id=f"mention:{m.id}"), None]  # None: a divider line
        mention_list.set_options(options[:-1])
        # The place asked for, else the first mention still open: that is where the work is.
        index = next((i for i, m in enumerate(entity.mentions) if m.id == wanted),
                     next((i for i, m in enumerate(entity.mentions) if m.status == "suggested"), 0))
        if entity.mentions:
            mention_list.highlighted = index
            # Refilling the list scrolled it to the top; an unchanged index does not scroll back
            # by itself, so the reviewer would lose the place after each y / n.
            mention_list.call_after_refresh(mention_list.scroll_to_highlight)

    # -- decisions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decisions wait while detection is storing its results (shown dimmed in the footer)."""
        if self.detecting and action in {"decide_entity", "decide_mention", "rename", "add_name", "auto_accept", "detect",
                                         "undo", "redo", "join", "split_mention"}:
            return None
        return True

    def watch_detecting(self) -> None:
        self.refresh_bindings()
        self.query_one("#detect-bar").set_class(self.detecting, "running")

    # Not exclusive: a decision must never be dropped because the next key came quickly; each
    # runs to the end (SQLite serialises the writes) and the reload after it is exclusive.
    @work(thread=True, group="anonymisation-decide")
    def _decide(self, call: Callable[[], Outcome]) -> None:
        """Run one service call off the UI thread (each rewrites the key file), then reload."""
        try:
            outcome = call()
        except (services.ServiceError, KeyFileError, OSError) as exc:  # a clash, a bad key file: say so
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._decided, outcome)

    def _decided(self, outcome: Outcome) -> None:
        if outcome.pseudonym is not None:
            self._wanted = _Wanted(pseudonym=outcome.pseudonym)
        self.action_refresh(outcome.note)

    def action_decide_entity(self, decision: str) -> None:
        """Accept or reject an entity's open mentions; with none open, every mention of it.

        Mentions decided one by one keep their decision while others are still open: rejecting
        "liv" (life) and then accepting the entity "Liv" must not bring the rejected word back.
        """
        entity = self.current_entity()
        if entity is None:
            return
        open_ids = [m.id for m in entity.mentions if m.status == "suggested"]
        verb = "accepted" if decision == "accept" else "rejected"

        masked = sum(m.status in ("accepted", "manual") for m in entity.mentions)

        def call() -> Outcome:
            changed = anonymisation.decide(self.project, decision, entity=entity.id, mentions=open_ids, coder=self.coder,
                                           everything=not open_ids)
            # A tester rejected "difor" (one open, one accepted) and found the accepted one still
            # masked only by chance: say so.
            rest = (f"; {masked} masked mention(s) of it stay masked (R again rejects them too)"
                    if decision == "reject" and open_ids and masked else "")
            return Outcome(f"{entity.pseudonym}: {changed} mention(s) {verb}{rest}")

        def go() -> None:
            # On to the next entity with suggestions still open, as a reviewer works down the list.
            self._wanted = self._next_open(entity) or _Wanted(entity=entity.id if not self.open_only else None)
            self._decide(call)

        if decision == "reject" and not open_ids and masked:
            # Nothing open: R would put every masked mention back in clear. A tester's R, meant
            # for another screen, unmasked the informant's own name: it asks first.
            def answered(yes: bool | None) -> None:
                if yes:
                    go()
                else:
                    self.say(f"{entity.pseudonym}: nothing rejected")

            self.app.push_screen(ConfirmDialog(
                f"Reject {entity.pseudonym}?",
                f"Its {masked} masked mention(s) would stand in clear in every export. "
                "To reject one place only, highlight it and press N.", yes="Reject all"), answered)
            return
        go()

    def action_decide_mention(self, decision: str) -> None:
        """Accept or reject the highlighted mention; the highlight moves on to the next one."""
        entity, mention = self.current_entity(), self.current_mention()
        if entity is None or mention is None:
            return
        verb = "accepted" if decision == "accept" else "rejected"

        def call() -> Outcome:
            anonymisation.decide(self.project, decision, mentions=[mention.id], coder=self.coder)
            # Which of the entity's mentions: the words around it (a tester could not tell which of
            # four «bjørn» in one interview a rejection had taken).
            around = f"…{mention.before[-18:].lstrip()}[{mention.text}]{mention.after[:18].rstrip()}…"
            # The verb first: at 80 columns the line's end is cut, and a tester saw only the words.
            return Outcome(f"{verb}: {around} in {mention.document}")

        # On to the next open mention of this entity (after this one, then before it), else to
        # the next entity with open mentions; with nothing open anywhere, the next mention.
        # A mention decided already and decided again (cleaning up an entity, one wrong word at a
        # time) keeps the review in this entity, at its next mention: a tester's N on an accepted
        # "hænn" jumped to another entity, seventeen times.
        index = entity.mentions.index(mention)
        later = [m for m in entity.mentions[index + 1:] + entity.mentions[:index] if m.status == "suggested"]
        following = entity.mentions[index + 1] if index + 1 < len(entity.mentions) else mention
        if mention.status != "suggested":
            self._wanted = _Wanted(entity=entity.id, mention=following.id)
        else:
            self._wanted = (_Wanted(entity=entity.id, mention=later[0].id) if later else self._next_open(entity)
                            or _Wanted(entity=entity.id, mention=following.id))
        self._decide(call)

    def action_split_mention(self) -> None:
        """Give the highlighted mention an entity of its own (the next free pseudonym); undoable.

        A mention of a document that names the person by that one word only goes with the
        document's other such mentions: they are one other person, not one each."""
        entity, mention = self.current_entity(), self.current_mention()
        if entity is None or mention is None:
            return
        ids = next((ids for _, ids in entity.lone_name_documents() if mention.id in ids), [mention.id])

        def call() -> Outcome:
            pseudonym = anonymisation.split_mentions(self.project, ids, coder=self.coder)
            what = f"«{mention.text}»" if len(ids) == 1 else f"{len(ids)} mentions"
            # The new pseudonym first: at 80 columns the end of the line is cut off.
            return Outcome(f"now {pseudonym}: {what} split off from {entity.pseudonym} in {mention.document}")

        # The review stays with this entity, at its next mention: a tester's next "n", meant for
        # the entity being read, rejected the mention just split off when the highlight followed it.
        rest = [m for m in entity.mentions if m.id not in ids]
        index = entity.mentions.index(mention)
        following = next((m for m in entity.mentions[index + 1:] if m.id not in ids), rest[0] if rest else None)
        self._wanted = (_Wanted(entity=entity.id, mention=following.id) if following is not None
                        else _Wanted())
        self._decide(call)

    def _following(self, entity: EntityView) -> _Wanted:
        """The entity after ``entity`` in list order (before it at the end of the list)."""
        shown = self._visible()
        ordered = [v for v in shown if v.direct] + [v for v in shown if not v.direct]
        index = next((i for i, v in enumerate(ordered) if v.id == entity.id), -1)
        after = ordered[index + 1:] or ordered[:max(index, 0)][-1:]
        return _Wanted(entity=after[0].id) if after else _Wanted()

    def _next_open(self, decided: EntityView) -> _Wanted | None:
        """The entity after ``decided`` in list order (wrapping round) that still has open
        suggestions, at its first open mention; None when no other entity has any."""
        shown = self._visible()
        ordered = [v for v in shown if v.direct] + [v for v in shown if not v.direct]
        index = next((i for i, v in enumerate(ordered) if v.id == decided.id), -1)
        for view in ordered[index + 1:] + ordered[:max(index, 0)]:
            if view.id != decided.id and view.open:
                first = next((m.id for m in view.mentions if m.status == "suggested"), None)
                return _Wanted(entity=view.id, mention=first)
        return None

    def action_rename(self) -> None:
        """Ask for another pseudonym for the highlighted entity."""
        entity = self.current_entity()
        if entity is None:
            return

        def rename(name: str | None) -> None:
            if not name:
                return
            def call() -> Outcome:
                renamed = anonymisation.rename_entity(self.project, entity.id, name, coder=self.coder)
                return Outcome(f"{entity.pseudonym} is now {renamed}", pseudonym=renamed)

            self._decide(call)

        self.app.push_screen(TextPrompt(f"New pseudonym for {entity.pseudonym} (brackets are added)",
                                        entity.pseudonym.strip("[]")), rename)

    def action_change_kind(self) -> None:
        """Ask which kind the highlighted entity really is (a village found as a person); undoable."""
        entity = self.current_entity()
        if entity is None:
            return

        def change(kind: str | None) -> None:
            if not kind:
                return

            def call() -> Outcome:
                now = anonymisation.retype_entity(self.project, entity.id, kind, coder=self.coder)
                return Outcome(f"{entity.pseudonym} is now {now} ({len(entity.mentions)} mention(s))", pseudonym=now)

            self._decide(call)

        self.app.push_screen(KindPicker(entity.pseudonym, title=f"Make {entity.pseudonym} a", exclude=entity.kind),
                             change)

    def action_join(self) -> None:
        """Join the highlighted entity into another: it takes that entity's pseudonym (undoable)."""
        entity = self.current_entity()
        if entity is None:
            return

        others = [v for v in self.views if v.id != entity.id and v.kind == entity.kind]

        def join(target: str | None) -> None:
            if not target or not target.strip():
                return
            wanted = self._join_target(target.strip(), others, itself=entity)
            if wanted is None:
                return

            def call() -> Outcome:
                kept, moved = anonymisation.join_entities(self.project, wanted, entity.id, coder=self.coder)
                # The review stays with the person joined: the joined entity is gone, and two
                # testers' next "a", meant for it, accepted an entity below that they had not read.
                return Outcome(f"joined {entity.pseudonym} into {kept} ({moved} mention(s))", pseudonym=kept)

            self._decide(call)

        # The testers typed the other pseudonym from memory: a name of it completes too (→ takes
        # the completion), and the entity joined is named by its words, not only its number.
        words = ", ".join(sorted(entity.forms)[:3])
        # A completed name says whose it is ("hans olav — Person 12"): two testers could not tell
        # which pseudonym a completion stood for, and a hint's example pseudonym was a real one.
        # (shortest first: the first that starts with what is typed completes, and "hans" typed
        # whole must offer Hans, not Hans Olav)
        # ... and an entity of the same interviews first: a tester's "sol b" completed to Sol Bruke
        # of another town's interview, not to the Sol Brekke beside the one being joined.
        here = {m.document_id for m in entity.mentions}
        near = {v.pseudonym.strip("[]") for v in others if here & {m.document_id for m in v.mentions}}
        suggestions = sorted({f"{f}{_WHOSE}{v.pseudonym.strip('[]')}" for v in others for f in v.forms}
                             | {v.pseudonym.strip("[]") for v in others},
                             key=lambda s: (s.split(_WHOSE)[-1] not in near, len(s.split(_WHOSE)[0]), s))
        self.app.push_screen(TextPrompt(f"Join {entity.pseudonym} «{words}» into which entity?", "",
                                        hint="type a name it has or its pseudonym; → takes the completion",
                                        suggestions=suggestions), join)

    def _join_target(self, typed: str, others: Sequence[EntityView], itself: EntityView | None = None) -> str | None:
        """The pseudonym a typed join target stands for: a pseudonym as it is, or a name one other
        entity has (None, with a note, when several have it, or only the entity joined)."""
        bracketed = re.findall(r"\[([^\[\]]+)\]", typed)
        if bracketed:
            # A pseudonym typed anywhere wins: a tester edited a completion ("kjell — Per") into
            # "kjell — Per[Person 35]" and was told of an entity "[Per[Person 35]".
            return f"[{bracketed[-1].strip()}]"
        if _WHOSE in typed:
            return "[" + typed.rsplit(_WHOSE, 1)[1].strip().strip("[]") + "]"  # a completion names it
        folded = " ".join(typed.casefold().strip("[]").split())
        # A pseudonym typed whole names its entity whatever its kind ("Person 70" for a place
        # the tester had just made a person): the service joins across kinds.
        named = next((v.pseudonym for v in self.views if v.pseudonym.strip("[]").casefold() == folded), None)
        if named is not None:
            return named  # as it is spelled: a tester's "sted 39" had found no "[sted 39]"
        having = [v for v in others if folded in (f.casefold() for f in v.forms)]
        if not having:
            # A word of a name ("fiske" of Margit Fiske): the one entity whose name holds it.
            having = [v for v in others if any(folded in f.casefold().split() for f in v.forms)]
        if not having:
            # What the completion showed, Enter pressed before → took it ("mohammad al" with
            # "mohammad al-khatib — Person 52" on screen: three testers).
            having = [v for v in others if any(f.casefold().startswith(folded) for f in v.forms)]
        if not having:
            # The start of any word of a name, each typed word in turn ("kazl" of "tomas
            # kazlauskas", "jonas tes" of "jonas jonas tesfa": two testers were told of none).
            having = [v for v in others if any(_words_start(folded.split(), f.casefold().split()) for f in v.forms)]
        if len(having) > 1:
            self.notify(f"{len(having)} entities have that name ({', '.join(v.pseudonym for v in having[:4])}): "
                        "type the pseudonym", severity="warning")
            return None
        if not having and itself is not None and any(
                f.casefold().startswith(folded) or _words_start(folded.split(), f.casefold().split()) for f in itself.forms):
            # A tester typed the name of the entity being joined and was told none was called so.
            self.notify(f"«{typed.strip()}» is {itself.pseudonym} itself, the identifier being joined: type the "
                        "name or pseudonym of the one to join it into", severity="warning")
            return None
        if not having:
            self.notify(f"no identifier of this kind is called «{typed.strip()}»: type its pseudonym "
                        "(\"Person 12\") or one of its names; → takes the completion", severity="warning")
            return None
        return having[0].pseudonym

    def action_add_name(self) -> None:
        """Ask for names the detectors missed; every occurrence in every document is marked.

        One name, several separated by semicolons, or the path of a people file (one name a
        line, as ``anonymise add --file`` reads it).
        """

        def add(value: str | None) -> None:
            if not value or not value.strip():
                return
            path = anonymisation.names_file_named(value)
            if path is None and anonymisation.looks_like_path(value):
                self.notify(f"no such file: {value.strip()}", severity="error")
                return
            if path is None and ";" not in value:
                kind, name = parse_kind(value)

                def call() -> Outcome:
                    pseudonym, count = anonymisation.add_name(self.project, name, kind=kind, coder=self.coder)
                    return Outcome(f"«{name}» is {pseudonym}: {count} mention(s) marked", pseudonym=pseudonym)
            else:
                def call() -> Outcome:
                    # Every name is checked before any is added; the note counts, it names no one.
                    if path is not None:
                        added = anonymisation.add_names(self.project, path, coder=self.coder)
                        source = path.name
                    else:
                        entries = anonymisation.parse_typed_names(value)
                        added = [anonymisation.AddedName(e.line, *anonymisation.add_name(
                            self.project, e.name, kind=e.kind, coder=self.coder)) for e in entries]
                        source = "the line"
                    count = sum(a.occurrences for a in added)
                    return Outcome(f"{len(added)} name(s) from {source} added: {count} mention(s) marked",
                                   pseudonym=added[0].pseudonym)

            self._decide(call)

        self.app.push_screen(TextPrompt("Add names the detectors missed", hint=(
            "Every occurrence is marked. Several: separate with ';'. A list of people: its file's path. "
            "Another kind first: ORG: Holmvika Trelast")), add)

    def action_auto_accept(self) -> None:
        """Ask, showing what it would take, then accept every open suggestion at or above the
        default threshold (never review-only kinds). One key must not accept a thousand names."""
        self._preview_auto_accept()

    @work(thread=True, exclusive=True, group="anonymisation-preview")
    def _preview_auto_accept(self) -> None:
        preview = auto_accept_preview(self.project)
        self.app.call_from_thread(self._confirm_auto_accept, preview)

    def _confirm_auto_accept(self, preview: AutoAcceptPreview) -> None:
        if not preview.mentions:
            self.say(f"nothing to auto-accept: no open suggestion scores {preview.threshold:.2f} or more")
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self.say("auto-accept cancelled: nothing changed")
                return

            def call() -> Outcome:
                accepted = anonymisation.auto_accept(self.project, threshold=preview.threshold, coder=self.coder)
                return Outcome(f"{accepted:,} suggestion(s) accepted (ctrl+z undoes it)")

            self._decide(call)

        self.app.push_screen(ConfirmDialog("Auto-accept suggestions?", auto_accept_question(preview),
                                           yes="Accept all"), answered)

    def action_undo(self) -> None:
        """Take back the coder's last operation (a decision here, or a coding elsewhere)."""
        self._decide(lambda: _history_outcome("undid", services.undo(self.project, self.coder), "nothing to undo"))

    def action_redo(self) -> None:
        """Do again what the coder undid last."""
        self._decide(lambda: _history_outcome("redid", services.redo(self.project, self.coder), "nothing to redo"))

    def action_toggle_open_only(self) -> None:
        self.open_only = not self.open_only

    def action_residual(self) -> None:
        """Open the residual review list: words detection left in place that may be names."""
        from codebench.tui.screens.residual import ResidualScreen

        self.app.push_screen(ResidualScreen())

    def action_jump(self) -> None:
        """Open the transcript with the highlighted mention selected."""
        mention = self.current_mention()
        if mention is not None:
            self.workbench.open_document(mention.document_id, position=mention.end, select_to=mention.start)

    def action_focus_pane(self, pane: str) -> None:
        """Move the focus to the identifiers or the mentions pane."""
        self.query_one(f"#{pane}", OptionList).focus()

    @on(OptionList.OptionSelected, "#mentions")
    def _mention_selected(self) -> None:
        self.action_jump()

    @on(OptionList.OptionHighlighted, "#mentions")
    def _mention_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Move the ▶ to the highlighted mention."""
        entity = self.current_entity()
        if entity is None or entity.id != self._shown_entity:
            return
        mention_list = self.query_one("#mentions", OptionList)
        for index, current in ((self._marked_mention, False), (event.option_index, True)):
            if index is not None and 0 <= index < len(entity.mentions) and index < mention_list.option_count:
                m = entity.mentions[index]
                mention_list.replace_option_prompt_at_index(
                    index, mention_prompt(m, lone=m.id in self._lone_mentions, current=current))
        self._marked_mention = event.option_index

    @on(OptionList.OptionSelected, "#entities")
    def _entity_selected(self) -> None:
        self.query_one("#mentions", OptionList).focus()

    # -- detection -----------------------------------------------------------------------

    def action_detect(self, use_model: bool = True) -> None:
        """Run detection over every document in a worker, with a progress bar."""
        self.detecting = True
        self.query_one("#detect-label", Label).update("detecting…" if use_model else "detecting (no model)…")
        self.query_one("#detect-progress", ProgressBar).update(total=None, progress=0)
        self._detect(use_model)

    @work(thread=True, exclusive=True, group="anonymisation-detect")
    def _detect(self, use_model: bool) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            report = anonymisation.detect(self.project, use_model=use_model, coder=self.coder, progress=progress)
        except Exception as exc:  # noqa: BLE001 — a missing model or a bad key file must reach the user, not kill the app
            self.app.call_from_thread(self._detected, None, str(exc))
            return
        self.app.call_from_thread(self._detected, report, None)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#detect-progress", ProgressBar).update(total=total, progress=done)
        # Linking and storing follow the last document and report no steps of their own.
        label = "linking and storing…" if done >= total else f"detecting: document {done} of {total}"
        self.query_one("#detect-label", Label).update(label)

    def _detected(self, report: DetectReport | None, error: str | None) -> None:
        self.detecting = False
        if report is None:
            self.notify(f"detection failed: {error}", severity="error")
            return
        self.action_refresh(f"detection: {report.new_mentions} new and {report.kept_mentions} known mention(s) "
                            f"in {report.documents} document(s), {report.seconds:.1f} s")


def _history_outcome(verb: str, entry: AuditEntry | None, nothing: str) -> Outcome:
    if entry is None:
        return Outcome(nothing)
    # The view goes to the identifier the decision was about (when it was about one).
    pseudonym = None
    if entry.action.startswith("anonymise_"):
        pseudonyms = entry.payload.get("pseudonyms") or []
        pseudonym = entry.payload.get("after") or entry.payload.get("pseudonym") or (
            pseudonyms[0] if len(pseudonyms) == 1 else None)
    return Outcome(f"{verb} {describe_operation(entry)}", pseudonym=pseudonym)


def auto_accept_question(preview: AutoAcceptPreview) -> Content:
    """The confirmation's text: how many mentions and entities, of which kinds, and what stays open."""
    lines: list[Content | str] = [
        Content.assemble("Accept ", (f"{preview.mentions:,} mention(s)", "bold"), " of ",
                         (f"{preview.entities:,} entit" + ("y" if preview.entities == 1 else "ies"), "bold"),
                         f" scored {preview.threshold:.2f} or more:"),
    ]
    for kind, (mentions, entities) in preview.by_kind.items():
        lines.append(f"  {kind:<11} {mentions:>6,} mention(s) · {entities:,} entit" + ("y" if entities == 1 else "ies"))
    advice = ("Check the kinds before you accept: a detector may take a place for a person. "
              "Flagged details stay open for review; ctrl+z undoes it.")
    lines += ["", Content.assemble((advice, "$text-muted"))]
    return Content("\n").join(Content(line) if isinstance(line, str) else line for line in lines)


