"""Amendment of a signed sampling task (issue 7 item 3: a returned record is corrected "as an
amendment, keeping the locked original"; 《卫生行政执法文书规范》: a signed document is corrected
by a new document, never edited).

The amendment is a new draft task that ``amends`` the locked one, with its own task number
(the data-driven format of ``resources/standards/sampling_field_checks.yaml``) and the reason.
Everything recorded under the original is copied as new rows — posts, samples and blanks (with
their photos), noise measurements, custody transfers and the current lab results — so that the
amendment is the whole corrected record; it is then edited and signed like any task. The
original and its rows are not touched (the triggers of migration 0003 would refuse anyway).

A copied sample takes the amendment's number with the original's sequence and suffix
(``CY20261120-QX01-003K`` → ``CY20261123-QX01-003K``): sample numbers are unique. A lab result
copy keeps its provenance (lab, method, source file and line) and is the current result of the
copied sample; superseded results stay with the original only.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.lab_results_current import current_results
from ohinspect.services.sampling_checks import local_day
from ohinspect.services.sampling_tasks import (ATTACHMENT_RECORD, POST_RECORD, SAMPLE_RECORD,
                                               STATUS_DRAFT, TASK_RECORD, load_task,
                                               new_task_number)
from ohinspect.store.base import SyncMixin, new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, CustodyTransfer, LabResult, NoiseMeasurement,
                                    Sample, SamplingPost, SamplingTask)
from ohinspect.store.uow import Actor, UnitOfWork

R = TypeVar("R", bound=SyncMixin)
#: the bookkeeping columns every record has: a copy gets its own
_META = frozenset(k for k in SyncMixin.__annotations__ if not k.startswith("__"))
#: the header of a task an amendment starts from (everything else is its own)
_HEADER = ("enterprise_id", "monitoring_type", "planned_on", "detection_standard", "samplers",
           "escort_name", "weather", "production_status", "notes")


def _copy(row: R, **changes: Any) -> R:
    """A new row of the same model with ``row``'s data columns, then ``changes``."""
    columns = row.__table__.columns  # type: ignore[attr-defined]
    values = {c.key: getattr(row, c.key) for c in columns if c.key not in _META}
    values.update(changes)
    return type(row)(id=new_id(), **values)


def open_amendment(session: Any, task_id: str) -> SamplingTask | None:
    """The unsigned amendment of a task, if one was started."""
    return session.scalars(select(SamplingTask).where(
        SamplingTask.amends_id == task_id, SamplingTask.locked_at.is_(None),
        SamplingTask.deleted_at.is_(None)).limit(1)).first()


def _check(session: Any, original: SamplingTask, reason: str) -> None:
    problems: list[FieldProblem] = []

    def problem(field: str, code: str, **kw: object) -> None:
        problems.append(FieldProblem(field, code, tr(code, **kw)))

    number = original.task_number or original.id
    if original.locked_at is None:
        problem("amends_id", "sampling.error.amend_draft", number=number)
    if not reason:
        problem("amendment_reason", "sampling.error.amendment_reason")
    draft = open_amendment(session, original.id)
    if draft is not None:
        problem("amends_id", "sampling.error.amendment_open", number=number,
                draft=draft.task_number or draft.id)
    if problems:
        raise ValidationError(problems)


def _sample_number(original: SamplingTask, new: SamplingTask, number: str) -> str:
    if original.task_number and number.startswith(original.task_number):
        return new.task_number + number[len(original.task_number):]
    return f"{new.task_number}-{number}"


def amend_task_in(uow: UnitOfWork, original: SamplingTask, reason: str) -> SamplingTask:
    """Start the amendment of the signed ``original`` (no commit): a new draft with copies of
    everything recorded under it. Refused (nothing written) for a draft, without a reason, or
    while another amendment of it is unsigned."""
    session = uow.session
    reason = str(reason or "").strip()
    _check(session, original, reason)
    new = SamplingTask(
        id=new_id(), status=STATUS_DRAFT, amends_id=original.id, amendment_reason=reason,
        task_number=new_task_number(session, original.planned_on or local_day(uow.now),
                                    uow.actor.device_id),
        **{k: getattr(original, k) for k in _HEADER})
    uow.record(new, "sampling.task.amend", {"amends_id": original.id,
                                            "amends_number": original.task_number,
                                            "task_number": new.task_number, "reason": reason})

    def rows(model: type[R]) -> list[R]:
        return list(session.scalars(select(model).where(
            model.task_id == original.id, model.deleted_at.is_(None))  # type: ignore[attr-defined]
            .order_by(model.created_at, model.id)))

    posts: dict[str | None, str | None] = {None: None}
    for old_post in rows(SamplingPost):
        post = _copy(old_post, task_id=new.id)
        uow.record(post, "sampling.post.copied", {"from": old_post.id})
        posts[old_post.id] = post.id
    samples: dict[str, str] = {}
    for old in rows(Sample):
        sample = _copy(old, task_id=new.id, post_id=posts.get(old.post_id),
                       sample_number=_sample_number(original, new, old.sample_number),
                       print_count=0)
        uow.record(sample, "sampling.sample.copied", {"from": old.id,
                                                      "from_number": old.sample_number})
        samples[old.id] = sample.id
    for old_noise in rows(NoiseMeasurement):
        noise = _copy(old_noise, task_id=new.id, post_id=posts.get(old_noise.post_id))
        uow.record(noise, "sampling.noise.copied", {"from": old_noise.id})
    for old_custody in rows(CustodyTransfer):
        moved = [samples[s] for s in old_custody.sample_ids or [] if s in samples]
        custody = _copy(old_custody, task_id=new.id, sample_ids=moved, count=len(moved))
        uow.record(custody, "sampling.custody.copied", {"from": old_custody.id})
    for old_result in sorted(current_results(session, samples).values(),
                             key=lambda r: (r.created_at, r.id)):
        result = _copy(old_result, sample_id=samples[old_result.sample_id], supersedes_id=None)
        uow.record(result, "lab_result.copied", {"from": old_result.id})
    for old_att in session.scalars(select(Attachment).where(
            Attachment.owner_type == SAMPLE_RECORD, Attachment.owner_id.in_(samples),
            Attachment.deleted_at.is_(None)).order_by(Attachment.created_at, Attachment.id)):
        att = _copy(old_att, owner_id=samples[old_att.owner_id])   # same file, new row
        uow.record(att, "attachment.copy", {"from": old_att.id})
    return new


def amend_task(store: Store, actor: Actor, task_id: str, reason: str) -> OpResult:
    """Start correcting a signed task: the new draft's id."""
    with store.unit_of_work(actor) as uow:
        new = amend_task_in(uow, load_task(uow.session, task_id), reason)
        uow.commit()
    return OpResult(changed(TASK_RECORD, new.id, task_id) | changed(POST_RECORD)
                    | changed(SAMPLE_RECORD) | changed(LabResult.__record_type__)
                    | changed(ATTACHMENT_RECORD), new.id)


def samples_in_force(session: Any, samples: dict[str, Sample]) -> dict[str, Sample]:
    """For each sample (by the number on its label) whose task has since been amended, its
    copy in the newest amendment — recursively, for an amended amendment; others unchanged.

    The lab only knows the number on the physical label, but the record in force is the
    amendment (a signed document is corrected by a new one; the original stays as it was), so
    a result that arrives after the correction began belongs to the amendment's copy."""
    out = dict(samples)
    pending = dict(samples)
    while pending:
        amendments: dict[str, SamplingTask] = {}
        for task in session.scalars(select(SamplingTask).where(
                SamplingTask.amends_id.in_({s.task_id for s in pending.values()}),
                SamplingTask.deleted_at.is_(None)).order_by(SamplingTask.created_at,
                                                             SamplingTask.id)):
            amendments[task.amends_id] = task  # the newest amendment of each task wins
        if not amendments:
            break
        originals = {t.id: t for t in session.scalars(
            select(SamplingTask).where(SamplingTask.id.in_(amendments)))}
        wanted = {label: _sample_number(originals[s.task_id], amendments[s.task_id],
                                        s.sample_number)
                  for label, s in pending.items() if s.task_id in amendments}
        copies = {s.sample_number: s for s in session.scalars(select(Sample).where(
            Sample.sample_number.in_(set(wanted.values())), Sample.deleted_at.is_(None)))}
        pending = {label: copies[number] for label, number in wanted.items() if number in copies}
        out.update(pending)
    return out
