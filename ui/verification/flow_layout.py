"""The widgets of the verification flow: its title, step buttons, steps and status line built
for a loaded inspection and filled from it, and the draft of what is not yet a record (findings
edits, summary, refusal). A part of :class:`ui.verification.flow.VerificationFlow`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ui.verification.checklist_step import ChecklistStep
from ui.verification.data import (
    DRAFT_FORM,
    FlowState,
    default_opinion_days,
    flow_title,
    resume_item,
)
from ui.verification.findings_step import FindingsStep
from ui.verification.flow_steps import CHECKLIST, LOCKED, STEPS
from ui.verification.locked_step import LockedStep
from ui.verification.model import FlowModel
from ui.verification.signatures_step import SignaturesStep
from ui.verification.summary_step import SummaryStep
from ui.widgets.autosave import DraftAutosave
from ui.widgets.messages import NOTE_STYLE, WARNING_STYLE, MessageLabel


class FlowLayout:
    """Building and filling the widgets of :class:`~ui.verification.flow.VerificationFlow`
    (a mixin: it uses the flow's context, model and state)."""

    def _build(self, model: FlowModel) -> QWidget:
        content = QWidget()
        self.title = QLabel()
        self.title.setObjectName("flow_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setObjectName("flow_state")
        self.header_info = QLabel()
        self.header_info.setObjectName("flow_header")
        self.header_info.setWordWrap(True)
        self.header_info.setStyleSheet(NOTE_STYLE)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.state_label)

        self.step_group = QButtonGroup(self)
        self.step_group.setExclusive(True)
        self.step_buttons: list[QPushButton] = []
        bar = QHBoxLayout()
        bar.setSpacing(4)
        for n, key in enumerate(STEPS):
            button = QPushButton(tr("ver_ui.step_button", n=n + 1, name=tr(f"ver_ui.step.{key}")))
            button.setObjectName(f"step_btn_{key}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setToolTip(tr("ver_ui.shortcut_hint", keys=QKeySequence(
                f"Alt+{n + 1}").toString(QKeySequence.SequenceFormat.NativeText)))
            self.step_group.addButton(button, n)
            self.step_buttons.append(button)
            bar.addWidget(button)
        bar.addStretch(1)
        self.step_group.idClicked.connect(self.go_to_step)

        self.checklist = ChecklistStep(self.ctx, model)
        self.findings = FindingsStep(model)
        self.summary = SummaryStep(model)
        self.signatures = SignaturesStep(model)
        self.locked_step = LockedStep(self.ctx, model)
        self.stack = QStackedWidget()
        for step in (self.checklist, self.findings, self.summary, self.signatures,
                     self.locked_step):
            self.stack.addWidget(step)
        self.checklist.sig_all_answered.connect(self._all_answered)
        self.signatures.sig_sign.connect(self.sign)
        self.locked_step.sig_open_inspection.connect(self.load)
        for step in (self.findings, self.summary, self.signatures):
            step.sig_changed.connect(self._form_changed)

        self.status = MessageLabel()
        self.status.setObjectName("flow_status")
        self.prev_step_button = QPushButton(tr("ver_ui.prev_step"))
        self.prev_step_button.setObjectName("btn_prev_step")
        self.next_step_button = QPushButton(tr("ver_ui.next_step"))
        self.next_step_button.setObjectName("btn_next_step")
        for button, delta, keys in ((self.prev_step_button, -1, "Ctrl+PgUp"),
                                    (self.next_step_button, 1, "Ctrl+PgDown")):
            button.setAutoDefault(False)
            button.setToolTip(tr("ver_ui.shortcut_hint", keys=QKeySequence(keys).toString(
                QKeySequence.SequenceFormat.NativeText)))
            button.clicked.connect(lambda _c=False, d=delta: self.move_step(d))
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addStretch()          # takes the room while there is no message
        bottom.addWidget(self.prev_step_button)
        bottom.addWidget(self.next_step_button)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.header_info)
        layout.addLayout(bar)
        layout.addWidget(line)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for n in range(len(STEPS)):
            shortcut = QShortcut(QKeySequence(f"Alt+{n + 1}"), content, context=context)
            shortcut.activated.connect(lambda n=n: self.go_to_step(n))
        for keys, delta in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), content, context=context)
            shortcut.activated.connect(lambda d=delta: self.move_step(d))
        return content

    def _fill(self, state: FlowState) -> None:
        view = state.view
        ins = view.inspection
        self.title.setText(flow_title(view))
        self.setWindowTitle(self.title.text())
        people = tr("ver_ui.list_sep").join(p.get("name", "") for p in ins.inspectors or []) \
            or "—"
        self.header_info.setText(tr("ver_ui.header_info", place=ins.place or "—",
                                    authority=ins.authority or "—", inspectors=people,
                                    recorder=ins.recorder or "—",
                                    party=ins.party_representative or "—"))
        locked = view.locked
        if locked:
            self.state_label.setText(tr("ver_ui.state.locked"))
            self.state_label.setStyleSheet("color: #2e7d32; font-weight: bold;")
        else:
            self.state_label.setText(tr("ver_ui.state.amendment_draft") if ins.amends_id
                                     else tr("ver_ui.state.draft"))
            self.state_label.setStyleSheet("color: #b26a00; font-weight: bold;")
        if ins.amends_id and not locked:
            self.status.show_messages([tr("ver_ui.amendment_note",
                                          reason=ins.amendment_reason)], WARNING_STYLE)
        self.step_buttons[LOCKED].setVisible(locked)
        self.signatures.build()
        draft_values = state.draft.values if state.draft is not None and not locked else {}
        self.findings.sync(dict(draft_values.get("findings") or {}))
        self.summary.summary.setPlainText(ins.summary or "")
        self.summary.refresh_counts()
        if locked:
            self.summary.days.setValue(ins.opinion_deadline_days or 0)
        else:
            self.summary.days.setValue(default_opinion_days(view, self.model.finding_ids()))
        original = self.collect()
        if draft_values:
            self._apply_draft(draft_values)
        self.autosave = DraftAutosave(self.ctx, DRAFT_FORM, ins.id, self.collect, original,
                                      has_draft=bool(draft_values), parent=self)
        if locked:
            self.autosave.pause()
            self.checklist.set_read_only(True)
            self.findings.set_read_only(True)
            self.summary.set_read_only(True)
            self.signatures.set_read_only(True)
            self.signatures.show_stored(view.signatures, state.signature_images)
            self.locked_step.refresh()
            self.checklist.show_item(view.items[0].id if view.items else "")
            self.go_to_step(LOCKED)
        else:
            target = resume_item(view)
            if target:
                self.checklist.show_item(target)
            self.go_to_step(CHECKLIST)
            self.checklist.list.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the draft of what is not yet a record (findings edits, summary, refusal) ------------
    def collect(self) -> dict[str, Any]:
        party = self.signatures.party
        return {
            "findings": self.findings.values(),
            "summary": self.summary.summary.toPlainText(),
            "opinion_days": self.summary.days.value(),
            "party_refused": bool(party and party.is_refused()),
            "witness": party.witness.text() if party and party.witness else "",
            "party_name": party.signer_name() if party else "",
        }

    def _apply_draft(self, values: dict[str, Any]) -> None:
        if "summary" in values:
            self.summary.summary.setPlainText(str(values["summary"]))
        if values.get("opinion_days"):
            self.summary.days.setValue(int(values["opinion_days"]))
        party = self.signatures.party
        if party is not None:
            if values.get("party_name") and party.name_edit is not None:
                party.name_edit.setText(str(values["party_name"]))
            if party.refused is not None:
                party.refused.setChecked(bool(values.get("party_refused")))
            if party.witness is not None:
                party.witness.setText(str(values.get("witness") or ""))
        self.status.show_messages([tr("ver_ui.draft_restored")], NOTE_STYLE)

    def _form_changed(self) -> None:
        if self.autosave is not None and not self.signing:
            self.autosave.schedule()
