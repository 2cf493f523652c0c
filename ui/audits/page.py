"""AuditsPage: the list of audits (filters: kind, status, party, date), starting one, opening
one (double-click or Enter) in its window."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QDateEdit, QHBoxLayout, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ohinspect.i18n import tr
from ohinspect.services.audit_queries import AuditFilter, AuditRow, list_audits
from ohinspect.services.audits import AUDIT_KINDS
from ohinspect.services.inspections import STATUS_DRAFT, STATUS_SIGNED
from ohinspect.store.changes import Changes
from ui.audits.flow import open_audit
from ui.audits.start_dialog import StartAuditDialog
from ui.context import AppContext
from ui.tasks import if_alive
from ui.widgets.combos import code_combo
from ui.widgets.filter_bar import DebouncedFilterBar

COLUMNS = ("started", "kind", "party", "template", "status", "result", "findings", "number")
#: the earliest date the date filters offer; shown as "any" (their special value)
NO_DATE = QDate(2000, 1, 1)


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(tr("aud_ui.filter.any_date"))
    edit.setDate(NO_DATE)
    return edit


def _picked(edit: QDateEdit) -> date | None:
    return None if edit.date() == NO_DATE else edit.date().toPython()


class AuditFilterBar(DebouncedFilterBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("aud_search", "aud_ui.filter.search", 200, parent)
        self.kind = code_combo([(k, tr(f"audit.kind.{k}")) for k in AUDIT_KINDS],
                               tr("aud_ui.filter.all"))
        self.kind.setObjectName("aud_filter_kind")
        self.status = code_combo([(STATUS_DRAFT, tr("aud_ui.status.draft")),
                                  (STATUS_SIGNED, tr("aud_ui.status.signed"))],
                                 tr("aud_ui.filter.all"))
        self.status.setObjectName("aud_filter_status")
        self.date_from, self.date_to = _date_edit("aud_from"), _date_edit("aud_to")
        self._lay_out([("aud_ui.filter.kind", self.kind, 1),
                       ("aud_ui.filter.status", self.status, 1),
                       ("aud_ui.filter.from", self.date_from, 0),
                       ("aud_ui.filter.to", self.date_to, 0)])
        self._apply_at_once(self.kind.currentIndexChanged, self.status.currentIndexChanged,
                            self.date_from.dateChanged, self.date_to.dateChanged)

    def value(self) -> AuditFilter:
        return AuditFilter(kind=self.kind.currentData() or "",
                           status=self.status.currentData() or "", text=self.search.text(),
                           date_from=_picked(self.date_from), date_to=_picked(self.date_to))


class AuditsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audits_page")
        self.ctx = ctx
        self.rows: list[AuditRow] = []
        self.filters = AuditFilterBar()
        self.filters.sig_filter_changed.connect(self.refresh)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("aud_table")
        self.table.setHorizontalHeaderLabels([tr(f"aud_ui.col.{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _c: self.open_row(row))
        self.count = QLabel()
        self.start_button = QPushButton(tr("aud_ui.start_button"))
        self.start_button.setObjectName("aud_start")
        self.start_button.clicked.connect(self.start_audit)
        self.open_button = QPushButton(tr("aud_ui.open"))
        self.open_button.setObjectName("aud_open")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ctx.sig_changed.connect(self._on_changes)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.read(list_audits, self.filters.value(), on_done=self._show)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("inspection") or changes.touches("rectification_item"):
            self.refresh()

    @if_alive
    def _show(self, rows: list[AuditRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (row.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                      tr(f"audit.kind.{row.kind}"), row.enterprise_name, row.template_title,
                      tr(f"aud_ui.status.{row.status}"),
                      tr(f"audit.result.{row.overall_result}") if row.overall_result else "",
                      str(row.findings) if row.status == STATUS_SIGNED else "",
                      row.record_number)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.count.setText(tr("aud_ui.count", n=len(rows)))

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            found = self.rows[row]
            open_audit(self.ctx, found.id, found.kind, found.enterprise_id, self)

    def start_audit(self) -> StartAuditDialog:
        dialog = StartAuditDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_started_audit.connect(
            lambda iid, kind, ent: open_audit(self.ctx, iid, kind, ent, self))
        dialog.open()
        return dialog

