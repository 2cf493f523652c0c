"""Verification coverage (核查率) against the seed-004 targets, and the reproducible 双随机 draw."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from ohinspect.errors import ValidationError
from ohinspect.resources import load_resource
from ohinspect.services import coverage as coverage_mod
from ohinspect.services.coverage import (DRAW_ACTION, CoverageRow, load_targets, random_draw,
                                         required_count, verification_coverage)
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise
from ohinspect.services.projects import ProjectInput, create_project, delete_project
from ohinspect.services.roster import add_inspector, list_inspectors
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.models import AuditEntry, Inspection, ProjectStage

COUNTY, OTHER_COUNTY, CITY = "621024", "621002", "621000"


def _enterprise(store, actor) -> str:  # type: ignore[no-untyped-def]
    data = EnterpriseInput(name="合水县示例建材有限公司", uscc=make_uscc("9", "1", COUNTY, "MA71CC01"),
                           division_code=COUNTY)
    return str(create_enterprise(store, actor, data).record_id)


def _project(store, actor, ent: str, n: int, risk: str, *, accepted: date | None,  # type: ignore[no-untyped-def]
             started_only: bool = False, division: str = COUNTY, verified: bool = False,
             draft_inspection: bool = False) -> str:
    pid = str(create_project(store, actor, ProjectInput(
        enterprise_id=ent, name=f"项目{n:02d}", division_code=division, risk_class=risk,
        risk_rule_set="nhc-2021")).record_id)
    with store.unit_of_work(actor) as uow:
        if accepted:
            uow.record(ProjectStage(project_id=pid, stage="acceptance", started_on=accepted,
                                    completed_on=None if started_only else accepted),
                       "project_stage.create")
        for locked in ([True] if verified else []) + ([False] if draft_inspection else []):
            now = datetime(2024, 12, 1, tzinfo=timezone.utc)
            uow.record(Inspection(kind="three_simultaneities", enterprise_id=ent, project_id=pid,
                                  stage="acceptance", template_id="t", template_version=1,
                                  template_snapshot={}, started_at=now,
                                  locked_at=now if locked else None,
                                  status="signed" if locked else "draft"), "inspection.start")
        uow.commit()
    return pid


@pytest.fixture
def county(store, actor):  # type: ignore[no-untyped-def]
    """2024 in 合水县: 3 severe (2 verified), 10 general (1 verified, 1 only with a draft
    inspection), plus projects that must not count."""
    ent = _enterprise(store, actor)
    made: dict[str, list[str]] = {"severe": [], "general": [], "general_open": []}
    for n in range(3):
        made["severe"].append(_project(store, actor, ent, n, "severe", accepted=date(2024, 3, n + 1),
                                       verified=n < 2))
    for n in range(10):
        pid = _project(store, actor, ent, 10 + n, "general", accepted=date(2024, 5, n + 1),
                       verified=n == 0, draft_inspection=n == 1, started_only=n == 2)
        made["general"].append(pid)
        if n != 0:
            made["general_open"].append(pid)
    _project(store, actor, ent, 30, "general", accepted=date(2023, 12, 31))    # other year
    _project(store, actor, ent, 31, "general", accepted=None)                  # not accepted
    _project(store, actor, ent, 32, "general", accepted=date(2024, 6, 1), division=OTHER_COUNTY)
    gone = _project(store, actor, ent, 33, "general", accepted=date(2024, 6, 2))
    delete_project(store, actor, gone)
    for i, name in enumerate(("张一", "王二", "李三")):
        add_inspector(store, actor, name, f"GS-10{i}", COUNTY, "合水县卫生健康局")
    add_inspector(store, actor, "赵四", "GS-200", OTHER_COUNTY)
    return made


def test_targets_come_from_the_seed_004_data_file() -> None:
    meta = load_resource("standards/verification_targets.yaml")["meta"]
    assert "秦皇岛市2021年职业卫生监督工作要点" in meta["source"] and "004" in meta["source"]
    targets = load_targets(COUNTY)
    assert {k: float(v) for k, v in targets.targets.items()} == {"severe": 1.0, "general": 0.3}
    assert targets.draw_classes == ("general",) and targets.draw_inspectors == 2


def test_rates_and_shortfall_per_class(store, county) -> None:  # type: ignore[no-untyped-def]
    with store.read() as s:
        rows = verification_coverage(s, COUNTY, 2024)
    assert rows == [
        CoverageRow("severe", 3, 2, pytest.approx(2 / 3), 1.0, 1),
        # 30 % of 10 = 3 to verify, 1 verified
        CoverageRow("general", 10, 1, 0.1, 0.3, 2),
    ]
    with store.read() as s:
        city = {r.risk_class: r for r in verification_coverage(s, CITY, 2024)}
        empty = verification_coverage(s, COUNTY, 2022)
    assert city["general"].reached_acceptance == 11  # the neighbouring county counts for the city
    assert [(r.reached_acceptance, r.rate, r.shortfall) for r in empty] == [(0, 0.0, 0)] * 2


def test_required_count_rounds_up_exactly() -> None:
    assert required_count(Decimal("0.30"), 7) == 3      # 2.1 → 3
    assert required_count(Decimal("0.30"), 10) == 3
    assert required_count(Decimal("1.00"), 4) == 4
    assert required_count(Decimal("0.07"), 100) == 7    # float: 0.07 * 100 = 7.000000000000001 → 8
    assert required_count(Decimal("0.30"), 0) == 0


def test_per_jurisdiction_override_from_the_file(store, county, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(load_resource("standards/verification_targets.yaml")))
    data["jurisdictions"] = {CITY: {"general": 0.5}}
    monkeypatch.setattr(coverage_mod, "load_resource", lambda _relative: data)
    load_targets.cache_clear()
    try:
        with store.read() as s:
            general = {r.risk_class: r for r in verification_coverage(s, COUNTY, 2024)}["general"]
        assert (general.target, general.shortfall) == (0.5, 4)
        assert float(load_targets("130302").targets["general"]) == 0.3  # no override there
    finally:
        load_targets.cache_clear()


def test_draw_is_reproducible_from_its_seed_and_audited(store, actor, county) -> None:  # type: ignore[no-untyped-def]
    first = random_draw(store, actor, COUNTY, 2024, seed=20240601)
    again = random_draw(store, actor, COUNTY, 2024, seed=20240601)
    assert first == again and first.seed == 20240601
    candidates = sorted(county["general_open"])
    with store.read() as s:
        pool = sorted(i.id for i in list_inspectors(s, COUNTY))
    rng = random.Random(20240601)
    assert first.project_ids == tuple(rng.sample(candidates, 2))  # the shortfall is 2
    assert first.inspector_ids == tuple(rng.sample(pool, 2))
    assert len(set(first.inspector_ids)) == 2
    with store.read() as s:
        entries = s.query(AuditEntry).filter_by(action=DRAW_ACTION).order_by(AuditEntry.seq).all()
    assert len(entries) == 2
    details = json.loads(entries[0].details)
    assert details["seed"] == 20240601 and details["year"] == 2024
    assert details["project_ids"] == list(first.project_ids)
    assert details["inspector_ids"] == list(first.inspector_ids)
    assert details["candidates"] == candidates and details["inspector_pool"] == pool
    different = random_draw(store, actor, COUNTY, 2024, seed=7, count=9)
    assert sorted(different.project_ids) == candidates  # all 9 open general projects


def test_seed_comes_from_os_urandom_when_not_given(store, actor, county, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(coverage_mod.os, "urandom", lambda n: bytes(range(1, n + 1)))
    result = random_draw(store, actor, COUNTY, 2024, count=3)
    assert result.seed == int.from_bytes(bytes(range(1, 9)), "big")
    assert len(result.project_ids) == 3
    assert random_draw(store, actor, COUNTY, 2024, count=3, seed=result.seed) == result


def test_draw_needs_enough_inspectors_and_a_sane_count(store, actor, county) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        random_draw(store, actor, OTHER_COUNTY, 2024, seed=1)
    assert "至少需要 2 人" in str(err.value)
    with pytest.raises(ValidationError):
        random_draw(store, actor, COUNTY, 2024, seed=1, count=-1)
    with store.read() as s:
        assert s.query(AuditEntry).filter_by(action=DRAW_ACTION).count() == 0
