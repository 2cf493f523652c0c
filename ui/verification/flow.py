"""The guided, resumable verification of one project stage (三同时 核查): checklist → findings →
summary → signatures → locked. ``VerificationFlow(ctx, inspection_id)`` is the widget;
:func:`open_verification` shows it in its own window (one per inspection)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from ohinspect.errors import FieldProblem, OHInspectError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.drafts import discard_draft
from ohinspect.services.inspections import (ROLE_INSPECTOR, ROLE_PARTY, InspectionHeader,
                                            item_label, sign_and_lock, update_header)
from ohinspect.store.changes import Changes, OpResult
from ui.context import AppContext
from ui.verification.checklist_step import ChecklistStep
from ui.verification.data import (DRAFT_FORM, FlowState, default_opinion_days, load_flow_state,
                                  resume_item, stage_name)
from ui.verification.findings_step import FindingsStep
from ui.verification.locked_step import LockedStep
from ui.verification.model import FlowModel
from ui.verification.signatures_step import SignaturesStep, SignerBox
from ui.verification.summary_step import SummaryStep
from ui.widgets.autosave import DraftAutosave
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, WARNING_STYLE, MessageLabel

STEPS = ("checklist", "findings", "summary", "signatures", "locked")
CHECKLIST, FINDINGS, SUMMARY, SIGNATURES, LOCKED = range(5)
WINDOW_SIZE = (1280, 720)
PENDING_RETRY_MS = 100
EXTERNAL_RELOAD_MS = 200     # coalesce reloads after changes made elsewhere (undo, other windows)
#: the service's "no signature" problems, shown next to the pad as "签名为空"
BLANK_CODES = ("inspection.error.signature_blank", "inspection.error.signature_missing")    # fits 1366×768 with the task bar

_open_windows: dict[str, VerificationFlow] = {}


class VerificationFlow(QWidget):
    sig_loaded = Signal(str)         # inspection id, once shown
    sig_locked = Signal(str)         # signed and locked
    sig_step_changed = Signal(int)

    def __init__(self, ctx: AppContext, inspection_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verification_flow")
        self.ctx = ctx
        self.inspection_id = inspection_id
        self.model: FlowModel | None = None
        self.state: FlowState | None = None
        self.autosave: DraftAutosave | None = None
        self.signing = False
        self._sign_status = False         # the status line repeats a refused signing
        self.content: QWidget | None = None
        self.loading = QLabel(tr("ver_ui.loading"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self.reload_timer = QTimer(self)
        self.reload_timer.setSingleShot(True)
        self.reload_timer.setInterval(EXTERNAL_RELOAD_MS)
        self.reload_timer.timeout.connect(self._reload_after_change)
        ctx.sig_changed.connect(self._on_changes)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 6, 8, 6)
        self.layout_.addWidget(self.loading)
        self.load(inspection_id)

    # -- loading -----------------------------------------------------------------------------
    def load(self, inspection_id: str) -> None:
        """Show ``inspection_id`` (also after an amendment: the new draft replaces the view)."""
        if self.autosave is not None:
            self.autosave.flush()
            self.autosave.pause()
        if self.model is not None:
            self.model.flush_note()
        old = self.inspection_id
        self.inspection_id = inspection_id
        if _open_windows.get(old) is self:
            del _open_windows[old]
            _open_windows[inspection_id] = self
        self.ctx.runner.run(load_flow_state, self.ctx.store, inspection_id,
                            on_done=self._loaded, on_error=self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        message = exc.user_message() if isinstance(exc, OHInspectError) else str(exc)
        self.loading.setText(tr("ver_ui.load_failed", error=message))
        self.loading.show()
        if not isinstance(exc, OHInspectError):
            self.ctx.runner.report_error(exc, self)

    def _loaded(self, state: FlowState) -> None:
        if state.view.inspection.id != self.inspection_id:
            return   # another inspection was asked for meanwhile
        self.state = state
        if self.content is not None:
            self.layout_.removeWidget(self.content)
            self.content.deleteLater()
        self.loading.hide()
        if self.model is not None:
            self.model.note_timer.stop()
            self.model.deleteLater()
        self.model = FlowModel(self.ctx, state.view, self)
        self.content = self._build(self.model)
        self.layout_.addWidget(self.content, 1)
        self.content.show()   # now, not when the queued show of a late child arrives
        self._fill(state)
        self.sig_loaded.emit(self.inspection_id)

    def _on_changes(self, changes: Changes) -> None:
        """An undo (Ctrl+Z in the main window) or another window changed this inspection."""
        if self.inspection_id in changes.record_ids and self.model is not None \
                and not self.model.locked and not self.signing:
            self.reload_timer.start()

    def _reload_after_change(self) -> None:
        if self.model is not None and not self.model.locked and not self.signing:
            self.model.reload()

    # -- layout ------------------------------------------------------------------------------
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
        project = view.project.name if view.project is not None else ""
        parts = [view.enterprise.name, project, stage_name(ins.stage)]
        self.title.setText(tr("ver_ui.title", what=" · ".join(p for p in parts if p)))
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

    # -- steps -------------------------------------------------------------------------------
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

    # -- writes ------------------------------------------------------------------------------
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

    def show_sign_problems(self, problems: list[FieldProblem]) -> None:
        """Each problem next to what it is about; then go where the first thing to fix is."""
        assert self.model is not None
        boxes: dict[int, list[str]] = {}
        findings: dict[str, list[str]] = {}
        items: dict[str, str] = {}
        days: list[str] = []
        other: list[str] = []
        sent = getattr(self, "_sent_boxes", self.signatures.boxes)
        taken: dict[tuple[str, str], set[int]] = {}   # the same words about two people
        for p in problems:
            if p.field in ("answers", "photos"):
                item_id = self._item_of(p)
                if item_id:
                    items.setdefault(item_id, tr("ver_ui.sign.item_photo_missing")
                                     if p.field == "photos" else tr("ver_ui.sign.item_unanswered"))
                else:
                    other.append(p.message)
            elif p.field == "signatures":
                targets = self._boxes_of(p, sent)
                used = taken.setdefault((p.code, p.message), set())
                targets = [b for b in targets if id(b) not in used][:1] or targets
                used.update(id(b) for b in targets)
                text = tr("ver_ui.sign.blank") if p.code in BLANK_CODES else p.message
                for box in targets:
                    boxes.setdefault(id(box), []).append(text)
                if not targets:
                    other.append(p.message)
            elif p.field == "findings":
                row_ids = [i for i in self.findings.rows
                           if item_label(self.model.view.template.item(i)) in p.message]
                for item_id in row_ids:
                    findings.setdefault(item_id, []).append(p.message)
                if not row_ids:
                    other.append(p.message)
            elif p.field == "opinion_deadline_days":
                days.append(p.message)
            else:
                other.append(p.message)
        for box in self.signatures.boxes:
            box.show_messages(boxes.get(id(box), []))
        self.findings.show_problems(findings, [])
        self.summary.show_problems([], days)
        for item_id, message in items.items():
            self.model.sig_item_message.emit(item_id, message)
        summary = [tr("ver_ui.sign.refused_count", count=len(problems))] + other
        if items:
            summary.append(tr("ver_ui.sign.items_open", count=len(items)))
        self.signatures.message.show_messages(summary, ERROR_STYLE)
        if items or findings or days:   # the step with the summary is left: say it here too
            self.status.show_messages([tr("ver_ui.sign.refused_count", count=len(problems))],
                                      ERROR_STYLE)
            self._sign_status = True
        if items:
            first = next(i.id for i in self.model.items() if i.id in items)
            self.go_to_step(CHECKLIST)
            self.checklist.focus_item(first, items[first])
        elif findings:
            self.go_to_step(FINDINGS)
            row = self.findings.first_problem_row()
            if row is not None:
                row.requirement.setFocus(Qt.FocusReason.OtherFocusReason)
        elif days:
            self.go_to_step(SUMMARY)
            self.summary.days.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            first_box = next((b for b in self.signatures.boxes if id(b) in boxes), None)
            if first_box is not None:
                target = first_box.witness if first_box.is_refused() and first_box.witness \
                    else first_box.pad.clear_button
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _item_of(self, problem: FieldProblem) -> str:
        assert self.model is not None
        for item in self.model.items():
            if item_label(item) in problem.message:
                return item.id
        return ""

    def _boxes_of(self, problem: FieldProblem, boxes: list[SignerBox]) -> list[SignerBox]:
        code = problem.code
        if code in ("inspection.error.refusal_needs_witness", "inspection.error.party_missing"):
            return [b for b in boxes if b.role == ROLE_PARTY]
        if code == "inspection.error.inspector_missing":
            return [b for b in boxes if b.role == ROLE_INSPECTOR]
        found = []
        for box in boxes:
            role = tr(f"inspection.role.{box.role}")
            who = box.signer_name() or role
            if problem.message in (_format(code, signer=who), _format(code, role=role)):
                found.append(box)
        if code in BLANK_CODES and len(found) > 1:   # one person in two roles: the blank pad
            found = [b for b in found if b.pad.is_blank()] or found
        return found

    # -- window ------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.reload_timer.stop()
        if self.model is not None:
            self.model.flush_note()
        if self.autosave is not None:
            self.autosave.flush()
            self.autosave.pause()
        if _open_windows.get(self.inspection_id) is self:
            del _open_windows[self.inspection_id]
        super().closeEvent(event)


def _format(key: str, **values: object) -> str:
    """The message ``key`` with ``values``; "" when it takes other placeholders."""
    try:
        return tr(key, **values)
    except (KeyError, IndexError):
        return ""


def open_verification(ctx: AppContext, inspection_id: str,
                      parent: QWidget | None = None) -> VerificationFlow:
    """Show the verification in its own window (raised if it is open already)."""
    flow = _open_windows.get(inspection_id)
    if flow is not None:
        flow.show()
        flow.raise_()
        flow.activateWindow()
        return flow
    flow = VerificationFlow(ctx, inspection_id, parent)
    flow.setWindowFlag(Qt.WindowType.Window, True)
    flow.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    flow.setWindowTitle(tr("ver_ui.loading"))
    _open_windows[inspection_id] = flow
    flow.destroyed.connect(lambda *_a, f=flow: _forget(f))
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    width, height = WINDOW_SIZE
    if available is not None and (available.width() < width + 40 or
                                  available.height() < height + 60):
        flow.setGeometry(available)   # also where no window manager maximises
        flow.showMaximized()
    else:
        flow.resize(width, height)
        flow.show()
    return flow


def _forget(flow: VerificationFlow) -> None:
    for key in [k for k, v in _open_windows.items() if v is flow]:
        del _open_windows[key]
