"""Step navigation of the verification flow: the five steps (checklist → findings → summary →
signatures → locked), moving between them (flushing notes and drafts, saving the summary on
the way) and refreshing the forms a step shows. A part of
:class:`ui.verification.flow.VerificationFlow`."""

from __future__ import annotations

from ohinspect.i18n import tr
from ui.verification.data import default_opinion_days
from ui.widgets.messages import NOTE_STYLE

STEPS = ("checklist", "findings", "summary", "signatures", "locked")
CHECKLIST, FINDINGS, SUMMARY, SIGNATURES, LOCKED = range(5)


class FlowSteps:
    """The step navigation of :class:`~ui.verification.flow.VerificationFlow` (a mixin: it
    uses the flow's model, widgets and autosave)."""

    def current_step(self) -> int:
        return self.stack.currentIndex() if self.content is not None else -1

    def go_to_step(self, index: int) -> None:
        if self.model is None or not 0 <= index < len(STEPS):
            return
        if index == LOCKED and not self.model.locked:
            index = SIGNATURES
        previous = self.stack.currentIndex()
        if previous == CHECKLIST:
            self.model.flush_note()
        if self.autosave is not None:
            self.autosave.flush()
        if previous == SUMMARY and index != SUMMARY:
            self.save_summary()
        if index == SIGNATURES and self._sign_status:
            self.status.show_messages([])   # the signatures step says it itself
            self._sign_status = False
        self.stack.setCurrentIndex(index)
        self.step_buttons[index].setChecked(True)
        self.prev_step_button.setEnabled(index > 0)
        last = LOCKED if self.model.locked else SIGNATURES
        self.next_step_button.setEnabled(index < last)
        if index in (FINDINGS, SUMMARY, SIGNATURES) and not self.model.locked:
            self.model.reload(self._refresh_forms)
        self.sig_step_changed.emit(index)

    def move_step(self, delta: int) -> None:
        self.go_to_step(self.current_step() + delta)

    def _refresh_forms(self) -> None:
        self.findings.sync()
        self.summary.refresh_counts()
        if not self.summary.days.value() and self.model is not None:
            self.summary.days.setValue(default_opinion_days(self.model.view,
                                                            self.model.finding_ids()))
        self.signatures.build()

    def _all_answered(self) -> None:
        self.status.show_messages([tr("ver_ui.all_answered")], NOTE_STYLE)
