"""卫生监督意见书 — the supervision opinion handed to the party after a signed inspection.

Number; 当事人, 法定代表人（负责人）, 地址, 联系电话; the opinion: what was found, the legal
basis, what to do and by when ("限于 YYYY年MM月DD日前改正"); the party's receipt (signature and
date); the authority with a box for its seal and the date; "本文书一式两份…".
Only for a signed (locked) inspection with findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from ohinspect.i18n import tr
from ohinspect.reports.data import (
    InspectionDocument,
    ReportError,
    load_inspection_document,
)
from ohinspect.reports.fonts import plain
from ohinspect.reports.parts import (
    clause,
    cn_number,
    field_rows,
    fmt_date,
    signature_cell,
    subject_text,
)
from ohinspect.reports.styles import (
    FRAME_WIDTH,
    INK,
    MUTED,
    DocumentTemplate,
    Styles,
    Title,
    atomic_output,
    draw_page_frame,
    esc,
    keep_together,
    make_styles,
    numbered_canvas,
    table_style,
)
from ohinspect.store.database import Store

SEAL_DIAMETER = 40 * mm


def render_supervision_opinion(store: Store, inspection_id: str, out: Path) -> Path:
    """Write the 卫生监督意见书 of a signed inspection with findings to ``out`` (atomically)."""
    doc = load_inspection_document(store, inspection_id)
    key = doc.record_number or doc.inspection_id
    if not doc.locked:
        raise ReportError(tr("report.error.not_signed", key=key))
    if not doc.findings:
        raise ReportError(tr("report.error.no_findings", key=key))
    return build_opinion_pdf(doc, Path(out))


def build_opinion_pdf(doc: InspectionDocument, out: Path) -> Path:
    styles = make_styles()
    title = tr("report.opinion.title")
    header = tr("report.running_header", title=title, number=doc.opinion_number)

    def decorate(c: Canvas, number: int, total: int) -> None:
        draw_page_frame(c, styles.font, number, total, header)

    with atomic_output(out) as tmp:
        template = DocumentTemplate(str(tmp), title=f"{title} {doc.opinion_number}".strip(),
                                    subject=doc.party, author=doc.authority)
        template.build(opinion_story(doc, styles), canvasmaker=numbered_canvas(decorate))
    return out


def opinion_story(doc: InspectionDocument, styles: Styles) -> list[Any]:
    story: list[Any] = [Title(tr("report.opinion.title"), styles.font)]
    if doc.opinion_number:
        story.append(Paragraph(esc(doc.opinion_number), styles.number))
    story.append(field_rows(styles, [
        [(tr("report.field.opinion_party"), doc.party)],
        [(tr("report.field.legal_representative"), doc.legal_representative),
         (tr("report.field.phone"), doc.phone)],
        [(tr("report.field.address"), doc.address)],
    ], FRAME_WIDTH))
    story.append(Spacer(1, 5 * mm))
    body = _opinion_text(doc, styles)
    # the receipt and the seal never stand on a page of their own: the last finding and the
    # closing sentence go with them (a sealed page without text is not accepted)
    story += body[:-2]
    story.append(keep_together(*body[-2:], Spacer(1, 6 * mm), _receipt_and_seal(doc, styles),
                               Spacer(1, 5 * mm),
                               Paragraph(esc(tr("report.opinion.copies")), styles.small)))
    return story


def _opinion_text(doc: InspectionDocument, styles: Styles) -> list[Any]:
    subject = subject_text(doc)
    when = fmt_date(doc.started_at)
    if subject:
        intro = tr("report.opinion.intro", date=when, authority=doc.authority or "—",
                   subject=subject, record=doc.record_number or "—")
    else:
        intro = tr("report.opinion.intro_plain", date=when, authority=doc.authority or "—",
                   record=doc.record_number or "—")
    out: list[Any] = [Paragraph(esc(tr("report.opinion.salutation", party=doc.party)), styles.body),
                      Paragraph(esc(intro), styles.body_indent)]
    for f in doc.findings:
        parts = [Paragraph(esc(tr("report.opinion.finding", n=cn_number(f.number), text=f.finding)),
                           styles.body_indent)]
        if f.legal_basis:
            parts.append(Paragraph(esc(tr("report.opinion.basis", basis=clause(f.legal_basis))),
                                   styles.body_indent))
        parts.append(Paragraph(esc(tr("report.opinion.requirement",
                                      requirement=clause(f.requirement),
                                      deadline=fmt_date(f.deadline))), styles.body_indent))
        out.append(KeepTogether(parts))
    out.append(Paragraph(esc(tr("report.opinion.closing", authority=doc.authority or "—")),
                         styles.body_indent))
    return out


class SealBlock(Flowable):
    """The authority's name and the date, with a dashed circle where the seal goes."""

    def __init__(self, authority: str, date_text: str, styles: Styles, width: float) -> None:
        super().__init__()
        self.authority, self.date_text = authority, date_text
        self.styles, self.width = styles, width
        self.height = SEAL_DIAMETER + 8 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        font, size = self.styles.font, self.styles.label.fontSize
        cx, cy = self.width / 2, self.height / 2
        c.saveState()
        c.setStrokeColor(MUTED)
        c.setDash(2, 2)
        c.setLineWidth(0.6)
        c.circle(cx, cy, SEAL_DIAMETER / 2)
        c.setFillColor(MUTED)
        c.setFont(font, 8)
        c.drawCentredString(cx, cy + SEAL_DIAMETER / 2 - 6 * mm, tr("report.opinion.seal_here"))
        c.setFillColor(INK)
        c.setFont(font, size)
        c.drawCentredString(cx, cy + 2 * mm, self._fit(plain(self.authority), font, size))
        c.drawCentredString(cx, cy - 6 * mm, self.date_text)
        c.restoreState()

    def _fit(self, text: str, font: str, size: float) -> str:
        width = self.width
        if self.canv.stringWidth(text, font, size) <= width:
            return text
        while text and self.canv.stringWidth(text + "…", font, size) > width:
            text = text[:-1]
        return text + "…"


def _receipt_and_seal(doc: InspectionDocument, styles: Styles) -> Flowable:
    party = doc.party_signature
    witness = next(iter(doc.signatures_of("witness")), None)
    left_w = FRAME_WIDTH * 0.5
    right_w = FRAME_WIDTH - left_w
    receipt: list[Any] = [Paragraph(esc(tr("report.label", label=tr("report.opinion.receipt"))),
                                    styles.label), Spacer(1, 2 * mm)]
    receipt += signature_cell(styles, party, witness=witness, name_fallback="")
    receipt += [Spacer(1, 2 * mm),
                Paragraph(esc(fmt_date(party.signed_at if party else None)), styles.label)]
    authority_label = Paragraph(esc(tr("report.label", label=tr("report.opinion.authority"))),
                                styles.label)
    seal = SealBlock(doc.authority, fmt_date(doc.signed_on), styles, right_w - 6 * mm)
    table = Table([[receipt, [authority_label, seal]]], colWidths=[left_w, right_w], hAlign="LEFT")
    table.setStyle(table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ))
    return table
