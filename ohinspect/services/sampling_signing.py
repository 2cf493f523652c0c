"""The end of the field day: custody transfer (样品交接) and signing the sampling record.

:func:`transfer_custody` hands finished samples (and blanks) of a task to the lab: who, to whom,
which lab, when (not before the last sample ended), in what condition; a sample is handed over
once. :func:`sign_task` needs the sampler's signature and the company escort's (or the escort's
refusal with a named witness; a blank pad is refused, checked with the same ink test as the
inspection record), at least one record and every air sample finished; it stores the images as
attachments of the task and locks it (``locked_at``, status "signed"). From then on every write
refuses with :class:`LockedRecordError`, and the triggers of migration 0003 back that up. Lab
results (slice S2) still arrive as their own rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.services.verdicts import refresh_verdicts
from ohinspect.errors import ValidationError
from ohinspect.i18n import tr
from ohinspect.services.sampling_checks import Form, load_field_checks, local_day
from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.rectification_sampling import open_exceedances_in
from ohinspect.services.sampling_tasks import (ATTACHMENT_RECORD, CUSTODY_RECORD,
                                               SIGNATURE_KIND, SIGNATURE_MEDIA_TYPE,
                                               STATUS_SIGNED, TASK_RECORD, column_length,
                                               ensure_unlocked, load_task, writable_task)
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (CustodyTransfer, NoiseMeasurement, Sample,
                                    SamplingTask)
from ohinspect.store.uow import Actor, UnitOfWork


# --------------------------------------------------------------------------- custody transfer


def _transferred(session: Session, task_id: str) -> set[str]:
    done: set[str] = set()
    for ids in session.scalars(select(CustodyTransfer.sample_ids).where(
            CustodyTransfer.task_id == task_id, CustodyTransfer.deleted_at.is_(None))):
        done.update(ids or [])
    return done


def transfer_custody_in(uow: UnitOfWork, task: SamplingTask, sample_ids: list[str],
                        handed_by: str, received_by: str, lab: str,
                        transferred_at: datetime | str | None, condition: str,
                        notes: str = "", custody_id: str | None = None) -> CustodyTransfer:
    """Hand samples to the lab. Allowed after signing: the hand-over is its own record.
    ``custody_id`` fixes the row's id (deterministic demo data)."""
    session = uow.session
    form = Form()
    limit = column_length(CustodyTransfer, "handed_by")
    clean = {"handed_by": form.text("handed_by", handed_by, limit, required=True),
             "received_by": form.text("received_by", received_by, limit, required=True),
             "lab": form.text("lab", lab, column_length(CustodyTransfer, "lab"), required=True),
             "condition": form.text("condition", condition),
             "notes": form.text("notes", notes)}
    at = form.moment("transferred_at", transferred_at)
    if at is None and not form.has("transferred_at"):
        form.add("transferred_at", "field.required")
    ids: list[str] = []
    done = _transferred(session, task.id)
    latest_end: datetime | None = None
    for sid in sample_ids or []:
        if sid in ids:
            continue
        sample = session.get(Sample, sid)
        if sample is None or sample.is_deleted or sample.task_id != task.id:
            form.add("sample_ids", "sampling.error.custody_sample_unknown", sample=sid)
            continue
        if sid in done:
            form.add("sample_ids", "sampling.error.custody_already", sample=sample.sample_number)
        elif sample.kind != load_field_checks().blank_kind and sample.ended_at is None:
            form.add("sample_ids", "sampling.error.custody_unfinished",
                     sample=sample.sample_number)
        elif sample.ended_at is not None and (latest_end is None or sample.ended_at > latest_end):
            latest_end = sample.ended_at
        ids.append(sid)
    if not ids and not form.has("sample_ids"):
        form.add("sample_ids", "sampling.error.custody_empty")
    if at is not None and latest_end is not None and at < latest_end:
        form.add("transferred_at", "sampling.error.custody_before_end",
                 end=latest_end.astimezone().strftime("%Y-%m-%d %H:%M"))
    if form.problems:
        raise ValidationError(form.problems)
    row = CustodyTransfer(id=custody_id or new_id(), task_id=task.id, sample_ids=ids, transferred_at=at,
                          count=len(ids), **clean)
    uow.record(row, "sampling.custody", {"count": len(ids), "received_by": clean["received_by"]})
    return row


def transfer_custody(store: Store, actor: Actor, task_id: str, sample_ids: list[str],
                     handed_by: str, received_by: str, lab: str, transferred_at: datetime,
                     condition: str, notes: str = "") -> OpResult:
    with store.unit_of_work(actor) as uow:
        task = load_task(uow.session, task_id)
        row = transfer_custody_in(uow, task, sample_ids, handed_by, received_by, lab,
                                  transferred_at, condition, notes)
        uow.commit()
    return OpResult(changed(CUSTODY_RECORD, row.id) | changed(TASK_RECORD, task_id), row.id)


# --------------------------------------------------------------------------- sign and lock


def _signature_problem(form: Form, field_name: str, data: bytes | None, who: str) -> None:
    from ohinspect.services.inspections import INK_MIN_PIXELS, signature_ink

    if not data:
        form.add(field_name, "sampling.error.signature_missing", signer=who)
        return
    ink = signature_ink(data)
    if ink is None:
        form.add(field_name, "sampling.error.signature_unreadable", signer=who)
    elif ink < INK_MIN_PIXELS:
        form.add(field_name, "sampling.error.signature_blank", signer=who)


def _unfinished(session: Session, task: SamplingTask) -> tuple[list[str], int]:
    """Numbers of air samples still running or without the flow after; how many records."""
    blank = load_field_checks().blank_kind
    samples = list(session.scalars(select(Sample).where(
        Sample.task_id == task.id, Sample.deleted_at.is_(None)).order_by(Sample.sample_number)))
    noise = session.scalars(select(NoiseMeasurement.id).where(
        NoiseMeasurement.task_id == task.id, NoiseMeasurement.deleted_at.is_(None))).all()
    open_ = [s.sample_number for s in samples
             if s.kind != blank and (s.ended_at is None or s.flow_after_lpm is None)]
    return open_, len(samples) + len(noise)


def sign_task_in(uow: UnitOfWork, task: SamplingTask, sampler_png: bytes | None,
                 escort_png: bytes | None, *, escort_refused: bool = False,
                 escort_witness: str = "",
                 attachment_ids: tuple[str, str] | None = None) -> None:
    """Check, store the signature images, lock (no commit). ``attachment_ids`` fixes the ids
    of the sampler's and escort's images (deterministic demo data)."""
    from ohinspect.services.inspection_helpers import _attach_in

    ensure_unlocked(task)
    session = uow.session
    form = Form()
    if not task.samplers:
        form.add("samplers", "sampling.error.no_sampler")
    sampler = "、".join(task.samplers or []) or tr("sampling.role.sampler")
    _signature_problem(form, "sampler_png", sampler_png, sampler)
    witness = form.text("escort_witness", escort_witness,
                        column_length(SamplingTask, "escort_witness"))
    escort = task.escort_name or tr("sampling.role.escort")
    if escort_refused:
        if not witness:
            form.add("escort_witness", "sampling.error.refusal_needs_witness", escort=escort)
    else:
        if not task.escort_name:
            form.add("escort_name", "sampling.error.escort_name")
        _signature_problem(form, "escort_png", escort_png, escort)
    unfinished, records = _unfinished(session, task)
    if not records:
        form.add("samples", "sampling.error.nothing_recorded")
    if unfinished:
        form.add("samples", "sampling.error.samples_unfinished", samples="、".join(unfinished))
    if form.problems:
        raise ValidationError(form.problems)

    def attach(data: bytes, n: int) -> str:
        return _attach_in(uow, TASK_RECORD, task.id, data, kind=SIGNATURE_KIND,
                          media_type=SIGNATURE_MEDIA_TYPE,
                          attachment_id=attachment_ids[n] if attachment_ids else None).sha256

    assert sampler_png is not None
    task.sampler_signature_sha256 = attach(sampler_png, 0)
    if escort_refused:
        task.escort_signature_sha256 = ""
    else:
        assert escort_png is not None
        task.escort_signature_sha256 = attach(escort_png, 1)
    task.escort_refused = bool(escort_refused)
    task.escort_witness = witness if escort_refused else ""
    session.flush()  # the attachments in while the task is still open
    with session.no_autoflush:  # the lock reaches the database in one UPDATE, the last one
        task.locked_at = uow.now
        task.status = STATUS_SIGNED
        uow.record(task, "sampling.task.sign", {"escort_refused": task.escort_refused,
                                                "escort_witness": task.escort_witness,
                                                "records": records})
    evaluation = evaluate_task(session, task.id)  # once, for both:
    open_exceedances_in(uow, task.id, local_day(uow.now), evaluation)  # 不符合: items
    refresh_verdicts(session, [task.id], {task.id: evaluation})  # what the dashboards read


def sign_task(store: Store, actor: Actor, task_id: str, sampler_png: bytes,
              escort_png: bytes | None, *, escort_refused: bool = False,
              escort_witness: str = "") -> OpResult:
    """Sign the sampling record: sampler's signature, escort's signature or refusal with a
    named witness; nothing is written when anything is missing. Locks the task."""
    with store.unit_of_work(actor) as uow:
        task = writable_task(uow.session, task_id)
        sign_task_in(uow, task, sampler_png, escort_png, escort_refused=escort_refused,
                     escort_witness=escort_witness)
        uow.commit()
    return OpResult(changed(TASK_RECORD, task_id) | changed(ATTACHMENT_RECORD), task_id)
