"""Sampling exceedances open one item per (task, post, hazard) — when the task is signed and when
lab results turn a verdict into 不符合 — never twice; a signed re-test of the same hazard judged
符合 moves the item on to closure, a 不符合 one keeps it open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ohinspect.errors import ValidationError
from ohinspect.services.lab_results_manual import ResultInput, add_result
from ohinspect.services.rectification import (item_events, open_exceedances_in, record_retest,
                                              review)
from ohinspect.services.rectification_sampling import exceedance_item_id
from ohinspect.services.sampling import NoiseInput, save_post
from ohinspect.services.sampling_records import record_noise, record_sample
from ohinspect.services.sampling_signing import sign_task
from ohinspect.store.database import Store
from ohinspect.store.models import RectificationItem, SamplingTask
from tests.unit.test_rectification import CLOSER, add_closer
from tests.unit.test_sampling_service import (CRUSHING, MIXING, at, finished_task, make_enterprise,
                                             make_task, personal, png)


def items(store: Store) -> list[RectificationItem]:
    with store.read() as s:
        return list(s.scalars(select(RectificationItem).order_by(RectificationItem.hazard_code)))


def signed_exceedance(store: Store, actor) -> tuple[str, dict[str, str], RectificationItem]:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    sign_task(store, actor, tid, png(), png())
    (noise,) = items(store)
    return tid, ids, noise


def noise_task(store: Store, actor, enterprise_id: str, readings: list[float]) -> str:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor, "supervisory", enterprise_id=enterprise_id)
    post = str(save_post(store, actor, tid, CRUSHING).record_id)
    record_noise(store, actor, tid, NoiseInput(
        post_id=post, point="颚式破碎机操作位", meter_id="AWA5688-02", readings_db=readings,
        exposure_hours=6, days_per_week=6, calibrator_before_db=94.0,
        calibrator_after_db=94.1, measured_at=at(10)))
    return tid


def test_signing_opens_one_item_per_exceedance_and_never_twice(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, _, noise = signed_exceedance(store, actor)
    with store.read() as s:
        task = s.get(SamplingTask, tid)
        assert task is not None
    assert noise.source_type == "sampling" and noise.source_id == tid
    assert noise.source_ref == task.task_number and noise.hazard_code == "phys.noise"
    assert noise.requires_retest and noise.status == "open"
    assert noise.id == exceedance_item_id(tid, noise.item_id, "phys.noise")
    assert "破碎岗" in noise.finding and "噪声" in noise.finding and "85 dB(A)" in noise.finding
    assert (noise.deadline - noise.created_at.astimezone().date()).days == 30
    with store.unit_of_work(actor) as uow:
        assert open_exceedances_in(uow, tid) == []
        uow.commit()
    assert len(items(store)) == 1


def test_lab_results_of_a_signed_task_open_the_new_exceedances_once(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, ids, _ = signed_exceedance(store, actor)
    for key in ("a1", "a2"):
        add_result(store, actor, ResultInput(ids[key], "chem.benzene", 25.0))
    after_two = items(store)
    add_result(store, actor, ResultInput(ids["a3"], "chem.benzene", 30.0))
    after_three = items(store)
    codes = [i.hazard_code for i in after_three]
    assert codes == ["chem.benzene", "phys.noise"]
    assert [i.id for i in after_two] == [i.id for i in after_three]
    benzene = after_three[0]
    assert benzene.requires_retest and "苯" in benzene.finding and "配料岗" in benzene.finding


def test_a_draft_task_opens_nothing(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    add_result(store, actor, ResultInput(ids["a1"], "chem.benzene", 25.0))
    with store.unit_of_work(actor) as uow:
        assert open_exceedances_in(uow, tid) == []
    assert items(store) == []


def test_a_conforming_retest_leads_to_closure_and_a_failing_one_keeps_it_open(
        store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    add_closer(store, actor)
    tid, _, noise = signed_exceedance(store, actor)
    bad = noise_task(store, actor, noise.enterprise_id, [88, 90, 92])
    sign_task(store, actor, bad, png(), png())
    good = noise_task(store, actor, noise.enterprise_id, [70, 72, 74])
    sign_task(store, actor, good, png(), png())
    today = noise.deadline - timedelta(days=5)
    # the failing re-test opened an item of its own (another task) and keeps this one open
    record_retest(store, actor, noise.id, bad, role="inspector", by_name=CLOSER, today=today)
    assert next(i for i in items(store) if i.id == noise.id).status == "open"
    record_retest(store, actor, noise.id, good, role="inspector", by_name=CLOSER, today=today)
    review(store, actor, noise.id, passed=True, role="supervisor", by_name=CLOSER, today=today)
    with store.read() as s:
        events = item_events(s, noise.id)
        row = s.get(RectificationItem, noise.id)
        assert row is not None and row.status == "closed" and row.closed_by == CLOSER
    assert [(e.action, e.retest_ref) for e in events] == [
        ("opened", ""), ("retest_fail", bad), ("retest_pass", good), ("review_pass", "")]


def benzene_task(store: Store, actor, enterprise_id: str) -> str:  # type: ignore[no-untyped-def]
    """A signed task of the enterprise that measured no noise at all."""
    tid = make_task(store, actor, "supervisory", enterprise_id=enterprise_id)
    post = str(save_post(store, actor, tid, MIXING).record_id)
    record_sample(store, actor, tid, personal(post, "张伟", "P-01"))
    sign_task(store, actor, tid, png(), png())
    return tid


@pytest.mark.parametrize(("case", "code"), [
    ("unsigned", "retest_not_signed"), ("same", "retest_same_task"),
    ("unknown", "retest_task_unknown"), ("other", "retest_other_enterprise"),
    ("no_verdict", "retest_no_verdict")])
def test_a_retest_that_cannot_serve_is_refused(store: Store, actor, case: str, code: str) -> None:  # type: ignore[no-untyped-def]
    tid, _, noise = signed_exceedance(store, actor)
    if case == "unsigned":
        task = noise_task(store, actor, noise.enterprise_id, [70, 71, 72])
    elif case == "same":
        task = tid
    elif case == "unknown":
        task = "no-such-task"
    elif case == "other":
        task = noise_task(store, actor, make_enterprise(store, actor, 2), [70, 71, 72])
        sign_task(store, actor, task, png(), png())
    else:
        task = benzene_task(store, actor, noise.enterprise_id)
    with pytest.raises(ValidationError) as err:
        record_retest(store, actor, noise.id, task, role="inspector", by_name=CLOSER)
    assert f"rectification.error.{code}" in [p.code for p in err.value.problems]
    with store.read() as s:
        assert [e.action for e in item_events(s, noise.id)] == ["opened"]
