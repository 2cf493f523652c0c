"""Step 3: the counts, the summary text and the correction deadline of the supervision opinion."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ui.verification.data import is_finding
from ui.verification.model import FlowModel
from ui.widgets.inputs import NotesEdit
from ui.widgets.messages import ERROR_STYLE, MessageLabel

MAX_OPINION_DAYS = 365


class SummaryStep(QWidget):
    sig_changed = Signal()

    def __init__(self, model: FlowModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_summary")
        self.model = model
        self.counts: dict[str, QLabel] = {}
        counts = QGroupBox(tr("ver_ui.summary.counts"))
        grid = QGridLayout(counts)
        for col, key in enumerate(("total", "conform", "finding", "not_applicable", "open",
                                   "photos")):
            name = QLabel(tr(f"ver_ui.summary.count_{key}"))
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value = QLabel("0")
            value.setObjectName(f"count_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            value.setFont(font)
            grid.addWidget(value, 0, col)
            grid.addWidget(name, 1, col)
            self.counts[key] = value
        self.summary = NotesEdit()
        self.summary.LINES = 6
        self.summary.setObjectName("summary_text")
        self.summary.setPlaceholderText(tr("ver_ui.summary.placeholder"))
        self.summary_error = MessageLabel()
        self.days = QSpinBox()
        self.days.setObjectName("opinion_days")
        self.days.setRange(0, MAX_OPINION_DAYS)
        self.days.setSpecialValueText(tr("ver_ui.summary.days_unset"))
        self.days.setSuffix(tr("ver_ui.summary.days_suffix"))
        self.days_error = MessageLabel()
        self.days_hint = QLabel()
        self.days_hint.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, field, under in (("ver_ui.summary.text", self.summary, (self.summary_error,)),
                                  ("ver_ui.summary.days", self.days,
                                   (self.days_hint, self.days_error))):
            label = QLabel(tr(key))
            label.setBuddy(field)
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(field)
            for widget in under:
                box.addWidget(widget)
            form.addRow(label, box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(counts)
        layout.addLayout(form)
        layout.addStretch(1)
        self.summary.textChanged.connect(self._changed)
        self.days.valueChanged.connect(lambda _v: self._changed())

    def _changed(self) -> None:
        self.summary_error.show_messages([])
        self.days_error.show_messages([])
        self.sig_changed.emit()

    def refresh_counts(self) -> None:
        view, answers = self.model.view, self.model.answers
        counts = dict.fromkeys(self.counts, 0)
        counts["total"] = len(view.items)
        for item in view.items:
            answer = answers.get(item.id, "")
            if not answer:
                counts["open"] += 1
            elif is_finding(view, item, answer):
                counts["finding"] += 1
            elif "applicable" in answer:
                counts["not_applicable"] += 1
            else:
                counts["conform"] += 1
            counts["photos"] += len(self.model.photos(item.id))
        for key, label in self.counts.items():
            label.setText(str(counts[key]))
        has_findings = bool(counts["finding"]) or bool(view.findings)
        self.days.setEnabled(has_findings and not view.locked)
        self.days_hint.setText("" if has_findings else tr("ver_ui.summary.days_no_findings"))
        self.days_hint.setVisible(not has_findings)

    def opinion_days(self) -> int | None:
        return self.days.value() or None

    def show_problems(self, summary: list[str], days: list[str]) -> None:
        self.summary_error.show_messages(summary, ERROR_STYLE)
        self.days_error.show_messages(days, ERROR_STYLE)

    def set_read_only(self, read_only: bool) -> None:
        self.summary.setEnabled(not read_only)
        self.days.setEnabled(not read_only and self.days.isEnabled())
