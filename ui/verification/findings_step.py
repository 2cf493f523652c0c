"""Step 2: the items answered as findings, each with its rectification requirement (editable),
legal basis and correction deadline. Edits are kept in the form's draft until signing."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.inspections import FindingInput
from ui.verification.model import FlowModel
from ui.widgets.inputs import NotesEdit
from ui.widgets.messages import ERROR_STYLE, NOTE_STYLE, MessageLabel

DATE_WIDTH = 160


class FindingRow(QGroupBox):
    sig_changed = Signal()

    def __init__(self, n: int, item_id: str, title: str, note: str, proposed: FindingInput,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("ver_ui.findings.row_title", n=n, text=title), parent)
        self.setObjectName(f"finding_{item_id}")
        self.item_id = item_id
        self.legal_basis = proposed.legal_basis
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.basis = QLabel(proposed.legal_basis or tr("ver_ui.findings.no_basis"))
        self.basis.setWordWrap(True)
        self.basis.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.requirement = NotesEdit()
        self.requirement.LINES = 2
        self.requirement.setObjectName("requirement")
        self.requirement.setPlainText(proposed.requirement)
        self.deadline = QDateEdit()
        self.deadline.setObjectName("deadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setMinimumDate(QDate.currentDate())
        self.deadline.setMaximumWidth(DATE_WIDTH)
        self.set_deadline(proposed.deadline)
        self.error = MessageLabel()
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        if note:
            form.addRow(tr("ver_ui.findings.note"), self.note)
        form.addRow(tr("ver_ui.findings.basis"), self.basis)
        req_label = QLabel(tr("ver_ui.findings.requirement"))
        req_label.setBuddy(self.requirement)
        form.addRow(req_label, self.requirement)
        dl_label = QLabel(tr("ver_ui.findings.deadline"))
        dl_label.setBuddy(self.deadline)
        form.addRow(dl_label, self.deadline)
        form.addRow(self.error)
        self.requirement.textChanged.connect(self._changed)
        self.deadline.dateChanged.connect(lambda _d: self._changed())

    def _changed(self) -> None:
        self.error.show_messages([])
        self.sig_changed.emit()

    def set_deadline(self, value: date | str | None) -> None:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        if isinstance(value, date):
            self.deadline.setDate(QDate(value.year, value.month, value.day))

    def deadline_value(self) -> date:
        d = self.deadline.date()
        return date(d.year(), d.month(), d.day())

    def values(self) -> dict[str, Any]:
        return {"requirement": self.requirement.toPlainText(),
                "deadline": self.deadline_value().isoformat()}

    def fill(self, values: dict[str, Any]) -> None:
        if "requirement" in values:
            self.requirement.setPlainText(str(values["requirement"]))
        if values.get("deadline"):
            self.set_deadline(str(values["deadline"]))

    def to_input(self) -> FindingInput:
        return FindingInput(item_id=self.item_id, requirement=self.requirement.toPlainText().strip(),
                            deadline=self.deadline_value(), legal_basis=self.legal_basis)

    def set_read_only(self, read_only: bool) -> None:
        self.requirement.setEnabled(not read_only)
        self.deadline.setEnabled(not read_only)


class FindingsStep(QWidget):
    sig_changed = Signal()

    def __init__(self, model: FlowModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_findings")
        self.model = model
        self.rows: dict[str, FindingRow] = {}
        self.read_only = False
        self.heading = QLabel()
        self.heading.setObjectName("findings_heading")
        self.heading.setWordWrap(True)
        self.message = MessageLabel()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)

    def sync(self, kept: dict[str, dict[str, Any]] | None = None) -> None:
        """Rows for the findings now proposed by the answers; what was typed stays."""
        view = self.model.view
        if view.locked:
            self._show_stored()
            return
        kept = dict(kept or {})
        for item_id, row in self.rows.items():
            kept[item_id] = row.values()
        proposed = view.proposed_findings()
        for row in self.rows.values():
            self.body_layout.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        for n, finding in enumerate(proposed, start=1):
            item = view.template.item(finding.item_id)
            row = FindingRow(n, item.id, item.text(), self.model.notes.get(item.id, ""), finding)
            if item.id in kept:
                row.fill(kept[item.id])
            row.set_read_only(self.read_only)
            row.sig_changed.connect(self.sig_changed)
            self.body_layout.insertWidget(self.body_layout.count() - 1, row)
            self.rows[item.id] = row
        self.heading.setText(tr("ver_ui.findings.heading", count=len(proposed)) if proposed
                             else tr("ver_ui.findings.none"))

    def _show_stored(self) -> None:
        """A signed record: the rectification items as opened (read-only)."""
        for row in self.rows.values():
            self.body_layout.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        view = self.model.view
        for n, rect in enumerate(view.findings, start=1):
            proposed = FindingInput(item_id=rect.item_id, requirement=rect.requirement,
                                    deadline=rect.deadline, legal_basis=rect.legal_basis)
            row = FindingRow(n, rect.item_id or str(n), rect.finding, "", proposed)
            row.deadline.setMinimumDate(QDate(1900, 1, 1))
            row.set_deadline(rect.deadline)
            row.set_read_only(True)
            self.body_layout.insertWidget(self.body_layout.count() - 1, row)
            self.rows[row.item_id] = row
        self.heading.setText(tr("ver_ui.findings.heading", count=len(view.findings))
                             if view.findings else tr("ver_ui.findings.none"))

    def values(self) -> dict[str, dict[str, Any]]:
        return {item_id: row.values() for item_id, row in self.rows.items()}

    def inputs(self) -> list[FindingInput]:
        return [row.to_input() for row in self.rows.values()]

    def show_problems(self, messages_by_item: dict[str, list[str]], other: list[str]) -> None:
        for item_id, row in self.rows.items():
            row.error.show_messages(messages_by_item.get(item_id, []), ERROR_STYLE)
        self.message.show_messages(other, ERROR_STYLE)

    def clear_problems(self) -> None:
        self.show_problems({}, [])

    def first_problem_row(self) -> FindingRow | None:
        return next((r for r in self.rows.values() if r.error.isVisible()), None)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for row in self.rows.values():
            row.set_read_only(read_only)
