"""Demo workplace sampling (GBZ 159-2004) for three 合水县 enterprises, plus one task still in
the field.

- 合水金桥水泥有限公司 (cement): silica dust at the raw-material crusher (free SiO₂ from the lab,
  ``lab.free_silica``), cement dust and noise at the packing line (noise above 85 dB(A));
- 合水兴隆化工有限公司 (chemicals): benzene at the loading bay (above PC-TWA), toluene and
  methanol at the synthesis unit (a methanol result corrected by a superseding result), a blank;
- 合水子午岭铸造有限公司 (foundry): silica dust at the shake-out (free SiO₂ not yet analysed —
  not judged), CO at the melting furnace, noise;
- 合水兴隆新型建材厂: a task still in the field (draft, a pump running).

Deterministic (uuid5 ids from fixed keys, dates counted from the demo reference date in China
time) and idempotent: a task whose id exists is left alone. The records go through the same
validation as the screens (``validate_task``, ``validate_post``/``propose``,
``validate_sample``, ``validate_noise``, ``transfer_custody_in``, ``sign_task_in``) and the
lab results through the same checks as ``add_result``, only with fixed ids.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.demo.enterprises import DEMO_NAMESPACE, demo_id
from ohinspect.demo.projects import CST, REFERENCE_DATE, signature_png
from ohinspect.errors import ValidationError
from ohinspect.store.changes import Changes, OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import (LabResult, NoiseMeasurement, Sample,
                                    SamplingPost, SamplingTask)
from ohinspect.store.uow import Actor, UnitOfWork

LAB = "甘肃陇原职业卫生技术服务有限公司实验室"
SAMPLERS = ("杨明亮", "高春梅")
DEVICE = "demo-sampling"


def key_id(*parts: object) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, ":".join(str(p) for p in ("sampling", *parts))))


def at(offset: int, hhmm: str) -> datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    day = REFERENCE_DATE + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, h, m, tzinfo=CST)


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class DemoSample:
    key: str
    post: str | None                 # post key; None for a blank
    kind: str                        # personal | fixed | blank
    hazard: str
    start: str = ""
    end: str = ""
    flow: tuple[float, float] = (0.0, 0.0)
    wearer: str = ""
    location: str = ""
    fraction: str = ""
    hours: float | None = None       # representative exposure hours
    temp: float | None = None
    pressure: float | None = None
    humidity: float | None = None
    pump: str = ""
    #: lab results: (analyte, value, unit); a value None = below the LOD given as 4th element
    results: tuple[tuple[str, float | None, str, float | None], ...] = ()
    #: (analyte, wrong value entered first) — then superseded by the value of ``results``
    corrected: tuple[str, float] | None = None


@dataclass(frozen=True)
class DemoPost:
    key: str
    workshop: str
    post: str
    job_type: str
    workers: int
    units: int
    hazards: tuple[str, ...]
    hours: float
    days: float = 5
    #: plan changes against the GBZ 159 proposal, with the reason
    adjust: dict[str, int] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class DemoNoise:
    key: str
    post: str
    point: str
    readings: tuple[float, float, float]
    hours: float
    time: str


@dataclass(frozen=True)
class DemoTask:
    key: str
    enterprise: int
    day: int
    standard: str
    escort: str
    weather: dict[str, object]
    production: str
    posts: tuple[DemoPost, ...]
    samples: tuple[DemoSample, ...]
    noise: tuple[DemoNoise, ...] = ()
    signed: bool = True
    monitoring: str = "evaluation"


AIR_STD = "GBZ 159-2004 工作场所空气中有害物质监测的采样规范"
NOISE_STD = "GBZ/T 189.8-2007 工作场所物理因素测量 第8部分：噪声"
DUST_STD = "GBZ/T 192.1-2007、GBZ/T 192.2-2007、GBZ/T 192.4-2007 工作场所空气中粉尘测定"
LAB_METHODS = {
    "dust.silica": "GBZ/T 192.1-2007 称量法",
    "dust.cement": "GBZ/T 192.1-2007 称量法",
    "lab.free_silica": "GBZ/T 192.4-2007 焦磷酸法",
    "chem.benzene": "GBZ/T 300.66-2017 溶剂解吸-气相色谱法",
    "chem.toluene": "GBZ/T 300.66-2017 溶剂解吸-气相色谱法",
    "chem.methanol": "GBZ/T 300.84-2017 溶剂解吸-气相色谱法",
    "chem.carbon_monoxide": "GBZ/T 300.37-2017 不分光红外线气体分析仪法",
}

TASKS = (
    DemoTask(
        "cement", 1, -20, f"{AIR_STD}；{DUST_STD}；{NOISE_STD}", "郑梅",
        {"conditions": "晴", "temp_min_c": 16.0, "temp_max_c": 27.0, "humidity_pct": 42.0,
         "wind": "东南风2级", "pressure_kpa": 85.6},
        "两条生产线正常运行，熟料产量约4400 t/d（设计能力的98%）",
        (DemoPost("crusher", "原料车间", "石灰石破碎巡检", "巡检工", 4, 2, ("dust.silica",), 8),
         DemoPost("packing", "包装车间", "水泥包装", "包装工", 6, 3,
                  ("dust.cement", "phys.noise"), 8)),
        (DemoSample("c1", "crusher", "personal", "dust.silica", "08:10", "12:10", (3.5, 3.5),
                    wearer="魏建军", hours=4, temp=22.5, pressure=85.5, humidity=40,
                    pump="QC-2A-07", fraction="total",
                    results=(("dust.silica", 0.72, "mg/m³", None),
                             ("lab.free_silica", 18.6, "%", None))),
         DemoSample("c2", "crusher", "personal", "dust.silica", "13:30", "17:30", (3.5, 3.4),
                    wearer="魏建军", hours=4, temp=26.0, pressure=85.4, humidity=36,
                    pump="QC-2A-07", fraction="total",
                    results=(("dust.silica", 0.55, "mg/m³", None),
                             ("lab.free_silica", 17.9, "%", None))),
         DemoSample("c3", "crusher", "fixed", "dust.silica", "09:20", "09:35", (20.0, 20.0),
                    location="破碎机下料口旁1.5 m", temp=23.0, pressure=85.5, humidity=39,
                    pump="FC-30-02", fraction="total",
                    results=(("dust.silica", 1.4, "mg/m³", None),)),
         DemoSample("c4", "packing", "personal", "dust.cement", "08:00", "12:00", (3.5, 3.5),
                    wearer="田小军", hours=4, temp=24.0, pressure=85.5, humidity=38,
                    pump="QC-2A-08", fraction="total",
                    results=(("dust.cement", 2.9, "mg/m³", None),)),
         DemoSample("c5", "packing", "personal", "dust.cement", "13:20", "17:20", (3.5, 3.6),
                    wearer="田小军", hours=4, temp=27.0, pressure=85.4, humidity=35,
                    pump="QC-2A-08", fraction="total",
                    results=(("dust.cement", 3.3, "mg/m³", None),)),
         DemoSample("cb", None, "blank", "dust.silica", location="现场空白（滤膜）", fraction="total",
                    results=(("dust.silica", None, "mg", 0.01),))),
        (DemoNoise("n1", "packing", "包装机8嘴出袋口操作位", (89.2, 88.6, 89.8), 8, "10:30"),
         DemoNoise("n2", "packing", "包装机叠袋位", (87.1, 86.4, 87.5), 8, "10:45")),
    ),
    DemoTask(
        "chemical", 22, -16, f"{AIR_STD}；{NOISE_STD}", "周娟",
        {"conditions": "多云", "temp_min_c": 14.0, "temp_max_c": 24.0, "humidity_pct": 55.0,
         "wind": "西北风3级", "pressure_kpa": 85.9},
        "装置满负荷运行，当日有2车次苯装车作业",
        (DemoPost("loading", "罐区", "苯装卸", "装卸工", 3, 2, ("chem.benzene",), 6,
                  adjust={"personal_samples": 3},
                  reason="装卸工3人轮流作业、接触最高者难以确定，全员佩戴个体采样器"),
         DemoPost("synthesis", "合成车间", "合成工段操作", "操作工", 5, 2,
                  ("chem.toluene", "chem.methanol", "phys.noise"), 8)),
        (DemoSample("h1", "loading", "personal", "chem.benzene", "08:30", "12:00", (0.20, 0.20),
                    wearer="贺志强", hours=3, temp=19.0, pressure=85.9, humidity=58,
                    pump="QC-1B-03", results=(("chem.benzene", 4.6, "mg/m³", None),)),
         DemoSample("h2", "loading", "personal", "chem.benzene", "13:30", "16:30", (0.20, 0.19),
                    wearer="贺志强", hours=3, temp=22.0, pressure=85.8, humidity=52,
                    pump="QC-1B-03", results=(("chem.benzene", 4.1, "mg/m³", None),)),
         DemoSample("h3", "loading", "fixed", "chem.benzene", "09:40", "09:55", (0.50, 0.50),
                    location="苯装车鹤管旁（装车时）", temp=19.5, pressure=85.9, humidity=57,
                    pump="QC-1B-05", results=(("chem.benzene", 7.8, "mg/m³", None),)),
         DemoSample("h4", "synthesis", "personal", "chem.toluene", "08:20", "12:20", (0.20, 0.20),
                    wearer="冯春", hours=4, temp=21.0, pressure=85.9, humidity=55,
                    pump="QC-1B-04", results=(("chem.toluene", 11.6, "mg/m³", None),)),
         DemoSample("h5", "synthesis", "personal", "chem.toluene", "13:20", "17:20", (0.20, 0.21),
                    wearer="冯春", hours=4, temp=23.5, pressure=85.8, humidity=50,
                    pump="QC-1B-04", results=(("chem.toluene", 13.2, "mg/m³", None),)),
         DemoSample("h6", "synthesis", "personal", "chem.methanol", "08:22", "12:22",
                    (0.10, 0.10), wearer="冯春", hours=4, temp=21.0, pressure=85.9,
                    humidity=55, pump="QC-1B-06",
                    results=(("chem.methanol", 7.9, "mg/m³", None),),
                    corrected=("chem.methanol", 79.0)),
         DemoSample("h7", "synthesis", "personal", "chem.methanol", "13:22", "17:22",
                    (0.10, 0.10), wearer="冯春", hours=4, temp=23.5, pressure=85.8,
                    humidity=50, pump="QC-1B-06",
                    results=(("chem.methanol", None, "mg/m³", 0.8),)),
         DemoSample("h8", "synthesis", "fixed", "chem.toluene", "10:30", "10:45", (0.30, 0.30),
                    location="合成釜投料口（投料时）", temp=22.0, pressure=85.9, humidity=54,
                    pump="QC-1B-05", results=(("chem.toluene", 26.5, "mg/m³", None),)),
         DemoSample("h9", "synthesis", "fixed", "chem.methanol", "10:31", "10:46", (0.30, 0.30),
                    location="合成釜投料口（投料时）", temp=22.0, pressure=85.9, humidity=54,
                    pump="QC-1B-08", results=(("chem.methanol", 12.4, "mg/m³", None),)),
         DemoSample("hb", None, "blank", "chem.benzene", location="现场空白（活性炭管）",
                    results=(("chem.benzene", None, "mg/m³", 0.02),))),
        (DemoNoise("n1", "synthesis", "合成泵房巡检位", (81.6, 82.3, 80.9), 8, "10:10"),),
    ),
    DemoTask(
        "foundry", 9, -9, f"{AIR_STD}；{DUST_STD}；{NOISE_STD}", "韩华永",
        {"conditions": "晴", "temp_min_c": 18.0, "temp_max_c": 30.0, "humidity_pct": 38.0,
         "wind": "南风2级", "pressure_kpa": 86.2},
        "中频炉2台运行，落砂线正常生产（约75%负荷）",
        (DemoPost("shakeout", "铸造车间", "落砂清砂", "落砂工", 4, 1,
                  ("dust.silica", "phys.noise"), 7),
         DemoPost("melting", "熔炼车间", "中频炉熔炼", "炉前工", 3, 2,
                  ("chem.carbon_monoxide",), 8)),
        (DemoSample("f1", "shakeout", "personal", "dust.silica", "08:00", "11:30", (3.5, 3.5),
                    wearer="肖立新", hours=3.5, temp=26.0, pressure=86.1, humidity=36,
                    pump="QC-2A-09", fraction="total",
                    results=(("dust.silica", 0.84, "mg/m³", None),)),
         DemoSample("f2", "shakeout", "personal", "dust.silica", "13:00", "16:30", (3.5, 3.4),
                    wearer="肖立新", hours=3.5, temp=29.0, pressure=86.0, humidity=33,
                    pump="QC-2A-09", fraction="total",
                    results=(("dust.silica", 0.96, "mg/m³", None),)),
         DemoSample("f3", "melting", "personal", "chem.carbon_monoxide", "08:10", "12:10",
                    (0.50, 0.50), wearer="袁海燕", hours=4, temp=31.0, pressure=86.1,
                    humidity=30, pump="QC-1B-07",
                    results=(("chem.carbon_monoxide", 6.2, "mg/m³", None),)),
         DemoSample("f4", "melting", "personal", "chem.carbon_monoxide", "13:10", "17:10",
                    (0.50, 0.49), wearer="袁海燕", hours=4, temp=33.0, pressure=86.0,
                    humidity=28, pump="QC-1B-07",
                    results=(("chem.carbon_monoxide", 8.4, "mg/m³", None),)),
         DemoSample("f5", "melting", "fixed", "chem.carbon_monoxide", "10:05", "10:20",
                    (0.50, 0.50), location="1#中频炉出铁口（出铁时）", temp=34.0, pressure=86.1,
                    humidity=28, pump="QC-1B-08",
                    results=(("chem.carbon_monoxide", 18.5, "mg/m³", None),)),
         DemoSample("fb", None, "blank", "dust.silica", location="现场空白（滤膜）", fraction="total",
                    results=(("dust.silica", None, "mg", 0.01),))),
        (DemoNoise("n1", "shakeout", "落砂机操作位", (95.8, 96.4, 95.1), 7, "09:30"),),
    ),
    DemoTask(
        "draft", 2, 0, f"{AIR_STD}；{DUST_STD}", "梁永红",
        {"conditions": "阴", "temp_min_c": 15.0, "temp_max_c": 22.0, "humidity_pct": 60.0},
        "生产线正常运行",
        (DemoPost("kiln", "烧成车间", "隧道窑看火", "看火工", 2, 1, ("dust.silica",), 8),),
        (DemoSample("d1", "kiln", "personal", "dust.silica", "08:15", "", (3.5, 0.0),
                    wearer="罗国庆", hours=4, temp=21.0, pressure=85.7, humidity=58,
                    pump="QC-2A-10", fraction="total"),),
        signed=False, monitoring="routine",
    ),
)


# --------------------------------------------------------------------------- building


def _task(uow: UnitOfWork, spec: DemoTask) -> SamplingTask:
    from ohinspect.services.sampling_tasks import (STATUS_DRAFT, TaskInput, new_task_number,
                                                   validate_task)

    data = TaskInput(enterprise_id=demo_id(spec.enterprise), monitoring_type=spec.monitoring,
                     planned_on=REFERENCE_DATE + timedelta(days=spec.day),
                     detection_standard=spec.standard, samplers=list(SAMPLERS),
                     escort_name=spec.escort, weather=dict(spec.weather),
                     production_status=spec.production)
    clean = validate_task(uow.session, data)
    task = SamplingTask(id=key_id("task", spec.key), status=STATUS_DRAFT,
                        task_number=new_task_number(uow.session, clean["planned_on"], DEVICE),
                        **clean)
    uow.record(task, "sampling.task.create", {"task_number": task.task_number, "demo": True})
    return task


def _post(uow: UnitOfWork, task: SamplingTask, spec: DemoTask, p: DemoPost) -> SamplingPost:
    from ohinspect.services.sampling_tasks import PostInput, propose, validate_post

    data = PostInput(workshop=p.workshop, post=p.post, job_type=p.job_type, workers=p.workers,
                     same_type_units=p.units, hazard_codes=list(p.hazards),
                     exposure_hours_per_day=p.hours, days_per_week=p.days)
    clean = validate_post(data)
    proposal = propose(data, task.monitoring_type)
    accepted = {**proposal, **p.adjust}
    differs = [k for k in accepted if accepted[k] != proposal.get(k)]
    post = SamplingPost(id=key_id("post", spec.key, p.key), task_id=task.id, proposed=proposal,
                        accepted=accepted, adjust_reason=p.reason if differs else "", **clean)
    uow.record(post, "sampling.post.create",
               {"adjusted": differs, "adjust_reason": post.adjust_reason, "demo": True}
               if differs else {"demo": True})
    return post


def _sample(uow: UnitOfWork, task: SamplingTask, spec: DemoTask, s: DemoSample) -> Sample:
    from ohinspect.services.sampling_records import (SampleInput, next_sample_number,
                                                     validate_sample)

    blank = s.kind == "blank"
    data = SampleInput(
        post_id=key_id("post", spec.key, s.post) if s.post else None, kind=s.kind,
        hazard_code=s.hazard, fraction=s.fraction, wearer=s.wearer, location=s.location,
        instrument_id=s.pump, calibrator_id="" if blank else "BL-200-01",
        flow_before_lpm=None if blank else s.flow[0],
        flow_after_lpm=None if blank or not s.end else s.flow[1],
        started_at=at(spec.day, s.start) if s.start else None,
        ended_at=at(spec.day, s.end) if s.end else None, representative_hours=s.hours,
        temperature_c=s.temp, pressure_kpa=s.pressure, humidity_pct=s.humidity,
        production_status="" if blank else "正常生产",
        ppe="" if blank else ("防尘口罩（KN95）、耳塞" if s.hazard.startswith("dust")
                              else "防毒半面罩（有机蒸气滤盒）"),
        notes="随样品运输，不采气" if blank else "")
    number = next_sample_number(uow.session, task.id, s.kind)
    clean, details, _warnings = validate_sample(uow.session, task, data, sample_number=number,
                                                existing=None)
    sample = Sample(id=key_id("sample", spec.key, s.key), task_id=task.id, **clean)
    uow.record(sample, "sampling.sample.create",
               {"sample_number": sample.sample_number, "demo": True, **details})
    return sample


def _noise(uow: UnitOfWork, task: SamplingTask, spec: DemoTask, n: DemoNoise) -> None:
    from ohinspect.services.sampling_records import NoiseInput, validate_noise

    data = NoiseInput(post_id=key_id("post", spec.key, n.post), point=n.point, method="fixed",
                      meter_id="AWA5688-03", readings_db=list(n.readings),
                      exposure_hours=n.hours, days_per_week=5, calibrator_before_db=93.8,
                      calibrator_after_db=93.9, measured_at=at(spec.day, n.time))
    clean, _warnings = validate_noise(uow.session, task, data, at(spec.day, n.time))
    row = NoiseMeasurement(id=key_id("noise", spec.key, n.key), task_id=task.id, **clean)
    uow.record(row, "sampling.noise.create",
               {"point": row.point, "laeq_te_db": row.laeq_te_db, "demo": True})


def _result(uow: UnitOfWork, sample: Sample, key: str, analyte: str, value: float | None,
            unit: str, lod: float | None, analysed: int, supersedes: str | None = None
            ) -> LabResult:
    from ohinspect.services.lab_results import check_result

    checked = check_result(sample, analyte, value, value is None, lod, unit,
                     method=LAB_METHODS.get(analyte, LAB_METHODS.get(sample.hazard_code, "")),
                     lab_sample_id=f"L{sample.sample_number[-6:]}", lab=LAB,
                     analysed_on=REFERENCE_DATE + timedelta(days=analysed))
    if checked.problems:
        raise ValidationError(checked.problems)
    row = LabResult(id=key, sample_id=sample.id, source="manual", supersedes_id=supersedes,
                    **checked.clean)
    uow.record(row, "lab_result.correct" if supersedes else "lab_result.add",
               {"supersedes_id": supersedes, "demo": True} if supersedes else {"demo": True})
    return row


def _field(uow: UnitOfWork, spec: DemoTask) -> dict[str, Sample]:
    """Task, posts, samples, noise and (when finished) the signatures — as on site."""
    from ohinspect.services.sampling_signing import sign_task_in

    task = _task(uow, spec)
    for p in spec.posts:
        _post(uow, task, spec, p)
    samples = {s.key: _sample(uow, task, spec, s) for s in spec.samples}
    for n in spec.noise:
        _noise(uow, task, spec, n)
    if spec.signed:  # signed on the sampling day, when the last pump stopped
        ends = [x.ended_at for x in samples.values() if x.ended_at is not None]
        uow.now = max(ends) + timedelta(minutes=20)
        sign_task_in(uow, task, signature_png(SAMPLERS[0]), signature_png(spec.escort),
                     attachment_ids=(key_id(spec.key, "signature", 0),
                                     key_id(spec.key, "signature", 1)))
    return samples


def _lab(uow: UnitOfWork, spec: DemoTask, samples: dict[str, Sample]) -> None:
    """After signing: the hand-over to the lab, then the results (one corrected)."""
    from ohinspect.services.sampling_signing import transfer_custody_in

    task = uow.session.get(SamplingTask, key_id("task", spec.key))
    assert task is not None
    transfer_custody_in(uow, task, [s.id for s in samples.values()], SAMPLERS[0],
                        "刘晓东", LAB, at(spec.day, "18:40"),
                        "样品完好，滤膜及采样管密封、冷藏（4 ℃）运输，标签清晰",
                        custody_id=key_id(spec.key, "custody"))
    for s in spec.samples:
        sample = samples[s.key]
        for n, (analyte, value, unit, lod) in enumerate(s.results):
            rid = key_id("result", spec.key, s.key, n)
            supersedes = None
            if s.corrected is not None and s.corrected[0] == analyte:
                wrong = _result(uow, sample, key_id("result", spec.key, s.key, n, "entered"),
                                analyte, s.corrected[1], unit, lod, spec.day + 3)
                uow.session.flush()
                supersedes = wrong.id
            _result(uow, sample, rid, analyte, value, unit, lod,
                    spec.day + (4 if supersedes else 3), supersedes)
    from ohinspect.services.verdicts import refresh_verdicts
    refresh_verdicts(uow.session, [task.id])  # as add_result does: the dashboards' verdicts


def build_demo_sampling(store: Store, actor: Actor) -> OpResult:
    """Add the demo sampling tasks (idempotent: existing tasks are left alone)."""
    changes = Changes()
    for spec in TASKS:
        with store.unit_of_work(actor) as uow:
            if uow.session.get(SamplingTask, key_id("task", spec.key)) is not None:
                continue
            samples = _field(uow, spec)
            uow.commit()
        changes |= changed(SamplingTask.__record_type__, key_id("task", spec.key))
        if spec.signed:
            with store.unit_of_work(actor) as uow:
                live = {k: uow.session.get(Sample, s.id) for k, s in samples.items()}
                _lab(uow, spec, {k: v for k, v in live.items() if v is not None})
                uow.commit()
    return OpResult(changes)


def demo_task_ids(session: Session, *, signed: bool | None = None) -> list[str]:
    """Ids of the demo sampling tasks in the store (for tests and screenshots)."""
    wanted = [key_id("task", t.key) for t in TASKS
              if signed is None or t.signed == signed]
    return sorted(session.scalars(select(SamplingTask.id).where(SamplingTask.id.in_(wanted))))


__all__ = ["TASKS", "build_demo_sampling", "demo_task_ids", "key_id"]
