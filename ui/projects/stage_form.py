"""One stage of a project (预评价 / 防护设施设计 / 控制效果评价 / 竣工验收): dates, institution,
reviewers, publication (公示), facts, notes and its documents; problems next to their fields;
drafts autosaved per stage (form ``project_stage.<stage>``, key = project id)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from ohinspect.checklists.stages import Stage
from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.project_queries import ProjectDetail
from ohinspect.services.projects import TRIAL_RUN_DAYS, StageInput, save_stage
from ohinspect.store.changes import OpResult
from ohinspect.store.models import Attachment, ProjectStage
from ui.context import AppContext
from ui.enterprises.autosave import DraftAutosave
from ui.enterprises.fields import NotesEdit
from ui.enterprises.widgets import (ERROR_STYLE, NOTE_STYLE, OK_STYLE, WARNING_STYLE,
                                    MessageLabel)
from ui.projects import choices
from ui.projects.attachments import AttachmentList
from ui.projects.queries import STAGE_FIELDS, stage_form, stage_values
from ui.projects.widgets import DateField, ReviewerTable, if_alive

#: form order = tab order of the left column; reviewers and documents sit on the right
FORM_ORDER = ("started_on", "completed_on", "out_of_order_reason", "institution",
              "institution_qualification", "published", "publication_evidence", "facts",
              "notes")
#: the stage whose facts include the trial-run length (试运行天数)
TRIAL_RUN_STAGE = "control_effect"
STAGE_OWNER = ProjectStage.__record_type__


def _parse(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        return None


class StageFields:
    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.started_on = DateField()
        self.completed_on = DateField()
        self.out_of_order_reason = QLineEdit()
        self.out_of_order_reason.setPlaceholderText(tr("prj_ui.stage.reason_placeholder"))
        self.out_of_order_reason.setClearButtonEnabled(True)
        self.institution = QLineEdit()
        self.institution.setMaxLength(200)
        self.institution.setPlaceholderText(tr("prj_ui.stage.institution_placeholder"))
        self.institution_qualification = QLineEdit()
        self.institution_qualification.setMaxLength(200)
        self.institution_qualification.setPlaceholderText(
            tr("prj_ui.stage.qualification_placeholder"))
        self.published = QCheckBox(tr("prj_ui.stage.published_box"))
        self.publication_evidence = QLineEdit()
        self.publication_evidence.setPlaceholderText(tr("prj_ui.stage.evidence_placeholder"))
        self.facts = QLineEdit()  # the trial-run days (the only fact the form edits)
        self.facts.setMaximumWidth(120)
        self.facts.setPlaceholderText(tr("prj_ui.stage.days_placeholder"))
        self.facts.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,5}"),
                                                            self.facts))
        self.notes = NotesEdit()
        self.reviewers = ReviewerTable()
        self._other_facts: dict[str, Any] = {}

    def widget(self, name: str) -> QWidget:
        return getattr(self, name)

    def collect(self) -> dict[str, Any]:
        facts = dict(self._other_facts)
        days = self.facts.text().strip()
        if self.stage == TRIAL_RUN_STAGE and days:
            facts[TRIAL_RUN_DAYS] = days
        return {
            "started_on": self.started_on.text(),
            "completed_on": self.completed_on.text(),
            "out_of_order_reason": self.out_of_order_reason.text(),
            "institution": self.institution.text(),
            "institution_qualification": self.institution_qualification.text(),
            "reviewers": self.reviewers.reviewers(),
            "published": self.published.isChecked(),
            "publication_evidence": self.publication_evidence.text(),
            "facts": facts,
            "notes": self.notes.toPlainText(),
        }

    def to_input(self) -> StageInput:
        values = {k: v for k, v in self.collect().items() if k in STAGE_FIELDS}
        for key in ("started_on", "completed_on"):
            values[key] = values[key] or None
        return StageInput(**values)

    def fill(self, values: dict[str, Any]) -> None:
        self.started_on.set_value(str(values.get("started_on") or ""))
        self.completed_on.set_value(str(values.get("completed_on") or ""))
        for key in ("out_of_order_reason", "institution", "institution_qualification",
                    "publication_evidence"):
            self.widget(key).setText(str(values.get(key) or ""))  # type: ignore[attr-defined]
        self.published.setChecked(bool(values.get("published")))
        facts = dict(values.get("facts") or {})
        days = facts.pop(TRIAL_RUN_DAYS, "") if self.stage == TRIAL_RUN_STAGE else ""
        self._other_facts = facts
        self.facts.setText("" if days in (None, "") else str(days))
        self.notes.setPlainText(str(values.get("notes") or ""))
        self.reviewers.set_reviewers(list(values.get("reviewers") or []))


class StageForm(QWidget):
    """``sig_saved(stage)`` after a save; ``sig_start_verification(project_id, stage)`` when the
    user asks to verify this stage (saved first if it has unsaved input)."""

    sig_saved = Signal(str)
    sig_start_verification = Signal(str, str)

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"stage_form_{stage.code}")
        self.ctx, self.stage = ctx, stage
        self.project_id: str | None = None
        self.detail: ProjectDetail | None = None
        self.saving = False
        self._start_after_save = False
        self.autosave: DraftAutosave | None = None
        self.f = StageFields(stage.code)
        self.errors = {name: MessageLabel() for name in (*FORM_ORDER, "reviewers")}
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
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(3)
        self.form_layout = form
        for name in FORM_ORDER:
            cell = self.cells[name] = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(self.f.widget(name))
            if name == "out_of_order_reason":
                box.insertWidget(0, self.order_hint)
            box.addWidget(self.errors[name])
            buddy = QLabel(tr(f"prj_ui.stage.{name}"))
            buddy.setBuddy(self.f.widget(name))
            form.addRow(buddy, cell)
        form.setRowVisible(self.cells["facts"], self.stage.code == TRIAL_RUN_STAGE)
        left = QWidget()
        left.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(left)

        reviewers = QGroupBox(tr("prj_ui.stage.reviewers"))
        rbox = QVBoxLayout(reviewers)
        rbox.addWidget(self.f.reviewers, 1)
        rbox.addWidget(self.errors["reviewers"])
        documents = QGroupBox(tr("prj_ui.stage.documents"))
        dbox = QVBoxLayout(documents)
        dbox.addWidget(self.attachments)
        right = QVBoxLayout()
        right.addWidget(reviewers, 2)
        right.addWidget(documents, 3)

        body = QHBoxLayout()
        body.addWidget(scroll, 3)
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
            w: QLineEdit = self.f.widget(name)  # type: ignore[assignment]
            w.textEdited.connect(self._schedule)
            w.textEdited.connect(lambda *_a, n=name: self.errors[n].hide())
            w.editingFinished.connect(self._flush)
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

    def _schedule(self) -> None:
        if self.autosave is not None:
            self.autosave.schedule()

    def _flush(self) -> None:
        if self.autosave is not None:
            self.autosave.flush()

    # -- state -----------------------------------------------------------------------------
    def set_enabled_for(self, project_id: str | None) -> None:
        on = project_id is not None
        for w in (self.save_button, self.start_button):
            w.setEnabled(on and not self.saving)
        self.attachments.refresh_owner()

    def load(self, detail: ProjectDetail, draft: dict[str, Any] | None) -> None:
        """Show the stored stage, then a draft over it; resets every message."""
        if self.autosave is not None:
            self.autosave.pause()
            self.autosave.deleteLater()
            self.autosave = None
        self.detail = detail
        self.project_id = detail.project.id
        for label in self.errors.values():
            label.show_messages([])
        self.summary.show_messages([])
        self.note.show_messages([])
        self.f.fill(stage_values(detail, self.stage.code))
        original = self.f.collect()
        if draft is not None:
            self.f.fill(draft)
            self.note.show_messages([tr("prj_ui.stage.draft_restored")], NOTE_STYLE)
        self.autosave = DraftAutosave(self.ctx, stage_form(self.stage.code), detail.project.id,
                                      self.f.collect, original, has_draft=draft is not None,
                                      parent=self)
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
        begun = _parse(self.f.started_on.text()) or _parse(self.f.completed_on.text())
        if previous is not None and begun is not None:
            code, rec = previous
            if rec is None or rec.completed_on is None:
                message = tr("prj_ui.stage.hint.previous_open", previous=choices.stage_name(code))
            elif begun < rec.completed_on:
                message = tr("prj_ui.stage.hint.before_previous", previous=choices.stage_name(code),
                             date=rec.completed_on.isoformat())
        self.order_hint.show_messages([message] if message else [], WARNING_STYLE)
        self._show_reason(bool(message))

    def _show_reason(self, needed: bool) -> None:
        visible = needed or bool(self.f.out_of_order_reason.text()) or \
            self.errors["out_of_order_reason"].isVisibleTo(self)
        self.form_layout.setRowVisible(self.cells["out_of_order_reason"], visible)

    def reason_visible(self) -> bool:
        return self.form_layout.isRowVisible(self.cells["out_of_order_reason"])

    def has_unsaved(self) -> bool:
        return self.autosave is not None and (self.autosave.has_draft or self.autosave.is_dirty())

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving or self.autosave is None or self.project_id is None:
            return
        self.autosave.flush()
        self.autosave.pause()
        self.saving = True
        self.set_enabled_for(self.project_id)
        self.ctx.perform(save_stage, self.project_id, self.stage.code, self.f.to_input(),
                         on_done=self._saved, on_error=self._failed)

    @if_alive
    def _saved(self, _result: OpResult) -> None:
        self.saving = False
        assert self.autosave is not None
        self.autosave.discard()   # the service does not know the form's draft: drop it here
        for label in self.errors.values():
            label.show_messages([])
        self.note.show_messages([])
        self.summary.show_messages([tr("prj_ui.stage.saved")], OK_STYLE)
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
        if self.autosave is not None:
            self.autosave.resume()
        if isinstance(exc, ValidationError):
            self.show_problems(exc.problems)
        else:
            self.summary.show_messages([tr("prj_ui.stage.save_failed")])
            self.ctx.runner.report_error(exc, self)

    def show_problems(self, problems: list[FieldProblem]) -> None:
        for label in self.errors.values():
            label.show_messages([])
        by_field: dict[str, list[FieldProblem]] = {}
        general: list[str] = []
        for p in problems:
            if p.field in self.errors:
                by_field.setdefault(p.field, []).append(p)
            else:
                general.append(p.message)
        for name, items in by_field.items():
            style = WARNING_STYLE if all(p.overridable for p in items) else ERROR_STYLE
            self.errors[name].show_messages([p.message for p in items], style)
        only_warnings = all(p.overridable for p in problems)
        if "out_of_order_reason" in by_field:
            self.order_hint.show_messages([])  # the service's words replace the early hint
            self._show_reason(True)
        head = tr("prj_ui.stage.need_reason") if only_warnings else tr("prj_ui.project.fix_fields")
        self.summary.show_messages([head, *general], WARNING_STYLE if only_warnings
                                   else ERROR_STYLE)
        first = next((n for n in (*FORM_ORDER, "reviewers") if n in by_field), None)
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
