"""Small widgets shared by the filter bar and the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QWidget

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #b26a00;"
OK_STYLE = "color: #2e7d32;"
NOTE_STYLE = "color: #555555;"


class SearchableCombo(QComboBox):
    """A combo over ``(code, label)`` choices the user can search by typing any part of a label.

    ``code()`` is the chosen item's code; text that matches no item is returned as typed
    (``free_text=True``, so the service can say precisely what is wrong with it) or reverts to
    the chosen item when focus leaves (``free_text=False``, for filters). The empty choice
    ("all", "not given") shows as the placeholder, so the user can start typing at once.
    """

    sig_code_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, free_text: bool = False) -> None:
        super().__init__(parent)
        self._free_text = free_text
        self._last = ""
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(15)
        self.setCompleter(completer)
        self.currentIndexChanged.connect(self._index_changed)
        self.lineEdit().editingFinished.connect(self._finish_editing)

    def set_choices(self, items: list[tuple[str, str]], empty_label: str | None = None) -> None:
        code = self.code()
        self.blockSignals(True)
        self.clear()
        if empty_label is not None:
            self.addItem(empty_label, "")
            self.lineEdit().setPlaceholderText(empty_label)
        for value, label in items:
            self.addItem(label, value)
        self.blockSignals(False)
        self.set_code(code, announce=False)

    def code(self) -> str:
        index = self.currentIndex()
        text = self.currentText().strip()
        if index >= 0 and text == self.itemText(index).strip():
            return str(self.itemData(index) or "")
        found = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if found >= 0:
            return str(self.itemData(found) or "")
        if not self._free_text:
            return str(self.itemData(index) or "") if index >= 0 else ""
        return text

    def set_code(self, code: str, *, announce: bool = True) -> None:
        self.blockSignals(True)
        found = self.findData(code) if code or self.findData("") >= 0 else -1
        if found >= 0:
            self.setCurrentIndex(found)
            self.setEditText(self.itemText(found) if code else "")
        else:
            self.setCurrentIndex(-1)
            self.setEditText(code)
        self.blockSignals(False)
        if announce:
            self._announce()
        else:
            self._last = self.code()

    def _finish_editing(self) -> None:
        if not self._free_text:
            index = self.currentIndex()
            text = self.currentText().strip()
            found = self.findText(text, Qt.MatchFlag.MatchFixedString)
            if found >= 0 and found != index:
                self.setCurrentIndex(found)
            elif index >= 0 and text != self.itemText(index):
                self.setEditText(self.itemText(index) if self.itemData(index) else "")
        self._announce()

    def _index_changed(self, index: int) -> None:
        if index >= 0 and not self.itemData(index) and self.currentText():
            self.setEditText("")  # the empty choice reads as the placeholder
        self._announce()

    def _announce(self) -> None:
        code = self.code()
        if code != self._last:
            self._last = code
            self.sig_code_changed.emit(code)


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
