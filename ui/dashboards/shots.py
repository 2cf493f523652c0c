"""Screenshots of 统计 / Dashboards for ui/screenshots.py (demo store, main window shown): the
demo county's first half of 2026, and the drill-down of a bar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

Wait = Callable[..., None]


def dashboard_shots(qt_app: QApplication, app: Any, out: Path, wait_for: Wait) -> None:
    from ohinspect.demo.projects import REFERENCE_DATE
    from ui.pages import page_specs

    def settle() -> None:
        for _ in range(30):
            qt_app.processEvents()

    app.window.nav.setCurrentRow([spec.page_id for spec in page_specs()].index("dashboards"))
    page = app.window.page("dashboards")
    page.dashboard = None
    page.set_scope("621024", date(REFERENCE_DATE.year, 1, 1), REFERENCE_DATE)
    wait_for(qt_app, lambda: page.dashboard is not None)
    settle()
    app.window.grab().save(str(out / "dashboards.png"))
    page.open_drill("rectification", "621024")
    wait_for(qt_app, lambda: page.drill is not None and page.drill.table.rowCount() > 0)
    settle()
    page.drill.grab().save(str(out / "dashboards_drill.png"))
    page.drill.close()
