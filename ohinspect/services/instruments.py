"""Measuring instruments of institutions and their calibration (seed 002: 仪器设备, 检定有效期).

Sampling uses them: GBZ 159-2004 §5 wants instruments calibrated before use, so recording a
sample or a noise measurement with an instrument whose calibration was due before that day
comes back with a warning (:func:`instrument_warnings`, wired into
``ohinspect.services.sampling_records.INSTRUMENT_CHECKS``) — a warning, never a refusal: the
officer records what was used. ``calibration_due`` is required; the kinds and their default
intervals (to propose a due date) are data: ``resources/standards/instrument_kinds.yaml``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, NotFoundError, ValidationError
from ohinspect.i18n import current_language, tr
from ohinspect.resources import load_resource
from ohinspect.services.institutions import RecordForm, load_institution
from ohinspect.services.sampling_tasks import column_length
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Instrument
from ohinspect.store.uow import Actor, UnitOfWork

RESOURCE = "standards/instrument_kinds.yaml"
INSTRUMENT_RECORD = Instrument.__record_type__
IN_USE, RETIRED = "in_use", "retired"


@dataclass(frozen=True)
class InstrumentKind:
    code: str
    name_zh: str
    name_en: str
    interval_months: int

    def label(self) -> str:
        return self.name_zh if current_language() == "zh_CN" else self.name_en


@lru_cache(maxsize=1)
def load_instrument_kinds() -> dict[str, InstrumentKind]:
    data = load_resource(RESOURCE)
    default = int(data["default_interval_months"])
    return {k["code"]: InstrumentKind(k["code"], k["name_zh"], k["name_en"],
                                      int(k.get("interval_months") or default))
            for k in data["kinds"]}


def kind_label(code: str) -> str:
    kind = load_instrument_kinds().get(code)
    return kind.label() if kind is not None else code


def proposed_due(kind: str, calibrated_on: date) -> date | None:
    """The calibration date plus the kind's interval (a proposal for the form), the day before
    the same date months later (a one-year certificate from 2026-03-15 runs to 2027-03-14)."""
    found = load_instrument_kinds().get(kind)
    if found is None:
        return None
    months = calibrated_on.month - 1 + found.interval_months
    year, month = calibrated_on.year + months // 12, months % 12 + 1
    day = min(calibrated_on.day, calendar.monthrange(year, month)[1])
    return date.fromordinal(date(year, month, day).toordinal() - 1)


def is_overdue(instrument: Instrument, on_date: date) -> bool:
    """An instrument in use whose calibration was due before ``on_date``."""
    return instrument.status == IN_USE and instrument.calibration_due < on_date


@dataclass
class InstrumentInput:
    asset_no: str = ""
    kind: str = ""
    name: str = ""
    model: str = ""
    serial_no: str = ""
    calibrated_on: date | str | None = None
    calibration_due: date | str | None = None
    certificate_no: str = ""

    @classmethod
    def from_record(cls, i: Instrument) -> InstrumentInput:
        return cls(**{f.name: getattr(i, f.name) for f in fields(cls)})


def validate_instrument(session: Session, enterprise_id: str, data: InstrumentInput,
                        exclude_id: str | None) -> dict[str, object]:
    form = RecordForm()
    kinds = load_instrument_kinds()
    clean: dict[str, object] = {}
    for name in ("asset_no", "kind", "name", "model", "serial_no", "certificate_no"):
        clean[name] = form.text(name, getattr(data, name), column_length(Instrument, name),
                                required=name in ("asset_no", "kind"))
    if clean["kind"] and clean["kind"] not in kinds:
        form.add("kind", "inst.error.instrument_kind", value=clean["kind"],
                 choices="、".join(k.label() for k in kinds.values()))
    calibrated = form.day("calibrated_on", data.calibrated_on)
    due = form.day("calibration_due", data.calibration_due)
    if due is None and not form.has("calibration_due"):
        form.problems.append(FieldProblem("calibration_due", "inst.error.calibration_due_required",
                                          tr("inst.error.calibration_due_required")))
    if calibrated is not None and due is not None and due <= calibrated:
        form.add("calibration_due", "inst.error.due_before_calibration", due=due.isoformat(),
                 calibrated=calibrated.isoformat())
    if clean["asset_no"]:
        stmt = select(Instrument.id).where(Instrument.enterprise_id == enterprise_id,
                                           Instrument.asset_no == clean["asset_no"])
        if exclude_id:
            stmt = stmt.where(Instrument.id != exclude_id)
        if session.scalar(stmt.limit(1)) is not None:
            form.add("asset_no", "inst.error.asset_no_duplicate", asset_no=clean["asset_no"])
    form.raise_problems()
    clean.update(calibrated_on=calibrated, calibration_due=due)
    return clean


def _instrument(session: Session, instrument_id: str) -> Instrument:
    row = session.get(Instrument, instrument_id)
    if row is None or row.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=instrument_id))
    return row


def save_instrument_in(uow: UnitOfWork, enterprise_id: str, data: InstrumentInput, *,
                       instrument_id: str | None = None,
                       new_instrument_id: str | None = None) -> Instrument:
    session = uow.session
    load_institution(session, enterprise_id)
    clean = validate_instrument(session, enterprise_id, data, instrument_id)
    if instrument_id:
        row = _instrument(session, instrument_id)
        if row.enterprise_id != enterprise_id:
            raise NotFoundError(tr("record.not_found", record_id=instrument_id))
        changed_fields = row.assign(clean)
        if changed_fields:  # saving an unchanged form writes nothing
            uow.record(row, "institution.instrument.update", {"fields": changed_fields})
    else:
        row = Instrument(id=new_instrument_id or new_id(), enterprise_id=enterprise_id,
                         status=IN_USE, **clean)
        uow.record(row, "institution.instrument.create",
                   {"asset_no": row.asset_no, "calibration_due": row.calibration_due.isoformat()})
    return row


def save_instrument(store: Store, actor: Actor, enterprise_id: str, data: InstrumentInput, *,
                    instrument_id: str | None = None) -> OpResult:
    """Add an instrument (asset number unique per institution, calibration due date required),
    or (``instrument_id``) update it — a new calibration is an update of its dates."""
    with store.unit_of_work(actor) as uow:
        row = save_instrument_in(uow, enterprise_id, data, instrument_id=instrument_id)
        uow.commit()
    return OpResult(changed(INSTRUMENT_RECORD, row.id), row.id)


def retire_instrument(store: Store, actor: Actor, instrument_id: str, reason: str = "") -> OpResult:
    """Take an instrument out of use (报废/停用); it stays on record."""
    with store.unit_of_work(actor) as uow:
        row = _instrument(uow.session, instrument_id)
        if row.status == RETIRED:
            raise ValidationError([FieldProblem("status", "inst.error.already_retired",
                                                tr("inst.error.already_retired",
                                                   asset_no=row.asset_no))])
        row.status = RETIRED
        uow.record(row, "institution.instrument.retire",
                   {"asset_no": row.asset_no, "reason": reason.strip()})
        uow.commit()
    return OpResult(changed(INSTRUMENT_RECORD, row.id), row.id)


def list_instruments(session: Session, enterprise_id: str) -> list[Instrument]:
    """An institution's instruments, in use first, soonest calibration due first."""
    return list(session.scalars(select(Instrument).where(
        Instrument.enterprise_id == enterprise_id, Instrument.deleted_at.is_(None))
        .order_by(Instrument.status, Instrument.calibration_due, Instrument.asset_no)))


def instrument_warnings(session: Session, asset_nos: list[str], on_date: date) -> list[str]:
    """Warnings for the instruments (by asset number, any institution) used on ``on_date``:
    calibration due before that day, or retired. Unknown numbers give nothing (an instrument
    not on record cannot be checked)."""
    wanted = sorted({a.strip() for a in asset_nos if a and a.strip()})
    if not wanted:
        return []
    stmt = (select(Instrument, Enterprise.name)
            .join(Enterprise, Enterprise.id == Instrument.enterprise_id)
            .where(Instrument.asset_no.in_(wanted), Instrument.deleted_at.is_(None))
            .order_by(Instrument.asset_no, Enterprise.name))
    warnings: list[str] = []
    for inst, owner in session.execute(stmt):
        values = {"asset_no": inst.asset_no, "kind": kind_label(inst.kind), "owner": owner,
                  "due": inst.calibration_due.isoformat(), "date": on_date.isoformat()}
        if inst.status == RETIRED:
            warnings.append(tr("inst.warning.retired", **values))
        elif is_overdue(inst, on_date):
            warnings.append(tr("inst.warning.calibration_overdue", **values))
    return warnings


def calibration_check(session: Session, asset_no: str, used_at: datetime | None) -> list[str]:
    """The ``INSTRUMENT_CHECKS`` hook of sampling: the day of use in local time (today when the
    time is not known yet)."""
    day = (used_at or datetime.now()).astimezone().date()
    return instrument_warnings(session, [asset_no], day)
