"""Workplace and institution audits on the one checklist engine: starting (who may be audited
with what), grading once (a change needs a reason), signing (overall result from grading.yaml,
a rectification item per 不符合/基本符合 finding through open_item_in), listing."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ohinspect.errors import LockedRecordError, ValidationError
from ohinspect.services.audit_queries import AuditFilter, list_audit_records, list_audits
from ohinspect.services.audits import audit_templates, start_audit
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise
from ohinspect.services.inspection_queries import get_inspection_view
from ohinspect.services.inspections import (FindingInput, answer_item, local_today,
                                            sign_and_lock)
from ohinspect.services.numbering import ensure_demo_blocks
from ohinspect.standards.classifications import load_classifications
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.database import Store
from ohinspect.store.models import (AuditEntry, Inspection, RectificationEvent,
                                    RectificationItem)
from tests.unit.test_inspections import HEADER, answer_all, good_signatures, start


def _party(store: Store, actor, org_kind: str, n: int) -> str:  # type: ignore[no-untyped-def]
    return str(create_enterprise(store, actor, EnterpriseInput(
        name=f"合水县审核对象{n}", uscc=make_uscc("9", "1", "621024", f"MA71AU0{n}"),
        division_code="621024", industry_code="3011", risk_class="severe",
        risk_rule_set="nhc-2021", legal_representative="赵明", org_kind=org_kind)).record_id)


@pytest.fixture
def parties(store: Store, actor) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ensure_demo_blocks(store, actor, "621024", local_today().year)
    return {"employer": _party(store, actor, "employer", 1), "cdc": _party(store, actor, "cdc", 2)}


def _start(store, actor, parties, kind="institution_audit", who="cdc",  # type: ignore[no-untyped-def]
           template="institution_audit.cdc") -> str:
    return str(start_audit(store, actor, kind=kind, enterprise_id=parties[who],
                           template_id=template, header=HEADER).record_id)


def _view(store: Store, iid: str):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return get_inspection_view(s, iid)


def _count(store: Store, model) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _findings(store: Store, iid: str) -> list[FindingInput]:
    return _view(store, iid).proposed_findings()


# ------------------------------------------------------------------------------ templates


def test_audit_templates_are_for_known_org_kinds_and_use_grades() -> None:
    known = {c.code for c in load_classifications().org_kinds}
    workplace = audit_templates("workplace_audit")
    institution = audit_templates("institution_audit")
    assert [t.id for t in workplace] == ["workplace_audit.employer"]
    assert {k for t in institution for k in t.org_kinds} == known - {"employer"}
    for template in workplace + institution:
        assert set(template.org_kinds) <= known
        assert any(i.key for i in template.items), template.id
        for item in template.items:
            codes = template.answer_types[item.answer_type].codes()
            assert {"conform", "basically_conform", "not_conform"} <= set(codes), item.id
    sections = {i.section_en for i in audit_templates("institution_audit", "cdc")[0].items}
    assert {"Organisation", "Personnel", "Premises and environment", "Instruments",
            "Reference materials and standards", "Quality system", "On-site testing skill",
            "Blind samples"} <= sections
    assert [t.id for t in audit_templates("institution_audit", "technical_service")] == [
        "institution_audit.technical_service"]


# ---------------------------------------------------------------------------------- start


def test_start_an_institution_audit_snapshots_its_template(store: Store, actor, parties) -> None:  # type: ignore[no-untyped-def]
    iid = _start(store, actor, parties)
    v = _view(store, iid)
    ins = v.inspection
    assert (ins.kind, ins.project_id, ins.stage, ins.status) == ("institution_audit", None, "",
                                                                 "draft")
    assert (ins.template_id, ins.party_name) == ("institution_audit.cdc", "合水县审核对象2")
    assert v.template.org_kinds == ("cdc",) and v.items and ins.current_item == v.items[0].id
    assert v.project is None and v.stage is None


@pytest.mark.parametrize(("kind", "who", "template", "words"), [
    ("institution_audit", "employer", "institution_audit.cdc", ["是用人单位", "机构能力审核"]),
    ("workplace_audit", "cdc", "workplace_audit.employer", ["不是用人单位"]),
    ("workplace_audit", "employer", "institution_audit.cdc", ["不用于用人单位监督检查"]),
    ("institution_audit", "cdc", "institution_audit.diagnosis", ["不适用于", "疾病预防控制中心"]),
    ("institution_audit", "cdc", "institution_audit.nothing", ["不存在"]),
    ("verification", "cdc", "institution_audit.cdc", ["审核类型"]),
])
def test_start_refuses_the_wrong_party_or_template_and_writes_nothing(  # type: ignore[no-untyped-def]
        store: Store, actor, parties, kind: str, who: str, template: str, words: list[str]) -> None:
    before = _count(store, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        _start(store, actor, parties, kind, who, template)
    message = " ".join(p.message for p in caught.value.problems)
    for word in words:
        assert word in message, message
    assert _count(store, Inspection) == 0 and _count(store, AuditEntry) == before


# -------------------------------------------------------------------------------- grading


def test_grading_an_item_twice_is_refused_unless_it_is_an_explicit_change(  # type: ignore[no-untyped-def]
        store: Store, actor, parties) -> None:
    iid = _start(store, actor, parties)
    item = _view(store, iid).items[0].id
    answer_item(store, actor, iid, item, "basically_conform", "台账不全")
    answer_item(store, actor, iid, item, "basically_conform", "台账不全，缺2台")  # same grade: note
    with pytest.raises(ValidationError) as caught:
        answer_item(store, actor, iid, item, "not_conform")
    problem = caught.value.problems[0]
    assert problem.code == "audit.error.graded_twice"
    assert "已评定为“基本符合”" in problem.message and "“不符合”" in problem.message
    assert _view(store, iid).answer_of(item) == "basically_conform"   # nothing half-saved
    result = answer_item(store, actor, iid, item, "not_conform", "复核后确认",
                         change_reason="复核原始记录后更正")
    assert _view(store, iid).answer_of(item) == "not_conform"
    with store.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit.regrade")).one()
    details = json.loads(entry.details)
    assert (details["previous"], details["answer"]) == ("basically_conform", "not_conform")
    assert details["change_reason"] == "复核原始记录后更正"
    assert result.undo is not None   # undo is itself an explicit change, with its own reason
    result.undo.apply(store, actor)
    assert _view(store, iid).answer_of(item) == "basically_conform"


def test_a_verification_answer_may_still_be_given_again(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    item = _view(store, iid).items[0].id
    answer_item(store, actor, iid, item, "conform")
    answer_item(store, actor, iid, item, "not_conform")
    assert _view(store, iid).answer_of(item) == "not_conform"


# -------------------------------------------------------------------------------- signing


def _answer(store, actor, iid: str, grades: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    v = _view(store, iid)
    from tests.unit.test_inspections import photo
    from ohinspect.services.inspections import add_item_photo

    for n, item in enumerate(v.items):
        grade = grades.get(n, "conform")
        answer_item(store, actor, iid, item.id, grade, "现场查见问题" if grade != "conform" else "")
        if v.template.photo_required(item.id, grade):
            add_item_photo(store, actor, iid, item.id, photo(), "image/jpeg", "现场照片")


def test_signing_an_institution_audit_grades_it_and_opens_rectification_items(  # type: ignore[no-untyped-def]
        store: Store, actor, parties) -> None:
    iid = _start(store, actor, parties)
    items = _view(store, iid).items
    key = next(n for n, i in enumerate(items) if i.key)
    _answer(store, actor, iid, {key: "not_conform", key + 1: "basically_conform"})
    findings = _findings(store, iid)
    assert [f.item_id for f in findings] == [items[key].id, items[key + 1].id]
    sign_and_lock(store, actor, iid, good_signatures(), findings)
    v = _view(store, iid)
    assert v.locked and v.inspection.overall_result == "not_conform"   # a key item failed
    assert v.inspection.record_number and not v.inspection.opinion_number  # notice comes later
    assert [(f.source_type, f.item_id, f.status) for f in v.findings] == [
        ("audit", items[key].id, "open"), ("audit", items[key + 1].id, "open")]
    assert all(f.source_ref == v.inspection.record_number for f in v.findings)
    with store.read() as s:
        events = s.scalars(select(RectificationEvent)).all()
    assert sorted(e.item_id for e in events) == sorted(f.id for f in v.findings)
    assert {e.action for e in events} == {"opened"}
    with pytest.raises(LockedRecordError):
        answer_item(store, actor, iid, items[0].id, "not_conform", change_reason="x")


def test_workplace_audit_overall_results(store: Store, actor, parties) -> None:  # type: ignore[no-untyped-def]
    conform = _start(store, actor, parties, "workplace_audit", "employer",
                     "workplace_audit.employer")
    _answer(store, actor, conform, {})
    sign_and_lock(store, actor, conform, good_signatures(), [])
    assert _view(store, conform).inspection.overall_result == "conform"
    assert _view(store, conform).findings == []

    basic = _start(store, actor, parties, "workplace_audit", "employer",
                   "workplace_audit.employer")
    items = _view(store, basic).items
    plain = next(n for n, i in enumerate(items) if not i.key)
    _answer(store, actor, basic, {plain: "not_conform"})    # 1 of 24, not a key item
    sign_and_lock(store, actor, basic, good_signatures(), _findings(store, basic))
    assert _view(store, basic).inspection.overall_result == "basically_conform"


def test_signing_refuses_a_past_deadline_and_writes_nothing(  # type: ignore[no-untyped-def]
        store: Store, actor, parties) -> None:
    iid = _start(store, actor, parties)
    _answer(store, actor, iid, {0: "not_conform"})
    finding = _findings(store, iid)[0]
    finding.deadline = local_today() - timedelta(days=1)
    with pytest.raises(ValidationError, match="已过"):
        sign_and_lock(store, actor, iid, good_signatures(), [finding])
    assert _count(store, RectificationItem) == 0
    assert not _view(store, iid).locked and _view(store, iid).inspection.overall_result == ""


def test_verification_findings_are_opened_through_open_item_in(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    found = answer_all(store, actor, iid, findings=1)
    sign_and_lock(store, actor, iid, good_signatures(), _findings(store, iid))
    v = _view(store, iid)
    assert [(f.source_type, f.item_id) for f in v.findings] == [("inspection", found[0])]
    assert v.inspection.overall_result == "" and v.inspection.opinion_number
    with store.read() as s:
        assert s.scalars(select(RectificationEvent.action)).all() == ["opened"]


# -------------------------------------------------------------------------------- listing


def test_list_audits_with_filters(store: Store, actor, parties) -> None:  # type: ignore[no-untyped-def]
    a = _start(store, actor, parties)
    b = _start(store, actor, parties, "workplace_audit", "employer", "workplace_audit.employer")
    start(store, actor, n=3)   # a verification is not an audit
    with store.read() as s:
        assert {r.id for r in list_audits(s)} == {a, b}
        assert [r.id for r in list_audits(s, AuditFilter(kind="workplace_audit"))] == [b]
        assert [r.id for r in list_audits(s, AuditFilter(enterprise_id=parties["cdc"]))] == [a]
        assert [r.id for r in list_audits(s, AuditFilter(text="对象2"))] == [a]
        assert list_audits(s, AuditFilter(status="signed")) == []
        today = local_today()
        assert len(list_audits(s, AuditFilter(date_from=today, date_to=today))) == 2
        assert list_audits(s, AuditFilter(date_to=today - timedelta(days=1))) == []
        rows = list_audit_records(s)
    assert {r["kind"] for r in rows} == {"workplace_audit", "institution_audit"}
    assert {r["org_kind"] for r in rows} == {"employer", "cdc"}
    assert isinstance(date.fromisoformat(rows[0]["started_at"][:10]), date)
