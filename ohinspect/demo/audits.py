"""Demo audits (issue 5; seed 002): signed workplace audits of demo employers and signed capability
audits of the demo institutions (ohinspect/demo/institutions.py), graded through the same
checklist engine as the 三同时 verifications, with findings that open rectification items; and
one workplace audit left half done (resumable).

Deterministic and idempotent: uuid5 ids of fixed keys, dates counted from the demo reference
date, an audit written only when its id is not there yet. Each audit is one unit of work, as on
site; record numbers are taken in date order.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from ohinspect.demo.enterprises import DEMO_COUNTY, DEMO_NAMESPACE, demo_id
from ohinspect.demo.projects import AUTHORITY, INSPECTORS, moment, photo_png, signature_png
from ohinspect.services.audits import INSTITUTION_AUDIT, WORKPLACE_AUDIT, start_audit_in
from ohinspect.services.inspections import (FindingInput, InspectionHeader, SignatureInput,
                                            add_item_photo_in, answer_item_in,
                                            deadline_days_for, sign_and_lock_in, template_of)
from ohinspect.store.changes import Changes, OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Inspection
from ohinspect.store.uow import Actor, UnitOfWork

#: how many demo employers get a workplace audit (the first ones of the demo county)
EMPLOYERS = 3


@dataclass(frozen=True)
class DemoAudit:
    key: str
    kind: str
    #: an institution key of demo/institutions.py, or "employer:N" (the N-th demo employer of
    #: the demo county)
    party: str
    template_id: str
    day: int                                  # offset from the demo reference date
    grades: tuple[tuple[str, str, str], ...]  # (item id, grade, what was found)
    signed: bool = True


AUDITS = (
    DemoAudit("tsi1", INSTITUTION_AUDIT, "tsi1", "institution_audit.technical_service", -35, (
        ("ia.tsv.inst.calibration", "not_conform",
         "个体粉尘采样器 QC-2A-07 校准已过期（到期日早于本次审核），仍在现场使用。"),
        ("ia.tsv.staff.training", "basically_conform", "2026 年度培训计划已制定，考核记录不全。"),
    )),
    DemoAudit("tsi2", INSTITUTION_AUDIT, "tsi2", "institution_audit.technical_service", -28, (
        ("ia.tsv.svc.publish", "basically_conform", "部分报告未在网上公开现场照片。"),
    )),
    DemoAudit("cdc", INSTITUTION_AUDIT, "cdc", "institution_audit.cdc", -21, (
        ("ia.cdc.staff.certificates", "not_conform", "理化检验室李建国上岗证已过期。"),
        ("ia.cdc.qms.audit", "basically_conform", "2025 年管理评审报告未经最高管理者签发。"),
        ("ia.cdc.ref.materials", "basically_conform", "苯标准溶液领用记录缺 2 次。"),
    )),
    DemoAudit("employer0", WORKPLACE_AUDIT, "employer:0", "workplace_audit.employer", -50, (
        ("wa.fac.dust", "not_conform", "破碎工段除尘器风机停机，现场粉尘弥漫。"),
        ("wa.notice.signs", "basically_conform", "粉碎岗位警示标识褪色。"),
    )),
    DemoAudit("employer1", WORKPLACE_AUDIT, "employer:1", "workplace_audit.employer", -14, (
        ("wa.train.workers", "not_conform", "新入职 3 名工人未见上岗前培训记录。"),
    )),
    DemoAudit("employer2", WORKPLACE_AUDIT, "employer:2", "workplace_audit.employer", -7, (),
              signed=False),
)
#: items a workplace audit answers 不适用 (no occupational-disease case in the demo employers)
NOT_APPLICABLE = ("wa.case.report", "wa.case.diagnosis", "wa.case.treatment")


def _id(*parts: object) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, ":".join(str(p) for p in ("audits", *parts))))


def _institution_id(key: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, f"institutions:{key}"))  # demo/institutions.py's ids


def _county_employers(session: Session) -> list[str]:
    found: list[str] = []
    for index in range(200):
        ent = session.get(Enterprise, demo_id(index))
        if ent is None:
            break
        if ent.division_code == DEMO_COUNTY and ent.org_kind == "employer":
            found.append(ent.id)
            if len(found) == EMPLOYERS:
                break
    return found


def _party(session: Session, spec: DemoAudit) -> str | None:
    if spec.party.startswith("employer:"):
        employers = _county_employers(session)
        n = int(spec.party.split(":")[1])
        return employers[n] if n < len(employers) else None
    ent_id = _institution_id(spec.party)
    return ent_id if session.get(Enterprise, ent_id) is not None else None


def _audit(uow: UnitOfWork, spec: DemoAudit) -> str | None:
    session = uow.session
    ids: Callable[[str], str] = lambda k: _id(spec.key, k)  # noqa: E731
    if session.get(Inspection, ids("inspection")) is not None:
        return None
    party_id = _party(session, spec)
    if party_id is None:
        return None
    party = session.get(Enterprise, party_id)
    assert party is not None
    first, second = INSPECTORS[0], INSPECTORS[1]
    header = InspectionHeader(
        place=party.address, authority=AUTHORITY,
        inspectors=[{"name": first[0], "id_no": first[1]}, {"name": second[0], "id_no": second[1]}],
        recorder=second[0], party_representative=party.legal_representative,
        party_title="法定代表人", summary="依据检查表逐项核查，查阅资料并现场查看。")
    start = moment(spec.day, 9, 0)
    insp = start_audit_in(uow, kind=spec.kind, enterprise_id=party_id,
                          template_id=spec.template_id, header=header, at=start, ids=ids)
    template = template_of(insp)
    items = template.applicable_items({})
    found = {item_id: (grade, note) for item_id, grade, note in spec.grades}
    to_answer = items if spec.signed else items[: len(items) // 2]
    for n, item in enumerate(to_answer):
        kind = template.answer_types[item.answer_type]
        grade, note = found.get(item.id, ("conform", ""))
        if item.id in NOT_APPLICABLE and kind.option("not_applicable") is not None:
            grade, note = "not_applicable", "本单位未发现职业病病人或疑似职业病病人。"
        answer_item_in(uow, insp, item.id, grade, note, at=start + timedelta(minutes=5 * (n + 1)),
                       ids=ids)
        if template.photo_required(item.id, grade):
            add_item_photo_in(uow, insp, item.id, photo_png(f"audit:{spec.key}:{item.id}"),
                              "image/png", "现场照片", ids=ids)
    if not spec.signed:
        return insp.id
    signed_at = start + timedelta(minutes=5 * (len(items) + 3))
    today = signed_at.date()
    findings = [FindingInput(item.id, item.requirement_zh,
                             today + timedelta(days=deadline_days_for(template, item) or 0),
                             item.legal_basis)
                for item in items if template.is_finding(item.id, found.get(item.id, ("",))[0])]
    rep = party.legal_representative
    signatures = [SignatureInput("inspector", first[0], first[1], signature_png(first[0])),
                  SignatureInput("inspector", second[0], second[1], signature_png(second[0])),
                  SignatureInput("recorder", second[0], second[1], signature_png(second[0])),
                  SignatureInput("party", rep, image_png=signature_png(rep))]
    sign_and_lock_in(uow, insp, signatures, findings, at=signed_at, today=today, ids=ids,
                     fixed_attachment_ids=True)
    return insp.id


def build_demo_audits(store: Store, actor: Actor) -> OpResult:
    """Add the demo audits (idempotent); institutions and number blocks must exist already."""
    changes = Changes()
    for spec in sorted(AUDITS, key=lambda a: a.day):
        with store.unit_of_work(actor) as uow:
            made = _audit(uow, spec)
            uow.commit()
        if made:
            changes |= changed(Inspection.__record_type__, made)
    return OpResult(changes)


def demo_audit_ids(session: Session, *, signed: bool | None = None) -> list[str]:
    """The ids of the demo audits in the store, in AUDITS order (tests and screenshots)."""
    out = []
    for spec in AUDITS:
        insp = session.get(Inspection, _id(spec.key, "inspection"))
        if insp is not None and (signed is None or (insp.locked_at is not None) == signed):
            out.append(insp.id)
    return out
