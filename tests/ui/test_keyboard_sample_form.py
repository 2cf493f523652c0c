"""The sample form with the keyboard only, on a small window (1366×768 at 150 %): Tab walks the
fields in the order they are read (down each column of the grid, then the buttons), Enter moves
from field to field and saves from the last one, Ctrl+N starts the next sample and F7 / F8
stamp its times."""

from __future__ import annotations

from helpers import keys, show_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from ohinspect.services.sampling_queries import get_task_view
from ohinspect.store.database import Store
from tests.unit.test_sampling_service import finished_task
from ui.sampling import SamplingPage
from ui.sampling.tab_samples import SAMPLE_TEXT


def _open(qtbot, ctx, store: Store):  # type: ignore[no-untyped-def]
    task_id, _ids = finished_task(store, store.actor("seed"))
    page = SamplingPage(ctx)
    show_window(qtbot, page, 895, 472)
    page.open_task(task_id)
    qtbot.waitUntil(lambda: page.task_view.bundle is not None)
    tab = page.task_view.samples
    page.task_view.tabs.setCurrentWidget(tab)
    return task_id, tab


def _tab_through(qtbot, start: QWidget, count: int) -> list[QWidget]:  # type: ignore[no-untyped-def]
    start.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(count - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_follows_the_form_in_reading_order(qtbot, ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    _task, tab = _open(qtbot, ctx, store)
    fields = [tab.post, tab.kind, tab.hazard, tab.fraction, *(tab.w[n] for n in SAMPLE_TEXT)]
    buttons = [tab.start_now, tab.end_now, tab.new_button, tab.blank_button, tab.save_button]
    expected = fields + buttons
    seen = _tab_through(qtbot, tab.post, len(expected))
    names = {id(w): n for n, w in zip(["post", "kind", "hazard", "fraction", *SAMPLE_TEXT,
                                       "start_now", "end_now", "new", "blank", "save"],
                                      expected, strict=True)}
    assert [names.get(id(w), type(w).__name__) for w in seen] == [names[id(w)] for w in expected]
    # the column grid reads down each column: each field sits below or right of the one before
    for before, after in zip(fields, fields[1:], strict=False):
        a, b = before.mapTo(tab, before.rect().topLeft()), after.mapTo(tab, after.rect().topLeft())
        assert b.y() > a.y() or b.x() > a.x(), (before, after)
    # Shift+Tab goes back
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is tab.blank_button


def test_a_sample_recorded_with_the_keyboard_only(qtbot, ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    task_id, tab = _open(qtbot, ctx, store)
    with store.read() as session:
        before = len(get_task_view(session, task_id).samples)
    qtbot.keyClick(tab, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)   # Ctrl+N: a new one
    assert tab.sample_id is None
    qtbot.keyClick(tab.hazard, Qt.Key.Key_Home)     # the combos by arrow keys
    if not tab.hazard.currentData():
        qtbot.keyClick(tab.hazard, Qt.Key.Key_Down)
    hazard = str(tab.hazard.currentData())
    qtbot.keyClick(tab.fraction, Qt.Key.Key_Home)   # no fraction, or the first for a dust
    if hazard.startswith("dust."):
        qtbot.keyClick(tab.fraction, Qt.Key.Key_Down)
    assert hazard and bool(tab.fraction.currentData()) == hazard.startswith("dust.")
    tab.w["wearer"].setFocus()
    values = {"wearer": "王五", "instrument_id": "P-09", "flow_before_lpm": "0.2",
              "flow_after_lpm": "0.2", "started_at": "2026-11-20 08:00",
              "ended_at": "2026-11-20 12:00", "representative_hours": "4",
              "temperature_c": "18", "pressure_kpa": "101.0"}
    for name in SAMPLE_TEXT:                       # Enter moves on to the next field
        field = QApplication.focusWidget()
        assert field is tab.w[name], name
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(field, Qt.Key.Key_Delete)   # what the last sample carried over
        keys(qtbot, field, values.get(name, ""))
        qtbot.keyClick(field, Qt.Key.Key_Return)
    # Enter in the last field saved the sample
    with store.read() as session:
        after = get_task_view(session, task_id).samples
    assert len(after) == before + 1, [(n, m.text()) for n, m in tab.grid.messages.items()
                                      if m.isVisible()]
    assert any(s.wearer == "王五" for s in after)
    # F7 / F8 stamp the start and end times of the next one
    qtbot.keyClick(tab, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    tab.w["started_at"].clear()
    qtbot.keyClick(tab.w["wearer"], Qt.Key.Key_F7)
    assert tab.w["started_at"].text()
    tab.w["ended_at"].clear()
    qtbot.keyClick(tab.w["wearer"], Qt.Key.Key_F8)
    assert tab.w["ended_at"].text()
