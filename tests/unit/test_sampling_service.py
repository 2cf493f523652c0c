"""On-site sampling records (issue 4, S1): plan a task with posts (GBZ 159 proposals checked
against the tables of shared/DOMAIN.md §2), accept or adjust with a reason, record six samples,
a blank and noise, the volume arithmetic by hand, the flow drift, the defaults for the next
sample (counted in keystrokes), custody transfer and signing. Refusals:
test_sampling_service_refusals.py; locking through every path: tests/integration/test_sampling_locking.py."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from ohinspect.errors import LockedRecordError, ValidationError
from ohinspect.i18n import set_language
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise
from ohinspect.services.sampling import (NoiseInput, PostInput, SampleInput, TaskInput,
                                         create_task, defaults_for_next, next_sample_number,
                                         propose, record_noise, record_sample, save_post,
                                         sign_task, transfer_custody, update_task)
from ohinspect.services.sampling_queries import get_task_view, list_tasks
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, AuditEntry, CustodyTransfer, LabResult,
                                    NoiseMeasurement, OutboxEntry, Sample, SamplingPost,
                                    SamplingTask)

CN = timezone(timedelta(hours=8))
DAY = date(2026, 11, 23)


@pytest.fixture
def china_time(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The laptop's local time is China's (times typed as "12:00" are local)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CN)


def png(ink: bool = True) -> bytes:
    img = Image.new("RGB", (300, 100), (255, 255, 255))
    if ink:
        ImageDraw.Draw(img).line([(20, 70), (80, 20), (140, 75), (260, 30)], fill="black", width=3)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def make_enterprise(store: Store, actor, n: int = 1) -> str:  # type: ignore[no-untyped-def]
    return str(create_enterprise(store, actor, EnterpriseInput(
        name=f"合水县示例化工有限公司{n}", uscc=make_uscc("9", "1", "621024", f"MA71BC0{n}"),
        division_code="621024", industry_code="2614")).record_id)


def make_task(store: Store, actor, monitoring_type: str = "evaluation", n: int = 1,  # type: ignore[no-untyped-def]
              enterprise_id: str | None = None) -> str:
    ent = enterprise_id or make_enterprise(store, actor, n)
    return str(create_task(store, actor, TaskInput(
        enterprise_id=ent, monitoring_type=monitoring_type, planned_on=DAY,
        detection_standard="GBZ 159-2004；GBZ/T 300.66-2017", samplers=["李振华", "王海燕"],
        escort_name="郑梅", weather={"conditions": "晴", "temp_min_c": "-2", "temp_max_c": 9,
                                     "humidity_pct": 40, "pressure_kpa": "85.2 kPa"},
        production_status="正常生产，负荷 90%")).record_id)


MIXING = PostInput(workshop="合成车间", post="配料岗", job_type="配料工", workers=8,
                   same_type_units=5, hazard_codes=["chem.benzene", "chem.toluene"],
                   exposure_hours_per_day=8, days_per_week=5)
CRUSHING = PostInput(workshop="原料车间", post="破碎岗", job_type="破碎工", workers="12",
                     most_exposed_identifiable=False, same_type_units="12",
                     hazard_codes=["dust.silica", "phys.noise"], exposure_hours_per_day="6",
                     days_per_week=6)


def make_posts(store: Store, actor, task_id: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    a = save_post(store, actor, task_id, MIXING).record_id
    b = save_post(store, actor, task_id, CRUSHING).record_id
    return str(a), str(b)


def personal(post: str, who: str, pump: str, /, **changes: object) -> SampleInput:
    """A good personal benzene sample (08:00–12:00 at 0.2 L/min), with ``changes``."""
    values: dict[str, object] = dict(
        post_id=post, kind="personal", hazard_code="chem.benzene", wearer=who,
        location="配料釜旁", instrument_id=pump, calibrator_id="CAL-01", flow_before_lpm=0.2,
        flow_after_lpm=0.2, started_at=at(8), ended_at=at(12), representative_hours=8,
        temperature_c=18, pressure_kpa=101.0, humidity_pct=45, production_status="正常生产",
        ppe="防毒口罩")
    values.update(changes)
    return SampleInput(**values)  # type: ignore[arg-type]


def view(store: Store, task_id: str):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return get_task_view(s, task_id)


def counts(store: Store) -> dict[str, int]:
    with store.read() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (SamplingTask, SamplingPost, Sample, NoiseMeasurement, CustodyTransfer,
                          Attachment, OutboxEntry, AuditEntry)}


def finished_task(store: Store, actor) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """A task with two posts, six samples, a blank, a noise point and a custody transfer."""
    tid = make_task(store, actor)
    a, b = make_posts(store, actor, tid)
    ids: dict[str, str] = {}
    for n, wearer in enumerate(("张伟", "刘洋", "陈静"), start=1):
        ids[f"a{n}"] = str(record_sample(store, actor, tid, personal(a, wearer, f"P-0{n}")).record_id)
    ids["fixed"] = str(record_sample(store, actor, tid, SampleInput(
        post_id=a, kind="fixed", hazard_code="chem.toluene", location="配料釜加料口下风向 1 m",
        instrument_id="P-04", flow_before_lpm=0.1, flow_after_lpm=0.1, started_at=at(9),
        ended_at=at(9, 15), temperature_c=18, pressure_kpa=101.0)).record_id)
    for n, fraction in ((5, "total"), (6, "respirable")):
        ids[fraction] = str(record_sample(store, actor, tid, SampleInput(
            post_id=b, kind="personal", hazard_code="dust.silica", fraction=fraction,
            wearer="赵磊", instrument_id=f"P-0{n}", flow_before_lpm=2.0, flow_after_lpm=1.96,
            started_at=at(8), ended_at=at(12), temperature_c=38, pressure_kpa=101.3)).record_id)
    ids["blank"] = str(record_sample(store, actor, tid, SampleInput(
        kind="blank", hazard_code="chem.benzene")).record_id)
    ids["noise"] = str(record_noise(store, actor, tid, NoiseInput(
        post_id=b, point="颚式破碎机操作位", meter_id="AWA5688-02", readings_db=[85, "88", 91],
        exposure_hours=6, days_per_week=6, calibrator_before_db=94.0, calibrator_after_db=94.2,
        measured_at=at(10))).record_id)
    return tid, ids


# --------------------------------------------------------------------------- tasks and plans


def test_task_is_numbered_from_the_date_and_device_and_keeps_its_fields(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    ent = view(store, tid).task.enterprise_id
    second = make_task(store, actor, "routine", enterprise_id=ent)
    first, other = view(store, tid).task, view(store, second).task
    assert re.fullmatch(r"CY20261123-[A-Z]{2}01", first.task_number)
    assert other.task_number == first.task_number[:-2] + "02"
    assert first.weather == {"conditions": "晴", "temp_min_c": -2.0, "temp_max_c": 9.0,
                             "humidity_pct": 40.0, "pressure_kpa": 85.2}
    assert first.samplers == ["李振华", "王海燕"] and first.status == "draft"
    update_task(store, actor, tid, TaskInput(enterprise_id=ent, monitoring_type="supervisory",
                                             planned_on="2026/11/24", samplers=["李振华"]))
    again = view(store, tid).task
    assert again.monitoring_type == "supervisory" and again.planned_on == date(2026, 11, 24)
    assert again.task_number == first.task_number  # never renumbered
    with store.read() as s:
        assert [t.id for t in list_tasks(s, ent)] == [tid, second]


# Independent of slice L's file: the tables of shared/DOMAIN.md §2 (GBZ 159-2004).
@pytest.mark.parametrize(("units", "points"), [(1, 1), (3, 1), (4, 2), (10, 2), (11, 3), (40, 3)])
def test_fixed_points_per_gbz159(units: int, points: int) -> None:
    assert propose(PostInput(same_type_units=units), "evaluation")["fixed_points"] == points


@pytest.mark.parametrize(("workers", "identifiable", "samples"), [
    (1, True, 1), (2, True, 2), (3, True, 2), (5, True, 2), (6, True, 3), (10, True, 3),
    (11, True, 4), (60, True, 4),
    (6, False, 5), (7, False, 6), (9, False, 6), (10, False, 7), (14, False, 7), (15, False, 8),
    (26, False, 8), (27, False, 9), (50, False, 9), (51, False, 11)])
def test_personal_samples_per_gbz159(workers: int, identifiable: bool, samples: int) -> None:
    post = PostInput(workers=workers, most_exposed_identifiable=identifiable)
    assert propose(post, "routine")["personal_samples"] == samples


@pytest.mark.parametrize(("monitoring_type", "shifts", "twa_period", "short_period"), [
    ("evaluation", 3, "shifts_incl_highest", "highest_period"),
    ("routine", 1, "highest_day_shift", "highest_period"),
    ("supervisory", 1, "highest_period", "highest_period"),
    ("incident", None, "as_required", "until_below_limit")])
def test_shifts_and_periods_per_monitoring_type(monitoring_type: str, shifts: int | None,
                                                twa_period: str, short_period: str) -> None:
    # benzene: PC-TWA 3 and PC-STEL 6 → both rules; formaldehyde: MAC only; silica: PC-TWA only
    both = propose(PostInput(hazard_codes=["chem.benzene"]), monitoring_type)
    assert both["shifts"] == shifts
    assert both["periods"] == {"twa": twa_period, "stel_mac": short_period}
    assert propose(PostInput(hazard_codes=["chem.formaldehyde"]), monitoring_type)["periods"] == \
        {"stel_mac": short_period}
    assert propose(PostInput(hazard_codes=["dust.silica"]), monitoring_type)["periods"] == \
        {"twa": twa_period}


def test_no_workers_or_units_recorded_proposes_nothing() -> None:
    proposal = propose(PostInput(), "evaluation")
    assert proposal["fixed_points"] == 0 and proposal["personal_samples"] == 0


def test_post_keeps_the_proposal_and_an_adjustment_needs_a_reason(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, b = make_posts(store, actor, tid)
    with store.read() as s:
        mixing, crushing = s.get(SamplingPost, a), s.get(SamplingPost, b)
    assert mixing.proposed == {"fixed_points": 2, "personal_samples": 3, "shifts": 3,
                               "periods": {"twa": "shifts_incl_highest",
                                           "stel_mac": "highest_period"}}
    assert mixing.accepted == mixing.proposed and mixing.adjust_reason == ""
    assert crushing.workers == 12 and crushing.same_type_units == 12
    assert crushing.exposure_hours_per_day == 6.0
    assert (crushing.proposed["fixed_points"], crushing.proposed["personal_samples"]) == (3, 7)

    before = counts(store)
    with pytest.raises(ValidationError) as err:
        save_post(store, actor, tid, MIXING, post_id=a, accepted={"personal_samples": 2})
    [problem] = err.value.problems
    assert problem.field == "adjust_reason" and problem.overridable
    assert "个体采样数" in problem.message and "3" in problem.message
    assert counts(store) == before

    save_post(store, actor, tid, MIXING, post_id=a, accepted={"personal_samples": "2"},
              adjust_reason="第三名配料工当日休假，仅两人在岗")
    with store.read() as s:
        mixing = s.get(SamplingPost, a)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "sampling.post.update")).all()
    assert mixing.accepted["personal_samples"] == 2 and mixing.proposed["personal_samples"] == 3
    assert mixing.adjust_reason == "第三名配料工当日休假，仅两人在岗"
    assert "第三名配料工" in json.loads(audit[-1].details)["adjust_reason"]
    # back to the proposal: the stale reason goes
    save_post(store, actor, tid, MIXING, post_id=a, adjust_reason="旧原因")
    with store.read() as s:
        assert s.get(SamplingPost, a).adjust_reason == ""


def test_a_new_monitoring_type_brings_new_proposals(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, b = make_posts(store, actor, tid)
    save_post(store, actor, tid, CRUSHING, post_id=b, accepted={"shifts": 2},
              adjust_reason="第三班停产检修")
    task = view(store, tid).task
    update_task(store, actor, tid, TaskInput(enterprise_id=task.enterprise_id,
                                             monitoring_type="routine", planned_on=DAY,
                                             samplers=task.samplers, escort_name="郑梅"))
    with store.read() as s:
        mixing, crushing = s.get(SamplingPost, a), s.get(SamplingPost, b)
    assert mixing.proposed["shifts"] == 1 and mixing.accepted == mixing.proposed
    assert mixing.proposed["periods"] == {"twa": "highest_day_shift", "stel_mac": "highest_period"}
    assert crushing.proposed["shifts"] == 1
    assert crushing.accepted["shifts"] == 2 and crushing.adjust_reason == "第三班停产检修"


# --------------------------------------------------------------------------- samples


def test_six_samples_a_blank_and_noise(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    v = view(store, tid)
    number = v.task.task_number
    assert [s.sample_number for s in v.samples] == [f"{number}-00{n}" for n in range(1, 7)]
    assert [s.sample_number for s in v.blanks] == [f"{number}-007K"]
    blank = v.blanks[0]
    assert blank.volume_l is None and blank.flow_before_lpm is None and blank.post_id is None
    by_id = {s.id: s for s in v.samples}
    # benzene, 0.2 L/min for 240 min at 18 ℃ / 101.0 kPa (inside 5–35 ℃, 98.8–103.4 kPa):
    # V = 0.2 × 240 = 48 L, no standard volume
    assert by_id[ids["a1"]].volume_l == pytest.approx(48.0)
    assert by_id[ids["a1"]].standard_volume_l is None
    # toluene fixed point 15 min: 0.1 × 15 = 1.5 L
    assert by_id[ids["fixed"]].volume_l == pytest.approx(1.5)
    # silica 2.0 → 1.96 L/min for 240 min at 38 ℃: mean 1.98; V = 1.98 × 240 = 475.2 L;
    # V₀ = 475.2 × 293 / (273 + 38) × 101.3 / 101.3 = 447.6965 L
    dust = by_id[ids["total"]]
    assert dust.volume_l == pytest.approx(475.2) and dust.fraction == "total"
    assert dust.standard_volume_l == pytest.approx(447.6965, abs=1e-4)
    assert by_id[ids["respirable"]].fraction == "respirable"
    [noise] = v.noise
    # 10·lg[(10^8.5 + 10^8.8 + 10^9.1) / 3] = 88.665 dB(A)
    assert noise.readings_db == [85.0, 88.0, 91.0]
    assert noise.laeq_te_db == pytest.approx(88.665, abs=1e-3)
    assert v.samples_of(v.posts[0].id) and not v.locked


@pytest.mark.parametrize(("temp", "pressure", "expected"), [
    (20, 101.3, None),                 # inside both ranges: the volume as sampled
    (35, 98.8, None),                  # the edges need no conversion
    (5, 103.4, None),
    (38, 101.3, 447.6965),             # 475.2 × 293 / 311
    (20, 97.0, 455.0286),              # 475.2 × 293 / 293 × 97 / 101.3
    (-10, 85.0, 475.2 * 293 / 263 * 85.0 / 101.3),
])
def test_standard_volume_only_outside_the_range(store: Store, actor, temp: float,  # type: ignore[no-untyped-def]
                                                pressure: float, expected: float | None) -> None:
    tid = make_task(store, actor)
    a, _ = make_posts(store, actor, tid)
    sid = record_sample(store, actor, tid, personal(
        a, "张伟", "P-01", flow_before_lpm="2.0 L/min", flow_after_lpm="1.96",
        temperature_c=f"{temp}℃", pressure_kpa=pressure)).record_id
    with store.read() as s:
        sample = s.get(Sample, sid)
    assert sample.volume_l == pytest.approx(475.2)
    if expected is None:
        assert sample.standard_volume_l is None
    else:
        assert sample.standard_volume_l == pytest.approx(expected, abs=1e-4)


def test_no_climate_data_is_a_warning_not_a_refusal(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, _ = make_posts(store, actor, tid)
    result = record_sample(store, actor, tid, personal(a, "张伟", "P-01", temperature_c=None))
    assert len(result.warnings) == 1 and "标准采样体积" in result.warnings[0]


def test_flow_drift_above_five_percent_needs_a_reason(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, _ = make_posts(store, actor, tid)
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        record_sample(store, actor, tid, personal(a, "张伟", "P-01", flow_before_lpm=2.0,
                                                  flow_after_lpm=1.85))
    [problem] = err.value.problems
    assert problem.field == "drift_reason" and problem.overridable
    assert "7.5%" in problem.message and "5%" in problem.message and "1.85" in problem.message
    assert counts(store) == before
    sid = record_sample(store, actor, tid, personal(
        a, "张伟", "P-01", flow_before_lpm=2.0, flow_after_lpm=1.85,
        drift_reason="滤膜积尘阻力增大，已记录")).record_id
    with store.read() as s:
        sample = s.get(Sample, sid)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.record_id == sid)).one()
    assert sample.drift_reason == "滤膜积尘阻力增大，已记录"
    assert sample.volume_l == pytest.approx((2.0 + 1.85) / 2 * 240)
    details = json.loads(audit.details)
    assert details["drift"] == pytest.approx(0.075) and "滤膜积尘" in details["drift_reason"]
    # exactly 5 %: not flagged, and a reason given anyway is not kept
    sid = record_sample(store, actor, tid, personal(a, "刘洋", "P-02", flow_before_lpm=2.0,
                                                    flow_after_lpm=1.9, drift_reason="无")).record_id
    with store.read() as s:
        assert s.get(Sample, sid).drift_reason == ""


def test_a_sample_started_now_is_completed_later(store: Store, actor, china_time) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, _ = make_posts(store, actor, tid)
    data = personal(a, "张伟", "P-01", flow_after_lpm=None, ended_at=None)
    sid = str(record_sample(store, actor, tid, data).record_id)
    with store.read() as s:
        running = s.get(Sample, sid)
        assert running.volume_l is None and running.ended_at is None
        number = running.sample_number
        data = SampleInput.from_record(running)
    data.ended_at, data.flow_after_lpm = "12:00", "0.2"   # on the day the sample started
    record_sample(store, actor, tid, data, sample_id=sid)
    with store.read() as s:
        done = s.get(Sample, sid)
    assert done.sample_number == number and done.volume_l == pytest.approx(48.0)
    assert done.ended_at == at(12)


def test_sample_numbers_are_unique_and_never_reused(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, _ = make_posts(store, actor, tid)
    task_number = view(store, tid).task.task_number
    with store.read() as s:
        assert next_sample_number(s, tid) == f"{task_number}-001"
        assert next_sample_number(s, tid, "blank") == f"{task_number}-001K"
    # a pre-printed label number may be given; the automatic sequence steps over it
    record_sample(store, actor, tid, personal(a, "张伟", "P-01"), sample_number=f"{task_number}-002")
    with store.read() as s:
        assert next_sample_number(s, tid) == f"{task_number}-003"


# --------------------------------------------------------------------------- defaults


MEASURED = {"flow_after_lpm", "started_at", "ended_at", "temperature_c", "pressure_kpa",
            "humidity_pct"}
PICKED = {"post_id", "kind", "hazard_code", "fraction"}   # chosen from a list: focus + pick


def keystrokes(prefilled: SampleInput, wanted: SampleInput) -> tuple[list[str], int]:
    """The fields (other than measured values) the sampler must change, and the keystrokes:
    one to reach a field plus one per character typed (a list choice: one to pick; a Chinese
    character counted as one keystroke of a phrase IME, an optimistic but common count)."""
    fields, total = [], 0
    for name in SampleInput.__dataclass_fields__:
        if name in MEASURED or getattr(prefilled, name) == getattr(wanted, name):
            continue
        value = getattr(wanted, name)
        fields.append(name)
        total += 2 if name in PICKED else 1 + len("" if value is None else str(value))
    return fields, total


def test_next_sample_needs_at_most_ten_keystrokes_beyond_its_measured_values(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, b = make_posts(store, actor, tid)
    now = at(8, 5)
    with store.read() as s:
        first = defaults_for_next(s, tid, now)
    # the first sample of a task: first post, its first hazard, the task's production status
    assert (first.post_id, first.kind, first.hazard_code) == (a, "personal", "chem.benzene")
    assert first.production_status == "正常生产，负荷 90%" and first.started_at == now

    empty_cost = keystrokes(SampleInput(kind=""), personal(a, "张伟", "P-01"))[1]
    record_sample(store, actor, tid, personal(a, "张伟", "P-01"))
    for n, wearer in enumerate(("刘洋", "陈静", "孙悦", "周杰"), start=2):
        with store.read() as s:
            prefilled = defaults_for_next(s, tid, now)
        assert prefilled.started_at == now and prefilled.ended_at is None
        assert prefilled.flow_after_lpm is None and prefilled.wearer == ""
        wanted = personal(a, wearer, f"P-0{n}")
        fields, cost = keystrokes(prefilled, wanted)
        assert fields == ["wearer", "instrument_id"], fields
        assert cost <= 10, cost
        record_sample(store, actor, tid, wanted)
    assert empty_cost > 40  # what the defaults save: an empty form costs this much

    # a blank in between is not the source of the next defaults
    record_sample(store, actor, tid, SampleInput(kind="blank", hazard_code="chem.benzene"))
    with store.read() as s:
        prefilled = defaults_for_next(s, tid, now)
    assert prefilled.kind == "personal" and prefilled.instrument_id == "P-05"
    assert keystrokes(prefilled, personal(a, "吴迪", "P-06"))[1] <= 10

    # moving to the next post changes what differs there, and nothing else
    wanted = SampleInput(post_id=b, kind="personal", hazard_code="dust.silica",
                         fraction="respirable", wearer="赵磊", location="破碎机旁",
                         instrument_id="P-07", calibrator_id="CAL-01", flow_before_lpm=0.2,
                         representative_hours=8, production_status="正常生产", ppe="防尘口罩")
    fields, _ = keystrokes(prefilled, wanted)
    assert set(fields) == {"post_id", "hazard_code", "fraction", "wearer", "location",
                           "instrument_id", "ppe"}


# --------------------------------------------------------------------------- noise


def test_noise_laeq_by_hand_and_calibrator_drift_warning(store: Store, actor, china_time) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    _, b = make_posts(store, actor, tid)
    result = record_noise(store, actor, tid, NoiseInput(
        post_id=b, point="破碎机操作位", readings_db=["85 dB(A)", 88, 91],
        calibrator_before_db=94.0, calibrator_after_db=94.6, exposure_hours=6, measured_at="10:30"))
    assert len(result.warnings) == 1
    assert "0.6 dB" in result.warnings[0] and "0.5 dB" in result.warnings[0]
    with store.read() as s:
        row = s.get(NoiseMeasurement, result.record_id)
    assert row.laeq_te_db == pytest.approx(88.665, abs=1e-3)
    assert row.measured_at == at(10, 30)
    # a dosimeter gives one L_Aeq,Te; within 0.5 dB no warning
    result = record_noise(store, actor, tid, NoiseInput(
        post_id=b, point="巡检工", method="dosimeter", readings_db=[87.3],
        calibrator_before_db=94.0, calibrator_after_db=93.6))
    assert result.warnings == ()
    with store.read() as s:
        assert s.get(NoiseMeasurement, result.record_id).laeq_te_db == pytest.approx(87.3)


# --------------------------------------------------------------------------- custody and signing


def test_custody_transfer_counts_the_samples(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    chosen = [ids["a1"], ids["a2"], ids["blank"], ids["a1"]]
    cid = transfer_custody(store, actor, tid, chosen, "李振华", "实验室 孙敏", "庆阳市疾控中心实验室",
                           at(16), "完好，4 ℃ 冷藏").record_id
    with store.read() as s:
        row = s.get(CustodyTransfer, cid)
    assert row.sample_ids == [ids["a1"], ids["a2"], ids["blank"]] and row.count == 3
    v = view(store, tid)
    assert {s.id for s in v.untransferred()} == {ids["a3"], ids["fixed"], ids["total"],
                                                   ids["respirable"]}


def test_sign_locks_the_task_and_lab_results_still_arrive(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    sign_task(store, actor, tid, png(), png())
    v = view(store, tid)
    assert v.locked and v.task.status == "signed" and v.task.locked_at is not None
    assert v.task.sampler_signature_sha256 and v.task.escort_signature_sha256
    assert len(v.signatures) == 2 and not v.task.escort_refused
    with pytest.raises(LockedRecordError) as err:
        record_sample(store, actor, tid, personal(v.posts[0].id, "新", "P-09"))
    assert v.task.task_number in str(err.value)

    # results are their own records; a correction supersedes and the view shows the current one
    with store.unit_of_work(actor) as uow:
        first = LabResult(sample_id=ids["a1"], analyte="chem.benzene", value=0.8, unit="mg/m³")
        uow.record(first, "test.result")
        uow.commit()
    with store.unit_of_work(actor) as uow:
        second = LabResult(sample_id=ids["a1"], analyte="chem.benzene", value=0.9, unit="mg/m³",
                           supersedes_id=first.id)
        uow.record(second, "test.result")
        uow.commit()
    results = view(store, tid).results
    assert [r.value for r in results[ids["a1"]]] == [0.9] and results[ids["a2"]] == []


def test_escort_may_refuse_with_a_named_witness(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid, _ = finished_task(store, actor)
    sign_task(store, actor, tid, png(), None, escort_refused=True, escort_witness="孙立新（安全员）")
    task = view(store, tid).task
    assert task.locked_at is not None and task.escort_refused
    assert task.escort_witness == "孙立新（安全员）" and task.escort_signature_sha256 == ""


def test_messages_exist_in_english_too(store: Store, actor) -> None:  # type: ignore[no-untyped-def]
    tid = make_task(store, actor)
    a, _ = make_posts(store, actor, tid)
    set_language("en")
    with pytest.raises(ValidationError) as err:
        record_sample(store, actor, tid, personal(a, "张伟", "P-01", pressure_kpa=1013,
                                                  flow_before_lpm=0))
    messages = {p.field: p.message for p in err.value.problems}
    assert "If this is in hPa, it is 101.3 kPa" in messages["pressure_kpa"]
    assert messages["flow_before_lpm"] == "Flow before must be more than 0 L/min (entered: 0)."


def test_field_checks_are_data_with_meta_and_marked_unverified() -> None:
    from ohinspect.resources import load_resource
    from ohinspect.services.sampling_checks import RESOURCE, load_field_checks

    meta = load_resource(RESOURCE)["meta"]
    assert meta["id"] == "sampling_field_checks" and "[U]" in meta["verified"]
    checks = load_field_checks()
    assert checks.ranges["flow_lpm"].low_exclusive and checks.calibrator_drift_max_db == 0.5
    assert "flow_after_lpm" not in checks.carry and "wearer" not in checks.carry

