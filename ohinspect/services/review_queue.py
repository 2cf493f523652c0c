"""What a supervisor reviews and what comes back to an author (issue 7 item 3), read-only.

The queue holds the reviewable records (resources/rules/review.yaml) that arrived from other
devices — by sync pull or batch import, both of which keep the author's ``device_id`` — with
the latest decision taken on each. "Returned to me" lists the *return* decisions that arrived
here about records this device's user authored, with the correction started for each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.batches.scope import covers
from ohinspect.services.review_corrections import correction_of
from ohinspect.services.review_rules import ReviewRules, kind_of, load_rules
from ohinspect.services.sampling_checks import local_day
from ohinspect.store.models import (RECORD_TYPES, Enterprise, Inspection, RectificationEvent,
                                    RectificationItem, ReviewDecision, SamplingTask, StoreMeta)
from ohinspect.store.models.review import RETURN
from ohinspect.store.serialize import content_hash

DECIDED, UNDECIDED = "decided", "undecided"


@dataclass(frozen=True)
class QueueFilter:
    """Empty fields do not filter. ``state``: "" (all), ``decided`` or ``undecided`` (no
    decision on the record's current version)."""

    jurisdiction: str = ""
    author: str = ""
    kind: str = ""
    since: date | None = None
    until: date | None = None
    state: str = ""


@dataclass(frozen=True)
class Decided:
    id: str
    decision: str
    comments: str
    reviewer: str
    decided_at: datetime
    record_hash: str


@dataclass(frozen=True)
class ReviewItem:
    record_type: str
    record_id: str
    kind: str
    title: str
    enterprise_id: str
    enterprise: str
    division_code: str
    author: str
    day: date
    record_hash: str
    decision: Decided | None

    @property
    def decided(self) -> bool:
        """A decision was taken on this very version (a later version needs a new one)."""
        return self.decision is not None and self.decision.record_hash == self.record_hash


@dataclass(frozen=True)
class ReturnedItem:
    decision: Decided
    record_type: str
    record_id: str
    kind: str
    title: str
    enterprise_id: str
    #: the record carrying the correction once started: the amendment (draft or signed) of an
    #: inspection or sampling task, the reopened item of a rectification closure
    correction_id: str | None
    correctable: bool            # the type has a correction (review.yaml ``amendable``)


def own_device(session: Session) -> str:
    meta = session.get(StoreMeta, "device_id")
    return meta.value if meta is not None else ""


def _candidates(session: Session, rules: ReviewRules,
                device: str) -> Iterable[tuple[Any, Enterprise, str, datetime]]:
    """(record, enterprise, title, when) of every reviewable record from another device."""
    for insp, ent in session.execute(
            select(Inspection, Enterprise).join(Enterprise, Inspection.enterprise_id == Enterprise.id)
            .where(Inspection.device_id != device, Inspection.deleted_at.is_(None),
                   Inspection.locked_at.is_not(None),
                   Inspection.kind.in_(rules.inspection_kinds))):
        yield insp, ent, insp.record_number or insp.party_name, insp.started_at
    for task, ent in session.execute(
            select(SamplingTask, Enterprise).join(Enterprise,
                                                  SamplingTask.enterprise_id == Enterprise.id)
            .where(SamplingTask.device_id != device, SamplingTask.deleted_at.is_(None),
                   SamplingTask.locked_at.is_not(None))):
        yield task, ent, task.task_number, task.locked_at or task.created_at
    for event, item, ent in session.execute(
            select(RectificationEvent, RectificationItem, Enterprise)
            .join(RectificationItem, RectificationEvent.item_id == RectificationItem.id)
            .join(Enterprise, RectificationItem.enterprise_id == Enterprise.id)
            .where(RectificationEvent.device_id != device, RectificationEvent.deleted_at.is_(None),
                   RectificationEvent.to_status.in_(rules.closing_statuses))):
        yield event, ent, item.finding, event.at


def _decided(row: ReviewDecision) -> Decided:
    return Decided(row.id, row.decision, row.comments, row.reviewer, row.decided_at,
                   row.record_hash)


def latest_decisions(session: Session, record_types: Sequence[str]) -> dict[tuple[str, str], Decided]:
    """The latest live decision per reviewed record."""
    latest: dict[tuple[str, str], Decided] = {}
    for row in session.scalars(select(ReviewDecision).where(
            ReviewDecision.record_type.in_(record_types), ReviewDecision.deleted_at.is_(None))
            .order_by(ReviewDecision.decided_at, ReviewDecision.id)):
        latest[(row.record_type, row.record_id)] = _decided(row)
    return latest


def _wanted(item: ReviewItem, f: QueueFilter) -> bool:
    return ((not f.jurisdiction or covers(f.jurisdiction, item.division_code))
            and (not f.author or f.author.casefold() in item.author.casefold())
            and (not f.kind or f.kind == item.kind)
            and (f.since is None or item.day >= f.since)
            and (f.until is None or item.day <= f.until)
            and (f.state != DECIDED or item.decided)
            and (f.state != UNDECIDED or not item.decided))


def review_queue(session: Session, filters: QueueFilter = QueueFilter()) -> list[ReviewItem]:
    """The review queue, newest first."""
    rules = load_rules()
    decisions = latest_decisions(session, rules.record_types)
    items = []
    for obj, ent, title, when in _candidates(session, rules, own_device(session)):
        key = (obj.__record_type__, obj.id)
        item = ReviewItem(key[0], obj.id, kind_of(obj), title, ent.id, ent.name, ent.division_code,
                          obj.author, local_day(when), content_hash(obj.sync_payload()),
                          decisions.get(key))
        if _wanted(item, filters):
            items.append(item)
    return sorted(items, key=lambda i: (i.day, i.record_id), reverse=True)


def returned_to_me(session: Session, user: str) -> list[ReturnedItem]:
    """Return decisions that arrived from another device about records ``user`` authored and
    that no later decision superseded, newest first."""
    rules = load_rules()
    latest = latest_decisions(session, rules.record_types)
    out = []
    for row in session.scalars(select(ReviewDecision).where(
            ReviewDecision.decision == RETURN, ReviewDecision.device_id != own_device(session),
            ReviewDecision.deleted_at.is_(None)).order_by(ReviewDecision.decided_at.desc())):
        if latest.get((row.record_type, row.record_id), _decided(row)).id != row.id:
            continue
        obj = session.get(RECORD_TYPES[row.record_type], row.record_id)
        if obj is None or obj.author != user:
            continue
        out.append(ReturnedItem(_decided(row), row.record_type, row.record_id, kind_of(obj),
                                _title(session, obj), _enterprise_id(session, obj),
                                correction_of(session, obj),
                                row.record_type in rules.amendable))
    return out


def _title(session: Session, obj: Any) -> str:
    if isinstance(obj, Inspection):
        return obj.record_number or obj.party_name
    if isinstance(obj, SamplingTask):
        return obj.task_number
    item = session.get(RectificationItem, obj.item_id)
    return item.finding if item is not None else ""


def _enterprise_id(session: Session, obj: Any) -> str:
    if isinstance(obj, RectificationEvent):
        item = session.get(RectificationItem, obj.item_id)
        return item.enterprise_id if item is not None else ""
    return str(obj.enterprise_id)
