"""Pieces both documents use: dates as officials write them, signature images, photos made
ready for print, the head table of label/value lines and the signature lines."""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, Table

from ohinspect.i18n import tr
from ohinspect.reports.data import InspectionDocument, SignatureLine
from ohinspect.reports.styles import (
    INK,
    MUTED,
    RULE,
    Styles,
    esc,
    field_table_style,
    table_style,
)

#: photos are embedded at most this many pixels on the long side (≈ 190 dpi across the page)
PHOTO_MAX_PX = 1200
SIGNATURE_HEIGHT = 11 * mm
SIGNATURE_MAX_WIDTH = 38 * mm


# --- wording --------------------------------------------------------------------------------

TRAILING = "。；;.,，、 "


def clause(text: str) -> str:
    """Text to be continued by the document's own wording: trailing punctuation removed."""
    return text.strip().rstrip(TRAILING)


def subject_text(doc: InspectionDocument) -> str:
    """What was inspected: "<project>（<stage>）", or whichever of the two is known."""
    if doc.project_name and doc.stage_name:
        return tr("report.subject", project=doc.project_name, stage=doc.stage_name)
    return doc.project_name or doc.stage_name


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """一, 二 … 十九, 二十 … 九十九 for numbered headings and paragraphs (arabic figures when
    the catalogue says so, as the English one does)."""
    if tr("report.cn_numbers") != "yes" or not 0 < n < 100:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


# --- dates ------------------------------------------------------------------------------------

def fmt_date(d: date | datetime | None) -> str:
    if d is None:
        return tr("report.blank_date")
    return tr("report.date", y=d.year, m=d.month, d=d.day)


def fmt_datetime(dt: datetime | None) -> str:
    if dt is None:
        return tr("report.blank_date")
    return tr("report.datetime", y=dt.year, m=dt.month, d=dt.day, H=dt.hour, M=dt.minute)


def fmt_span(start: datetime | None, end: datetime | None) -> str:
    """"2026年03月02日 09时30分 至 11时45分" (the end's date only when it differs)."""
    if start is None:
        return fmt_datetime(end)
    if end is None or end < start:
        return fmt_datetime(start)
    if end.date() == start.date():
        tail = tr("report.time", H=end.hour, M=end.minute)
    else:
        tail = fmt_datetime(end)
    return tr("report.span", start=fmt_datetime(start), end=tail)


# --- images -----------------------------------------------------------------------------------

def image_size(path: Path) -> tuple[int, int] | None:
    try:
        with PILImage.open(path) as im:
            return im.size
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None


def signature_image(path: Path | None, max_height: float = SIGNATURE_HEIGHT,
                    max_width: float = SIGNATURE_MAX_WIDTH) -> Image | None:
    """The drawn signature scaled to fit (aspect kept); None if it cannot be read."""
    if path is None:
        return None
    size = image_size(path)
    if not size or not size[0] or not size[1]:
        return None
    w, h = size
    scale = min(max_height / h, max_width / w)
    img = Image(str(path), width=w * scale, height=h * scale)
    img.hAlign = "LEFT"
    return img


@dataclass
class PreparedPhoto:
    source: Any   # a path (JPEG passed through) or a BytesIO with a JPEG
    width: int
    height: int


def prepare_photo(path: Path, max_px: int = PHOTO_MAX_PX) -> PreparedPhoto | None:
    """A photo ready to embed: upright (EXIF orientation applied), at most ``max_px`` on the
    long side, as JPEG. A JPEG that already fits is passed through untouched (fast, no loss).
    None if the file cannot be read as an image."""
    try:
        with PILImage.open(path) as im:
            orientation = im.getexif().get(0x0112, 1)
            w, h = im.size
            if (im.format == "JPEG" and max(w, h) <= max_px and orientation in (0, 1)
                    and im.mode in ("RGB", "L")):
                return PreparedPhoto(str(path), w, h)
            scale = min(1.0, max_px / max(w, h))
            target = (max(1, round(w * scale)), max(1, round(h * scale)))
            if im.format == "JPEG":
                im.draft("RGB", target)  # decode at 1/2, 1/4 … of the size: fast
            if orientation not in (0, 1):
                im = ImageOps.exif_transpose(im)
            if im.mode not in ("RGB", "L"):
                rgba = im.convert("RGBA")
                im = PILImage.new("RGB", rgba.size, "white")
                im.paste(rgba, mask=rgba.getchannel("A"))
            im.thumbnail((max_px, max_px), PILImage.Resampling.BILINEAR, reducing_gap=2.0)
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=85)
            buf.seek(0)
            return PreparedPhoto(buf, *im.size)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None


def prepare_photos(paths: list[Path | None]) -> list[PreparedPhoto | None]:
    """:func:`prepare_photo` for many files at once, in parallel (Pillow decodes, scales and
    encodes without holding the interpreter lock)."""
    todo = [p for p in paths if p is not None]
    if len(todo) <= 1:
        return [prepare_photo(p) if p is not None else None for p in paths]
    workers = min(len(todo), os.cpu_count() or 1, 8)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = dict(zip(todo, pool.map(prepare_photo, todo)))
    return [done[p] if p is not None else None for p in paths]


def photo_flowable(photo: PreparedPhoto, max_width: float, max_height: float) -> Image:
    scale = min(max_width / photo.width, max_height / photo.height)
    img = Image(photo.source, width=photo.width * scale, height=photo.height * scale)
    img.hAlign = "CENTER"
    return img


class MissingBox(Flowable):
    """A visible placeholder where a photo or signature file is missing: never silently dropped."""

    def __init__(self, text: str, font: str, width: float, height: float) -> None:
        super().__init__()
        self.text, self.font, self.width, self.height = text, font, width, height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._w = min(self.width, aw)
        return self._w, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        c.saveState()
        c.setStrokeColor(RULE)
        c.setDash(3, 2)
        c.rect(0, 0, self._w, self.height)
        c.setFillColor(MUTED)
        c.setFont(self.font, 9)
        c.drawCentredString(self._w / 2, self.height / 2 - 3, self.text)
        c.restoreState()


# --- head lines and signature lines -----------------------------------------------------------

def field_rows(styles: Styles, rows: list[list[tuple[str, str]]], width: float,
               label_widths: dict[str, float] | None = None) -> Table:
    """Label/value lines: each row holds one or two (label, value) pairs; values underlined."""
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    half = width / 2
    for r, pairs in enumerate(rows):
        if len(pairs) == 1:
            label, value = pairs[0]
            data.append([_label_value(styles, label, value, width)])
            commands.append(("SPAN", (0, r), (1, r)))
        else:
            data.append([_label_value(styles, label, value, half - 3 * mm)
                         for label, value in pairs[:2]])
    table = Table(data, colWidths=[half, half], hAlign="LEFT")
    style = field_table_style()
    for cmd in commands:
        style.add(*cmd)
    table.setStyle(style)
    return table


def _label_value(styles: Styles, label: str, value: str, width: float) -> Table:
    """"label：value" with the value underlined to the end of its cell, wrapping if long."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    label_text = tr("report.label", label=label)
    lw = stringWidth(label_text, styles.font, styles.label.fontSize) + 2
    lw = min(lw, width * 0.6)
    t = Table([[Paragraph(esc(label_text), styles.label),
                Paragraph(esc(value) if value else "&nbsp;", styles.label)]],
              colWidths=[lw, width - lw], hAlign="LEFT")
    t.setStyle(table_style(
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LINEBELOW", (1, 0), (1, 0), 0.5, INK),
    ))
    return t


def signature_cell(styles: Styles, sig: SignatureLine | None, *, name_fallback: str = "",
                   with_id: bool = False, witness: SignatureLine | None = None) -> list[Any]:
    """What stands in a signature cell: the image (or a refusal, or the name) and the ID number."""
    cell: list[Any] = []
    if sig is not None and sig.refused:
        text = tr("report.signature.refused",
                  witness=sig.witness or (witness.name if witness else ""))
        cell.append(Paragraph(esc(text), styles.cell))
        img = signature_image(witness.image) if witness is not None else None
        if img is not None:
            cell.append(img)
        return cell
    img = signature_image(sig.image) if sig is not None else None
    if img is not None:
        cell.append(img)
    elif sig is not None and (sig.image_missing or sig.image is not None):  # gone or unreadable
        missing = tr("report.signature.image_missing", name=sig.name)
        cell.append(Paragraph(esc(missing), styles.cell))
    else:
        name = sig.name if sig is not None else name_fallback
        cell.append(Paragraph(esc(name) if name else "&nbsp;", styles.label))
    if with_id and sig is not None and sig.id_no:
        cell.append(Paragraph(esc(tr("report.id_no", id_no=sig.id_no)), styles.small))
    return cell
