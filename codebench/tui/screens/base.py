"""The base of every full-size workbench screen: typed access to the app that owns it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

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
