"""整改项: the filtered item list (overdue rows stand out by icon, text and colour) and the
selected item's detail — its fields, the history of its events and the actions its status
allows (each opens :class:`~ui.rectification.action_dialog.ActionDialog`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification_queries import ItemFilter, ItemRow, search_items
from ohinspect.services.rectification_rules import load_rectification_rules
from ui.context import AppContext
from ui.rectification.action_dialog import ActionDialog
from ui.rectification.detail import detail_html, status_text
from ui.rectification.queries import MAX_ROWS, ItemDetail, item_detail
from ui.sampling.common import read_table
from ui.tasks import if_alive

OVERDUE_BACKGROUND = QColor("#fde0dc")
COLUMNS = ("status", "deadline", "enterprise", "division", "source", "finding", "owner")


def fill_items(table: QTableWidget, rows: list[ItemRow], columns: tuple[str, ...] = COLUMNS
               ) -> None:
    """Rows of items; the overdue ones with a warning icon, their days and a red background."""
    table.clear()
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels([tr(f"rect_ui.col.{c}") for c in columns])
    table.setRowCount(len(rows))
    warn = table.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    for r, row in enumerate(rows):
        values = {"status": status_text(row), "deadline": row.deadline.isoformat(),
                  "enterprise": row.enterprise_name, "division": row.division_code,
                  "source": tr(f"rectification.source.{row.source_type}"),
                  "finding": row.finding, "owner": row.owner,
                  "look_back_on": row.look_back_on.isoformat() if row.look_back_on else "",
                  "closed_by": row.closed_by}
        for c, key in enumerate(columns):
            item = QTableWidgetItem(values[key])
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if row.overdue:
                    item.setIcon(warn)
            if row.overdue:
                item.setBackground(QBrush(OVERDUE_BACKGROUND))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class ItemsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[ItemRow] = []
        self.detail: ItemDetail | None = None
        rules = load_rectification_rules()
        self.status = QComboBox()
        self.status.addItem(tr("rect_ui.filter.any_status"), "")
        for s in rules.states:
            self.status.addItem(tr(f"rectification.status.{s}"), s)
        self.overdue_only = QCheckBox(tr("rect_ui.filter.overdue_only"))
        self.source = QComboBox()
        self.source.addItem(tr("rect_ui.filter.any_source"), "")
        for s in rules.sources:
            self.source.addItem(tr(f"rectification.source.{s}"), s)
        self.jurisdiction = QLineEdit(ctx.settings.jurisdiction)
        self.jurisdiction.setPlaceholderText(tr("rect_ui.filter.jurisdiction"))
        self.jurisdiction.setMaximumWidth(120)
        self.text = QLineEdit()
        self.text.setPlaceholderText(tr("rect_ui.filter.text"))
        self.text.setClearButtonEnabled(True)
        for combo in (self.status, self.source):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.text.setMinimumWidth(140)
        self.overdue_only.toggled.connect(lambda _c: self.refresh())
        for line in (self.jurisdiction, self.text):
            line.returnPressed.connect(self.refresh)
        bar = QHBoxLayout()
        for w in (self.status, self.overdue_only, self.source, self.jurisdiction, self.text):
            bar.addWidget(w)
        self.count = QLabel()
        bar.addWidget(self.count)
        self.table = read_table()
        self.table.setObjectName("rect_items")
        self.table.itemSelectionChanged.connect(self._selected)
        self.info = QTextBrowser()
        self.info.setObjectName("rect_item_detail")
        self.actions = QHBoxLayout()
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.info, 1)
        side.addLayout(self.actions)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.action_buttons: dict[str, QPushButton] = {}
        ctx.sig_changed.connect(self._changed)
        self.refresh()

    def item_filter(self) -> ItemFilter:
        return ItemFilter(status=str(self.status.currentData() or ""),
                          overdue_only=self.overdue_only.isChecked(),
                          source=str(self.source.currentData() or ""),
                          jurisdiction=self.jurisdiction.text().strip(),
                          text=self.text.text().strip())

    def refresh(self) -> None:
        self.ctx.read(search_items, self.item_filter(), local_today(), limit=MAX_ROWS,
                      on_done=self._rows)

    @if_alive
    def _rows(self, result: tuple[list[ItemRow], int]) -> None:
        selected = self.detail.row.id if self.detail is not None else None
        self.rows, total = result
        fill_items(self.table, self.rows)
        self.count.setText(tr("rect_ui.count", shown=len(self.rows), total=total))
        ids = [r.id for r in self.rows]
        if selected in ids:
            self.table.selectRow(ids.index(selected))
        elif self.rows:
            self.table.selectRow(0)
        else:
            self.show_detail(None)

    @if_alive
    def _changed(self, changes: object) -> None:
        if getattr(changes, "touches", lambda _t: True)("rectification_item"):
            self.refresh()

    def _selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.ctx.read(item_detail, self.rows[row].id, local_today(), on_done=self.show_detail)

    @if_alive
    def show_detail(self, detail: ItemDetail | None) -> None:
        self.detail = detail
        self.info.setHtml(detail_html(detail) if detail is not None else "")
        for button in self.action_buttons.values():
            self.actions.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for action in detail.actions if detail is not None else []:
            button = QPushButton(tr(f"rectification.action.{action}"))
            button.setObjectName(f"rect_action_{action}")
            button.clicked.connect(lambda _c=False, a=action: self.open_action(a))
            self.actions.addWidget(button)
            self.action_buttons[action] = button

    def open_action(self, action: str) -> ActionDialog | None:
        if self.detail is None:
            return None
        dialog = ActionDialog(self.ctx, self.detail.row.id, action,
                              retest_choices=self.detail.retest_choices, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
