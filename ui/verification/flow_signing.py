"""Signing from the verification flow: the summary written through ``update_header``, then the
signatures, findings and opinion deadline sent to ``sign_and_lock`` once every answer is stored.
A part of :class:`ui.verification.flow.VerificationFlow`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer

from ohinspect.errors import OHInspectError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.drafts import discard_draft
from ohinspect.services.inspections import (
    InspectionHeader,
    sign_and_lock,
    update_header,
)
from ohinspect.store.changes import OpResult
from ui.verification.data import DRAFT_FORM
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE

PENDING_RETRY_MS = 100


class FlowSigning:
    """The writes of :class:`~ui.verification.flow.VerificationFlow` (a mixin: it uses the
    flow's context, model and steps)."""

    def _header(self) -> InspectionHeader:
        assert self.model is not None
        ins = self.model.view.inspection
        return InspectionHeader(place=ins.place, authority=ins.authority,
                                inspectors=[dict(p) for p in ins.inspectors or []],
                                recorder=ins.recorder,
                                party_representative=ins.party_representative,
                                party_title=ins.party_title,
                                summary=self.summary.summary.toPlainText())

    def save_summary(self, on_done: Any = None) -> None:
        """Write the summary text through update_header when it differs from the record."""
        if self.model is None or self.model.locked:
            return
        text = self.summary.summary.toPlainText()
        if text.strip() == (self.model.view.inspection.summary or "").strip():
            if on_done is not None:
                on_done(None)
            return

        def done(result: OpResult) -> None:
            if self.model is not None:
                self.model.view.inspection.summary = text.strip()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self.signing = False
            if isinstance(exc, ValidationError):
                self.summary.show_problems([p.message for p in exc.problems], [])
            else:
                self.ctx.runner.report_error(exc, self)

        self.ctx.perform(update_header, self.model.inspection_id, self._header(),
                         on_done=done, on_error=failed)

    def sign(self) -> None:
        if self.model is None or self.model.locked or self.signing:
            return
        self.model.flush_note()
        if any(self.model.pending.values()):   # answers still on their way: sign after them
            QTimer.singleShot(PENDING_RETRY_MS, self.sign)
            return
        self.signing = True
        if self.autosave is not None:
            self.autosave.flush()
        self.signatures.clear_problems()
        self.findings.clear_problems()
        self.status.show_messages([])
        self.summary.show_problems([], [])
        self.signatures.message.show_messages([tr("ver_ui.sign.signing")], NOTE_STYLE)
        self.signatures.sign_button.setEnabled(False)
        # the findings must match the answers as stored: read, then sign
        self.model.reload(lambda: self.save_summary(lambda _r: self._send_signatures()))

    def _send_signatures(self) -> None:
        assert self.model is not None
        self._refresh_forms()
        boxes = self.signatures.inputs()
        self._sent_boxes = [box for box, _sig in boxes]
        self.ctx.perform(sign_and_lock, self.model.inspection_id, [sig for _b, sig in boxes],
                         self.findings.inputs(), self.summary.opinion_days(),
                         on_done=self._signed, on_error=self._sign_failed)

    def _signed(self, _result: OpResult) -> None:
        self.signing = False
        if self.autosave is not None:
            self.autosave.pause()
        self.ctx.runner.run(discard_draft, self.ctx.store, DRAFT_FORM, self.inspection_id,
                            write=True)
        self.sig_locked.emit(self.inspection_id)
        self.load(self.inspection_id)

    def _sign_failed(self, exc: BaseException) -> None:
        self.signing = False
        self.signatures.sign_button.setEnabled(True)
        if not isinstance(exc, ValidationError):
            message = exc.user_message() if isinstance(exc, OHInspectError) else \
                tr("ver_ui.sign.failed")
            self.signatures.message.show_messages([message], ERROR_STYLE)
            if not isinstance(exc, OHInspectError):
                self.ctx.runner.report_error(exc, self)
            return
        self.show_sign_problems(exc.problems)
