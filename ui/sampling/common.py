"""Small parts the sampling tabs share: a grid of fields with their messages, Enter moving from
field to field, number formatting."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ui.widgets.field_form import FieldMessages
from ui.widgets.messages import ERROR_STYLE, MessageLabel


GRID_SPACING = 8


def fmt(value: object, digits: int = 3) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1e-3 and value else f"{round(value, digits):g}"
    return str(value)


class FieldGrid(QWidget):
    """Fields in ``columns`` columns, each with its message under it; Enter in a line edit moves
    to the next field, Enter in the last one calls ``on_last``."""

    def __init__(self, fields: Sequence[tuple[str, str, QWidget]], columns: int = 3,
                 on_last: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.widgets = {name: w for name, _label, w in fields}
        self.messages = FieldMessages([name for name, _l, _w in fields])
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(GRID_SPACING)
        self.grid.setVerticalSpacing(2)
        self.most_columns, self.columns = columns, 0
        self.cells: list[tuple[QLabel, QWidget]] = []
        for name, label, widget in fields:
            buddy = QLabel(label)
            buddy.setBuddy(widget)
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(0)
            box.addWidget(widget)
            box.addWidget(self.messages[name])
            self.cells.append((buddy, cell))
        self._place(columns)
        order = [w for _n, _l, w in fields]
        for i, widget in enumerate(order):
            nxt = order[i + 1] if i + 1 < len(order) else None
            if isinstance(widget, QLineEdit):
                widget.returnPressed.connect(
                    (lambda n=nxt: n.setFocus()) if nxt is not None else (on_last or (lambda: None)))
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, m=self.messages[_name(fields, i)]: m.hide())

    # -- columns: as many as the width allows (a small screen, English labels) ----------------
    def _place(self, columns: int) -> None:
        """Fill the grid column by column (the order of the fields and of Tab)."""
        if columns == self.columns:
            return
        while self.grid.count():
            self.grid.takeAt(0)
        for col in range(self.grid.columnCount()):
            self.grid.setColumnStretch(col, 0)
        per = (len(self.cells) + columns - 1) // columns
        for i, (buddy, cell) in enumerate(self.cells):
            col, row = divmod(i, per)
            self.grid.addWidget(buddy, row, col * 2)
            self.grid.addWidget(cell, row, col * 2 + 1)
            self.grid.setColumnStretch(col * 2 + 1, 1)
        self.columns = columns

    def _width_for(self, columns: int, *, preferred: bool) -> int:
        """The width of ``columns`` columns: fields at their preferred or their least width."""
        def width(w: QWidget) -> int:
            return (w.sizeHint() if preferred else w.minimumSizeHint()).width()

        per = (len(self.cells) + columns - 1) // columns
        chunks = [self.cells[i:i + per] for i in range(0, len(self.cells), per)]
        return sum(max(b.sizeHint().width() for b, _c in chunk)
                   + max(width(c) for _b, c in chunk)
                   for chunk in chunks) + GRID_SPACING * (2 * len(chunks) - 1)

    def minimumSizeHint(self) -> QSize:
        """As narrow as one column; wider windows get more columns."""
        return QSize(self._width_for(1, preferred=False), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = event.size().width()
        self._place(next((c for c in range(self.most_columns, 1, -1)
                          if self._width_for(c, preferred=True) <= width), 1))
        super().resizeEvent(event)

    def show_error(self, exc: BaseException, general: MessageLabel) -> bool:
        """Show a ValidationError next to its fields (True), else nothing (False)."""
        if not isinstance(exc, ValidationError):
            return False
        problems: list[FieldProblem] = [
            FieldProblem(p.field.split(".")[-1] if p.field.split(".")[-1] in self.messages
                         else p.field, p.code, p.message, p.overridable) for p in exc.problems]
        _by_field, rest = self.messages.show_problems(problems)
        general.show_messages(rest or [tr("smp_ui.fix_fields")], ERROR_STYLE)
        first = self.messages.first(_by_field)
        if first is not None:
            self.widgets[first].setFocus()
        return True


def _name(fields: Sequence[tuple[str, str, QWidget]], i: int) -> str:
    return fields[i][0]


def text(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    if isinstance(widget, QCheckBox):
        return "1" if widget.isChecked() else ""
    return ""


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[object]],
               ids: Sequence[str] | None = None) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(fmt(value))
            if ids is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def number_text(number: str, amends: str) -> str:
    """A task number, and the signed task it corrects when it is an amendment (issue 7)."""
    return tr("smp_ui.amends", task=number, number=amends) if amends else number


def read_table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setStretchLastSection(True)
    return table
