"""Demo rectification tracking, periodic reports and a blacklist decision (issue 5).

The 三同时 findings of :mod:`ohinspect.demo.projects` are the main source: of the demo's open
inspection items (by deadline), the most overdue is escalated, the next is corrected and closed
(销号, now on the 回头看 list), the next is corrected but fails its review (open again), the
next stays open and overdue, the last is corrected and awaits review. One new item has a
deadline well ahead (open, not overdue). The sampling exceedances opened when the demo tasks
were signed stay open awaiting a re-test. Periodic reports make employers due soon, overdue,
never reported, and one repeatedly overdue — which is blacklisted by a recorded decision.

Deterministic: every id is a uuid5 of a fixed key, every date counts from
:data:`~ohinspect.demo.projects.REFERENCE_DATE`; an action whose event exists is not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from sqlalchemy import select

from ohinspect.demo.projects import INSPECTORS, day, key_id, photo_png
from ohinspect.services.due_dates import ReportInput, add_report_in
from ohinspect.services.list_decisions import DecisionInput, record_decision_in
from ohinspect.services.rectification_actions import EvidenceFile, transition_in
from ohinspect.services.rectification_core import open_item_in
from ohinspect.store.changes import Changes, OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (Enterprise, Inspection, ListDecision, PeriodicReport,
                                    RectificationEvent, RectificationItem)
from ohinspect.store.uow import Actor, UnitOfWork

INSPECTOR, SUPERVISOR = INSPECTORS[0][0], INSPECTORS[2][0]
ENTERPRISE_CONTACT = "企业职业卫生管理员"
INSTITUTION = "甘肃陇原职业卫生技术服务有限公司"


@dataclass(frozen=True)
class Step:
    action: str
    offset: int              # days from the reference date
    role: str
    by_name: str
    note: str = ""
    photo: bool = False


CORRECT = Step("submit_correction", -8, "enterprise", ENTERPRISE_CONTACT,
               "已按要求整改，附整改后现场照片。", photo=True)
#: what happens to the open inspection items, in deadline order
PLANS: tuple[tuple[Step, ...], ...] = (
    (Step("escalate", -5, "supervisor", SUPERVISOR,
          "逾期未整改且未说明理由，移交稽查科立案调查。"),),
    (CORRECT, Step("review_pass", -3, "inspector", INSPECTOR, "现场复查：已整改到位，予以销号。")),
    (CORRECT, Step("review_fail", -2, "inspector", INSPECTOR,
                   "复查：照片不能证明整改，公示材料仍缺，继续整改。")),
    (),
    (CORRECT,),
)


def _do(uow: UnitOfWork, item_id: str, n: int, step: Step) -> bool:
    event_id = key_id("rectification", item_id, n, step.action)
    if uow.session.get(RectificationEvent, event_id) is not None:
        return False
    evidence = [EvidenceFile(photo_png(f"rect:{item_id}:{n}"), "image/png", "photo",
                             "整改后现场.png")] if step.photo else []
    transition_in(uow, item_id, step.action, role=step.role, by_name=step.by_name,
                  today=day(step.offset), note=step.note, evidence=evidence,
                  event_fixed_id=event_id,
                  attachment_ids=[key_id("rectification", item_id, n, "photo")] if step.photo
                  else ())
    return True


def _items(uow: UnitOfWork) -> Changes:
    changes = Changes()
    items = list(uow.session.scalars(select(RectificationItem).where(
        RectificationItem.source_type == "inspection", RectificationItem.deleted_at.is_(None))
        .order_by(RectificationItem.deadline, RectificationItem.id)))
    for item, plan in zip(items, PLANS):
        for n, step in enumerate(plan):
            if _do(uow, item.id, n, step):
                changes |= changed(RectificationItem.__record_type__, item.id)
    inspection = uow.session.scalars(select(Inspection).where(
        Inspection.locked_at.is_not(None), Inspection.kind == "three_simultaneities",
        Inspection.opinion_number != "")  # a record with findings (and its opinion) already
        .order_by(Inspection.record_number, Inspection.id)).first()
    if inspection is not None:
        item = open_item_in(
            uow, enterprise_id=inspection.enterprise_id, source_type="inspection",
            source_id=inspection.id, source_ref=inspection.record_number,
            finding="职业病防护设施维护检修制度未建立，检修记录缺失。",
            requirement="建立职业病防护设施维护检修制度，建立检修台账并按月记录。",
            legal_basis="《职业病防治法》第二十五条", deadline=day(365), today=day(-1),
            owner=inspection.party_representative,
            item_id_fixed=key_id("rectification", "open-ahead"))
        changes |= changed(RectificationItem.__record_type__, item.id)
    return changes


#: (enterprise position among the employers by id, kind, report-date offsets)
REPORTS = (
    (0, "test", (-330,)),                 # severe/general: due soon or not due
    (0, "evaluation", (-1000,)),
    (1, "test", (-420,)),                 # overdue (severe) / not due (general)
    (2, "test", (-1300, -800)),           # late once and overdue now → repeatedly overdue
    (3, "test", (-200,)),
)
BLACKLISTED = 2


def _reports(uow: UnitOfWork) -> Changes:
    changes = Changes()
    employers = list(uow.session.scalars(select(Enterprise).where(
        Enterprise.org_kind == "employer", Enterprise.deleted_at.is_(None),
        Enterprise.risk_class.in_(("severe", "general")))
        .order_by(Enterprise.risk_class.desc(), Enterprise.id)))
    if len(employers) <= max(r[0] for r in REPORTS):
        return changes
    for index, kind, offsets in REPORTS:
        ent = employers[index]
        for n, offset in enumerate(offsets):
            rid = key_id("periodic", ent.id, kind, n)
            if uow.session.get(PeriodicReport, rid) is not None:
                continue
            code = "JC" if kind == "test" else "PJ"
            add_report_in(uow, ReportInput(
                ent.id, kind, day(offset), f"LY-{code}-{day(offset):%Y%m}-{index:02d}{n}",
                INSTITUTION, "pass" if n or kind == "evaluation" else "partial"), day(0), rid)
            changes |= changed(PeriodicReport.__record_type__, rid)
    ent = employers[BLACKLISTED]
    decision_id = key_id("list_decision", ent.id, "blacklist")
    if uow.session.get(ListDecision, decision_id) is None:
        record_decision_in(uow, DecisionInput(
            ent.id, "blacklist", "add",
            "定期检测连续逾期（上次检测距今已超过两年），经责令限期改正仍未委托检测。",
            "合水县卫生健康局局务会", day(-10), "合卫健监决〔2026〕3号"), day(0), decision_id)
        changes |= changed(ListDecision.__record_type__, decision_id)
    return changes


def build_demo_rectification(store: Store, actor: Actor) -> OpResult:
    """Drive the demo's items through their states, add reports and a decision (idempotent)."""
    with store.unit_of_work(actor) as uow:
        changes = _items(uow) | _reports(uow)
        uow.commit()
    return OpResult(changes)

