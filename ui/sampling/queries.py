"""Reads of the sampling screens (run off the GUI thread through ``ctx.read``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.services.sampling import defaults_for_next, next_sample_number
from ohinspect.services.sampling_queries import get_task_view, list_tasks
from ohinspect.store.models import Enterprise, NoiseMeasurement, Sample, SamplingPost


@dataclass(frozen=True)
class TaskRow:
    id: str
    enterprise: str
    number: str
    monitoring_type: str
    status: str
    posts: int
    samples: int
    noise: int


def _counts(session: Session, model: object) -> dict[str, int]:
    rows = session.execute(select(model.task_id, func.count()).where(  # type: ignore[attr-defined]
        model.deleted_at.is_(None)).group_by(model.task_id)).all()  # type: ignore[attr-defined]
    return {task_id: n for task_id, n in rows}


def task_rows(session: Session) -> list[TaskRow]:
    tasks = list_tasks(session)
    names = dict(session.execute(select(Enterprise.id, Enterprise.name)).all())
    posts, samples, noise = (_counts(session, m) for m in (SamplingPost, Sample, NoiseMeasurement))
    return [TaskRow(t.id, names.get(t.enterprise_id, ""), t.task_number, t.monitoring_type,
                    t.status, posts.get(t.id, 0), samples.get(t.id, 0), noise.get(t.id, 0))
            for t in tasks]


def enterprise_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(select(Enterprise.id, Enterprise.name).where(
        Enterprise.deleted_at.is_(None)).order_by(Enterprise.name)).all()
    return [(i, n) for i, n in rows]


@dataclass(frozen=True)
class TaskBundle:
    view: object          # TaskView
    defaults: object      # SampleInput for the next sample
    next_number: str
    next_blank: str


def task_bundle(session: Session, task_id: str, now: datetime) -> TaskBundle:
    view = get_task_view(session, task_id)
    return TaskBundle(view, defaults_for_next(session, task_id, now),
                      next_sample_number(session, task_id),
                      next_sample_number(session, task_id, "blank"))


def evaluate(session: Session, task_id: str) -> object:
    """``evaluate_task`` with the group statistics worked out here, off the GUI thread."""
    from ohinspect.services.evaluation import evaluate_task

    result = evaluate_task(session, task_id)
    for group in result.group_stats:
        getattr(group, "stats", None)
    return result
