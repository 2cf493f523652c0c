"""评价表: per post and factor the exposure, the limit, grade and verdict with its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Paragraph,
    Spacer,
)

from ohinspect.i18n import tr
from ohinspect.reports.sampling_format import (
    DASH,
    _grid,
    _hazard,
    _head,
    _n,
    _post_name,
)
from ohinspect.reports.styles import (
    Styles,
    Title,
    esc,
)

if TYPE_CHECKING:
    from ohinspect.reports.sampling import SamplingDocument


def _limit_text(f: Any) -> str:
    from ohinspect.standards.limits import load_limits

    limits = load_limits()
    chem = limits.chemical(f.hazard_code)
    unit = "mg/m³"
    if chem is not None:
        parts = []
        if chem.mac is not None:
            parts.append(f"MAC {_n(chem.mac, 3)}")
        if chem.pc_twa is not None:
            parts.append(f"PC-TWA {_n(chem.pc_twa, 3)}")
        if chem.pc_stel is not None:
            parts.append(f"PC-STEL {_n(chem.pc_stel, 3)}")
        return (" / ".join(parts) + f" {chem.unit or unit}") if parts else DASH
    try:
        dust = limits.dust(f.hazard_code, f.silica_percent)
    except ValueError:
        dust = None
    if dust is None:
        return DASH
    parts = []
    if dust.total_twa is not None:
        parts.append(tr("sampling_report.limit.total", value=_n(dust.total_twa, 3)))
    if dust.respirable_twa is not None:
        parts.append(tr("sampling_report.limit.respirable", value=_n(dust.respirable_twa, 3)))
    return (" / ".join(parts) + f" {unit}") if parts else DASH


def _concentrations(f: Any) -> tuple[str, str, str]:
    if f.respirable_twa is not None or (f.twa is not None and f.hazard_code.startswith("dust")):
        twa = " / ".join(x for x in (
            tr("sampling_report.limit.total", value=_n(f.twa, 3)) if f.twa is not None else "",
            tr("sampling_report.limit.respirable", value=_n(f.respirable_twa, 3))
            if f.respirable_twa is not None else "") if x)
    else:
        twa = _n(f.twa, 3)
    return twa, _n(f.ste, 3), _n(f.c_me, 3)


def _verdict_cell(verdict: Any, styles: Styles) -> Paragraph:
    label = verdict.label()
    return Paragraph(esc(label), styles.cell_center)


def _evaluation(doc: SamplingDocument, styles: Styles, small: Styles) -> list[Any]:
    from ohinspect.standards.limits import load_noise_limits

    ev = doc.evaluation
    story: list[Any] = [Title(tr("sampling_report.evaluation.title"), styles.font),
                        *_head(doc, styles), Spacer(1, 3 * mm)]
    cols = ("post", "factor", "twa", "ste", "cme", "lex", "limit", "grade", "verdict",
            "reason")
    rows: list[list[Any]] = [[tr(f"sampling_report.eval_col.{k}") for k in cols]]
    order = {p.id: n for n, p in enumerate(doc.view.posts)}
    noise_limit = load_noise_limits().lex_8h
    lines: list[tuple[int, int, list[Any]]] = []
    for f in ev.factors:
        twa, ste, cme = _concentrations(f)
        grade = f.grade_label or DASH
        lines.append((order.get(f.post_id, 99), 0, [
            _post_name(doc, f.post_id), f.name or _hazard(f.hazard_code), twa, ste, cme, DASH,
            _limit_text(f), grade, _verdict_cell(f.verdict, small), f.verdict.reason]))
    for m in ev.mixtures:
        lines.append((order.get(m.post_id, 99), 1, [
            _post_name(doc, m.post_id),
            tr("sampling_report.mixture", index=_n(m.index, 2)), DASH, DASH, DASH, DASH,
            "Σ C/OEL ≤ 1", DASH, _verdict_cell(m.verdict, small), m.verdict.reason]))
    for z in ev.noise:
        lex = _n(z.lex_8h, 1)
        if z.lex_40h is not None:
            lex += "\n" + tr("sampling_report.lex_40h", value=_n(z.lex_40h, 1))
        lines.append((order.get(z.post_id, 99), 2, [
            _post_name(doc, z.post_id), _hazard("phys.noise"), DASH, DASH, DASH, lex,
            f"L_EX,8h {_n(noise_limit, 0)} dB(A)", DASH, _verdict_cell(z.verdict, small),
            z.verdict.reason]))
    for _o, _k, row in sorted(lines, key=lambda x: (x[0], x[1])):
        rows.append(row)
    if len(rows) == 1:
        rows.append([tr("sampling_report.none")] + [""] * (len(cols) - 1))
    widths = [w * mm for w in (30, 22, 26, 16, 14, 18, 34, 22, 14, 66)]
    story.append(_grid(rows, widths, small))
    notes = [tr("sampling_report.evaluation.units")]
    notes += [tr("sampling_report.evaluation.warning", text=w) for w in ev.warnings]
    for note in notes:
        story.append(Paragraph(esc(note), styles.small))
    return story
