"""Sampling tasks (采样任务) and their posts with the GBZ 159 proposal.

A task is planned per enterprise and monitoring type (GBZ 159-2004: evaluation, routine,
supervisory, incident) and numbered automatically (the format is data:
``resources/standards/sampling_field_checks.yaml``). Each post records its workers, same-type
equipment and hazards; :func:`propose` applies the GBZ 159 rules of slice L (points per location,
personal samples per post, shifts and periods by monitoring type) and :func:`save_post` keeps
both the proposal and what was accepted — anything different needs ``adjust_reason``.

A signed task (:mod:`ohinspect.services.sampling_signing`) and everything recorded under it are
frozen: every write refuses with :class:`LockedRecordError` (:func:`ensure_unlocked`) before
touching the database, and the triggers of migration 0003 refuse again underneath.

Functions ending in ``_in`` work inside a caller's unit of work (for the demo); the public
functions open their own. Samples and noise measurements:
:mod:`ohinspect.services.sampling_records`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import LockedRecordError, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.sampling_checks import Form, field_label, load_field_checks, local_day
from ohinspect.standards.hazards import load_hazard_catalogue
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, CustodyTransfer, Enterprise, NoiseMeasurement,
                                    Sample, SamplingPost, SamplingTask)
from ohinspect.store.uow import Actor, UnitOfWork

TASK_RECORD = SamplingTask.__record_type__
POST_RECORD = SamplingPost.__record_type__
SAMPLE_RECORD = Sample.__record_type__
NOISE_RECORD = NoiseMeasurement.__record_type__
CUSTODY_RECORD = CustodyTransfer.__record_type__
ATTACHMENT_RECORD = Attachment.__record_type__

STATUS_DRAFT, STATUS_SIGNED = "draft", "signed"
SIGNATURE_KIND, SIGNATURE_MEDIA_TYPE = "signature", "image/png"
#: the keys of SamplingPost.proposed / accepted
PLAN_KEYS = ("fixed_points", "personal_samples", "shifts", "periods")
WEATHER_NUMBERS = {"temp_min_c": "temperature_c", "temp_max_c": "temperature_c",
                   "humidity_pct": "humidity_pct", "pressure_kpa": "pressure_kpa"}
WEATHER_TEXT = ("conditions", "wind")


def column_length(model: Any, name: str) -> int | None:
    return getattr(model.__table__.c[name].type, "length", None)


# --------------------------------------------------------------------------- inputs


@dataclass
class TaskInput:
    enterprise_id: str = ""
    monitoring_type: str = ""
    planned_on: date | str | None = None
    detection_standard: str = ""          # 检测依据
    samplers: list[str] = field(default_factory=list)
    escort_name: str = ""                 # 企业陪同人
    #: {"conditions", "temp_min_c", "temp_max_c", "humidity_pct", "wind", "pressure_kpa"}
    weather: dict[str, object] = field(default_factory=dict)
    production_status: str = ""
    notes: str = ""

    @classmethod
    def from_record(cls, t: SamplingTask) -> TaskInput:
        return cls(enterprise_id=t.enterprise_id, monitoring_type=t.monitoring_type,
                   planned_on=t.planned_on, detection_standard=t.detection_standard,
                   samplers=list(t.samplers or []), escort_name=t.escort_name,
                   weather=dict(t.weather or {}), production_status=t.production_status,
                   notes=t.notes)


@dataclass
class PostInput:
    workshop: str = ""
    post: str = ""
    job_type: str = ""
    workers: int | str = 0
    most_exposed_identifiable: bool = True
    same_type_units: int | str = 0
    hazard_codes: list[str] = field(default_factory=list)
    exposure_hours_per_day: float | str | None = None
    days_per_week: float | str | None = None

    @classmethod
    def from_record(cls, p: SamplingPost) -> PostInput:
        return cls(workshop=p.workshop, post=p.post, job_type=p.job_type, workers=p.workers,
                   most_exposed_identifiable=p.most_exposed_identifiable,
                   same_type_units=p.same_type_units, hazard_codes=list(p.hazard_codes or []),
                   exposure_hours_per_day=p.exposure_hours_per_day,
                   days_per_week=p.days_per_week)


# --------------------------------------------------------------------------- shared helpers


def monitoring_types() -> tuple[str, ...]:
    from ohinspect.standards.sampling_rules import MONITORING_TYPES

    return tuple(MONITORING_TYPES)


def load_task(session: Session, task_id: str) -> SamplingTask:
    task = session.get(SamplingTask, task_id)
    if task is None or task.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=task_id))
    return task


def ensure_unlocked(task: SamplingTask) -> None:
    """Refuse any write to a signed task (the triggers of migration 0003 are the second line)."""
    if task.locked_at is not None:
        raise LockedRecordError(tr("sampling.error.locked", number=task.task_number or task.id))


def writable_task(session: Session, task_id: str) -> SamplingTask:
    task = load_task(session, task_id)
    ensure_unlocked(task)
    return task


def task_post(session: Session, task: SamplingTask, post_id: str | None, form: Form,
              field_name: str = "post_id") -> SamplingPost | None:
    """The post ``post_id`` if it is a live post of ``task``; a problem otherwise."""
    if not post_id:
        return None
    post = session.get(SamplingPost, post_id)
    if post is None or post.is_deleted:
        form.add(field_name, "sampling.error.post_unknown", post=post_id)
        return None
    if post.task_id != task.id:
        other = session.get(SamplingTask, post.task_id)
        form.add(field_name, "sampling.error.post_other_task",
                 post=f"{post.workshop} {post.post}",
                 task=other.task_number if other is not None else post.task_id)
        return None
    return post


# --------------------------------------------------------------------------- tasks


def device_code(device_id: str, chars: int) -> str:
    """``chars`` letters A–Z derived from this device's id (stable; letters so that the code
    never runs into the digits of the date or the sequence)."""
    digest = hashlib.sha256(device_id.encode("utf-8")).digest()
    value = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(chars):
        value, rest = divmod(value, 26)
        letters.append(chr(ord("A") + rest))
    return "".join(letters)


def new_task_number(session: Session, on: date, device_id: str) -> str:
    """The first free number of the data-driven format for this day and device."""
    checks = load_field_checks()
    device = device_code(device_id, checks.device_chars)
    taken = set(session.scalars(select(SamplingTask.task_number).where(
        SamplingTask.task_number.like(f"{checks.task_prefix}%"))))
    seq = 1
    while True:
        number = checks.task_format.format(prefix=checks.task_prefix, date=on, device=device,
                                           seq=seq)
        if number not in taken:
            return number
        seq += 1


def _weather(form: Form, raw: object) -> dict[str, object]:
    if not isinstance(raw, dict):
        form.add("weather", "sampling.error.weather_keys", keys=str(raw),
                 choices=", ".join((*WEATHER_TEXT, *WEATHER_NUMBERS)))
        return {}
    unknown = sorted(str(k) for k in raw if k not in WEATHER_TEXT and k not in WEATHER_NUMBERS)
    if unknown:
        form.add("weather", "sampling.error.weather_keys", keys=", ".join(unknown),
                 choices=", ".join((*WEATHER_TEXT, *WEATHER_NUMBERS)))
    clean: dict[str, object] = {}
    for key in WEATHER_TEXT:
        text = form.text(f"weather.{key}", raw.get(key), 60)
        if text:
            clean[key] = text
    for key, range_key in WEATHER_NUMBERS.items():
        value = form.number(f"weather.{key}", raw.get(key), range_key)
        if value is not None:
            clean[key] = value
    low, high = clean.get("temp_min_c"), clean.get("temp_max_c")
    if isinstance(low, float) and isinstance(high, float) and low > high:
        form.add("weather.temp_max_c", "sampling.error.temp_min_above_max",
                 low=low, high=high)
    return clean


def validate_task(session: Session, data: TaskInput) -> dict[str, Any]:
    form = Form()
    clean: dict[str, Any] = {
        "enterprise_id": form.text("enterprise_id", data.enterprise_id, required=True),
        "monitoring_type": form.text("monitoring_type", data.monitoring_type, required=True),
        "detection_standard": form.text("detection_standard", data.detection_standard),
        "escort_name": form.text("escort_name", data.escort_name,
                                 column_length(SamplingTask, "escort_name")),
        "production_status": form.text("production_status", data.production_status),
        "notes": form.text("notes", data.notes),
        "planned_on": form.day("planned_on", data.planned_on),
    }
    if clean["enterprise_id"]:
        ent = session.get(Enterprise, clean["enterprise_id"])
        if ent is None or ent.is_deleted:
            form.add("enterprise_id", "sampling.error.enterprise_unknown")
    types = monitoring_types()
    if clean["monitoring_type"] and clean["monitoring_type"] not in types:
        form.add("monitoring_type", "sampling.error.monitoring_type",
                 value=clean["monitoring_type"],
                 choices="、".join(tr(f"sampling.monitoring.{t}") for t in types))
    samplers: list[str] = []
    for name in data.samplers or []:
        text = form.text("samplers", name, column_length(SamplingTask, "escort_name"))
        if text and text not in samplers:
            samplers.append(text)
    clean["samplers"] = samplers
    clean["weather"] = _weather(form, data.weather or {})
    if form.problems:
        raise ValidationError(form.problems)
    return clean


def create_task_in(uow: UnitOfWork, data: TaskInput, *, task_id: str | None = None) -> SamplingTask:
    clean = validate_task(uow.session, data)
    on = clean["planned_on"] or local_day(uow.now)
    task = SamplingTask(id=task_id or new_id(), status=STATUS_DRAFT,
                        task_number=new_task_number(uow.session, on, uow.actor.device_id),
                        **clean)
    uow.record(task, "sampling.task.create", {"task_number": task.task_number})
    return task


def create_task(store: Store, actor: Actor, data: TaskInput) -> OpResult:
    """A new task; its number is made from the planned date (else today) and this device."""
    with store.unit_of_work(actor) as uow:
        task = create_task_in(uow, data)
        uow.commit()
    return OpResult(changed(TASK_RECORD, task.id), task.id)


def update_task(store: Store, actor: Actor, task_id: str, data: TaskInput) -> OpResult:
    with store.unit_of_work(actor) as uow:
        task = writable_task(uow.session, task_id)
        clean = validate_task(uow.session, data)
        fields = sorted(k for k, v in clean.items() if getattr(task, k) != v)
        for key, value in clean.items():
            setattr(task, key, value)
        if fields:
            uow.record(task, "sampling.task.update", {"fields": fields})
        posts = _repropose(uow, task) if "monitoring_type" in fields else []
        uow.commit()
    return OpResult(changed(TASK_RECORD, task_id) | changed(POST_RECORD, *posts), task_id)


def _repropose(uow: UnitOfWork, task: SamplingTask) -> list[str]:
    """A new monitoring type changes the shifts and periods: each post gets the new proposal;
    what was accepted follows it unless it had been adjusted (then it stays, with its reason)."""
    changed_ids: list[str] = []
    for post in uow.session.scalars(select(SamplingPost).where(
            SamplingPost.task_id == task.id, SamplingPost.deleted_at.is_(None))):
        proposal = propose(PostInput.from_record(post), task.monitoring_type)
        if proposal == post.proposed:
            continue
        if post.accepted == post.proposed:
            post.accepted = proposal
        post.proposed = proposal
        uow.record(post, "sampling.post.repropose", {"monitoring_type": task.monitoring_type})
        changed_ids.append(post.id)
    return changed_ids


# --------------------------------------------------------------------------- posts and GBZ 159


def limit_kinds(hazard_codes: list[str]) -> tuple[str, ...]:
    """Which GBZ 159 sampling rules the hazards need: "twa" (a PC-TWA; dusts; a hazard without
    a limit) and/or "stel_mac" (a MAC or a PC-STEL), from slice L's limits table (every form of
    a substance listed in several, e.g. lead dust and fume)."""
    from ohinspect.standards.limits import load_limits

    table = load_limits()
    kinds: set[str] = set()
    for code in hazard_codes:
        rows = table.forms(code)
        if not rows:
            kinds.add("twa")
        for limit in rows:
            if limit.mac is not None or limit.pc_stel is not None:
                kinds.add("stel_mac")
            if limit.pc_twa is not None:
                kinds.add("twa")
    return tuple(k for k in ("twa", "stel_mac") if k in kinds) or ("twa",)


def _count(value: object) -> int:
    """A count from a form (0 when empty or not a whole number: validate_post reports those)."""
    try:
        return max(int(str(value).strip() or 0), 0)
    except ValueError:
        return 0


def propose(post: PostInput, monitoring_type: str) -> dict[str, object]:
    """The GBZ 159-2004 proposal for one post (pure), from slice L's rules:

    - ``fixed_points``: points for the post's location from its same-type equipment units
      (0 when no units are recorded);
    - ``personal_samples``: from the workers and whether the most exposed can be identified
      (0 when no workers are recorded);
    - ``shifts``: the most shifts any limit kind of the post's hazards needs (None = as the site
      requires, incident monitoring);
    - ``periods``: limit kind ("twa", "stel_mac") → period code of the rules
      (``SamplingPlanRule.period``: shifts_incl_highest, highest_period…)."""
    from ohinspect.standards.sampling_rules import (fixed_points, personal_samples,
                                                    shifts_and_periods)

    kinds = limit_kinds([str(c) for c in post.hazard_codes or []])
    rules = [shifts_and_periods(monitoring_type, kind) for kind in kinds]
    units, workers = _count(post.same_type_units), _count(post.workers)
    shifts = [r.shifts for r in rules if r.shifts is not None]
    return {
        "fixed_points": fixed_points(units) if units else 0,
        "personal_samples": personal_samples(workers, bool(post.most_exposed_identifiable))
        if workers else 0,
        "shifts": max(shifts) if shifts else None,
        "periods": {r.limit_kind: r.period for r in rules},
    }


def validate_post(data: PostInput) -> dict[str, Any]:
    form = Form()
    clean: dict[str, Any] = {
        "workshop": form.text("workshop", data.workshop, column_length(SamplingPost, "workshop"),
                              required=True),
        "post": form.text("post", data.post, column_length(SamplingPost, "post"), required=True),
        "job_type": form.text("job_type", data.job_type, column_length(SamplingPost, "job_type")),
        "workers": form.integer("workers", data.workers),
        "same_type_units": form.integer("same_type_units", data.same_type_units),
        "most_exposed_identifiable": bool(data.most_exposed_identifiable),
        "exposure_hours_per_day": form.number("exposure_hours_per_day",
                                              data.exposure_hours_per_day,
                                              "exposure_hours_per_day"),
        "days_per_week": form.number("days_per_week", data.days_per_week, "days_per_week"),
    }
    catalogue = load_hazard_catalogue()
    hazards: list[str] = []
    for raw in data.hazard_codes or []:
        code = str(raw or "").strip()
        if not code or code in hazards:
            continue
        if code not in catalogue:
            form.add("hazard_codes", "sampling.error.hazard_unknown", code=code)
        hazards.append(code)
    clean["hazard_codes"] = hazards
    clean["workers"] = clean["workers"] or 0
    clean["same_type_units"] = clean["same_type_units"] or 0
    if form.problems:
        raise ValidationError(form.problems)
    return clean


def _accepted(proposal: dict[str, object], accepted: dict[str, object] | None,
              form: Form) -> dict[str, object]:
    result = dict(proposal)
    for key, value in (accepted or {}).items():
        if key not in PLAN_KEYS:
            form.add("accepted", "sampling.error.plan_key", key=key, choices=", ".join(PLAN_KEYS))
        elif key == "periods":
            result[key] = value
        else:
            number = form.integer(f"accepted.{key}", value)
            if number is not None:
                result[key] = number
    return result


def save_post_in(uow: UnitOfWork, task: SamplingTask, data: PostInput, *,
                 post_id: str | None = None, accepted: dict[str, object] | None = None,
                 adjust_reason: str = "") -> SamplingPost:
    ensure_unlocked(task)
    session = uow.session
    clean = validate_post(data)
    proposal = propose(data, task.monitoring_type)
    form = Form()
    final = _accepted(proposal, accepted, form)
    reason = form.text("adjust_reason", adjust_reason)
    differs = [k for k in PLAN_KEYS if final.get(k) != proposal.get(k)]
    if differs and not reason:
        form.add("adjust_reason", "sampling.error.adjust_reason", overridable=True,
                 fields="、".join(field_label(k) for k in differs),
                 proposed="；".join(f"{field_label(k)} {proposal.get(k)}" for k in differs))
    if form.problems:
        raise ValidationError(form.problems)
    if post_id:
        post = session.get(SamplingPost, post_id)
        if post is None or post.is_deleted or post.task_id != task.id:
            raise NotFoundError(tr("record.not_found", record_id=post_id))
        action = "sampling.post.update"
    else:
        post = SamplingPost(id=new_id(), task_id=task.id)
        action = "sampling.post.create"
    for key, value in clean.items():
        setattr(post, key, value)
    post.proposed, post.accepted = proposal, final
    post.adjust_reason = reason if differs else ""
    uow.record(post, action, {"adjusted": differs, "adjust_reason": post.adjust_reason}
               if differs else None)
    return post


def save_post(store: Store, actor: Actor, task_id: str, data: PostInput, *,
              post_id: str | None = None, accepted: dict[str, object] | None = None,
              adjust_reason: str = "") -> OpResult:
    """Create (or with ``post_id`` update) a post; ``accepted`` that differs from the GBZ 159
    proposal needs ``adjust_reason`` (an overridable problem on that field otherwise)."""
    with store.unit_of_work(actor) as uow:
        task = writable_task(uow.session, task_id)
        post = save_post_in(uow, task, data, post_id=post_id, accepted=accepted,
                            adjust_reason=adjust_reason)
        uow.commit()
    return OpResult(changed(POST_RECORD, post.id) | changed(TASK_RECORD, task_id), post.id)
