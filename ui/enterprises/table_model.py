"""The enterprise list: a lazy model over the ids a search returns (``search_ids``), rows fetched
in pages as the view paints them (:class:`ui.widgets.table_model.LazyIdTableModel`); deleted
rows are grey and struck through."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ohinspect.i18n import tr
from ohinspect.services.enterprise_queries import EnterpriseRow
from ui.widgets.choices import division_name, industry_name, risk_label
from ui.widgets.table_model import ID_ROLE, Index, LazyIdTableModel

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


def _people(r: EnterpriseRow) -> str:
    if r.workforce is None and r.exposed_count is None:
        return ""
    show = lambda n: "—" if n is None else str(n)  # noqa: E731
    return f"{show(r.workforce)} / {show(r.exposed_count)}"


class EnterpriseTableModel(LazyIdTableModel):
    """Rows are ``ids``; ``fetch(ids)`` returns their rows (called on the GUI thread)."""

    def __init__(self, fetch: Fetcher, parent: Any = None) -> None:
        super().__init__(fetch, COLUMNS, parent)
        self._grey = QBrush(QColor(140, 140, 140))
        self._struck = QFont()
        self._struck.setStrikeOut(True)

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
        text = self.text(rec, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{text}\n{tr('ent_ui.deleted_marker')}" if rec.deleted else (text or None)
        return text
