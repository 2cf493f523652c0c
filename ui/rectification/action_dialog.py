"""One dialog for every transition of a rectification item: it shows the fields the transition
requires in ``resources/rules/rectification.yaml`` (who and in which role, a note, evidence
files, the re-test task, a new deadline) and runs the service in the background; problems
appear next to their fields and nothing is written."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification import (EvidenceFile, confirm_look_back, escalate,
                                              record_retest, reopen, review, submit_correction)
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.changes import OpResult
from ohinspect.store.database import Store
from ohinspect.store.uow import Actor
from ui.context import AppContext
from ui.tasks import if_alive, user_message
from ui.widgets.dialogs import fit_to_screen, ok_cancel_buttons
from ui.widgets.messages import MessageLabel

SCAN_TYPES = ("application/pdf", "image/tiff")


def evidence_files(paths: Sequence[str]) -> list[EvidenceFile]:
    """The chosen files read (in the background): photos, or scans for PDF/TIFF."""
    out = []
    for p in paths:
        media = mimetypes.guess_type(p)[0] or "application/octet-stream"
        out.append(EvidenceFile(Path(p).read_bytes(), media,
                                "scan" if media in SCAN_TYPES else "photo", Path(p).name[:200]))
    return out


def run_action(store: Store, actor: Actor, item_id: str, action: str, *, role: str,
               by_name: str, note: str, paths: Sequence[str], retest_task: str,
               deadline: date | None, today: date) -> OpResult:
    """The service of ``action`` (runs off the GUI thread; evidence files are read here)."""
    common = {"role": role, "by_name": by_name, "today": today}
    if action == "submit_correction":
        return submit_correction(store, actor, item_id, evidence=evidence_files(paths),
                                 note=note, **common)
    if action in ("review_pass", "review_fail"):
        return review(store, actor, item_id, passed=action == "review_pass", note=note, **common)
    if action == "escalate":
        return escalate(store, actor, item_id, note=note, **common)
    if action in ("retest_pass", "retest_fail"):
        return record_retest(store, actor, item_id, retest_task, note=note, **common)
    if action == "reopen":
        return reopen(store, actor, item_id, note=note, deadline=deadline, **common)
    return confirm_look_back(store, actor, item_id, note=note, **common)


class ActionDialog(QDialog):
    """``action`` on ``item_id``; ``retest_choices`` are (task id, label) of signed tasks."""

    def __init__(self, ctx: AppContext, item_id: str, action: str, *,
                 retest_choices: Sequence[tuple[str, str]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.item_id, self.action = ctx, item_id, action
        t = load_rectification_rules().transition(action)
        self.setWindowTitle(tr(f"rectification.action.{action}"))
        self.setObjectName("rect_action_dialog")
        self.role = QComboBox()
        for r in t.roles:
            self.role.addItem(tr(f"rectification.role.{r}"), r)
        mine = ctx.settings.role or "inspector"
        self.role.setCurrentIndex(max(0, self.role.findData(mine)))
        self.by_name = QLineEdit(ctx.settings.user_name)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.files = QListWidget()
        self.files.setFixedHeight(70)
        self.add_files_button = QPushButton(tr("rect_ui.action.add_files"))
        self.add_files_button.clicked.connect(self._pick_files)
        self.retest = QComboBox()
        for task_id, label in retest_choices:
            self.retest.addItem(label, task_id)
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText(tr("rect_ui.date_hint"))
        self.messages: dict[str, MessageLabel] = {}
        form = QFormLayout()
        self._row(form, "role", tr("rect_ui.action.role"), self.role)
        self._row(form, "by_name", tr("rect_ui.action.by_name"), self.by_name)
        if "evidence" in t.requires:
            box = QWidget()
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(self.files, 1)
            line.addWidget(self.add_files_button, 0, Qt.AlignmentFlag.AlignTop)
            self._row(form, "evidence", tr("rect_ui.action.evidence"), box)
        if t.requires & {"retest_pass", "retest_fail"}:
            self._row(form, "retest_ref", tr("rect_ui.action.retest_task"), self.retest)
        if "new_deadline" in t.requires:
            self._row(form, "deadline", tr("rect_ui.action.new_deadline"), self.deadline)
        self._row(form, "note", tr("rect_ui.action.note_required") if "note" in t.requires
                  else tr("rect_ui.action.note"), self.note)
        self.summary = MessageLabel()
        buttons, self.ok_button, _cancel = ok_cancel_buttons(
            tr(f"rectification.action.{action}"), self.submit, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        fit_to_screen(self, 560)
        self.by_name.setFocus()

    def _row(self, form: QFormLayout, name: str, label: str, widget: QWidget) -> None:
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(widget)
        self.messages[name] = MessageLabel()
        box.addWidget(self.messages[name])
        buddy = QLabel(label)
        buddy.setBuddy(widget)
        form.addRow(buddy, cell)

    def _pick_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("rect_ui.action.add_files"), "",
                                                tr("rect_ui.action.file_filter"))
        self.add_files(paths)

    def add_files(self, paths: Sequence[str]) -> None:
        for p in paths:
            self.files.addItem(p)

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def _deadline(self) -> date | None:
        text = self.deadline.text().strip()
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    def submit(self) -> None:
        for label in self.messages.values():
            label.hide()
        self.summary.hide()
        self.ok_button.setEnabled(False)
        self.ctx.perform(run_action, self.item_id, self.action,
                         role=str(self.role.currentData() or ""),
                         by_name=self.by_name.text().strip(),
                         note=self.note.toPlainText().strip(), paths=self.paths(),
                         retest_task=str(self.retest.currentData() or ""),
                         deadline=self._deadline(), today=local_today(),
                         on_done=self._done, on_error=self._failed)

    @if_alive
    def _done(self, _result: OpResult) -> None:
        self.accept()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if not isinstance(exc, ValidationError):
            self.summary.show_messages([user_message(exc)])
            return
        rest: list[FieldProblem] = []
        for p in exc.problems:
            label = self.messages.get(p.field)
            if label is not None:
                label.show_messages([p.message])
            else:
                rest.append(p)
        if rest:
            self.summary.show_messages([p.message for p in rest])
