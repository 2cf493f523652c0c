"""The base of the list screens' filter bars: a search field whose typing is debounced, and
filters (combos, check boxes) that apply at once."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QLineEdit, QWidget

from ohinspect.i18n import tr
from ui.widgets.wrap_layout import WrapLayout, labelled as label_pair

SEARCH_DELAY_MS = 150


class DebouncedFilterBar(QWidget):
    """``sig_filter_changed`` fires once the user pauses typing, or at once for the combos.

    A subclass builds its filters, then calls :meth:`_lay_out` and :meth:`_apply_at_once`."""

    sig_filter_changed = Signal()

    def __init__(self, search_name: str, placeholder_key: str, search_width: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName(search_name)
        self.search.setPlaceholderText(tr(placeholder_key))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(search_width)

    def _lay_out(self, labelled: Iterable[tuple[str, QWidget, int]],
                 *trailing: QWidget) -> None:
        """The search field, then each ``(label key, filter, stretch)``, then ``trailing``; on a
        narrow window they wrap onto a second row (a filter keeps its label beside it), and the
        search field and the filters with a stretch widen to fill their row."""
        layout = WrapLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        for key, widget, stretch in labelled:
            layout.addWidget(label_pair(tr(key), widget, stretch=bool(stretch)))
        for widget in trailing:
            layout.addWidget(widget)

    def _apply_at_once(self, *signals: SignalInstance) -> None:
        """Start the debounce on typing; search at once on Enter and on each of ``signals``."""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.sig_filter_changed)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self.apply_now)
        for signal in signals:
            signal.connect(lambda *_a: self.apply_now())

    def apply_now(self) -> None:
        self.timer.stop()
        self.sig_filter_changed.emit()
