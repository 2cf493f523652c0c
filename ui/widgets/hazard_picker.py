"""Declared hazard factors: a checkable tree grouped by the catalogue's six categories."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import current_language, tr
from ohinspect.standards.hazards import HazardFactor, load_hazard_catalogue

CODE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


def _search_text(f: HazardFactor) -> str:
    return " ".join(filter(None, (f.code, f.name_zh, f.name_en, f.cas, f.note))).casefold()


class HazardPicker(QWidget):
    """``codes()`` / ``set_codes()``; ``sig_changed`` when the user ticks or unticks a factor."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("hazard_filter")
        self.filter_edit.setPlaceholderText(tr("ent_ui.hazards.filter"))
        self.filter_edit.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("hazard_tree")
        self.tree.setHeaderLabels([tr("ent_ui.hazards.name"), tr("ent_ui.hazards.cas")])
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._categories: list[QTreeWidgetItem] = []
        self._build()
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.tree.itemChanged.connect(self._item_changed)

    def _build(self) -> None:
        catalogue = load_hazard_catalogue()
        zh = current_language() == "zh_CN"
        self._updating = True
        for cat in catalogue.categories:
            top = QTreeWidgetItem([cat.name_zh if zh else cat.name_en])
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable
                         | Qt.ItemFlag.ItemIsAutoTristate)
            top.setCheckState(0, Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(top)
            self._categories.append(top)
            for f in catalogue.by_category(cat.code):
                label = f.name(current_language())
                if f.note and zh:  # notes are Chinese text; other languages see them as tooltip
                    label = tr("ent_ui.hazards.with_note", name=label, note=f.note)
                item = QTreeWidgetItem([label, f.cas or ""])
                item.setData(0, CODE_ROLE, f.code)
                item.setData(0, SEARCH_ROLE, _search_text(f))
                item.setToolTip(0, " / ".join(filter(None, (f.name_zh, f.name_en, f.note))))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                top.addChild(item)
                self._items[f.code] = item
        self._updating = False
        self._update_summary()

    def codes(self) -> list[str]:
        return sorted(code for code, item in self._items.items()
                      if item.checkState(0) == Qt.CheckState.Checked)

    def set_codes(self, codes: list[str]) -> None:
        """Tick exactly ``codes`` (unknown codes are ignored here; the service reports them)."""
        wanted = set(codes)
        self._updating = True
        for code, item in self._items.items():
            state = Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked
            if item.checkState(0) != state:
                item.setCheckState(0, state)
        for top in self._categories:  # open the categories that hold declared factors
            top.setExpanded(top.checkState(0) != Qt.CheckState.Unchecked)
        self._updating = False
        self._update_summary()

    def item(self, code: str) -> QTreeWidgetItem | None:
        return self._items.get(code)

    def apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for top in self._categories:
            shown = 0
            for i in range(top.childCount()):
                child = top.child(i)
                hit = not needle or needle in str(child.data(0, SEARCH_ROLE))
                child.setHidden(not hit)
                shown += hit
            top.setHidden(bool(needle) and not shown)
            top.setExpanded(bool(needle) and shown > 0)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or column != 0 or item.data(0, CODE_ROLE) is None:
            return  # category rows follow their children (auto tristate)
        self._update_summary()
        self.sig_changed.emit()

    def _update_summary(self) -> None:
        codes = self.codes()
        self.summary.setText(tr("ent_ui.hazards.selected", count=len(codes)))
        self.summary.setToolTip("\n".join(str(self._items[c].text(0)) for c in codes))
