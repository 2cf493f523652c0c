"""Demo 三同时 records for 合水县 (621024): an inspector roster, number blocks, construction
projects of the demo enterprises at every stage, completed and signed verifications (with
findings, rectification items and opinion numbers; one where the party refused to sign before a
witness) and one verification left half answered.

Deterministic: every id is a uuid5 of a fixed key, every business date is counted from
:data:`REFERENCE_DATE` (never "today"), signatures and photos are drawn from fixed seeds. The
records go through the same validation and the same ``*_in`` service steps as the screens
(A1's ``validate_project`` / ``validate_stage``; :mod:`ohinspect.services.inspections`), only
with fixed ids and dates. Re-running adds nothing: a record whose id exists is left alone (a
signed verification could not be changed anyway).
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.demo.enterprises import DEMO_COUNTY, DEMO_NAMESPACE, demo_id
from ohinspect.errors import ValidationError
from ohinspect.services.inspections import (FindingInput, InspectionHeader, SignatureInput,
                                            add_item_photo_in, answer_item_in, deadline_days_for,
                                            sign_and_lock_in, start_verification_in, template_of)
from ohinspect.store.changes import Changes, OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, Inspection, Inspector, Project, ProjectStage
from ohinspect.store.uow import Actor, UnitOfWork

#: every demo date is counted from this day (the demo "now"), never from the real today
REFERENCE_DATE = date(2026, 6, 30)
#: local time of the demo county (China Standard Time)
CST = timezone(timedelta(hours=8))
JURISDICTION = DEMO_COUNTY
AUTHORITY = "合水县卫生健康局"
UNIT = "合水县卫生健康监督所"
INSTITUTION = "甘肃陇原职业卫生技术服务有限公司"
INSTITUTION_QUALIFICATION = "甘卫职技字〔2023〕第017号（甲级）"

STAGES = ("pre_assessment", "design", "control_effect", "acceptance")


def key_id(*parts: object) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, ":".join(str(p) for p in ("projects", *parts))))


def day(offset: int) -> date:
    """The day ``offset`` days from the reference date (negative = before)."""
    return REFERENCE_DATE + timedelta(days=offset)


def moment(offset: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime.combine(day(offset), time(hour, minute), tzinfo=CST)


# --------------------------------------------------------------------------- roster

#: (name, enforcement-ID number 执法证号) — fictional people and numbers
INSPECTORS = (
    ("李振华", "62102420190011"),
    ("王海燕", "62102420190012"),
    ("张建国", "62102420200021"),
    ("赵丽娟", "62102420210034"),
    ("马志强", "62102420220045"),
    ("何文华", "62102420230052"),
)


def inspector_id(n: int) -> str:
    return key_id("inspector", INSPECTORS[n][1])


# --------------------------------------------------------------------------- projects


@dataclass(frozen=True)
class Verification:
    stage: str
    day: int                       # offset of the inspection day from REFERENCE_DATE
    inspectors: tuple[int, int]    # indices into INSPECTORS; the second one records
    representative: str
    title: str
    #: (item id, what was seen) answered as findings
    findings: tuple[tuple[str, str], ...] = ()
    refused: str = ""              # the party refused to sign: the witness
    signed: bool = True            # False: left half answered (in progress)


@dataclass(frozen=True)
class DemoProject:
    key: str
    enterprise: int                # index of the demo enterprise (ohinspect.demo.enterprises)
    name: str
    place: str
    investment: int                # yuan
    nature: str
    #: stage → (started, completed) as day offsets; completed None = still under way
    stages: dict[str, tuple[int, int | None]]
    verification: Verification | None = None
    notes: str = ""
    facts: dict[str, dict[str, object]] = field(default_factory=dict)


PROJECTS = (
    DemoProject("p01", 1, "4500t/d熟料水泥生产线技术改造项目", "西华池镇工业集中区金桥水泥厂区",
                186_000_000, "technical",
                {"pre_assessment": (-820, -760), "design": (-740, -690),
                 "control_effect": (-330, -170), "acceptance": (-150, -120)},
                Verification("acceptance", -75, (0, 1), "郑梅", "法定代表人")),
    DemoProject("p02", 4, "永固煤矿120万吨/年改扩建项目", "老城镇永固煤矿工业广场",
                540_000_000, "expansion",
                {"pre_assessment": (-900, -840), "design": (-820, -760),
                 "control_effect": (-300, -140), "acceptance": (-130, -100)},
                Verification("acceptance", -60, (2, 3), "胡新", "安全副矿长", findings=(
                    ("ac.facilities.emergency",
                     "主斜井井口应急救援器材柜内自救器数量少于设计数量，副井口未设置职业病危害警示标识。"),
                    ("ac.report.regulator",
                     "该项目为职业病危害严重项目，验收完成已逾20日，未见向我局提交的书面报告。"),
                ))),
    DemoProject("p03", 16, "年产50万只铅酸蓄电池新建项目", "西华池镇工业集中区博远路8号",
                96_000_000, "new",
                {"pre_assessment": (-700, -650), "design": (-630, -580),
                 "control_effect": (-260, -120), "acceptance": (-110, -90)},
                Verification("acceptance", -40, (0, 4), "刘娟晓", "总经理", findings=(
                    ("ac.facilities.as_designed",
                     "铸板车间铅烟净化装置2台中1台未运行，现场风机停机；与设计不一致。"),
                    ("ac.rectified",
                     "验收意见提出的化成车间酸雾收集罩整改事项，未见整改记录和书面报告。"),
                    ("ac.published",
                     "未能提供验收信息公示的证明材料。"),
                ), refused="孙立新（园区管委会安全环保科）")),
    DemoProject("p04", 8, "钢结构加工车间扩建项目", "板桥镇安泰钢结构厂区",
                12_500_000, "expansion",
                {"pre_assessment": (-600, -570), "design": (-560, -530),
                 "control_effect": (-250, -160), "acceptance": (-140, -115)},
                Verification("acceptance", -50, (1, 5), "曾振", "生产部经理", findings=(
                    ("ac.review.staff",
                     "验收组名单中2人无职业卫生专业背景证明，未见职称及专业资格材料。"),
                ))),
    DemoProject("p05", 22, "年产2万吨甲醇衍生物新建项目", "何家畔镇化工园区兴隆路3号",
                230_000_000, "new",
                {"pre_assessment": (-760, -700), "design": (-680, -620),
                 "control_effect": (-240, -90), "acceptance": (-80, -45)},
                Verification("acceptance", -3, (2, 5), "周娟", "安全环保部部长",
                             signed=False)),
    DemoProject("p06", 12, "细纱车间技术改造项目", "太白镇恒泰棉纺厂区",
                18_000_000, "technical",
                {"pre_assessment": (-520, -495), "design": (-480, -450),
                 "control_effect": (-200, -110), "acceptance": (-100, -70)}),
    DemoProject("p07", 14, "凹版印刷生产线新建项目", "吉岘镇众合包装印刷厂区",
                9_800_000, "new",
                {"pre_assessment": (-480, -455), "design": (-440, -410),
                 "control_effect": (-170, -85), "acceptance": (-60, -30)}),
    DemoProject("p08", 9, "精密铸造车间新建项目", "肖咀镇子午岭铸造厂区",
                64_000_000, "new",
                {"pre_assessment": (-330, -260), "design": (-200, -150),
                 "control_effect": (-90, None)},
                Verification("design", -140, (3, 4), "韩华永", "法定代表人")),
    DemoProject("p09", 32, "高铝耐火材料生产线扩建项目", "固城镇恒泰耐火材料厂区",
                72_000_000, "expansion",
                {"pre_assessment": (-420, -380), "design": (-360, -300),
                 "control_effect": (-200, -20)},
                facts={"control_effect": {"trial_run_days": 120}}),
    DemoProject("p10", 11, "实木家具涂装线改建项目", "段家集乡宝丰家具厂区",
                6_500_000, "renovation",
                {"pre_assessment": (-200, -175), "design": (-160, -120)}),
    DemoProject("p11", 23, "年产3万吨水性涂料新建项目", "何家畔镇化工园区鑫源路6号",
                88_000_000, "new",
                {"pre_assessment": (-90, -35)}),
    DemoProject("p12", 29, "气流纺车间新建项目", "太白镇子午岭棉纺厂区",
                26_000_000, "new",
                {"pre_assessment": (-25, None)}),
)

#: demo answers other than "conforms" that are not findings (e.g. a project not built in phases)
OTHER_ANSWERS = {"ac.phased": ("not_applicable", "本项目为一次性建设，不分期。")}


def _reviewers(risk_class: str) -> list[dict[str, object]]:
    people: list[dict[str, object]] = [
        {"name": "陈国庆", "title": "注册安全工程师（企业职业卫生管理人员）", "external": False},
        {"name": "杨秀英", "title": "副主任医师（职业卫生）", "external": True},
    ]
    if risk_class == "severe":
        people.append({"name": "徐立新", "title": "教授级高级工程师（职业卫生）", "external": True})
    return people


# --------------------------------------------------------------------------- images


def _smooth(points: list[tuple[float, float]], rounds: int = 3) -> list[tuple[float, float]]:
    """Chaikin corner cutting: a pen-like curve through the zigzag."""
    for _ in range(rounds):
        out = [points[0]]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            out += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1),
                    (0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        points = out + [points[-1]]
    return points


def signature_png(name: str) -> bytes:
    """A hand-signature-like PNG: pen strokes from a seed made of the name (deterministic)."""
    from PIL import Image, ImageDraw

    rng = random.Random(f"signature:{name}")
    width, height = 360, 120
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    x = 24
    for _ in name:
        points: list[tuple[float, float]] = []
        for _step in range(rng.randint(5, 8)):
            points.append((x + rng.randint(-8, 12), rng.randint(22, height - 30)))
            x += rng.randint(7, 15)
        draw.line(_smooth(points), fill=(20, 20, 60), width=3, joint="curve")
        x += rng.randint(10, 24)
    y = height - 22 + rng.randint(-6, 6)
    draw.line([(18, y), (x // 2, y + rng.randint(-8, 8)), (min(x, width - 12), y - 10)],
              fill=(20, 20, 60), width=2, joint="curve")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def photo_png(key: str) -> bytes:
    """A simple "site photo": a workshop with a machine, colours from a seed (deterministic)."""
    from PIL import Image, ImageDraw

    rng = random.Random(f"photo:{key}")
    width, height = 640, 480
    img = Image.new("RGB", (width, height), (176, 196, 214))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 300, width, height), fill=(120, 116, 104))
    for _ in range(3):
        left = rng.randint(20, 420)
        top = rng.randint(120, 220)
        shade = rng.randint(90, 170)
        draw.rectangle((left, top, left + rng.randint(120, 200), 320), fill=(shade, shade, shade + 10),
                       outline=(40, 40, 40), width=3)
    cx, cy = rng.randint(160, 480), rng.randint(330, 400)
    draw.ellipse((cx - 50, cy - 50, cx + 50, cy + 50), fill=(200, 140, 40), outline=(60, 40, 10),
                 width=4)
    draw.rectangle((cx - 8, 120, cx + 8, cy - 50), fill=(90, 90, 100))  # a dust-extraction pipe
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- building


def _roster(uow: UnitOfWork) -> list[str]:
    made = []
    for n, (name, id_no) in enumerate(INSPECTORS):
        if uow.session.get(Inspector, inspector_id(n)) is not None:
            continue
        person = Inspector(id=inspector_id(n), name=name, id_no=id_no, jurisdiction=JURISDICTION,
                           unit=UNIT, active=True)
        uow.record(person, "inspector.add", {"demo": True})
        made.append(person.id)
    return made


def _project(uow: UnitOfWork, spec: DemoProject) -> list[str]:
    """The project and its stages (validated as the project form does); ids of new records."""
    from ohinspect.services.projects import ProjectInput, StageInput, validate_project, validate_stage

    session = uow.session
    project_id = key_id("project", spec.key)
    if session.get(Project, project_id) is not None:
        return []
    ent = session.get(Enterprise, demo_id(spec.enterprise))
    if ent is None:
        return []
    data = ProjectInput(
        enterprise_id=ent.id, name=f"{ent.name}{spec.name}", location=f"合水县{spec.place}",
        division_code=ent.division_code, investment_yuan=spec.investment,
        industry_code=ent.industry_code, nature=spec.nature, hazard_codes=list(ent.hazard_codes),
        risk_class=ent.risk_class, risk_rule_set=ent.risk_rule_set, notes=spec.notes)
    clean, problems = validate_project(session, data)
    if problems:
        raise ValidationError(problems)
    project = Project(id=project_id, **clean)
    uow.record(project, "project.create", {"demo": True})
    made = [project.id]
    rows: dict[str, ProjectStage] = {}
    for code in STAGES:
        if code not in spec.stages:
            continue
        started, completed = spec.stages[code]
        reviewed = completed is not None
        stage_input = StageInput(
            started_on=day(started), completed_on=day(completed) if reviewed else None,
            institution=INSTITUTION if code != "design" else "甘肃陇东工程设计研究院有限公司",
            institution_qualification=INSTITUTION_QUALIFICATION if code != "design"
            else "工程设计综合资质甲级",
            reviewers=_reviewers(project.risk_class) if reviewed else [],
            published=reviewed,
            publication_evidence=(f"{day(completed + 3).isoformat()} 起在企业网站公示"
                                  if reviewed and completed is not None else ""),
            facts=spec.facts.get(code, {}))
        clean_stage, problems = validate_stage(code, stage_input, rows, today=REFERENCE_DATE)
        if problems:
            raise ValidationError(problems)
        row = ProjectStage(id=key_id("stage", spec.key, code), project_id=project.id, stage=code,
                           **clean_stage)
        uow.record(row, "project_stage.create", {"stage": code, "demo": True})
        rows[code] = row
        made.append(row.id)
    return made


def _conform_answer(template, item) -> str:  # type: ignore[no-untyped-def]
    options = template.answer_types[item.answer_type].options
    return next(o.code for o in options if not o.finding)


def _verification(uow: UnitOfWork, spec: DemoProject) -> list[str]:
    v = spec.verification
    assert v is not None
    session = uow.session
    insp_key = f"{spec.key}:{v.stage}"
    ids: Callable[[str], str] = lambda k: key_id("inspection", insp_key, k)  # noqa: E731
    if session.get(Inspection, ids("inspection")) is not None:
        return []
    project_id = key_id("project", spec.key)
    project = session.get(Project, project_id)
    if project is None:
        return []
    first, second = INSPECTORS[v.inspectors[0]], INSPECTORS[v.inspectors[1]]
    header = InspectionHeader(
        place=project.location, authority=AUTHORITY,
        inspectors=[{"name": first[0], "id_no": first[1]}, {"name": second[0], "id_no": second[1]}],
        recorder=second[0], party_representative=v.representative, party_title=v.title,
        summary=f"依据《建设项目职业病防护设施“三同时”监督管理办法》对{project.name}开展现场核查。")
    start = moment(v.day, 9, 0)
    insp = start_verification_in(uow, project_id, v.stage, header, at=start, ids=ids)
    template = template_of(insp)
    items = template.applicable_items({"risk_class": project.risk_class})
    findings = dict(v.findings)
    to_answer = items if v.signed else items[: len(items) // 2]
    for n, item in enumerate(to_answer):
        at = start + timedelta(minutes=6 * (n + 1))
        kind = template.answer_types[item.answer_type]
        if item.id in findings:
            answer = next(o.code for o in reversed(kind.options) if o.finding)
            note = findings[item.id]
        elif item.id in OTHER_ANSWERS and kind.option(OTHER_ANSWERS[item.id][0]) is not None:
            answer, note = OTHER_ANSWERS[item.id]
        else:
            answer, note = _conform_answer(template, item), ""
        answer_item_in(uow, insp, item.id, answer, note, at=at, ids=ids)
        if template.photo_required(item.id, answer):
            add_item_photo_in(uow, insp, item.id, photo_png(f"{insp_key}:{item.id}"), "image/png",
                              "现场照片", ids=ids)
    if not v.signed:
        return [insp.id]
    signed_at = start + timedelta(minutes=6 * (len(items) + 2))
    today = signed_at.date()
    signatures = [SignatureInput("inspector", first[0], first[1], signature_png(first[0])),
                  SignatureInput("inspector", second[0], second[1], signature_png(second[0])),
                  SignatureInput("recorder", second[0], second[1], signature_png(second[0]))]
    if v.refused:
        signatures.append(SignatureInput("party", v.representative, refused=True,
                                         witness_name=v.refused))
    else:
        signatures.append(SignatureInput("party", v.representative,
                                         image_png=signature_png(v.representative)))
    proposed = []
    for item in items:
        if item.id in findings:
            days = deadline_days_for(template, item)
            proposed.append(FindingInput(item.id, item.requirement_zh,
                                         today + timedelta(days=days or 0), item.legal_basis))
    sign_and_lock_in(uow, insp, signatures, proposed, at=signed_at, today=today, ids=ids,
                     fixed_attachment_ids=True)
    return [insp.id]


def build_demo_projects(store: Store, actor: Actor) -> OpResult:
    """Add the demo roster, number blocks, projects and verifications (idempotent)."""
    from ohinspect.services.numbering import ensure_demo_blocks

    ensure_demo_blocks(store, actor, JURISDICTION, REFERENCE_DATE.year)
    changes = Changes()
    with store.unit_of_work(actor) as uow:
        made = _roster(uow)
        if made:
            changes |= changed(Inspector.__record_type__, *made)
        for spec in PROJECTS:
            made = _project(uow, spec)
            if made:
                changes |= changed(Project.__record_type__, *made)
        uow.commit()
    on_site = sorted((p for p in PROJECTS if p.verification is not None),
                     key=lambda p: p.verification.day)  # type: ignore[union-attr]
    for spec in on_site:  # one unit of work per verification, as on site; numbers in date order
        with store.unit_of_work(actor) as uow:
            made = _verification(uow, spec)
            uow.commit()
        if made:
            changes |= changed(Inspection.__record_type__, *made)
    return OpResult(changes)


def demo_inspection_ids(session: Session, *, signed: bool | None = None) -> list[str]:
    """The ids of the demo's verifications that exist in the store (for tests and screenshots)."""
    wanted = [key_id("inspection", f"{p.key}:{p.verification.stage}", "inspection")
              for p in PROJECTS if p.verification is not None]
    stmt = select(Inspection.id).where(Inspection.id.in_(wanted))
    if signed is True:
        stmt = stmt.where(Inspection.locked_at.is_not(None))
    elif signed is False:
        stmt = stmt.where(Inspection.locked_at.is_(None))
    return sorted(session.scalars(stmt))
