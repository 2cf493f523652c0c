"""Opening rectification items (整改项) — the contract every source uses — and reading them.

Every source (三同时 findings ``inspection``, audit findings ``audit``, sampling exceedances
``sampling``) opens its items through :func:`open_item_in` inside its own unit of work; the
item moves by the state machine of ``resources/rules/rectification.yaml``
(:mod:`~ohinspect.services.rectification_rules`) through the transitions of
:mod:`~ohinspect.services.rectification_actions` (re-exported here). Every move writes the item
and a :class:`RectificationEvent` (who, when, why, evidence, re-test) in ONE unit of work.

Seed 002: 问题清单, 整改到位率 100 %, 回头看, 销号; 《职业病防治法》第七十一条 and
《工作场所职业卫生管理规定》(国家卫生健康委员会令第5号, 2020): 责令限期改正, 复查.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.models import Enterprise, RectificationEvent, RectificationItem
from ohinspect.store.uow import UnitOfWork

ITEM_RECORD = RectificationItem.__record_type__
EVENT_RECORD = RectificationEvent.__record_type__
OPENED = "opened"
#: ids of events of items with a fixed id are derived from it (deterministic demo data)
_EVENT_NAMESPACE = uuid.UUID("5b0f4a52-61d7-4c3e-9a3e-2f1b8f5e7c10")


def problem(field: str, code: str, **values: object) -> FieldProblem:
    """A field problem whose message is the translated ``code``."""
    return FieldProblem(field, code, tr(code, **values))


def _limit(model: type, name: str) -> int | None:
    return getattr(model.__table__.c[name].type, "length", None)  # type: ignore[attr-defined]


def check_text(problems: list[FieldProblem], model: type, field: str, value: str,
               required: bool = False) -> str:
    """``value`` stripped; a problem if it is required and empty or longer than the column."""
    text = (value or "").strip()
    if required and not text:
        problems.append(problem(field, "rectification.error.required",
                                field_name=tr(f"rectification.field.{field}")))
    limit = _limit(model, field)
    if limit is not None and len(text) > limit:
        problems.append(problem(field, "field.too_long", max=limit))
    return text


def event_id(item_id: str, key: str) -> str:
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{item_id}:{key}"))


def write_event(uow: UnitOfWork, item: RectificationItem, action: str, from_status: str, *,
                by_name: str, note: str = "", evidence: list[str] | None = None,
                retest_ref: str = "", at: datetime | None = None,
                fixed_id: str | None = None) -> RectificationEvent:
    """Append one event (the item's change is recorded by the caller in the same unit)."""
    event = RectificationEvent(
        id=fixed_id, item_id=item.id, action=action, from_status=from_status,
        to_status=item.status, at=at or uow.now, by_name=by_name, note=note,
        evidence=list(evidence or []), retest_ref=retest_ref)
    uow.record(event, f"rectification.{action}",
               {"item_id": item.id, "from": from_status, "to": item.status})
    return event


def open_item_in(uow: UnitOfWork, *, enterprise_id: str, source_type: str, source_id: str,
                 source_ref: str, finding: str, requirement: str, deadline: date, today: date,
                 legal_basis: str = "", item_id: str = "", owner: str = "",
                 requires_retest: bool = False, hazard_code: str = "",
                 item_id_fixed: str | None = None) -> RectificationItem:
    """Validate and write one open item and its ``opened`` event in the caller's unit of work.

    Refuses (ValidationError, nothing written) an unknown enterprise or source type, an empty
    finding or requirement, a deadline before ``today``, texts longer than their columns.
    ``item_id_fixed`` fixes the row's id (deterministic data): an existing item with that id is
    returned unchanged, so opening twice is harmless.
    """
    session = uow.session
    if item_id_fixed is not None:
        existing = session.get(RectificationItem, item_id_fixed)
        if existing is not None:
            return existing
    rules = load_rectification_rules()
    problems: list[FieldProblem] = []
    enterprise = session.get(Enterprise, enterprise_id) if enterprise_id else None
    if enterprise is None or enterprise.is_deleted:
        problems.append(problem("enterprise_id", "rectification.error.enterprise_unknown",
                                enterprise=enterprise_id))
    if source_type not in rules.sources:
        problems.append(problem("source_type", "rectification.error.source_type",
                                value=source_type, choices=", ".join(rules.sources)))
    if not (source_id or "").strip():
        problems.append(problem("source_id", "rectification.error.required",
                                field_name=tr("rectification.field.source_id")))
    values = {name: check_text(problems, RectificationItem, name, value, required)
              for name, value, required in (
                  ("finding", finding, True), ("requirement", requirement, True),
                  ("source_ref", source_ref, False), ("legal_basis", legal_basis, False),
                  ("item_id", item_id, False), ("owner", owner, False),
                  ("hazard_code", hazard_code, False))}
    if isinstance(deadline, datetime):
        deadline = deadline.date()
    if not isinstance(deadline, date):
        problems.append(problem("deadline", "rectification.error.deadline_missing"))
    elif deadline < today:
        problems.append(problem("deadline", "rectification.error.deadline_past",
                                deadline=deadline.isoformat(), today=today.isoformat()))
    if requires_retest and not values["hazard_code"]:
        problems.append(problem("hazard_code", "rectification.error.retest_needs_hazard"))
    if problems:
        raise ValidationError(problems)
    item = RectificationItem(
        id=item_id_fixed, enterprise_id=enterprise_id, source_type=source_type,
        source_id=source_id.strip(), deadline=deadline, status=rules.initial,
        requires_retest=bool(requires_retest), status_changed_at=uow.now, **values)
    uow.record(item, "rectification.open", {"source_type": source_type, "source_id": source_id})
    write_event(uow, item, OPENED, "", by_name=uow.actor.user,
                fixed_id=event_id(item_id_fixed, OPENED) if item_id_fixed else None)
    return item


def open_items_for(session: Session, enterprise_id: str) -> list[RectificationItem]:
    """The enterprise's items that are not finished (for the notice dialog), by deadline;
    detached from the session."""
    rules = load_rectification_rules()
    rows = list(session.scalars(
        select(RectificationItem).where(RectificationItem.enterprise_id == enterprise_id,
                                        RectificationItem.deleted_at.is_(None),
                                        RectificationItem.status.not_in(rules.final))
        .order_by(RectificationItem.deadline, RectificationItem.id)))
    for row in rows:
        session.expunge(row)
    return rows


def item_events(session: Session, item_id: str) -> list[RectificationEvent]:
    """The history of one item, oldest first; detached."""
    rows = list(session.scalars(
        select(RectificationEvent).where(RectificationEvent.item_id == item_id,
                                         RectificationEvent.deleted_at.is_(None))
        .order_by(RectificationEvent.at, RectificationEvent.change_seq)))
    for row in rows:
        session.expunge(row)
    return rows

