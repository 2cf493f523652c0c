"""The drill-down list: the records behind one figure, read in the background when the bar is
clicked; a double-click opens the record (a 三同时 verification in its viewer, anything else
as its details)."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ohinspect.dashboards import DrillRow, Scope, drill_down
from ohinspect.i18n import tr
from ui.context import AppContext
from ui.tasks import if_alive

COLUMN_KEYS = ("dash_ui.drill.col.title", "dash_ui.drill.col.detail", "dash_ui.drill.col.day")


class DrillDialog(QDialog):
    def __init__(self, ctx: AppContext, scope: Scope, indicator_id: str, key: str, label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dash_drill")
        self.ctx = ctx
        self.rows: list[DrillRow] = []
        self.setWindowTitle(tr("dash_ui.drill.title", indicator=tr(f"dash.ind.{indicator_id}"),
                               figure=label))
        self.count = QLabel(tr("dash_ui.loading"))
        self.table = QTableWidget(0, len(COLUMN_KEYS))
        self.table.setObjectName("dash_drill_table")
        self.table.setHorizontalHeaderLabels([tr(k) for k in COLUMN_KEYS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        buttons = QDialogButtonBox()
        buttons.addButton(tr("dash_ui.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(820, 480)
        ctx.read(drill_down, scope, indicator_id, key,
                 overrides=ctx.settings.periodic_testing, on_done=self._show)

    @if_alive
    def _show(self, rows: list[DrillRow]) -> None:
        self.rows = rows
        self.count.setText(tr("dash_ui.drill.count", count=len(rows)))
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for col, text in enumerate((r.title, r.detail, r.day.isoformat() if r.day else "")):
                self.table.setItem(i, col, QTableWidgetItem(text))

    def open_row(self, row: int) -> None:
        r = self.rows[row]
        if r.record_type == "inspection" and r.detail.startswith("three_simultaneities"):
            from ui.verification import open_verification

            open_verification(self.ctx, r.record_id, self)
            return
        box = QMessageBox(QMessageBox.Icon.Information, tr(f"dash_ui.record.{r.record_type}"),
                          tr("dash_ui.record.details", title=r.title, detail=r.detail,
                             day=r.day.isoformat() if r.day else "—", id=r.record_id),
                          QMessageBox.StandardButton.NoButton, self)
        box.addButton(tr("dash_ui.close"), QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("dash_record_box")
        box.open()
