"""Read side of sampling tasks: one task with everything recorded under it, and the task list.

Objects returned are detached from the session with their columns loaded (the models have no
relationships). Lab results are shown current only: a result that a later one supersedes is
hidden. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError
from ohinspect.i18n import tr
from ohinspect.services.sampling_checks import load_field_checks
from ohinspect.services.sampling_photos import sample_photos
from ohinspect.services.sampling_tasks import SIGNATURE_KIND, TASK_RECORD
from ohinspect.store.models import (Attachment, CustodyTransfer, Enterprise, LabResult,
                                    NoiseMeasurement, Sample, SamplingPost, SamplingTask)

T = TypeVar("T")


@dataclass(frozen=True)
class TaskView:
    task: SamplingTask
    enterprise: Enterprise
    posts: list[SamplingPost]                    # in the order they were added
    samples: list[Sample]                        # air samples (personal, fixed), by number
    blanks: list[Sample]                         # blank samples, by number
    noise: list[NoiseMeasurement]                # oldest first
    custody: list[CustodyTransfer]               # oldest first
    results: dict[str, list[LabResult]]          # sample id → current results (superseded hidden)
    locked: bool
    signatures: list[Attachment] = field(default_factory=list)   # the signature images
    photos: dict[str, list[Attachment]] = field(default_factory=dict)  # sample id → its photos
    amends_number: str = ""      # the number of the signed task this one corrects (amendment)

    def post(self, post_id: str | None) -> SamplingPost | None:
        return next((p for p in self.posts if p.id == post_id), None)

    def samples_of(self, post_id: str) -> list[Sample]:
        return [s for s in self.samples if s.post_id == post_id]

    def untransferred(self) -> list[Sample]:
        """Samples and blanks not yet handed to the lab."""
        done = {sid for c in self.custody for sid in c.sample_ids or []}
        return [s for s in (*self.samples, *self.blanks) if s.id not in done]


def _detached(session: Session, rows: Sequence[T]) -> list[T]:
    for row in rows:
        session.expunge(row)
    return list(rows)


def _live(session: Session, model: Any, task_id: str, *order: Any) -> list[Any]:
    return _detached(session, session.scalars(
        select(model).where(model.task_id == task_id, model.deleted_at.is_(None))
        .order_by(*order)).all())


def current_results(session: Session, sample_ids: Sequence[str]) -> dict[str, list[LabResult]]:
    """sample id → its results that no other result supersedes, oldest first."""
    rows: list[LabResult] = []
    ids = list(sample_ids)
    for start in range(0, len(ids), 500):
        rows += session.scalars(select(LabResult).where(
            LabResult.sample_id.in_(ids[start:start + 500]), LabResult.deleted_at.is_(None))
            .order_by(LabResult.created_at, LabResult.id)).all()
    superseded = {r.supersedes_id for r in rows if r.supersedes_id}
    result: dict[str, list[LabResult]] = {sid: [] for sid in ids}
    for row in _detached(session, rows):
        if row.id not in superseded:
            result[row.sample_id].append(row)
    return result


def get_task_view(session: Session, task_id: str) -> TaskView:
    task = session.get(SamplingTask, task_id)
    if task is None or task.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=task_id))
    enterprise = session.get(Enterprise, task.enterprise_id)
    if enterprise is None:
        raise NotFoundError(tr("record.not_found", record_id=task.enterprise_id))
    blank = load_field_checks().blank_kind
    posts = _live(session, SamplingPost, task.id, SamplingPost.created_at, SamplingPost.id)
    every = _live(session, Sample, task.id, Sample.sample_number)
    noise = _live(session, NoiseMeasurement, task.id, NoiseMeasurement.created_at,
                  NoiseMeasurement.id)
    custody = _live(session, CustodyTransfer, task.id, CustodyTransfer.transferred_at,
                    CustodyTransfer.id)
    results = current_results(session, [s.id for s in every])
    photos = sample_photos(session, [s.id for s in every])
    signatures = _detached(session, session.scalars(select(Attachment).where(
        Attachment.owner_type == TASK_RECORD, Attachment.owner_id == task.id,
        Attachment.kind == SIGNATURE_KIND, Attachment.deleted_at.is_(None))
        .order_by(Attachment.created_at, Attachment.id)).all())
    amended = session.get(SamplingTask, task.amends_id) if task.amends_id else None
    session.expunge(task)
    session.expunge(enterprise)
    return TaskView(task=task, enterprise=enterprise, posts=posts,
                    samples=[s for s in every if s.kind != blank],
                    blanks=[s for s in every if s.kind == blank], noise=noise, custody=custody,
                    results=results, locked=task.locked_at is not None, signatures=signatures,
                    photos=photos, amends_number=amended.task_number if amended else "")


def list_tasks(session: Session, enterprise_id: str | None = None) -> list[SamplingTask]:
    """Live tasks, newest planned first (then by number); of one enterprise when given."""
    stmt = select(SamplingTask).where(SamplingTask.deleted_at.is_(None))
    if enterprise_id:
        stmt = stmt.where(SamplingTask.enterprise_id == enterprise_id)
    stmt = stmt.order_by(SamplingTask.planned_on.desc().nulls_last(),
                         SamplingTask.task_number.desc())
    return _detached(session, session.scalars(stmt).all())
