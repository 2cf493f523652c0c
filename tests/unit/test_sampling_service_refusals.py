"""Every bad input of the sampling record gets its own message on its own field, and nothing
is written (no row, no outbox entry, no audit entry)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ohinspect.errors import FieldProblem, NotFoundError, ValidationError
from ohinspect.services.sampling import (NoiseInput, PostInput, SampleInput, TaskInput,
                                         create_task, record_noise, record_sample, save_post,
                                         sign_task, transfer_custody, update_task)
from ohinspect.store.database import Store
from tests.unit.test_sampling_service import (CRUSHING, MIXING, at, china_time, counts,
                                              finished_task, make_enterprise, make_posts,
                                              make_task, personal, png, view)

__all__ = ["china_time"]  # the fixture, used by every test here


@pytest.fixture(autouse=True)
def _local_time_is_china(china_time) -> None:  # type: ignore[no-untyped-def]
    """Times in messages are shown in the laptop's local time."""


def refused(store: Store, call: Callable[[], Any]) -> list[FieldProblem]:
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        call()
    assert counts(store) == before, "a refused write must write nothing"
    return err.value.problems


def only(problems: list[FieldProblem], field: str) -> FieldProblem:
    assert [p.field for p in problems] == [field], problems
    return problems[0]


@pytest.fixture
def plan(store: Store, actor):  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, b = make_posts(store, actor, tid)
    return tid, a, b


# --------------------------------------------------------------------------- samples

SAMPLE_CASES: list[tuple[str, dict[str, object], str, str, tuple[str, ...]]] = [
    # (case, changes to a good personal sample, field, code, fragments of the message)
    ("end before start", {"ended_at": at(7, 30)}, "ended_at", "sampling.error.end_before_start",
     ("07:30", "08:00")),
    ("end equals start", {"ended_at": at(8)}, "ended_at", "sampling.error.end_before_start", ()),
    ("end without start", {"started_at": None}, "started_at", "sampling.error.start_missing", ()),
    ("a day too long", {"ended_at": at(9, day=24)}, "ended_at",
     "sampling.error.duration_too_long", ("1500",)),
    ("flow zero", {"flow_before_lpm": 0}, "flow_before_lpm", "sampling.error.not_positive",
     ("采样前流量", "0 L/min")),
    ("flow negative", {"flow_after_lpm": "-0.2"}, "flow_after_lpm", "sampling.error.not_positive",
     ("-0.2",)),
    ("flow in mL/min", {"flow_before_lpm": "200 mL/min"}, "flow_before_lpm",
     "sampling.error.unit_foreign", ("200 mL/min", "0.2 L/min")),
    ("flow mL/min without unit", {"flow_before_lpm": 200}, "flow_before_lpm",
     "sampling.error.out_of_range", ("0–100 L/min", "mL/min", "0.2 L/min")),
    ("flow not a number", {"flow_after_lpm": "abc"}, "flow_after_lpm",
     "sampling.error.not_a_number", ("abc",)),
    ("drift without reason", {"flow_after_lpm": 0.18}, "drift_reason", "sampling.error.drift",
     ("10%", "0.2 → 0.18")),
    ("temperature in kelvin", {"temperature_c": 291}, "temperature_c",
     "sampling.error.out_of_range", ("-40–65 ℃", "K", "17.85 ℃")),
    ("temperature in fahrenheit", {"temperature_c": "64 °F"}, "temperature_c",
     "sampling.error.unit_foreign", ("17.78 ℃",)),
    ("pressure in hPa", {"pressure_kpa": 1013}, "pressure_kpa", "sampling.error.out_of_range",
     ("50–115 kPa", "hPa", "101.3 kPa")),
    ("pressure in mmHg", {"pressure_kpa": "760 mmHg"}, "pressure_kpa",
     "sampling.error.unit_foreign", ("101.32 kPa",)),
    ("pressure unknown unit", {"pressure_kpa": "101 psi"}, "pressure_kpa",
     "sampling.error.unit_unknown", ("psi", "kPa")),
    ("humidity above 100", {"humidity_pct": "120%"}, "humidity_pct",
     "sampling.error.out_of_range", ("0–100 %",)),
    ("representative time", {"representative_hours": 25}, "representative_hours",
     "sampling.error.out_of_range", ("24",)),
    ("unknown substance", {"hazard_code": "chem.unobtainium"}, "hazard_code",
     "sampling.error.hazard_unknown", ("chem.unobtainium",)),
    ("no substance", {"hazard_code": ""}, "hazard_code", "field.required", ()),
    ("noise as an air sample", {"hazard_code": "phys.noise"}, "hazard_code",
     "sampling.error.hazard_not_air", ("噪声",)),
    ("dust without fraction", {"hazard_code": "dust.silica"}, "fraction",
     "sampling.error.fraction_required", ("总粉尘", "呼吸性粉尘")),
    ("chemical with fraction", {"fraction": "respirable"}, "fraction",
     "sampling.error.fraction_not_dust", ("苯",)),
    ("unknown kind", {"kind": "area"}, "kind", "sampling.error.kind", ("area", "定点")),
    ("personal without wearer", {"wearer": " "}, "wearer", "sampling.error.wearer_required", ()),
    ("fixed without location", {"kind": "fixed", "location": ""}, "location",
     "sampling.error.location_required", ()),
    ("air sample without post", {"post_id": None}, "post_id", "sampling.error.post_required",
     ("个体",)),
    ("unknown post", {"post_id": "no-such-post"}, "post_id", "sampling.error.post_unknown", ()),
    ("start not a time", {"started_at": "25:99"}, "started_at", "sampling.error.time_invalid",
     ("25:99",)),
    ("no start", {"started_at": None, "ended_at": None}, "started_at", "field.required", ()),
    ("no flow before", {"flow_before_lpm": None}, "flow_before_lpm", "field.required", ()),
]


@pytest.mark.parametrize(("changes", "field", "code", "fragments"),
                         [c[1:] for c in SAMPLE_CASES], ids=[c[0] for c in SAMPLE_CASES])
def test_sample_refusals(store: Store, actor, plan, changes: dict[str, object], field: str,  # type: ignore[no-untyped-def]
                         code: str, fragments: tuple[str, ...]) -> None:
    tid, a, _ = plan
    problem = only(refused(store, lambda: record_sample(
        store, actor, tid, personal(a, "张伟", "P-01", **changes))), field)
    assert problem.code == code
    for fragment in fragments:
        assert fragment in problem.message, (fragment, problem.message)
    assert problem.overridable == (code == "sampling.error.drift")


def test_several_problems_are_reported_together(store: Store, actor, plan) -> None:  # type: ignore[no-untyped-def]
    tid, a, _ = plan
    problems = refused(store, lambda: record_sample(store, actor, tid, personal(
        a, "", "P-01", ended_at=at(7), flow_before_lpm=-1, pressure_kpa=1013,
        hazard_code="chem.nothing")))
    assert {p.field for p in problems} == {"wearer", "ended_at", "flow_before_lpm",
                                           "pressure_kpa", "hazard_code"}


def test_blank_with_air_drawn_is_refused(store: Store, actor, plan) -> None:  # type: ignore[no-untyped-def]
    tid, _, _ = plan
    problems = refused(store, lambda: record_sample(store, actor, tid, SampleInput(
        kind="blank", hazard_code="chem.benzene", flow_before_lpm=0.2, flow_after_lpm="0")))
    assert [(p.field, p.code) for p in problems] == [
        ("flow_before_lpm", "sampling.error.blank_with_flow"),
        ("flow_after_lpm", "sampling.error.blank_with_flow")]
    assert "空白样品不抽气" in problems[0].message


def test_duplicate_sample_number_is_refused(store: Store, actor, plan) -> None:  # type: ignore[no-untyped-def]
    tid, a, _ = plan
    other = make_task(store, actor, n=2)
    other_post = save_post(store, actor, other, MIXING).record_id
    taken = view(store, other).task.task_number + "-001"
    record_sample(store, actor, other, personal(str(other_post), "张伟", "P-01"))
    problem = only(refused(store, lambda: record_sample(
        store, actor, tid, personal(a, "刘洋", "P-02"), sample_number=taken)), "sample_number")
    assert problem.code == "sampling.error.sample_number_duplicate"
    assert taken in problem.message and view(store, other).task.task_number in problem.message


def test_post_of_another_task_is_refused(store: Store, actor, plan) -> None:  # type: ignore[no-untyped-def]
    tid, _, _ = plan
    other = make_task(store, actor, n=2)
    foreign = str(save_post(store, actor, other, CRUSHING).record_id)
    problem = only(refused(store, lambda: record_sample(
        store, actor, tid, personal(foreign, "张伟", "P-01"))), "post_id")
    assert problem.code == "sampling.error.post_other_task"
    assert "破碎岗" in problem.message and view(store, other).task.task_number in problem.message
    problem = only(refused(store, lambda: record_noise(store, actor, tid, NoiseInput(
        post_id=foreign, point="破碎机旁", readings_db=[85, 86, 87]))), "post_id")
    assert problem.code == "sampling.error.post_other_task"


def test_sample_of_another_task_cannot_be_edited_here(store: Store, actor, plan) -> None:  # type: ignore[no-untyped-def]
    tid, a, _ = plan
    other = make_task(store, actor, n=2)
    post = str(save_post(store, actor, other, MIXING).record_id)
    sid = str(record_sample(store, actor, other, personal(post, "张伟", "P-01")).record_id)
    with pytest.raises(NotFoundError):
        record_sample(store, actor, tid, personal(a, "张伟", "P-01"), sample_id=sid)


# --------------------------------------------------------------------------- noise

NOISE_CASES: list[tuple[str, dict[str, object], str, str, tuple[str, ...]]] = [
    ("two readings", {"readings_db": [85, 86]}, "readings_db", "sampling.error.readings_count",
     ("3", "2")),
    ("reading out of range", {"readings_db": [85, 860, 87]}, "readings_db",
     "sampling.error.out_of_range", ("第 2 个读数", "20–160")),
    ("no point", {"point": ""}, "point", "field.required", ()),
    ("unknown method", {"method": "guess"}, "method", "sampling.error.noise_method", ("guess",)),
    ("exposure 30 h", {"exposure_hours": 30}, "exposure_hours", "sampling.error.out_of_range",
     ("24",)),
    ("eight days a week", {"days_per_week": 8}, "days_per_week", "sampling.error.out_of_range",
     ("7",)),
    ("calibrator in a wrong unit", {"calibrator_before_db": "94 Pa"}, "calibrator_before_db",
     "sampling.error.unit_unknown", ("Pa",)),
]


@pytest.mark.parametrize(("changes", "field", "code", "fragments"),
                         [c[1:] for c in NOISE_CASES], ids=[c[0] for c in NOISE_CASES])
def test_noise_refusals(store: Store, actor, plan, changes: dict[str, object], field: str,  # type: ignore[no-untyped-def]
                        code: str, fragments: tuple[str, ...]) -> None:
    tid, _, b = plan
    values: dict[str, object] = dict(post_id=b, point="破碎机操作位", readings_db=[85, 88, 91],
                                     calibrator_before_db=94, calibrator_after_db=94.1)
    values.update(changes)
    problem = only(refused(store, lambda: record_noise(
        store, actor, tid, NoiseInput(**values))), field)  # type: ignore[arg-type]
    assert problem.code == code
    for fragment in fragments:
        assert fragment in problem.message, (fragment, problem.message)


# --------------------------------------------------------------------------- tasks and posts


def test_task_refusals(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor)
    problems = refused(store, lambda: create_task(store, actor, TaskInput(
        enterprise_id="nobody", monitoring_type="daily", planned_on="2026-13-01",
        weather={"temp_min_c": 30, "temp_max_c": 10, "rain": "有"})))
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"enterprise_id", "monitoring_type", "planned_on", "weather",
                             "weather.temp_max_c"}
    assert "评价监测" in by_field["monitoring_type"].message
    assert "rain" in by_field["weather"].message
    problem = only(refused(store, lambda: create_task(store, actor, TaskInput(
        enterprise_id=ent, monitoring_type="routine", weather={"pressure_kpa": "1010 hPa"}))),
        "weather.pressure_kpa")
    assert "101 kPa" in problem.message
    tid = make_task(store, actor, enterprise_id=ent)
    only(refused(store, lambda: update_task(store, actor, tid, TaskInput(enterprise_id=ent))),
         "monitoring_type")


def test_post_refusals(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    problems = refused(store, lambda: save_post(store, actor, tid, PostInput(
        workshop="", post="配料岗", workers="八", same_type_units=-1,
        hazard_codes=["chem.benzene", "chem.kryptonite"], exposure_hours_per_day=26)))
    assert {p.field: p.code for p in problems} == {
        "workshop": "field.required", "workers": "field.not_integer",
        "same_type_units": "sampling.error.integer_min",
        "hazard_codes": "sampling.error.hazard_unknown",
        "exposure_hours_per_day": "sampling.error.out_of_range"}
    only(refused(store, lambda: save_post(store, actor, tid, MIXING,
                                          accepted={"personal_samples": "x"})),
         "accepted.personal_samples")
    only(refused(store, lambda: save_post(store, actor, tid, MIXING, accepted={"points": 1},
                                          adjust_reason="x")), "accepted")


# --------------------------------------------------------------------------- custody and signing


def test_custody_refusals(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    running = str(record_sample(store, actor, tid, personal(
        view(store, tid).posts[0].id, "孙悦", "P-08", ended_at=None, flow_after_lpm=None)).record_id)
    other, _ = finished_task_elsewhere(store, actor)
    problems = refused(store, lambda: transfer_custody(
        store, actor, tid, [ids["a1"], running, other], "", "孙敏", "", at(11), ""))
    by_code = {p.code: p for p in problems}
    assert set(by_code) == {"field.required", "sampling.error.custody_unfinished",
                            "sampling.error.custody_sample_unknown",
                            "sampling.error.custody_before_end"}
    assert {p.field for p in problems if p.code == "field.required"} == {"handed_by", "lab"}
    assert "12:00" in by_code["sampling.error.custody_before_end"].message
    only(refused(store, lambda: transfer_custody(store, actor, tid, [], "李振华", "孙敏", "实验室",
                                                 at(16), "")), "sample_ids")
    transfer_custody(store, actor, tid, [ids["a1"]], "李振华", "孙敏", "实验室", at(16), "完好")
    problem = only(refused(store, lambda: transfer_custody(
        store, actor, tid, [ids["a1"]], "李振华", "孙敏", "实验室", at(17), "")), "sample_ids")
    assert problem.code == "sampling.error.custody_already"


def finished_task_elsewhere(store: Store, actor) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A sample of another task: (its id, the task id)."""
    other = make_task(store, actor, n=3)
    post = str(save_post(store, actor, other, MIXING).record_id)
    return str(record_sample(store, actor, other, personal(post, "张伟", "P-01")).record_id), other


def test_sign_refusals(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, _ = finished_task(store, actor)
    problem = only(refused(store, lambda: sign_task(store, actor, tid, png(ink=False), png())),
                   "sampler_png")
    assert problem.code == "sampling.error.signature_blank" and "签名为空" in problem.message
    assert "李振华、王海燕" in problem.message
    problem = only(refused(store, lambda: sign_task(store, actor, tid, png(), png(ink=False))),
                   "escort_png")
    assert "郑梅的签名为空" in problem.message
    only(refused(store, lambda: sign_task(store, actor, tid, png(), None)), "escort_png")
    only(refused(store, lambda: sign_task(store, actor, tid, b"GIF89a", png())), "sampler_png")
    problem = only(refused(store, lambda: sign_task(store, actor, tid, png(), None,
                                                    escort_refused=True)), "escort_witness")
    assert "见证人" in problem.message
    # a sample still running cannot be signed
    running = record_sample(store, actor, tid, personal(
        view(store, tid).posts[0].id, "孙悦", "P-08", ended_at=None, flow_after_lpm=None))
    number = view(store, tid).task.task_number + "-008"
    problem = only(refused(store, lambda: sign_task(store, actor, tid, png(), png())), "samples")
    assert number in problem.message and running.record_id


def test_an_empty_task_without_sampler_cannot_be_signed(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    ent = make_enterprise(store, actor)
    tid = str(create_task(store, actor, TaskInput(enterprise_id=ent,
                                                  monitoring_type="supervisory")).record_id)
    problems = refused(store, lambda: sign_task(store, actor, tid, png(), png()))
    assert {p.field: p.code for p in problems} == {
        "samplers": "sampling.error.no_sampler", "escort_name": "sampling.error.escort_name",
        "samples": "sampling.error.nothing_recorded"}
