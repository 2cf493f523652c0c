"""One audit in its own window: the shared checklist flow (ui.verification.VerificationFlow —
the same guided, resumable, autosaved steps, photos, signatures and lock as a 三同时
verification) and, for an institution audit, the institution's records (staff and
certificates, instruments, blind samples: ui.institutions) in a second tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ohinspect.services.audits import INSTITUTION_AUDIT
from ui.context import AppContext
from ui.verification.flow import VerificationFlow, place_window

_open_windows: dict[str, AuditWindow] = {}


class AuditWindow(QWidget):
    def __init__(self, ctx: AppContext, inspection_id: str, kind: str, enterprise_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_window")
        self.ctx, self.kind, self.enterprise_id = ctx, kind, enterprise_id
        self.flow = VerificationFlow(ctx, inspection_id)
        self.flow.sig_loaded.connect(self._loaded)
        self.records = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("audit_tabs")
        self.tabs.addTab(self.flow, tr("aud_ui.tab.checklist"))
        if kind == INSTITUTION_AUDIT:
            from ui.institutions.panel import InstitutionRecordsPanel

            self.records = InstitutionRecordsPanel(ctx, enterprise_id, inspection_id)
            self.tabs.addTab(self.records, tr("aud_ui.tab.records"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    @property
    def inspection_id(self) -> str:
        return self.flow.inspection_id

    def _loaded(self, inspection_id: str) -> None:
        self.setWindowTitle(self.flow.windowTitle())
        for key in [k for k, v in _open_windows.items() if v is self]:
            del _open_windows[key]
        _open_windows[inspection_id] = self    # an amendment replaces the view

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flow.close()
        for key in [k for k, v in _open_windows.items() if v is self]:
            del _open_windows[key]
        super().closeEvent(event)


def open_audit(ctx: AppContext, inspection_id: str, kind: str, enterprise_id: str,
               parent: QWidget | None = None) -> AuditWindow:
    """Show the audit in its own window (raised if it is open already)."""
    window = _open_windows.get(inspection_id)
    if window is not None:
        window.show()
        window.raise_()
        window.activateWindow()
        return window
    window = AuditWindow(ctx, inspection_id, kind, enterprise_id, parent)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.setWindowTitle(tr("ver_ui.loading"))
    _open_windows[inspection_id] = window
    place_window(window)
    return window
