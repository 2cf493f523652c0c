"""The sampling documents of one signed task, in one PDF (A4 landscape, as the paper forms):

1. 采样记录 — the header (enterprise, 检测依据, monitoring type, weather, production, samplers
   and escort), a table per post of its air samples (number, kind, wearer or location, pump and
   calibrator, flow before/after, start/end, duration, volume, standard volume, T/P,
   production status, PPE) with the GBZ 159 plan as accepted, the blanks and the signatures;
2. 噪声测量记录 — readings, L_Aeq,Te, exposure time and the calibrator check per point;
3. 样品交接单 — each hand-over to the lab and its samples;
4. 评价表 — per post and factor C_TWA / C_STE / C_ME or L_EX,8h with the limit, grade and
   verdict (符合 / 不符合 / 不判定) with its reason, recomputed by ``evaluate_task``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)
from sqlalchemy import or_, select

from ohinspect.i18n import tr
from ohinspect.reports.data import ReportError, attachment_file
from ohinspect.reports.fonts import plain, register_cjk_font
from ohinspect.reports.parts import field_rows, signature_image
from ohinspect.reports.sampling_evaluation import _evaluation
from ohinspect.reports.sampling_format import (
    DASH,
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE,
    WIDTH,
    _date,
    _datetime,
    _grid,
    _hazard,
    _head,
    _hm,
    _item,
    _n,
    _p,
    _post_name,
    _small_styles,
)
from ohinspect.reports.styles import (
    INK,
    MUTED,
    RULE,
    Styles,
    Title,
    atomic_output,
    esc,
    keep_together,
    make_styles,
    numbered_canvas,
    page_label,
    table_style,
)
from ohinspect.store.database import Store

# --------------------------------------------------------------------------- data


@dataclass
class SamplingDocument:
    view: Any                      # sampling_queries.TaskView
    evaluation: Any                # evaluation.TaskEvaluation
    sampler_signature: Path | None
    escort_signature: Path | None


def find_task_id(session: Any, key: str) -> str:
    """A task by its id or its task number."""
    from ohinspect.store.models import SamplingTask

    found = session.scalar(select(SamplingTask.id).where(
        or_(SamplingTask.id == key, SamplingTask.task_number == key),
        SamplingTask.deleted_at.is_(None)))
    if found is None:
        raise ReportError(tr("sampling_report.error.not_found", key=key))
    return str(found)


def load_sampling_document(store: Store, key: str) -> SamplingDocument:
    from ohinspect.services.evaluation import evaluate_task
    from ohinspect.services.sampling_queries import get_task_view

    with store.read() as session:
        task_id = find_task_id(session, key)
        view = get_task_view(session, task_id)
        evaluation = evaluate_task(session, task_id)
    task = view.task

    def image(sha: str) -> Path | None:
        if not sha:
            return None
        path = attachment_file(store, sha)
        return path if path.exists() else None

    return SamplingDocument(view, evaluation, image(task.sampler_signature_sha256),
                            image(task.escort_signature_sha256))


def render_sampling_report(store: Store, task_id: str, out: Path) -> Path:
    """Write the four sampling documents of a signed task to ``out`` (atomically)."""
    doc = load_sampling_document(store, task_id)
    if not doc.view.locked:
        raise ReportError(tr("sampling_report.error.not_signed",
                             key=doc.view.task.task_number or doc.view.task.id))
    return build_sampling_pdf(doc, Path(out))


# --------------------------------------------------------------------------- formatting


class _Template(BaseDocTemplate):
    def __init__(self, filename: str, *, title: str, subject: str = "") -> None:
        super().__init__(filename, pagesize=PAGE, leftMargin=MARGIN_LEFT,
                         rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=title, subject=subject,
                         creator="OHInspect", invariant=1, initialFontName=register_cjk_font())
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, WIDTH, HEIGHT, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])


def build_sampling_pdf(doc: SamplingDocument, out: Path) -> Path:
    styles = make_styles()
    small = _small_styles(styles)
    task, ent = doc.view.task, doc.view.enterprise
    story: list[Any] = []
    story += _record(doc, styles, small)
    story.append(PageBreak())
    story += _noise(doc, styles, small)
    story.append(PageBreak())
    story += _custody(doc, styles, small)
    story.append(PageBreak())
    story += _evaluation(doc, styles, small)
    header = tr("sampling_report.running_header", enterprise=ent.name, number=task.task_number)

    def decorate(c: Canvas, number: int, total: int) -> None:
        c.saveState()
        c.setFont(styles.font, 9)
        c.setFillColor(MUTED)
        y = PAGE[1] - MARGIN_TOP + 7 * mm
        c.drawRightString(PAGE[0] - MARGIN_RIGHT, y, plain(header))
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(MARGIN_LEFT, y - 2 * mm, PAGE[0] - MARGIN_RIGHT, y - 2 * mm)
        c.setFont(styles.font, 10)
        c.setFillColor(INK)
        c.drawCentredString(PAGE[0] / 2, 10 * mm, page_label(number, total))
        c.restoreState()

    with atomic_output(out) as tmp:
        template = _Template(str(tmp), title=f"{tr('sampling_report.title')} {task.task_number}",
                             subject=ent.name)
        template.build(story, canvasmaker=numbered_canvas(decorate))
    return out


# --------------------------------------------------------------------------- 1. 采样记录






SAMPLE_WIDTHS = tuple(w * mm for w in (38, 10, 22, 24, 22, 15, 22, 11, 14, 14, 20, 20, 20))


def _sample_header() -> list[str]:
    return [tr(f"sampling_report.col.{k}") for k in (
        "number", "kind", "item", "who", "instrument", "flow", "time", "minutes", "volume",
        "std_volume", "climate", "production", "ppe")]


def _sample_row(s: Any, photos: int = 0) -> list[str]:
    """One sample's cells; the number cell also says how many photos document it."""
    minutes = None
    if s.started_at and s.ended_at:
        minutes = (s.ended_at - s.started_at).total_seconds() / 60
    who = s.wearer if s.kind == "personal" else s.location
    if s.kind == "personal" and s.location:
        who = f"{s.wearer}（{s.location}）"
    instrument = " / ".join(x for x in (s.instrument_id, s.calibrator_id) if x) or DASH
    flow = f"{_n(s.flow_before_lpm, 2)} / {_n(s.flow_after_lpm, 2)}"
    if s.drift_reason:
        flow += "\n" + tr("sampling_report.drift_reason", reason=s.drift_reason)
    climate = f"{_n(s.temperature_c, 1)} ℃ / {_n(s.pressure_kpa, 1)} kPa"
    number = s.sample_number
    if photos:
        number += "\n" + tr("sampling_report.photos", count=photos)
    return [number, tr(f"sampling.kind.{s.kind}"), _item(s), who or DASH, instrument,
            flow, f"{_hm(s.started_at)}–{_hm(s.ended_at)}", _n(minutes, 0),
            _n(s.volume_l, 1), _n(s.standard_volume_l, 1) if s.standard_volume_l else
            tr("sampling_report.std_not_needed"), climate, s.production_status or DASH,
            s.ppe or DASH]


def _plan(post: Any) -> str:
    acc, prop = dict(post.accepted or {}), dict(post.proposed or {})

    def show(d: dict[str, object]) -> str:
        return tr("sampling_report.plan.values", fixed=d.get("fixed_points", DASH),
                  personal=d.get("personal_samples", DASH),
                  shifts=d.get("shifts") if d.get("shifts") is not None else DASH)

    text = tr("sampling_report.plan.accepted", values=show(acc))
    if post.adjust_reason:
        text += tr("sampling_report.plan.adjusted", proposed=show(prop),
                   reason=post.adjust_reason)
    else:
        text += tr("sampling_report.plan.as_proposed")
    return text


def _post_title(post: Any) -> str:
    return tr("sampling_report.post", workshop=post.workshop, post=post.post,
              job=post.job_type or DASH, workers=post.workers,
              hours=_n(post.exposure_hours_per_day, 1),
              hazards=tr("report.list_sep").join(_hazard(c) for c in post.hazard_codes or []))


def _record(doc: SamplingDocument, styles: Styles, small: Styles) -> list[Any]:
    view = doc.view
    story: list[Any] = [Title(tr("sampling_report.record.title"), styles.font),
                        *_head(doc, styles), Spacer(1, 3 * mm)]
    for n, post in enumerate(view.posts, 1):
        samples = view.samples_of(post.id)
        rows = [_sample_header(), *[_sample_row(s, len(view.photos.get(s.id, [])))
                                    for s in samples]]
        if not samples:
            rows.append([tr("sampling_report.no_samples")] + [""] * 12)
        table = _grid(rows, SAMPLE_WIDTHS, small)
        story.append(CondPageBreak(40 * mm))
        story.append(keep_together(
            Paragraph(esc(tr("sampling_report.numbered", n=n, text=_post_title(post))),
                      styles.subheading),
            Paragraph(esc(_plan(post)), styles.small), Spacer(1, 1.5 * mm)))
        story.append(table)
    loose = [s for s in view.samples if s.post_id is None]
    if loose:
        story.append(Paragraph(esc(tr("sampling_report.no_post")), styles.subheading))
        story.append(_grid([_sample_header(), *[_sample_row(s, len(view.photos.get(s.id, [])))
                                                for s in loose]],
                           SAMPLE_WIDTHS, small))
    story.append(Paragraph(esc(tr("sampling_report.blanks")), styles.heading))
    blank_rows: list[list[str]] = [[tr(f"sampling_report.blank_col.{k}") for k in
                                    ("number", "item", "location", "notes")]]
    for b in view.blanks:
        blank_rows.append([b.sample_number, _item(b), b.location or DASH, b.notes or DASH])
    if len(blank_rows) == 1:
        blank_rows.append([tr("sampling_report.none"), "", "", ""])
    story.append(_grid(blank_rows, [40 * mm, 50 * mm, 80 * mm, WIDTH - 170 * mm], small))
    story.append(keep_together(Spacer(1, 4 * mm), _signatures(doc, styles)))
    return story


def _signatures(doc: SamplingDocument, styles: Styles) -> Table:
    task = doc.view.task

    def cell(path: Path | None, name: str) -> list[Any]:
        img = signature_image(path)
        return [img] if img is not None else [_p(name, styles.label)]

    if task.escort_refused:
        escort: list[Any] = [_p(tr("report.signature.refused", witness=task.escort_witness),
                                styles.cell)]
    else:
        escort = cell(doc.escort_signature, task.escort_name)
    data = [[_p(tr("sampling_report.sign.sampler"), styles.label),
             cell(doc.sampler_signature, tr("report.list_sep").join(task.samplers or [])),
             _p(tr("sampling_report.sign.escort"), styles.label), escort,
             _p(tr("sampling_report.sign.date"), styles.label),
             _p(_date(task.locked_at), styles.label)]]
    t = Table(data, colWidths=[30 * mm, 55 * mm, 32 * mm, 55 * mm, 22 * mm, 40 * mm],
              hAlign="LEFT")
    t.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                           ("LINEBELOW", (1, 0), (1, 0), 0.5, INK),
                           ("LINEBELOW", (3, 0), (3, 0), 0.5, INK),
                           ("LINEBELOW", (5, 0), (5, 0), 0.5, INK)))
    return t


# --------------------------------------------------------------------------- 2. 噪声测量记录




def _noise(doc: SamplingDocument, styles: Styles, small: Styles) -> list[Any]:
    view = doc.view
    story: list[Any] = [Title(tr("sampling_report.noise.title"), styles.font),
                        *_head(doc, styles), Spacer(1, 3 * mm)]
    keys = ("post", "point", "method", "meter", "readings", "laeq", "hours", "impulse",
            "calibrator", "time")
    rows: list[list[str]] = [[tr(f"sampling_report.noise_col.{k}") for k in keys]]
    for m in sorted(view.noise, key=lambda m: (m.measured_at is None, m.measured_at or 0)):
        readings = " / ".join(_n(r, 1) for r in m.readings_db or []) or DASH
        impulse = DASH if m.impulse_peak_db is None else \
            f"{_n(m.impulse_peak_db, 1)} dB / {_n(m.pulses_per_minute, 0)}"
        rows.append([_post_name(doc, m.post_id), m.point,
                     tr(f"sampling.noise_method.{m.method}"), m.meter_id or DASH, readings,
                     _n(m.laeq_te_db, 1), _n(m.exposure_hours, 1), impulse,
                     f"{_n(m.calibrator_before_db, 1)} / {_n(m.calibrator_after_db, 1)}",
                     _hm(m.measured_at)])
    if len(rows) == 1:
        rows.append([tr("sampling_report.none")] + [""] * (len(keys) - 1))
    widths = [w * mm for w in (34, 46, 28, 22, 30, 18, 16, 20, 22, 16)]
    story.append(_grid(rows, widths, small))
    story.append(Paragraph(esc(tr("sampling_report.noise.note")), styles.small))
    story.append(keep_together(Spacer(1, 4 * mm), _signatures(doc, styles)))
    return story


# --------------------------------------------------------------------------- 3. 样品交接单


def _custody(doc: SamplingDocument, styles: Styles, small: Styles) -> list[Any]:
    view = doc.view
    task = view.task
    story: list[Any] = [Title(tr("sampling_report.custody.title"), styles.font)]
    by_id = {s.id: s for s in (*view.samples, *view.blanks)}
    if not view.custody:
        story.append(Paragraph(esc(tr("sampling_report.custody.none")), styles.body))
    for n, c in enumerate(view.custody, 1):
        rows = [
            [(tr("sampling_report.field.enterprise"), view.enterprise.name),
             (tr("sampling_report.field.task_number"), task.task_number)],
            [(tr("sampling_report.custody.lab"), c.lab),
             (tr("sampling_report.custody.at"), _datetime(c.transferred_at))],
            [(tr("sampling_report.custody.count"), str(c.count)),
             (tr("sampling_report.custody.condition"), c.condition or DASH)],
        ]
        if c.notes:
            rows.append([(tr("sampling_report.custody.notes"), c.notes)])
        part: list[Any] = []
        if len(view.custody) > 1:
            part.append(Paragraph(esc(tr("sampling_report.custody.batch", n=n)),
                                  styles.subheading))
        part.append(field_rows(styles, rows, WIDTH))
        part.append(Spacer(1, 2 * mm))
        story += part
        cols = ("seq", "number", "item", "kind", "post", "date", "volume")
        table: list[list[str]] = [[tr(f"sampling_report.custody_col.{k}") for k in cols]]
        for i, sid in enumerate(c.sample_ids or [], 1):
            s = by_id.get(sid)
            if s is None:
                continue
            table.append([str(i), s.sample_number, _item(s), tr(f"sampling.kind.{s.kind}"),
                          _post_name(doc, s.post_id) if s.post_id else (s.location or DASH),
                          _date(s.started_at or task.planned_on), _n(s.volume_l, 1)])
        widths = [w * mm for w in (14, 44, 48, 18, 60, 36, 32)]
        story.append(_grid(table, widths, small))
        sign = Table([[_p(tr("sampling_report.custody.handed_by"), styles.label),
                       _p(c.handed_by, styles.label),
                       _p(tr("sampling_report.custody.received_by"), styles.label),
                       _p(c.received_by, styles.label)]],
                     colWidths=[30 * mm, 60 * mm, 30 * mm, 60 * mm], hAlign="LEFT")
        sign.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                  ("LINEBELOW", (1, 0), (1, 0), 0.5, INK),
                                  ("LINEBELOW", (3, 0), (3, 0), 0.5, INK),
                                  ("TOPPADDING", (0, 0), (-1, -1), 8)))
        story.append(keep_together(Spacer(1, 3 * mm), sign, Spacer(1, 6 * mm)))
    return story


# --------------------------------------------------------------------------- 4. 评价表
