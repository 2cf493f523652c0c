"""Verification coverage (核查率): for a jurisdiction and a year, per risk class, how many
projects reached acceptance, how many were verified, the rate against the target and the
shortfall (red while below target); and the 双随机 draw that closes the shortfall."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ohinspect.i18n import tr
from ohinspect.services.coverage import CoverageRow, load_targets, verification_coverage
from ohinspect.store.changes import Changes
from ui.context import AppContext
from ui.coverage.draw_dialog import DrawDialog
from ui.coverage.queries import roster_jurisdiction
from ui.projects.choices import risk_label
from ui.tasks import if_alive
from ui.widgets.choices import division_choices
from ui.widgets.combos import SearchableCombo
from ui.widgets.messages import NOTE_STYLE, MessageLabel

COLUMN_KEYS = ("cov_ui.col.risk", "cov_ui.col.reached", "cov_ui.col.verified", "cov_ui.col.rate",
               "cov_ui.col.target", "cov_ui.col.shortfall")
WATCHED = ("project", "project_stage", "inspection")
RED = QColor("#c62828")
GREEN = QColor("#2e7d32")


def percent(share: float) -> str:
    value = share * 100
    text = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
    return tr("cov_ui.percent", value=text)


class CoveragePage(QWidget):
    """``sig_open_project(project_id)`` when the user opens a drawn project."""

    sig_open_project = Signal(str)
    sig_updated = Signal()   # the table shows a fresh result (tests, diagnostics)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverage_page")
        self.ctx = ctx
        self.rows: list[CoverageRow] = []
        self.draw_dialog: DrawDialog | None = None
        self._seq = 0
        self.division = SearchableCombo()
        self.division.setObjectName("cov_division")
        self.division.set_choices(division_choices(), tr("cov_ui.all_divisions"))
        self.year = QSpinBox()
        self.year.setObjectName("cov_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.table = QTableWidget(0, len(COLUMN_KEYS))
        self.table.setObjectName("cov_table")
        self.table.setHorizontalHeaderLabels([tr(k) for k in COLUMN_KEYS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.status = MessageLabel()
        self.explain = QLabel(tr("cov_ui.explain"))
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet(NOTE_STYLE)
        self.draw_button = QPushButton(tr("cov_ui.draw.button"))
        self.draw_button.setObjectName("btn_draw")
        self.draw_button.clicked.connect(self.open_draw)
        self.draw_hint = QLabel()
        self.draw_hint.setWordWrap(True)

        top = QHBoxLayout()
        for key, widget, stretch in (("cov_ui.division", self.division, 3),
                                     ("cov_ui.year", self.year, 0)):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget, stretch)
        top.addStretch(2)
        box = QGroupBox(tr("cov_ui.table_title"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.table)
        box_layout.addWidget(self.status)
        box_layout.addWidget(self.explain)
        draw = QGroupBox(tr("cov_ui.draw.title"))
        draw_layout = QHBoxLayout(draw)
        draw_layout.addWidget(self.draw_hint, 1)
        draw_layout.addWidget(self.draw_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addWidget(draw)
        layout.addStretch(1)

        self.division.sig_code_changed.connect(lambda _c: self.refresh())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        ctx.sig_changed.connect(self._on_changes)
        if ctx.settings.jurisdiction:
            self.division.set_code(ctx.settings.jurisdiction, announce=False)
            self.refresh()
        else:
            ctx.read(roster_jurisdiction, on_done=self._default_jurisdiction)

    @if_alive
    def _default_jurisdiction(self, code: str) -> None:
        if code and not self.division.code():
            self.division.set_code(code, announce=False)
        self.refresh()

    def jurisdiction(self) -> str:
        return self.division.code()

    def set_jurisdiction(self, code: str, year: int | None = None) -> None:
        self.division.set_code(code, announce=False)
        if year is not None:
            self.year.blockSignals(True)
            self.year.setValue(year)
            self.year.blockSignals(False)
        self.refresh()

    # -- coverage --------------------------------------------------------------------------
    def refresh(self) -> None:
        self._seq += 1
        seq = self._seq
        self.ctx.read(verification_coverage, self.jurisdiction(), self.year.value(),
                      on_done=lambda rows: self._show(seq, rows))

    def _on_changes(self, changes: Changes) -> None:
        if any(changes.touches(t) for t in WATCHED):
            self.refresh()

    @if_alive
    def _show(self, seq: int, rows: list[CoverageRow]) -> None:
        if seq != self._seq:
            return
        self.rows = list(rows)
        self.table.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        below = []
        for i, row in enumerate(rows):
            short = row.shortfall > 0
            cells = (risk_label(row.risk_class), str(row.reached_acceptance), str(row.verified),
                     percent(row.rate) if row.reached_acceptance else tr("cov_ui.no_rate"),
                     tr("cov_ui.target", value=percent(row.target)), str(row.shortfall))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter if column else
                                      Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
                if short and column in (3, 5):
                    item.setForeground(QBrush(RED))
                    item.setFont(bold)
                elif column == 3 and row.reached_acceptance:
                    item.setForeground(QBrush(GREEN))
                self.table.setItem(i, column, item)
            if short:
                below.append(tr("cov_ui.below_target", risk=risk_label(row.risk_class),
                                count=row.shortfall))
        header = self.table.horizontalHeader().height()
        self.table.setFixedHeight(header + self.table.verticalHeader().defaultSectionSize()
                                  * max(1, len(rows)) + 4)
        if below:
            self.status.show_messages(below)
        elif any(r.reached_acceptance for r in rows):
            self.status.show_messages([tr("cov_ui.all_met")], "color: #2e7d32;")
        else:
            self.status.show_messages([tr("cov_ui.none_reached")], NOTE_STYLE)
        count = self.default_draw_count()
        self.draw_hint.setText(tr("cov_ui.draw.hint", classes=self._draw_classes_text(),
                                  count=count, inspectors=self._targets().draw_inspectors))
        self.sig_updated.emit()

    def _targets(self):  # type: ignore[no-untyped-def]
        return load_targets(self.jurisdiction())

    def _draw_classes_text(self) -> str:
        return tr("prj_ui.list_separator").join(risk_label(c) for c in self._targets().draw_classes)

    def row_for(self, risk_class: str) -> CoverageRow | None:
        return next((r for r in self.rows if r.risk_class == risk_class), None)

    def default_draw_count(self) -> int:
        """The shortfall of the classes drawn at random (一般 by default)."""
        drawn = self._targets().draw_classes
        return sum(r.shortfall for r in self.rows if r.risk_class in drawn)

    # -- the draw --------------------------------------------------------------------------
    def open_draw(self) -> None:
        if self.draw_dialog is not None:
            self.draw_dialog.raise_()
            return
        dialog = DrawDialog(self.ctx, self.jurisdiction(), self.year.value(),
                            self.default_draw_count(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_open_project.connect(self.sig_open_project)
        dialog.finished.connect(self._draw_closed)
        self.draw_dialog = dialog
        dialog.open()

    def _draw_closed(self, _result: int) -> None:
        self.draw_dialog = None
