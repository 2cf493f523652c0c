"""Demo institutions (seed 002): the county CDC and two technical-service institutions, with
staff, certificates (one expired), instruments (one past its calibration — the pump QC-2A-07
used by the demo sampling, so its warning can be seen when a sample is recorded with it),
blind-sample results (one questionable), and one issued 责令改正通知书 from open demo
rectification items.

Deterministic and idempotent: uuid5 ids of fixed keys; dates counted from the demo reference
date; every record is written only when its id is not there yet.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from ohinspect.demo.enterprises import DEMO_COUNTY, DEMO_NAMESPACE
from ohinspect.demo.projects import REFERENCE_DATE
from ohinspect.services.blind_samples import BlindSampleInput, record_blind_sample_in
from ohinspect.services.certificates import CertificateInput, save_certificate_in
from ohinspect.services.enterprise_import import import_enterprises
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.institutions import StaffInput, save_staff_in
from ohinspect.services.instruments import InstrumentInput, save_instrument_in
from ohinspect.services.notices import create_notice_in, issue_notice_in
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (BlindSampleResult, Certificate, Enterprise, Instrument,
                                    Notice, RectificationItem, StaffMember)
from ohinspect.store.uow import Actor

CN = timezone(timedelta(hours=8))
NOTICE_ITEMS = 3


def _id(*parts: object) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, ":".join(str(p) for p in ("institutions", *parts))))


def _day(offset: int) -> date:
    return REFERENCE_DATE + timedelta(days=offset)


INSTITUTIONS = (  # key, name, org_kind, USCC body, address
    ("cdc", "合水县疾病预防控制中心", "cdc", "12621024", "合水县西华池镇南街 18 号"),
    ("tsi1", "庆阳陇原职业卫生技术服务有限公司", "technical_service", "MA74TK01",
     "合水县西华池镇工业集中区 6 号"),
    ("tsi2", "甘肃华康检测技术有限公司", "technical_service", "MA74TK02",
     "合水县西华池镇建设路 52 号"),
)
STAFF = {  # institution → (name, title, position, certificate kind, number, expiry offset)
    "cdc": (("马晓燕", "副主任医师", "职业卫生科科长", "diagnosis_physician", "ZD-2021-0412", 420),
            ("李建国", "主管技师", "理化检验室", "lab_analyst", "JY-2020-0188", -20)),
    "tsi1": (("王志强", "工程师", "技术负责人", "oh_technician", "ZW-2023-1107", 600),
             ("张丽娟", "助理工程师", "现场采样", "oh_technician", "ZW-2024-0356", 75)),
    "tsi2": (("刘海军", "高级工程师", "质量负责人", "oh_technician", "ZW-2022-0921", 300),),
}
INSTITUTION_CERTS = {"tsi1": ("oh_service_licence", "甘卫职技字〔2023〕第 017 号", 900),
                     "tsi2": ("cma", "232812050417", 500), "cdc": ("cma", "222812050033", 700)}
INSTRUMENTS = {  # institution → (asset no, kind, name, model, calibrated offset, due offset)
    "cdc": (("AWA5688-03", "sound_level_meter", "多功能声级计", "AWA5688", -200, 165),
            ("CDC-GC-01", "gas_chromatograph", "气相色谱仪", "GC-2014", -300, 430)),
    # QC-2A-07 is a pump of the demo sampling: its calibration ran out before the sampling days
    "tsi1": (("QC-2A-07", "dust_sampler", "个体粉尘采样器", "QC-2A", -395, -30),
             ("QC-2A-08", "dust_sampler", "个体粉尘采样器", "QC-2A", -100, 265),
             ("BL-200-01", "flow_calibrator", "电子皂膜流量计", "BL-200", -60, 305)),
    "tsi2": (("QC-1B-03", "sampling_pump", "个体采样泵", "QC-1B", -90, 275),
             ("HK-BAL-01", "analytical_balance", "电子分析天平", "AUW120D", -150, 215)),
}
BLIND = {  # institution → (analyte, unit, reported, assigned, σ_pt, scheme)
    "cdc": (("苯", "mg/m³", 10.9, 10.2, 0.6, "2026 年甘肃省职业卫生检测能力盲样考核"),),
    "tsi1": (("游离二氧化硅", "%", 12.6, 10.4, 1.0, "2026 年甘肃省职业卫生检测能力盲样考核"),
             ("铅", "mg/m³", 0.051, 0.048, 0.004, "2026 年甘肃省职业卫生检测能力盲样考核")),
    "tsi2": (("甲苯", "mg/m³", 52.0, 50.0, 3.0, "2026 年甘肃省职业卫生检测能力盲样考核"),),
}


def _institution_inputs() -> list[tuple[str | None, EnterpriseInput]]:
    return [(_id(key), EnterpriseInput(
        name=name, uscc=make_uscc("1" if kind == "cdc" else "9", "2" if kind == "cdc" else "1",
                                  DEMO_COUNTY, body),
        division_code=DEMO_COUNTY, address=address, org_kind=kind,
        contact_phone="0934-55%05d" % (i * 111), legal_representative=("周", "陈", "杨")[i - 1] + "某"))
        for i, (key, name, kind, body, address) in enumerate(INSTITUTIONS, start=1)]


def build_demo_institutions(store: Store, actor: Actor) -> OpResult:
    result = import_enterprises(store, actor, _institution_inputs())
    with store.unit_of_work(actor) as uow:
        s = uow.session
        for key, *_rest in INSTITUTIONS:
            ent = _id(key)
            for n, (name, title, position, kind, number, expiry) in enumerate(STAFF[key]):
                staff_id = _id(key, "staff", n)
                if s.get(StaffMember, staff_id) is None:
                    save_staff_in(uow, ent, StaffInput(name, title, position),
                                  new_staff_id=staff_id)
                cert_id = _id(key, "cert", n)
                if s.get(Certificate, cert_id) is None:
                    save_certificate_in(uow, ent, CertificateInput(
                        kind=kind, number=number, issued_on=_day(expiry - 5 * 365),
                        expires_on=_day(expiry), staff_member_id=staff_id),
                        new_certificate_id=cert_id)
            kind, number, expiry = INSTITUTION_CERTS[key]
            if s.get(Certificate, _id(key, "cert", "own")) is None:
                save_certificate_in(uow, ent, CertificateInput(
                    kind=kind, number=number, issued_on=_day(expiry - 6 * 365),
                    expires_on=_day(expiry)), new_certificate_id=_id(key, "cert", "own"))
            for asset, kind, name, model, calibrated, due in INSTRUMENTS[key]:
                if s.get(Instrument, _id(key, "instrument", asset)) is None:
                    save_instrument_in(uow, ent, InstrumentInput(
                        asset_no=asset, kind=kind, name=name, model=model,
                        serial_no=asset.replace("-", ""),
                        calibrated_on=_day(calibrated), calibration_due=_day(due),
                        certificate_no=f"JL{REFERENCE_DATE.year}-{asset}"),
                        new_instrument_id=_id(key, "instrument", asset))
            for n, (analyte, unit, reported, assigned, sigma, scheme) in enumerate(BLIND[key]):
                if s.get(BlindSampleResult, _id(key, "blind", n)) is None:
                    record_blind_sample_in(uow, ent, BlindSampleInput(
                        analyte=analyte, unit=unit, reported_value=reported,
                        assigned_value=assigned, sigma=sigma, scheme=scheme,
                        tested_on=_day(-40 + n)), new_result_id=_id(key, "blind", n))
        notice = _demo_notice(uow)
        uow.commit()
    ids = [_id(k) for k, *_r in INSTITUTIONS]
    changes = result.changes | changed(Enterprise.__record_type__, *ids)
    if notice:
        changes = changes | changed(Notice.__record_type__, notice)
    return OpResult(changes, ids[0])


def _demo_notice(uow) -> str | None:  # type: ignore[no-untyped-def]
    """One issued 责令改正通知书 from the open items of the first demo party that has some."""
    notice_id = _id("notice", 1)
    session = uow.session
    if session.get(Notice, notice_id) is not None:
        return None
    rows = list(session.scalars(
        select(RectificationItem).join(Enterprise, Enterprise.id == RectificationItem.enterprise_id)
        .where(RectificationItem.status == "open", RectificationItem.deleted_at.is_(None),
               Enterprise.division_code == DEMO_COUNTY)
        .order_by(RectificationItem.enterprise_id, RectificationItem.deadline,
                  RectificationItem.id)))
    if not rows:
        return None
    party = rows[0].enterprise_id
    items = [r for r in rows if r.enterprise_id == party][:NOTICE_ITEMS]
    issued = datetime.combine(_day(2), time(15, 30), CN)
    notice = create_notice_in(uow, kind="correction_order", enterprise_id=party,
                              inspection_id=items[0].source_id
                              if items[0].source_type == "inspection" else None,
                              item_ids=[i.id for i in items], deadline=_day(32),
                              today=_day(2), notice_id=notice_id)
    issue_notice_in(uow, notice.id, at=issued)
    return notice.id
