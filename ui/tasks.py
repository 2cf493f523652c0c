"""Running core operations off the GUI thread (the one place that does).

- Reads run on a small thread pool; writes on a pool with one thread, so writes are serial
  (ARCHITECTURE: "one serial executor for database writes").
- Results and errors come back on the GUI thread through a queued signal.
- With ``progress=`` the function receives a :class:`ohinspect.progress.Reporter`; a progress
  dialog with Cancel appears if the work takes longer than ~0.5 s.
- ``synchronous=True`` runs everything inline: deterministic tests of screens (Picard's idea).
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.progress import Cancelled, Reporter

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 500

F = TypeVar("F", bound=Callable[..., Any])


def if_alive(method: F) -> F:
    """For callbacks of background work: do nothing if the widget was closed and deleted while
    the work ran (its result no longer has anywhere to go)."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not shiboken6.isValid(self):
            return None
        return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@dataclass
class _Pending:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    reporter: Reporter | None
    dialog: QProgressDialog | None
    timer: QTimer | None


def user_message(exc: BaseException) -> str:
    """The words a user sees for an error: ours are already sentences; anything unexpected is
    logged with its traceback and named in one line."""
    if isinstance(exc, OHInspectError):
        return exc.user_message()
    log.error("unexpected error", exc_info=exc)
    return tr("ui.unexpected_error", error=f"{type(exc).__name__}: {exc}")


class _Job(QRunnable):
    def __init__(self, relay: _Relay, job_id: int, fn: Callable[..., Any], args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.relay, self.job_id, self.fn, self.args, self.kwargs = relay, job_id, fn, args, kwargs

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 — delivered to the GUI thread, never lost
            self.relay.sig_result.emit(self.job_id, False, exc)
        else:
            self.relay.sig_result.emit(self.job_id, True, result)


class _Relay(QObject):
    sig_result = Signal(int, bool, object)


class TaskRunner(QObject):
    """Runs callables in the background and calls back on the GUI thread."""

    sig_busy = Signal(bool)
    sig_error = Signal(str)  # a message already shown to the user (for the status bar / tests)

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(4)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.sig_result.connect(self._deliver)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)

    def run(self, fn: Callable[..., Any], *args: Any, write: bool = False,
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            progress: str | None = None, parent: QWidget | None = None, **kwargs: Any) -> int:
        """Run ``fn(*args, **kwargs)``; ``progress`` is the dialog's label (adds ``reporter=``)."""
        job_id = next(self._ids)
        reporter = Reporter() if progress is not None else None
        if reporter is not None:
            kwargs["reporter"] = reporter
        dialog = timer = None
        if reporter is not None and not self.synchronous:
            dialog, timer = self._progress_dialog(progress or "", reporter, parent)
        self._pending[job_id] = _Pending(on_done, on_error, reporter, dialog, timer)
        if not self._pending.keys() - {job_id}:
            self.sig_busy.emit(True)
        if self.synchronous:
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001
                self._deliver(job_id, False, exc)
            else:
                self._deliver(job_id, True, result)
        else:
            (self._writes if write else self._reads).start(_Job(self._relay, job_id, fn, args, kwargs))
        return job_id

    def _progress_dialog(self, label: str, reporter: Reporter,
                         parent: QWidget | None) -> tuple[QProgressDialog, QTimer]:
        dialog = QProgressDialog(label, tr("ui.cancel"), 0, 0, parent)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(reporter.cancel)
        timer = QTimer(self)
        timer.setInterval(100)

        def poll() -> None:
            if reporter.total:
                dialog.setMaximum(reporter.total)
                dialog.setValue(min(reporter.done, reporter.total))
            if reporter.message:
                dialog.setLabelText(reporter.message)

        timer.timeout.connect(poll)
        timer.start()
        return dialog, timer

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        pending = self._pending.pop(job_id, None)
        if not self._pending:
            self.sig_busy.emit(False)
        if pending is None:
            return
        if pending.timer is not None:
            pending.timer.stop()
            pending.timer.deleteLater()
        if pending.dialog is not None:
            pending.dialog.reset()
            pending.dialog.deleteLater()
        if ok:
            if pending.on_done is not None:
                pending.on_done(payload)
            return
        assert isinstance(payload, BaseException)
        if isinstance(payload, Cancelled):
            self.sig_error.emit(tr("ui.cancelled"))
            return
        if pending.on_error is not None:
            pending.on_error(payload)
            return
        self.report_error(payload)

    def report_error(self, exc: BaseException, parent: QWidget | None = None) -> None:
        """Show an error in plain words; the traceback goes to the log, never to the user."""
        message = user_message(exc)
        self.sig_error.emit(message)
        if not self.synchronous:  # window-modal but non-blocking: never spins a nested loop
            box = QMessageBox(QMessageBox.Icon.Warning, tr("ui.error_title"), message,
                              QMessageBox.StandardButton.Ok, parent)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def busy(self) -> bool:
        """Some work started here has not delivered its result to the GUI thread yet."""
        return bool(self._pending)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """For tests and shutdown: wait for both pools to drain."""
        return self._reads.waitForDone(msecs) and self._writes.waitForDone(msecs)
