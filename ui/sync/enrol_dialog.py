"""Asks for the platform user and password (enrolment; with no keyring, at each start)."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from ohinspect.i18n import tr
from ui.widgets.dialogs import fit_to_screen


class EnrolDialog(QDialog):
    def __init__(self, server: str, user: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("sync_ui.enrol_title"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("sync_ui.enrol_intro", server=server))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        form = QFormLayout()
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("sync_ui.user"), self.user)
        form.addRow(tr("sync_ui.password"), self.password)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("sync_ui.enrol_ok"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("ui.cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)

    def _accept(self) -> None:
        if self.user.text().strip() and self.password.text():
            self.accept()
