"""Exposure evaluation of a sampling task, worked by hand.

Every expected figure below is computed in the comments from the GBZ 2.1-2019 / GBZ 2.2-2007
formulas (shared/DOMAIN.md §3) and the limits in resources/standards/, so that a change in the
code that moves a number shows up here. The records are built directly through the ORM (not
through the sampling services) so that these tests depend on the evaluation alone.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.lab_results import FREE_SILICA
from ohinspect.store.models import (Enterprise, LabResult, NoiseMeasurement, Sample, SamplingPost,
                                    SamplingTask)
from ohinspect.store.base import new_id
from ohinspect.store.uow import UnitOfWork

CST = timezone(timedelta(hours=8))
DAY = datetime(2026, 11, 16, tzinfo=CST)


def at(hhmm: str, day: int = 0) -> datetime:
    h, m = hhmm.split(":")
    return DAY + timedelta(days=day, hours=int(h), minutes=int(m))


class Site:
    """A task with posts, samples, results and noise, written straight through the ORM."""

    def __init__(self, store, actor) -> None:  # type: ignore[no-untyped-def]
        self.store, self.actor = store, actor
        self.n = 0
        ent = Enterprise(id=new_id(), name="合水县示例化工有限公司", uscc="91621024MA71BC0001",
                         division_code="621024")
        self.task = SamplingTask(id=new_id(), enterprise_id=ent.id, task_number="CJ-2026-0001",
                                 monitoring_type="evaluation")
        self._write(ent, self.task)

    def _write(self, *objs) -> None:  # type: ignore[no-untyped-def]
        with self.store.unit_of_work(self.actor) as uow:
            self._record(uow, *objs)
            uow.commit()

    @staticmethod
    def _record(uow: UnitOfWork, *objs) -> None:  # type: ignore[no-untyped-def]
        for obj in objs:
            uow.record(obj, "test.create")
            uow.session.flush()

    def post(self, name: str, hazards: list[str], hours: float | None = 8,
             days: float | None = 5) -> str:
        p = SamplingPost(id=new_id(), task_id=self.task.id, workshop="车间", post=name, hazard_codes=hazards,
                         exposure_hours_per_day=hours, days_per_week=days)
        self._write(p)
        return p.id

    def sample(self, post_id: str | None, code: str, start: datetime, minutes: float, *,
               kind: str = "personal", hours: float | None = None, wearer: str = "",
               flow: float = 1.0, fraction: str = "", silica: float | None = None) -> str:
        self.n += 1
        s = Sample(id=new_id(), task_id=self.task.id, post_id=post_id, sample_number=f"S-{self.n:04d}",
                   kind=kind, hazard_code=code, fraction=fraction, wearer=wearer,
                   started_at=start, ended_at=start + timedelta(minutes=minutes),
                   representative_hours=hours, flow_before_lpm=flow, flow_after_lpm=flow,
                   volume_l=None if kind == "blank" else flow * minutes, silica_percent=silica)
        self._write(s)
        return s.id

    def result(self, sample_id: str, analyte: str, value: float | None, unit: str = "mg/m³", *,
               lod: float | None = None, supersedes: str | None = None) -> str:
        r = LabResult(id=new_id(), sample_id=sample_id, analyte=analyte, value=value, below_lod=value is None,
                      lod=lod, unit=unit, supersedes_id=supersedes)
        self._write(r)
        return r.id

    def noise(self, post_id: str, laeq_db: float, hours: float, days: float | None = None) -> None:
        self._write(NoiseMeasurement(task_id=self.task.id, post_id=post_id, point="测点1",
                                     readings_db=[laeq_db] * 3, laeq_te_db=laeq_db,
                                     exposure_hours=hours, days_per_week=days))

    def evaluate(self):  # type: ignore[no-untyped-def]
        with self.store.read() as session:
            return evaluate_task(session, self.task.id)


@pytest.fixture
def site(store, actor) -> Site:  # type: ignore[no-untyped-def]
    return Site(store, actor)


def test_twa_and_stel_of_benzene_from_mass_and_concentration(site: Site) -> None:
    post = site.post("配料工", ["chem.benzene"])
    # 张三 wears two consecutive personal samples covering his 8 h shift:
    #   08:00–10:00 at 1 L/min: 120 L, 240 µg → C₁ = 240 / 120 = 2.0 mg/m³, T₁ = 2 h
    #   10:00–16:00 reported as 2.8 mg/m³, T₂ = 6 h
    # C_TWA = (2.0 × 2 + 2.8 × 6) / 8 = (4 + 16.8) / 8 = 2.6 mg/m³ ≤ PC-TWA 3
    a = site.sample(post, "chem.benzene", at("08:00"), 120, hours=2, wearer="张三")
    b = site.sample(post, "chem.benzene", at("10:00"), 360, hours=6, wearer="张三")
    site.result(a, "chem.benzene", 240, "ug")
    site.result(b, "chem.benzene", 2.8)
    # a short sample of 10 min at 8.4 mg/m³: C_STE = 8.4 × 10 / 15 = 5.6 ≤ PC-STEL 6
    c = site.sample(post, "chem.benzene", at("11:00"), 10, wearer="张三")
    site.result(c, "chem.benzene", 8.4)
    ev = site.evaluate()
    f = ev.factor(post, "chem.benzene")
    assert f is not None
    assert f.twa == pytest.approx(2.6)
    assert f.ste == pytest.approx(5.6)
    assert f.verdict.outcome == "conform" and f.verdict.label() == "符合"
    # grading: 2.6 / 3 = 0.867 → 50–100 % of the OEL, above the action level 0.5
    assert f.ratio == pytest.approx(2.6 / 3)
    assert f.grade_code == "3" and f.action_level_reached is True
    formulas = " | ".join(s.formula for s in f.verdict.steps)
    assert "240 µg / 120 L" in formulas and "(2×2 + 2.8×6) / 8" in formulas
    assert "8.4×10 / 15" in formulas


def test_stel_over_the_limit_is_not_conform(site: Site) -> None:
    post = site.post("配料工", ["chem.benzene"])
    site.result(site.sample(post, "chem.benzene", at("08:00"), 480, hours=8, wearer="张三"),
                "chem.benzene", 1.0)
    # 15 min at 6.3 mg/m³: C_STE = 6.3 × 15 / 15 = 6.3 > 6
    site.result(site.sample(post, "chem.benzene", at("09:00"), 15), "chem.benzene", 6.3)
    f = site.evaluate().factor(post, "chem.benzene")
    assert f.ste == pytest.approx(6.3) and f.twa == pytest.approx(1.0)
    assert f.verdict.outcome == "not_conform" and "C_STE" in f.verdict.reason


def test_reduction_factor_for_a_12_hour_shift(site: Site) -> None:
    # toluene PC-TWA 50. 12 h a day, 5 days: 60 h a week.
    #   RF_day  = (8 / 12) × (24 − 12) / 16 = 0.6667 × 0.75 = 0.5
    #   RF_week = (40 / 60) × (168 − 60) / 128 = 0.6667 × 0.84375 = 0.5625 → the smaller: 0.5
    #   PC-TWA × RF = 50 × 0.5 = 25 mg/m³
    # one personal sample over the 12 h at 18 mg/m³: C_TWA = 18 × 12 / 8 = 27 > 25 → 不符合
    # (without the correction 27 ≤ 50 would conform)
    post = site.post("反应釜操作工", ["chem.toluene"], hours=12, days=5)
    s = site.sample(post, "chem.toluene", at("07:00"), 720, hours=12, wearer="李四")
    site.result(s, "chem.toluene", 18)
    f = site.evaluate().factor(post, "chem.toluene")
    assert f.rf == pytest.approx(0.5)
    assert f.twa == pytest.approx(27)
    assert f.oel == pytest.approx(25) and f.ratio == pytest.approx(27 / 25)
    assert f.verdict.outcome == "not_conform"
    assert "PC-TWA×RF" in f.verdict.reason
    assert any("RF_day" in s.formula for s in f.verdict.steps)


def _dmf_post(site: Site, excursion_starts: list[str]) -> str:
    # DMF: PC-TWA 20, no PC-STEL → the peak-exposure rule. A full-shift personal sample at
    # 10 mg/m³ (C_TWA = 10 × 8 / 8 = 10 ≤ 20) and 15-min samples at 70 mg/m³:
    # 70 > 3 × 20 = 60 (an excursion) but ≤ 5 × 20 = 100.
    post = site.post("涂布工", ["chem.dmf"])
    site.result(site.sample(post, "chem.dmf", at("08:00"), 480, hours=8, wearer="王五"),
                "chem.dmf", 10)
    for start in excursion_starts:
        site.result(site.sample(post, "chem.dmf", at(start), 15, wearer="王五"), "chem.dmf", 70)
    return post


def test_five_excursions_are_not_conform(site: Site) -> None:
    # 5 excursions, each 15 min, 1 h 15 min apart: 5 > 4 times a shift → 不符合
    post = _dmf_post(site, ["08:30", "10:00", "11:30", "13:00", "14:30"])
    f = site.evaluate().factor(post, "chem.dmf")
    assert f.twa == pytest.approx(10)
    assert f.verdict.outcome == "not_conform" and f.verdict.label() == "不符合"
    assert "5" in f.verdict.reason


def test_four_excursions_an_hour_apart_conform(site: Site) -> None:
    post = _dmf_post(site, ["08:30", "10:00", "11:30", "13:00"])
    f = site.evaluate().factor(post, "chem.dmf")
    assert f.verdict.outcome == "conform"


def test_excursion_above_five_times_is_not_conform(site: Site) -> None:
    post = site.post("涂布工", ["chem.dmf"])
    site.result(site.sample(post, "chem.dmf", at("08:00"), 480, hours=8), "chem.dmf", 5)
    # 105 > 5 × 20 = 100: never allowed, even once
    site.result(site.sample(post, "chem.dmf", at("09:00"), 15), "chem.dmf", 105)
    f = site.evaluate().factor(post, "chem.dmf")
    assert f.verdict.outcome == "not_conform"


def _silica_post(site: Site, percent: float) -> tuple[str, str]:
    # total dust: 768 µg on the filter, 2 L/min × 480 min = 960 L → 768 / 960 = 0.8 mg/m³,
    # T = 8 h → C_TWA(总尘) = 0.8 × 8 / 8 = 0.8; respirable reported 0.25 mg/m³ → 0.25
    post = site.post("破碎工", ["dust.silica"])
    total = site.sample(post, "dust.silica", at("08:00"), 480, hours=8, flow=2.0,
                        fraction="total", wearer="赵六")
    site.result(total, "dust.silica", 768, "ug")
    resp = site.sample(post, "dust.silica", at("08:00"), 480, hours=8, flow=2.0,
                       fraction="respirable", wearer="赵六")
    site.result(resp, "dust.silica", 0.25)
    silica_id = site.result(total, FREE_SILICA, percent, "%")
    return post, silica_id


def test_silica_band_edge_50_percent_takes_the_stricter_row(site: Site) -> None:
    # 50 % free SiO₂ falls in 50 ≤ x < 80 (edge in the higher band): total 0.7, respirable 0.3
    # C_TWA(总尘) 0.8 > 0.7 → 不符合 ; respirable 0.25 ≤ 0.3
    post, silica_id = _silica_post(site, 50)
    f = site.evaluate().factor(post, "dust.silica")
    assert f.silica_percent == 50
    assert f.twa == pytest.approx(0.8) and f.respirable_twa == pytest.approx(0.25)
    assert f.verdict.outcome == "not_conform"
    assert f.oel == pytest.approx(0.7) and f.ratio == pytest.approx(0.8 / 0.7)
    # the lab corrects the content to 49.9 %: 10 ≤ x < 50 → total 1, respirable 0.7 → 符合
    samples = [v.sample_id for v in f.samples if v.fraction == "total"]
    site.result(samples[0], FREE_SILICA, 49.9, "%", supersedes=silica_id)
    g = site.evaluate().factor(post, "dust.silica")
    assert g.silica_percent == 49.9 and g.verdict.outcome == "conform"
    assert g.ratio == pytest.approx(max(0.8 / 1, 0.25 / 0.7))


def test_silica_without_content_is_not_judged(site: Site) -> None:
    post = site.post("破碎工", ["dust.silica"])
    s = site.sample(post, "dust.silica", at("08:00"), 480, hours=8, fraction="total")
    site.result(s, "dust.silica", 0.5)
    f = site.evaluate().factor(post, "dust.silica")
    assert f.verdict.outcome == "not_judged" and "游离二氧化硅" in f.verdict.reason


def test_noise_with_a_four_day_week(site: Site) -> None:
    # 4 days a week, L_Aeq,Te 85.5 dB(A) over 8 h: L_EX,8h = 85.5 + 10·lg(8/8) = 85.5
    # L_EX,40h = 10·lg[(1/5) × 4 × 10^(8.55)] = 85.5 + 10·lg(0.8) = 85.5 − 0.969 = 84.53 ≤ 85 → 符合
    four = site.post("冲压工", ["phys.noise"], hours=8, days=4)
    site.noise(four, 85.5, 8)
    # the same level in a 5-day week is judged on L_EX,8h: 85.5 > 85 → 不符合
    five = site.post("剪板工", ["phys.noise"], hours=8, days=5)
    site.noise(five, 85.5, 8)
    # 10 h a day at 84 dB(A): L_EX,8h = 84 + 10·lg(10/8) = 84 + 0.969 = 84.97 ≤ 85
    long_day = site.post("折弯工", ["phys.noise"], hours=10, days=5)
    site.noise(long_day, 84, 10)
    ev = site.evaluate()
    n4, n5, n10 = ev.noise_for(four), ev.noise_for(five), ev.noise_for(long_day)
    assert n4.lex_8h == pytest.approx(85.5)
    assert n4.lex_40h == pytest.approx(85.5 + 10 * math.log10(0.8)) == pytest.approx(84.531, abs=1e-3)
    assert n4.verdict.outcome == "conform"
    assert n5.lex_40h is None and n5.verdict.outcome == "not_conform"
    assert n10.lex_8h == pytest.approx(84.969, abs=1e-3) and n10.verdict.outcome == "conform"


def test_mixture_above_one(site: Site) -> None:
    # benzene C_TWA 1.8 / 3 = 0.6 and toluene C_TWA 25 / 50 = 0.5, each within its limit,
    # but Σ C/OEL = 0.6 + 0.5 = 1.1 > 1 → the mixture does not conform
    post = site.post("调漆工", ["chem.benzene", "chem.toluene"])
    s = site.sample(post, "chem.benzene", at("08:00"), 480, hours=8, wearer="孙七")
    site.result(s, "chem.benzene", 1.8)
    site.result(s, "chem.toluene", 25)           # the same tube analysed for toluene too
    # both have a PC-STEL, so a short sample is needed to judge them: 15 min, 4 and 60 mg/m³
    # → C_STE 4 ≤ 6 and 60 ≤ 100
    short = site.sample(post, "chem.benzene", at("10:00"), 15)
    site.result(short, "chem.benzene", 4)
    site.result(short, "chem.toluene", 60)
    ev = site.evaluate()
    assert ev.factor(post, "chem.benzene").verdict.outcome == "conform"
    assert ev.factor(post, "chem.toluene").verdict.outcome == "conform"
    m = ev.mixture_for(post)
    assert m is not None and m.index == pytest.approx(1.1)
    assert m.verdict.outcome == "not_conform"
    assert "同一健康效应" in m.note


def test_all_results_below_lod(site: Site) -> None:
    # formaldehyde (MAC 0.5): two 15-min samples "<0.02": C_ME is only bounded by the LOD,
    # 0.02 ≤ 0.5, so (policy half_lod) the true value is certainly within → 符合, as a bound
    post = site.post("热压工", ["chem.formaldehyde", "chem.benzene"])
    for start in ("09:00", "14:00"):
        site.result(site.sample(post, "chem.formaldehyde", at(start), 15), "chem.formaldehyde",
                    None, lod=0.02)
    # benzene all "<": one 8 h sample below LOD 0.05 → C_TWA bound 0.05 × 8 / 8 = 0.05 ≤ 3;
    # a 15-min sample "<0.3" → C_STE bound 0.3 × 15 / 15 = 0.3 ≤ 6
    site.result(site.sample(post, "chem.benzene", at("08:00"), 480, hours=8), "chem.benzene",
                None, lod=0.05)
    site.result(site.sample(post, "chem.benzene", at("10:00"), 15), "chem.benzene", None, lod=0.3)
    ev = site.evaluate()
    hcho = ev.factor(post, "chem.formaldehyde")
    assert hcho.c_me == pytest.approx(0.02) and hcho.upper_bound
    assert hcho.verdict.outcome == "conform"
    benz = ev.factor(post, "chem.benzene")
    assert benz.twa == pytest.approx(0.05) and benz.upper_bound
    assert benz.verdict.outcome == "conform"


def test_below_lod_mixed_with_detected_uses_half_the_lod(site: Site) -> None:
    # two 4 h samples: 2.0 and "<0.4" → half_lod: 0.2; C_TWA = (2.0×4 + 0.2×4)/8 = 1.1
    post = site.post("配料工", ["chem.benzene"])
    site.result(site.sample(post, "chem.benzene", at("08:00"), 240, hours=4, wearer="甲"),
                "chem.benzene", 2.0)
    site.result(site.sample(post, "chem.benzene", at("12:00"), 240, hours=4, wearer="甲"),
                "chem.benzene", None, lod=0.4)
    f = site.evaluate().factor(post, "chem.benzene")
    assert f.twa == pytest.approx(1.1) and not f.upper_bound


def test_blank_contamination_warns_and_is_not_averaged(site: Site) -> None:
    post = site.post("配料工", ["chem.benzene"])
    site.result(site.sample(post, "chem.benzene", at("08:00"), 480, hours=8), "chem.benzene", 1.2)
    blank = site.sample(None, "chem.benzene", at("08:00"), 0, kind="blank")
    site.result(blank, "chem.benzene", 0.3, "ug", lod=0.1)    # 0.3 µg > LOD 0.1 µg: detected
    clean = site.sample(None, "chem.benzene", at("08:00"), 0, kind="blank")
    site.result(clean, "chem.benzene", None, "ug", lod=0.1)   # "<0.1": fine
    ev = site.evaluate()
    f = ev.factor(post, "chem.benzene")
    assert f.twa == pytest.approx(1.2)          # the blank is not in the average
    assert len(ev.warnings) == 1 and "S-0002" in ev.warnings[0] and "污染" in ev.warnings[0]
    assert ev.warnings[0] in f.warnings
    assert len(ev.factors) == 1                 # blanks make no factor of their own


def test_superseded_result_is_ignored(site: Site) -> None:
    post = site.post("配料工", ["chem.benzene"])
    s = site.sample(post, "chem.benzene", at("08:00"), 480, hours=8)
    old = site.result(s, "chem.benzene", 5.0)             # 5.0 > 3 would not conform
    site.result(s, "chem.benzene", 2.0, supersedes=old)    # corrected by the lab
    f = site.evaluate().factor(post, "chem.benzene")
    assert f.twa == pytest.approx(2.0) and f.ste is None
    assert [v.concentration.value for v in f.samples] == [2.0]
    # no short sample: C_STE was not measured, so benzene (PC-TWA and PC-STEL) is 不判定,
    # while C_TWA 2.0 ≤ 3 itself conforms
    assert f.verdict.outcome == "not_judged" and "C_STE" in f.verdict.reason
    assert any("C_TWA = 2 ≤ PC-TWA = 3" in s.formula for s in f.verdict.steps)


def test_ppm_result_is_converted_with_the_molecular_weight(site: Site) -> None:
    # toluene M = 92.14: 10 ppm × 92.14 / 24.45 = 37.685 mg/m³
    post = site.post("反应釜操作工", ["chem.toluene"])
    site.result(site.sample(post, "chem.toluene", at("08:00"), 480, hours=8), "chem.toluene",
                10, "ppm")
    f = site.evaluate().factor(post, "chem.toluene")
    assert f.twa == pytest.approx(10 * 92.14 / 24.45)


def test_group_statistics_of_a_similar_exposure_group(site: Site) -> None:
    # three workers' full-shift C_TWA 1, 2 and 4 mg/m³ (benzene, PC-TWA 3):
    #   ln: 0, 0.6931, 1.3863 → ȳ = 0.6931, GM = e^0.6931 = 2
    #   s = √((0.6931² + 0 + 0.6931²) / 2) = 0.6931 → GSD = 2
    #   P95 = GM × GSD^1.645 = 2 × 2^1.645 = 6.254
    #   F = 1 − Φ((ln 3 − ln 2) / ln 2) = 1 − Φ(0.585) = 0.279
    post = site.post("配料工", ["chem.benzene"])
    for who, c in (("甲", 1.0), ("乙", 2.0), ("丙", 4.0)):
        site.result(site.sample(post, "chem.benzene", at("08:00"), 480, hours=8, wearer=who),
                    "chem.benzene", c)
    ev = site.evaluate()
    assert len(ev.group_stats) == 1
    g = ev.group_stats[0]
    assert g.post_id == post and g.hazard_code == "chem.benzene" and g.oel == 3
    assert sorted(g.values) == [1.0, 2.0, 4.0]
    assert g.stats.n == 3 and g.stats.gm == pytest.approx(2) and g.stats.gsd == pytest.approx(2)
    assert g.stats.p95 == pytest.approx(2 * 2 ** 1.6448536, rel=1e-6)
    assert g.stats.exceedance == pytest.approx(0.2793, abs=1e-3)
    assert g.stats.exceedance_ucl95 is not None and g.stats.exceedance_ucl95 > g.stats.exceedance
    # the post's C_TWA is the highest worker: 4 > 3 → 不符合
    assert ev.factor(post, "chem.benzene").twa == pytest.approx(4)
    assert ev.factor(post, "chem.benzene").verdict.outcome == "not_conform"


def test_listed_hazard_without_samples_is_not_judged(site: Site) -> None:
    post = site.post("配料工", ["chem.benzene", "phys.noise"])
    ev = site.evaluate()
    assert [f.hazard_code for f in ev.factors] == ["chem.benzene"]
    assert ev.factors[0].verdict.outcome == "not_judged"
    assert ev.factors[0].verdict.label() == "不判定"
    assert ev.noise == []
    assert ev.factor(post, "chem.benzene").post_id == post


def test_fixed_points_whose_times_exceed_the_post_hours_are_flagged(site: Site) -> None:
    # two fixed points each said to represent the whole 8 h shift: Σ T = 16 h > 8 h a day —
    # C_TWA = (1×8 + 2×8) / 8 = 3 is computed as recorded, with a warning to check the times
    post = site.post("巡检工", ["chem.toluene"], hours=8)
    for c in (1.0, 2.0):
        site.result(site.sample(post, "chem.toluene", at("09:00"), 15, kind="fixed", hours=8),
                    "chem.toluene", c)
    f = site.evaluate().factor(post, "chem.toluene")
    assert f.twa == pytest.approx(3)
    assert any("16 h" in w and "8 h" in w for w in f.warnings)
