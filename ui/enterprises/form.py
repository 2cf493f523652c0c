"""The enterprise editor: every field, problems shown next to their field, autosaved drafts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ohinspect.services.enterprises import (
    DRAFT_FORM,
    create_enterprise,
    update_enterprise,
)
from ohinspect.standards.uscc import USCC_LENGTH, check_uscc, normalise
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.enterprises.fields import FORM_ORDER, REQUIRED, EnterpriseFields
from ui.enterprises.queries import EditorState
from ui.widgets.dialogs import DiscardDraftMixin, fit_to_screen, ok_cancel_buttons
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
from ui.widgets.messages import (
    ERROR_STYLE,
    NOTE_STYLE,
    OK_STYLE,
    WARNING_STYLE,
    MessageLabel,
)
from ui.widgets.shortcuts import save_shortcut


class EnterpriseEditor(DraftFormMixin, DiscardDraftMixin, QDialog):
    """Opened with an :class:`EditorState`; ``sig_saved(record_id)`` after a successful save."""

    sig_saved = Signal(str)
    REASON_FIELD = "uscc_override_reason"

    def __init__(self, ctx: AppContext, state: EditorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enterprise_editor")
        self.ctx, self.state = ctx, state
        self.saving = False
        self.discard_box = None
        record = state.record
        self.setWindowTitle(tr("ent_ui.editor.title_edit", name=record.name) if record
                            else tr("ent_ui.editor.title_new"))
        self.f = EnterpriseFields()
        self.errors = FieldMessages((*FORM_ORDER, "hazard_codes"))
        self.cells: dict[str, QWidget] = {}
        self.uscc_hint = MessageLabel()
        self.note = MessageLabel()
        self.summary = MessageLabel()
        self._build()

        if record is not None:
            self.f.stored_rule_set = record.risk_rule_set
            self.f.fill(record.as_dict())
        notes = [tr("ent_ui.editor.draft_restored")]
        if state.draft_stale:
            notes.append(tr("ent_ui.editor.draft_stale"))
        self._track_drafts(DRAFT_FORM, state.draft_key, state.draft, notes)
        assert self.autosave is not None
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
        self.form_layout = form = field_form_layout()
        for name in FORM_ORDER:
            label = tr(f"enterprise.{name}")
            label = tr("ent_ui.editor.required", label=label) if name in REQUIRED else label
            self.cells[name] = add_field_row(form, label, self.f.widget(name), self.errors[name],
                                             below=self.uscc_hint if name == "uscc" else None)
        hazards = group_box(tr("enterprise.hazard_codes"), self.f.hazard_codes,
                            self.errors["hazard_codes"])
        self.body = form_beside_panel(form, hazards)
        buttons, self.save_button, self.cancel_button = ok_cancel_buttons(
            tr("ent_ui.editor.save"), self.save, self.reject)
        save_shortcut(self.save_button)
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
        fit_to_screen(self, 1100, 660)

    def _connect(self) -> None:
        for name in FORM_ORDER:
            watch_field(self.f.widget(name), self.errors[name], self._schedule, self._flush)
        self.f.hazard_codes.sig_changed.connect(self._schedule)
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

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving or self.state.deleted:
            return
        self._begin_save()
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
        assert self.autosave is not None
        self.autosave.forget()
        self.sig_saved.emit(result.record_id or "")
        self.done(QDialog.DialogCode.Accepted)

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self._show_refusal(exc, "ent_ui.editor.save_failed")

    def show_problems(self, problems: list[FieldProblem]) -> None:
        if any(p.field == "uscc" for p in problems):
            self.uscc_hint.show_messages([])  # the service's words replace the live hint
        by_field, _ = self.errors.show_problems(problems, fallback="name")
        if any(p.overridable for p in problems):
            self._show_reason(True)
        only_warnings = show_summary(self.summary, problems, "ent_ui.editor.need_reason",
                                     "ent_ui.editor.fix_fields")
        first = self.REASON_FIELD if only_warnings else self.errors.first(by_field)
        self.f.widget(first).setFocus(Qt.FocusReason.OtherFocusReason)

    # -- cancelling ------------------------------------------------------------------------
    def reject(self) -> None:
        if self.saving:
            return
        assert self.autosave is not None
        self.autosave.timer.stop()
        if not self.has_unsaved() or self.state.deleted:
            self.autosave.pause()
            super().reject()
            return
        self.ask_discard_draft("ent_ui.editor.discard_title", "ent_ui.editor.discard_question")

    def _discard_draft(self) -> None:
        assert self.autosave is not None
        self.autosave.discard()
        super().reject()

    def _keep_draft(self) -> None:
        assert self.autosave is not None
        self.autosave.flush()
        self.autosave.pause()
        super().reject()
