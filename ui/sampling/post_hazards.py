"""The hazard factors of a post: the enterprise's declared factors first, one tick each, above
the shared catalogue picker (ui/widgets/hazard_picker.py) for anything else found on site."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ui.sampling.tab_base import hazard_name
from ui.widgets.hazard_picker import HazardPicker
from ui.widgets.wrap_layout import WrapLayout


class PostHazards(QWidget):
    """``codes()`` (declared factors first, in the enterprise's order) / ``set_codes()``;
    ``sig_changed`` when the user ticks or unticks a factor here or in the catalogue."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.declared: list[str] = []
        self.boxes: dict[str, QCheckBox] = {}
        self.declared_label = QLabel(tr("smp_ui.post.declared"))
        self.declared_row = WrapLayout()   # many declared factors wrap onto more rows
        self.declared_row.setContentsMargins(0, 0, 0, 0)
        self.declared_row.addWidget(self.declared_label)
        self.picker = HazardPicker()
        self.picker.sig_changed.connect(self._picked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.declared_row)
        layout.addWidget(self.picker, 1)

    def set_declared(self, codes: list[str]) -> None:
        """The enterprise's declared factors, offered as ticks above the catalogue."""
        if codes == self.declared:
            return
        for box in self.boxes.values():
            self.declared_row.removeWidget(box)
            box.deleteLater()
        self.declared, self.boxes = list(codes), {}
        ticked = set(self.picker.codes())
        for n, code in enumerate(self.declared):
            box = QCheckBox(hazard_name(code))
            box.setObjectName(f"declared_{code}")
            box.setChecked(code in ticked)
            box.toggled.connect(lambda on, c=code: self._ticked(c, on))
            self.declared_row.insertWidget(1 + n, box)
            self.boxes[code] = box
        self.declared_label.setText(tr("smp_ui.post.declared") if codes
                                    else tr("smp_ui.post.none_declared"))

    def codes(self) -> list[str]:
        ticked = set(self.picker.codes())
        first = [c for c in self.declared if c in ticked]
        return first + sorted(ticked - set(first))

    def set_codes(self, codes: list[str]) -> None:
        self.picker.set_codes(codes)
        self._sync_boxes()

    def _ticked(self, code: str, on: bool) -> None:
        codes = set(self.picker.codes())
        if (code in codes) == on:
            return
        self.picker.set_codes(sorted(codes | {code} if on else codes - {code}))
        self.sig_changed.emit()

    def _picked(self) -> None:
        self._sync_boxes()
        self.sig_changed.emit()

    def _sync_boxes(self) -> None:
        ticked = set(self.picker.codes())
        for code, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(code in ticked)
            box.blockSignals(False)
