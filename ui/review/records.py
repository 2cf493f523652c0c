"""Opening a reviewed record read-only with the screens that already show it (a signed
verification or audit opens on its signed step; a signed sampling task shows its tabs, frozen
by its lock), and rendering its PDF off the GUI thread with the existing renderers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from ohinspect.i18n import tr
from ohinspect.services.inspection_inputs import AUDIT_KINDS, KIND
from ohinspect.services.review_rules import CLOSURE_KIND
from ohinspect.store.database import Store
from ohinspect.store.models import RectificationEvent, RectificationItem
from ui.context import AppContext
from ui.verification.data import documents_dir

#: a queue kind → the document kind its PDF renders
PDF_KINDS = {KIND: "record", **{k: "audit" for k in AUDIT_KINDS}, "sampling_task": "sampling"}


def closure_text(session: Session, event_id: str) -> str:
    event = session.get(RectificationEvent, event_id)
    item = session.get(RectificationItem, event.item_id) if event is not None else None
    if event is None or item is None:
        return ""
    return tr("rev_ui.closure", finding=item.finding, by=event.by_name, note=event.note,
              when=event.at.astimezone().strftime("%Y-%m-%d %H:%M"))


def open_record(ctx: AppContext, kind: str, record_id: str, enterprise_id: str,
                parent: QWidget) -> QWidget | None:
    """Show the record in its own window; returns the window (None for a closure)."""
    if kind == KIND:
        from ui.verification import open_verification

        return open_verification(ctx, record_id, parent)
    if kind in AUDIT_KINDS:
        from ui.audits.flow import open_audit

        return open_audit(ctx, record_id, kind, enterprise_id, parent)
    if kind == CLOSURE_KIND:
        def show(text: str) -> None:
            box = QMessageBox(QMessageBox.Icon.Information, tr(f"review.kind.{kind}"), text,
                              QMessageBox.StandardButton.Ok, parent)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

        ctx.read(closure_text, record_id, on_done=show)
        return None
    from ui.sampling import SamplingPage

    window = SamplingPage(ctx, parent)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.setWindowTitle(tr(f"review.kind.{kind}"))
    window.open_task(record_id)
    window.resize(1100, 700)
    window.show()
    return window


def render_pdf(store: Store, kind: str, record_id: str) -> Path:
    """The record's document as a PDF under ``documents/`` (runs off the GUI thread)."""
    from ohinspect.reports import render_inspection_record
    from ohinspect.reports.audit import render_audit_report
    from ohinspect.reports.sampling import render_sampling_report

    doc = PDF_KINDS[kind]
    render = {"record": render_inspection_record, "audit": render_audit_report,
              "sampling": render_sampling_report}[doc]
    out = documents_dir(store) / f"review_{doc}_{record_id[:8]}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(render(store, record_id, out))
