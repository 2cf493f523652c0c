"""Screenshots of the Review screen for ui/screenshots.py (demo store, main window shown): the
queue as a supervisor sees it — the demo records counted as arrived from another device — with
one record returned with comments, and the Import batches… dialog."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from ohinspect.i18n import tr
from ohinspect.store.models import StoreMeta

Wait = Callable[..., None]


def _as_supervisor(app: Any) -> None:
    """Another device id in the store's own record of it: every demo record now counts as
    arrived from a field device (only for the picture; the store is a temporary copy)."""
    store = app.ctx.store
    with store.unit_of_work(store.actor("screenshot")) as uow:
        uow.session.get(StoreMeta, "device_id").value = str(uuid.uuid4())
        uow.commit()
    app.ctx.settings.role = "supervisor"
    app.ctx.actor = store.actor("supervisor")   # a reviewer never reviews their own records


def review_shots(qt_app: QApplication, app: Any, out: Path, wait_for: Wait) -> None:
    from ui.pages import page_specs

    _as_supervisor(app)
    row = next(i for i, spec in enumerate(page_specs()) if spec.page_id == "review")
    app.window.nav.setCurrentRow(row)
    page = app.window.page("review")
    page.refresh()
    q = page.queue
    wait_for(qt_app, lambda: q.table.rowCount() > 0)
    q.select(next(i.record_id for i in q.items if i.kind == "three_simultaneities"))
    chosen = q.current().record_id
    q.radios.button(1).setChecked(True)
    q.comments.setPlainText("GBZ 1-2010 6.1: item 3 needs a photo of the dust extraction at the crusher.")
    q.save_button.click()
    saved = tr("rev_ui.decision.saved", decision=tr("review.decision.return"))
    wait_for(qt_app, lambda: q.message.text() == saved)
    q.state.setCurrentIndex(q.state.findData(""))
    wait_for(qt_app, lambda: any(i.record_id == chosen for i in q.items))
    q.select(chosen)
    wait_for(qt_app, lambda: q.photos.count() > 0)
    for _ in range(20):
        qt_app.processEvents()
    app.window.grab().save(str(out / "review_queue.png"))
    dialog = page.open_import([Path("/media/usb/heshui-field-1-20261120.ohbatch"),
                               Path("/media/usb/heshui-sampling-2-20261121.ohbatch")])
    for _ in range(20):
        qt_app.processEvents()
    dialog.grab().save(str(out / "review_import.png"))
    dialog.reject()
