"""Blind-sample (盲样) and proficiency-test results of institutions (seed 002).

:func:`record_blind_sample` stores the reported value, the assigned value X and σ_pt of the
round, and computes z and the verdict with :mod:`ohinspect.hygiene.proficiency` (GB/T
28043-2019 §9.4; the bands are data). A result may be tied to the institution audit it was
checked in; once that audit is signed the result is frozen with it: the service refuses first,
and the triggers of migration 0004 refuse underneath (mapped to the same
:class:`LockedRecordError`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import LockedRecordError, NotFoundError
from ohinspect.hygiene.proficiency import evaluate, load_proficiency_rules
from ohinspect.i18n import tr
from ohinspect.services.institutions import RecordForm, frozen_guard, load_institution
from ohinspect.services.sampling_tasks import column_length
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import BlindSampleResult, Inspection
from ohinspect.store.uow import Actor, UnitOfWork

BLIND_RECORD = BlindSampleResult.__record_type__


def verdict_label(verdict: str) -> str:
    band = load_proficiency_rules().band(verdict)
    return band.label() if band is not None else verdict


@dataclass
class BlindSampleInput:
    analyte: str = ""
    reported_value: float | str | None = None
    assigned_value: float | str | None = None
    sigma: float | str | None = None        # σ_pt of the round
    unit: str = ""
    scheme: str = ""                         # the PT round / scheme
    tested_on: date | str | None = None
    note: str = ""
    inspection_id: str | None = None         # the institution audit it was checked in

    @classmethod
    def from_record(cls, r: BlindSampleResult) -> BlindSampleInput:
        return cls(**{f.name: getattr(r, f.name) for f in fields(cls)})


def _locked_message(insp: Inspection) -> str:
    return tr("inst.error.blind_locked", number=insp.record_number or insp.id)


def _audit(session: Session, enterprise_id: str, inspection_id: str | None) -> Inspection | None:
    if not inspection_id:
        return None
    insp = session.get(Inspection, inspection_id)
    if insp is None or insp.is_deleted or insp.enterprise_id != enterprise_id:
        raise NotFoundError(tr("inst.error.audit_not_found", record_id=inspection_id))
    if insp.locked_at is not None:
        raise LockedRecordError(_locked_message(insp))
    return insp


def validate_blind_sample(data: BlindSampleInput) -> dict[str, object]:
    form = RecordForm()
    clean: dict[str, object] = {
        name: form.text(name, getattr(data, name), column_length(BlindSampleResult, name),
                        required=name == "analyte")
        for name in ("analyte", "unit", "scheme", "note")}
    clean["reported_value"] = form.value("reported_value", data.reported_value)
    clean["assigned_value"] = form.value("assigned_value", data.assigned_value)
    clean["sigma"] = form.value("sigma", data.sigma, positive=True)
    clean["tested_on"] = form.day("tested_on", data.tested_on)
    form.raise_problems()
    result = evaluate(clean["reported_value"], clean["assigned_value"],  # type: ignore[arg-type]
                      clean["sigma"])  # type: ignore[arg-type]
    clean.update(z_score=result.z, verdict=result.verdict)
    return clean


def record_blind_sample_in(uow: UnitOfWork, enterprise_id: str, data: BlindSampleInput, *,
                           result_id: str | None = None,
                           new_result_id: str | None = None) -> BlindSampleResult:
    session = uow.session
    load_institution(session, enterprise_id)
    row: BlindSampleResult | None = None
    if result_id:
        row = session.get(BlindSampleResult, result_id)
        if row is None or row.is_deleted or row.enterprise_id != enterprise_id:
            raise NotFoundError(tr("record.not_found", record_id=result_id))
        _audit(session, enterprise_id, row.inspection_id)   # frozen with its signed audit
    insp = _audit(session, enterprise_id, data.inspection_id)
    clean = validate_blind_sample(data)
    clean["inspection_id"] = insp.id if insp is not None else None
    details = {"analyte": clean["analyte"], "z": round(float(clean["z_score"]), 3),  # type: ignore[arg-type]
               "verdict": clean["verdict"], "clause": load_proficiency_rules().clause}
    if row is None:
        row = BlindSampleResult(id=new_result_id or new_id(), enterprise_id=enterprise_id,
                                **clean)
        uow.record(row, "institution.blind_sample.create", details)
    else:
        for key, value in clean.items():
            setattr(row, key, value)
        uow.record(row, "institution.blind_sample.update", details)
    with frozen_guard(tr("inst.error.blind_locked", number=clean["inspection_id"] or "")):
        session.flush()
    return row


def record_blind_sample(store: Store, actor: Actor, enterprise_id: str, data: BlindSampleInput,
                        *, result_id: str | None = None) -> OpResult:
    """Record (or correct) a blind-sample result; z and the verdict are computed here."""
    with store.unit_of_work(actor) as uow:
        row = record_blind_sample_in(uow, enterprise_id, data, result_id=result_id)
        with frozen_guard(tr("inst.error.blind_locked", number=row.inspection_id or "")):
            uow.commit()
    return OpResult(changed(BLIND_RECORD, row.id), row.id)


def list_blind_samples(session: Session, enterprise_id: str,
                       inspection_id: str | None = None) -> list[BlindSampleResult]:
    """An institution's results (or only those of one audit), newest test first."""
    stmt = select(BlindSampleResult).where(BlindSampleResult.enterprise_id == enterprise_id,
                                           BlindSampleResult.deleted_at.is_(None))
    if inspection_id:
        stmt = stmt.where(BlindSampleResult.inspection_id == inspection_id)
    return list(session.scalars(stmt.order_by(BlindSampleResult.tested_on.desc(),
                                              BlindSampleResult.analyte)))
