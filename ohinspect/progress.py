"""Progress and cancellation for long core work, without any GUI dependency.

Core functions take a :class:`Reporter`; the UI passes one that feeds a progress dialog and
whose ``cancelled()`` reflects the Cancel button. Work checks it between chunks and raises
:class:`Cancelled`, which rolls the transaction back.
"""

from __future__ import annotations

import threading

from ohinspect.errors import OHInspectError


class Cancelled(OHInspectError):
    """The user cancelled; nothing was written."""


class Reporter:
    """Default reporter: records the latest figures; thread-safe cancel flag."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0
        self.message = ""

    def progress(self, done: int, total: int, message: str = "") -> None:
        self.done, self.total, self.message = done, total, message

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("cancelled")
