"""整改率: per jurisdiction (division-code prefix of the chosen level) and period, the items due,
closed on time and closed, with the rectification rate (on time ÷ due) and the closure rate
(closed ÷ due) as defined in ``ohinspect.services.rectification_queries``."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ohinspect.i18n import current_language, tr
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification_queries import RateRow, rectification_rates
from ohinspect.standards.divisions import load_divisions
from ui.context import AppContext
from ui.rectification.due_dialogs import parse_day
from ui.sampling.common import fill_table, read_table
from ui.tasks import if_alive
from ui.widgets.messages import MessageLabel

LEVELS = ((6, "county"), (4, "prefecture"), (2, "province"))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def division_name(prefix: str) -> str:
    code = prefix.ljust(6, "0")
    table = load_divisions()
    if code not in table:
        return prefix
    return table.full_name(code, current_language())


class RatesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        today = local_today()
        self.start = QLineEdit(date(today.year, 1, 1).isoformat())
        self.end = QLineEdit(today.isoformat())
        self.level = QComboBox()
        for digits, name in LEVELS:
            self.level.addItem(tr(f"rect_ui.rates.level.{name}"), digits)
        self.jurisdiction = QLineEdit(ctx.settings.jurisdiction)
        self.jurisdiction.setPlaceholderText(tr("rect_ui.filter.jurisdiction"))
        self.show_button = QPushButton(tr("rect_ui.rates.show"))
        self.show_button.clicked.connect(self.refresh)
        for line in (self.start, self.end, self.jurisdiction):
            line.returnPressed.connect(self.refresh)
        self.level.currentIndexChanged.connect(lambda _i: self.refresh())
        bar = QHBoxLayout()
        for label, widget in (("rect_ui.rates.from", self.start), ("rect_ui.rates.to", self.end),
                              ("rect_ui.rates.level", self.level),
                              ("rect_ui.filter.jurisdiction", self.jurisdiction)):
            buddy = QLabel(tr(label))
            buddy.setBuddy(widget)
            bar.addWidget(buddy)
            bar.addWidget(widget)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        self.message = MessageLabel()
        self.definition = QLabel(tr("rect_ui.rates.definition"))
        self.definition.setWordWrap(True)
        self.table = read_table()
        self.table.setObjectName("rect_rates")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.definition)
        ctx.sig_changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        start, end = parse_day(self.start.text()), parse_day(self.end.text())
        if start is None or end is None or end < start:
            self.message.show_messages([tr("rect_ui.rates.bad_period")])
            return
        self.message.hide()
        self.ctx.read(rectification_rates, start, end,
                      jurisdiction=self.jurisdiction.text().strip(),
                      digits=int(self.level.currentData() or 6), on_done=self._rows)

    @if_alive
    def _rows(self, rows: list[RateRow]) -> None:
        fill_table(self.table, [tr(f"rect_ui.rates.col.{c}") for c in (
            "jurisdiction", "due", "on_time", "closed", "rate", "closure_rate")],
            [(division_name(r.jurisdiction), r.due, r.on_time, r.closed,
              percent(r.rectification_rate), percent(r.closure_rate)) for r in rows])

    @if_alive
    def _changed(self, changes: object) -> None:
        if getattr(changes, "touches", lambda _t: True)("rectification_item"):
            self.refresh()
