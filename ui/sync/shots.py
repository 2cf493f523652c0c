"""Screenshots of the Sync screen for ui/screenshots.py (demo store, main window shown): an
enrolled device with records waiting and one conflict (an enterprise contact changed on both
sides) selected, so both versions show side by side."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

Wait = Callable[..., None]


def _seed(store: Any) -> None:
    from ohinspect.store.models import Enterprise, SyncConflict
    from ohinspect.store.serialize import canonical_json, content_hash
    from ohinspect.sync import local

    with store.unit_of_work(store.actor("screenshot")) as uow:
        s = uow.session
        ent = s.scalars(select(Enterprise).order_by(Enterprise.name)).first()
        mine = ent.sync_payload()
        theirs = {**mine, "contact_person": "(platform) " + mine["contact_person"],
                  "contact_phone": "0934-0000000", "modified_by": "platform"}
        s.add(SyncConflict(record_type="enterprise", record_id=ent.id,
                           local_hash=content_hash(mine), local_payload=canonical_json(mine),
                           server_hash=content_hash(theirs), server_payload=canonical_json(theirs),
                           detected_at=uow.now))
        for key, value in ((local.SERVER_URL, "https://platform.example"),
                           (local.USER, "zhangsan"), (local.ROLE, "inspector"),
                           (local.JURISDICTION, "621024"),
                           (local.LAST_SUCCESS, "2026-11-20T08:15:00Z")):
            local.set_meta(s, key, value)
        uow.commit()


def sync_shots(qt_app: QApplication, app: Any, out: Path, wait_for: Wait) -> None:
    from ui.pages import page_specs

    _seed(app.ctx.store)
    row = next(i for i, spec in enumerate(page_specs()) if spec.page_id == "sync")
    app.window.nav.setCurrentRow(row)
    page = app.window.page("sync")
    page.refresh()
    wait_for(qt_app, lambda: page.conflicts.list.count() == 1
             and page.status is not None and bool(page.status.user))
    for _ in range(20):
        qt_app.processEvents()
    app.window.grab().save(str(out / "sync_conflict.png"))
