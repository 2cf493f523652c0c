"""The selected item as rich text: its fields and the history of its events (who, when, what,
why, how many evidence files, which re-test)."""

from __future__ import annotations

from html import escape

from ohinspect.i18n import tr
from ohinspect.services.rectification_queries import ItemRow
from ui.rectification.queries import ItemDetail

TIME_FORMAT = "%Y-%m-%d %H:%M"


def status_text(row: ItemRow) -> str:
    """The status in words, with the days overdue — never colour alone."""
    text = tr(f"rectification.status.{row.status}")
    if row.overdue:
        text = tr("rect_ui.overdue_status", status=text, days=row.days_overdue)
    return text


def detail_html(detail: ItemDetail) -> str:
    row = detail.row
    fields = [
        (tr("rect_ui.col.status"), status_text(row)),
        (tr("rect_ui.col.enterprise"),
         tr("rect_ui.enterprise_division", name=row.enterprise_name, division=row.division_code)),
        (tr("rect_ui.col.source"),
         f"{tr(f'rectification.source.{row.source_type}')} {row.source_ref}"),
        (tr("rect_ui.col.finding"), row.finding),
        (tr("rect_ui.col.requirement"), row.requirement),
        (tr("rect_ui.col.deadline"), row.deadline.isoformat()),
        (tr("rect_ui.col.owner"), row.owner),
    ]
    if row.requires_retest:
        fields.append((tr("rect_ui.col.retest"), tr("rect_ui.retest_needed")))
    if row.look_back_on is not None:
        fields.append((tr("rect_ui.col.look_back_on"), row.look_back_on.isoformat()))
    parts = ["<table cellspacing='2'>"]
    for label, value in fields:
        parts.append(f"<tr><td valign='top'><b>{escape(label)}</b></td>"
                     f"<td>{escape(value)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<h4>{escape(tr('rect_ui.history'))}</h4><ol>")
    for e in detail.events:
        line = tr("rect_ui.event", at=e.at.astimezone().strftime(TIME_FORMAT), who=e.by_name,
                  action=tr(f"rectification.action.{e.action}"),
                  status=tr(f"rectification.status.{e.to_status}"))
        extra = []
        if e.note:
            extra.append(escape(e.note))
        if e.evidence:
            extra.append(escape(tr("rect_ui.event_evidence", count=len(e.evidence))))
        if e.retest_ref:
            extra.append(escape(tr("rect_ui.event_retest", ref=e.retest_ref[:8])))
        parts.append(f"<li>{escape(line)}" + ("<br/>" + "<br/>".join(extra) if extra else "")
                     + "</li>")
    parts.append("</ol>")
    return "".join(parts)
