"""Dialog parts: the OK / Cancel row, and the question asked when an editor with unsaved input
is closed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
)

from ohinspect.i18n import tr


def ok_cancel_buttons(ok_text: str, on_ok: Callable[[], None], on_cancel: Callable[[], None]
                      ) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """``(box, ok, cancel)``; neither button is pressed by Enter in a field."""
    buttons = QDialogButtonBox()
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setAutoDefault(False)
    cancel = buttons.addButton(tr("ui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    cancel.setAutoDefault(False)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(on_cancel)
    return buttons, ok, cancel


class DiscardDraftMixin:
    """For an editor dialog closed with unsaved input: :meth:`ask_discard_draft` asks whether to
    discard the draft, keep it for later, or continue editing (the default). The answer calls
    :meth:`_discard_draft` or :meth:`_keep_draft` (each closes the dialog); continuing does
    nothing. ``discard_box`` is the open question."""

    discard_box: QMessageBox | None = None
    discard_btn: QAbstractButton
    keep_btn: QAbstractButton
    continue_btn: QAbstractButton

    def ask_discard_draft(self, title_key: str, question_key: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, tr(title_key), tr(question_key),
                          QMessageBox.StandardButton.NoButton, self)  # type: ignore[arg-type]
        self.discard_btn = box.addButton(tr("ent_ui.editor.discard"),
                                         QMessageBox.ButtonRole.DestructiveRole)
        self.keep_btn = box.addButton(tr("ent_ui.editor.keep_draft"),
                                      QMessageBox.ButtonRole.AcceptRole)
        self.continue_btn = box.addButton(tr("ent_ui.editor.continue"),
                                          QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.continue_btn)  # type: ignore[arg-type]
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(self._discard_answer)
        self.discard_box = box
        box.open()

    def _discard_answer(self, button: object) -> None:
        self.discard_box = None
        if button is self.discard_btn:
            self._discard_draft()
        elif button is self.keep_btn:
            self._keep_draft()

    def _discard_draft(self) -> None:
        raise NotImplementedError

    def _keep_draft(self) -> None:
        raise NotImplementedError
