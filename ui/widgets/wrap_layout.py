"""A layout that puts its items in a row and wraps them onto further rows when the width runs
out: a filter bar stays usable on a small screen (1366×768 at 150 % scaling leaves about
911 device-independent pixels) and with longer English labels."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem

DEFAULT_SPACING = 6


class WrapLayout(QLayout):
    """Items keep their size hint; items whose horizontal size policy expands share what is
    left of their row. The height follows the width (``heightForWidth``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    # -- QLayout -----------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        items = self._visible()
        width = sum(i.sizeHint().width() for i in items) + self._gap() * max(len(items) - 1, 0)
        height = max((i.sizeHint().height() for i in items), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:
        """As narrow as the widest item: the rest wraps."""
        items = self._visible()
        width = max((i.minimumSize().width() for i in items), default=0)
        height = max((i.minimumSize().height() for i in items), default=0)
        return self._with_margins(QSize(width, height))

    # -- arranging ---------------------------------------------------------------------------
    def _gap(self) -> int:
        spacing = self.spacing()
        return spacing if spacing >= 0 else DEFAULT_SPACING

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _with_margins(self, size: QSize) -> QSize:
        m = self.contentsMargins()
        return QSize(size.width() + m.left() + m.right(), size.height() + m.top() + m.bottom())

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if rows[-1] and used + self._gap() + w > width:
                rows.append([])
                used = 0
            used += (self._gap() if rows[-1] else 0) + w
            rows[-1].append(item)
        return rows

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in ``rect`` (when ``move``); the height they need."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for row in self._rows(area.width()):
            if not row:
                continue
            widths = [min(i.sizeHint().width(), area.width()) for i in row]
            spare = area.width() - sum(widths) - self._gap() * (len(row) - 1)
            growing = [n for n, i in enumerate(row)
                       if i.expandingDirections() & Qt.Orientation.Horizontal]
            for n in growing:
                widths[n] += spare // len(growing)
            height = max(i.sizeHint().height() for i in row)
            x = area.x()
            for item, w in zip(row, widths, strict=True):
                if move:
                    item.setGeometry(QRect(QPoint(x, y), QSize(w, height)))
                x += w + self._gap()
            y += height + self._gap()
        return y - self._gap() - rect.y() + m.bottom() if self._visible() else 0


def labelled(text: str, *widgets: QWidget, stretch: bool = False) -> QWidget:
    """A label and its widget(s) as one item of a :class:`WrapLayout`, so a wrap never parts a
    filter from its label; the label is the first widget's buddy (Alt+letter). ``stretch``
    lets the pair widen with its row."""
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy

    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    if text:
        label = QLabel(text)
        label.setBuddy(widgets[0])
        row.addWidget(label)
    for widget in widgets:
        row.addWidget(widget, 1 if widget is widgets[0] else 0)
    if stretch:
        pair.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return pair
