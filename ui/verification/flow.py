"""The guided, resumable verification of one project stage (三同时 核查): checklist → findings →
summary → signatures → locked. ``VerificationFlow(ctx, inspection_id)`` is the widget;
:func:`open_verification` shows it in its own window (one per inspection).

This module is the window (loading an inspection, reloading after changes made elsewhere, the
open windows); the flow's other parts are mixins: :mod:`ui.verification.flow_layout` (its
widgets and the draft), :mod:`ui.verification.flow_steps` (step navigation),
:mod:`ui.verification.flow_signing` (summary and signing writes) and
:mod:`ui.verification.flow_problems` (a refused signing shown where it applies)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.store.changes import Changes
from ui.context import AppContext
from ui.tasks import user_message
from ui.verification.data import FlowState, load_flow_state
from ui.verification.flow_layout import FlowLayout
from ui.verification.flow_problems import FlowSignProblems
from ui.verification.flow_signing import FlowSigning
from ui.verification.flow_steps import (
    CHECKLIST,
    FINDINGS,
    LOCKED,
    SIGNATURES,
    STEPS,
    SUMMARY,
    FlowSteps,
)
from ui.verification.model import FlowModel
from ui.widgets.autosave import DraftAutosave
from ui.widgets.dialogs import available_area, scroll_content

__all__ = [
    "CHECKLIST", "FINDINGS", "LOCKED", "SIGNATURES", "STEPS", "SUMMARY", "VerificationFlow",
    "open_verification", "place_window",
]

WINDOW_SIZE = (1280, 720)    # fits 1366×768 with the task bar
EXTERNAL_RELOAD_MS = 200     # coalesce reloads after changes made elsewhere (undo, other windows)

_open_windows: dict[str, VerificationFlow] = {}


class VerificationFlow(FlowLayout, FlowSteps, FlowSigning, FlowSignProblems, QWidget):
    sig_loaded = Signal(str)         # inspection id, once shown
    sig_locked = Signal(str)         # signed and locked
    sig_step_changed = Signal(int)

    def __init__(self, ctx: AppContext, inspection_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verification_flow")
        self.ctx = ctx
        self.inspection_id = inspection_id
        self.model: FlowModel | None = None
        self.state: FlowState | None = None
        self.autosave: DraftAutosave | None = None
        self.signing = False
        self._sign_status = False         # the status line repeats a refused signing
        self.content: QWidget | None = None
        self.loading = QLabel(tr("ver_ui.loading"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self.reload_timer = QTimer(self)
        self.reload_timer.setSingleShot(True)
        self.reload_timer.setInterval(EXTERNAL_RELOAD_MS)
        self.reload_timer.timeout.connect(self._reload_after_change)
        ctx.sig_changed.connect(self._on_changes)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 6, 8, 6)
        self.layout_.addWidget(self.loading)
        self.load(inspection_id)

    # -- loading -----------------------------------------------------------------------------
    def load(self, inspection_id: str) -> None:
        """Show ``inspection_id`` (also after an amendment: the new draft replaces the view)."""
        if self.autosave is not None:
            self.autosave.flush()
            self.autosave.pause()
        if self.model is not None:
            self.model.flush_note()
        old = self.inspection_id
        self.inspection_id = inspection_id
        if _open_windows.get(old) is self:
            del _open_windows[old]
            _open_windows[inspection_id] = self
        self.ctx.runner.run(load_flow_state, self.ctx.store, inspection_id,
                            on_done=self._loaded, on_error=self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        message = user_message(exc)
        self.loading.setText(tr("ver_ui.load_failed", error=message))
        self.loading.show()
        if not isinstance(exc, OHInspectError):
            self.ctx.runner.report_error(exc, self)

    def _loaded(self, state: FlowState) -> None:
        if state.view.inspection.id != self.inspection_id:
            return   # another inspection was asked for meanwhile
        self.state = state
        if self.content is not None:
            self.layout_.removeWidget(self.content)
            self.content.deleteLater()
        self.loading.hide()
        if self.model is not None:
            self.model.note_timer.stop()
            self.model.deleteLater()
        self.model = FlowModel(self.ctx, state.view, self)
        self.content = self._build(self.model)
        self.layout_.addWidget(self.content, 1)
        self.content.show()   # now, not when the queued show of a late child arrives
        self._fill(state)
        self.sig_loaded.emit(self.inspection_id)

    def _on_changes(self, changes: Changes) -> None:
        """An undo (Ctrl+Z in the main window) or another window changed this inspection."""
        if self.inspection_id in changes.record_ids and self.model is not None \
                and not self.model.locked and not self.signing:
            self.reload_timer.start()

    def _reload_after_change(self) -> None:
        if self.model is not None and not self.model.locked and not self.signing:
            self.model.reload()

    # -- window ------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.reload_timer.stop()
        if self.model is not None:
            self.model.flush_note()
        if self.autosave is not None:
            self.autosave.flush()
            self.autosave.pause()
        if _open_windows.get(self.inspection_id) is self:
            del _open_windows[self.inspection_id]
        super().closeEvent(event)


def open_verification(ctx: AppContext, inspection_id: str,
                      parent: QWidget | None = None) -> VerificationFlow:
    """Show the verification in its own window (raised if it is open already)."""
    flow = _open_windows.get(inspection_id)
    if flow is not None:
        flow.show()
        flow.raise_()
        flow.activateWindow()
        return flow
    flow = VerificationFlow(ctx, inspection_id, parent)
    flow.setWindowFlag(Qt.WindowType.Window, True)
    flow.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    flow.setWindowTitle(tr("ver_ui.loading"))
    _open_windows[inspection_id] = flow
    flow.destroyed.connect(lambda *_a, f=flow: _forget(f))
    place_window(flow)
    return flow


def place_window(window: QWidget) -> None:
    """Show a flow window at its size, or maximised on a screen too small for it (where its
    content scrolls rather than growing past the screen: 1366×768 at 150 %)."""
    scroll_content(window)
    available = available_area(window)
    width, height = WINDOW_SIZE
    if available is not None and (available.width() < width + 40 or
                                  available.height() < height + 60):
        window.setGeometry(available)   # also where no window manager maximises
        window.showMaximized()
    else:
        window.resize(width, height)
        window.show()


def _forget(flow: VerificationFlow) -> None:
    for key in [k for k, v in _open_windows.items() if v is flow]:
        del _open_windows[key]
