"""The two records of the due-date tab: a periodic report (检测/评价报告) and a list decision
(列入/移出黑名单、重点监管名单) — each a small form whose problems appear next to its fields."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QVBoxLayout, QWidget

from ohinspect.i18n import tr
from ohinspect.services.due_dates import ReportInput, add_report, load_periodic_rules
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.list_decisions import DecisionInput, record_decision
from ohinspect.store.changes import OpResult
from ui.context import AppContext
from ui.sampling.common import FieldGrid
from ui.tasks import if_alive
from ui.widgets.combos import code_combo
from ui.widgets.dialogs import fit_to_screen, ok_cancel_buttons
from ui.widgets.messages import MessageLabel


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


class _FormDialog(QDialog):
    def _finish(self, grid: FieldGrid, ok_text: str) -> None:
        self.grid = grid
        self.summary = MessageLabel()
        buttons, self.ok_button, _cancel = ok_cancel_buttons(ok_text, self.submit, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(grid)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        fit_to_screen(self, 520)

    def submit(self) -> None:
        raise NotImplementedError

    def _perform(self, op: Callable[..., OpResult], *args: object) -> None:
        self.grid.messages.clear_messages()
        self.summary.hide()
        self.ctx.perform(op, *args, local_today(), on_done=self._done, on_error=self._failed)

    @if_alive
    def _done(self, _result: OpResult) -> None:
        self.accept()

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        if not self.grid.show_error(exc, self.summary):
            self.ctx.runner.report_error(exc, self)


class ReportDialog(_FormDialog):
    def __init__(self, ctx: AppContext, enterprise_id: str, enterprise_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.enterprise_id = ctx, enterprise_id
        self.setWindowTitle(tr("rect_ui.report.title", name=enterprise_name))
        rules = load_periodic_rules()
        self.kind = code_combo([(k, tr(f"due.kind.{k}")) for k in rules.kinds])
        self.report_date = QLineEdit()
        self.report_date.setPlaceholderText(tr("rect_ui.date_hint"))
        self.report_no = QLineEdit()
        self.institution = QLineEdit()
        self.result = code_combo([(r, tr(f"due.result.{r or 'none'}")) for r in rules.results])
        self._finish(FieldGrid([
            ("kind", tr("rect_ui.report.kind"), self.kind),
            ("report_date", tr("rect_ui.report.date"), self.report_date),
            ("report_no", tr("rectification.field.report_no"), self.report_no),
            ("institution", tr("rectification.field.institution"), self.institution),
            ("result", tr("rect_ui.report.result"), self.result),
        ], columns=1, on_last=self.submit), tr("rect_ui.report.save"))
        self.report_date.setFocus()

    def submit(self) -> None:
        self._perform(add_report, ReportInput(
            self.enterprise_id, str(self.kind.currentData() or ""),
            parse_day(self.report_date.text()), self.report_no.text().strip(),
            self.institution.text().strip(), str(self.result.currentData() or "")))


class DecisionDialog(_FormDialog):
    def __init__(self, ctx: AppContext, enterprise_id: str, enterprise_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.enterprise_id = ctx, enterprise_id
        self.setWindowTitle(tr("rect_ui.decision.title", name=enterprise_name))
        rules = load_periodic_rules()
        self.list_kind: QComboBox = code_combo([(k, tr(f"list.kind.{k}"))
                                                for k in rules.list_kinds])
        self.decision = code_combo([(d, tr(f"list.decision.{d}")) for d in rules.decisions])
        self.reason = QLineEdit()
        self.document_no = QLineEdit()
        self.decided_by = QLineEdit()
        self.decided_on = QLineEdit(local_today().isoformat())
        self._finish(FieldGrid([
            ("list_kind", tr("rect_ui.decision.list"), self.list_kind),
            ("decision", tr("rect_ui.decision.decision"), self.decision),
            ("reason", tr("rectification.field.reason"), self.reason),
            ("document_no", tr("rectification.field.document_no"), self.document_no),
            ("decided_by", tr("rectification.field.decided_by"), self.decided_by),
            ("decided_on", tr("rectification.field.decided_on"), self.decided_on),
        ], columns=1, on_last=self.submit), tr("rect_ui.decision.save"))
        self.reason.setFocus()

    def submit(self) -> None:
        self._perform(record_decision, DecisionInput(
            self.enterprise_id, str(self.list_kind.currentData() or ""),
            str(self.decision.currentData() or ""), self.reason.text().strip(),
            self.decided_by.text().strip(), parse_day(self.decided_on.text()),
            self.document_no.text().strip()))
