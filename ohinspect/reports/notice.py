"""责令改正通知书 / 卫生监督意见书 made from selected findings (issue 5; shared/DOMAIN.md §5).

Layout of the 《卫生行政执法文书规范》 documents: title and number; 当事人, 法定代表人（负责人）,
地址, 联系电话; "经查，你单位存在下列…": the findings, the legal basis composed from them, what
to do and by when ("于 YYYY年MM月DD日前改正"), for an order to correct the consequence of not
complying; the party's receipt (signature and date); the authority with a box for its seal and
the date of issue; "本文书一式两份…". Only an issued (numbered, frozen) notice is rendered.
The pieces are those of the supervision opinion (:mod:`ohinspect.reports.opinion`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from ohinspect.i18n import tr
from ohinspect.reports.data import ReportError
from ohinspect.reports.opinion import SealBlock
from ohinspect.reports.parts import clause, cn_number, field_rows, fmt_date
from ohinspect.reports.styles import (
    FRAME_WIDTH,
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
from ohinspect.services.notices import ISSUED, find_notice
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Inspection, RectificationItem


@dataclass(frozen=True)
class NoticeFinding:
    finding: str
    requirement: str


@dataclass(frozen=True)
class NoticeDocument:
    kind: str
    number: str
    party: str
    legal_representative: str
    address: str
    phone: str
    authority: str
    basis: str
    deadline: date | None
    issued_on: date | None
    findings: tuple[NoticeFinding, ...]


def load_notice_document(store: Store, key: str) -> NoticeDocument:
    with store.read() as session:
        notice = find_notice(session, key)
        if notice.status != ISSUED:
            raise ReportError(tr("ntc_report.error.not_issued", key=key))
        ent = session.get(Enterprise, notice.enterprise_id)
        insp = session.get(Inspection, notice.inspection_id) if notice.inspection_id else None
        items = {i.id: i for i in session.query(RectificationItem).filter(
            RectificationItem.id.in_(list(notice.item_ids or [])))}
        issued: datetime | None = notice.issued_at
        return NoticeDocument(
            kind=notice.kind, number=notice.number,
            party=ent.name if ent else "", address=ent.address if ent else "",
            legal_representative=ent.legal_representative if ent else "",
            phone=ent.contact_phone if ent else "",
            authority=insp.authority if insp is not None else "",
            basis=notice.body, deadline=notice.deadline,
            issued_on=issued.astimezone().date() if issued else None,
            findings=tuple(NoticeFinding(items[i].finding, items[i].requirement)
                           for i in notice.item_ids or [] if i in items))


def render_notice(store: Store, notice_id_or_number: str, out: Path) -> Path:
    """Write the issued notice ``notice_id_or_number`` (id or number) to ``out`` atomically."""
    doc = load_notice_document(store, notice_id_or_number)
    styles = make_styles()
    title = tr(f"ntc_report.{doc.kind}.title")
    header = tr("report.running_header", title=title, number=doc.number)

    def decorate(c: Canvas, number: int, total: int) -> None:
        draw_page_frame(c, styles.font, number, total, header)

    out = Path(out)
    with atomic_output(out) as tmp:
        template = DocumentTemplate(str(tmp), title=f"{title} {doc.number}", subject=doc.party,
                                    author=doc.authority)
        template.build(notice_story(doc, styles), canvasmaker=numbered_canvas(decorate))
    return out


def notice_story(doc: NoticeDocument, styles: Styles) -> list[Any]:
    key = f"ntc_report.{doc.kind}"
    story: list[Any] = [Title(tr(f"{key}.title"), styles.font),
                        Paragraph(esc(doc.number), styles.number),
                        field_rows(styles, [
                            [(tr("report.field.opinion_party"), doc.party)],
                            [(tr("report.field.legal_representative"), doc.legal_representative),
                             (tr("report.field.phone"), doc.phone)],
                            [(tr("report.field.address"), doc.address)],
                        ], FRAME_WIDTH),
                        Spacer(1, 5 * mm),
                        Paragraph(esc(tr("report.opinion.salutation", party=doc.party)),
                                  styles.body),
                        Paragraph(esc(tr(f"{key}.intro")), styles.body_indent)]
    for n, f in enumerate(doc.findings, start=1):
        story.append(Paragraph(esc(tr("report.opinion.finding", n=cn_number(n),
                                      text=clause(f.finding))), styles.body_indent))
    if doc.basis:
        story.append(Paragraph(esc(tr(f"{key}.basis", basis=doc.basis)), styles.body_indent))
    order = [Paragraph(esc(tr(f"{key}.order", deadline=fmt_date(doc.deadline))),
                       styles.body_indent)]
    for n, f in enumerate(doc.findings, start=1):
        order.append(Paragraph(esc(tr("ntc_report.requirement", n=n,
                                      text=clause(f.requirement))), styles.body_indent))
    story.append(KeepTogether(order))
    closing = Paragraph(esc(tr(f"{key}.closing", authority=doc.authority or
                               tr("ntc_report.authority_blank"))), styles.body_indent)
    # the receipt and the seal never stand on a page of their own
    story.append(keep_together(closing, Spacer(1, 6 * mm), _receipt_and_seal(doc, styles),
                               Spacer(1, 5 * mm),
                               Paragraph(esc(tr("report.opinion.copies")), styles.small)))
    return story


def _receipt_and_seal(doc: NoticeDocument, styles: Styles) -> Flowable:
    left_w = FRAME_WIDTH * 0.5
    right_w = FRAME_WIDTH - left_w
    receipt = [Paragraph(esc(tr("report.label", label=tr("report.opinion.receipt"))), styles.label),
               Spacer(1, 12 * mm),
               Paragraph(esc(tr("report.blank_date")), styles.label)]
    authority = [Paragraph(esc(tr("report.label", label=tr("report.opinion.authority"))),
                           styles.label),
                 SealBlock(doc.authority, fmt_date(doc.issued_on), styles, right_w - 6 * mm)]
    table = Table([[receipt, authority]], colWidths=[left_w, right_w], hAlign="LEFT")
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)))
    return table
