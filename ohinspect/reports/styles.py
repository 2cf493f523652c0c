"""The page every document shares: A4, margins for binding on the left, a running header from
page 2, a footer with "第 x 页 共 y 页" (the total is known only at the end: pages are kept and
decorated when the document is saved), the title, body, table and caption styles."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    TableStyle,
)

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.reports.fonts import markup, plain, register_cjk_font

PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = A4
#: left margin wider: documents are bound on the left
MARGIN_LEFT, MARGIN_RIGHT = 25 * mm, 20 * mm
MARGIN_TOP, MARGIN_BOTTOM = 24 * mm, 26 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.black
RULE = colors.Color(0.25, 0.25, 0.25)
SHADE = colors.Color(0.92, 0.92, 0.92)
MUTED = colors.Color(0.35, 0.35, 0.35)


@dataclass(frozen=True)
class Styles:
    font: str
    title: ParagraphStyle
    number: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    body_indent: ParagraphStyle
    item: ParagraphStyle
    item_sub: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    caption: ParagraphStyle
    caption_small: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle


def make_styles() -> Styles:
    font = register_cjk_font()

    def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("textColor", INK)
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                              wordWrap="CJK", **kw)

    return Styles(
        font=font,
        title=style("title", 22, 30, alignment=TA_CENTER, spaceAfter=4 * mm),
        number=style("number", 11, 16, alignment=TA_RIGHT, spaceAfter=3 * mm),
        heading=style("heading", 13, 20, spaceBefore=4 * mm, spaceAfter=2 * mm),
        subheading=style("subheading", 11.5, 18, spaceBefore=2 * mm),
        body=style("body", 11.5, 20, alignment=TA_LEFT),
        body_indent=style("body_indent", 11.5, 20, firstLineIndent=23),
        item=style("item", 11.5, 20, leftIndent=18, firstLineIndent=-18),
        item_sub=style("item_sub", 11.5, 20, leftIndent=18),
        label=style("label", 11.5, 18),
        cell=style("cell", 10, 14.5),
        cell_center=style("cell_center", 10, 14.5, alignment=TA_CENTER),
        cell_head=style("cell_head", 10, 14.5, alignment=TA_CENTER),
        caption=style("caption", 10, 15, alignment=TA_CENTER, spaceBefore=1.5 * mm),
        caption_small=style("caption_small", 9, 13, alignment=TA_CENTER, textColor=MUTED),
        small=style("small", 9, 13, textColor=MUTED),
        right=style("right", 11.5, 20, alignment=TA_RIGHT),
    )


def esc(text: object) -> str:
    """Text for a Paragraph: markup characters escaped, line breaks kept, characters the CJK
    font draws as nothing set in the fallback font."""
    return markup(str(text))


#: full-width punctuation that must not begin a line (reportlab's list is Japanese-centred and
#: lacks ，：；！？》 ”); its CJK wrap hangs such a character at the end of the line instead
CANNOT_START_LINE = "，。、；：！？）》〉」』】〕］｝”’％‰℃°·"


def _chinese_line_breaking() -> None:
    """Extend the list in both places reportlab reads it (one-font and mixed-font paragraphs)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        current = module.ALL_CANNOT_START
        missing = "".join(ch for ch in CANNOT_START_LINE if ch not in current)
        if missing:
            module.ALL_CANNOT_START = current + missing


_chinese_line_breaking()

# image streams in binary, not ASCII85: reportlab's pure-Python ASCII85 encoder (its C
# accelerator is a separate package) took most of a 30-photo record's render time
rl_config.useA85 = 0


def keep_together(*items: Any) -> KeepTogether:
    """KeepTogether over ``items``, nested KeepTogethers opened up: reportlab's KeepTogether
    reports an endless height to force a split, so one inside another never fits anywhere."""
    flat: list[Any] = []
    for item in items:
        flat += keep_together(*item._content)._content if isinstance(item, KeepTogether) else [item]
    return KeepTogether(flat)


class Title(Flowable):
    """A centred document title, stroked a little to look bold (the CJK face has no bold)."""

    def __init__(self, text: str, font: str, size: float = 22, space_after: float = 3 * mm,
                 letter_spacing: float = 4) -> None:
        super().__init__()
        self.text, self.font, self.size = plain(text), font, size
        self.space_after, self.letter_spacing = space_after, letter_spacing

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.4 + self.space_after

    def _text_width(self) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        n = len(self.text)
        return stringWidth(self.text, self.font, self.size) + self.letter_spacing * max(n - 1, 0)

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(INK)
        c.setStrokeColor(INK)
        c.setLineWidth(self.size / 40)
        t = c.beginText()
        t.setTextRenderMode(2)  # fill + stroke
        t.setFont(self.font, self.size)
        t.setCharSpace(self.letter_spacing)
        t.setTextOrigin((self.width - self._text_width()) / 2, self.space_after + self.size * 0.3)
        t.textOut(self.text)
        c.drawText(t)
        c.restoreState()


#: decorate(canvas, page_number, page_count) draws the header and footer of one page
Decorator = Callable[[Canvas, int, int], None]


def numbered_canvas(decorate: Decorator) -> type[Canvas]:
    """A canvas class that holds every page until the end, then decorates each knowing the total.

    Its initial font is the CJK font, so no unembedded base-14 font (Helvetica) is referenced."""
    font = register_cjk_font()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 — reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                decorate(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def page_label(number: int, total: int) -> str:
    return tr("report.page", page=number, pages=total)


def draw_page_frame(c: Canvas, font: str, number: int, total: int, header: str) -> None:
    """The shared part: a running header from page 2 and the page number in the footer."""
    c.saveState()
    if number > 1 and header:
        c.setFont(font, 9)
        c.setFillColor(MUTED)
        y = PAGE_HEIGHT - MARGIN_TOP + 7 * mm
        c.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, y, plain(header))
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(MARGIN_LEFT, y - 2 * mm, PAGE_WIDTH - MARGIN_RIGHT, y - 2 * mm)
    c.setFont(font, 10)
    c.setFillColor(INK)
    c.drawCentredString(PAGE_WIDTH / 2, 12 * mm, page_label(number, total))
    c.restoreState()


class DocumentTemplate(BaseDocTemplate):
    def __init__(self, filename: str, *, title: str, subject: str = "", author: str = "") -> None:
        super().__init__(filename, pagesize=PAGE_SIZE, leftMargin=MARGIN_LEFT,
                         rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=title, subject=subject,
                         author=author, creator="OHInspect", invariant=1,
                         initialFontName=register_cjk_font())
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A TableStyle whose plain-string cells use the CJK font (never an unembedded Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), register_cjk_font()), *commands])


def grid_table_style(header_rows: int = 1, first_row: int = 0) -> TableStyle:
    """A ruled table (facts, findings): thin grid from ``first_row`` on (rows above it are
    captions), shaded header row(s), top-aligned cells."""
    top = (0, first_row)
    commands: list[tuple[Any, ...]] = [
        ("GRID", top, (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        last = first_row + header_rows - 1
        commands += [("BACKGROUND", top, (-1, last), SHADE),
                     ("VALIGN", top, (-1, last), "MIDDLE")]
    return table_style(*commands)


def field_table_style() -> TableStyle:
    """Label/value lines of a document head: values underlined, no grid."""
    return table_style(
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    )


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success it replaces ``out`` (fsynced), on any
    failure it is removed — a failed render never leaves a half-written file."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise OHInspectError(tr("report.error.write", path=out,
                                reason=exc.strerror or exc)) from exc
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; a document is an ordinary file
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OHInspectError(tr("report.error.write", path=out,
                                reason=exc.strerror or exc)) from exc
