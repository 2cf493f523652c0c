"""Certificates of institutions and their staff, each with an expiry date (seed 002: 证书有效期).

A certificate without an expiry date is refused with its own message (issue 5, bad input);
``resources/standards/certificate_kinds.yaml`` names the kinds, who holds each (a person or the
institution) and the "expiring soon" window. :func:`certificate_state` says whether one is
expired, expiring soon or valid on a day; :func:`expired_certificates` and
:func:`expiring_certificates` list them across institutions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import NotFoundError
from ohinspect.i18n import current_language, tr
from ohinspect.resources import load_resource
from ohinspect.services.institutions import RecordForm, load_institution, staff_of
from ohinspect.services.sampling_tasks import column_length
from ohinspect.store.base import new_id
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Certificate, Enterprise, StaffMember
from ohinspect.store.uow import Actor, UnitOfWork

RESOURCE = "standards/certificate_kinds.yaml"
CERTIFICATE_RECORD = Certificate.__record_type__
EXPIRED, EXPIRING, VALID = "expired", "expiring", "valid"


@dataclass(frozen=True)
class CertificateKind:
    code: str
    name_zh: str
    name_en: str
    holder: str            # staff | institution

    def label(self) -> str:
        return self.name_zh if current_language() == "zh_CN" else self.name_en


@dataclass(frozen=True)
class CertificateKinds:
    kinds: dict[str, CertificateKind]
    expiring_soon_days: int


@lru_cache(maxsize=1)
def load_certificate_kinds() -> CertificateKinds:
    data = load_resource(RESOURCE)
    kinds = {k["code"]: CertificateKind(k["code"], k["name_zh"], k["name_en"], k["holder"])
             for k in data["kinds"]}
    return CertificateKinds(kinds, int(data["expiring_soon_days"]))


def kind_label(code: str) -> str:
    kind = load_certificate_kinds().kinds.get(code)
    return kind.label() if kind is not None else code


@dataclass
class CertificateInput:
    kind: str = ""
    number: str = ""
    expires_on: date | str | None = None
    issued_on: date | str | None = None
    staff_member_id: str | None = None     # None: the institution's own certificate

    @classmethod
    def from_record(cls, c: Certificate) -> CertificateInput:
        return cls(**{f.name: getattr(c, f.name) for f in fields(cls)})


def certificate_state(expires_on: date, today: date) -> str:
    """expired (the day after expiry on), expiring (within the data's window) or valid."""
    if expires_on < today:
        return EXPIRED
    if expires_on <= today + timedelta(days=load_certificate_kinds().expiring_soon_days):
        return EXPIRING
    return VALID


def validate_certificate(session: Session, enterprise_id: str,
                         data: CertificateInput) -> dict[str, object]:
    form = RecordForm()
    kinds = load_certificate_kinds().kinds
    kind = form.text("kind", data.kind, required=True)
    if kind and kind not in kinds:
        form.add("kind", "inst.error.certificate_kind", value=kind,
                 choices="、".join(k.label() for k in kinds.values()))
    number = form.text("number", data.number, column_length(Certificate, "number"),
                       required=True)
    expires = form.day("expires_on", data.expires_on)
    if expires is None and not form.has("expires_on"):
        form.add("expires_on", "inst.error.certificate_no_expiry")
    issued = form.day("issued_on", data.issued_on)
    if issued is not None and expires is not None and expires <= issued:
        form.add("expires_on", "inst.error.expiry_before_issue", expires=expires.isoformat(),
                 issued=issued.isoformat())
    staff_id = data.staff_member_id or None
    if staff_id:
        staff_of(session, enterprise_id, staff_id)
    elif kind in kinds and kinds[kind].holder == "staff":
        form.add("staff_member_id", "inst.error.certificate_needs_person",
                 kind=kinds[kind].label())
    form.raise_problems()
    return {"kind": kind, "number": number, "expires_on": expires, "issued_on": issued,
            "staff_member_id": staff_id}


def save_certificate_in(uow: UnitOfWork, enterprise_id: str, data: CertificateInput, *,
                        certificate_id: str | None = None,
                        new_certificate_id: str | None = None) -> Certificate:
    session = uow.session
    load_institution(session, enterprise_id)
    clean = validate_certificate(session, enterprise_id, data)
    if certificate_id:
        row = session.get(Certificate, certificate_id)
        if row is None or row.is_deleted or row.enterprise_id != enterprise_id:
            raise NotFoundError(tr("record.not_found", record_id=certificate_id))
        changed_fields = row.assign(clean)
        if changed_fields:  # saving an unchanged form writes nothing
            uow.record(row, "institution.certificate.update", {"fields": changed_fields})
    else:
        row = Certificate(id=new_certificate_id or new_id(), enterprise_id=enterprise_id, **clean)
        uow.record(row, "institution.certificate.create",
                   {"kind": row.kind, "number": row.number,
                    "expires_on": row.expires_on.isoformat()})
    return row


def save_certificate(store: Store, actor: Actor, enterprise_id: str, data: CertificateInput, *,
                     certificate_id: str | None = None) -> OpResult:
    """Record a certificate (its expiry date is required), or correct one."""
    with store.unit_of_work(actor) as uow:
        row = save_certificate_in(uow, enterprise_id, data, certificate_id=certificate_id)
        uow.commit()
    return OpResult(changed(CERTIFICATE_RECORD, row.id), row.id)


@dataclass(frozen=True)
class CertificateRow:
    id: str
    enterprise_id: str
    institution: str
    staff_member_id: str | None
    holder: str            # the person's name, or the institution's
    kind: str
    number: str
    issued_on: date | None
    expires_on: date
    state: str             # expired | expiring | valid


def _rows(session: Session, today: date, *conditions: object) -> list[CertificateRow]:
    stmt = (select(Certificate, Enterprise.name, StaffMember.name)
            .join(Enterprise, Enterprise.id == Certificate.enterprise_id)
            .outerjoin(StaffMember, StaffMember.id == Certificate.staff_member_id)
            .where(Certificate.deleted_at.is_(None), *conditions)
            .order_by(Certificate.expires_on, Certificate.id))
    return [CertificateRow(c.id, c.enterprise_id, ent, c.staff_member_id, person or ent, c.kind,
                           c.number, c.issued_on, c.expires_on,
                           certificate_state(c.expires_on, today))
            for c, ent, person in session.execute(stmt)]


def list_certificates(session: Session, enterprise_id: str, today: date) -> list[CertificateRow]:
    """An institution's certificates, soonest expiry first, each with its state on ``today``."""
    return _rows(session, today, Certificate.enterprise_id == enterprise_id)


def expired_certificates(session: Session, today: date) -> list[CertificateRow]:
    """Every certificate whose expiry date is before ``today``."""
    return _rows(session, today, Certificate.expires_on < today,
                 Enterprise.deleted_at.is_(None))


def expiring_certificates(session: Session, today: date) -> list[CertificateRow]:
    """Every certificate still valid on ``today`` that expires within the data's window."""
    window = today + timedelta(days=load_certificate_kinds().expiring_soon_days)
    return _rows(session, today, Certificate.expires_on >= today,
                 Certificate.expires_on <= window, Enterprise.deleted_at.is_(None))
