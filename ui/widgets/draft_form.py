"""The editor forms' drafts and saving: input written to a draft as the user types, a draft
shown over the stored record, a refused save's problems next to their fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QWidget

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ui.context import AppContext
from ui.widgets.autosave import DraftAutosave
from ui.widgets.field_form import FieldMessages
from ui.widgets.messages import NOTE_STYLE, OK_STYLE, MessageLabel


class DraftFormMixin:
    """For a form widget with ``ctx``, fields ``f`` (``collect()``, ``fill(values)``,
    ``widget(name)``), their messages ``errors``, the row cells ``cells`` of ``form_layout``, a
    ``note`` line above and a ``summary`` line under the form, and ``show_problems``.
    ``autosave`` is None until a record (or an empty form) is shown; ``REASON_FIELD``'s row is
    shown only while a reason is needed or given."""

    REASON_FIELD: str
    ctx: AppContext
    f: Any
    errors: FieldMessages
    cells: dict[str, QWidget]
    form_layout: QFormLayout
    note: MessageLabel
    summary: MessageLabel
    autosave: DraftAutosave | None = None
    saving: bool = False

    def show_problems(self, problems: list[FieldProblem]) -> None:
        raise NotImplementedError

    # -- drafts ----------------------------------------------------------------------------
    def _schedule(self) -> None:
        if self.autosave is not None:
            self.autosave.schedule()

    def _flush(self) -> None:
        if self.autosave is not None:
            self.autosave.flush()

    def has_unsaved(self) -> bool:
        return self.autosave is not None and (self.autosave.has_draft or self.autosave.is_dirty())

    def _stop_autosave(self) -> None:
        if self.autosave is not None:
            self.autosave.pause()
            self.autosave.deleteLater()
            self.autosave = None

    def _track_drafts(self, form: str, key: str, draft: dict[str, Any] | None,
                      notes: list[str]) -> None:
        """What the fields hold now is what is stored; ``draft`` (if any) is shown over it and
        ``notes`` say so. From here on the input is written to the draft ``(form, key)``."""
        original = self.f.collect()
        if draft is not None:
            self.f.fill(draft)
            self.note.show_messages(notes, NOTE_STYLE)
        self.autosave = DraftAutosave(
            self.ctx, form, key, self.f.collect, original, has_draft=draft is not None,
            parent=self)  # type: ignore[arg-type]

    # -- the reason row --------------------------------------------------------------------
    def _show_reason(self, needed: bool) -> None:
        visible = needed or bool(self.f.widget(self.REASON_FIELD).text()) or \
            self.errors[self.REASON_FIELD].isVisibleTo(self)  # type: ignore[arg-type]
        self.form_layout.setRowVisible(self.cells[self.REASON_FIELD], visible)

    def reason_visible(self) -> bool:
        return self.form_layout.isRowVisible(self.cells[self.REASON_FIELD])

    # -- saving ----------------------------------------------------------------------------
    def _begin_save(self) -> None:
        assert self.autosave is not None
        self.autosave.flush()   # the draft is current if the save is refused
        self.autosave.pause()
        self.saving = True

    def _show_saved(self, saved_key: str) -> None:
        """Saved by a service that does not know the form's draft: drop it here."""
        assert self.autosave is not None
        self.autosave.discard()
        self.errors.clear_messages()
        self.note.show_messages([])
        self.summary.show_messages([tr(saved_key)], OK_STYLE)

    def _show_refusal(self, exc: BaseException, failed_key: str) -> None:
        """The save failed: the user edits on; problems next to their fields, anything else
        reported."""
        if self.autosave is not None:
            self.autosave.resume()
        if isinstance(exc, ValidationError):
            self.show_problems(exc.problems)
        else:
            self.summary.show_messages([tr(failed_key)])
            self.ctx.runner.report_error(exc, self)  # type: ignore[arg-type]
