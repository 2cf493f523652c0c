"""The project editor (first tab of the project dialog): every ``ProjectInput`` field, problems
shown next to their field, drafts autosaved as the user types (form ``project``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.projects import ProjectInput, create_project, update_project
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.enterprises import choices as ent_choices
from ui.enterprises.autosave import DraftAutosave
from ui.enterprises.fields import NotesEdit
from ui.enterprises.hazard_picker import HazardPicker
from ui.enterprises.widgets import (ERROR_STYLE, NOTE_STYLE, OK_STYLE, WARNING_STYLE,
                                    MessageLabel, SearchableCombo)
from ui.projects import choices
from ui.projects.queries import (PROJECT_FIELDS, PROJECT_FORM, ProjectState, enterprise_label,
                                 project_values, search_enterprises)
from ui.projects.widgets import EnterprisePicker, if_alive

#: form order = tab order; hazard_codes sits in the right-hand panel
FORM_ORDER = ("enterprise_id", "name", "location", "division_code", "investment_yuan",
              "industry_code", "nature", "risk_rule_set", "risk_class", "risk_override_reason",
              "notes")
REQUIRED = ("enterprise_id", "name", "division_code")
LABEL_KEYS = {name: f"prj_ui.field.{name}" for name in (*FORM_ORDER, "hazard_codes")}


def _line(max_length: int | None = None, placeholder_key: str | None = None) -> QLineEdit:
    edit = QLineEdit()
    if max_length:
        edit.setMaxLength(max_length)
    if placeholder_key:
        edit.setPlaceholderText(tr(placeholder_key))
    edit.setClearButtonEnabled(True)
    return edit


class ProjectFields:
    """The widgets; ``collect()`` → draft values, ``fill(values)``, ``to_input()``."""

    def __init__(self, search: Callable[..., None]) -> None:
        self.enterprise_id = EnterprisePicker(search)
        self.name = _line(200)
        self.location = _line(300, "prj_ui.field.location_placeholder")
        self.division_code = SearchableCombo(free_text=True)
        self.division_code.set_choices(ent_choices.division_choices())
        self.division_code.lineEdit().setPlaceholderText(tr("ent_ui.editor.division_placeholder"))
        self.division_code.set_code("", announce=False)
        self.investment_yuan = _line(15, "prj_ui.field.investment_placeholder")
        self.investment_yuan.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9]{0,15}"), self.investment_yuan))
        self.industry_code = SearchableCombo(free_text=True)
        self.industry_code.set_choices(ent_choices.industry_choices(), tr("ent_ui.editor.none"))
        self.industry_code.lineEdit().setPlaceholderText(tr("ent_ui.editor.industry_placeholder"))
        self.nature = QComboBox()
        self.nature.addItem(tr("ent_ui.editor.none"), "")
        for code, label in choices.nature_choices():
            self.nature.addItem(label, code)
        self.risk_rule_set = QComboBox()
        for code, label in ent_choices.rule_set_choices():
            self.risk_rule_set.addItem(label, code)
        self.risk_class = QComboBox()
        self.risk_override_reason = _line(None, "prj_ui.field.override_placeholder")
        self.notes = NotesEdit()
        self.hazard_codes = HazardPicker()
        self.stored_rule_set = ""
        self.risk_rule_set.setCurrentIndex(
            max(0, self.risk_rule_set.findData(ent_choices.default_rule_set())))
        self.risk_rule_set.currentIndexChanged.connect(lambda _i: self._fill_classes())
        self._fill_classes()

    def widget(self, name: str) -> QWidget:
        return getattr(self, name)

    def _fill_classes(self) -> None:
        current = self.risk_class.currentData() or ""
        self.risk_class.blockSignals(True)
        self.risk_class.clear()
        self.risk_class.addItem(tr("ent_ui.filter.unclassified"), "")
        for code, label in ent_choices.risk_class_choices(self.risk_rule_set.currentData() or ""):
            self.risk_class.addItem(label, code)
        self.risk_class.setCurrentIndex(max(0, self.risk_class.findData(current)))
        self.risk_class.blockSignals(False)

    def collect(self) -> dict[str, Any]:
        risk_class = str(self.risk_class.currentData() or "")
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
            "risk_class": risk_class,
            # a rule set means something only with a class: without one keep what is stored
            "risk_rule_set": str(self.risk_rule_set.currentData() or "") if risk_class
            else self.stored_rule_set,
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
        self.nature.setCurrentIndex(max(0, self.nature.findData(v["nature"] or "")))
        rule_set = str(v["risk_rule_set"] or "") or ent_choices.default_rule_set()
        self.risk_rule_set.setCurrentIndex(max(0, self.risk_rule_set.findData(rule_set)))
        self._fill_classes()
        self.risk_class.setCurrentIndex(max(0, self.risk_class.findData(v["risk_class"] or "")))
        self.notes.setPlainText(str(v["notes"] or ""))
        self.hazard_codes.set_codes(list(v["hazard_codes"] or []))


class ProjectForm(QWidget):
    """``sig_saved(project_id)`` after a successful create or update."""

    sig_saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("project_form")
        self.ctx = ctx
        self.saving = False
        self.project_id: str | None = None
        self.f = ProjectFields(self._search_enterprises)
        self.errors = {name: MessageLabel() for name in (*FORM_ORDER, "hazard_codes")}
        self.cells: dict[str, QWidget] = {}
        self.note = MessageLabel()
        self.summary = MessageLabel()
        self.autosave: DraftAutosave | None = None
        self._just_saved = False
        self._build()
        self._connect()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(3)
        self.form_layout = form
        for name in FORM_ORDER:
            label = tr(LABEL_KEYS[name])
            label = tr("ent_ui.editor.required", label=label) if name in REQUIRED else label
            cell = self.cells[name] = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(self.f.widget(name))
            box.addWidget(self.errors[name])
            buddy = QLabel(label)
            buddy.setBuddy(self.f.widget(name))
            form.addRow(buddy, cell)
        left = QWidget()
        left.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(left)
        hazards = QGroupBox(tr(LABEL_KEYS["hazard_codes"]))
        hazard_box = QVBoxLayout(hazards)
        hazard_box.addWidget(self.f.hazard_codes)
        hazard_box.addWidget(self.errors["hazard_codes"])
        self.body = QWidget()
        body = QHBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(scroll, 3)
        body.addWidget(hazards, 2)
        self.save_button = QPushButton(tr("prj_ui.project.save"))
        self.save_button.setObjectName("btn_save_project")
        save_keys = QKeySequence(QKeySequence.StandardKey.Save)
        self.save_button.setShortcut(save_keys)
        self.save_button.setToolTip(tr("ent_ui.shortcut_hint", keys=save_keys.toString(
            QKeySequence.SequenceFormat.NativeText)))
        self.save_button.setAutoDefault(False)
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
            clear = lambda *_a, n=name: self.errors[n].hide()  # noqa: E731
            if isinstance(w, SearchableCombo):
                w.lineEdit().textEdited.connect(self._schedule)
                w.lineEdit().textEdited.connect(clear)
                w.sig_code_changed.connect(lambda _c: self._flush())
            elif isinstance(w, EnterprisePicker):
                w.textEdited.connect(clear)
                w.sig_changed.connect(lambda _c: self._flush())
            elif isinstance(w, QLineEdit):
                w.textEdited.connect(self._schedule)
                w.textEdited.connect(clear)
                w.editingFinished.connect(self._flush)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i: self._flush())
                w.currentIndexChanged.connect(clear)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self._schedule)
        self.f.hazard_codes.sig_changed.connect(self._schedule)
        self.f.risk_class.currentIndexChanged.connect(lambda _i: self._show_reason(False))

    def _schedule(self) -> None:
        if self.autosave is not None:
            self.autosave.schedule()

    def _flush(self) -> None:
        if self.autosave is not None:
            self.autosave.flush()

    def _search_enterprises(self, text: str,
                            on_done: Callable[[list[tuple[str, str]]], None]) -> None:
        self.ctx.read(search_enterprises, text, on_done=on_done)

    # -- state -----------------------------------------------------------------------------
    def load(self, state: ProjectState) -> None:
        """Show the stored project (or an empty form), then any draft over it."""
        if self.autosave is not None:
            self.autosave.pause()
            self.autosave.deleteLater()
        self.project_id = state.project_id
        for label in self.errors.values():
            label.show_messages([])
        just_saved, self._just_saved = self._just_saved, False
        self.summary.show_messages([tr("prj_ui.project.saved")] if just_saved else [], OK_STYLE)
        self.note.show_messages([])
        if state.detail is not None:
            values = project_values(state.detail)
            ent = state.detail.enterprise
            values["enterprise_label"] = enterprise_label(ent.name, ent.uscc) if ent else ""
            self.f.stored_rule_set = state.detail.project.risk_rule_set
            self.f.fill(values)
        original = self.f.collect()
        if state.draft is not None:
            self.f.fill(state.draft)
            notes = [tr("prj_ui.project.draft_restored")]
            if state.draft_stale:
                notes.append(tr("prj_ui.project.draft_stale"))
            self.note.show_messages(notes, NOTE_STYLE)
        self.autosave = DraftAutosave(self.ctx, PROJECT_FORM, state.draft_key, self.f.collect,
                                      original, has_draft=state.draft is not None, parent=self)
        self._show_reason(False)

    def _show_reason(self, needed: bool) -> None:
        visible = needed or bool(self.f.risk_override_reason.text()) or \
            self.errors["risk_override_reason"].isVisibleTo(self)
        self.form_layout.setRowVisible(self.cells["risk_override_reason"], visible)

    def reason_visible(self) -> bool:
        return self.form_layout.isRowVisible(self.cells["risk_override_reason"])

    def has_unsaved(self) -> bool:
        return self.autosave is not None and (self.autosave.has_draft or self.autosave.is_dirty())

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving or self.autosave is None:
            return
        self.autosave.flush()   # the draft is current if the save is refused
        self.autosave.pause()
        self.saving = True
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
        assert self.autosave is not None
        self.autosave.discard()  # the service does not know the form's draft: drop it here
        for label in self.errors.values():
            label.show_messages([])
        self.summary.show_messages([tr("prj_ui.project.saved")], OK_STYLE)
        self.note.show_messages([])
        self._just_saved = True   # the reload that follows keeps saying so
        self.sig_saved.emit(result.record_id or self.project_id or "")

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        if self.autosave is not None:
            self.autosave.resume()
        if isinstance(exc, ValidationError):
            self.show_problems(exc.problems)
        else:
            self.summary.show_messages([tr("prj_ui.project.save_failed")])
            self.ctx.runner.report_error(exc, self)

    def show_problems(self, problems: list[FieldProblem]) -> None:
        for label in self.errors.values():
            label.show_messages([])
        by_field: dict[str, list[FieldProblem]] = {}
        for p in problems:
            by_field.setdefault(p.field if p.field in self.errors else "name", []).append(p)
        typed = self.f.enterprise_id.text().strip()
        for name, items in by_field.items():
            style = WARNING_STYLE if all(p.overridable for p in items) else ERROR_STYLE
            messages = [p.message for p in items]
            if name == "enterprise_id" and typed and not self.f.enterprise_id.enterprise_id():
                # text typed but no unit chosen: "required" would puzzle; say what to do
                messages = [tr("prj_ui.enterprise.not_chosen", text=typed)]
            self.errors[name].show_messages(messages, style)
        only_warnings = all(p.overridable for p in problems)
        if "risk_override_reason" in by_field or any(p.overridable for p in problems):
            self._show_reason(True)
        head = tr("prj_ui.project.need_reason") if only_warnings \
            else tr("prj_ui.project.fix_fields")
        self.summary.show_messages([head], WARNING_STYLE if only_warnings else ERROR_STYLE)
        first = "risk_override_reason" if only_warnings else next(
            n for n in (*FORM_ORDER, "hazard_codes") if n in by_field)
        self.f.widget(first).setFocus(Qt.FocusReason.OtherFocusReason)

