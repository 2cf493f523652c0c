"""The 三同时 projects area: the filterable project list (first tab) and verification coverage
with the 双随机 draw (second tab, :class:`ui.coverage.page.CoveragePage`)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QTabWidget, QVBoxLayout, QWidget)

from ohinspect.i18n import tr
from ohinspect.services.project_queries import ProjectFilter, ProjectRow, list_projects
from ohinspect.store.changes import Changes
from ui.context import AppContext
from ui.coverage.page import CoveragePage
from ui.projects.dialog import WATCHED, ProjectDialog
from ui.projects.filter_bar import ProjectFilterBar
from ui.projects.queries import ProjectState, load_project_state
from ui.projects.choices import stage_choices, stages
from ui.projects.table_model import COLUMNS, STAGE_COLUMN, VERIFIED_COLUMN, ProjectTableModel
from ui.projects.widgets import if_alive

COLUMN_WIDTHS = (260, 230, 170, 70, 110, 110)  # the name column stretches


class ProjectListPanel(QWidget):
    """Filter bar, actions, the list; opens a :class:`ProjectDialog` per project."""

    sig_list_updated = Signal(int)
    sig_start_verification = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: ProjectDialog | None = None
        self._seq = 0
        self._pending_select: str | None = None
        self.filter_bar = ProjectFilterBar()
        self.model = ProjectTableModel(self)
        self.view = self._make_view()
        self.count_label = QLabel()
        self.count_label.setObjectName("prj_count")
        self.empty_label = QLabel(tr("prj_ui.empty"))
        self.empty_label.setObjectName("prj_empty")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        new_keys = QKeySequence(QKeySequence.StandardKey.New)
        self.new_action = QAction(tr("prj_ui.action.new"), self)
        self.new_action.setShortcut(new_keys)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.setToolTip(tr("ent_ui.shortcut_hint", keys=new_keys.toString(
            QKeySequence.SequenceFormat.NativeText)))
        self.new_action.triggered.connect(lambda: self.open_project(None))
        self.addAction(self.new_action)
        self.open_action = QAction(tr("prj_ui.action.open"), self)
        self.open_action.triggered.connect(lambda: self.open_project(self.current_id()))
        self.new_button = QPushButton(self.new_action.text())
        self.new_button.setObjectName("btn_new_project")
        self.new_button.setToolTip(self.new_action.toolTip())
        self.new_button.clicked.connect(self.new_action.trigger)
        self.open_button = QPushButton(self.open_action.text())
        self.open_button.setObjectName("btn_open_project")
        self.open_button.clicked.connect(self.open_action.trigger)
        for b in (self.new_button, self.open_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)

        self.filter_bar.sig_filter_changed.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_actions())
        self.view.activated.connect(lambda index: self.open_project(self.model.id_at(index.row())))
        ctx.sig_changed.connect(self._on_changes)
        self._update_actions()
        self.refresh()

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("prj_table")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
        rows.hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        longest_stage = max(view.fontMetrics().horizontalAdvance(name)
                            for _code, name in stage_choices()) + 16
        for column, width in enumerate(COLUMN_WIDTHS[:len(COLUMNS)]):
            if column in (STAGE_COLUMN, VERIFIED_COLUMN):
                width = max(width, longest_stage)   # a stage name is never cut off
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(50)
        return view

    # -- list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Search again; results of an older search that arrive late are dropped."""
        self._seq += 1
        seq = self._seq
        self.ctx.read(list_projects, self.filter_bar.current_filter(),
                      on_done=lambda rows: self._show_rows(seq, rows))

    @if_alive
    def _show_rows(self, seq: int, rows: list[ProjectRow]) -> None:
        if seq != self._seq:
            return
        pending, self._pending_select = self._pending_select, None
        keep_id = pending or self.current_id()
        self.model.set_rows(rows)
        self.count_label.setText(tr("prj_ui.count", count=len(rows)))
        unfiltered = self.filter_bar.current_filter() == ProjectFilter()
        self.empty_label.setVisible(not rows and unfiltered)
        row = self.model.row_of(keep_id) if keep_id else -1
        if row >= 0:
            self.select_row(row)
        self._update_actions()
        self.sig_list_updated.emit(len(rows))

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def shown_names(self) -> list[str]:
        return [r.name for r in self.model.rows()]

    def _update_actions(self) -> None:
        enabled = self.current_id() is not None
        self.open_action.setEnabled(enabled)
        self.open_button.setEnabled(enabled)

    def _on_changes(self, changes: Changes) -> None:
        if any(changes.touches(t) for t in WATCHED) or changes.touches("enterprise"):
            self.refresh()

    # -- the project dialog ----------------------------------------------------------------
    def open_project(self, project_id: str | None, stage: str | None = None) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        codes = tuple(s.code for s in stages())
        self.ctx.runner.run(load_project_state, self.ctx.store, project_id, codes,
                            on_done=lambda state: self._show_dialog(state, stage))

    @if_alive
    def _show_dialog(self, state: ProjectState, stage: str | None) -> None:
        if self.dialog is not None:
            return
        dialog = ProjectDialog(self.ctx, state, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(self._select_saved)
        dialog.sig_start_verification.connect(self.sig_start_verification)
        dialog.finished.connect(self._dialog_closed)
        if stage is not None:
            dialog.show_stage(stage)
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None
        self.view.setFocus()

    def _select_saved(self, project_id: str) -> None:
        row = self.model.row_of(project_id)
        if row >= 0:
            self.select_row(row)
        else:
            self._pending_select = project_id  # the refresh is still running


class ProjectsPage(QWidget):
    """The "三同时项目" area. ``sig_start_verification(project_id, stage)`` asks for the
    verification flow of a stage (connect it to ``ui/verification``)."""

    sig_start_verification = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list_panel = ProjectListPanel(ctx)
        self.coverage = CoveragePage(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("projects_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.list_panel, tr("prj_ui.tab.list"))
        self.tabs.addTab(self.coverage, tr("prj_ui.tab.coverage"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.list_panel.sig_start_verification.connect(self.sig_start_verification)
        self.coverage.sig_open_project.connect(self.show_project)

    # shortcuts for the lead's wiring and for tests
    @property
    def filter_bar(self) -> ProjectFilterBar:
        return self.list_panel.filter_bar

    @property
    def model(self) -> ProjectTableModel:
        return self.list_panel.model

    @property
    def dialog(self) -> ProjectDialog | None:
        return self.list_panel.dialog

    def show_project(self, project_id: str, stage: str = "") -> None:
        """Open one project (e.g. from a drawn list or after a verification)."""
        self.tabs.setCurrentWidget(self.list_panel)
        self.list_panel.open_project(project_id, stage or None)
