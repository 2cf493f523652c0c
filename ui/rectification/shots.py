"""Screenshots of the rectification screens for ui/screenshots.py (demo store, main window
shown): each tab, an item's detail, and the correction dialog with its refusal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

Wait = Callable[..., None]


def rectification_shots(qt_app: QApplication, app: Any, out: Path, wait_for: Wait) -> None:
    from ui.pages import page_specs

    def settle() -> None:
        for _ in range(30):
            qt_app.processEvents()

    app.window.nav.setCurrentRow([spec.page_id for spec in page_specs()].index("rectification"))
    page = app.window.page("rectification")
    page.items.jurisdiction.setText("")
    page.items.refresh()
    wait_for(qt_app, lambda: page.items.table.rowCount() > 0 and page.items.detail is not None)
    settle()
    app.window.grab().save(str(out / "rectification_items.png"))
    corrected = next(r for r, row in enumerate(page.items.rows) if row.status == "open")
    page.items.table.selectRow(corrected)
    wait_for(qt_app, lambda: "submit_correction" in page.items.action_buttons)
    dialog = page.items.open_action("submit_correction")
    dialog.submit()
    wait_for(qt_app, lambda: dialog.messages["evidence"].isVisible())
    settle()
    dialog.grab().save(str(out / "rectification_correction_refused.png"))
    dialog.close()
    for index, name in ((1, "look_back"), (2, "due"), (3, "rates")):
        page.tabs.setCurrentIndex(index)
        settle()
        app.window.grab().save(str(out / f"rectification_{name}.png"))
