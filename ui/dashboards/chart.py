"""A horizontal bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials): one bar
per figure, its value written at the end of the bar (never colour alone), the target as a
dashed line; a click on a bar emits ``sig_bar_clicked(key)``."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ohinspect.dashboards import PERCENT, Indicator
from ohinspect.i18n import tr
from ohinspect.reports.dashboard_pdf import fmt

BAR = QColor("#3f6fa6")
BAR_HOVER = QColor("#2b4f7a")
ROW = 26
LABEL_SHARE = 0.38
VALUE_SPACE = 64


class BarChart(QWidget):
    sig_bar_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.indicator: Indicator | None = None
        self._hover = -1
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_indicator(self, indicator: Indicator) -> None:
        self.indicator = indicator
        self.setFixedHeight(max(1, len(indicator.figures)) * ROW + 8)
        self.setAccessibleName(tr(f"dash.ind.{indicator.id}"))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt's name
        return QSize(360, self.height())

    def bar_rect(self, index: int) -> QRectF:
        """Where bar ``index`` is drawn (tests click its centre)."""
        left = self.width() * LABEL_SHARE
        plot = max(self.width() - left - VALUE_SPACE, 10)
        top = 4 + index * ROW + 4
        return QRectF(left, top, plot * self._share(index), ROW - 8)

    def _share(self, index: int) -> float:
        assert self.indicator is not None
        column = self.indicator.chart_column()
        value = float(self.indicator.figures[index].values.get(column.id) or 0)
        if column.kind == PERCENT:
            return min(max(value, 0.0), 1.0)
        top = max(float(f.values.get(column.id) or 0) for f in self.indicator.figures)
        return value / top if top else 0.0

    def index_at(self, y: float) -> int:
        if self.indicator is None:
            return -1
        index = int((y - 4) // ROW)
        return index if 0 <= index < len(self.indicator.figures) else -1

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ind = self.indicator
        if ind is None or not ind.figures:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, tr("dash.no_data"))
            return
        column = ind.chart_column()
        left = self.width() * LABEL_SHARE
        plot = max(self.width() - left - VALUE_SPACE, 10)
        metrics = p.fontMetrics()
        for i, fig in enumerate(ind.figures):
            bar = self.bar_rect(i)
            label = metrics.elidedText(fig.label, Qt.TextElideMode.ElideRight, int(left) - 10)
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, bar.top() - 4, left - 6, ROW), Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignVCenter, label)
            p.fillRect(QRectF(bar.left(), bar.top(), max(bar.width(), 1.5), bar.height()),
                       BAR_HOVER if i == self._hover else BAR)
            p.drawText(QRectF(bar.right() + 5, bar.top() - 4, VALUE_SPACE + plot, ROW),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fmt(fig.values.get(column.id), column))
            target = fig.values.get("target")
            if column.kind == PERCENT and isinstance(target, float):
                x = left + plot * target
                p.setPen(QPen(self.palette().text().color(), 1.5, Qt.PenStyle.DashLine))
                p.drawLine(int(x), int(bar.top()) - 3, int(x), int(bar.bottom()) + 3)
        p.setPen(QPen(QColor("#888888"), 1))
        p.drawLine(int(left), 2, int(left), self.height() - 2)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        index = self.index_at(event.position().y())
        if index != self._hover:
            self._hover = index
            if self.indicator is not None and index >= 0:
                fig, column = self.indicator.figures[index], self.indicator.chart_column()
                self.setToolTip(f"{fig.label}: {fmt(fig.values.get(column.id), column)}")
            self.update()

    def leaveEvent(self, _event: object) -> None:  # noqa: N802
        self._hover = -1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        index = self.index_at(event.position().y())
        if self.indicator is not None and index >= 0 \
                and event.button() == Qt.MouseButton.LeftButton:
            self.sig_bar_clicked.emit(self.indicator.figures[index].key)
