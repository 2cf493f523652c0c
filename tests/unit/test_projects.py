"""Construction projects and their stages: per-field validation, stage date order, queries and
the ``list`` kinds."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from ohinspect.errors import NotFoundError, ValidationError
from ohinspect.i18n import set_language
from ohinspect.services import projects as projects_mod
from ohinspect.services.attachments import add_attachment
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise, delete_enterprise
from ohinspect.services.listing import LISTINGS, resolve_kind
from ohinspect.services.project_queries import (PROJECT_ATTACHMENTS, ProjectFilter,
                                                get_project_detail, list_projects)
from ohinspect.services.projects import (ProjectInput, StageInput, create_project,
                                         delete_project, save_stage, update_project)
from ohinspect.services.roster import add_inspector
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.models import AuditEntry, Inspection, OutboxEntry, Project, ProjectStage

TODAY = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(projects_mod, "_today", lambda: TODAY)


def _enterprise(store, actor, risk_class: str = "severe", n: int = 1, division: str = "621024") -> str:  # type: ignore[no-untyped-def]
    data = EnterpriseInput(name=f"合水县示例化工有限公司{n}", uscc=make_uscc("9", "1", division, f"MA71BC0{n}"),
                           division_code=division, industry_code="2614",
                           risk_class=risk_class, risk_rule_set="nhc-2021" if risk_class else "")
    return str(create_enterprise(store, actor, data).record_id)


def _input(enterprise_id: str, **over: object) -> ProjectInput:
    base: dict[str, object] = dict(
        enterprise_id=enterprise_id, name="年产5万吨甲醇扩建项目", location="合水县西华池镇工业园",
        division_code="621024", investment_yuan="12,000,000", industry_code="2614",
        nature="expansion", hazard_codes=["chem.methanol", "phys.noise", "phys.noise"],
        risk_class="severe", risk_rule_set="nhc-2021")
    base.update(over)
    return ProjectInput(**base)  # type: ignore[arg-type]


def _problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in exc.value.problems:
        found.setdefault(p.field, []).append(p.message)
    return found


# ----------------------------------------------------------------------------- projects

def test_create_cleans_values_and_writes_record_outbox_audit(store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor)
    result = create_project(store, actor, _input(ent, industry_code="2614 "))
    assert result.changes.touches("project") and result.record_id
    with store.read() as s:
        p = s.get(Project, result.record_id)
        assert p.investment_yuan == 12_000_000
        assert p.hazard_codes == ["chem.methanol", "phys.noise"]
        assert (p.industry_code, p.nature, p.risk_class, p.risk_rule_set) == (
            "2614", "expansion", "severe", "nhc-2021")
        assert s.query(OutboxEntry).filter_by(record_type="project").count() == 1
        assert s.query(AuditEntry).filter_by(action="project.create").count() == 1


def test_required_fields_named_and_nothing_saved(store, actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        create_project(store, actor, ProjectInput())
    assert _problems(err) == {"enterprise_id": ["必填。"], "name": ["必填。"],
                              "division_code": ["必填。"]}
    with store.read() as s:
        assert s.query(Project).count() == 0


def test_every_bad_field_gets_its_own_message(store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor)
    bad = _input(ent, division_code="999999", industry_code="9999", nature="rebuild",
                 hazard_codes=["dust.no_such"], risk_class="heavier", investment_yuan="12.5")
    with pytest.raises(ValidationError) as err:
        create_project(store, actor, bad)
    found = _problems(err)
    assert found["division_code"] == ["行政区划代码 999999 不在内置的 GB/T 2260 区划表中。"]
    assert found["industry_code"] == ["行业代码 9999 不在 GB/T 4754-2017 表中。"]
    assert found["nature"] == ["未知的建设性质“rebuild”。可选：新建、扩建、改建、技术改造。"]
    assert found["hazard_codes"] == ["危害因素代码 dust.no_such 不在《职业病危害因素分类目录》中。"]
    assert "较重" not in found["risk_class"][0] and "heavier" in found["risk_class"][0]
    assert found["investment_yuan"] == ["总投资须为以元计的整数（不含小数和单位）。"]
    set_language("en")
    with pytest.raises(ValidationError) as err_en:
        create_project(store, actor, _input(ent, investment_yuan=-5))
    assert _problems(err_en) == {"investment_yuan": ["The total investment cannot be negative."]}


@pytest.mark.parametrize("value, expected", [(0, 0), ("  3 500 000 ", 3_500_000), (None, None),
                                             ("", None), (7.0, 7)])
def test_investment_whole_yuan_accepted(store, actor, value, expected) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor)
    pid = create_project(store, actor, _input(ent, investment_yuan=value)).record_id
    with store.read() as s:
        assert s.get(Project, pid).investment_yuan == expected


@pytest.mark.parametrize("value", ["1e6", "12.50", "五百万", True, 3.5])
def test_investment_not_whole_refused(store, actor, value) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor)
    with pytest.raises(ValidationError) as err:
        create_project(store, actor, _input(ent, investment_yuan=value))
    assert [p.code for p in err.value.problems] == ["project.error.investment_not_whole"]


def test_enterprise_must_exist_and_be_live(store, actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        create_project(store, actor, _input("00000000-0000-0000-0000-000000000000"))
    assert _problems(err) == {"enterprise_id": ["找不到所选建设单位，请从用人单位名录中选择。"]}
    ent = _enterprise(store, actor)
    delete_enterprise(store, actor, ent)
    with pytest.raises(ValidationError) as err:
        create_project(store, actor, _input(ent))
    assert "合水县示例化工有限公司1" in _problems(err)["enterprise_id"][0]


def test_class_lower_than_enterprise_needs_a_reason(store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor, "severe")
    with pytest.raises(ValidationError) as err:
        create_project(store, actor, _input(ent, risk_class="general"))
    [problem] = err.value.problems
    assert problem.field == "risk_override_reason" and problem.overridable
    assert problem.message == "项目的风险分类（一般）低于建设单位登记的分类（严重），请填写调整理由。"
    reason = "本项目仅为办公楼扩建，不涉及生产工艺"
    pid = create_project(store, actor, _input(ent, risk_class="general",
                                              risk_override_reason=reason)).record_id
    with store.read() as s:
        assert s.get(Project, pid).risk_override_reason == reason
        audit = s.query(AuditEntry).filter_by(action="project.create", record_id=pid).one()
        assert reason in audit.details


def test_higher_or_equal_class_needs_no_reason_and_equal_clears_stale_one(store, actor) -> None:  # type: ignore[no-untyped-def]
    general_ent = _enterprise(store, actor, "general", n=2)
    raised = create_project(store, actor, _input(general_ent, risk_class="severe")).record_id
    severe_ent = _enterprise(store, actor, "severe", n=3)
    same = create_project(store, actor, _input(severe_ent, risk_override_reason="旧理由")).record_id
    with store.read() as s:
        assert s.get(Project, raised).risk_class == "severe"
        assert s.get(Project, same).risk_override_reason == ""


def test_class_without_rule_set_gets_the_default_rule_set(store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor)
    pid = create_project(store, actor, _input(ent, risk_rule_set="")).record_id
    with store.read() as s:
        assert s.get(Project, pid).risk_rule_set == "nhc-2021"


def test_update_changes_fields_and_undo_restores(store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor)
    pid = str(create_project(store, actor, _input(ent)).record_id)
    result = update_project(store, actor, pid, _input(ent, name="甲醇扩建项目（二期）", investment_yuan=9))
    with store.read() as s:
        p = s.get(Project, pid)
        assert (p.name, p.investment_yuan) == ("甲醇扩建项目（二期）", 9)
        details = s.query(AuditEntry).filter_by(action="project.update").one().details
        assert '"investment_yuan"' in details and '"name"' in details
    assert result.undo is not None
    result.undo.apply(store, actor)
    with store.read() as s:
        assert s.get(Project, pid).name == "年产5万吨甲醇扩建项目"
    # nothing changed: no audit entry, no undo
    assert update_project(store, actor, pid, _input(ent)).undo is None


def test_deleted_or_missing_project_cannot_be_updated(store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor)
    pid = str(create_project(store, actor, _input(ent)).record_id)
    delete_project(store, actor, pid)
    with pytest.raises(ValidationError) as err:
        update_project(store, actor, pid, _input(ent))
    assert err.value.problems[0].code == "project.error.deleted"
    with pytest.raises(NotFoundError):
        update_project(store, actor, "nope", _input(ent))


# ----------------------------------------------------------------------------- stages

def _project(store, actor, **over: object) -> str:  # type: ignore[no-untyped-def]
    ent = _enterprise(store, actor, n=int(str(over.pop("n", 1))))
    return str(create_project(store, actor, _input(ent, **over)).record_id)


def _stage(store, actor, pid: str, stage: str, start: str | None, end: str | None, **over: object):  # type: ignore[no-untyped-def]
    return save_stage(store, actor, pid, stage, StageInput(started_on=start, completed_on=end, **over))  # type: ignore[arg-type]


def _all_stages_in_order(store, actor, pid: str) -> None:  # type: ignore[no-untyped-def]
    _stage(store, actor, pid, "pre_assessment", "2024-01-05", "2024-02-20")
    _stage(store, actor, pid, "design", "2024-03-01", "2024-04-15")
    _stage(store, actor, pid, "control_effect", "2024-09-01", "2024-12-20")
    _stage(store, actor, pid, "acceptance", "2025-01-10", "2025-01-25")


def test_stage_create_then_update_stores_facts_and_reviewers(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    _stage(store, actor, pid, "pre_assessment", "2024-01-05", "2024-02-20")
    _stage(store, actor, pid, "design", "2024-03-01", "2024-04-15")
    first = _stage(store, actor, pid, "control_effect", date(2024, 9, 1), None,
                   institution="甘肃某职业卫生技术服务有限公司", facts={"trial_run_days": "90"},
                   reviewers=[{"name": " 张三 ", "title": "主任医师", "external": 1}])
    assert first.changes.touches("project_stage") and first.changes.touches("project")
    assert first.undo is None
    second = _stage(store, actor, pid, "control_effect", "2024-09-01", "2024-12-20",
                    institution="甘肃某职业卫生技术服务有限公司", facts={"trial_run_days": 90},
                    reviewers=[{"name": "张三", "title": "主任医师", "external": True}],
                    published=True, publication_evidence="官网公示截图")
    assert second.record_id == first.record_id
    with store.read() as s:
        st = s.get(ProjectStage, first.record_id)
        assert st.facts == {"trial_run_days": 90}
        assert st.reviewers == [{"name": "张三", "title": "主任医师", "external": True}]
        assert (st.completed_on, st.published) == (date(2024, 12, 20), True)
        actions = [a for (a,) in s.query(AuditEntry.action).filter(
            AuditEntry.record_id == first.record_id).order_by(AuditEntry.seq)]
        assert actions == ["project_stage.create", "project_stage.update"]
    assert second.undo is not None
    second.undo.apply(store, actor)
    with store.read() as s:
        assert s.get(ProjectStage, first.record_id).completed_on is None


def test_completed_before_started_is_refused(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "pre_assessment", "2024-03-01", "2024-02-01")
    assert _problems(err) == {"completed_on": ["完成日期（2024-02-01）早于开始日期（2024-03-01）。"]}


def test_future_dates_are_refused(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "pre_assessment", "2025-06-30", "2025-07-01")
    assert _problems(err) == {"completed_on": ["日期 2025-07-01 在今天之后，只能登记已发生的日期。"]}


def test_bad_date_text_and_unknown_stage(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "pre_assessment", "2024-02-30", None)
    assert err.value.problems[0].field == "started_on"
    assert "2024-02-30" in err.value.problems[0].message
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "construction", "2024-01-01", None)
    assert err.value.problems[0].field == "stage"


def test_acceptance_before_control_effect_evaluation_is_refused(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    _stage(store, actor, pid, "pre_assessment", "2024-01-05", "2024-02-20")
    _stage(store, actor, pid, "design", "2024-03-01", "2024-04-15")
    _stage(store, actor, pid, "control_effect", "2024-09-01", "2024-12-20")
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "acceptance", "2024-11-01", "2024-12-01",
               out_of_order_reason="验收方案提前报送")
    messages = _problems(err)["completed_on"]
    assert messages == ["竣工验收的完成日期（2024-12-01）早于控制效果评价的完成日期（2024-12-20），"
                        "顺序不可能如此，请核对日期。"]
    # the same impossibility seen from the earlier stage
    _stage(store, actor, pid, "acceptance", "2025-01-10", "2025-01-25")
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "control_effect", "2024-09-01", "2025-02-01")
    assert err.value.problems[0].code == "stage.error.completed_after_later"


def test_stage_begun_before_previous_is_completed_needs_a_reason(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "design", "2024-03-01", None)
    [problem] = err.value.problems
    assert problem.field == "out_of_order_reason" and problem.overridable
    assert problem.message == "预评价尚未完成就开始了防护设施设计，请填写未按顺序开展的原因。"

    _stage(store, actor, pid, "pre_assessment", "2024-01-05", "2024-03-10")
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "design", "2024-03-01", None)
    assert err.value.problems[0].message == (
        "防护设施设计（2024-03-01）早于预评价的完成日期（2024-03-10），请填写未按顺序开展的原因。")
    reason = "设计单位根据预评价初稿提前开展"
    sid = _stage(store, actor, pid, "design", "2024-03-01", None, out_of_order_reason=reason).record_id
    with store.read() as s:
        assert s.get(ProjectStage, sid).out_of_order_reason == reason
        assert reason in s.query(AuditEntry).filter_by(record_id=sid).one().details
    # once in order, a stale reason is not kept
    _stage(store, actor, pid, "design", "2024-03-11", None, out_of_order_reason=reason)
    with store.read() as s:
        assert s.get(ProjectStage, sid).out_of_order_reason == ""


def test_bad_facts_and_reviewers(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    with pytest.raises(ValidationError) as err:
        _stage(store, actor, pid, "pre_assessment", "2024-01-05", None,
               facts={"trial_run_days": -3}, reviewers=[{"name": "", "external": True}])
    assert {p.code for p in err.value.problems} == {"stage.error.trial_run_days",
                                                    "stage.error.reviewer_name"}


def test_stage_of_a_missing_project(store, actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError):
        _stage(store, actor, "no-such-project", "pre_assessment", "2024-01-05", None)


# ----------------------------------------------------------------------------- queries

def _lock_verification(store, actor, pid: str, stage: str) -> str:  # type: ignore[no-untyped-def]
    """A signed three_simultaneities inspection, written directly (the flow is A2's)."""
    with store.unit_of_work(actor) as uow:
        project = uow.session.get(Project, pid)
        now = datetime(2025, 2, 1, tzinfo=timezone.utc)
        insp = Inspection(kind="three_simultaneities", enterprise_id=project.enterprise_id,
                          project_id=pid, stage=stage, template_id="t", template_version=1,
                          template_snapshot={}, started_at=now, locked_at=now, status="signed")
        uow.record(insp, "inspection.start")
        uow.commit()
    return insp.id


def test_list_projects_filters_current_stage_and_verified(store, actor) -> None:  # type: ignore[no-untyped-def]
    done = _project(store, actor, n=1, name="甲醇项目", risk_class="severe")
    _all_stages_in_order(store, actor, done)
    _lock_verification(store, actor, done, "acceptance")
    early = _project(store, actor, n=2, name="水泥粉磨站项目", division_code="621002",
                     industry_code="3011", risk_class="general", risk_rule_set="nhc-2021",
                     risk_override_reason="粉磨站独立选址")
    _stage(store, actor, early, "pre_assessment", "2024-05-01", None)
    fresh = _project(store, actor, n=3, name="仓储项目", risk_class="severe")

    with store.read() as s:
        rows = {r.id: r for r in list_projects(s, ProjectFilter())}
        assert rows[done].current_stage == "acceptance"
        assert rows[done].verified_stages == ("acceptance",)
        assert rows[early].current_stage == "pre_assessment" and rows[early].verified_stages == ()
        assert rows[fresh].current_stage == ""
        assert rows[done].enterprise_name == "合水县示例化工有限公司1"
        assert [r.id for r in list_projects(s, ProjectFilter(stage="acceptance"))] == [done]
        assert [r.id for r in list_projects(s, ProjectFilter(risk_class="general"))] == [early]
        assert [r.id for r in list_projects(s, ProjectFilter(division="621024"))] == [fresh, done]
        assert [r.id for r in list_projects(s, ProjectFilter(division="621000"))] == [fresh, early, done]
        assert [r.id for r in list_projects(s, ProjectFilter(text="水泥"))] == [early]
        assert [r.id for r in list_projects(s, ProjectFilter(text="化工有限公司3"))] == [fresh]
    delete_project(store, actor, fresh)
    with store.read() as s:
        assert fresh not in {r.id for r in list_projects(s, ProjectFilter())}


def test_project_detail_is_complete_and_detached(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    _all_stages_in_order(store, actor, pid)
    insp = _lock_verification(store, actor, pid, "acceptance")
    with store.read() as s:
        stage_id = s.query(ProjectStage.id).filter_by(project_id=pid, stage="design").scalar()
    add_attachment(store, actor, "project_stage", stage_id, b"%PDF-1.4 design report",
                   kind="document", media_type="application/pdf", original_name="设计专篇.pdf")
    add_attachment(store, actor, "project", pid, b"%PDF-1.4 approval", kind="scan",
                   media_type="application/pdf")
    with store.read() as s:
        detail = get_project_detail(s, pid)
    # usable after the session is gone
    assert set(detail.stages) == {"pre_assessment", "design", "control_effect", "acceptance"}
    assert [a.original_name for a in detail.attachments["design"]] == ["设计专篇.pdf"]
    assert len(detail.attachments[PROJECT_ATTACHMENTS]) == 1
    assert detail.attachments["acceptance"] == []
    assert [i.id for i in detail.inspections] == [insp]
    assert detail.enterprise.name == "合水县示例化工有限公司1"
    assert detail.project.name == "年产5万吨甲醇扩建项目"
    with pytest.raises(NotFoundError), store.read() as s:
        get_project_detail(s, "missing")


def test_list_kinds_projects_and_inspectors(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = _project(store, actor)
    _all_stages_in_order(store, actor, pid)
    add_inspector(store, actor, "李四", "GS-0001", "621024", "合水县卫生健康局")
    assert resolve_kind("建设项目") == "projects" and resolve_kind("inspector") == "inspectors"
    with store.read() as s:
        [row] = LISTINGS["projects"](s, include_deleted=False, limit=0)
        [person] = LISTINGS["inspectors"](s, include_deleted=False, limit=0)
    assert row["id"] == pid and row["current_stage"] == "acceptance"
    assert row["enterprise_name"] == "合水县示例化工有限公司1" and row["investment_yuan"] == 12_000_000
    assert person["name"] == "李四" and person["id_no"] == "GS-0001"
    delete_project(store, actor, pid)
    with store.read() as s:
        assert LISTINGS["projects"](s, include_deleted=False, limit=0) == []
        assert LISTINGS["projects"](s, include_deleted=True, limit=0)[0]["deleted"] is True
