"""Table models over an ordered list of record ids; each column is ``(header key, text of a
record)``.

:class:`LazyIdTableModel` holds only the ids (a search returns only ids) and fetches the page
holding a row the first time it is painted, synchronously on a read session: a page of 200 rows
by primary key takes ~1–3 ms even in a 100,000-row store (see the report in
tests/ui/test_enterprises_page.py), which keeps scrolling smooth with no placeholders and no
flicker. Only the most recent pages stay cached, so memory stays flat.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ohinspect.i18n import tr

PAGE_SIZE = 200
MAX_CACHED_PAGES = 50  # 10,000 rows
ID_ROLE = Qt.ItemDataRole.UserRole

Column = tuple[str, Callable[[Any], str]]
Fetcher = Callable[[Sequence[str]], list[Any]]
Index = QModelIndex | QPersistentModelIndex


class IdListTableModel(QAbstractTableModel):
    """Rows are ``ids()``; a subclass says how ``record(row)`` is found."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._ids: list[str] = []
        self._positions: dict[str, int] | None = None

    def _set_ids(self, ids: list[str]) -> None:
        """The new list (call between ``beginResetModel`` and ``endResetModel``)."""
        self._ids = ids
        self._positions = None

    def ids(self) -> list[str]:
        return self._ids

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int:
        """Position of ``record_id`` or -1 (the lookup table is built once per list)."""
        if self._positions is None:
            self._positions = {rid: i for i, rid in enumerate(self._ids)}
        return self._positions.get(record_id, -1)

    def record(self, row: int) -> Any:
        raise NotImplementedError

    def text(self, record: Any, column: int) -> str:
        return self.columns[column][1](record)

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return tr(self.columns[section][0])
        return str(section + 1)


class LazyIdTableModel(IdListTableModel):
    """Rows are ``ids``; ``fetch(ids)`` returns their records (called on the GUI thread), each
    with an ``id``."""

    def __init__(self, fetch: Fetcher, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._fetch = fetch
        self._pages: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self.pages_fetched = 0  # for tests and diagnostics

    def set_ids(self, ids: list[str]) -> None:
        """Replace the list (a new search or a refresh); cached rows are dropped."""
        self.beginResetModel()
        self._set_ids(ids)
        self._pages.clear()
        self.endResetModel()

    def record(self, row: int) -> Any:
        """The record at ``row``, fetching its page if needed."""
        if not 0 <= row < len(self._ids):
            return None
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            start = page * PAGE_SIZE
            chunk = self._ids[start:start + PAGE_SIZE]
            rows = {r.id: r for r in self._fetch(chunk)}
            self.pages_fetched += 1
            self._pages[page] = rows
            while len(self._pages) > MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows.get(self._ids[row])

    def cached_pages(self) -> list[int]:
        return list(self._pages)
