"""The 三同时 projects area: the filterable project list (first tab) and verification coverage
with the 双随机 draw (second tab, :class:`ui.coverage.page.CoveragePage`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.project_queries import ProjectFilter, ProjectRow, list_projects
from ohinspect.store.changes import Changes
from ui.context import AppContext
from ui.coverage.page import CoveragePage
from ui.projects.choices import stage_choices, stages
from ui.projects.dialog import WATCHED, ProjectDialog
from ui.projects.filter_bar import ProjectFilterBar
from ui.projects.queries import ProjectState, load_project_state
from ui.projects.table_model import STAGE_COLUMN, VERIFIED_COLUMN, ProjectTableModel
from ui.tasks import if_alive
from ui.widgets.record_page import RecordListMixin, record_table_view, size_columns
from ui.widgets.shortcuts import shortcut_hint

COLUMN_WIDTHS = (260, 230, 170, 70, 110, 110)  # the name column stretches


class ProjectListPanel(RecordListMixin, QWidget):
    """Filter bar, actions, the list; opens a :class:`ProjectDialog` per project."""

    sig_list_updated = Signal(int)
    sig_start_verification = Signal(str, str)
    filter_bar: ProjectFilterBar
    model: ProjectTableModel

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_list(ctx, ProjectFilterBar(), ProjectTableModel(self), "prj_count")
        self.empty_label = QLabel(tr("prj_ui.empty"))
        self.empty_label.setObjectName("prj_empty")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        new_keys = QKeySequence(QKeySequence.StandardKey.New)
        self.new_action = QAction(tr("prj_ui.action.new"), self)
        self.new_action.setShortcut(new_keys)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.setToolTip(shortcut_hint(new_keys))
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

        self._lay_out_list((self.new_button, self.open_button), self.empty_label)

        self.filter_bar.sig_filter_changed.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_actions())
        self.view.activated.connect(lambda index: self.open_project(self.model.id_at(index.row())))
        ctx.sig_changed.connect(self._on_changes)
        self._update_actions()
        self.refresh()

    @property
    def dialog(self) -> ProjectDialog | None:
        return self.editor_dialog  # type: ignore[return-value]

    def _make_view(self) -> QTableView:
        view = record_table_view(self.model, "prj_table")
        longest_stage = max(view.fontMetrics().horizontalAdvance(name)
                            for _code, name in stage_choices()) + 16
        # a stage name is never cut off
        size_columns(view, [max(width, longest_stage) if column in (STAGE_COLUMN, VERIFIED_COLUMN)
                            else width for column, width in enumerate(COLUMN_WIDTHS)])
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
        if self._raise_editor():
            return
        codes = tuple(s.code for s in stages())
        self.ctx.runner.run(load_project_state, self.ctx.store, project_id, codes,
                            on_done=lambda state: self._show_dialog(state, stage))

    @if_alive
    def _show_dialog(self, state: ProjectState, stage: str | None) -> None:
        if self.editor_dialog is not None:
            return
        dialog = ProjectDialog(self.ctx, state, self)
        dialog.sig_start_verification.connect(self.sig_start_verification)
        if stage is not None:
            dialog.show_stage(stage)
        self._open_editor_dialog(dialog)


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
