"""Reads of the sampling screens (run off the GUI thread through ``ctx.read``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.services.sampling import defaults_for_next, next_sample_number
from ohinspect.services.attachments import attachment_path
from ohinspect.services.sampling_queries import get_task_view, list_tasks
from ohinspect.store.database import Store
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
    amends: str = ""          # the number of the signed task an amendment corrects


def _counts(session: Session, model: object) -> dict[str, int]:
    rows = session.execute(select(model.task_id, func.count()).where(  # type: ignore[attr-defined]
        model.deleted_at.is_(None)).group_by(model.task_id)).all()  # type: ignore[attr-defined]
    return {task_id: n for task_id, n in rows}


def task_rows(session: Session) -> list[TaskRow]:
    tasks = list_tasks(session)
    names = dict(session.execute(select(Enterprise.id, Enterprise.name)).all())
    numbers = {t.id: t.task_number for t in tasks}
    posts, samples, noise = (_counts(session, m) for m in (SamplingPost, Sample, NoiseMeasurement))
    return [TaskRow(t.id, names.get(t.enterprise_id, ""), t.task_number, t.monitoring_type,
                    t.status, posts.get(t.id, 0), samples.get(t.id, 0), noise.get(t.id, 0),
                    numbers.get(t.amends_id, t.amends_id) if t.amends_id else "")
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


def stored_images(store: Store, sha256s: list[str]) -> list[bytes | None]:
    """The bytes of stored images (signatures), ``None`` for an empty hash or a missing file."""
    out: list[bytes | None] = []
    for sha in sha256s:
        path = attachment_path(store, sha) if sha else None
        out.append(path.read_bytes() if path is not None and path.is_file() else None)
    return out


#: characters Windows does not allow in a file name
NOT_IN_FILE_NAMES = frozenset('\\/:*?"<>|')


def labels_file(store: Store, task_number: str) -> Path:
    """Where the label sheet of a task goes: ``documents/`` beside the store (the folder of
    the other generated documents)."""
    from ohinspect.i18n import tr
    from ui.verification.data import documents_dir

    stem = tr("smp_ui.labels.file", number=task_number)
    safe = "".join("_" if ch in NOT_IN_FILE_NAMES else ch for ch in stem)
    return documents_dir(store) / f"{safe}.pdf"
