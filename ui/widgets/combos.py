"""Combos over ``(code, label)`` choices: one the user can search by typing, plain ones, and
refilling a combo while keeping its choice."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


def code_combo(items: list[tuple[str, str]], empty_label: str | None = None) -> QComboBox:
    """A plain combo whose items carry their code (``currentData()``); ``empty_label`` first."""
    combo = QComboBox()
    if empty_label is not None:
        combo.addItem(empty_label, "")
    for code, label in items:
        combo.addItem(label, code)
    return combo


def refill_combo(combo: QComboBox, items: list[tuple[str, str]], empty_label: str) -> None:
    """Replace the items (``empty_label`` first), keeping the chosen code if it is still there;
    silently (no ``currentIndexChanged``)."""
    current = combo.currentData() or ""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(empty_label, "")
    for code, label in items:
        combo.addItem(label, code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def select_code(combo: QComboBox, code: object) -> None:
    """Choose the item carrying ``code`` (the first item when none does)."""
    combo.setCurrentIndex(max(0, combo.findData(code)))


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
