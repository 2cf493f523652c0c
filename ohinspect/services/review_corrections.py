"""How each kind of returned record is corrected (issue 7 item 3: "returned items show up for
correction (as an amendment, keeping the locked original)"), one entry per record type of
``amendable`` in resources/rules/review.yaml:

- an inspection (三同时 verification, audit): an amendment draft
  (:mod:`~ohinspect.services.inspection_amendments`);
- a sampling task: an amendment draft with copies of everything recorded under it
  (:mod:`~ohinspect.services.sampling_amendments`);
- a rectification closure (the event that closed an item): the item goes back to awaiting
  复查 by the ``review_returned`` transition of resources/rules/rectification.yaml; the
  append-only event history keeps the returned closure.

Each starts inside the caller's unit of work and returns the record that carries the
correction — the amendment, or the reopened item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.services.inspection_amendments import amend_in
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification_actions import REVIEW_RETURNED, transition_in
from ohinspect.services.sampling_amendments import amend_task_in
from ohinspect.store.models import (Inspection, RectificationEvent, RectificationItem,
                                    ReviewDecision, SamplingTask)
from ohinspect.store.uow import UnitOfWork


@dataclass(frozen=True)
class Correction:
    record_type: str
    record_id: str


Start = Callable[[UnitOfWork, Any, ReviewDecision, str, str], Correction]


def _inspection(uow: UnitOfWork, obj: Inspection, _decision: ReviewDecision, reason: str,
                _role: str) -> Correction:
    return Correction(Inspection.__record_type__, amend_in(uow, obj, reason).id)


def _sampling_task(uow: UnitOfWork, obj: SamplingTask, _decision: ReviewDecision, reason: str,
                   _role: str) -> Correction:
    return Correction(SamplingTask.__record_type__, amend_task_in(uow, obj, reason).id)


def _closure(uow: UnitOfWork, obj: RectificationEvent, decision: ReviewDecision, reason: str,
             role: str) -> Correction:
    item = transition_in(uow, obj.item_id, REVIEW_RETURNED, role=role, by_name=uow.actor.user,
                         today=local_today(), note=reason, review_ref=decision.id)
    return Correction(RectificationItem.__record_type__, item.id)


#: record type → how its correction starts
STARTS: dict[str, Start] = {
    Inspection.__record_type__: _inspection,
    SamplingTask.__record_type__: _sampling_task,
    RectificationEvent.__record_type__: _closure,
}


def correction_of(session: Session, obj: Any) -> str | None:
    """The record carrying the correction of ``obj``, once started: its newest amendment, or
    (a closure) its item when a ``review_returned`` event followed the closure."""
    if isinstance(obj, (Inspection, SamplingTask)):
        model = type(obj)
        return session.scalars(select(model.id).where(
            model.amends_id == obj.id, model.deleted_at.is_(None))
            .order_by(model.created_at.desc()).limit(1)).first()
    if isinstance(obj, RectificationEvent):
        reopened = session.scalars(select(RectificationEvent.id).where(
            RectificationEvent.item_id == obj.item_id,
            RectificationEvent.action == REVIEW_RETURNED, RectificationEvent.at >= obj.at,
            RectificationEvent.deleted_at.is_(None)).limit(1)).first()
        return obj.item_id if reopened is not None else None
    return None
