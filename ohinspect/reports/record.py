"""现场检查笔录 — the on-site inspection record.

Laid out as officials do: title and record number; the party (被检查单位, address, legal
representative, phone); the authority, time, place, inspectors with their enforcement-ID
numbers and the recorder; the objective facts item by item (answer and note, by section); the
problems found with their legal basis; the signatures of the party (or the refusal and its
witness), the inspectors and the recorder; then the selected photos with captions. Every page
carries "第 x 页 共 y 页" and the party's signature, as each page of a record is signed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from ohinspect.i18n import tr
from ohinspect.reports.data import (
    InspectionDocument,
    ReportError,
    load_inspection_document,
)
from ohinspect.reports.fonts import plain
from ohinspect.reports.parts import (
    MissingBox,
    cn_number,
    field_rows,
    fmt_date,
    fmt_span,
    image_size,
    photo_flowable,
    prepare_photos,
    signature_cell,
    subject_text,
)
from ohinspect.reports.styles import (
    FRAME_WIDTH,
    INK,
    MARGIN_LEFT,
    Decorator,
    DocumentTemplate,
    Styles,
    Title,
    atomic_output,
    draw_page_frame,
    esc,
    grid_table_style,
    keep_together,
    make_styles,
    numbered_canvas,
    table_style,
)
from ohinspect.store.database import Store

#: two photos with their captions fit on a page
PHOTO_MAX_HEIGHT = 98 * mm


def render_inspection_record(store: Store, inspection_id: str, out: Path) -> Path:
    """Write the 现场检查笔录 of a signed inspection to ``out`` (atomically) and return ``out``."""
    doc = load_inspection_document(store, inspection_id)
    if not doc.locked:
        raise ReportError(tr("report.error.not_signed", key=doc.record_number or doc.inspection_id))
    return build_record_pdf(doc, Path(out))


def build_record_pdf(doc: InspectionDocument, out: Path) -> Path:
    styles = make_styles()
    story = record_story(doc, styles)
    title = tr("report.record.title")
    header = tr("report.running_header", title=title, number=doc.record_number)
    decorate = _record_decorator(doc, styles, header)
    with atomic_output(out) as tmp:
        template = DocumentTemplate(str(tmp), title=f"{title} {doc.record_number}".strip(),
                                    subject=doc.party, author=doc.authority)
        template.build(story, canvasmaker=numbered_canvas(decorate))
    return out


def _record_decorator(doc: InspectionDocument, styles: Styles, header: str) -> Decorator:
    party = doc.party_signature
    witness = next(iter(doc.signatures_of("witness")), None)
    image = None
    if party is not None and not party.refused and party.image is not None:
        size = image_size(party.image)
        if size and size[1]:
            h = 8 * mm
            w = min(size[0] * h / size[1], 40 * mm)
            h = size[1] * w / size[0]
            image = (ImageReader(str(party.image)), w, h)

    def decorate(c: Canvas, number: int, total: int) -> None:
        draw_page_frame(c, styles.font, number, total, header)
        c.saveState()
        c.setFont(styles.font, 9.5)
        c.setFillColor(INK)
        y = 18 * mm  # above the page number: each page of a record is signed by the party
        label = tr("report.record.footer_party")
        c.drawString(MARGIN_LEFT, y, label)
        x = MARGIN_LEFT + c.stringWidth(label, styles.font, 9.5) + 2
        if party is not None and party.refused:
            name = party.witness or (witness.name if witness else "")
            c.drawString(x, y, plain(tr("report.signature.refused_short", witness=name)))
        elif image is not None:
            c.drawImage(image[0], x, y - 2.5 * mm, width=image[1], height=image[2], mask="auto")
        c.restoreState()

    return decorate


def record_story(doc: InspectionDocument, styles: Styles) -> list[Any]:
    story: list[Any] = [Title(tr("report.record.title"), styles.font)]
    if doc.record_number:
        story.append(Paragraph(esc(tr("report.record.number", number=doc.record_number)),
                               styles.number))
    story += _head(doc, styles)
    if doc.amends_number:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(esc(tr("report.record.amends", number=doc.amends_number,
                                      reason=doc.amendment_reason or "—")), styles.body))
    story += _facts(doc, styles)
    findings = _findings(doc, styles)
    # the signatures never stand on a page without text: the last line before them goes along
    story += findings[:-1]
    story.append(keep_together(findings[-1], *_signatures(doc, styles)))
    story += _photos(doc, styles)
    return story


def _head(doc: InspectionDocument, styles: Styles) -> list[Any]:
    legal = doc.legal_representative
    inspectors = tr("report.list_sep").join(
        tr("report.record.inspector", name=p.name, id_no=p.id_no) if p.id_no else p.name
        for p in doc.inspectors)
    present = ""
    if doc.party_representative:
        present = (tr("report.person_title", name=doc.party_representative, title=doc.party_title)
                   if doc.party_title else doc.party_representative)
    subject = subject_text(doc)
    rows: list[list[tuple[str, str]]] = [
        [(tr("report.field.party"), doc.party)],
        [(tr("report.field.address"), doc.address)],
        [(tr("report.field.legal_representative"), legal), (tr("report.field.phone"), doc.phone)],
    ]
    if present:
        rows.append([(tr("report.field.present"), present)])
    rows += [
        [(tr("report.field.authority"), doc.authority)],
        [(tr("report.field.time"), fmt_span(doc.started_at, doc.ended_at))],
        [(tr("report.field.place"), doc.place)],
        [(tr("report.field.inspectors"), inspectors)],
        [(tr("report.field.recorder"), doc.recorder)],
    ]
    if subject or doc.template_title:
        rows.append([(tr("report.field.subject"), subject or doc.template_title)])
    return [field_rows(styles, rows, FRAME_WIDTH)]


def _facts(doc: InspectionDocument, styles: Styles) -> list[Any]:
    out: list[Any] = [CondPageBreak(30 * mm),
                      Paragraph(esc(tr("report.record.facts")), styles.heading)]
    if doc.template_title:
        checklist = doc.template_title.strip("《》")
        out.append(Paragraph(esc(tr("report.record.facts_intro", checklist=checklist)),
                             styles.body_indent))
        out.append(Spacer(1, 2 * mm))
    if not doc.sections:
        out.append(Paragraph(esc(tr("report.record.no_facts")), styles.body))
        return out
    widths = [11 * mm, 80 * mm, 19 * mm, FRAME_WIDTH - 110 * mm]
    head = [Paragraph(esc(tr(k)), styles.cell_head) for k in (
        "report.col.no", "report.col.item", "report.col.answer", "report.col.note")]
    n = 0
    for section in doc.sections:
        data: list[list[Any]] = []
        if section.title:
            n += 1
            data.append([Paragraph(esc(tr("report.record.section", n=cn_number(n),
                                              title=section.title)), styles.subheading),
                         "", "", ""])
        first = len(data)  # the column-header row
        data.append(head)
        for line in section.lines:
            note = line.note
            if line.photo_numbers:
                ref = tr("report.record.see_photos", numbers=tr("report.list_sep").join(
                    str(k) for k in line.photo_numbers))
                note = f"{note}\n{ref}" if note else ref
            data.append([
                Paragraph(str(line.number), styles.cell_center),
                Paragraph(esc(line.text), styles.cell),
                Paragraph(esc(line.answer), styles.cell_center),
                Paragraph(esc(note) if note else "", styles.cell),
            ])
        # the section title, the column header and the first item never part (a split needs a
        # row after the repeated header); only the column header repeats on the next page
        table = Table(data, colWidths=widths, repeatRows=(first,), hAlign="LEFT", splitInRow=1)
        style = grid_table_style(first_row=first)
        if first:
            style.add("SPAN", (0, 0), (-1, 0))
            style.add("LEFTPADDING", (0, 0), (-1, 0), 0)
            style.add("TOPPADDING", (0, 0), (-1, 0), 6)
        table.setStyle(style)
        out.append(table)
    if doc.summary:
        out.append(Spacer(1, 3 * mm))
        out.append(Paragraph(esc(tr("report.record.summary", text=doc.summary)), styles.body))
    return out


def _findings(doc: InspectionDocument, styles: Styles) -> list[Any]:
    out: list[Any] = [CondPageBreak(30 * mm),
                      Paragraph(esc(tr("report.record.findings")), styles.heading)]
    if not doc.findings:
        out.append(Paragraph(esc(tr("report.record.no_findings")), styles.body_indent))
        return out
    for f in doc.findings:
        parts = [Paragraph(esc(tr("report.numbered", n=f.number, text=f.finding)), styles.item)]
        if f.legal_basis:
            parts.append(Paragraph(esc(tr("report.record.basis", basis=f.legal_basis)),
                                   styles.item_sub))
        out.append(KeepTogether(parts))
    if doc.opinion_number:
        out.append(Spacer(1, 2 * mm))
        out.append(Paragraph(esc(tr("report.record.opinion_ref", number=doc.opinion_number)),
                             styles.body_indent))
    return out


def _signatures(doc: InspectionDocument, styles: Styles) -> list[Any]:
    party = doc.party_signature
    witness = next(iter(doc.signatures_of("witness")), None)
    inspectors = doc.signatures_of("inspector")
    recorders = doc.signatures_of("recorder")
    date_text = fmt_date(doc.signed_on)
    label_w, date_w = 44 * mm, 34 * mm
    body_w = FRAME_WIDTH - label_w - date_w
    rows: list[list[Any]] = []

    def lbl(key: str) -> Paragraph:
        return Paragraph(esc(tr("report.label", label=tr(key))), styles.label)

    rows.append([lbl("report.sign.party"), signature_cell(styles, party, witness=witness),
                 Paragraph(esc(fmt_date(party.signed_at if party else doc.signed_on)),
                           styles.label)])
    # inspectors: two to a row, each with the enforcement-ID number under the signature
    ins_cells: list[Any] = []
    for sig in inspectors or []:
        ins_cells.append(signature_cell(styles, sig, with_id=True))
    if not ins_cells:
        ins_cells = [[Paragraph(esc(p.name), styles.label),
                      Paragraph(esc(tr("report.id_no", id_no=p.id_no)), styles.small)]
                     for p in doc.inspectors]
    pairs = [ins_cells[i:i + 2] for i in range(0, len(ins_cells), 2)] or [[[]]]
    for n, pair in enumerate(pairs):
        inner = Table([pair + [""] * (2 - len(pair))], colWidths=[body_w / 2] * 2, hAlign="LEFT")
        inner.setStyle(table_style(
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)))
        rows.append([lbl("report.sign.inspectors") if n == 0 else "", inner,
                     Paragraph(esc(date_text), styles.label) if n == 0 else ""])
    recorder = recorders[0] if recorders else None
    rows.append([lbl("report.sign.recorder"),
                 signature_cell(styles, recorder, name_fallback=doc.recorder),
                 Paragraph(esc(fmt_date(recorder.signed_at if recorder else doc.signed_on)),
                           styles.label)])
    table = Table(rows, colWidths=[label_w, body_w, date_w], hAlign="LEFT")
    table.setStyle(table_style(
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
    ))
    statement = Paragraph(esc(tr("report.record.closing")), styles.body_indent)
    return [Spacer(1, 5 * mm), statement, Spacer(1, 3 * mm), table]


def _photos(doc: InspectionDocument, styles: Styles) -> list[Any]:
    if not doc.photos:
        return []
    out: list[Any] = [PageBreak(), Paragraph(esc(tr("report.record.photos")), styles.heading)]
    prepared_all = prepare_photos([photo.path for photo in doc.photos])
    for photo, prepared in zip(doc.photos, prepared_all):
        caption = tr("report.photo.caption", n=photo.number,
                     text=photo.caption or photo.item_text or "—")
        details = []
        if photo.item_number is not None:
            details.append(tr("report.photo.item", n=photo.item_number))
        if photo.taken_at is not None:
            details.append(tr("report.photo.taken", when=fmt_span(photo.taken_at, None)))
        if prepared is None:
            body: Any = MissingBox(tr("report.photo.missing", sha=photo.sha256[:12]), styles.font,
                                   FRAME_WIDTH, 30 * mm)
        else:
            body = photo_flowable(prepared, FRAME_WIDTH, PHOTO_MAX_HEIGHT)
        parts = [Spacer(1, 3 * mm), body, Paragraph(esc(caption), styles.caption)]
        if details:
            parts.append(Paragraph(esc("　".join(details)), styles.caption_small))
        out.append(KeepTogether(parts))
    return out

