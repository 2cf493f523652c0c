"""The project editor (first tab of the project dialog): every ``ProjectInput`` field, problems
shown next to their field, drafts autosaved as the user types (form ``project``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ohinspect.services.projects import ProjectInput, create_project, update_project
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.projects import choices
from ui.projects.queries import (
    PROJECT_FIELDS,
    PROJECT_FORM,
    ProjectState,
    enterprise_label,
    project_values,
    search_enterprises,
)
from ui.projects.widgets import EnterprisePicker
from ui.tasks import if_alive
from ui.widgets.code_fields import RiskClassFields, division_field, industry_field
from ui.widgets.combos import code_combo, select_code
from ui.widgets.draft_form import DraftFormMixin
from ui.widgets.field_form import (
    FieldMessages,
    add_field_row,
    field_form_layout,
    form_beside_panel,
    group_box,
    show_summary,
    watch_field,
)
from ui.widgets.hazard_picker import HazardPicker
from ui.widgets.inputs import NotesEdit, line_edit
from ui.widgets.messages import OK_STYLE, MessageLabel
from ui.widgets.shortcuts import save_shortcut

#: form order = tab order; hazard_codes sits in the right-hand panel
FORM_ORDER = ("enterprise_id", "name", "location", "division_code", "investment_yuan",
              "industry_code", "nature", "risk_rule_set", "risk_class", "risk_override_reason",
              "notes")
REQUIRED = ("enterprise_id", "name", "division_code")
LABEL_KEYS = {name: f"prj_ui.field.{name}" for name in (*FORM_ORDER, "hazard_codes")}


class ProjectFields(RiskClassFields):
    """The widgets; ``collect()`` → draft values, ``fill(values)``, ``to_input()``."""

    def __init__(self, search: Callable[..., None]) -> None:
        self.enterprise_id = EnterprisePicker(search)
        self.name = line_edit(200)
        self.location = line_edit(300, "prj_ui.field.location_placeholder")
        self.division_code = division_field()
        self.investment_yuan = line_edit(15, "prj_ui.field.investment_placeholder")
        self.investment_yuan.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9]{0,15}"), self.investment_yuan))
        self.industry_code = industry_field()
        self.nature = code_combo(choices.nature_choices(), tr("ent_ui.editor.none"))
        self._make_risk_fields()
        self.risk_override_reason = line_edit(None, "prj_ui.field.override_placeholder")
        self.notes = NotesEdit()
        self.hazard_codes = HazardPicker()

    def collect(self) -> dict[str, Any]:
        return {
            "enterprise_id": self.enterprise_id.enterprise_id(),
            "enterprise_label": self.enterprise_id.label(),
            "name": self.name.text(),
            "location": self.location.text(),
            "division_code": self.division_code.code(),
            "investment_yuan": self.investment_yuan.text().strip(),
            "industry_code": self.industry_code.code(),
            "nature": str(self.nature.currentData() or ""),
            "hazard_codes": self.hazard_codes.codes(),
            **self.risk_values(),
            "risk_override_reason": self.risk_override_reason.text(),
            "notes": self.notes.toPlainText(),
        }

    def to_input(self) -> ProjectInput:
        values = {k: v for k, v in self.collect().items() if k in PROJECT_FIELDS}
        values["investment_yuan"] = values["investment_yuan"] or None
        return ProjectInput(**values)

    def fill(self, values: dict[str, Any]) -> None:
        v = {k: values.get(k) for k in (*PROJECT_FIELDS, "enterprise_label")}
        self.enterprise_id.set_enterprise(str(v["enterprise_id"] or ""),
                                          str(v["enterprise_label"] or ""))
        for key in ("name", "location", "investment_yuan", "risk_override_reason"):
            text = "" if v[key] is None else str(v[key])
            self.widget(key).setText(text)  # type: ignore[attr-defined]
        self.division_code.set_code(str(v["division_code"] or ""), announce=False)
        self.industry_code.set_code(str(v["industry_code"] or ""), announce=False)
        select_code(self.nature, v["nature"] or "")
        self.fill_risk(v["risk_rule_set"], v["risk_class"])
        self.notes.setPlainText(str(v["notes"] or ""))
        self.hazard_codes.set_codes(list(v["hazard_codes"] or []))


class ProjectForm(DraftFormMixin, QWidget):
    """``sig_saved(project_id)`` after a successful create or update."""

    sig_saved = Signal(str)
    REASON_FIELD = "risk_override_reason"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("project_form")
        self.ctx = ctx
        self.saving = False
        self.project_id: str | None = None
        self.f = ProjectFields(self._search_enterprises)
        self.errors = FieldMessages((*FORM_ORDER, "hazard_codes"))
        self.cells: dict[str, QWidget] = {}
        self.note = MessageLabel()
        self.summary = MessageLabel()
        self.autosave = None
        self._just_saved = False
        self._build()
        self._connect()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.form_layout = form = field_form_layout()
        for name in FORM_ORDER:
            label = tr(LABEL_KEYS[name])
            label = tr("ent_ui.editor.required", label=label) if name in REQUIRED else label
            self.cells[name] = add_field_row(form, label, self.f.widget(name), self.errors[name])
        hazards = group_box(tr(LABEL_KEYS["hazard_codes"]), self.f.hazard_codes,
                            self.errors["hazard_codes"])
        self.body = form_beside_panel(form, hazards)
        self.save_button = QPushButton(tr("prj_ui.project.save"))
        self.save_button.setObjectName("btn_save_project")
        save_shortcut(self.save_button)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addStretch(0)   # keeps the button at its size while there is no message
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        chain = [self.f.widget(n) for n in FORM_ORDER] + [
            self.f.hazard_codes.filter_edit, self.f.hazard_codes.tree, self.save_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _connect(self) -> None:
        for name in FORM_ORDER:
            w = self.f.widget(name)
            if isinstance(w, EnterprisePicker):
                w.textEdited.connect(lambda *_a, n=name: self.errors[n].hide())
                w.sig_changed.connect(lambda _c: self._flush())
            else:
                watch_field(w, self.errors[name], self._schedule, self._flush)
        self.f.hazard_codes.sig_changed.connect(self._schedule)
        self.f.risk_class.currentIndexChanged.connect(lambda _i: self._show_reason(False))

    def _search_enterprises(self, text: str,
                            on_done: Callable[[list[tuple[str, str]]], None]) -> None:
        self.ctx.read(search_enterprises, text, on_done=on_done)

    # -- state -----------------------------------------------------------------------------
    def load(self, state: ProjectState) -> None:
        """Show the stored project (or an empty form), then any draft over it."""
        self._stop_autosave()
        self.project_id = state.project_id
        self.errors.clear_messages()
        just_saved, self._just_saved = self._just_saved, False
        self.summary.show_messages([tr("prj_ui.project.saved")] if just_saved else [], OK_STYLE)
        self.note.show_messages([])
        if state.detail is not None:
            values = project_values(state.detail)
            ent = state.detail.enterprise
            values["enterprise_label"] = enterprise_label(ent.name, ent.uscc) if ent else ""
            self.f.stored_rule_set = state.detail.project.risk_rule_set
            self.f.fill(values)
        notes = [tr("prj_ui.project.draft_restored")]
        if state.draft_stale:
            notes.append(tr("prj_ui.project.draft_stale"))
        self._track_drafts(PROJECT_FORM, state.draft_key, state.draft, notes)
        self._show_reason(False)

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving or self.autosave is None:
            return
        self._begin_save()
        self.save_button.setEnabled(False)
        data = self.f.to_input()
        if self.project_id is None:
            self.ctx.perform(create_project, data, on_done=self._saved, on_error=self._failed)
        else:
            self.ctx.perform(update_project, self.project_id, data, on_done=self._saved,
                             on_error=self._failed)

    @if_alive
    def _saved(self, result: OpResult) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self._show_saved("prj_ui.project.saved")
        self._just_saved = True   # the reload that follows keeps saying so
        self.sig_saved.emit(result.record_id or self.project_id or "")

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self._show_refusal(exc, "prj_ui.project.save_failed")

    def show_problems(self, problems: list[FieldProblem]) -> None:
        by_field, _ = self.errors.show_problems(problems, fallback="name", texts=self._reword)
        if self.REASON_FIELD in by_field or any(p.overridable for p in problems):
            self._show_reason(True)
        only_warnings = show_summary(self.summary, problems, "prj_ui.project.need_reason",
                                     "prj_ui.project.fix_fields")
        first = self.REASON_FIELD if only_warnings else self.errors.first(by_field)
        self.f.widget(first).setFocus(Qt.FocusReason.OtherFocusReason)

    def _reword(self, name: str, messages: list[str]) -> list[str]:
        typed = self.f.enterprise_id.text().strip()
        if name == "enterprise_id" and typed and not self.f.enterprise_id.enterprise_id():
            # text typed but no unit chosen: "required" would puzzle; say what to do
            return [tr("prj_ui.enterprise.not_chosen", text=typed)]
        return messages
