"""Text inputs of the editors: a one-line field and multi-line notes."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from ohinspect.i18n import tr


def line_edit(max_length: int | None = None, placeholder_key: str | None = None) -> QLineEdit:
    """A one-line field with a clear button; ``placeholder_key`` is an i18n key."""
    edit = QLineEdit()
    if max_length:
        edit.setMaxLength(max_length)
    if placeholder_key:
        edit.setPlaceholderText(tr(placeholder_key))
    edit.setClearButtonEnabled(True)
    return edit


class NotesEdit(QPlainTextEdit):
    """Multi-line notes that ask for four lines (not Qt's default 192 px) and Tab out."""

    LINES = 4

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 12)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * self.LINES + 12)
