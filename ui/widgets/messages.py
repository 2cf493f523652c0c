"""The colours of messages and the label that shows them right under a field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #b26a00;"
OK_STYLE = "color: #2e7d32;"
NOTE_STYLE = "color: #555555;"


class MessageLabel(QLabel):
    """The red (or amber) text right under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_messages(self, messages: list[str], style: str = ERROR_STYLE) -> None:
        self.setStyleSheet(style)
        self.setText("\n".join(messages))
        self.setVisible(bool(messages))
