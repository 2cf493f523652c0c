"""A lazy table model over an ordered id list: rows are fetched in pages when the view asks.

A search returns only ids (``search_ids``); :meth:`EnterpriseTableModel.data` fetches the
page holding a row the first time it is painted, synchronously on a read session: a page of
200 rows by primary key takes ~1–3 ms even in a 100,000-row store (see the report in
tests/ui/test_enterprises_page.py), which keeps scrolling smooth with no placeholders and
no flicker. Only the most recent pages stay cached, so memory stays flat.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ohinspect.i18n import tr
from ohinspect.services.enterprise_queries import EnterpriseRow
from ui.enterprises.choices import division_name, industry_name, risk_label

PAGE_SIZE = 200
MAX_CACHED_PAGES = 50  # 10,000 rows
ID_ROLE = Qt.ItemDataRole.UserRole
DELETED_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS: tuple[tuple[str, Callable[[EnterpriseRow], str]], ...] = (
    ("enterprise.name", lambda r: r.name),
    ("enterprise.uscc", lambda r: r.uscc),
    ("ent_ui.col.division", lambda r: division_name(r.division_code)),
    ("ent_ui.col.industry", lambda r: industry_name(r.industry_code)),
    ("ent_ui.col.risk", lambda r: risk_label(r.risk_rule_set, r.risk_class)),
    ("ent_ui.col.people", lambda r: _people(r)),
    ("enterprise.contact_person", lambda r: r.contact_person),
    ("enterprise.contact_phone", lambda r: r.contact_phone),
)

Fetcher = Callable[[Sequence[str]], list[EnterpriseRow]]
Index = QModelIndex | QPersistentModelIndex


def _people(r: EnterpriseRow) -> str:
    if r.workforce is None and r.exposed_count is None:
        return ""
    show = lambda n: "—" if n is None else str(n)  # noqa: E731
    return f"{show(r.workforce)} / {show(r.exposed_count)}"


class EnterpriseTableModel(QAbstractTableModel):
    """Rows are ``ids``; ``fetch(ids)`` returns their rows (called on the GUI thread)."""

    def __init__(self, fetch: Fetcher, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[str] = []
        self._pages: OrderedDict[int, dict[str, EnterpriseRow]] = OrderedDict()
        self._positions: dict[str, int] | None = None
        self.pages_fetched = 0  # for tests and diagnostics
        self._grey = QBrush(QColor(140, 140, 140))
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    # -- contents --------------------------------------------------------------------------
    def set_ids(self, ids: list[str]) -> None:
        """Replace the list (a new search or a refresh); cached rows are dropped."""
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self._positions = None
        self.endResetModel()

    def ids(self) -> list[str]:
        return self._ids

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int:
        """Position of ``record_id`` or -1 (the lookup table is built once per list)."""
        if self._positions is None:
            self._positions = {rid: i for i, rid in enumerate(self._ids)}
        return self._positions.get(record_id, -1)

    def record(self, row: int) -> EnterpriseRow | None:
        """The row at ``row``, fetching its page if needed."""
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

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section][0])
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if role == ID_ROLE:
            return self.id_at(row)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole, DELETED_ROLE):
            return None
        rec = self.record(row)
        if rec is None:  # vanished since the search (deleted by a sync): the next refresh drops it
            return None
        if role == DELETED_ROLE:
            return rec.deleted
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._grey if rec.deleted else None
        if role == Qt.ItemDataRole.FontRole:
            return self._struck if rec.deleted else None
        text = COLUMNS[index.column()][1](rec)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{text}\n{tr('ent_ui.deleted_marker')}" if rec.deleted else (text or None)
        return text
