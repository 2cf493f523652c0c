"""Changing an audit item's grade: the reason is asked for, then the change is written as an
explicit one (issue 5, Bad input: "grading an item twice" is refused without it)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ui.verification.model import FlowModel
from ui.widgets.dialogs import fit_to_screen, ok_cancel_buttons
from ui.widgets.inputs import NotesEdit
from ui.widgets.messages import MessageLabel


class ChangeGradeDialog(QDialog):
    """``sig_change(item_id, grade, reason)`` once a reason is given."""

    sig_change = Signal(str, str, str)

    def __init__(self, item_id: str, item_text: str, old: str, new: str, grade: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("change_grade_dialog")
        self.item_id, self.grade = item_id, grade
        self.setWindowTitle(tr("aud_ui.regrade.title"))
        intro = QLabel(tr("aud_ui.regrade.intro", item=item_text, old=old, new=new))
        intro.setWordWrap(True)
        self.reason = NotesEdit()
        self.reason.setObjectName("regrade_reason")
        self.reason.setPlaceholderText(tr("aud_ui.regrade.placeholder"))
        self.error = MessageLabel()
        buttons, self.ok_button, _cancel = ok_cancel_buttons(tr("aud_ui.regrade.ok"), self.submit,
                                                             self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, 240)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.error.show_messages([tr("aud_ui.regrade.reason_needed")])
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.sig_change.emit(self.item_id, self.grade, reason)
        self.accept()


def ask_grade_change(parent: QWidget, model: FlowModel, item_id: str, grade: str) -> None:
    """Ask why the graded item ``item_id`` gets ``grade`` now; write the change if told."""
    view = model.view
    item = view.template.item(item_id)
    kind = view.template.answer_types[item.answer_type]
    old, new = kind.option(model.saved.get(item_id, ("", ""))[0]), kind.option(grade)
    dialog = ChangeGradeDialog(item_id, item.text(), old.label() if old else "—",
                               new.label() if new else grade, grade, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sig_change.connect(model.change_grade)
    dialog.open()
