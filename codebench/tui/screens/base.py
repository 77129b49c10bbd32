"""The base of every full-size workbench screen: typed access to the app that owns it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events, on
from textual.screen import Screen

from codebench import services

if TYPE_CHECKING:
    from codebench.tui.app import CodebenchApp


class WorkbenchScreen(Screen[None]):
    """A screen of the codebench app: the open project, who is coding, and the app's actions."""

    @property
    def workbench(self) -> "CodebenchApp":
        """The running codebench app (``self.app`` with its own attributes typed)."""
        return cast("CodebenchApp", self.app)

    @property
    def project(self) -> services.Project:
        """The project open in the workbench."""
        return self.workbench.project

    @property
    def coder(self) -> str:
        """Who is coding: every change is stored under this name."""
        return self.workbench.coder

    @on(events.ScreenResume)
    def _apply_breakpoints(self, event: events.ScreenResume) -> None:
        """Set the width classes (``-narrow``, ``-wide``) for the terminal's width now.

        Textual sets them on a Resize event, which a screen pushed after the app has started
        does not always get: the project view then kept its narrow layout in a wide terminal.
        """
        breakpoints = (self.HORIZONTAL_BREAKPOINTS if self.HORIZONTAL_BREAKPOINTS is not None
                       else self.app.HORIZONTAL_BREAKPOINTS) or []
        if not breakpoints:
            return
        width = self.app.size.width
        chosen = next((name for minimum, name in sorted(breakpoints, reverse=True) if width >= minimum), None)
        # Textual's own resume handler (after this one: Screen is further down the MRO) restyles
        # the whole screen when the event asks it to; restyling here as well styled every widget
        # of a fresh screen twice (8 ms of the project view's first frame at 160x50).
        self.update_classes({name: name == chosen for _, name in breakpoints}, update=not event.refresh_styles,
                            animate=False)
