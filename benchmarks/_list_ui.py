"""The enterprise list as a user drives it, on a large store: time from a filter change to the
repainted list, scroll repaints, and the longest stall of the GUI thread meanwhile."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from ohinspect.settings import Settings
from ohinspect.store.database import Store
from ui.context import AppContext
from ui.enterprises.page import EnterprisesPage
from ui.tasks import TaskRunner


class StallMeter:
    """Longest gap between 5 ms ticks of a GUI-thread timer: how long the GUI was blocked."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.last = 0
        self.worst = 0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.clock.start()
        self.last, self.worst = 0, 0
        self.timer.start()


def measure(data_dir: Path) -> dict[str, str]:
    app = QApplication.instance() or QApplication([])
    store = Store.open(data_dir)
    ctx = AppContext(store, Settings(), TaskRunner(), store.actor("bench"))
    out: dict[str, str] = {}
    updated: list[float] = []
    try:
        t0 = time.perf_counter()
        page = EnterprisesPage(ctx)
        page.resize(1280, 700)
        page.show()
        page.sig_list_updated.connect(lambda _n: updated.append(time.perf_counter()))

        def wait_update() -> float:
            count = len(updated)
            while len(updated) == count:
                app.processEvents()
                time.sleep(0.0005)
            page.view.viewport().repaint()
            return time.perf_counter()

        shown = wait_update() - t0
        out["show page → first rows painted"] = f"{shown * 1000:6.1f} ms ({page.model.rowCount()} rows)"
        meter = StallMeter()
        meter.start()
        steps: dict[str, Callable[[], None]] = {
            "type 水泥": lambda: page.filter_bar.search.setText("水泥"),
            "type 宏达水泥": lambda: page.filter_bar.search.setText("宏达水泥"),
            "clear text": lambda: page.filter_bar.search.setText(""),
            "risk = 2nd choice": lambda: page.filter_bar.risk.setCurrentIndex(1),
            "risk = all": lambda: page.filter_bar.risk.setCurrentIndex(0),
            "show deleted on": lambda: page.filter_bar.show_deleted.setChecked(True),
        }
        for label, change in steps.items():
            started = time.perf_counter()
            change()  # combos and the checkbox search at once
            if label.startswith(("type", "clear")):
                page.filter_bar.apply_now()  # skip the typing debounce: time the search itself
            done = wait_update()
            out[f"filter: {label}"] = f"{(done - started) * 1000:6.1f} ms ({page.model.rowCount()} rows)"
        bar = page.view.verticalScrollBar()
        rng = random.Random(3)
        times = []
        for _ in range(40):
            bar.setValue(rng.randrange(bar.maximum() + 1))
            t = time.perf_counter()
            page.view.viewport().repaint()
            times.append((time.perf_counter() - t) * 1000)
            app.processEvents()
        out["scroll jump + repaint"] = f"{statistics.median(times):6.1f} ms median, {max(times):6.1f} max"
        out["longest GUI-thread stall meanwhile"] = f"{meter.worst:6.0f} ms"
        page.close()
    finally:
        ctx.runner.wait_idle()
        store.close()
    return out
