"""The project list: one row per :class:`ProjectRow` (a jurisdiction holds hundreds of projects,
not the registry's 100,000 enterprises, so the whole filtered list is held)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ohinspect.services.project_queries import ProjectRow
from ui.projects.choices import current_stage_label, risk_label, verified_label
from ui.widgets.choices import division_name
from ui.widgets.table_model import ID_ROLE, IdListTableModel, Index

COLUMNS: tuple[tuple[str, Callable[[ProjectRow], str]], ...] = (
    ("prj_ui.col.name", lambda r: r.name),
    ("prj_ui.col.enterprise", lambda r: r.enterprise_name),
    ("prj_ui.col.division", lambda r: division_name(r.division_code)),
    ("prj_ui.col.risk", lambda r: risk_label(r.risk_class)),
    ("prj_ui.col.stage", lambda r: current_stage_label(r.current_stage)),
    ("prj_ui.col.verified", lambda r: verified_label(r.verified_stages)),
)
RISK_COLUMN = 3
STAGE_COLUMN = 4
VERIFIED_COLUMN = 5


class ProjectTableModel(IdListTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._rows: list[ProjectRow] = []
        self._severe = QBrush(QColor("#c62828"))
        self._verified = QBrush(QColor("#2e7d32"))

    def set_rows(self, rows: list[ProjectRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._set_ids([r.id for r in self._rows])
        self.endResetModel()

    def rows(self) -> list[ProjectRow]:
        return self._rows

    def record(self, row: int) -> ProjectRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rec = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return rec.id
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == RISK_COLUMN and rec.risk_class == "severe":
                return self._severe
            if column == VERIFIED_COLUMN:
                return self._verified
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.text(rec, column)
            return text if role == Qt.ItemDataRole.DisplayRole else (text or None)
        return None
