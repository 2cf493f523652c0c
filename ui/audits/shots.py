"""Screenshots of the audit screens for ui/screenshots.py (demo store, main window shown): the
audit list, the start dialog, a draft workplace audit's checklist, and a signed institution
audit (its locked step with the overall result, and the institution's records tab)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

Wait = Callable[..., None]


def audit_shots(qt_app: QApplication, app: Any, out: Path, wait_for: Wait) -> None:
    from ohinspect.demo.audits import demo_audit_ids
    from ohinspect.services.audit_queries import list_audits
    from ui.audits import open_audit
    from ui.pages import page_specs

    ctx = app.ctx
    with ctx.store.read() as session:
        rows = {r.id: r for r in list_audits(session)}
        signed = demo_audit_ids(session, signed=True)
        draft = demo_audit_ids(session, signed=False)[0]

    def settle() -> None:
        for _ in range(30):
            qt_app.processEvents()

    app.window.nav.setCurrentRow([spec.page_id for spec in page_specs()].index("audits"))
    page = app.window.page("audits")
    wait_for(qt_app, lambda: page.table.rowCount() > 0)
    settle()
    app.window.grab().save(str(out / "audits_list.png"))
    dialog = page.start_audit()
    wait_for(qt_app, lambda: dialog.start_button.isEnabled())
    dialog.choose("institution_audit", "")
    settle()
    dialog.grab().save(str(out / "audits_start_dialog.png"))
    dialog.close()
    for name, audit_id, tab in (("draft_checklist", draft, 0), ("signed_locked", signed[0], 0),
                                ("signed_records", signed[0], 1)):
        row = rows[audit_id]
        window = open_audit(ctx, audit_id, row.kind, row.enterprise_id)
        wait_for(qt_app, lambda w=window: w.flow.model is not None)
        window.tabs.setCurrentIndex(tab)
        settle()
        window.grab().save(str(out / f"audits_{name}.png"))
        window.close()
        settle()
