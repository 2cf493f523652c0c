"""Reads of the rectification screens (run off the GUI thread through ``ctx.read``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.services.rectification import item_events
from ohinspect.services.rectification_queries import ItemRow, fetch_items
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.models import RectificationEvent, SamplingTask

#: the item list shows at most this many rows (the count says how many match)
MAX_ROWS = 2000


@dataclass(frozen=True)
class ItemDetail:
    row: ItemRow
    events: list[RectificationEvent]
    actions: list[str]                       # transitions possible from the item's status
    retest_choices: list[tuple[str, str]]    # signed tasks of the enterprise (re-tests)


def item_detail(session: Session, item_id: str, today: date) -> ItemDetail | None:
    rows = fetch_items(session, [item_id], today)
    if not rows:
        return None
    row = rows[0]
    rules = load_rectification_rules()
    actions = [a for a in rules.actions_from(row.status)
               if row.requires_retest or not rules.transition(a).requires
               & {"retest_pass", "retest_fail"}]
    if row.look_back_on is None:
        actions = [a for a in actions if "look_back_due" not in rules.transition(a).requires]
    # a closure a supervisor returned is reopened from Review → Returned to me (issue 7)
    actions = [a for a in actions if "review_return" not in rules.transition(a).requires]
    retests: list[tuple[str, str]] = []
    if row.requires_retest:
        retests = [(i, f"{number} ({planned})") for i, number, planned in session.execute(
            select(SamplingTask.id, SamplingTask.task_number, SamplingTask.planned_on).where(
                SamplingTask.enterprise_id == row.enterprise_id,
                SamplingTask.locked_at.is_not(None), SamplingTask.deleted_at.is_(None))
            .order_by(SamplingTask.planned_on.desc()))]
    return ItemDetail(row, item_events(session, item_id), actions, retests)

