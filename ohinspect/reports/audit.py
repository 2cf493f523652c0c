"""审核记录 — the record of a workplace (用人单位监督检查记录) or institution audit
(机构能力审核记录), in the layout of the 现场检查笔录 (:mod:`ohinspect.reports.record`, whose
parts it reuses): number; the party, authority, time, place, inspectors and recorder; the
overall result (符合 / 基本符合 / 不符合, with the reasons under grading.yaml and the count of
each grade and of photos); every item with its grade and note by section (key items marked);
the problems found with their legal basis; the signatures; the photos.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from ohinspect.checklists.model import ChecklistTemplate
from ohinspect.i18n import tr
from ohinspect.reports.data import InspectionDocument, ReportError, load_inspection_document
from ohinspect.reports.parts import field_rows
from ohinspect.reports.record import (
    _facts,
    _findings,
    _head,
    _photos,
    _record_decorator,
    _signatures,
)
from ohinspect.reports.styles import (
    FRAME_WIDTH,
    DocumentTemplate,
    Styles,
    Title,
    atomic_output,
    esc,
    keep_together,
    make_styles,
    numbered_canvas,
)
from ohinspect.services.inspection_helpers import audit_grading
from ohinspect.services.inspection_inputs import AUDIT_KINDS
from ohinspect.store.database import Store
from ohinspect.store.models import Inspection


def render_audit_report(store: Store, id_or_number: str, out: Path) -> Path:
    """Write the record of a signed audit to ``out`` (atomically) and return ``out``."""
    doc = load_inspection_document(store, id_or_number)
    if doc.kind not in AUDIT_KINDS:
        raise ReportError(tr("report.audit.not_audit", key=doc.record_number or doc.inspection_id))
    if not doc.locked:
        raise ReportError(tr("report.error.not_signed", key=doc.record_number or doc.inspection_id))
    with store.read() as session:
        ins = session.get(Inspection, doc.inspection_id)
        assert ins is not None
        snapshot, overall = ins.template_snapshot, ins.overall_result
    template = ChecklistTemplate.from_snapshot(snapshot)
    return build_audit_pdf(doc, template, overall, Path(out))


def build_audit_pdf(doc: InspectionDocument, template: ChecklistTemplate, overall: str,
                    out: Path) -> Path:
    styles = make_styles()
    title = tr(f"report.audit.title.{doc.kind}")
    story = audit_story(doc, template, overall, styles, title)
    decorate = _record_decorator(doc, styles, tr("report.running_header", title=title,
                                                 number=doc.record_number))
    with atomic_output(out) as tmp:
        pdf = DocumentTemplate(str(tmp), title=f"{title} {doc.record_number}".strip(),
                               subject=doc.party, author=doc.authority)
        pdf.build(story, canvasmaker=numbered_canvas(decorate))
    return out


def audit_story(doc: InspectionDocument, template: ChecklistTemplate, overall: str,
                styles: Styles, title: str) -> list[Any]:
    story: list[Any] = [Title(title, styles.font)]
    if doc.record_number:
        story.append(Paragraph(esc(tr("report.record.number", number=doc.record_number)),
                               styles.number))
    story += _head(doc, styles)
    if doc.amends_number:
        story.append(Paragraph(esc(tr("report.record.amends", number=doc.amends_number,
                                      reason=doc.amendment_reason or "—")), styles.body))
    story += _result(doc, template, overall, styles)
    story += _facts(_mark_key_items(doc, template), styles)
    findings = _findings(doc, styles)
    story += findings[:-1]
    story.append(keep_together(findings[-1], *_signatures(doc, styles)))
    story += _photos(doc, styles)
    return story


def _mark_key_items(doc: InspectionDocument, template: ChecklistTemplate) -> InspectionDocument:
    keys = {i.id for i in template.items if i.key}
    mark = tr("report.audit.key_mark")
    sections = tuple(replace(s, lines=tuple(
        replace(line, text=f"{mark}{line.text}") if line.item_id in keys else line
        for line in s.lines)) for s in doc.sections)
    return replace(doc, sections=sections)


def _result(doc: InspectionDocument, template: ChecklistTemplate, overall: str,
            styles: Styles) -> list[Any]:
    answers = {line.item_id: line.answer_code for s in doc.sections for line in s.lines}
    items = [i for i in template.items if i.id in answers]
    graded = audit_grading(doc.kind, items, answers)
    result = tr(f"audit.result.{overall}") if overall else "—"
    if graded.overall == overall and graded.reasons:   # the rules in force still agree
        result = tr("report.audit.result_with_reasons", result=result,
                    reasons=tr("report.list_sep").join(tr(f"audit.reason.{r}")
                                                       for r in graded.reasons))
    counts = tr("report.audit.counts", conform=graded.counts["conform"],
                basic=graded.counts["basically_conform"],
                not_conform=graded.counts["not_conform"], total=len(items))
    rows = [[(tr("report.audit.checklist"), tr("report.audit.checklist_ref",
                                               title=template.title_zh, id=template.id,
                                               version=template.version))],
            [(tr("report.audit.overall"), result),
             (tr("report.audit.photos"), tr("report.audit.photo_count", n=len(doc.photos)))],
            [(tr("report.audit.tally"), counts)]]
    return [Spacer(1, 2 * mm),
            Paragraph(esc(tr("report.audit.result_heading")), styles.heading),
            field_rows(styles, rows, FRAME_WIDTH),
            Paragraph(esc(tr("report.audit.key_legend")), styles.small)]
