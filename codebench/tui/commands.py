"""Command-palette providers: every action reachable by name."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from textual.command import Hit, Hits, Provider

from codebench import services


class CodebenchCommands(Provider):
    """Open a transcript, retrieve quotes, merge codes, undo/redo, show or hide coders."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        app: Any = self.app
        project = app.project
        commands: list[tuple[str, Any, str]] = []
        docs = services.list_documents(project)
        # In the anonymised view (a coder not shown names, or one who chose it with o) the palette
        # names documents as everything else on screen does: by role, case and round.
        names = (services.anonymisation.anonymised_names(docs) if app.anonymised_view
                 else {d.id: d.name for d in docs})
        for doc in docs:
            commands.append((f"Open {names[doc.id]}", partial(app.open_document, doc.id), "read and code this transcript"))
        tree = services.code_tree(project)
        labels = app.code_labels(node.name for node in tree)  # an in-vivo code is the informant's words
        for node in tree:
            commands.append((f"Quotes of {labels.get(node.name, node.name)}", partial(app.open_quotes, node),
                             f"every quote of this {node.kind}"))
        commands.append(("Search the transcripts", app.open_search,
                         "words, phrases, wildcards, regular expressions; code the hits (/)"))
        commands.append(("Anonymisation review", app.open_anonymisation,
                         "detected names and identifiers: accept, reject, rename, add; run detection"))
        # The transcript under the palette, masked or original (o on its screen; a tester looked
        # for "masked" here and found only the residual list).
        transcript = next((screen for screen in reversed(app.screen_stack) if hasattr(screen, "action_rendition")), None)
        if transcript is not None and app.original_allowed and getattr(transcript, "doc", None) is not None:
            if transcript.anonymised:
                commands.append(("Original view of this transcript", partial(transcript.action_rendition, False),
                                 "the words as said, names and all (o)"))
            else:
                commands.append(("Masked view of this transcript", partial(transcript.action_rendition, True),
                                 "as an exported file shows it; underlined: suggestions not reviewed yet (o)"))
        commands.append(("Residual list: words left unmasked that may be names", app.open_residual,
                         "read it from the top: + a name, K keep, J go to text; R records the list read (U in the review)"))
        if app.original_allowed:
            current = services.anonymisation.people_scope(project)
            for scope, title, help_text in (
                    ("interview", "Independent informants: a lone first name stays in its interview",
                     "two interviews' 'kari' are two people unless named in full (anonymise people)"),
                    ("project", "One site: a lone first name joins the project's person of that name",
                     "the interviews speak of the same people (anonymise people)"),
                    ("circle", "Shared circles: a lone first name joins interviews that share people",
                     "interviews naming the same person in full speak of the same people (the default)")):
                if scope != current:
                    commands.append((title, partial(app.set_people_scope, scope), help_text))
        commands.append(("Heat map: codes × roles", app.open_heatmap, "how many quotes each perspective gives each code"))
        commands.append(("Memos", app.open_memos, "every code, coding, document and project memo; type to filter"))
        commands.append(("Merge two codes", app.merge_codes, "the first code's codings move to the second"))
        commands.append(("Undo", app.undo, "undo your last coding operation"))
        commands.append(("Redo", app.redo, "redo what you undid"))
        # Coders with codings, counted in the database (not one record per coding).
        coders = sorted(set(services.coding_counts(project).by_coder) - {"consensus"})
        for i, a in enumerate(coders):
            for b in coders[i + 1:]:
                commands.append((f"Adjudicate {a} and {b}", partial(app.adjudicate, a, b),
                                 "side by side; keep A, B, both or neither into the consensus coder"))
        visible = app.visible_coders()  # None: everyone is shown
        for coder in app.known_coders():
            state = "Hide" if visible is None or coder in visible else "Show"
            commands.append((f"{state} codings of {coder}", partial(app.toggle_coder, coder), "in the transcript view"))
        return commands

    _listed: list[tuple[str, Any, str]] = []

    async def startup(self) -> None:
        """List the commands once per opening of the palette, reading the project off the UI thread."""
        self._listed = await asyncio.to_thread(self._commands)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._listed[:40]:
            yield Hit(1.0, name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._listed:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
