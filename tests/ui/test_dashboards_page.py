"""统计 / Dashboards on the demo store: a figure on screen equals the service, a click on a bar
lists the records behind it, Excel export in the background holds the same figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from ohinspect.dashboards import Scope, compute_dashboard
from ohinspect.demo.projects import REFERENCE_DATE
from ohinspect.services.inspection_helpers import local_today
from tests.demo_store import opened_demo
from ui.dashboards import DashboardsPage

COUNTY = "621024"
START, END = date(2026, 1, 1), REFERENCE_DATE


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Here the demo store (a copy of the session's, tests/demo_store.py)."""
    with opened_demo(tmp_path / "data") as s:
        yield s


def test_dashboard_figure_drill_down_and_export(qtbot, threaded_ctx, store,  # type: ignore[no-untyped-def]
                                                tmp_path: Path, monkeypatch) -> None:
    import threading

    import ui.dashboards.page as page_module

    threads: list[bool] = []
    for name in ("quick_indicators", "monitoring_indicators"):
        real = getattr(page_module, name)
        monkeypatch.setattr(page_module, name, lambda *a, real=real, **kw: (
            threads.append(threading.current_thread() is threading.main_thread())
            or real(*a, **kw)))
    page = DashboardsPage(threaded_ctx)
    qtbot.addWidget(page)
    page.resize(1300, 740)
    page.show()
    with qtbot.waitSignal(page.sig_updated, timeout=20_000):
        page.set_scope(COUNTY, START, END)
    assert threads and not any(threads)   # never computed on the GUI thread
    with store.read() as s:
        expected = compute_dashboard(s, Scope(COUNTY, START, END, local_today()))
    cov = expected.indicator("coverage")
    panel = page.panels["coverage"]
    assert panel.overall.text() == f"核查率：{cov.overall() * 100:.1f}%"
    assert panel.chart.indicator == cov   # the bars are the service's figures

    severe = cov.figure("severe")
    assert severe is not None and severe.values["reached"] > 0
    centre = panel.chart.bar_rect(0).center()
    qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(panel.chart.width() * 0.38) + 2, int(centre.y())))
    assert page.drill is not None
    qtbot.waitUntil(lambda: page.drill.table.rowCount() == severe.values["reached"], timeout=10_000)
    assert page.drill.rows[0].record_type == "project"
    page.drill.open_row(0)   # a project: its details
    box = page.drill.findChild(QMessageBox, "dash_record_box")
    assert page.drill.rows[0].record_id in box.text()
    box.close()
    page.drill.close()

    out = tmp_path / "dash.xlsx"
    with qtbot.waitSignal(page.sig_exported, timeout=20_000):
        page.export("xlsx", out)
    sheet = load_workbook(out).worksheets[1]
    assert sheet.cell(row=6, column=1).value == "severe"
    assert sheet.cell(row=6, column=4).value == severe.values["verified"]
