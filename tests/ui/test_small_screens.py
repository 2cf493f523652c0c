"""The main window never grows past a small screen: every area fits (scrolling inside the
window when a page needs more room), as at 1366×768 with 150 % scaling (≈ 911×512).
The offscreen platform's screen is 800×600, smaller still in width; the 150 % case is
simulated by giving the sizing helpers a 911×512 available area (at 150 % fonts and widgets
have the same size in device-independent pixels, so this is what the laptop's window sees)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

import ui.main_window
import ui.widgets.dialogs
from ohinspect.i18n import set_language
from ui.app import Application, parse_args
from ui.pages import page_specs
from tests.demo_store import demo_copy

SMALL = QRect(0, 0, 911, 512)   # 1366×768 at 150 %, in device-independent pixels


def test_every_area_fits_the_screen(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo_copy(tmp_path)   # what --demo builds, built once per session
    app = Application(parse_args(["--data-dir", str(tmp_path), "--demo"]))
    qtbot.addWidget(app.window)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.ctx is not None, timeout=30_000)
        area = QGuiApplication.primaryScreen().availableGeometry()
        assert area.width() < 1000  # really a small screen
        for row in range(app.window.nav.count()):
            app.window.nav.setCurrentRow(row)
            qtbot.wait(10)
            size = app.window.size()
            assert size.width() <= area.width() and size.height() <= area.height(), (
                app.window.nav.item(row).text(), size, area)
    finally:
        app.shutdown()


@pytest.fixture(params=["zh_CN", "en"])
def small_app(request, qtbot, tmp_path: Path, monkeypatch) -> Iterator[Application]:  # type: ignore[no-untyped-def]
    """The demo store's main window on a 911×512 screen, in each language."""
    monkeypatch.setattr(ui.widgets.dialogs, "available_area", lambda _w: QRect(SMALL))
    monkeypatch.setattr(ui.main_window, "available_area", lambda _w: QRect(SMALL))
    demo_copy(tmp_path)   # what --demo builds, built once per session
    app = Application(parse_args(["--data-dir", str(tmp_path), "--demo",
                                  "--lang", request.param]))
    qtbot.addWidget(app.window)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.ctx is not None and bool(app.window.pages), timeout=30_000)
        app.window.show()
        qtbot.waitExposed(app.window)
        yield app
    finally:
        app.shutdown()
        set_language("zh_CN")


def _fits(size: QSize, area: QSize = SMALL.size()) -> bool:
    return size.width() <= area.width() and size.height() <= area.height()


def test_no_page_is_wider_than_a_small_window(qtbot, small_app: Application) -> None:  # type: ignore[no-untyped-def]
    window = small_app.window
    assert _fits(window.size())
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.wait(20)
        page = window.stack.currentWidget()
        room = window.page_area.viewport().width()
        name = window.nav.item(row).text()
        assert page.minimumSizeHint().width() <= room, (name, page.minimumSizeHint(), room)
        assert not window.page_area.horizontalScrollBar().isVisible(), name
    # a sampling task open on each tab (long English labels, a label sheet's path)
    from ohinspect.demo.sampling import demo_task_ids

    with small_app.ctx.store.read() as session:
        draft = demo_task_ids(session, signed=False)[0]
    window.nav.setCurrentRow([s.page_id for s in page_specs()].index("sampling"))
    view = window.page("sampling").task_view
    window.page("sampling").open_task(draft)
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=10_000)
    view.labels.status.setText("/a/long/path/" * 12)
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        room = window.page_area.viewport().width()
        assert view.minimumSizeHint().width() <= room, (view.tabs.tabText(index), room)
    assert window.status_label.sizeHint().width() <= window.width()
    assert window.status_label.toolTip() == str(small_app.ctx.store.data_dir)


def _check_window(widget: QWidget) -> None:
    """Sized to the small screen (the offscreen platform maximises to its own odd size), and
    able to get there: the content scrolls."""
    QApplication.processEvents()
    name = widget.objectName() or type(widget).__name__
    assert widget.isMaximized() or _fits(widget.size()), (name, widget.size())
    assert _fits(widget.minimumSizeHint()), (name, widget.minimumSizeHint())
    assert _fits(widget.minimumSize()), (name, widget.minimumSize())
    scroll = widget.findChild(QScrollArea, ui.widgets.dialogs.SCROLL_NAME)
    assert scroll is not None, name
    # scrolling down is fine on a small screen, scrolling sideways is not
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width(), (
        name, scroll.widget().minimumSizeHint(), scroll.viewport().width())


def test_main_dialogs_fit_a_small_screen(qtbot, small_app: Application) -> None:  # type: ignore[no-untyped-def]
    window = small_app.window
    enterprises = window.page("enterprises")
    qtbot.waitUntil(lambda: enterprises.model.rowCount() > 0, timeout=10_000)
    enterprises.open_editor(enterprises.model.id_at(0))
    qtbot.waitUntil(lambda: enterprises.editor is not None and enterprises.editor.isVisible(),
                    timeout=10_000)
    editor = enterprises.editor
    _check_window(editor)
    # the save row stays on screen: outside the scrolling form
    scroll = editor.findChild(QScrollArea, ui.widgets.dialogs.SCROLL_NAME)
    assert scroll is not None and not scroll.isAncestorOf(editor.save_button)
    editor.reject()

    projects = window.page("projects")
    qtbot.waitUntil(lambda: projects.model.rowCount() > 0, timeout=10_000)
    projects.show_project(projects.model.id_at(0))
    qtbot.waitUntil(lambda: projects.dialog is not None and projects.dialog.isVisible(),
                    timeout=10_000)
    _check_window(projects.dialog)
    projects.dialog.reject()

    from ui.coverage.draw_dialog import DrawDialog
    from ui.first_run.dialog import FirstRunDialog
    from ui.notices.dialog import IssueNoticeDialog
    from ui.rectification.due_dialogs import DecisionDialog, ReportDialog
    from ui.sync.enrol_dialog import EnrolDialog

    ctx, enterprise = small_app.ctx, enterprises.model.id_at(0)
    for dialog in (IssueNoticeDialog(ctx, enterprise, None, window),
                   ReportDialog(ctx, enterprise, "x", window),
                   DecisionDialog(ctx, enterprise, "x", window),
                   DrawDialog(ctx, "621024", 2026, 3, window),
                   EnrolDialog("https://platform.example", "user", "note", window),
                   FirstRunDialog(Path(ctx.store.data_dir) / "new")):
        dialog.show()
        _check_window(dialog)
        dialog.close()
        dialog.deleteLater()

    audits = window.page("audits")
    qtbot.waitUntil(lambda: audits.table.rowCount() > 0, timeout=10_000)
    start = audits.start_audit()
    _check_window(start)
    start.reject()
    for row in range(min(audits.table.rowCount(), 2)):
        audits.open_row(row)
        audit = next(w for w in QApplication.topLevelWidgets()
                     if w.objectName() == "audit_window" and w.isVisible())
        qtbot.waitUntil(lambda a=audit: a.flow.model is not None, timeout=10_000)
        _check_window(audit)
        audit.close()
