"""Writing what the user types to the draft table, off the GUI thread, as they type.

A change restarts a short timer (``DELAY_MS``); a field's ``editingFinished`` writes at once.
Writes go to the runner's serial write pool, so a draft write queued before the record's save
is applied before the save deletes it. A crash loses at most the field being edited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from ohinspect.services.drafts import discard_draft, save_draft
from ui.context import AppContext

DELAY_MS = 400

Values = dict[str, Any]


class DraftAutosave(QObject):
    def __init__(self, ctx: AppContext, form: str, key: str, collect: Callable[[], Values],
                 original: Values, *, has_draft: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.form, self.key, self._collect = ctx, form, key, collect
        self._original = original   # the stored record (or an empty form): no draft needed
        self._written: Values | None = collect() if has_draft else None
        self._enabled = True
        self.writes = 0             # drafts written by this form (diagnostics, tests)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.flush)

    @property
    def has_draft(self) -> bool:
        return self._written is not None

    def is_dirty(self) -> bool:
        return self._collect() != self._original

    def schedule(self) -> None:
        if self._enabled:
            self.timer.start()

    def flush(self) -> None:
        """Write the current values now if they differ from the last draft written."""
        self.timer.stop()
        if not self._enabled:
            return
        values = self._collect()
        if values == self._written:
            return
        if values == self._original:  # back to what is stored: the draft has nothing to keep
            if self._written is not None:
                self._written = None
                self.ctx.runner.run(discard_draft, self.ctx.store, self.form, self.key,
                                    write=True)
            return
        self._written = values
        self.writes += 1
        self.ctx.runner.run(save_draft, self.ctx.store, self.form, self.key, values, write=True)

    def pause(self) -> None:
        self.timer.stop()
        self._enabled = False

    def resume(self) -> None:
        self._enabled = True

    def discard(self, on_done: Callable[[Any], None] | None = None) -> None:
        self.pause()
        self._written = None
        self.ctx.runner.run(discard_draft, self.ctx.store, self.form, self.key, write=True,
                            on_done=on_done)

    def forget(self) -> None:
        """The record was saved (the service deleted the draft): write nothing more."""
        self.pause()
        self._written = None
