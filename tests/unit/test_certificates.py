"""Certificates: an expiry date is required; expired and expiring-soon lists."""

from __future__ import annotations

from datetime import date

import pytest

from ohinspect.errors import ValidationError
from ohinspect.services.certificates import (CertificateInput, expired_certificates,
                                             expiring_certificates, list_certificates,
                                             load_certificate_kinds, save_certificate)
from ohinspect.services.institutions import StaffInput, save_staff
from ohinspect.store.models import Certificate
from tests.unit.test_institutions import make_enterprise

TODAY = date(2026, 6, 30)


def _person(store, actor, ent):  # type: ignore[no-untyped-def]
    return save_staff(store, actor, ent, StaffInput(name="赵敏", title="工程师")).record_id


def test_certificate_without_expiry_is_refused_with_its_own_message(store, actor) -> None:
    ent = make_enterprise(store, actor)
    person = _person(store, actor, ent)
    with pytest.raises(ValidationError) as err:
        save_certificate(store, actor, ent, CertificateInput(
            kind="oh_technician", number="ZY-2024-001", staff_member_id=person))
    [problem] = err.value.problems
    assert problem.field == "expires_on" and "没有有效期的证书不予登记" in problem.message
    with store.read() as s:
        assert s.query(Certificate).count() == 0


def test_other_refusals(store, actor) -> None:
    ent = make_enterprise(store, actor)
    with pytest.raises(ValidationError) as err:
        save_certificate(store, actor, ent, CertificateInput(
            kind="oh_technician", number="X1", expires_on="2027-01-01"))
    assert err.value.for_field("staff_member_id")          # a personal certificate needs a person
    with pytest.raises(ValidationError) as err:
        save_certificate(store, actor, ent, CertificateInput(
            kind="cma", number="X2", issued_on="2026-01-01", expires_on="2025-12-31"))
    assert "2025-12-31" in err.value.for_field("expires_on")[0].message
    with pytest.raises(ValidationError) as err:
        save_certificate(store, actor, ent, CertificateInput(
            kind="passport", number="X3", expires_on="31.12.2027"))
    assert err.value.for_field("kind") and "31.12.2027" in err.value.for_field("expires_on")[0].message


def test_states_and_lists(store, actor) -> None:
    ent = make_enterprise(store, actor)
    person = _person(store, actor, ent)
    window = load_certificate_kinds().expiring_soon_days
    assert window == 90
    save_certificate(store, actor, ent, CertificateInput(
        kind="oh_technician", number="A-expired", expires_on=date(2026, 6, 29),
        staff_member_id=person))
    save_certificate(store, actor, ent, CertificateInput(
        kind="cma", number="B-today", expires_on=TODAY))     # valid through its last day
    save_certificate(store, actor, ent, CertificateInput(
        kind="oh_service_licence", number="C-edge", expires_on=date(2026, 9, 28)))  # +90 days
    save_certificate(store, actor, ent, CertificateInput(
        kind="lab_analyst", number="D-valid", expires_on=date(2026, 9, 29),
        staff_member_id=person))
    with store.read() as s:
        rows = list_certificates(s, ent, TODAY)
        assert [(r.number, r.state) for r in rows] == [
            ("A-expired", "expired"), ("B-today", "expiring"), ("C-edge", "expiring"),
            ("D-valid", "valid")]
        assert rows[0].holder == "赵敏" and rows[1].holder == "合水县疾病预防控制中心"
        assert [r.number for r in expired_certificates(s, TODAY)] == ["A-expired"]
        assert [r.number for r in expiring_certificates(s, TODAY)] == ["B-today", "C-edge"]
