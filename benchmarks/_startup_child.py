"""Child process for bench_startup: start the real app offscreen on a given data folder, say
"PAINTED" as soon as the main window has painted the enterprise list, then exit and print
"DONE {figures}" (in-process times and peak RSS)."""

from __future__ import annotations

import json
import resource
import sys
import time

T0 = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from ui.app import Application, choose_font, parse_args  # noqa: E402


def main() -> int:
    data_dir = sys.argv[1]
    qt_app = QApplication([sys.argv[0]])
    choose_font(qt_app)
    app = Application(parse_args(["--data-dir", data_dir]))
    app.start()
    figures: dict[str, float] = {"imports_s": IMPORTS_DONE - T0}

    def poll() -> None:
        page = app.window.pages.get("enterprises")
        view = page.findChild(QTableView) if page is not None else None
        if view is None or view.model() is None or view.model().rowCount() == 0:
            return
        app.window.repaint()  # synchronous paint of the window with its first rows
        view.viewport().repaint()
        figures["painted_s"] = time.perf_counter() - T0
        figures["rows"] = view.model().rowCount()
        print("PAINTED", flush=True)  # the parent times the spawn → this line
        timer.stop()
        qt_app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(2)
    QTimer.singleShot(60_000, qt_app.quit)
    qt_app.exec()
    app.shutdown()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("DONE", json.dumps(figures), flush=True)
    return 0 if "painted_s" in figures else 1


IMPORTS_DONE = time.perf_counter()

if __name__ == "__main__":
    raise SystemExit(main())
