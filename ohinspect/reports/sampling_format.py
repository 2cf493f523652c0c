"""Page geometry and cell formatting shared by the parts of the sampling report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    Paragraph,
    Table,
)

from ohinspect.i18n import tr
from ohinspect.reports.data import _local
from ohinspect.reports.parts import field_rows
from ohinspect.reports.styles import (
    Styles,
    esc,
    grid_table_style,
)

if TYPE_CHECKING:
    from ohinspect.reports.sampling import SamplingDocument

PAGE = landscape(A4)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 15 * mm, 20 * mm, 20 * mm
WIDTH = PAGE[0] - MARGIN_LEFT - MARGIN_RIGHT
HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM
DASH = "—"


def _n(x: float | None, digits: int = 2) -> str:
    if x is None:
        return DASH
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _hm(dt: datetime | None) -> str:
    dt = _local(dt)
    return dt.strftime("%H:%M") if dt else DASH


def _date(dt: Any) -> str:
    if dt is None:
        return DASH
    if isinstance(dt, datetime):
        dt = _local(dt)
    return tr("report.date", y=dt.year, m=dt.month, d=dt.day)


def _datetime(dt: datetime | None) -> str:
    dt = _local(dt)
    if dt is None:
        return DASH
    return tr("report.datetime", y=dt.year, m=dt.month, d=dt.day, H=dt.hour, M=dt.minute)


def _hazard(code: str) -> str:
    from ohinspect.i18n import current_language
    from ohinspect.standards.hazards import load_hazard_catalogue

    factor = load_hazard_catalogue().get(code)
    if factor is None:
        return code
    return factor.name_zh if current_language() == "zh_CN" else factor.name_en


def _item(sample: Any) -> str:
    name = _hazard(sample.hazard_code)
    if sample.fraction:
        name += tr("sampling_report.fraction", fraction=tr(f"sampling.fraction.{sample.fraction}"))
    return name


def _p(text: object, style: Any) -> Paragraph:
    return Paragraph(esc(text) if str(text) else "&nbsp;", style)


def _grid(rows: list[list[Any]], widths: Sequence[float], styles: Styles,
          header_rows: int = 1) -> Table:
    data = [[c if not isinstance(c, str) else _p(c, styles.cell_center if r < header_rows
                                                  else styles.cell)
             for c in row] for r, row in enumerate(rows)]
    scale = WIDTH / sum(widths)  # the columns share the whole frame width
    table = Table(data, colWidths=[w * scale for w in widths], repeatRows=header_rows,
                  hAlign="LEFT")
    table.setStyle(grid_table_style(header_rows))
    return table


def _small_styles(styles: Styles) -> Styles:
    """Cells a size smaller: the sample table has thirteen columns."""
    from dataclasses import replace

    from reportlab.lib.styles import ParagraphStyle

    def smaller(s: ParagraphStyle, size: float) -> ParagraphStyle:
        return ParagraphStyle(f"{s.name}_small", parent=s, fontSize=size, leading=size * 1.35)

    return replace(styles, cell=smaller(styles.cell, 8.5),
                   cell_center=smaller(styles.cell_center, 8.5),
                   cell_head=smaller(styles.cell_head, 8.5))


# --------------------------------------------------------------------------- the PDF


def _weather(w: dict[str, object]) -> str:
    parts = []
    if w.get("conditions"):
        parts.append(str(w["conditions"]))
    lo, hi = w.get("temp_min_c"), w.get("temp_max_c")
    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
        parts.append(tr("sampling_report.weather.temp", low=_n(lo, 1), high=_n(hi, 1)))
    if isinstance(w.get("humidity_pct"), (int, float)):
        parts.append(tr("sampling_report.weather.humidity", value=_n(w["humidity_pct"], 0)))
    if isinstance(w.get("pressure_kpa"), (int, float)):
        parts.append(tr("sampling_report.weather.pressure", value=_n(w["pressure_kpa"], 1)))
    if w.get("wind"):
        parts.append(str(w["wind"]))
    return tr("report.list_sep").join(parts) or DASH


def _head(doc: SamplingDocument, styles: Styles) -> list[Any]:
    task, ent = doc.view.task, doc.view.enterprise
    sep = tr("report.list_sep")
    rows: list[list[tuple[str, str]]] = [
        [(tr("sampling_report.field.enterprise"), ent.name),
         (tr("sampling_report.field.task_number"), task.task_number)],
        [(tr("sampling_report.field.address"), getattr(ent, "address", "") or DASH),
         (tr("sampling_report.field.date"), _date(task.planned_on))],
        [(tr("sampling_report.field.monitoring"),
          tr(f"sampling.monitoring.{task.monitoring_type}")),
         (tr("sampling_report.field.weather"), _weather(dict(task.weather or {})))],
        [(tr("sampling_report.field.standard"), task.detection_standard or DASH)],
        [(tr("sampling_report.field.production"), task.production_status or DASH)],
        [(tr("sampling_report.field.samplers"), sep.join(task.samplers or []) or DASH),
         (tr("sampling_report.field.escort"), task.escort_name or DASH)],
    ]
    head: list[Any] = [field_rows(styles, rows, WIDTH)]
    if doc.view.amends_number:   # an amendment says what it corrects, as the inspection record
        head.append(Paragraph(esc(tr("sampling_report.amends", number=doc.view.amends_number,
                                     reason=task.amendment_reason or DASH)), styles.body))
    return head


def _post_name(doc: SamplingDocument, post_id: str | None) -> str:
    post = doc.view.post(post_id)
    return f"{post.workshop} {post.post}" if post is not None else DASH
