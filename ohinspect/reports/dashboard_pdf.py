"""The dashboard as a PDF: title and scope, then per indicator its definition, a horizontal bar
chart (reportlab.graphics, the value written at each bar — never colour alone; the target as a
dashed line) and the table of its figures. Fonts, styles and the page frame are those of the
other documents (:mod:`ohinspect.reports.styles`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table

from ohinspect.dashboards import PERCENT, Column, Dashboard, Indicator
from ohinspect.i18n import tr
from ohinspect.reports.dashboard_xlsx import scope_text
from ohinspect.reports.fonts import plain
from ohinspect.reports.styles import (FRAME_WIDTH, RULE, DocumentTemplate, Styles, Title,
                                      atomic_output, draw_page_frame, esc, grid_table_style,
                                      keep_together, make_styles, numbered_canvas)

BAR = colors.Color(0.30, 0.45, 0.65)
BAR_HEIGHT = 5 * mm
BAR_GAP = 2 * mm
LABEL_WIDTH = 55 * mm
VALUE_WIDTH = 18 * mm
#: at most this many bars per chart (the table lists every figure)
MAX_BARS = 15


def fmt(value: float | int | None, column: Column) -> str:
    """A figure as written on bars and in tables: 85.0 % for a share, 12 for a count."""
    if value is None:
        return "—"
    if column.kind == PERCENT:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _clip(text: str, font: str, size: float, width: float) -> str:
    text = plain(text)
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def bar_chart(ind: Indicator, font: str) -> Drawing:
    """Horizontal bars of the indicator's chart column, value at the end of each bar."""
    column = ind.chart_column()
    figures = ind.figures[:MAX_BARS]
    values = [f.values.get(column.id) for f in figures]
    scale = 1.0 if column.kind == PERCENT else max([float(v or 0) for v in values] + [1.0])
    plot = FRAME_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(figures) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    d = Drawing(FRAME_WIDTH, height)
    for i, (fig, value) in enumerate(zip(figures, values)):
        y = height - (i + 1) * (BAR_HEIGHT + BAR_GAP)
        d.add(String(LABEL_WIDTH - 2 * mm, y + 1.4 * mm, _clip(fig.label, font, 8.5,
                     LABEL_WIDTH - 4 * mm), fontName=font, fontSize=8.5, textAnchor="end"))
        width = plot * min(float(value or 0) / scale, 1.0)
        d.add(Rect(LABEL_WIDTH, y, max(width, 0.5), BAR_HEIGHT, fillColor=BAR, strokeColor=None))
        d.add(String(LABEL_WIDTH + width + 1.5 * mm, y + 1.4 * mm, fmt(value, column),
                     fontName=font, fontSize=8.5))
        target = fig.values.get("target")
        if column.kind == PERCENT and isinstance(target, float):
            x = LABEL_WIDTH + plot * target
            d.add(Line(x, y - 0.6 * mm, x, y + BAR_HEIGHT + 0.6 * mm, strokeColor=colors.black,
                       strokeWidth=1, strokeDashArray=[2, 1.5]))
    d.add(Line(LABEL_WIDTH, 0, LABEL_WIDTH, height, strokeColor=RULE, strokeWidth=0.5))
    return d


def _table(ind: Indicator, styles: Styles) -> Table:
    head = [tr("dash.col.label")] + [tr(f"dash.col.{c.id}") for c in ind.columns]
    rows = [[Paragraph(esc(h), styles.cell_head) for h in head]]
    for fig in ind.figures:
        rows.append([Paragraph(esc(fig.label), styles.cell)]
                    + [Paragraph(esc(fmt(fig.values.get(c.id), c)), styles.cell_center)
                       for c in ind.columns])
    first = FRAME_WIDTH * 0.3
    rest = (FRAME_WIDTH - first) / len(ind.columns)
    return Table(rows, colWidths=[first] + [rest] * len(ind.columns), repeatRows=1,
                 style=grid_table_style())


def _section(ind: Indicator, styles: Styles) -> list[object]:
    head = Paragraph(esc(tr(f"dash.ind.{ind.id}")), styles.heading)
    definition = Paragraph(esc(tr(f"dash.def.{ind.id}")), styles.small)
    if not ind.figures:
        return [keep_together(head, definition, Paragraph(esc(tr("dash.no_data")), styles.body))]
    column = ind.chart_column()
    overall = Paragraph(esc(f"{tr(f'dash.col.{column.id}')}：{fmt(ind.overall(), column)}"),
                        styles.body)
    legend = ([Paragraph(esc(tr("dash.target_legend")), styles.small)] if ind.has_target()
              else [])
    return [keep_together(head, definition, Spacer(1, 2 * mm), overall,
                          bar_chart(ind, styles.font), *legend, Spacer(1, 2 * mm)),
            _table(ind, styles)]


def write_dashboard_pdf(dash: Dashboard, out: Path) -> Path:
    """Write ``dash`` to ``out`` (atomically) and return ``out``."""
    styles = make_styles()
    title = tr("dash.title")
    story: list[object] = [Title(title, styles.font), Paragraph(esc(scope_text(dash)), styles.body),
                           Paragraph(esc(tr("dash.generated", moment=datetime.now().astimezone()
                                            .strftime("%Y-%m-%d %H:%M"))), styles.small)]
    for ind in dash.indicators:
        story += _section(ind, styles)

    def decorate(c: object, number: int, total: int) -> None:
        draw_page_frame(c, styles.font, number, total, title)  # type: ignore[arg-type]

    with atomic_output(Path(out)) as tmp:
        pdf = DocumentTemplate(str(tmp), title=title, subject=scope_text(dash))
        pdf.build(story, canvasmaker=numbered_canvas(decorate))
    return Path(out)


__all__ = ["bar_chart", "fmt", "write_dashboard_pdf"]
