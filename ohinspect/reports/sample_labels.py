"""Adhesive sample labels (样品标签): one label per sample and blank of a sampling task.

GBZ 159-2004 §8 (sample handling) asks that each sample carry its number and what identifies it
from the field to the lab. Each label holds the sample number twice in machine-readable form — a
QR code and a Code128 barcode (both drawn by reportlab, no extra dependency) — and in words the
sample number, the task number, the enterprise's short name, the post (or, for a blank, its
location), the sample type with the hazard factor, and the sampling date.

The sheet (A4, 3 × 8 labels of 70 × 36 mm by default) is data:
``resources/documents/labels.yaml``. Labels can be printed at any time, for a task in the field
as well as a signed one; rendering only reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import pagesizes
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ohinspect.errors import DataFileError
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir
from ohinspect.reports.data import ReportError, _local
from ohinspect.reports.fonts import plain, register_cjk_font
from ohinspect.reports.sampling import find_task_id
from ohinspect.reports.sampling_format import _item
from ohinspect.reports.styles import INK, RULE, atomic_output
from ohinspect.resources import load_resource
from ohinspect.store.database import Store

RESOURCE = "documents/labels.yaml"
ELLIPSIS = "…"
#: ISO/IEC 15417 (Code128) §4.3.2: a quiet zone of at least ten modules on either side
QUIET_MODULES = 10


@dataclass(frozen=True)
class LabelSheet:
    """The label sheet of ``resources/documents/labels.yaml`` (lengths in points)."""

    page: tuple[float, float]
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    gap_x: float
    gap_y: float
    padding: float
    qr_size: float
    qr_level: str
    barcode_height: float
    min_bar: float
    max_bar: float
    font_size: float
    number_font_size: float
    outline: bool
    drop: tuple[str, ...]
    short_chars: int

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, slot: int) -> tuple[float, float]:
        """Bottom-left corner of label ``slot`` (0 = top left, row by row)."""
        row, col = divmod(slot, self.columns)
        x = self.left + col * (self.width + self.gap_x)
        y = self.page[1] - self.top - (row + 1) * self.height - row * self.gap_y
        return x, y


@lru_cache(maxsize=1)
def load_label_sheet() -> LabelSheet:
    """Read and check the sheet; a layout that does not fit on the page is a data-file error."""
    where = str(resources_dir() / RESOURCE)
    try:
        d = load_resource(RESOURCE)["labels"]
        sheet = LabelSheet(
            page=getattr(pagesizes, str(d["page"])), columns=int(d["columns"]),
            rows=int(d["rows"]), width=float(d["label_width_mm"]) * mm,
            height=float(d["label_height_mm"]) * mm, left=float(d["margin_left_mm"]) * mm,
            top=float(d["margin_top_mm"]) * mm, gap_x=float(d["gap_x_mm"]) * mm,
            gap_y=float(d["gap_y_mm"]) * mm, padding=float(d["padding_mm"]) * mm,
            qr_size=float(d["qr_size_mm"]) * mm, qr_level=str(d["qr_error_level"]),
            barcode_height=float(d["barcode_height_mm"]) * mm,
            min_bar=float(d["barcode_min_bar_mm"]) * mm,
            max_bar=float(d["barcode_max_bar_mm"]) * mm, font_size=float(d["font_size_pt"]),
            number_font_size=float(d["number_font_size_pt"]), outline=bool(d["draw_outline"]),
            drop=tuple(str(s) for s in d["short_name_drop"]),
            short_chars=int(d["short_name_max_chars"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(where, f"malformed labels block: {exc!r}") from exc
    right = sheet.left + sheet.columns * sheet.width + (sheet.columns - 1) * sheet.gap_x
    bottom = sheet.top + sheet.rows * sheet.height + (sheet.rows - 1) * sheet.gap_y
    inner = sheet.height - 2 * sheet.padding
    if (sheet.columns < 1 or sheet.rows < 1 or right > sheet.page[0] + 0.01
            or bottom > sheet.page[1] + 0.01 or sheet.qr_size + sheet.barcode_height > inner
            or not 0 < sheet.min_bar <= sheet.max_bar or sheet.qr_level not in "LMQH"):
        raise DataFileError(where, "the labels do not fit on the page, the QR code and the "
                                   "barcode do not fit in a label, or the bar widths are wrong")
    return sheet


def short_name(name: str, sheet: LabelSheet) -> str:
    """The enterprise's name without its legal-form ending, at most ``short_chars`` long."""
    name = name.strip()
    for ending in sheet.drop:
        if name.endswith(ending) and len(name) > len(ending):
            name = name[: -len(ending)]
            break
    return name if len(name) <= sheet.short_chars else name[: sheet.short_chars - 1] + ELLIPSIS


@dataclass(frozen=True)
class Label:
    number: str
    lines: tuple[str, ...]      # the lines under the number, top to bottom


def _date(sample: Any, task: Any) -> str:
    moment = _local(sample.started_at) if sample.started_at else None
    day = moment.date() if moment is not None else task.planned_on
    return day.isoformat() if day is not None else ""


def task_labels(view: Any, sheet: LabelSheet) -> list[Label]:
    """One label per air sample and blank of the task view, by sample number."""
    task = view.task
    firm = short_name(view.enterprise.name, sheet)
    labels = []
    for s in sorted((*view.samples, *view.blanks), key=lambda s: s.sample_number):
        post = view.post(s.post_id)
        where = (tr("sampling_report.label.post", post=" ".join(
            x for x in (post.workshop, post.post) if x)) if post is not None else
            tr("sampling_report.label.location", location=s.location or "—"))
        labels.append(Label(s.sample_number, (
            tr("sampling_report.label.task", number=task.task_number),
            firm,
            where,
            tr("sampling_report.label.item", kind=tr(f"sampling.kind.{s.kind}"), item=_item(s)),
            tr("sampling_report.label.date", date=_date(s, task)))))
    return labels


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis until it is at most ``width`` wide."""
    text = plain(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text + ELLIPSIS


def _barcode(number: str, sheet: LabelSheet, width: float) -> Code128:
    """A Code128 barcode of ``number`` as wide as the label allows with its quiet zones (bars
    within the data's limits); too long a number for the narrowest readable bar is refused."""
    probe = Code128(number, barWidth=1, quiet=0)
    bar = min(sheet.max_bar, width / (probe.width + 2 * QUIET_MODULES))
    if bar < sheet.min_bar:
        raise ReportError(tr("sampling_report.label.too_long", number=number,
                             width=f"{width / mm:.0f}"))
    return Code128(number, barWidth=bar, barHeight=sheet.barcode_height, quiet=0,
                   humanReadable=False)


def _qr(number: str, sheet: LabelSheet) -> Any:
    """The QR code of ``number`` (reportlab's encoder, made: ``modules`` is its matrix)."""
    code = QrCodeWidget(number, barLevel=sheet.qr_level).qr
    code.make()
    return code


def _draw_qr(c: Canvas, number: str, x: float, y: float, sheet: LabelSheet) -> None:
    """The QR code as one filled path of its dark runs, ``qr_size`` square with its bottom-left
    corner at (x, y) — a hundred times faster than drawing reportlab's widget shape by shape."""
    modules = _qr(number, sheet).modules
    box = sheet.qr_size / len(modules)
    path = c.beginPath()
    for r, row in enumerate(modules):
        col = 0
        for dark, run in groupby(bool(m) for m in row):
            count = len(list(run))
            if dark:
                path.rect(x + col * box, y + sheet.qr_size - (r + 1) * box, count * box, box)
            col += count
    c.setFillColor(INK)
    c.drawPath(path, stroke=0, fill=1)


def _draw_label(c: Canvas, label: Label, x: float, y: float, sheet: LabelSheet,
                font: str) -> None:
    pad = sheet.padding
    if sheet.outline:
        c.setStrokeColor(RULE)
        c.setLineWidth(0.3)
        c.rect(x, y, sheet.width, sheet.height)
    top = y + sheet.height - pad
    _draw_qr(c, label.number, x + pad, top - sheet.qr_size, sheet)
    text_x = x + pad + sheet.qr_size + 2.5 * mm
    text_w = x + sheet.width - pad - text_x
    c.setFillColor(INK)
    size = sheet.number_font_size
    c.setFont(font, size)
    baseline = top - size
    c.drawString(text_x, baseline, _fit(label.number, font, size, text_w))
    c.setFont(font, sheet.font_size)
    leading = sheet.font_size * 1.25
    baseline -= size * 0.35
    for line in label.lines:
        baseline -= leading
        c.drawString(text_x, baseline, _fit(line, font, sheet.font_size, text_w))
    width = sheet.width - 2 * pad
    code = _barcode(label.number, sheet, width)
    code.drawOn(c, x + pad + (width - code.width) / 2, y + pad)


def build_labels_pdf(labels: Sequence[Label], out: Path, *, title: str,
                     sheet: LabelSheet | None = None) -> Path:
    sheet = sheet or load_label_sheet()
    font = register_cjk_font()
    with atomic_output(Path(out)) as tmp:
        c = Canvas(str(tmp), pagesize=sheet.page, invariant=1)
        c.setTitle(title)
        c.setCreator("OHInspect")
        for n, label in enumerate(labels):
            slot = n % sheet.per_page
            if n and slot == 0:
                c.showPage()
            _draw_label(c, label, *sheet.origin(slot), sheet, font)
        c.showPage()
        c.save()
    return Path(out)


def render_sample_labels(store: Store, task_id_or_number: str, out: Path) -> Path:
    """Write the label sheet(s) of a task's samples and blanks to ``out`` (atomically)."""
    from ohinspect.services.sampling_queries import get_task_view

    with store.read() as session:
        view = get_task_view(session, find_task_id(session, task_id_or_number))
    sheet = load_label_sheet()
    labels = task_labels(view, sheet)
    if not labels:
        raise ReportError(tr("sampling_report.label.none", key=view.task.task_number))
    return build_labels_pdf(labels, Path(out), sheet=sheet,
                            title=tr("sampling_report.label.title",
                                     number=view.task.task_number))
