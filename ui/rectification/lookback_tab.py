"""回头看: closed items to be looked at again (the earliest first; those due now are marked), and
the two outcomes of a look-back — the correction holds, or the item is opened again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification_queries import ItemRow, look_back_items
from ui.context import AppContext
from ui.rectification.action_dialog import ActionDialog
from ui.rectification.items_tab import fill_items
from ui.sampling.common import read_table
from ui.tasks import if_alive

COLUMNS = ("look_back_on", "enterprise", "division", "source", "finding", "closed_by")
ACTIONS = ("look_back_ok", "reopen")


class LookBackTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[ItemRow] = []
        self.table = read_table()
        self.table.setObjectName("rect_look_back")
        self.table.itemSelectionChanged.connect(self._enable)
        self.count = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for action in ACTIONS:
            button = QPushButton(tr(f"rectification.action.{action}"))
            button.clicked.connect(lambda _c=False, a=action: self.open_action(a))
            self.buttons[action] = button
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.count)
        note = QLabel(tr("rect_ui.look_back_note"))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        ctx.sig_changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.read(look_back_items, local_today(), self.ctx.settings.jurisdiction,
                      on_done=self._rows)

    @if_alive
    def _rows(self, rows: list[ItemRow]) -> None:
        self.rows = rows
        fill_items(self.table, rows, COLUMNS)
        today = local_today()
        due = sum(1 for r in rows if r.look_back_on is not None and r.look_back_on <= today)
        self.count.setText(tr("rect_ui.look_back_count", count=len(rows), due=due))
        for r, row in enumerate(rows):
            if row.look_back_on is not None and row.look_back_on <= today:
                cell = self.table.item(r, 0)
                cell.setText(tr("rect_ui.look_back_due", day=row.look_back_on.isoformat()))
        self.table.resizeColumnsToContents()
        if rows and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._enable()

    @if_alive
    def _changed(self, changes: object) -> None:
        if getattr(changes, "touches", lambda _t: True)("rectification_item"):
            self.refresh()

    def _enable(self) -> None:
        selected = 0 <= self.table.currentRow() < len(self.rows)
        for button in self.buttons.values():
            button.setEnabled(selected)

    def open_action(self, action: str) -> ActionDialog | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            return None
        dialog = ActionDialog(self.ctx, self.rows[row].id, action, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
