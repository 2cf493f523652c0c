"""What the list screens share: the table view over a record model, following the chosen row,
and opening one editor dialog at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.widgets.table_model import IdListTableModel


def record_table_view(model: IdListTableModel, name: str) -> QTableView:
    """Whole rows, one at a time, read-only, uniform row heights (O(1) layout)."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform heights: O(1) layout
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    rows.hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    return view


def size_columns(view: QTableView, widths: Sequence[int]) -> None:
    """Each column ``widths[i]`` wide, the first one stretching."""
    header = view.horizontalHeader()
    for column, width in enumerate(widths[:view.model().columnCount()]):
        # never narrower than the header text (English headers are longer); header only,
        # never the rows' contents (that would read all 100,000 rows)
        header.resizeSection(column, max(width, header.sectionSizeHint(column)))
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(50)


class RecordListMixin:
    """For a list page with ``view`` over ``model`` and ``_pending_select`` (a record to select
    once the running refresh shows it). ``editor_dialog`` is the one open editor: asking for
    another brings it to the front."""

    view: QTableView
    model: IdListTableModel
    _pending_select: str | None
    editor_dialog: QDialog | None = None

    def _init_list(self, ctx: AppContext, filter_bar: QWidget, model: IdListTableModel,
                   count_name: str) -> None:
        """The page's state, ``filter_bar``, ``model``, its view and the count of rows."""
        self.ctx = ctx
        self.editor_dialog = None
        self._seq = 0               # the latest search: results of older ones are dropped
        self._pending_select = None
        self.filter_bar = filter_bar
        self.model = model
        self.view = self._make_view()
        self.count_label = QLabel()
        self.count_label.setObjectName(count_name)

    def _make_view(self) -> QTableView:
        raise NotImplementedError

    def _lay_out_list(self, buttons: Iterable[QWidget], *below: QWidget) -> None:
        """The filter bar; the buttons with the count at the right; the list; ``below``."""
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.count_label)
        layout = QVBoxLayout(self)  # type: ignore[arg-type]
        layout.addWidget(self.filter_bar)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        for widget in below:
            layout.addWidget(widget)

    def select_row(self, row: int, *, scroll_to: bool = True) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        if scroll_to:
            self.view.scrollTo(index)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _select_saved(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row >= 0:
            self.select_row(row)
        else:
            self._pending_select = record_id  # the refresh is still running

    # -- one editor at a time --------------------------------------------------------------
    def _raise_editor(self) -> bool:
        """Bring the open editor to the front; False when none is open."""
        if self.editor_dialog is None:
            return False
        self.editor_dialog.raise_()
        self.editor_dialog.activateWindow()
        return True

    def _open_editor_dialog(self, dialog: QDialog) -> None:
        """Show ``dialog`` (it has ``sig_saved(record_id)``): the saved record is selected."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(self._select_saved)  # type: ignore[attr-defined]
        dialog.finished.connect(self._editor_closed)
        self.editor_dialog = dialog
        dialog.open()

    def _editor_closed(self, _result: int) -> None:
        self.editor_dialog = None
        self.view.setFocus()
