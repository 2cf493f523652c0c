"""Samples (air: personal, fixed-point, blank) and noise measurements of a sampling task.

:func:`record_sample` checks every field (each problem on its own field, nothing written when
any is found): times (end after start, a believable duration), flows (> 0, within the physical
range, units), the flow drift of long-time sampling (above the GBZ 159 limit of slice L's
``AirRules`` it needs ``drift_reason``: an overridable problem naming the measured drift),
temperature / pressure / humidity within physical ranges (data), the substance in the hazard
catalogue and sampled in air, the post of this task, the sample number unique, and a blank with
no air drawn. It computes the volume (mean flow × minutes) and, only when the temperature or the
pressure is outside the GBZ 159 range, the standard volume (slice H's ``standard_volume``);
``standard_volume_l`` stays empty when no conversion applies (``volume_l`` is then the volume to
use). A sample may be recorded when the pump starts (no end time, no flow after yet) and
completed later with ``sample_id``.

:func:`defaults_for_next` pre-fills the next sample from the previous one (the policy is data),
so that recording a sample takes its measured values and little else.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.instruments import calibration_check
from ohinspect.services.sampling_checks import Form, fmt, load_field_checks, local_day
from ohinspect.services.sampling_tasks import (NOISE_RECORD, SAMPLE_RECORD, TASK_RECORD,
                                               ensure_unlocked, load_task, task_post,
                                               writable_task)
from ohinspect.standards.hazards import load_hazard_catalogue
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import NoiseMeasurement, Sample, SamplingPost, SamplingTask
from ohinspect.store.uow import Actor, UnitOfWork

#: Instrument checks (issue 5): each gets (session, instrument_id, sampled_at) and returns
#: warnings, e.g. "calibration of pump P-03 expired on 2026-10-01" — never a refusal.
InstrumentCheck = Callable[[Session, str, "datetime | None"], list[str]]
INSTRUMENT_CHECKS: list[InstrumentCheck] = [calibration_check]


@dataclass
class SampleInput:
    post_id: str | None = None
    kind: str = "personal"                 # personal | fixed | blank
    hazard_code: str = ""
    fraction: str = ""                     # dust: total | respirable
    wearer: str = ""
    location: str = ""
    instrument_id: str = ""
    calibrator_id: str = ""
    flow_before_lpm: float | str | None = None
    flow_after_lpm: float | str | None = None
    drift_reason: str = ""
    started_at: datetime | str | None = None
    ended_at: datetime | str | None = None
    representative_hours: float | str | None = None
    temperature_c: float | str | None = None
    pressure_kpa: float | str | None = None
    humidity_pct: float | str | None = None
    production_status: str = ""
    ppe: str = ""
    notes: str = ""

    @classmethod
    def from_record(cls, s: Sample) -> SampleInput:
        return cls(**{f.name: getattr(s, f.name) for f in fields(cls)})


@dataclass
class NoiseInput:
    post_id: str | None = None
    point: str = ""
    method: str = "fixed"                  # fixed | dosimeter
    meter_id: str = ""
    readings_db: list[float | str] = field(default_factory=list)   # 3 per point (fixed)
    exposure_hours: float | str | None = None
    days_per_week: float | str | None = None
    impulse_peak_db: float | str | None = None
    pulses_per_minute: float | str | None = None
    calibrator_before_db: float | str | None = None
    calibrator_after_db: float | str | None = None
    measured_at: datetime | str | None = None
    notes: str = ""

    @classmethod
    def from_record(cls, m: NoiseMeasurement) -> NoiseInput:
        values = {f.name: getattr(m, f.name) for f in fields(cls)}
        values["readings_db"] = list(m.readings_db or [])
        return cls(**values)


def _length(name: str, model: Any = Sample) -> int | None:
    return getattr(model.__table__.c[name].type, "length", None)


# --------------------------------------------------------------------------- numbers and defaults


def next_sample_number(session: Session, task_id: str, kind: str = "personal") -> str:
    """Task number + "-" + the next 3-digit sequence of the task (blanks with the blank suffix);
    a sequence is never reused (deleted samples count) and never collides with any sample."""
    checks = load_field_checks()
    task = load_task(session, task_id)
    seq = (session.scalar(select(func.count()).select_from(Sample)
                          .where(Sample.task_id == task.id)) or 0) + 1
    suffix = checks.blank_suffix if kind == checks.blank_kind else ""
    while True:
        number = checks.sample_format.format(task=task.task_number, seq=seq, suffix=suffix)
        if session.scalar(select(Sample.id).where(Sample.sample_number == number)) is None:
            return number
        seq += 1


def defaults_for_next(session: Session, task_id: str, now: datetime) -> SampleInput:
    """The next sample pre-filled from the previous one of the task (blanks skipped as the
    source): the carried fields of the data file's policy, ``started_at`` = ``now`` and
    ``ended_at`` empty. The first sample of a task starts at the first post with its first
    hazard and the task's production status."""
    checks = load_field_checks()
    task = load_task(session, task_id)
    stmt = select(Sample).where(Sample.task_id == task.id, Sample.deleted_at.is_(None))
    if checks.skip_blanks:
        stmt = stmt.where(Sample.kind != checks.blank_kind)
    previous = session.scalars(stmt.order_by(Sample.created_at.desc(),
                                             Sample.change_seq.desc()).limit(1)).first()
    data = SampleInput(kind=checks.first_kind, production_status=task.production_status,
                       started_at=now)
    if previous is None:
        post = session.scalars(select(SamplingPost).where(
            SamplingPost.task_id == task.id, SamplingPost.deleted_at.is_(None))
            .order_by(SamplingPost.created_at, SamplingPost.change_seq).limit(1)).first()
        if post is not None:
            data.post_id = post.id
            data.hazard_code = next(iter(post.hazard_codes or []), "")
        return data
    for name in checks.carry:
        setattr(data, name, getattr(previous, name))
    return data


# --------------------------------------------------------------------------- samples


def _kind_and_hazard(form: Form, data: SampleInput) -> tuple[str, str, str]:
    checks = form.checks
    kind = form.text("kind", data.kind, required=True)
    if kind and kind not in checks.sample_kinds:
        form.add("kind", "sampling.error.kind", value=kind,
                 choices="、".join(tr(f"sampling.kind.{k}") for k in checks.sample_kinds))
    code = form.text("hazard_code", data.hazard_code, required=True)
    fraction = form.text("fraction", data.fraction, _length("fraction"))
    factor = load_hazard_catalogue().get(code) if code else None
    if code and factor is None:
        form.add("hazard_code", "sampling.error.hazard_unknown", code=code)
    elif factor is not None and factor.category not in checks.air_categories:
        form.add("hazard_code", "sampling.error.hazard_not_air", name=factor.name_zh, code=code)
    elif factor is not None and factor.category == "dust":
        if fraction not in checks.dust_fractions:
            form.add("fraction", "sampling.error.fraction_required", name=factor.name_zh,
                     choices="、".join(tr(f"sampling.fraction.{f}") for f in checks.dust_fractions))
    elif factor is not None and fraction:
        form.add("fraction", "sampling.error.fraction_not_dust", name=factor.name_zh)
    return kind, code, fraction


def _check_number(session: Session, form: Form, number: str, exclude_id: str | None) -> None:
    if not number:
        form.add("sample_number", "field.required")
        return
    limit = _length("sample_number")
    if limit and len(number) > limit:
        form.add("sample_number", "field.too_long", max=limit)
    other = session.scalars(select(Sample).where(Sample.sample_number == number)).first()
    if other is not None and other.id != exclude_id:
        task = session.get(SamplingTask, other.task_id)
        form.add("sample_number", "sampling.error.sample_number_duplicate", number=number,
                 task=task.task_number if task is not None else other.task_id)


def validate_sample(session: Session, task: SamplingTask, data: SampleInput, *,
                    sample_number: str | None, existing: Sample | None
                    ) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(column values, audit details, warnings) of a valid sample; ValidationError otherwise."""
    from ohinspect.hygiene.air import flow_drift, mean_flow, standard_volume
    from ohinspect.standards.sampling_rules import load_air_rules

    form = Form()
    checks = form.checks
    kind, code, fraction = _kind_and_hazard(form, data)
    blank = kind == checks.blank_kind
    clean: dict[str, Any] = {"kind": kind, "hazard_code": code, "fraction": fraction}
    for name in ("wearer", "location", "instrument_id", "calibrator_id"):
        clean[name] = form.text(name, getattr(data, name), _length(name))
    for name in ("drift_reason", "production_status", "ppe", "notes"):
        clean[name] = form.text(name, getattr(data, name))
    post = task_post(session, task, data.post_id, form)
    clean["post_id"] = post.id if post is not None else None
    if not blank and not data.post_id:
        form.add("post_id", "sampling.error.post_required",
                 kind=tr(f"sampling.kind.{kind}") if kind in checks.sample_kinds else kind)
    if kind == "personal" and not clean["wearer"]:
        form.add("wearer", "sampling.error.wearer_required")
    if kind == "fixed" and not clean["location"]:
        form.add("location", "sampling.error.location_required")

    base = task.planned_on or local_day(datetime.now().astimezone())  # for "08:30" alone
    started = form.moment("started_at", data.started_at, base)
    ended = form.moment("ended_at", data.ended_at, local_day(started) if started else base)
    before = form.number("flow_before_lpm", data.flow_before_lpm, "flow_lpm")
    after = form.number("flow_after_lpm", data.flow_after_lpm, "flow_lpm")
    if blank:  # carried to the site, no air drawn (nothing to check the flows of)
        form.problems = [p for p in form.problems if not p.field.startswith("flow_")]
        for name in ("flow_before_lpm", "flow_after_lpm"):
            if getattr(data, name) not in (None, ""):
                form.add(name, "sampling.error.blank_with_flow")
        before = after = None
    if ended is not None and started is None and not form.has("started_at"):
        form.add("started_at", "sampling.error.start_missing")
    if not blank:
        if started is None and not form.has("started_at"):
            form.add("started_at", "field.required")
        if before is None and not form.has("flow_before_lpm"):
            form.add("flow_before_lpm", "field.required")
    minutes: float | None = None
    if started is not None and ended is not None:
        minutes = (ended - started).total_seconds() / 60
        rng = checks.ranges["sample_minutes"]
        if minutes <= 0:
            form.add("ended_at", "sampling.error.end_before_start",
                     end=ended.astimezone().strftime("%Y-%m-%d %H:%M"),
                     start=started.astimezone().strftime("%Y-%m-%d %H:%M"))
            minutes = None
        elif not rng.contains(minutes):
            form.add("ended_at", "sampling.error.duration_too_long", minutes=fmt(minutes, 0),
                     high=fmt(rng.high, 0))
            minutes = None
    for name, range_key in (("representative_hours", "representative_hours"),
                            ("temperature_c", "temperature_c"), ("pressure_kpa", "pressure_kpa"),
                            ("humidity_pct", "humidity_pct")):
        clean[name] = form.number(name, getattr(data, name), range_key)

    details: dict[str, Any] = {}
    warnings: list[str] = []
    rules = load_air_rules()
    if before is not None and after is not None:
        drift = flow_drift(before, after)
        limit = rules.flow_drift_max
        if drift > limit and not math.isclose(drift, limit, rel_tol=1e-9):
            details.update(drift=drift, drift_max=limit)
            if not clean["drift_reason"]:
                form.add("drift_reason", "sampling.error.drift", overridable=True,
                         drift=fmt(drift * 100, 1), limit=fmt(limit * 100, 1),
                         before=fmt(before), after=fmt(after))
        else:
            clean["drift_reason"] = ""  # nothing to explain: do not keep a stale reason

    number = (sample_number or "").strip() or (existing.sample_number if existing is not None
                                               else next_sample_number(session, task.id, kind))
    _check_number(session, form, number, existing.id if existing is not None else None)
    if form.problems:
        raise ValidationError(form.problems)

    volume = std = None
    if before is not None and after is not None and minutes is not None:
        volume = mean_flow(before, after) * minutes
        if clean["temperature_c"] is None or clean["pressure_kpa"] is None:
            warnings.append(tr("sampling.warning.no_climate", number=number))
        else:
            converted, applied, step = standard_volume(volume, clean["temperature_c"],
                                                       clean["pressure_kpa"], rules)
            if applied:
                std = converted
                details["standard_volume"] = step.formula
    for check in INSTRUMENT_CHECKS:
        for name in ("instrument_id", "calibrator_id"):  # the pump and its flow calibrator
            if clean[name]:
                warnings += check(session, clean[name], started)
    clean.update(sample_number=number, started_at=started, ended_at=ended,
                 flow_before_lpm=before, flow_after_lpm=after, volume_l=volume,
                 standard_volume_l=std)
    return clean, details, warnings


def record_sample_in(uow: UnitOfWork, task: SamplingTask, data: SampleInput, *,
                     sample_number: str | None = None, sample_id: str | None = None
                     ) -> tuple[Sample, list[str]]:
    ensure_unlocked(task)
    session = uow.session
    existing: Sample | None = None
    if sample_id:
        existing = session.get(Sample, sample_id)
        if existing is None or existing.is_deleted or existing.task_id != task.id:
            raise NotFoundError(tr("record.not_found", record_id=sample_id))
    clean, details, warnings = validate_sample(session, task, data, sample_number=sample_number,
                                               existing=existing)
    if existing is None:
        sample = Sample(id=new_id(), task_id=task.id, **clean)
        action = "sampling.sample.create"
    else:
        sample = existing
        details["fields"] = sorted(k for k, v in clean.items() if getattr(sample, k) != v)
        for key, value in clean.items():
            setattr(sample, key, value)
        action = "sampling.sample.update"
    if clean["drift_reason"]:
        details["drift_reason"] = clean["drift_reason"]
    if warnings:
        details["warnings"] = warnings
    uow.record(sample, action, {"sample_number": sample.sample_number, **details})
    return sample, warnings


def record_sample(store: Store, actor: Actor, task_id: str, data: SampleInput, *,
                  sample_number: str | None = None, sample_id: str | None = None) -> OpResult:
    """Record a new sample (number automatic unless given) or, with ``sample_id``, complete or
    correct one; warnings (no climate data, instrument hooks) come back in ``OpResult.warnings``."""
    with store.unit_of_work(actor) as uow:
        task = writable_task(uow.session, task_id)
        sample, warnings = record_sample_in(uow, task, data, sample_number=sample_number,
                                            sample_id=sample_id)
        uow.commit()
    return OpResult(changed(SAMPLE_RECORD, sample.id) | changed(TASK_RECORD, task_id), sample.id,
                    warnings=tuple(warnings))


# --------------------------------------------------------------------------- noise


def validate_noise(session: Session, task: SamplingTask, data: NoiseInput,
                   now: datetime) -> tuple[dict[str, Any], list[str]]:
    from ohinspect.hygiene.noise import laeq

    form = Form()
    checks = form.checks
    clean: dict[str, Any] = {
        "point": form.text("point", data.point, _length("point", NoiseMeasurement), required=True),
        "method": form.text("method", data.method, required=True),
        "meter_id": form.text("meter_id", data.meter_id, _length("meter_id", NoiseMeasurement)),
        "notes": form.text("notes", data.notes),
    }
    post = task_post(session, task, data.post_id, form)
    clean["post_id"] = post.id if post is not None else None
    method = clean["method"]
    if method and method not in checks.noise_methods:
        form.add("method", "sampling.error.noise_method", value=method,
                 choices="、".join(tr(f"sampling.noise_method.{m}") for m in checks.noise_methods))
    readings: list[float] = []
    for n, raw in enumerate(data.readings_db or [], start=1):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        before = len(form.problems)
        value = form.number("readings_db", raw, "noise_db")
        if value is not None:
            readings.append(value)
        elif len(form.problems) > before:  # say which reading
            p = form.problems[-1]
            p.message = tr("sampling.error.reading_n", n=n, message=p.message)
    if method in checks.noise_readings and not form.has("readings_db"):
        low, high = checks.noise_readings[method]
        if not low <= len(readings) <= high:
            form.add("readings_db", "sampling.error.readings_count",
                     method=tr(f"sampling.noise_method.{method}"), count=len(readings),
                     expected=str(low) if low == high else f"{low}–{high}")
    for name, range_key in (("exposure_hours", "noise_exposure_hours"),
                            ("days_per_week", "days_per_week"),
                            ("impulse_peak_db", "impulse_peak_db"),
                            ("pulses_per_minute", "pulses_per_minute"),
                            ("calibrator_before_db", "calibrator_db"),
                            ("calibrator_after_db", "calibrator_db")):
        clean[name] = form.number(name, getattr(data, name), range_key,
                                  units="noise_db" if name.endswith("_db") else None)
    clean["measured_at"] = form.moment("measured_at", data.measured_at, task.planned_on) or (
        None if form.has("measured_at") else now)
    if form.problems:
        raise ValidationError(form.problems)
    clean["readings_db"] = readings
    clean["laeq_te_db"] = laeq([(level, 1.0) for level in readings])[0] if readings else None
    warnings: list[str] = []
    cal_before, cal_after = clean["calibrator_before_db"], clean["calibrator_after_db"]
    if cal_before is not None and cal_after is not None:
        drift = abs(cal_after - cal_before)
        limit = checks.calibrator_drift_max_db
        if drift > limit and not math.isclose(drift, limit, rel_tol=1e-9):
            warnings.append(tr("sampling.warning.calibrator_drift", point=clean["point"],
                               before=fmt(cal_before, 1), after=fmt(cal_after, 1),
                               drift=fmt(drift, 2), limit=fmt(limit, 2)))
    elif cal_before is None or cal_after is None:
        warnings.append(tr("sampling.warning.calibrator_missing", point=clean["point"]))
    if clean["meter_id"]:
        for check in INSTRUMENT_CHECKS:
            warnings += check(session, clean["meter_id"], clean["measured_at"])
    return clean, warnings


def record_noise_in(uow: UnitOfWork, task: SamplingTask, data: NoiseInput, *,
                    measurement_id: str | None = None) -> tuple[NoiseMeasurement, list[str]]:
    ensure_unlocked(task)
    session = uow.session
    existing: NoiseMeasurement | None = None
    if measurement_id:
        existing = session.get(NoiseMeasurement, measurement_id)
        if existing is None or existing.is_deleted or existing.task_id != task.id:
            raise NotFoundError(tr("record.not_found", record_id=measurement_id))
    clean, warnings = validate_noise(session, task, data, uow.now)
    details: dict[str, Any] = {"point": clean["point"], "laeq_te_db": clean["laeq_te_db"]}
    if warnings:
        details["warnings"] = warnings
    if existing is None:
        row = NoiseMeasurement(id=new_id(), task_id=task.id, **clean)
        uow.record(row, "sampling.noise.create", details)
    else:
        row = existing
        for key, value in clean.items():
            setattr(row, key, value)
        uow.record(row, "sampling.noise.update", details)
    return row, warnings


def record_noise(store: Store, actor: Actor, task_id: str, data: NoiseInput, *,
                 measurement_id: str | None = None) -> OpResult:
    """Record (or correct) a noise measurement; L_Aeq,Te is the energy average of the readings
    (equal times); a calibrator drift above the data's tolerance comes back as a warning."""
    with store.unit_of_work(actor) as uow:
        task = writable_task(uow.session, task_id)
        row, warnings = record_noise_in(uow, task, data, measurement_id=measurement_id)
        uow.commit()
    return OpResult(changed(NOISE_RECORD, row.id) | changed(TASK_RECORD, task_id), row.id,
                    warnings=tuple(warnings))
