"""What several screen tests share: typing and clicking like a person, showing a window, and a
store seeded through the services (``from helpers import ...``: pytest puts this folder on the
path of the tests in it)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise
from ohinspect.services.projects import ProjectInput, StageInput, create_project, save_stage
from ohinspect.services.roster import add_inspector
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.database import Store

HESHUI = "621024"   # 甘肃省庆阳市合水县
XIFENG = "621002"   # 甘肃省庆阳市西峰区
INSPECTION_UNIT = "合水县卫生健康监督所"


# -- typing, clicking, showing ----------------------------------------------------------------
def keys(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` into ``widget``: ASCII as key presses, Chinese as an input method commits
    it (QTest cannot synthesise key presses for non-ASCII characters)."""
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a user, then leave the field (editingFinished)."""
    keys(qtbot, widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def show_window(qtbot, window: QWidget, width: int, height: int, *,  # type: ignore[no-untyped-def]
                own: bool = True) -> QWidget:
    """Show ``window`` at this size and wait until it is the active window; ``own``: qtbot
    closes it after the test (not for windows that delete themselves when closed)."""
    if own:
        qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


# -- a store seeded through the services ------------------------------------------------------
def uscc(i: int, division: str = HESHUI) -> str:
    """A valid USCC of a unit registered in ``division``, numbered ``i``."""
    return make_uscc("9", "1", division, f"MA{i:06d}")


def seed_enterprise(store: Store, n: int, name: str, division: str = HESHUI,
                    **fields: object) -> str:
    """An enterprise in ``division`` with USCC ``uscc(n, division)``; its id."""
    data = EnterpriseInput(name=name, uscc=uscc(n, division), division_code=division,
                           **fields)  # type: ignore[arg-type]
    return str(create_enterprise(store, store.actor("seed"), data).record_id)


def seed_project(store: Store, enterprise_id: str, name: str, **fields: object) -> str:
    """A 三同时 project of that enterprise; its id."""
    data = ProjectInput(enterprise_id=enterprise_id, name=name, **fields)  # type: ignore[arg-type]
    return str(create_project(store, store.actor("seed"), data).record_id)


def seed_stage(store: Store, project_id: str, code: str, started: date | None,
               completed: date | None = None, **fields: object) -> None:
    save_stage(store, store.actor("seed"), project_id, code,
               StageInput(started_on=started, completed_on=completed,
                          **fields))  # type: ignore[arg-type]


def seed_inspectors(store: Store, people: tuple[tuple[str, str], ...],
                    division: str = HESHUI, unit: str = INSPECTION_UNIT) -> None:
    """``(name, enforcement-ID number)`` on the roster of ``division``."""
    for name, id_no in people:
        add_inspector(store, store.actor("seed"), name, id_no, division, unit=unit)
