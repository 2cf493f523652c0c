"""One stage of a project (预评价 / 防护设施设计 / 控制效果评价 / 竣工验收): dates, institution,
reviewers, publication (公示), facts, notes and its documents; problems next to their fields;
drafts autosaved per stage (form ``project_stage.<stage>``, key = project id)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ohinspect.checklists.stages import Stage
from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ohinspect.services.project_queries import ProjectDetail
from ohinspect.services.projects import save_stage
from ohinspect.store.changes import OpResult
from ohinspect.store.models import Attachment, ProjectStage
from ui.context import AppContext
from ui.projects import choices
from ui.projects.attachments import AttachmentList
from ui.projects.queries import stage_form, stage_values
from ui.projects.stage_fields import (
    FORM_ORDER,
    TRIAL_RUN_STAGE,
    StageFields,
    parse_date,
)
from ui.projects.widgets import DateField
from ui.tasks import if_alive
from ui.widgets.draft_form import DraftFormMixin
from ui.widgets.field_form import (
    FieldMessages,
    add_field_row,
    field_form_layout,
    group_box,
    scroll_column,
    show_summary,
    watch_field,
)
from ui.widgets.messages import NOTE_STYLE, OK_STYLE, WARNING_STYLE, MessageLabel

STAGE_OWNER = ProjectStage.__record_type__


class StageForm(DraftFormMixin, QWidget):
    """``sig_saved(stage)`` after a save; ``sig_start_verification(project_id, stage)`` when the
    user asks to verify this stage (saved first if it has unsaved input)."""

    sig_saved = Signal(str)
    sig_start_verification = Signal(str, str)
    REASON_FIELD = "out_of_order_reason"

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"stage_form_{stage.code}")
        self.ctx, self.stage = ctx, stage
        self.project_id: str | None = None
        self.detail: ProjectDetail | None = None
        self.saving = False
        self._start_after_save = False
        self.autosave = None
        self.f = StageFields(stage.code)
        self.errors = FieldMessages((*FORM_ORDER, "reviewers"))
        self.cells: dict[str, QWidget] = {}
        self.status = QLabel()
        self.status.setObjectName("stage_status")
        self.status.setWordWrap(True)
        self.note = MessageLabel()
        self.order_hint = MessageLabel()
        self.summary = MessageLabel()
        self.attachments = AttachmentList(ctx, self._owner)
        self._build()
        self._connect()
        self.set_enabled_for(None)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.form_layout = form = field_form_layout()
        for name in FORM_ORDER:
            hint = self.order_hint if name == self.REASON_FIELD else None
            self.cells[name] = add_field_row(form, tr(f"prj_ui.stage.{name}"),
                                             self.f.widget(name), self.errors[name], above=hint)
        form.setRowVisible(self.cells["facts"], self.stage.code == TRIAL_RUN_STAGE)

        reviewers = group_box(tr("prj_ui.stage.reviewers"), self.f.reviewers,
                              self.errors["reviewers"], stretch=1)
        documents = group_box(tr("prj_ui.stage.documents"), self.attachments)
        right = QVBoxLayout()
        right.addWidget(reviewers, 2)
        right.addWidget(documents, 3)

        body = QHBoxLayout()
        body.addWidget(scroll_column(form), 3)
        body.addLayout(right, 2)
        self.save_button = QPushButton(tr("prj_ui.stage.save"))
        self.save_button.setObjectName("btn_save_stage")
        self.save_button.setAutoDefault(False)
        self.start_button = QPushButton(tr("prj_ui.stage.start_verification"))
        self.start_button.setObjectName("btn_start_verification")
        self.start_button.setAutoDefault(False)
        self.start_button.setToolTip(tr("prj_ui.stage.start_hint"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addStretch(0)   # keeps the buttons at their size while there is no message
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        chain = [self.f.started_on.edit, self.f.completed_on.edit, self.f.out_of_order_reason,
                 self.f.institution, self.f.institution_qualification, self.f.published,
                 self.f.publication_evidence, self.f.facts, self.f.notes,
                 self.f.reviewers.table, self.f.reviewers.add_button,
                 self.f.reviewers.remove_button, self.attachments.table,
                 self.attachments.add_button, self.attachments.open_button, self.save_button,
                 self.start_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _connect(self) -> None:
        for name in ("out_of_order_reason", "institution", "institution_qualification",
                     "publication_evidence", "facts"):
            watch_field(self.f.widget(name), self.errors[name], self._schedule, self._flush)
        for name in ("started_on", "completed_on"):
            d: DateField = self.f.widget(name)  # type: ignore[assignment]
            d.sig_edited.connect(self._schedule)
            d.sig_edited.connect(lambda n=name: self.errors[n].hide())
            d.sig_edited.connect(self._update_order_hint)
            d.edit.editingFinished.connect(self._flush)
        self.f.published.toggled.connect(lambda _b: self._flush())
        self.f.notes.textChanged.connect(self._schedule)
        self.f.reviewers.sig_edited.connect(self._schedule)
        self.f.reviewers.sig_edited.connect(lambda: self.errors["reviewers"].hide())
        self.save_button.clicked.connect(self.save)
        self.start_button.clicked.connect(self.start_verification)

    # -- state -----------------------------------------------------------------------------
    def set_enabled_for(self, project_id: str | None) -> None:
        on = project_id is not None
        for w in (self.save_button, self.start_button):
            w.setEnabled(on and not self.saving)
        self.attachments.refresh_owner()

    def load(self, detail: ProjectDetail, draft: dict[str, Any] | None) -> None:
        """Show the stored stage, then a draft over it; resets every message."""
        self._stop_autosave()
        self.detail = detail
        self.project_id = detail.project.id
        self.errors.clear_messages()
        self.summary.show_messages([])
        self.note.show_messages([])
        self.f.fill(stage_values(detail, self.stage.code))
        self._track_drafts(stage_form(self.stage.code), detail.project.id, draft,
                           [tr("prj_ui.stage.draft_restored")])
        self.refresh_detail(detail)
        self.set_enabled_for(self.project_id)

    def refresh_detail(self, detail: ProjectDetail) -> None:
        """New facts from the store (documents, verifications, other stages) without touching
        what the user is typing."""
        self.detail = detail
        self.attachments.set_attachments(self._attachments(detail))
        self.attachments.refresh_owner()
        self._update_status()
        self._update_order_hint()

    def _record(self) -> ProjectStage | None:
        return self.detail.stages.get(self.stage.code) if self.detail is not None else None

    def _owner(self) -> tuple[str, str] | None:
        rec = self._record()
        return (STAGE_OWNER, rec.id) if rec is not None else None

    def _attachments(self, detail: ProjectDetail) -> list[Attachment]:
        rec = detail.stages.get(self.stage.code)
        found = detail.attachments.get(self.stage.code)
        if found is None and rec is not None:
            found = detail.attachments.get(rec.id)
        return list(found or [])

    def _inspections(self) -> list[Any]:
        if self.detail is None:
            return []
        return [i for i in self.detail.inspections if i.stage == self.stage.code
                and not getattr(i, "is_deleted", False)]

    def verified(self) -> bool:
        return any(i.locked_at is not None for i in self._inspections())

    def _update_status(self) -> None:
        rec = self._record()
        if rec is None or not (rec.started_on or rec.completed_on):
            progress = tr("prj_ui.stage.state.not_started")
        elif rec.completed_on:
            progress = tr("prj_ui.stage.state.completed", date=rec.completed_on.isoformat())
        else:
            progress = tr("prj_ui.stage.state.started", date=rec.started_on.isoformat())
        inspections = self._inspections()
        locked = [i for i in inspections if i.locked_at is not None]
        if locked:
            numbers = tr("prj_ui.list_separator").join(i.record_number for i in locked
                                                      if i.record_number)
            check = tr("prj_ui.stage.check.verified", count=len(locked), numbers=numbers or "—")
            style = OK_STYLE
        elif inspections:
            check = tr("prj_ui.stage.check.in_progress")
            style = WARNING_STYLE
        else:
            check = tr("prj_ui.stage.check.none")
            style = NOTE_STYLE
        self.status.setText(tr("prj_ui.stage.status", progress=progress, check=check))
        self.status.setStyleSheet(style)
        self.start_button.setText(tr("prj_ui.stage.continue_verification")
                                  if inspections and not locked
                                  else tr("prj_ui.stage.start_verification"))

    def _previous(self) -> tuple[str, ProjectStage | None] | None:
        ordered = [s.code for s in choices.stages()]
        position = ordered.index(self.stage.code)
        if position == 0 or self.detail is None:
            return None
        code = ordered[position - 1]
        return code, self.detail.stages.get(code)

    def _update_order_hint(self) -> None:
        """Show the reason field when this stage begins before the previous one is completed
        (the service decides; this only says it early)."""
        message = ""
        previous = self._previous()
        begun = parse_date(self.f.started_on.text()) or parse_date(self.f.completed_on.text())
        if previous is not None and begun is not None:
            code, rec = previous
            if rec is None or rec.completed_on is None:
                message = tr("prj_ui.stage.hint.previous_open", previous=choices.stage_name(code))
            elif begun < rec.completed_on:
                message = tr("prj_ui.stage.hint.before_previous", previous=choices.stage_name(code),
                             date=rec.completed_on.isoformat())
        self.order_hint.show_messages([message] if message else [], WARNING_STYLE)
        self._show_reason(bool(message))

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving or self.autosave is None or self.project_id is None:
            return
        self._begin_save()
        self.set_enabled_for(self.project_id)
        self.ctx.perform(save_stage, self.project_id, self.stage.code, self.f.to_input(),
                         on_done=self._saved, on_error=self._failed)

    @if_alive
    def _saved(self, _result: OpResult) -> None:
        self.saving = False
        self._show_saved("prj_ui.stage.saved")
        self.set_enabled_for(self.project_id)
        self.sig_saved.emit(self.stage.code)
        if self._start_after_save:
            self._start_after_save = False
            self._emit_start()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self._start_after_save = False
        self.set_enabled_for(self.project_id)
        self._show_refusal(exc, "prj_ui.stage.save_failed")

    def show_problems(self, problems: list[FieldProblem]) -> None:
        by_field, general = self.errors.show_problems(problems)
        if self.REASON_FIELD in by_field:
            self.order_hint.show_messages([])  # the service's words replace the early hint
            self._show_reason(True)
        show_summary(self.summary, problems, "prj_ui.stage.need_reason",
                     "prj_ui.project.fix_fields", general)
        first = self.errors.first(by_field)
        if first == "reviewers":
            self.f.reviewers.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif first is not None:
            self.f.widget(first).setFocus(Qt.FocusReason.OtherFocusReason)

    # -- verification ----------------------------------------------------------------------
    def start_verification(self) -> None:
        if self.project_id is None or self.saving:
            return
        if self._record() is None or (self.autosave is not None and self.autosave.is_dirty()):
            self._start_after_save = True   # verify what is on screen: save it first
            self.save()
            return
        self._emit_start()

    def _emit_start(self) -> None:
        assert self.project_id is not None
        self.sig_start_verification.emit(self.project_id, self.stage.code)
