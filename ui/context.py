"""What every screen gets: the open store, the current actor, the task runner, undo, and one
signal telling screens what changed so each refreshes itself (Anki's OpChanges idea)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ohinspect.settings import Settings
from ohinspect.store.changes import Changes, OpResult, UndoStep
from ohinspect.store.database import Store
from ohinspect.store.uow import Actor
from ui.tasks import TaskRunner

UNDO_DEPTH = 50


class AppContext(QObject):
    sig_changed = Signal(object)      # Changes
    sig_undo_changed = Signal(str)    # label of the next undo ("" = nothing to undo)

    def __init__(self, store: Store, settings: Settings, runner: TaskRunner, actor: Actor,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store, self.settings, self.runner, self.actor = store, settings, runner, actor
        self._undo: list[UndoStep] = []
        self._latest: dict[str, int] = {}   # read() ``latest`` name → number of its last read
        #: the device's secrets (ohinspect.sync.credentials.CredentialStore), once the Sync page
        #: has read the keyring: shared, so a password typed for this session when there is no
        #: keyring serves every screen that talks to the platform
        self.credentials: Any = None

    def perform(self, op: Callable[..., OpResult], *args: Any,
                on_done: Callable[[OpResult], None] | None = None,
                on_error: Callable[[BaseException], None] | None = None, **kwargs: Any) -> None:
        """Run a write operation ``op(store, actor, *args)`` off the GUI thread; on success push
        its undo step, announce what changed, then call ``on_done``."""

        def done(result: OpResult) -> None:
            if result.undo is not None:
                self._undo = (self._undo + [result.undo])[-UNDO_DEPTH:]
                self.sig_undo_changed.emit(result.undo.label)
            self.sig_changed.emit(result.changes)
            if on_done is not None:
                on_done(result)

        self.runner.run(op, self.store, self.actor, *args, write=True, on_done=done,
                        on_error=on_error, **kwargs)

    def read(self, query: Callable[..., Any], *args: Any,
             on_done: Callable[[Any], None], latest: str | None = None, **kwargs: Any) -> None:
        """Run ``query(session, *args)`` on a read session off the GUI thread. Reads run in a
        pool and may finish out of order: with ``latest`` (a name for what is read, e.g. a
        list being refreshed) only the last read started under that name is delivered, so an
        older result never replaces a newer one."""

        def job() -> Any:
            with self.store.read() as session:
                return query(session, *args, **kwargs)

        if latest is not None:
            number = self._latest[latest] = self._latest.get(latest, 0) + 1
            deliver = on_done

            def on_done(result: Any) -> None:
                if self._latest[latest] == number:
                    deliver(result)

        self.runner.run(job, on_done=on_done)

    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    def undo(self) -> None:
        if not self._undo:
            return
        step = self._undo.pop()

        def done(result: OpResult) -> None:
            self.sig_undo_changed.emit(self.undo_label())
            self.sig_changed.emit(result.changes)

        def failed(exc: BaseException) -> None:
            self.sig_undo_changed.emit(self.undo_label())
            self.runner.report_error(exc)

        self.runner.run(step.apply, self.store, self.actor, write=True, on_done=done,
                        on_error=failed)

    def announce(self, changes: Changes) -> None:
        self.sig_changed.emit(changes)
