"""Enterprise registry services: validation, one-transaction writes, soft delete and undo."""

from __future__ import annotations

import json

import pytest

from ohinspect.errors import ValidationError
from ohinspect.services.drafts import load_draft, save_draft
from ohinspect.services.enterprise_import import ImportRejected, import_enterprises
from ohinspect.services.enterprise_queries import (UNCLASSIFIED, EnterpriseFilter, fetch_rows,
                                                   search_ids)
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import (create_enterprise, delete_enterprise,
                                            update_enterprise)
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.models import AuditEntry, Enterprise, OutboxEntry

GOOD_USCC = make_uscc("9", "1", "621024", "MA71BC01")


def _input(**over: object) -> EnterpriseInput:
    base = dict(name="合水县示例水泥有限公司", uscc=GOOD_USCC, division_code="621024",
                industry_code="3011", workforce="120", exposed_count="80",
                hazard_codes=["dust.cement", "phys.noise"], risk_class="severe",
                risk_rule_set="nhc-2021", contact_phone="0934-5551234")
    base.update(over)
    return EnterpriseInput(**base)  # type: ignore[arg-type]


def _counts(store) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return (s.query(Enterprise).count(), s.query(OutboxEntry).count(),
                s.query(AuditEntry).count())


def test_create_writes_record_outbox_and_audit(store, actor) -> None:
    result = create_enterprise(store, actor, _input())
    assert result.changes.touches("enterprise") and result.record_id
    assert _counts(store) == (1, 1, 2)
    with store.read() as s:
        ent = s.get(Enterprise, result.record_id)
        assert ent.workforce == 120 and ent.exposed_count == 80
        assert ent.hazard_codes == ["dust.cement", "phys.noise"]


def test_missing_fields_named_and_nothing_saved(store, actor) -> None:
    before = _counts(store)
    with pytest.raises(ValidationError) as err:
        create_enterprise(store, actor, EnterpriseInput())
    assert {p.field for p in err.value.problems} == {"name", "uscc", "division_code"}
    assert all(p.message == "必填。" for p in err.value.problems)
    assert _counts(store) == before


def test_bad_check_character_warns_and_needs_a_reason(store, actor) -> None:
    wrong = GOOD_USCC[:-1] + ("0" if GOOD_USCC[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        create_enterprise(store, actor, _input(uscc=wrong))
    [problem] = err.value.problems
    assert problem.field == "uscc" and problem.overridable
    assert GOOD_USCC[-1] in problem.message  # tells the expected check character
    result = create_enterprise(store, actor, _input(uscc=wrong,
                                                    uscc_override_reason="与营业执照原件一致"))
    with store.read() as s:
        assert s.get(Enterprise, result.record_id).uscc_override_reason == "与营业执照原件一致"
        audit = s.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
        assert json.loads(audit.details)["uscc_override_reason"] == "与营业执照原件一致"


def test_malformed_code_cannot_be_overridden(store, actor) -> None:
    with pytest.raises(ValidationError) as err:
        create_enterprise(store, actor, _input(uscc="91621024MA71BCO1IX", uscc_override_reason="x"))
    assert any(p.field == "uscc" and not p.overridable for p in err.value.problems)


@pytest.mark.parametrize("field, value, fragment", [
    ("division_code", "629999", "不在内置的 GB/T 2260 区划表"),
    ("industry_code", "9999", "不在 GB/T 4754-2017"),
    ("exposed_count", "500", "不能多于职工总数"),
    ("workforce", "-3", "不能为负数"),
    ("workforce", "很多", "请填写整数"),
    ("contact_phone", "call me", "电话号码格式"),
    ("hazard_codes", ["chem.unobtainium"], "分类目录"),
    ("risk_class", "heavier", "不属于所选依据"),
])
def test_specific_message_per_field(store, actor, field: str, value: object, fragment: str) -> None:
    before = _counts(store)
    with pytest.raises(ValidationError) as err:
        create_enterprise(store, actor, _input(**{field: value}))
    problems = [p for p in err.value.problems]
    assert any(fragment in p.message for p in problems), problems
    target = "exposed_count" if field == "exposed_count" else field
    assert any(p.field == target for p in problems)
    assert _counts(store) == before


def test_duplicate_code_refused(store, actor) -> None:
    create_enterprise(store, actor, _input())
    with pytest.raises(ValidationError, match="已有单位使用"):
        create_enterprise(store, actor, _input(name="另一家"))


def test_update_audits_changed_fields_and_undo_restores(store, actor) -> None:
    rid = create_enterprise(store, actor, _input()).record_id
    result = update_enterprise(store, actor, rid, _input(contact_person="王建国", workforce="130"))
    with store.read() as s:
        audit = s.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
        assert json.loads(audit.details)["fields"] == ["contact_person", "workforce"]
    assert result.undo is not None and "修改" in result.undo.label
    result.undo.apply(store, actor)
    with store.read() as s:
        ent = s.get(Enterprise, rid)
        assert ent.contact_person == "" and ent.workforce == 120


def test_soft_delete_and_undo(store, actor) -> None:
    rid = create_enterprise(store, actor, _input()).record_id
    result = delete_enterprise(store, actor, rid)
    with store.read() as s:
        assert s.get(Enterprise, rid).deleted_at is not None
        assert s.query(OutboxEntry).order_by(OutboxEntry.id.desc()).first().operation == "delete"
        assert search_ids(s, EnterpriseFilter()) == []
        assert search_ids(s, EnterpriseFilter(show_deleted=True)) == [rid]
    with pytest.raises(ValidationError, match="已删除"):
        update_enterprise(store, actor, rid, _input())
    assert result.undo is not None and "删除" in result.undo.label
    result.undo.apply(store, actor)
    with store.read() as s:
        assert s.get(Enterprise, rid).deleted_at is None


def test_saving_discards_the_draft(store, actor) -> None:
    save_draft(store, "enterprise", "new", {"name": "合水县示例"})
    assert load_draft(store, "enterprise", "new").values == {"name": "合水县示例"}
    create_enterprise(store, actor, _input(), draft_key="new")
    assert load_draft(store, "enterprise", "new") is None


def test_failed_save_keeps_the_draft(store, actor) -> None:
    save_draft(store, "enterprise", "new", {"name": ""})
    with pytest.raises(ValidationError):
        create_enterprise(store, actor, EnterpriseInput(), draft_key="new")
    assert load_draft(store, "enterprise", "new").values == {"name": ""}


def _seed(store, actor) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = {
        "cement": _input(),
        "paint": _input(name="西峰区示例涂料有限公司", uscc=make_uscc("9", "1", "621002", "MA71BC02"),
                        division_code="621002", industry_code="2641", risk_class="general",
                        hazard_codes=["chem.toluene"]),
        "mine": _input(name="秦皇岛示例矿业有限公司", uscc=make_uscc("9", "1", "130302", "MA71BC03"),
                       division_code="130302", industry_code="0610", address="海港区某路1号"),
        "unclassified": _input(name="合水县待定分类制造厂", uscc=make_uscc("9", "1", "621024", "MA71BC04"),
                               industry_code="C", risk_class="", risk_rule_set=""),
    }
    import_enterprises(store, actor, [(None, v) for v in rows.values()])
    with store.read() as s:
        ids = search_ids(s, EnterpriseFilter())
        return {r.name: r.id for r in fetch_rows(s, ids)}


@pytest.mark.parametrize("flt, expected", [
    (EnterpriseFilter(text="涂料"), {"西峰区示例涂料有限公司"}),
    (EnterpriseFilter(text=make_uscc("9", "1", "130302", "MA71BC03")[:12]), {"秦皇岛示例矿业有限公司"}),
    (EnterpriseFilter(text="海港区"), {"秦皇岛示例矿业有限公司"}),
    (EnterpriseFilter(division="621000"), {"合水县示例水泥有限公司", "西峰区示例涂料有限公司",
                                           "合水县待定分类制造厂"}),
    (EnterpriseFilter(division="620000"), {"合水县示例水泥有限公司", "西峰区示例涂料有限公司",
                                           "合水县待定分类制造厂"}),
    (EnterpriseFilter(division="621024", text="示例"), {"合水县示例水泥有限公司"}),
    (EnterpriseFilter(industry="B"), {"秦皇岛示例矿业有限公司"}),
    (EnterpriseFilter(industry="C"), {"合水县示例水泥有限公司", "西峰区示例涂料有限公司",
                                      "合水县待定分类制造厂"}),
    (EnterpriseFilter(risk_class=UNCLASSIFIED), {"合水县待定分类制造厂"}),
    (EnterpriseFilter(industry="26"), {"西峰区示例涂料有限公司"}),
    (EnterpriseFilter(risk_class="general"), {"西峰区示例涂料有限公司"}),
    (EnterpriseFilter(text="100%_"), set()),
])
def test_search_filters(store, actor, flt: EnterpriseFilter, expected: set[str]) -> None:
    _seed(store, actor)
    with store.read() as s:
        assert {r.name for r in fetch_rows(s, search_ids(s, flt))} == expected


def test_search_is_ordered_by_name_and_fetch_keeps_order(store, actor) -> None:
    names = _seed(store, actor)
    with store.read() as s:
        ids = search_ids(s, EnterpriseFilter())
        rows = fetch_rows(s, list(reversed(ids)))
    assert [r.id for r in rows] == list(reversed(ids))
    assert sorted(names) == [r.name for r in reversed(rows)]


def test_import_with_bad_rows_imports_nothing(store, actor) -> None:
    items = [(None, _input()), (None, _input(name="")), (None, _input(name="重复", division_code="621024")),
             (None, _input(name="坏区划", uscc=make_uscc("9", "1", "621024", "MA71BC09"),
                           division_code="000000"))]
    before = _counts(store)
    with pytest.raises(ImportRejected) as err:
        import_enterprises(store, actor, items)
    assert [r.row for r in err.value.rows] == [2, 3, 4]
    assert "第 3 行" in str(err.value) and "与第 1 行" in str(err.value)
    assert _counts(store) == before
