"""Shared steps of the workbench tests: wait for workers, type text, select words."""

from __future__ import annotations


async def settle(pilot) -> None:
    """Wait until no worker is left and the screen has caught up.

    A write's worker starts the reload of the codings when it ends, and the app's queue of
    writes starts the next write then: wait until nothing is running, however long the chain.
    """
    for _ in range(200):
        await pilot.pause()
        pending = [w for w in pilot.app.workers if not w.is_finished]
        if not pending and not pilot.app.writes.busy:
            break
        if pending:
            await pilot.app.workers.wait_for_complete(pending)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key (a space is the space key)."""
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def wait_until(pilot, condition, what: str = "the condition") -> None:
    """Let the app run until ``condition()`` holds (a layout that settles after a resize, say)."""
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"gave up waiting for {what}")


async def press_to(pilot, key: str, screen_type: type):
    """Press ``key`` and return the screen it opens, which must be a ``screen_type``."""
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, screen_type), f"{key!r} opened {type(screen).__name__}, not {screen_type.__name__}"
    return screen


def messages(app) -> list[str]:
    """What the app has told the user, oldest first: its pop-up notifications, then the
    anonymisation review's note line (where the outcome of each review decision is shown)."""
    from codebench.tui.screens.anonymise import AnonymisationScreen

    review = next((s for s in app.screen_stack if isinstance(s, AnonymisationScreen)), None)
    return [n.message for n in app._notifications] + (review.said if review is not None else [])


async def run_from_palette(pilot, query: str) -> None:
    """Open the command palette, type ``query`` and run the first hit, as a user would."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, query)
    await settle(pilot)  # the palette's search runs in a worker: until it has gathered every hit
    await pilot.press("enter")
    await settle(pilot)
