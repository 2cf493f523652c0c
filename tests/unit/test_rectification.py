"""The contract every source uses (open_item_in): validated, written with its 'opened' event in
the caller's unit of work, refusals write nothing; open_items_for lists what is not closed."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from ohinspect.errors import ValidationError
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise
from ohinspect.services.rectification import EvidenceFile, item_events, open_item_in, open_items_for
from ohinspect.services.roster import add_inspector
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.database import Store
from ohinspect.store.models import (AuditEntry, Inspector, OutboxEntry, RectificationEvent,
                                    RectificationItem)

TODAY = date(2026, 3, 10)
CLOSER = "李振华"


def make_enterprise(store: Store, actor, n: int = 1, division: str = "621024",  # type: ignore[no-untyped-def]
                    risk_class: str = "severe") -> str:
    return str(create_enterprise(store, actor, EnterpriseInput(
        name=f"合水县整改测试有限公司{n}", uscc=make_uscc("9", "1", division, f"MA71R{n:03d}"),
        division_code=division, industry_code="3011", risk_class=risk_class,
        risk_rule_set="nhc-2021")).record_id)


def add_closer(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    """The authorised closer on the roster (once per store)."""
    with store.read() as s:
        if s.scalars(select(Inspector.id).where(Inspector.name == CLOSER)).first() is not None:
            return
    add_inspector(store, actor, CLOSER, "62102420190011", "621024")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 160)).save(out, format="JPEG")
    return out.getvalue()


def evidence() -> list[EvidenceFile]:
    return [EvidenceFile(jpeg(), "image/jpeg", "photo", "除尘器.jpg")]


def open_one(store: Store, actor, enterprise_id: str, *, deadline: date | None = None,  # type: ignore[no-untyped-def]
             requires_retest: bool = False, hazard_code: str = "", source_type: str = "audit",
             fixed: str | None = None, **overrides: object) -> str:
    values: dict[str, object] = dict(
        enterprise_id=enterprise_id, source_type=source_type, source_id="src-1",
        source_ref="合卫监〔2026〕1号", finding="粉碎岗位除尘设施未运行",
        requirement="修复除尘设施并保持正常运行", deadline=deadline or TODAY + timedelta(days=30),
        today=TODAY, legal_basis="《职业病防治法》第二十五条", owner="郑梅",
        requires_retest=requires_retest, hazard_code=hazard_code, item_id_fixed=fixed)
    values.update(overrides)
    with store.unit_of_work(actor) as uow:
        item = open_item_in(uow, **values)  # type: ignore[arg-type]
        uow.commit()
    return item.id


def count(store: Store, model: type) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_open_item_writes_the_item_and_its_opened_event(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor)
    item_id = open_one(store, actor, ent)
    with store.read() as s:
        item = s.get(RectificationItem, item_id)
        assert item is not None and item.status == "open" and item.deadline == TODAY + timedelta(30)
        assert item.source_type == "audit" and item.owner == "郑梅" and not item.requires_retest
        events = item_events(s, item_id)
        assert [(e.action, e.from_status, e.to_status, e.by_name) for e in events] == [
            ("opened", "", "open", "测试检查员")]
        assert [i.id for i in open_items_for(s, ent)] == [item_id]
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {"rectification.open", "rectification.opened"} <= actions
        types = set(s.scalars(select(OutboxEntry.record_type)))
        assert {"rectification_item", "rectification_event"} <= types


@pytest.mark.parametrize(("overrides", "field", "code"), [
    ({"deadline": TODAY - timedelta(days=1)}, "deadline", "rectification.error.deadline_past"),
    ({"deadline": None}, "deadline", "rectification.error.deadline_missing"),
    ({"finding": "  "}, "finding", "rectification.error.required"),
    ({"requirement": ""}, "requirement", "rectification.error.required"),
    ({"enterprise_id": "no-such"}, "enterprise_id", "rectification.error.enterprise_unknown"),
    ({"source_type": "rumour"}, "source_type", "rectification.error.source_type"),
    ({"source_id": ""}, "source_id", "rectification.error.required"),
    ({"requires_retest": True}, "hazard_code", "rectification.error.retest_needs_hazard"),
    ({"owner": "长" * 61}, "owner", "field.too_long"),
])
def test_bad_input_is_refused_with_a_specific_problem_and_nothing_written(
        store: Store, actor, overrides: dict[str, object], field: str, code: str) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor)
    with store.unit_of_work(actor) as uow:
        values: dict[str, object] = dict(
            enterprise_id=ent, source_type="inspection", source_id="x", source_ref="",
            finding="未设置警示标识", requirement="设置警示标识", deadline=TODAY, today=TODAY)
        values.update(overrides)
        if values["deadline"] is None:
            values["deadline"] = "soon"
        with pytest.raises(ValidationError) as err:
            open_item_in(uow, **values)  # type: ignore[arg-type]
    assert [(p.field, p.code) for p in err.value.problems] == [(field, code)]
    assert err.value.problems[0].message and "rectification.error" not in err.value.problems[0].message
    assert count(store, RectificationItem) == 0 and count(store, RectificationEvent) == 0


def test_deadline_today_is_accepted_and_a_fixed_id_opens_once(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor)
    fixed = "00000000-0000-4000-8000-00000000a001"
    assert open_one(store, actor, ent, deadline=TODAY, fixed=fixed) == fixed
    assert open_one(store, actor, ent, deadline=TODAY, fixed=fixed) == fixed
    assert count(store, RectificationItem) == 1 and count(store, RectificationEvent) == 1


def test_open_items_for_leaves_out_closed_items_and_other_enterprises(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    from ohinspect.services.rectification import review, submit_correction

    add_closer(store, actor)
    ent, other = make_enterprise(store, actor, 1), make_enterprise(store, actor, 2)
    late = open_one(store, actor, ent, deadline=TODAY + timedelta(days=60))
    done = open_one(store, actor, ent)
    open_one(store, actor, other)
    submit_correction(store, actor, done, role="enterprise", by_name="郑梅", evidence=evidence(),
                      today=TODAY)
    review(store, actor, done, passed=True, role="inspector", by_name=CLOSER, today=TODAY)
    soon = open_one(store, actor, ent, deadline=TODAY + timedelta(days=5))
    with store.read() as s:
        assert [i.id for i in open_items_for(s, ent)] == [soon, late]
