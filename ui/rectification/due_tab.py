"""定期检测/评价到期: the reminder list (overdue, never reported, due soon) with the reason in
words, the repeatedly-overdue enterprises, and the enterprises on a list now; a periodic report
or a list decision is recorded for the selected enterprise."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ohinspect.i18n import tr
from ohinspect.services.due_dates import Due, due_list, repeatedly_overdue
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.list_decisions import ListedEnterprise, current_lists
from ui.context import AppContext
from ui.rectification.due_dialogs import DecisionDialog, ReportDialog
from ui.rectification.items_tab import OVERDUE_BACKGROUND
from ui.sampling.common import fill_table, read_table
from ui.tasks import if_alive

LATE_STATES = ("overdue", "never")


def due_overview(session: Session, today: object, overrides: dict[str, int],
                 jurisdiction: str) -> tuple[list[Due], dict[str, int], list[ListedEnterprise]]:
    kw = {"overrides": overrides, "jurisdiction": jurisdiction}
    dues = due_list(session, today, **kw)  # type: ignore[arg-type]
    repeated = {eid: n for eid, _name, n in repeatedly_overdue(session, today, **kw)}  # type: ignore[arg-type]
    return dues, repeated, current_lists(session)


class DueTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.dues: list[Due] = []
        self.repeated: dict[str, int] = {}
        self.table = read_table()
        self.table.setObjectName("rect_due")
        self.table.itemSelectionChanged.connect(self._enable)
        self.listed = read_table()
        self.listed.setObjectName("rect_lists")
        self.report_button = QPushButton(tr("rect_ui.due.add_report"))
        self.report_button.clicked.connect(self.add_report)
        self.decision_button = QPushButton(tr("rect_ui.due.decide"))
        self.decision_button.clicked.connect(self.decide)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.report_button)
        bar.addWidget(self.decision_button)
        bar.addStretch(1)
        bar.addWidget(self.count)
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel(tr("rect_ui.due.lists_title")))
        box.addWidget(self.listed)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        ctx.sig_changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.read(due_overview, local_today(), dict(self.ctx.settings.periodic_testing),
                      self.ctx.settings.jurisdiction, on_done=self._loaded)

    @if_alive
    def _loaded(self, result: tuple[list[Due], dict[str, int], list[ListedEnterprise]]) -> None:
        self.dues, self.repeated, listed = result
        fill_table(self.table, [tr(f"rect_ui.due.col.{c}") for c in (
            "state", "enterprise", "division", "kind", "next_due", "reason", "repeated")],
            [(tr(f"due.state.{d.state}"), d.enterprise_name, d.division_code,
              tr(f"due.kind.{d.kind}"), d.next_due.isoformat() if d.next_due else "",
              d.reason, tr("rect_ui.due.late_times", count=self.repeated[d.enterprise_id])
              if d.enterprise_id in self.repeated else "") for d in self.dues],
            [d.enterprise_id for d in self.dues])
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for r, d in enumerate(self.dues):
            if d.state in LATE_STATES:
                self.table.item(r, 0).setIcon(warn)
                for c in range(self.table.columnCount()):
                    self.table.item(r, c).setBackground(QBrush(OVERDUE_BACKGROUND))
        self.table.resizeColumnsToContents()
        if self.dues and self.table.currentRow() < 0:
            self.table.selectRow(0)
        fill_table(self.listed, [tr(f"rect_ui.lists.col.{c}") for c in (
            "list", "enterprise", "document_no", "decided_on", "decided_by", "reason")],
            [(tr(f"list.kind.{x.list_kind}"), x.enterprise_name, x.document_no,
              x.decided_on.isoformat(), x.decided_by, x.reason) for x in listed])
        self.count.setText(tr("rect_ui.due.count", count=len(self.dues),
                              repeated=len(self.repeated)))
        self._enable()

    @if_alive
    def _changed(self, changes: object) -> None:
        touches = getattr(changes, "touches", lambda _t: True)
        if touches("periodic_report") or touches("list_decision") or touches("enterprise"):
            self.refresh()

    def _enable(self) -> None:
        ok = self.selected() is not None
        self.report_button.setEnabled(ok)
        self.decision_button.setEnabled(ok)

    def selected(self) -> Due | None:
        row = self.table.currentRow()
        return self.dues[row] if 0 <= row < len(self.dues) else None

    def add_report(self) -> ReportDialog | None:
        due = self.selected()
        if due is None:
            return None
        dialog = ReportDialog(self.ctx, due.enterprise_id, due.enterprise_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def decide(self) -> DecisionDialog | None:
        due = self.selected()
        if due is None:
            return None
        dialog = DecisionDialog(self.ctx, due.enterprise_id, due.enterprise_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

