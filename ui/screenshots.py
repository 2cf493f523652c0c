"""Screenshots of the main screens for a person to check (run under Xvfb at 1366×768):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m ui.screenshots OUT_DIR [--lang en] [--scale 1.5]

``--from DIR`` starts from a copy of an already built demo folder (the test run builds the demo
once per session); without it the demo store is built here. ``--scale 1.5`` sets QT_SCALE_FACTOR (150 % display scaling): the same 1366×768 screen then
has 911×512 device-independent pixels for the window.

Opens a fresh demo store, maximises the main window, and saves one PNG per area plus the
enterprise editor (empty, and with the messages a bad entry produces).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.app import Application, choose_font, parse_args
from ui.audits.shots import audit_shots
from ui.dashboards.shots import dashboard_shots
from ui.pages import page_specs
from ui.rectification.shots import rectification_shots
from ui.review.shots import review_shots
from ui.sampling.shots import sampling_shots
from ui.sync.shots import sync_shots


def wait_for(app: QApplication, condition, timeout_s: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Process events until ``condition()`` holds; on timeout exit naming the waiting line."""
    import inspect
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            caller = inspect.stack()[1]
            raise SystemExit(f"timed out after {timeout_s:.0f} s waiting at "
                             f"{caller.filename}:{caller.lineno}: {caller.code_context}")
        app.processEvents()
        time.sleep(0.01)


def first_run_shot(qt_app: QApplication, data: Path, path: Path) -> None:
    """The first-run dialog with the messages of an empty Start."""
    from ui.first_run.dialog import FirstRunDialog

    dialog = FirstRunDialog(data / "new")
    dialog.show()
    dialog.start_button.click()
    for _ in range(20):
        qt_app.processEvents()
    dialog.grab().save(str(path))
    dialog.close()


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    lang = ["--lang", argv[argv.index("--lang") + 1]] if "--lang" in argv else []
    if "--scale" in argv:  # e.g. 1.5: Windows' 150 % display scaling
        os.environ["QT_SCALE_FACTOR"] = argv[argv.index("--scale") + 1]
    qt_app = QApplication([sys.argv[0]])
    choose_font(qt_app)
    with tempfile.TemporaryDirectory() as data:
        if "--from" in argv:
            shutil.copytree(argv[argv.index("--from") + 1], data, dirs_exist_ok=True)
        app = Application(parse_args(["--data-dir", data, "--demo", *lang]))
        app.start()
        app.window.showMaximized()
        wait_for(qt_app, lambda: app.ctx is not None and app.window.pages)
        page = app.window.page("enterprises")
        wait_for(qt_app, lambda: page.model.rowCount() > 0)
        for row, page_id in enumerate(spec.page_id for spec in page_specs()):
            app.window.nav.setCurrentRow(row)
            for _ in range(5):   # the page asks for its data, then shows what came back
                qt_app.processEvents()
            wait_for(qt_app, lambda: not app.runner.busy())
            for _ in range(20):
                qt_app.processEvents()
            app.window.grab().save(str(out / f"main_{page_id}.png"))
        app.window.nav.setCurrentRow(0)
        page.open_editor(page.model.id_at(0))
        wait_for(qt_app, lambda: page.editor is not None and page.editor.isVisible())
        for _ in range(20):
            qt_app.processEvents()
        page.editor.grab().save(str(out / "enterprise_editor.png"))
        page.editor.f.exposed_count.setText("99999")
        page.editor.save()
        wait_for(qt_app, lambda: page.editor.errors["exposed_count"].isVisible())
        page.editor.grab().save(str(out / "enterprise_editor_errors.png"))
        sampling_shots(qt_app, app, out, wait_for)
        audit_shots(qt_app, app, out, wait_for)
        rectification_shots(qt_app, app, out, wait_for)
        sync_shots(qt_app, app, out, wait_for)
        review_shots(qt_app, app, out, wait_for)
        dashboard_shots(qt_app, app, out, wait_for)
        first_run_shot(qt_app, Path(data), out / "first_run.png")
        app.shutdown()
    print("\n".join(sorted(str(p) for p in out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
