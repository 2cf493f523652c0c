"""The enterprise editor: every field, problems shown next to their field, autosaved drafts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
                               QScrollArea, QVBoxLayout, QWidget)

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.enterprises import DRAFT_FORM, create_enterprise, update_enterprise
from ohinspect.standards.uscc import USCC_LENGTH, check_uscc, normalise
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.enterprises.autosave import DraftAutosave
from ui.enterprises.fields import FORM_ORDER, REQUIRED, EnterpriseFields
from ui.enterprises.queries import EditorState
from ui.enterprises.widgets import (ERROR_STYLE, NOTE_STYLE, OK_STYLE, WARNING_STYLE,
                                    MessageLabel, SearchableCombo)


class EnterpriseEditor(QDialog):
    """Opened with an :class:`EditorState`; ``sig_saved(record_id)`` after a successful save."""

    sig_saved = Signal(str)

    def __init__(self, ctx: AppContext, state: EditorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enterprise_editor")
        self.ctx, self.state = ctx, state
        self.saving = False
        self.discard_box: QMessageBox | None = None
        record = state.record
        self.setWindowTitle(tr("ent_ui.editor.title_edit", name=record.name) if record
                            else tr("ent_ui.editor.title_new"))
        self.f = EnterpriseFields()
        self.errors = {name: MessageLabel() for name in (*FORM_ORDER, "hazard_codes")}
        self.cells: dict[str, QWidget] = {}
        self.uscc_hint = MessageLabel()
        self.note = MessageLabel()
        self.summary = MessageLabel()
        self._build()

        if record is not None:
            self.f.stored_rule_set = record.risk_rule_set
            self.f.fill(record.as_dict())
        original = self.f.collect()
        if state.draft is not None:
            self.f.fill(state.draft)
            notes = [tr("ent_ui.editor.draft_restored")]
            if state.draft_stale:
                notes.append(tr("ent_ui.editor.draft_stale"))
            self.note.show_messages(notes, NOTE_STYLE)
        self.autosave = DraftAutosave(ctx, DRAFT_FORM, state.draft_key, self.f.collect, original,
                                      has_draft=state.draft is not None, parent=self)
        if state.deleted:  # shown read-only: restore it first to edit
            self.note.show_messages([tr("enterprise.error.deleted")], WARNING_STYLE)
            self.save_button.setEnabled(False)
            self.body.setEnabled(False)
            self.autosave.pause()
        self._show_reason(bool(self.f.uscc_override_reason.text()))
        self._check_uscc_live(final=True)
        self._connect()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(3)
        self.form_layout = form
        for name in FORM_ORDER:
            label = tr(f"enterprise.{name}")
            label = tr("ent_ui.editor.required", label=label) if name in REQUIRED else label
            cell = self.cells[name] = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(self.f.widget(name))
            if name == "uscc":
                box.addWidget(self.uscc_hint)
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
        hazards = QGroupBox(tr("enterprise.hazard_codes"))
        hazard_box = QVBoxLayout(hazards)
        hazard_box.addWidget(self.f.hazard_codes)
        hazard_box.addWidget(self.errors["hazard_codes"])
        self.body = QWidget()
        body = QHBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(scroll, 3)
        body.addWidget(hazards, 2)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("ent_ui.editor.save"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        save_keys = QKeySequence(QKeySequence.StandardKey.Save)
        self.save_button.setShortcut(save_keys)
        self.save_button.setToolTip(tr("ent_ui.shortcut_hint", keys=save_keys.toString(
            QKeySequence.SequenceFormat.NativeText)))
        self.save_button.setAutoDefault(False)  # Enter in a field never saves by surprise
        self.cancel_button = buttons.addButton(tr("ui.cancel"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAutoDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        chain = [self.f.widget(n) for n in FORM_ORDER] + [
            self.f.hazard_codes.filter_edit, self.f.hazard_codes.tree, self.save_button,
            self.cancel_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self.resize(1100, 660)

    def _connect(self) -> None:
        for name in FORM_ORDER:
            w = self.f.widget(name)
            clear = lambda *_a, n=name: self.errors[n].hide()  # noqa: E731
            if isinstance(w, SearchableCombo):
                w.lineEdit().textEdited.connect(self.autosave.schedule)
                w.lineEdit().textEdited.connect(clear)
                w.sig_code_changed.connect(lambda _c: self.autosave.flush())
            elif isinstance(w, QLineEdit):
                w.textEdited.connect(self.autosave.schedule)
                w.textEdited.connect(clear)
                w.editingFinished.connect(self.autosave.flush)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i: self.autosave.flush())
                w.currentIndexChanged.connect(clear)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self.autosave.schedule)
        self.f.hazard_codes.sig_changed.connect(self.autosave.schedule)
        self.f.uscc.textChanged.connect(lambda _t: self._check_uscc_live(final=False))
        self.f.uscc.editingFinished.connect(lambda: self._check_uscc_live(final=True))

    # -- USCC hint (the service remains the authority) --------------------------------------
    def _check_uscc_live(self, *, final: bool) -> None:
        text = normalise(self.f.uscc.text())
        if not text:
            self.uscc_hint.show_messages([])
            return
        if len(text) < USCC_LENGTH and not final:
            self.uscc_hint.show_messages(
                [tr("ent_ui.uscc.typing", count=len(text), total=USCC_LENGTH)], NOTE_STYLE)
            return
        result = check_uscc(text)
        if result.ok:
            self.uscc_hint.show_messages([tr("ent_ui.uscc.ok")], OK_STYLE)
        elif result.has_errors:
            self.uscc_hint.show_messages([p.message for p in result.problems], ERROR_STYLE)
        else:
            self.uscc_hint.show_messages([p.message for p in result.warnings], WARNING_STYLE)
            self._show_reason(True)

    def _show_reason(self, visible: bool) -> None:
        visible = visible or bool(self.f.uscc_override_reason.text())
        self.form_layout.setRowVisible(self.cells["uscc_override_reason"], visible)

    def reason_visible(self) -> bool:
        return self.form_layout.isRowVisible(self.cells["uscc_override_reason"])

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving or self.state.deleted:
            return
        self.autosave.flush()   # the draft is current if the save is refused
        self.autosave.pause()
        self.saving = True
        self.save_button.setEnabled(False)
        data = self.f.to_input()
        key = self.state.draft_key
        if self.state.record_id is None:
            self.ctx.perform(create_enterprise, data, draft_key=key, on_done=self._saved,
                             on_error=self._failed)
        else:
            self.ctx.perform(update_enterprise, self.state.record_id, data, draft_key=key,
                             on_done=self._saved, on_error=self._failed)

    def _saved(self, result: OpResult) -> None:
        self.saving = False
        self.autosave.forget()
        self.sig_saved.emit(result.record_id or "")
        self.done(QDialog.DialogCode.Accepted)

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.autosave.resume()
        if isinstance(exc, ValidationError):
            self.show_problems(exc.problems)
        else:
            self.summary.show_messages([tr("ent_ui.editor.save_failed")])
            self.ctx.runner.report_error(exc, self)

    def show_problems(self, problems: list[FieldProblem]) -> None:
        for label in self.errors.values():
            label.show_messages([])
        if any(p.field == "uscc" for p in problems):
            self.uscc_hint.show_messages([])  # the service's words replace the live hint
        by_field: dict[str, list[FieldProblem]] = {}
        for p in problems:
            by_field.setdefault(p.field if p.field in self.errors else "name", []).append(p)
        for name, items in by_field.items():
            style = WARNING_STYLE if all(p.overridable for p in items) else ERROR_STYLE
            self.errors[name].show_messages([p.message for p in items], style)
        only_warnings = all(p.overridable for p in problems)
        if any(p.overridable for p in problems):
            self._show_reason(True)
        self.summary.show_messages(
            [tr("ent_ui.editor.need_reason") if only_warnings else tr("ent_ui.editor.fix_fields")],
            WARNING_STYLE if only_warnings else ERROR_STYLE)
        first = "uscc_override_reason" if only_warnings else next(
            n for n in (*FORM_ORDER, "hazard_codes") if n in by_field)
        widget = self.f.widget(first)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- cancelling ------------------------------------------------------------------------
    def reject(self) -> None:
        if self.saving:
            return
        self.autosave.timer.stop()
        if not (self.autosave.has_draft or self.autosave.is_dirty()) or self.state.deleted:
            self.autosave.pause()
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, tr("ent_ui.editor.discard_title"),
                          tr("ent_ui.editor.discard_question"), QMessageBox.StandardButton.NoButton,
                          self)
        self.discard_btn = box.addButton(tr("ent_ui.editor.discard"),
                                         QMessageBox.ButtonRole.DestructiveRole)
        self.keep_btn = box.addButton(tr("ent_ui.editor.keep_draft"),
                                      QMessageBox.ButtonRole.AcceptRole)
        self.continue_btn = box.addButton(tr("ent_ui.editor.continue"),
                                          QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.continue_btn)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(self._discard_answer)
        self.discard_box = box
        box.open()

    def _discard_answer(self, button: object) -> None:
        self.discard_box = None
        if button is self.discard_btn:
            self.autosave.discard()
        elif button is self.keep_btn:
            self.autosave.flush()
            self.autosave.pause()
        else:
            return
        super().reject()
