"""Institutions (seed 002: 疾控中心, 职业卫生技术服务机构, 职业健康检查/诊断机构, 尘肺病康复站)
and their staff.

An institution is a row of the enterprise registry whose ``org_kind`` (classifications.yaml
``org_kinds``) is not ``employer``; its capability records — staff, certificates
(:mod:`~ohinspect.services.certificates`), instruments (:mod:`~ohinspect.services.instruments`)
and blind-sample results (:mod:`~ohinspect.services.blind_samples`) — hang off that row. This
module holds what those services share: loading the institution, reading dates and numbers of a
form (every problem on its own field, nothing written when any is found) and turning a refusal
of the freeze triggers of migration 0004 into :class:`LockedRecordError`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, LockedRecordError, NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.sampling_checks import Form
from ohinspect.services.sampling_tasks import column_length
from ohinspect.standards.classifications import load_classifications
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, StaffMember
from ohinspect.store.uow import Actor, UnitOfWork

EMPLOYER = "employer"
STAFF_RECORD = StaffMember.__record_type__
#: what the freeze triggers of migration 0004 say when they refuse a write
TRIGGER_LOCKED = "locked record"


class RecordForm(Form):
    """The sampling form reader plus dates and free numbers (values, σ)."""

    def day(self, field: str, value: object, *, required: bool = False) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = unicodedata.normalize("NFKC", str(value or "")).strip()
        if not text:
            if required:
                self.add(field, "field.required")
            return None
        try:
            return date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            self.add(field, "inst.error.bad_date", value=text)
            return None

    def value(self, field: str, value: object, *, required: bool = True,
              positive: bool = False) -> float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(field, "field.required")
            return None
        try:
            number = float(unicodedata.normalize("NFKC", str(value)).strip().replace(",", ""))
        except ValueError:
            self.add(field, "inst.error.not_a_number", value=value)
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.add(field, "inst.error.not_a_number", value=value)
            return None
        if positive and number <= 0:
            self.add(field, "inst.error.not_positive", value=value)
            return None
        return number

    def raise_problems(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)


def org_kind_label(code: str) -> str:
    kind = load_classifications().org_kind(code)
    return kind.label() if kind is not None else code


def load_institution(session: Session, enterprise_id: str) -> Enterprise:
    """The live registry row of an institution; an employer is refused with a message naming
    it (its kind must be changed first)."""
    ent = session.get(Enterprise, enterprise_id)
    if ent is None or ent.is_deleted:
        raise NotFoundError(tr("record.not_found", record_id=enterprise_id))
    if ent.org_kind == EMPLOYER:
        raise ValidationError([FieldProblem("enterprise_id", "inst.error.not_institution",
                                            tr("inst.error.not_institution", name=ent.name))])
    return ent


@contextmanager
def frozen_guard(message: str) -> Iterator[None]:
    """Turn the freeze triggers' refusal (raised on flush or commit) into LockedRecordError
    with ``message``; the unit of work rolls back."""
    try:
        yield
    except DBAPIError as exc:
        if TRIGGER_LOCKED in str(exc.orig):
            raise LockedRecordError(message) from exc
        raise


# --------------------------------------------------------------------------- staff


@dataclass
class StaffInput:
    name: str = ""
    title: str = ""        # 职称
    position: str = ""     # 岗位
    id_no: str = ""

    @classmethod
    def from_record(cls, s: StaffMember) -> StaffInput:
        return cls(**{f.name: getattr(s, f.name) for f in fields(cls)})


def validate_staff(data: StaffInput) -> dict[str, str]:
    form = RecordForm()
    clean = {f.name: form.text(f.name, getattr(data, f.name),
                               column_length(StaffMember, f.name), required=f.name == "name")
             for f in fields(StaffInput)}
    form.raise_problems()
    return clean


def staff_of(session: Session, enterprise_id: str, staff_id: str) -> StaffMember:
    row = session.get(StaffMember, staff_id)
    if row is None or row.is_deleted or row.enterprise_id != enterprise_id:
        raise NotFoundError(tr("record.not_found", record_id=staff_id))
    return row


def save_staff_in(uow: UnitOfWork, enterprise_id: str, data: StaffInput, *,
                  staff_id: str | None = None, new_staff_id: str | None = None) -> StaffMember:
    load_institution(uow.session, enterprise_id)
    clean = validate_staff(data)
    if staff_id:
        row = staff_of(uow.session, enterprise_id, staff_id)
        changed_fields = row.assign(clean)
        if changed_fields:  # saving an unchanged form writes nothing
            uow.record(row, "institution.staff.update", {"fields": changed_fields})
    else:
        row = StaffMember(id=new_staff_id or new_id(), enterprise_id=enterprise_id, **clean)
        uow.record(row, "institution.staff.create", {"name": row.name})
    return row


def save_staff(store: Store, actor: Actor, enterprise_id: str, data: StaffInput, *,
               staff_id: str | None = None) -> OpResult:
    """Add a person to an institution's staff list, or (``staff_id``) correct one."""
    with store.unit_of_work(actor) as uow:
        row = save_staff_in(uow, enterprise_id, data, staff_id=staff_id)
        uow.commit()
    return OpResult(changed(STAFF_RECORD, row.id), row.id)


def list_staff(session: Session, enterprise_id: str) -> list[StaffMember]:
    return list(session.scalars(select(StaffMember).where(
        StaffMember.enterprise_id == enterprise_id, StaffMember.deleted_at.is_(None))
        .order_by(StaffMember.name, StaffMember.id)))
