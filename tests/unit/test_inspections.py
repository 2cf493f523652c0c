"""The 三同时 verification flow: start → answer (saved at once, resumable) → photos → findings →
sign and lock; every refusal of signing names its problem and writes nothing; a signed record
is frozen and corrected only by an amendment that is itself signed."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from ohinspect.errors import LockedRecordError, NotFoundError, ValidationError
from ohinspect.i18n import set_language
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import create_enterprise
from ohinspect.services.inspection_queries import get_inspection_view, list_inspections
from ohinspect.services.inspections import (FindingInput, InspectionHeader, SignatureInput,
                                            add_item_photo, amend, answer_item, local_today,
                                            sign_and_lock, signature_ink, start_verification,
                                            update_header)
from ohinspect.services.numbering import ensure_demo_blocks
from ohinspect.services.projects import ProjectInput, StageInput, create_project, save_stage
from ohinspect.standards.uscc import make_uscc
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, AuditEntry, Inspection, InspectionAnswer,
                                    IssuedNumber, OutboxEntry, RectificationItem, Signature)

STAGE_DATES = {"pre_assessment": ("2024-01-05", "2024-02-20"), "design": ("2024-03-01", "2024-04-15"),
               "control_effect": ("2024-09-01", "2024-12-20"), "acceptance": ("2025-01-10", "2025-01-25")}


# --------------------------------------------------------------------------- helpers


def png(ink: bool = True, *, mode: str = "RGB", size: tuple[int, int] = (300, 100)) -> bytes:
    background = {"RGBA": (255, 255, 255, 0), "L": 255}.get(mode, (255, 255, 255))
    img = Image.new(mode, size, background)
    if ink:
        ImageDraw.Draw(img).line([(20, 70), (80, 20), (140, 75), (260, 30)], fill="black", width=3)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 140, 160)).save(out, format="JPEG")
    return out.getvalue()


def make_project(store: Store, actor, risk_class: str = "severe", n: int = 1,  # type: ignore[no-untyped-def]
                 stages: tuple[str, ...] = tuple(STAGE_DATES)) -> str:
    ent = create_enterprise(store, actor, EnterpriseInput(
        name=f"合水县示例水泥有限公司{n}", uscc=make_uscc("9", "1", "621024", f"MA71BC0{n}"),
        division_code="621024", industry_code="3011", risk_class=risk_class,
        risk_rule_set="nhc-2021", legal_representative="郑梅")).record_id
    pid = create_project(store, actor, ProjectInput(
        enterprise_id=str(ent), name="熟料生产线技术改造项目", location="合水县西华池镇",
        division_code="621024", industry_code="3011", nature="technical",
        risk_class=risk_class, risk_rule_set="nhc-2021")).record_id
    for stage in stages:
        start, end = STAGE_DATES[stage]
        save_stage(store, actor, str(pid), stage, StageInput(started_on=start, completed_on=end))
    ensure_demo_blocks(store, actor, "621024", local_today().year)
    return str(pid)


HEADER = InspectionHeader(place="合水县西华池镇 金桥水泥厂区", authority="合水县卫生健康局",
                          inspectors=[{"name": "李振华", "id_no": "62102420190011"},
                                      {"name": "王海燕", "id_no": "62102420190012"}],
                          recorder="王海燕", party_representative="郑梅", party_title="法定代表人")


def start(store, actor, risk_class: str = "severe", stage: str = "acceptance", n: int = 1) -> str:  # type: ignore[no-untyped-def]
    pid = make_project(store, actor, risk_class, n)
    return str(start_verification(store, actor, pid, stage, HEADER).record_id)


def view(store: Store, iid: str):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return get_inspection_view(s, iid)


def answer_all(store, actor, iid: str, findings: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer every item: the first ``findings`` as 不符合, the rest 符合; photos where required.
    Returns the ids of the finding items."""
    v = view(store, iid)
    found = []
    for n, item in enumerate(v.items):
        answer = "not_conform" if n < findings else "conform"
        answer_item(store, actor, iid, item.id, answer, "现场查见问题" if n < findings else "")
        if v.template.photo_required(item.id, answer):
            add_item_photo(store, actor, iid, item.id, photo(), "image/jpeg", "现场照片")
        if n < findings:
            found.append(item.id)
    return found


def good_signatures(refused: bool = False) -> list[SignatureInput]:
    party = (SignatureInput("party", "郑梅", refused=True, witness_name="孙立新")
             if refused else SignatureInput("party", "郑梅", image_png=png()))
    return [SignatureInput("inspector", "李振华", "62102420190011", png()),
            SignatureInput("inspector", "王海燕", "62102420190012", png()),
            SignatureInput("recorder", "王海燕", "62102420190012", png()), party]


def counts(store: Store) -> dict[str, int]:
    with store.read() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (Inspection, InspectionAnswer, Signature, Attachment, RectificationItem,
                          IssuedNumber, OutboxEntry, AuditEntry)}


def row_state(store: Store, iid: str) -> tuple:  # type: ignore[type-arg]
    with store.read() as s:
        insp = s.get(Inspection, iid)
        answers = sorted((a.id, a.item_id, a.answer, a.note, a.change_seq)
                         for a in s.scalars(select(InspectionAnswer).where(
                             InspectionAnswer.inspection_id == iid)))
        sigs = sorted((g.id, g.role, g.image_sha256) for g in s.scalars(
            select(Signature).where(Signature.inspection_id == iid)))
        return (insp.sync_payload(), insp.change_seq, answers, sigs)


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [p.code for p in exc.value.problems]


# --------------------------------------------------------------------------- the flow


def test_full_flow_start_answer_findings_sign_lock(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    v = view(store, iid)
    assert v.inspection.status == "draft" and not v.locked
    assert v.inspection.template_id == "three_simultaneities.acceptance"
    assert v.inspection.template_snapshot == v.template.to_snapshot()
    assert v.inspection.party_name == "合水县示例水泥有限公司1" and v.enterprise.name == v.inspection.party_name
    assert v.project is not None and v.stage is not None and v.stage.stage == "acceptance"
    assert "ac.review.external" in [i.id for i in v.items]  # severe: the external-expert item
    assert v.next_unanswered() == v.items[0].id

    finding_ids = answer_all(store, actor, iid, findings=2)
    v = view(store, iid)
    assert v.next_unanswered() is None and v.answered_count() == len(v.items)
    assert v.inspection.current_item == ""
    proposed = v.proposed_findings()
    assert [f.item_id for f in proposed] == finding_ids
    for f in proposed:
        item = v.template.item(f.item_id)
        assert f.requirement == item.requirement_zh and f.legal_basis == item.legal_basis
        assert f.deadline == local_today() + timedelta(days=item.deadline_days)

    result = sign_and_lock(store, actor, iid, good_signatures(), proposed)
    assert result.record_id == iid and result.changes.touches("rectification_item")
    v = view(store, iid)
    assert v.locked and v.inspection.status == "signed"
    year = local_today().year
    assert v.inspection.record_number == f"合卫职查〔{year}〕0001号"
    assert v.inspection.opinion_number == f"合卫职意〔{year}〕0001号"
    assert v.inspection.opinion_deadline_days == max((f.deadline - local_today()).days for f in proposed)
    assert [(r.item_id, r.source_type, r.source_id, r.status) for r in v.findings] == [
        (i, "inspection", iid, "open") for i in finding_ids]
    assert all(r.enterprise_id == v.enterprise.id and r.finding and r.legal_basis
               for r in v.findings)
    assert {s.role for s in v.signatures} == {"inspector", "recorder", "party"}
    with store.read() as s:
        for sig in v.signatures:
            att = s.scalars(select(Attachment).where(Attachment.owner_type == "signature",
                                                     Attachment.owner_id == sig.id)).one()
            assert att.kind == "signature" and att.sha256 == sig.image_sha256
            assert (store.attachments_dir / att.sha256[:2] / att.sha256).read_bytes()


def test_no_findings_means_no_opinion_number(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor, risk_class="general")
    answer_all(store, actor, iid)
    sign_and_lock(store, actor, iid, good_signatures(), [])
    v = view(store, iid)
    assert v.locked and v.inspection.record_number and v.inspection.opinion_number == ""
    assert v.findings == [] and v.inspection.opinion_deadline_days is None
    assert "ac.review.external" not in [i.id for i in v.items]  # general project


def test_party_refusing_with_a_witness_is_recorded(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    answer_all(store, actor, iid)
    sign_and_lock(store, actor, iid, good_signatures(refused=True), [])
    party = [s for s in view(store, iid).signatures if s.role == "party"]
    assert [(p.refused, p.witness_name, p.image_sha256, p.signer_name) for p in party] == [
        (True, "孙立新", "", "郑梅")]


def test_each_answer_is_saved_at_once_and_work_resumes_at_the_same_item(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    actor = store.actor("检查员")
    iid = start(store, actor)
    items = [i.id for i in view(store, iid).items]
    for item_id in items[:3]:
        answer_item(store, actor, iid, item_id, "conform")
    answer_item(store, actor, iid, items[5], "not_conform", "未见书面报告")  # jump ahead
    store.close()  # the laptop is shut

    store = Store.open(tmp_path / "data")
    v = view(store, iid)
    assert v.answers[items[5]].answer == "not_conform" and v.answers[items[5]].note == "未见书面报告"
    assert v.inspection.current_item == items[6] and v.next_unanswered() == items[6]
    for item_id in items[6:]:
        answer_item(store, actor, iid, item_id, "conform")
    v = view(store, iid)
    assert v.next_unanswered() == items[3]  # wraps round to what was skipped
    assert v.inspection.current_item == items[3]
    store.close()


def test_changing_an_answer_can_be_undone(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    first = view(store, iid).items[0].id
    answer_item(store, actor, iid, first, "conform")
    result = answer_item(store, actor, iid, first, "not_conform", "缺少验收方案")
    assert result.undo is not None
    result.undo.apply(store, actor)
    assert view(store, iid).answers[first].answer == "conform"


def test_unknown_item_answer_or_inapplicable_item_refused(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor, risk_class="general")
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        answer_item(store, actor, iid, "ac.no_such_item", "conform")
    assert codes(err) == ["inspection.error.item_unknown"]
    with pytest.raises(ValidationError) as err:
        answer_item(store, actor, iid, "ac.organised", "maybe")
    assert codes(err) == ["inspection.error.answer_unknown"] and "not_conform" in str(err.value)
    with pytest.raises(ValidationError) as err:  # severe-only item on a general project
        answer_item(store, actor, iid, "ac.review.external", "conform")
    assert codes(err) == ["inspection.error.item_not_applicable"]
    with pytest.raises(NotFoundError):
        answer_item(store, actor, "no-such-inspection", "ac.organised", "conform")
    assert counts(store) == before


def test_start_refuses_unknown_stage_missing_stage_and_missing_project(store, actor) -> None:  # type: ignore[no-untyped-def]
    pid = make_project(store, actor, stages=("pre_assessment",))
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        start_verification(store, actor, pid, "trial_run", HEADER)
    assert codes(err) == ["inspection.error.stage_unknown"]
    with pytest.raises(ValidationError) as err:
        start_verification(store, actor, pid, "acceptance", HEADER)
    assert codes(err) == ["inspection.error.stage_missing"] and "竣工验收" in str(err.value)
    with pytest.raises(NotFoundError):
        start_verification(store, actor, "no-such-project", "acceptance", HEADER)
    bad = InspectionHeader(inspectors=[{"name": "", "id_no": "62102420190011"}])
    with pytest.raises(ValidationError) as err:
        start_verification(store, actor, pid, "pre_assessment", bad)
    assert codes(err) == ["inspection.error.inspector_name"]
    assert counts(store) == before
    iid = start_verification(store, actor, pid, "pre_assessment", HEADER).record_id
    with store.read() as s:
        assert [i.id for i in list_inspections(s, project_id=pid)] == [iid]


def test_header_update_and_undo(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    header = InspectionHeader(**{**HEADER.__dict__, "place": "合水县老城镇 永固煤矿",
                                 "inspectors": [{"name": "张建国", "id_no": "62102420200021"},
                                                {"name": "", "id_no": ""}]})
    result = update_header(store, actor, iid, header)
    v = view(store, iid)
    assert v.inspection.place == "合水县老城镇 永固煤矿"
    assert v.inspection.inspectors == [{"name": "张建国", "id_no": "62102420200021"}]  # blank row dropped
    assert result.undo is not None
    result.undo.apply(store, actor)
    assert view(store, iid).inspection.place == HEADER.place


def test_photo_before_the_answer_creates_the_answer_row(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    result = add_item_photo(store, actor, iid, "ac.facilities.as_designed", photo(), "image/jpeg",
                            "除尘器")
    v = view(store, iid)
    assert v.answers["ac.facilities.as_designed"].answer == ""
    assert [a.id for a in v.photos["ac.facilities.as_designed"]] == [result.record_id]
    assert v.photos["ac.facilities.as_designed"][0].caption == "除尘器"
    assert v.next_unanswered() == v.items[0].id
    with pytest.raises(ValidationError) as err:
        add_item_photo(store, actor, iid, "ac.organised", b"%PDF-1.4", "application/pdf")
    assert codes(err) == ["inspection.error.photo_not_image"]


# --------------------------------------------------------------------------- refusals


def _sig(role: str, name: str, image: bytes | None) -> SignatureInput:
    return SignatureInput(role, name, image_png=image)


def _without(role: str) -> list[SignatureInput]:
    return [s for s in good_signatures() if s.role != role]


REFUSALS = {
    "blank signature": (lambda: _without("party") + [_sig("party", "郑梅", png(ink=False))],
                        "inspection.error.signature_blank"),
    "blank transparent signature": (
        lambda: _without("party") + [_sig("party", "郑梅", png(ink=False, mode="RGBA"))],
        "inspection.error.signature_blank"),
    "signature that is no PNG": (lambda: _without("party") + [_sig("party", "郑梅", photo())],
                                 "inspection.error.signature_unreadable"),
    "signature without image": (lambda: _without("party") + [_sig("party", "郑梅", None)],
                                "inspection.error.signature_missing"),
    "party neither signs nor refuses": (lambda: _without("party"), "inspection.error.party_missing"),
    "refusal without a witness": (
        lambda: _without("party") + [SignatureInput("party", "郑梅", refused=True)],
        "inspection.error.refusal_needs_witness"),
    "no inspector": (lambda: _without("inspector"), "inspection.error.inspector_missing"),
    "inspector refuses": (
        lambda: _without("inspector") + [SignatureInput("inspector", "李振华", refused=True,
                                                        witness_name="某人")],
        "inspection.error.only_party_refuses"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_signature_refusals_name_the_problem_and_write_nothing(store, actor, case: str) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    answer_all(store, actor, iid, findings=1)
    proposed = view(store, iid).proposed_findings()
    make, code = REFUSALS[case]
    before, state = counts(store), row_state(store, iid)
    with pytest.raises(ValidationError) as err:
        sign_and_lock(store, actor, iid, make(), proposed)
    assert code in codes(err)
    assert all(c == code for c in codes(err)) or case == "inspector refuses"
    assert counts(store) == before and row_state(store, iid) == state
    assert not view(store, iid).locked


def test_unanswered_item_refused(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    items = view(store, iid).items
    answer_all(store, actor, iid)
    other = start(store, actor, n=2)
    for item in items[:-1]:
        answer_item(store, actor, other, item.id, "conform")
    add_item_photo(store, actor, other, "ac.facilities.as_designed", photo(), "image/jpeg")
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        sign_and_lock(store, actor, other, good_signatures(), [])
    assert codes(err) == ["inspection.error.unanswered"] and items[-1].id in str(err.value)
    assert counts(store) == before


def test_missing_required_photo_refused(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    for item in view(store, iid).items:
        answer_item(store, actor, iid, item.id, "conform")  # ac.facilities.as_designed: always
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        sign_and_lock(store, actor, iid, good_signatures(), [])
    assert codes(err) == ["inspection.error.photo_missing"]
    assert "ac.facilities.as_designed" in str(err.value)
    assert counts(store) == before


def test_finding_photo_needed_only_when_it_is_a_finding(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    for item in view(store, iid).items:
        answer_item(store, actor, iid, item.id,
                    "not_conform" if item.id == "ac.facilities.emergency" else "conform")
    add_item_photo(store, actor, iid, "ac.facilities.as_designed", photo(), "image/jpeg")
    with pytest.raises(ValidationError) as err:
        sign_and_lock(store, actor, iid, good_signatures(), view(store, iid).proposed_findings())
    assert codes(err) == ["inspection.error.photo_missing"]
    assert "ac.facilities.emergency" in str(err.value)


@pytest.mark.parametrize("case,code", [
    ("no requirement", "inspection.error.finding_requirement"),
    ("past deadline", "inspection.error.finding_deadline_past"),
    ("finding left out", "inspection.error.finding_missing"),
    ("not a finding", "inspection.error.finding_not_a_finding"),
])
def test_finding_refusals(store, actor, case: str, code: str) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    finding_ids = answer_all(store, actor, iid, findings=2)
    proposed = view(store, iid).proposed_findings()
    if case == "no requirement":
        proposed[0].requirement = "  "
    elif case == "past deadline":
        proposed[1].deadline = local_today() - timedelta(days=1)
    elif case == "finding left out":
        proposed = proposed[:1]
    else:
        conform = next(i.id for i in view(store, iid).items if i.id not in finding_ids)
        proposed.append(FindingInput(conform, "整改", local_today()))
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        sign_and_lock(store, actor, iid, good_signatures(), proposed)
    assert codes(err) == [code]
    assert counts(store) == before


def test_all_problems_are_listed_together(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    with pytest.raises(ValidationError) as err:
        sign_and_lock(store, actor, iid, [], [])
    found = set(codes(err))
    assert {"inspection.error.unanswered", "inspection.error.party_missing",
            "inspection.error.inspector_missing"} <= found


def test_messages_in_english(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    answer_all(store, actor, iid)
    set_language("en")
    with pytest.raises(ValidationError) as err:
        sign_and_lock(store, actor, iid, _without("inspector"), [])
    assert "At least 2 officers must sign an on-site inspection" in str(err.value)


def test_blank_signature_detection() -> None:
    assert signature_ink(png()) > 100
    assert signature_ink(png(mode="RGBA")) > 100
    assert signature_ink(png(ink=False)) == 0
    assert signature_ink(png(ink=False, mode="RGBA")) == 0
    assert signature_ink(png(ink=False, mode="L")) == 0
    assert signature_ink(b"not an image") is None
    assert signature_ink(photo()) is None  # a JPEG is not a PNG


# --------------------------------------------------------------------------- locked


def _signed(store, actor, findings: int = 1) -> str:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    answer_all(store, actor, iid, findings=findings)
    sign_and_lock(store, actor, iid, good_signatures(), view(store, iid).proposed_findings())
    return iid


def test_every_write_to_a_locked_record_is_refused_and_writes_nothing(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = _signed(store, actor)
    number = view(store, iid).inspection.record_number
    item = view(store, iid).items[0].id
    before, state = counts(store), row_state(store, iid)
    attempts = [
        lambda: update_header(store, actor, iid, InspectionHeader(place="改")),
        lambda: answer_item(store, actor, iid, item, "not_conform"),
        lambda: add_item_photo(store, actor, iid, item, photo(), "image/jpeg"),
        lambda: sign_and_lock(store, actor, iid, good_signatures(), []),
    ]
    for attempt in attempts:
        with pytest.raises(LockedRecordError) as err:
            attempt()
        assert number in str(err.value) and "更正" in str(err.value)
    assert counts(store) == before and row_state(store, iid) == state


# --------------------------------------------------------------------------- amendment


def test_amendment_keeps_the_original_and_is_itself_signed(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = _signed(store, actor, findings=1)
    original = row_state(store, iid)
    with pytest.raises(ValidationError) as err:
        amend(store, actor, iid, "  ")
    assert codes(err) == ["inspection.error.amendment_reason"]

    new_id = str(amend(store, actor, iid, "笔录中整改期限记录有误").record_id)
    assert new_id != iid and row_state(store, iid) == original
    old_v, new_v = view(store, iid), view(store, new_id)
    assert new_v.inspection.amends_id == iid and not new_v.locked
    assert new_v.inspection.amendment_reason == "笔录中整改期限记录有误"
    assert new_v.inspection.template_snapshot == old_v.inspection.template_snapshot
    assert {k: (a.answer, a.note) for k, a in new_v.answers.items()} == {
        k: (a.answer, a.note) for k, a in old_v.answers.items()}
    assert {k: [p.sha256 for p in v] for k, v in new_v.photos.items()} == {
        k: [p.sha256 for p in v] for k, v in old_v.photos.items()}
    assert new_v.inspection.record_number == "" and new_v.signatures == []
    assert [a.id for a in old_v.amendments] == [new_id]

    with pytest.raises(ValidationError) as err:  # one open amendment at a time
        amend(store, actor, iid, "再次更正")
    assert codes(err) == ["inspection.error.amendment_open"]
    with pytest.raises(ValidationError) as err:  # a draft is edited, not amended
        amend(store, actor, new_id, "草稿")
    assert codes(err) == ["inspection.error.amend_draft"]

    first = new_v.items[0].id
    answer_item(store, actor, new_id, first, "conform", "经核实符合")
    sign_and_lock(store, actor, new_id, good_signatures(), view(store, new_id).proposed_findings())
    new_v = view(store, new_id)
    assert new_v.locked and new_v.inspection.record_number.endswith("0002号")
    assert row_state(store, iid) == original
    with pytest.raises(LockedRecordError):
        answer_item(store, actor, new_id, first, "not_conform")


def test_a_finding_states_what_was_found(store, actor) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    finding_ids = answer_all(store, actor, iid, findings=2)
    answer_item(store, actor, iid, finding_ids[0], "not_conform", "除尘器风机停机，现场粉尘弥漫。")
    answer_item(store, actor, iid, finding_ids[1], "not_conform", "")
    v = view(store, iid)
    sign_and_lock(store, actor, iid, good_signatures(), v.proposed_findings())
    found = {r.item_id: r.finding for r in view(store, iid).findings}
    assert found[finding_ids[0]] == "除尘器风机停机，现场粉尘弥漫。"  # the note, as observed
    item_text = v.template.item(finding_ids[1]).text_zh.rstrip("。")
    assert found[finding_ids[1]] == f"未做到：{item_text}。"  # no note: the unmet requirement
