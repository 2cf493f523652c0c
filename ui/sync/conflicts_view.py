"""Open conflicts: a list, both versions side by side (what differs first and marked), and
"keep mine" / "take theirs" — each one unit of work run in the background."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ohinspect.i18n import tr
from ohinspect.sync.conflicts import ConflictView, keep_mine, list_conflicts, take_theirs
from ui.context import AppContext
from ui.tasks import if_alive

DIFFERS = QColor("#fff3cd")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ConflictsView(QWidget):
    sig_resolved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conflicts: list[ConflictView] = []
        self.heading = QLabel(tr("sync_ui.conflicts_none"))
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr("sync_ui.field"), tr("sync_ui.mine"),
                                              tr("sync_ui.theirs")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.keep = QPushButton(tr("sync_ui.keep_mine"))
        self.take = QPushButton(tr("sync_ui.take_theirs"))
        self.keep.clicked.connect(lambda: self._resolve(keep_mine))
        self.take.clicked.connect(lambda: self._resolve(take_theirs))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep)
        buttons.addWidget(self.take)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(self.table, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self._enable()

    def refresh(self) -> None:
        self.ctx.read(list_conflicts, on_done=self._loaded)

    @if_alive
    def _loaded(self, conflicts: list[ConflictView]) -> None:
        self.conflicts = conflicts
        self.heading.setText(tr("sync_ui.conflicts", count=len(conflicts)) if conflicts
                             else tr("sync_ui.conflicts_none"))
        self.list.clear()
        for c in conflicts:
            item = QListWidgetItem(tr("sync_ui.conflict_item",
                                      type=tr(f"sync_ui.type.{c.record_type}"), label=c.label,
                                      n=sum(f.differs for f in c.fields)))
            item.setToolTip(c.record_id)
            self.list.addItem(item)
        if conflicts:
            self.list.setCurrentRow(0)
        else:
            self.table.setRowCount(0)
        self._enable()

    def _show(self, row: int) -> None:
        self._enable()
        if not 0 <= row < len(self.conflicts):
            return
        fields = self.conflicts[row].fields
        self.table.setRowCount(len(fields))
        for n, f in enumerate(fields):
            cells = [QTableWidgetItem(f.field), QTableWidgetItem(_text(f.mine)),
                     QTableWidgetItem(_text(f.theirs))]
            for col, cell in enumerate(cells):
                if f.differs:
                    cell.setBackground(QBrush(DIFFERS))
                cell.setToolTip(cell.text())
                self.table.setItem(n, col, cell)

    def current(self) -> ConflictView | None:
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _enable(self) -> None:
        on = self.current() is not None
        self.keep.setEnabled(on)
        self.take.setEnabled(on)

    def _resolve(self, op) -> None:  # type: ignore[no-untyped-def]
        conflict = self.current()
        if conflict is None:
            return
        self.keep.setEnabled(False)
        self.take.setEnabled(False)
        self.ctx.perform(op, conflict.id, on_done=lambda _r: self._done(),
                         on_error=self._failed)

    @if_alive
    def _done(self) -> None:
        self.sig_resolved.emit()
        self.refresh()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.ctx.runner.report_error(exc, self)
        self.refresh()


