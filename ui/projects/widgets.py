"""Input widgets of the project and stage editors: a date field that may stay empty, a search-
as-you-type picker for the construction unit, and the small reviewers table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSize, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from ohinspect.i18n import tr
from ui.tasks import if_alive

SEARCH_DELAY_MS = 200


class DateField(QWidget):
    """``YYYY-MM-DD`` typed or picked from a calendar; empty means "not yet". The text goes to
    the service as typed, so it can say precisely what is wrong with it."""

    sig_edited = Signal()     # the user typed or picked (for drafts)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("prj_ui.date.placeholder"))
        self.edit.setMaxLength(10)
        self.edit.setClearButtonEnabled(True)
        self.edit.setMaximumWidth(150)
        self.button = QToolButton()
        self.button.setText(tr("prj_ui.date.pick"))
        self.button.setToolTip(tr("prj_ui.date.pick_hint"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        menu = QMenu(self.button)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.button.setMenu(menu)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(lambda _t: self.sig_edited.emit())

    def _prepare_calendar(self) -> None:
        current = QDate.fromString(self.edit.text().strip(), "yyyy-MM-dd")
        self.calendar.setSelectedDate(current if current.isValid() else QDate.currentDate())

    def _picked(self, day: QDate) -> None:
        self.edit.setText(day.toString("yyyy-MM-dd"))
        self.button.menu().hide()
        self.sig_edited.emit()
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: date | str | None) -> None:
        self.edit.setText(value.isoformat() if isinstance(value, date) else (value or ""))


class EnterprisePicker(QLineEdit):
    """Pick the construction unit (建设单位) from the registry by typing part of its name or
    code. ``search(text, on_done)`` runs in the background and delivers ``[(id, label)]``.
    ``enterprise_id()`` is "" until a unit is chosen (or after its text is edited)."""

    sig_changed = Signal(str)  # the chosen enterprise id

    def __init__(self, search: Callable[[str, Callable[[list[tuple[str, str]]], None]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._id = ""
        self._label = ""
        self._labels: dict[str, str] = {}
        self._seq = 0
        self.setPlaceholderText(tr("prj_ui.enterprise.placeholder"))
        self.setClearButtonEnabled(True)
        self.model = QStringListModel(self)
        completer = QCompleter(self.model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.setWidget(self)  # not setCompleter: the list is already the search result
        completer.activated.connect(self._chosen)
        self.completer_ = completer
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_now)
        self.textEdited.connect(self._edited)

    def enterprise_id(self) -> str:
        return self._id

    def label(self) -> str:
        return self._label

    def set_enterprise(self, enterprise_id: str, label: str) -> None:
        self._id, self._label = enterprise_id, label
        self.setText(label)
        self.setCursorPosition(0)

    def _edited(self, text: str) -> None:
        if self._id and text != self._label:
            self._id, self._label = "", ""
            self.sig_changed.emit("")
        if text.strip():
            self.timer.start()
        else:
            self.completer_.popup().hide()

    def search_now(self) -> None:
        self.timer.stop()
        self._seq += 1
        seq = self._seq
        self._search(self.text().strip(), lambda found: self._show(seq, found))

    @if_alive
    def _show(self, seq: int, found: list[tuple[str, str]]) -> None:
        if seq != self._seq:
            return  # the user typed on
        self._labels = {label: eid for eid, label in found}
        if not found:
            self.model.setStringList([tr("prj_ui.enterprise.none_found")])
        else:
            self.model.setStringList([label for _eid, label in found])
        if self.hasFocus():
            self.completer_.complete()

    def _chosen(self, label: str) -> None:
        eid = self._labels.get(label)
        if eid is None:
            return
        self.set_enterprise(eid, label)
        self.sig_changed.emit(eid)


class ReviewerTable(QWidget):
    """Who reviewed the stage: name, title, external expert (外部专家). Empty rows are dropped."""

    sig_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr("prj_ui.reviewer.name"),
                                              tr("prj_ui.reviewer.title"),
                                              tr("prj_ui.reviewer.external")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, max(self.fontMetrics().horizontalAdvance("M") * 7,
                                    header.sectionSizeHint(0)))  # names are short
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.add_button = QPushButton(tr("prj_ui.reviewer.add"))
        self.remove_button = QPushButton(tr("prj_ui.reviewer.remove"))
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.itemChanged.connect(lambda _i: None if self._filling else self.sig_edited.emit())

    def sizeHint(self) -> QSize:
        return QSize(360, self.table.verticalHeader().defaultSectionSize() * 4
                     + self.table.horizontalHeader().sizeHint().height() + 6)

    def add_row(self, name: str = "", title: str = "", external: bool = False) -> int:
        row = self.table.rowCount()
        was, self._filling = self._filling, True
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(title))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                       | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if external else Qt.CheckState.Unchecked)
        self.table.setItem(row, 2, check)
        self._filling = was
        return row

    def _add_clicked(self) -> None:
        row = self.add_row()
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        self.table.editItem(self.table.item(row, 0))

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.sig_edited.emit()

    def set_external(self, row: int, external: bool) -> None:
        self.table.item(row, 2).setCheckState(
            Qt.CheckState.Checked if external else Qt.CheckState.Unchecked)

    def reviewers(self) -> list[dict[str, Any]]:
        out = []
        for row in range(self.table.rowCount()):
            name = (self.table.item(row, 0).text() if self.table.item(row, 0) else "").strip()
            title = (self.table.item(row, 1).text() if self.table.item(row, 1) else "").strip()
            external = self.table.item(row, 2).checkState() == Qt.CheckState.Checked
            if name or title:
                out.append({"name": name, "title": title, "external": external})
        return out

    def set_reviewers(self, reviewers: list[dict[str, Any]]) -> None:
        self._filling = True
        self.table.setRowCount(0)
        for r in reviewers or []:
            self.add_row(str(r.get("name", "") or ""), str(r.get("title", "") or ""),
                         bool(r.get("external", False)))
        self._filling = False
