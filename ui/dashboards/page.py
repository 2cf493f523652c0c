"""统计 / Dashboards: pick a jurisdiction and a period; every indicator is worked out in the
background (never on the GUI thread) and shown as a panel with its overall figure and a bar
chart; a click on a bar lists the records behind it; the figures export to Excel and PDF (also
in the background)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (QDateEdit, QFileDialog, QFrame, QGridLayout,
                               QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from ohinspect.dashboards import (INDICATOR_IDS, QUICK_GROUPS, Dashboard, Indicator, Scope,
                                  assemble, monitoring_indicators, quick_indicators)
from ohinspect.i18n import tr
from ohinspect.reports.dashboard_pdf import fmt
from ohinspect.services.inspection_helpers import local_today
from ui.context import AppContext
from ui.coverage.queries import roster_jurisdiction
from ui.dashboards.chart import BarChart
from ui.dashboards.drill import DrillDialog
from ui.tasks import if_alive
from ui.widgets.choices import division_choices
from ui.widgets.combos import SearchableCombo
from ui.widgets.messages import NOTE_STYLE, MessageLabel
from ui.widgets.wrap_layout import WrapLayout, labelled

COLUMNS = 2
#: the narrowest jurisdiction box, in X's (SearchableCombo's own minimum)
MIN_DIVISION_CHARS = 12


class IndicatorPanel(QFrame):
    def __init__(self, indicator_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"dash_panel_{indicator_id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(tr(f"dash.ind.{indicator_id}"))
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.overall = QLabel()
        self.overall.setObjectName("dash_overall")
        self.chart = BarChart()
        self.chart.setObjectName(f"dash_chart_{indicator_id}")
        self.legend = QLabel(tr("dash.target_legend"))
        self.legend.setStyleSheet(NOTE_STYLE)
        note = QLabel(tr(f"dash.def.{indicator_id}"))
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.overall)
        layout.addWidget(self.chart)
        layout.addWidget(self.legend)
        layout.addWidget(note)
        layout.addStretch(1)

    def set_pending(self) -> None:
        self.overall.setText(tr("dash_ui.loading"))

    def show_indicator(self, ind: Indicator) -> None:
        column = ind.chart_column()
        self.overall.setText(tr("dash_ui.overall", column=tr(f"dash.col.{column.id}"),
                                value=fmt(ind.overall(), column)))
        self.chart.set_indicator(ind)
        self.legend.setVisible(ind.has_target())


class DashboardsPage(QWidget):
    sig_updated = Signal()    # a fresh dashboard is shown (tests, screenshots)
    sig_exported = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboards_page")
        self.ctx = ctx
        self.dashboard: Dashboard | None = None
        self.drill: DrillDialog | None = None
        self._seq = 0
        today = local_today()
        self.division = SearchableCombo()
        self.division.setObjectName("dash_division")
        self.division.set_choices(division_choices(), tr("dash_ui.all_divisions"))
        self.start = self._date_edit("dash_from", date(today.year, 1, 1))
        self.end = self._date_edit("dash_to", today)
        self.refresh_button = QPushButton(tr("dash_ui.refresh"))
        self.refresh_button.setObjectName("btn_dash_refresh")
        self.xlsx_button = QPushButton(tr("dash_ui.export_xlsx"))
        self.xlsx_button.setObjectName("btn_dash_xlsx")
        self.pdf_button = QPushButton(tr("dash_ui.export_pdf"))
        self.pdf_button.setObjectName("btn_dash_pdf")
        self.status = MessageLabel()
        self.state = QLabel()
        self.state.setObjectName("dash_state")
        self._parts: dict[str, Indicator] = {}
        self._scope: Scope | None = None
        self.panels: dict[str, IndicatorPanel] = {}

        top = WrapLayout()  # wraps onto a second row on a small screen or in English
        top.addWidget(labelled(tr("dash_ui.division"), self.division, stretch=True))
        for key, widget in (("dash_ui.from", self.start), ("dash_ui.to", self.end)):
            top.addWidget(labelled(tr(key), widget))
        for button in (self.refresh_button, self.xlsx_button, self.pdf_button):
            top.addWidget(button)
        self.grid = QGridLayout()
        for i, ind_id in enumerate(INDICATOR_IDS):
            panel = IndicatorPanel(ind_id)
            panel.chart.sig_bar_clicked.connect(
                lambda key, ind_id=ind_id: self.open_drill(ind_id, key))
            self.panels[ind_id] = panel
            self.grid.addWidget(panel, i // COLUMNS, i % COLUMNS)
        body = QWidget()
        body.setLayout(self.grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.division.sig_code_changed.connect(lambda _c: self.refresh())
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        self._set_exportable(False)
        if ctx.settings.jurisdiction:
            self.division.set_code(ctx.settings.jurisdiction, announce=False)
            self.refresh()
        else:
            ctx.read(roster_jurisdiction, on_done=self._default_jurisdiction)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(lambda _d: self.refresh())
        return edit

    @if_alive
    def _default_jurisdiction(self, code: str) -> None:
        if code:
            self.division.set_code(code, announce=False)
        self.refresh()

    def _fit_division(self) -> None:
        """Make the jurisdiction box as wide as its whole label: a county's name with its
        province and prefecture is longer than a combo's usual minimum, and at 150 % scaling the
        box was cut to it; the row wraps instead (the combo counts its width in X's)."""
        metrics = self.division.fontMetrics()
        text = self.division.currentText() or self.division.lineEdit().placeholderText()
        chars = -(-metrics.horizontalAdvance(text) // max(metrics.horizontalAdvance("X"), 1))
        self.division.setMinimumContentsLength(max(MIN_DIVISION_CHARS, chars))

    def scope(self) -> Scope:
        return Scope(self.division.code(), self.start.date().toPython(),
                     self.end.date().toPython(), local_today())

    def set_scope(self, jurisdiction: str, start: date, end: date) -> None:
        for edit, day in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.division.set_code(jurisdiction, announce=False)
        self.refresh()

    def refresh(self) -> None:
        """Work the dashboard out in the background — the SQL indicators in groups and the
        monitoring pass rates (stored verdicts; missing or stale ones worked out and stored),
        each in its own thread, shown as they come; a later request wins over an earlier."""
        self._seq += 1
        seq = self._seq
        self._fit_division()
        self.dashboard = None
        self._parts = {}
        self.state.setText(tr("dash_ui.loading"))
        self._set_exportable(False)
        for panel in self.panels.values():
            panel.set_pending()
        scope = self._scope = self.scope()
        for ids in (*QUICK_GROUPS, None):  # each group in its own thread; None: monitoring
            self.ctx.runner.run(self._part, scope, ids,
                                on_done=lambda inds: self._show(seq, scope, inds),
                                on_error=lambda exc: self._failed(seq, exc))

    def _part(self, scope: Scope, ids: tuple[str, ...] | None) -> tuple[Indicator, ...]:
        if ids is None:
            return self._monitoring(scope)
        with self.ctx.store.read() as session:
            return quick_indicators(session, scope, overrides=self.ctx.settings.periodic_testing,
                                    ids=ids)

    def _monitoring(self, scope: Scope) -> tuple[Indicator, ...]:
        with self.ctx.store.read() as session:
            return monitoring_indicators(session, scope, store=self.ctx.store)

    @if_alive
    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            from ui.tasks import user_message

            self.state.setText("")
            self.status.show_messages([user_message(exc)])

    @if_alive
    def _show(self, seq: int, scope: Scope, indicators: tuple[Indicator, ...]) -> None:
        if seq != self._seq:
            return
        for ind in indicators:
            self._parts[ind.id] = ind
            self.panels[ind.id].show_indicator(ind)
        if len(self._parts) < len(INDICATOR_IDS):
            return
        self.dashboard = assemble(scope, self._parts.values())
        self.status.show_messages([])
        self.state.setText(tr("dash_ui.as_of", day=scope.as_of.isoformat()))
        self._set_exportable(True)
        self.sig_updated.emit()

    def open_drill(self, indicator_id: str, key: str) -> None:
        ind = self._parts.get(indicator_id)
        if ind is None or self._scope is None:
            return
        fig = ind.figure(key)
        self.drill = DrillDialog(self.ctx, self._scope, indicator_id, key,
                                 fig.label if fig else key, self)
        self.drill.open()

    def _set_exportable(self, on: bool) -> None:
        self.xlsx_button.setEnabled(on)
        self.pdf_button.setEnabled(on)

    def _ask_export(self, kind: str) -> None:
        name = QFileDialog.getSaveFileName(self, tr(f"dash_ui.export_{kind}"),
                                           f"{tr('dash.title')}.{kind}",
                                           tr(f"dash_ui.filter_{kind}"))[0]
        if name:
            self.export(kind, Path(name))

    def export(self, kind: str, path: Path) -> None:
        """Write the shown figures to ``path`` (``xlsx`` or ``pdf``) in the background."""
        from ohinspect.reports.dashboard_pdf import write_dashboard_pdf
        from ohinspect.reports.dashboard_xlsx import write_dashboard_xlsx

        if self.dashboard is None:
            return
        writer = write_dashboard_xlsx if kind == "xlsx" else write_dashboard_pdf
        self.ctx.runner.run(writer, self.dashboard, path, on_done=self._exported,
                            on_error=lambda exc: self.ctx.runner.report_error(exc, self))

    @if_alive
    def _exported(self, path: Path) -> None:
        self.status.show_messages([tr("dash.cli.written", path=path)], NOTE_STYLE)
        self.sig_exported.emit(str(path))
