"""RectificationPage (整改跟踪): the item list, the look-back list, periodic testing due dates
and the rectification rates, one tab each (Ctrl+1…4 switch tabs)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ui.context import AppContext
from ui.rectification.due_tab import DueTab
from ui.rectification.items_tab import ItemsTab
from ui.rectification.lookback_tab import LookBackTab
from ui.rectification.rates_tab import RatesTab


class RectificationPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items = ItemsTab(ctx)
        self.look_back = LookBackTab(ctx)
        self.due = DueTab(ctx)
        self.rates = RatesTab(ctx)
        self.tabs = QTabWidget()
        for n, (widget, key) in enumerate(((self.items, "items"), (self.look_back, "look_back"),
                                           (self.due, "due"), (self.rates, "rates")), start=1):
            self.tabs.addTab(widget, tr(f"rect_ui.tab.{key}"))
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            shortcut.activated.connect(lambda i=n - 1: self.tabs.setCurrentIndex(i))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
