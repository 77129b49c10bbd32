"""Database work off the UI thread: loads that the latest request wins, writes that run in order.

A key press must never wait for SQLite (a busy project file, a slow disk, a loaded machine):
screens hand their service calls to these helpers, which run them in thread workers and bring
the result back to the UI thread.

- A *load* belongs to a screen and a group; a newer load of the same group cancels the older
  one's result (the screen only wants the latest codings, the latest document list).
- A *write* is never dropped and never overtakes another: an undo pressed right after a coding
  must take back that coding, so writes queue up app-wide and run one at a time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Generic, TypeVar

from textual.dom import DOMNode
from textual.worker import get_current_worker

from codebench.errors import CodebenchError

T = TypeVar("T")


def load_in_background(node: DOMNode, call: Callable[[], T], then: Callable[[T], None], *, group: str = "load",
                       failed: Callable[[Exception], None] | None = None) -> None:
    """Run ``call`` in a thread worker of ``node``; ``then(result)`` on the UI thread.

    Only the latest load of a ``group`` reports back (the worker is exclusive in its group).
    A refusal (any :class:`CodebenchError`) goes to ``failed`` (by default a notification), never to a traceback.
    """

    def run() -> None:
        try:
            result = call()
        except CodebenchError as exc:
            if not get_current_worker().is_cancelled:
                node.app.call_from_thread(failed or _notifier(node), exc)
            return
        if not get_current_worker().is_cancelled:
            node.app.call_from_thread(_deliver, node, then, result)

    node.run_worker(run, thread=True, exclusive=True, group=group, name=f"load:{group}")


def _deliver(node: DOMNode, then: Callable[[T], None], result: T) -> None:
    if node.is_attached:  # the screen may have been closed while the load ran
        then(result)


def _notifier(node: DOMNode) -> Callable[[Exception], None]:
    return lambda exc: node.app.notify(str(exc), severity="error")


@dataclass
class _Write(Generic[T]):
    node: DOMNode
    call: Callable[[], T]
    then: Callable[[T], None]
    failed: Callable[[Exception], None] | None


class SerialWrites:
    """The app's queue of database writes: each runs in a thread worker after the one before."""

    def __init__(self) -> None:
        self._queue: deque[_Write[Any]] = deque()
        self._busy = False

    @property
    def busy(self) -> bool:
        """A write is running or waiting."""
        return self._busy or bool(self._queue)

    def submit(self, node: DOMNode, call: Callable[[], T], then: Callable[[T], None],
               failed: Callable[[Exception], None] | None = None) -> None:
        """Queue ``call``; ``then(result)`` runs on the UI thread when it has been written."""
        self._queue.append(_Write(node, call, then, failed))
        if not self._busy:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self._busy = False
            return
        self._busy = True
        write = self._queue.popleft()
        write.node.run_worker(partial(self._run, write), thread=True, group="write", name="write")

    def _run(self, write: _Write[Any]) -> None:
        try:
            result = write.call()
        except CodebenchError as exc:  # a refusal or a clash: the user reads it, the queue goes on
            write.node.app.call_from_thread(self._finish, write, None, exc)
            return
        write.node.app.call_from_thread(self._finish, write, result, None)

    def _finish(self, write: _Write[Any], result: Any, error: Exception | None) -> None:
        try:
            if error is None:
                write.then(result)
            elif write.failed is not None:
                write.failed(error)
            else:
                write.node.app.notify(str(error), severity="error")
        finally:
            self._next()
