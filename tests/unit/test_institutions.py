"""Institutions in the registry (org_kind) and their staff: validation, one unit of work each."""

from __future__ import annotations

import pytest

from ohinspect.errors import NotFoundError, ValidationError
from ohinspect.services.enterprise_queries import EnterpriseFilter, search_ids
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise, update_enterprise
from ohinspect.services.institutions import StaffInput, list_staff, save_staff
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.models import AuditEntry, Enterprise, StaffMember

COUNTY = "621024"


def make_enterprise(store, actor, name: str = "合水县疾病预防控制中心",  # type: ignore[no-untyped-def]
                    org_kind: str = "cdc", body: str = "MA71CD01") -> str:
    data = EnterpriseInput(name=name, uscc=make_uscc("1", "2", COUNTY, body),
                           division_code=COUNTY, org_kind=org_kind)
    return str(create_enterprise(store, actor, data).record_id)


def test_org_kind_defaults_to_employer_and_is_validated(store, actor) -> None:
    ent_id = make_enterprise(store, actor, "合水县某水泥厂", org_kind="", body="MA71CD02")
    with store.read() as s:
        assert s.get(Enterprise, ent_id).org_kind == "employer"
    with pytest.raises(ValidationError) as err:
        update_enterprise(store, actor, ent_id, EnterpriseInput(
            name="合水县某水泥厂", uscc=make_uscc("1", "2", COUNTY, "MA71CD02"),
            division_code=COUNTY, org_kind="hospital"))
    [problem] = err.value.for_field("org_kind")
    assert "hospital" in problem.message and "疾病预防控制中心" in problem.message
    with store.read() as s:
        assert s.get(Enterprise, ent_id).org_kind == "employer"


def test_enterprise_list_filters_by_org_kind(store, actor) -> None:
    cdc = make_enterprise(store, actor)
    employer = make_enterprise(store, actor, "合水县某水泥厂", org_kind="employer", body="MA71CD03")
    with store.read() as s:
        assert search_ids(s, EnterpriseFilter(org_kind="cdc")) == [cdc]
        assert search_ids(s, EnterpriseFilter(org_kind="employer")) == [employer]
        assert set(search_ids(s, EnterpriseFilter())) == {cdc, employer}


def test_staff_saved_and_corrected(store, actor) -> None:
    cdc = make_enterprise(store, actor)
    result = save_staff(store, actor, cdc, StaffInput(name="王丽", title="主管医师",
                                                      position="职业卫生科"))
    save_staff(store, actor, cdc, StaffInput(name="王丽", title="副主任医师"),
               staff_id=result.record_id)
    with store.read() as s:
        [person] = list_staff(s, cdc)
        assert (person.name, person.title, person.position) == ("王丽", "副主任医师", "")
        actions = [a.action for a in s.query(AuditEntry).order_by(AuditEntry.seq)]
    assert actions[-2:] == ["institution.staff.create", "institution.staff.update"]


def test_staff_refusals_write_nothing(store, actor) -> None:
    employer = make_enterprise(store, actor, "合水县某水泥厂", org_kind="employer", body="MA71CD04")
    cdc = make_enterprise(store, actor, body="MA71CD05")
    with pytest.raises(ValidationError) as err:
        save_staff(store, actor, employer, StaffInput(name="李强"))
    assert "合水县某水泥厂" in err.value.for_field("enterprise_id")[0].message
    with pytest.raises(ValidationError) as err:
        save_staff(store, actor, cdc, StaffInput(name="  "))
    assert err.value.for_field("name")
    with pytest.raises(NotFoundError):
        save_staff(store, actor, cdc, StaffInput(name="李强"), staff_id="nope")
    with store.read() as s:
        assert s.query(StaffMember).count() == 0


def test_saving_unchanged_institution_records_writes_nothing(store, actor) -> None:
    """Saving a staff member, certificate or instrument form without a change adds no outbox
    entry and no audit entry (as for enterprises and projects): nothing to sync or to audit."""
    from ohinspect.services.certificates import CertificateInput, save_certificate
    from ohinspect.services.instruments import InstrumentInput, save_instrument
    from ohinspect.store.models import OutboxEntry

    tsi = make_enterprise(store, actor, "甘肃某职业卫生技术服务有限公司", "technical_service")
    person = StaffInput(name="赵敏", title="工程师")
    staff_id = save_staff(store, actor, tsi, person).record_id
    cert = CertificateInput(kind="oh_technician", number="ZY-2024-001", expires_on="2027-06-30",
                            staff_member_id=staff_id)
    cert_id = save_certificate(store, actor, tsi, cert).record_id
    pump = InstrumentInput(asset_no="QC-2A-07", kind="sampling_pump", name="个体采样泵",
                           model="QC-2A", calibrated_on="2025-11-01", calibration_due="2026-10-31")
    pump_id = save_instrument(store, actor, tsi, pump).record_id

    def counts() -> tuple[int, int]:
        with store.read() as s:
            return s.query(OutboxEntry).count(), s.query(AuditEntry).count()

    before = counts()
    save_staff(store, actor, tsi, person, staff_id=staff_id)
    save_certificate(store, actor, tsi, cert, certificate_id=cert_id)
    save_instrument(store, actor, tsi, pump, instrument_id=pump_id)
    assert counts() == before
    save_instrument(store, actor, tsi, InstrumentInput(**{**pump.__dict__, "model": "QC-2B"}),
                    instrument_id=pump_id)
    assert counts() == (before[0] + 1, before[1] + 1)
