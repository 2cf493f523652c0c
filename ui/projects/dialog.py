"""One project: its fields (first tab) and its four stages in order (one tab each)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.project_queries import ProjectDetail
from ohinspect.store.changes import Changes
from ui.context import AppContext
from ui.projects import choices
from ui.projects.project_form import ProjectForm
from ui.projects.queries import ProjectState, load_detail, load_project_state
from ui.projects.stage_form import StageForm
from ui.tasks import if_alive
from ui.widgets.dialogs import DiscardDraftMixin, fit_to_screen

#: the record types whose changes can alter what an open project dialog shows
WATCHED = ("project", "project_stage", "attachment", "inspection")


class ProjectDialog(DiscardDraftMixin, QDialog):
    """``sig_saved(project_id)`` after the project was created or changed;
    ``sig_start_verification(project_id, stage)`` when a stage's "start verification" is
    pressed (the dialog then closes, everything on it saved)."""

    sig_saved = Signal(str)
    sig_start_verification = Signal(str, str)

    def __init__(self, ctx: AppContext, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("project_dialog")
        self.ctx = ctx
        self.state = state
        self.discard_box = None
        self._reload_seq = 0
        self.project_form = ProjectForm(ctx)
        self.stage_forms: dict[str, StageForm] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("project_tabs")
        self.tabs.addTab(self.project_form, tr("prj_ui.tab.project"))
        for stage in choices.stages():
            form = StageForm(ctx, stage)
            self.stage_forms[stage.code] = form
            self.tabs.addTab(form, tr("prj_ui.tab.stage", order=stage.order,
                                      name=choices.stage_name(stage.code)))
            form.sig_saved.connect(lambda _code: self.reload())
            form.sig_start_verification.connect(self._start_verification)
            form.attachments.sig_added.connect(lambda _id: self.reload())
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(tr("prj_ui.dialog.close"),
                                              QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.project_form.sig_saved.connect(self._project_saved)
        ctx.sig_changed.connect(self._on_changes)
        self._show_state(state)
        fit_to_screen(self, 1120, 660)

    # -- state -----------------------------------------------------------------------------
    def project_id(self) -> str | None:
        return self.state.project_id

    @if_alive
    def _show_state(self, state: ProjectState) -> None:
        self.state = state
        detail = state.detail
        self.setWindowTitle(tr("prj_ui.dialog.title_edit", name=detail.project.name)
                            if detail is not None else tr("prj_ui.dialog.title_new"))
        self.project_form.load(state)
        for code, form in self.stage_forms.items():
            if detail is not None:
                form.load(detail, state.stage_drafts.get(code))
            else:
                form.set_enabled_for(None)
            index = self.tabs.indexOf(form)
            self.tabs.setTabEnabled(index, detail is not None)
            self.tabs.setTabToolTip(index, "" if detail is not None
                                    else tr("prj_ui.tab.save_project_first"))
        self._update_tab_marks()

    def _update_tab_marks(self) -> None:
        """Each stage tab says whether the stage is completed and whether it was verified."""
        detail = self.state.detail
        for stage in choices.stages():
            form = self.stage_forms[stage.code]
            rec = detail.stages.get(stage.code) if detail is not None else None
            mark = ""
            if form.verified():
                mark = tr("prj_ui.tab.mark_verified")
            elif rec is not None and rec.completed_on:
                mark = tr("prj_ui.tab.mark_completed")
            elif rec is not None and rec.started_on:
                mark = tr("prj_ui.tab.mark_started")
            self.tabs.setTabText(self.tabs.indexOf(form), tr(
                "prj_ui.tab.stage", order=stage.order, name=choices.stage_name(stage.code)) + mark)

    def _project_saved(self, project_id: str) -> None:
        self.sig_saved.emit(project_id)
        if self.state.project_id is None:
            # a new project: open it as stored, so its stages can be entered
            self.ctx.runner.run(load_project_state, self.ctx.store, project_id,
                                tuple(self.stage_forms), on_done=self._show_state)
        else:
            self.reload()

    def reload(self) -> None:
        """Read the project again; forms with unsaved input keep it (only the stored facts
        around them change), the others show what is stored now."""
        pid = self.state.project_id
        if pid is None:
            return
        self._reload_seq += 1
        seq = self._reload_seq
        self.ctx.runner.run(load_detail, self.ctx.store, pid,
                            on_done=lambda d: self._reloaded(seq, d))

    @if_alive
    def _reloaded(self, seq: int, detail: ProjectDetail) -> None:
        if seq != self._reload_seq:
            return
        self.state = ProjectState(detail.project.id, detail, None)
        self.setWindowTitle(tr("prj_ui.dialog.title_edit", name=detail.project.name))
        if not self.project_form.has_unsaved() and not self.project_form.saving:
            self.project_form.load(self.state)
        for form in self.stage_forms.values():
            if form.saving:
                continue
            if form.has_unsaved():
                form.refresh_detail(detail)
            else:
                form.load(detail, None)
        self._update_tab_marks()

    def _on_changes(self, changes: Changes) -> None:
        pid = self.state.project_id
        if pid is None or not any(changes.touches(t) for t in WATCHED):
            return
        if self.project_form.saving or any(f.saving or f.attachments.adding
                                           for f in self.stage_forms.values()):
            return  # the form's own callback reloads
        self.reload()

    def show_stage(self, stage: str) -> None:
        self.tabs.setCurrentWidget(self.stage_forms[stage])

    # -- verification ----------------------------------------------------------------------
    def _start_verification(self, project_id: str, stage: str) -> None:
        self.sig_start_verification.emit(project_id, stage)
        self._close_quietly()

    # -- closing ---------------------------------------------------------------------------
    def _forms(self) -> list[ProjectForm | StageForm]:
        return [self.project_form, *self.stage_forms.values()]

    def _close_quietly(self) -> None:
        for form in self._forms():
            if form.autosave is not None:
                form.autosave.flush()   # keep whatever was typed as a draft
                form.autosave.pause()
        self._disconnect()
        super().reject()

    def _disconnect(self) -> None:
        try:
            self.ctx.sig_changed.disconnect(self._on_changes)
        except (RuntimeError, TypeError):
            pass

    def reject(self) -> None:
        forms = self._forms()
        if any(f.saving for f in forms):
            return
        for f in forms:
            if f.autosave is not None:
                f.autosave.timer.stop()
        if not any(f.has_unsaved() for f in forms):
            for f in forms:
                if f.autosave is not None:
                    f.autosave.pause()
            self._disconnect()
            super().reject()
            return
        self.ask_discard_draft("prj_ui.dialog.discard_title", "prj_ui.dialog.discard_question")

    def _discard_draft(self) -> None:
        for f in self._forms():
            if f.autosave is not None and f.has_unsaved():
                f.autosave.discard()
            elif f.autosave is not None:
                f.autosave.pause()
        self._disconnect()
        super().reject()

    def _keep_draft(self) -> None:
        self._close_quietly()
