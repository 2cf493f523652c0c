"""The dashboard as an Excel workbook (.xlsx, openpyxl): a summary sheet, then one sheet per
indicator with the same figures as the service — numbers stay numbers, rates are fractions
formatted as percentages, headers in the current language (Chinese first)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ohinspect.dashboards import PERCENT, Dashboard, Indicator
from ohinspect.i18n import tr
from ohinspect.reports.styles import atomic_output

PERCENT_FORMAT = "0.0%"
HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")
#: sheet names: Excel allows 31 characters and none of []:*?/\
SHEET_MAX = 31


def scope_text(dash: Dashboard) -> str:
    from ohinspect.dashboards.model import division_label

    s = dash.scope
    where = (f"{division_label(s.jurisdiction)}（{s.jurisdiction}）" if s.jurisdiction
             else tr("dash.scope_all"))
    return tr("dash.scope", jurisdiction=where, start=s.start.isoformat(), end=s.end.isoformat())


def _head(ws, row: int, labels: list[str]) -> None:  # type: ignore[no-untyped-def]
    for col, text in enumerate(labels, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(ws, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def sheet_title(ind: Indicator, n: int) -> str:
    title = tr(f"dash.ind.{ind.id}")
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return f"{n}.{title}"[:SHEET_MAX]


def write_dashboard_xlsx(dash: Dashboard, out: Path) -> Path:
    """Write ``dash`` to ``out`` (atomically) and return ``out``."""
    wb = Workbook()
    ws = wb.active
    ws.title = tr("dash.summary")[:SHEET_MAX]
    ws.append([tr("dash.title")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([scope_text(dash)])
    _head(ws, 4, [tr("dash.summary.indicator"), tr("dash.summary.figure"),
                  tr("dash.col.label")])
    for row, ind in enumerate(dash.indicators, 5):
        col = ind.chart_column()
        ws.cell(row=row, column=1, value=tr(f"dash.ind.{ind.id}"))
        cell = ws.cell(row=row, column=2, value=ind.overall())
        if col.kind == PERCENT:
            cell.number_format = PERCENT_FORMAT
        ws.cell(row=row, column=3, value=tr(f"dash.col.{col.id}"))
    _widths(ws, [52, 14, 24])
    for n, ind in enumerate(dash.indicators, 1):
        sheet = wb.create_sheet(sheet_title(ind, n))
        sheet.append([tr(f"dash.ind.{ind.id}")])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([tr(f"dash.def.{ind.id}")])
        sheet.append([scope_text(dash)])
        _head(sheet, 5, [tr("dash.col.key"), tr("dash.col.label")]
              + [tr(f"dash.col.{c.id}") for c in ind.columns])
        for row, fig in enumerate(ind.figures, 6):
            sheet.cell(row=row, column=1, value=fig.key)
            sheet.cell(row=row, column=2, value=fig.label)
            for col, c in enumerate(ind.columns, 3):
                cell = sheet.cell(row=row, column=col, value=fig.values.get(c.id))
                if c.kind == PERCENT:
                    cell.number_format = PERCENT_FORMAT
        if not ind.figures:
            sheet.cell(row=6, column=1, value=tr("dash.no_data"))
        _widths(sheet, [18, 30] + [14] * len(ind.columns))
    with atomic_output(Path(out)) as tmp:
        wb.save(tmp)
    return Path(out)
