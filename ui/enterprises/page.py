"""The enterprise registry page: filter bar, lazy table, actions, editor."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableView, QWidget

from ohinspect.i18n import tr
from ohinspect.services.enterprise_queries import EnterpriseRow, fetch_rows, search_ids
from ohinspect.services.enterprises import RECORD, delete_enterprise, restore_enterprise
from ohinspect.store.changes import Changes
from ui.context import AppContext
from ui.enterprises.filter_bar import FilterBar
from ui.enterprises.form import EnterpriseEditor
from ui.enterprises.queries import EditorState, load_editor_state
from ui.enterprises.table_model import EnterpriseTableModel
from ui.widgets.record_page import RecordListMixin, record_table_view, size_columns
from ui.widgets.shortcuts import shortcut_text

COLUMN_WIDTHS = (230, 165, 170, 150, 70, 100, 70, 115)  # the name column stretches


class EnterprisesPage(RecordListMixin, QWidget):
    sig_list_updated = Signal(int)  # rows shown after a search or refresh
    filter_bar: FilterBar
    model: EnterpriseTableModel

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_list(ctx, FilterBar(), EnterpriseTableModel(self._fetch, self), "ent_count")
        self._make_actions()

        buttons = []
        for action in (self.new_action, self.edit_action, self.delete_action, self.restore_action):
            button = QPushButton(action.text())
            button.setToolTip(action.toolTip())
            button.setObjectName(f"btn_{action.objectName()}")
            button.setEnabled(action.isEnabled())
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            buttons.append(button)
        self._lay_out_list(buttons)

        self.filter_bar.sig_filter_changed.connect(lambda: self.refresh(keep_position=False))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_actions())
        self.view.activated.connect(lambda index: self.open_editor(self.model.id_at(index.row())))
        ctx.sig_changed.connect(self._on_changes)
        self.refresh(keep_position=False)

    @property
    def editor(self) -> EnterpriseEditor | None:
        return self.editor_dialog  # type: ignore[return-value]

    def _make_view(self) -> QTableView:
        view = record_table_view(self.model, "ent_table")
        view.setSortingEnabled(False)  # the query orders by name; no proxy over 100k rows
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        size_columns(view, COLUMN_WIDTHS)
        return view

    def _make_actions(self) -> None:
        def action(name: str, key: str, shortcut: Sequence[QKeySequence], slot: object,
                   on: QWidget, hint: str) -> QAction:
            a = QAction(tr(key), on)
            a.setObjectName(name)
            a.setShortcuts(list(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.setToolTip(tr("ent_ui.shortcut_hint", keys=hint) if hint else tr(key))
            a.triggered.connect(slot)  # type: ignore[arg-type]
            on.addAction(a)
            return a

        new_keys = QKeySequence(QKeySequence.StandardKey.New)
        self.new_action = action("new", "ent_ui.action.new", [new_keys],
                                 lambda: self.open_editor(None), self, shortcut_text(new_keys))
        # Enter on the table arrives as QTableView.activated; the action is for the button
        self.edit_action = action("edit", "ent_ui.action.edit", [],
                                  lambda: self.open_editor(self.current_id()), self,
                                  shortcut_text(QKeySequence(Qt.Key.Key_Return)))
        delete_keys = QKeySequence(QKeySequence.StandardKey.Delete)
        self.delete_action = action("delete", "ent_ui.action.delete", [delete_keys],
                                    self.delete_current, self.view, shortcut_text(delete_keys))
        self.restore_action = action("restore", "ent_ui.action.restore", [],
                                     self.restore_current, self.view, "")
        self._update_actions()

    # -- list ------------------------------------------------------------------------------
    def _fetch(self, ids: Sequence[str]) -> list[EnterpriseRow]:
        with self.ctx.store.read() as session:
            return fetch_rows(session, ids)

    def refresh(self, *, keep_position: bool = True) -> None:
        """Search again; results of an older search that arrive late are dropped."""
        self._seq += 1
        seq = self._seq
        self.ctx.read(search_ids, self.filter_bar.current_filter(),
                      on_done=lambda ids: self._show_ids(seq, ids, keep_position))

    def _show_ids(self, seq: int, ids: list[str], keep_position: bool) -> None:
        if seq != self._seq:
            return
        pending, self._pending_select = self._pending_select, None
        keep_id = pending or self.current_id()  # a new filter keeps the row if it still matches
        old_row = self.view.currentIndex().row()
        scroll = self.view.verticalScrollBar().value()
        self.model.set_ids(ids)
        self.count_label.setText(tr("ent_ui.count", count=len(ids)))
        if keep_position:
            self.view.verticalScrollBar().setValue(scroll)
        row = self.model.row_of(keep_id) if keep_id else -1
        if row < 0 and keep_position and old_row >= 0 and ids:
            row = min(old_row, len(ids) - 1)  # the selected row went away: its neighbour
        if row >= 0:
            self.select_row(row, scroll_to=not keep_position or pending is not None)
        elif not keep_position:
            self.view.scrollToTop()
        self._update_actions()
        self.sig_list_updated.emit(len(ids))

    def _current_deleted(self) -> bool | None:
        rid = self.current_id()
        if rid is None:
            return None
        row = self.model.record(self.view.currentIndex().row())
        return bool(row and row.deleted)

    def _update_actions(self) -> None:
        deleted = self._current_deleted()
        self.edit_action.setEnabled(deleted is False)
        self.delete_action.setEnabled(deleted is False)
        self.restore_action.setEnabled(deleted is True)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(RECORD):
            if len(changes.record_ids) == 1:  # an edit, a restore, an undo: follow that row
                self._pending_select = next(iter(changes.record_ids))
            self.refresh(keep_position=True)

    # -- actions ---------------------------------------------------------------------------
    def open_editor(self, record_id: str | None) -> None:
        if not self._raise_editor():
            self.ctx.runner.run(load_editor_state, self.ctx.store, record_id,
                                on_done=self._show_editor)

    def _show_editor(self, state: EditorState) -> None:
        if self.editor_dialog is None:
            self._open_editor_dialog(EnterpriseEditor(self.ctx, state, self))

    def delete_current(self) -> None:
        rid = self.current_id()
        if rid is not None and self._current_deleted() is False:
            self.ctx.perform(delete_enterprise, rid)

    def restore_current(self) -> None:
        rid = self.current_id()
        if rid is not None and self._current_deleted():
            self.ctx.perform(restore_enterprise, rid)
