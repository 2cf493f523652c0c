"""Verification coverage and the 双随机 draw, with projects seeded through the services and one
acceptance verified through the real verification services (signed and locked)."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from helpers import (HESHUI, XIFENG, seed_enterprise, seed_inspectors, seed_project, seed_stage,
                     show_window)
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ohinspect.checklists.loader import load_library
from ohinspect.services.coverage import DRAW_ACTION
from ohinspect.services.inspections import (InspectionHeader, SignatureInput, add_item_photo,
                                            answer_item, sign_and_lock, start_verification)
from ohinspect.services.numbering import ensure_demo_blocks
from ohinspect.store.models import AuditEntry, Project
from ui.coverage.page import CoveragePage
from ui.projects.page import ProjectsPage

TODAY = date.today()
#: the acceptance of every seeded project is dated in this year (never in the future)
ACCEPTED = TODAY - timedelta(days=1)
YEAR = ACCEPTED.year


def ago(days: int) -> date:
    return ACCEPTED - timedelta(days=days)


def png(ink: bool = True) -> bytes:
    img = Image.new("RGB", (200, 80), "white")
    if ink:
        ImageDraw.Draw(img).line([(10, 60), (60, 10), (120, 60), (190, 15)], fill="black",
                                 width=4)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def reach_acceptance(store, pid: str) -> None:  # type: ignore[no-untyped-def]
    for code, start, end in (("pre_assessment", 200, 180), ("design", 170, 150),
                             ("control_effect", 140, 40), ("acceptance", 30, 0)):
        seed_stage(store, pid, code, ago(start), ago(end))


def verify_acceptance(store, pid: str) -> str:  # type: ignore[no-untyped-def]
    """A signed, locked verification of the acceptance stage, through the services."""
    actor = store.actor("seed")
    header = InspectionHeader(place="项目现场", authority="合水县卫生健康局",
                              inspectors=[{"name": "李振华", "id_no": "62102420190011"}],
                              recorder="王海燕", party_representative="张三", party_title="厂长")
    iid = str(start_verification(store, actor, pid, "acceptance", header).record_id)
    with store.read() as s:
        risk = s.get(Project, pid).risk_class
    template = load_library().for_stage("three_simultaneities", "acceptance")
    for item in template.applicable_items({"risk_class": risk}):
        answer_item(store, actor, iid, item.id, "conform")
        if item.photo == "always":
            add_item_photo(store, actor, iid, item.id, png(), "image/png")
    sign_and_lock(store, actor, iid, [
        SignatureInput("party", "张三", image_png=png()),
        SignatureInput("inspector", "李振华", "62102420190011", image_png=png()),
        SignatureInput("inspector", "马志强", "62102420220045", image_png=png())], [])
    return iid


@pytest.fixture
def seeded(store):  # type: ignore[no-untyped-def]
    ensure_demo_blocks(store, store.actor("seed"), HESHUI, YEAR)
    seed_inspectors(store, (("李振华", "62102420190011"), ("王海燕", "62102420190012"),
                            ("张建国", "62102420200021"), ("赵丽娟", "62102420210034")))
    ent = seed_enterprise(store, 1, "合水县示范工业园开发有限公司")
    ids: dict[str, str] = {}

    def project(key: str, risk: str, division: str = HESHUI) -> str:
        ids[key] = seed_project(store, ent, f"示范项目{key}", division_code=division,
                                risk_class=risk, risk_rule_set="nhc-2021")
        return ids[key]

    for key in ("S1", "S2"):
        reach_acceptance(store, project(key, "severe"))
    verify_acceptance(store, ids["S1"])
    for key in ("G1", "G2", "G3", "G4", "G5", "G6", "G7"):
        reach_acceptance(store, project(key, "general"))
    project("G8", "general")                       # no acceptance yet: not counted
    reach_acceptance(store, project("X1", "general", XIFENG))   # another county
    return ids


def make_page(qtbot, ctx) -> CoveragePage:  # type: ignore[no-untyped-def]
    return show_window(qtbot, CoveragePage(ctx), 1180, 660)  # type: ignore[return-value]


def cells(page: CoveragePage, row: int) -> list[str]:
    return [page.table.item(row, c).text() for c in range(page.table.columnCount())]


def test_the_table_counts_per_risk_class(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    assert page.jurisdiction() == HESHUI   # from the roster when the settings name none
    page.set_jurisdiction(HESHUI, YEAR)
    assert [page.table.horizontalHeaderItem(c).text() for c in range(6)] == [
        "风险类别", "已竣工验收", "已核查", "核查率", "目标", "尚需核查"]
    assert cells(page, 0) == ["严重", "2", "1", "50%", "≥ 100%", "1"]
    assert cells(page, 1) == ["一般", "7", "0", "0%", "≥ 30%", "3"]   # ceil(0.3 × 7) = 3
    red = QColor("#c62828")
    for row in (0, 1):
        assert page.table.item(row, 5).foreground().color() == red
        assert page.table.item(row, 3).foreground().color() == red
    assert "严重项目未达到核查目标：尚需核查 1 个" in page.status.text()
    assert page.default_draw_count() == 3
    assert "默认 3 个" in page.draw_hint.text()


def test_the_shortfall_follows_jurisdiction_and_year(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    page.set_jurisdiction("621000", YEAR)           # 庆阳市 holds both counties
    assert cells(page, 1)[:2] == ["一般", "8"]
    page.set_jurisdiction(XIFENG, YEAR)
    assert cells(page, 0)[1:] == ["0", "0", "—", "≥ 100%", "0"]
    assert cells(page, 1)[1] == "1"
    page.year.setValue(YEAR - 1)
    assert cells(page, 1)[1] == "0"
    assert page.status.text() == "该辖区本年度尚无竣工验收的项目。"


def test_a_seeded_draw_repeats_and_is_audited(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    page.set_jurisdiction(HESHUI, YEAR)
    qtbot.mouseClick(page.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.draw_dialog is not None and page.draw_dialog.isVisible())
    dialog = page.draw_dialog
    assert dialog.count.value() == 3                 # the shortfall of general projects
    dialog.seed.setText("20260630")
    qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.result_box.isVisible)
    first = dialog.drawn_names()
    first_people = dialog.drawn_inspectors()
    assert len(first) == 3 and len(set(first)) == 3
    assert all(n.startswith("示范项目G") for n in first)   # general, this county, not verified
    assert len(first_people) == 2
    assert "20260630" in dialog.seed_label.text()
    assert dialog.audit_note.isVisible() and "审计日志" in dialog.audit_note.text()
    qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.drawing)
    assert dialog.drawn_names() == first
    assert dialog.drawn_inspectors() == first_people
    with store.read() as s:
        entries = s.query(AuditEntry).filter_by(action=DRAW_ACTION).all()
    assert len(entries) == 2
    details = json.loads(entries[0].details)
    assert details["seed"] == 20260630 and details["jurisdiction"] == HESHUI
    assert [seeded_name(seeded, p) for p in details["project_ids"]] == first


def seeded_name(ids: dict[str, str], project_id: str) -> str:
    return next(f"示范项目{k}" for k, v in ids.items() if v == project_id)


def test_an_empty_seed_draws_a_random_one_and_shows_it(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    page.set_jurisdiction(HESHUI, YEAR)
    page.open_draw()
    dialog = page.draw_dialog
    dialog.count.setValue(2)
    dialog.run_draw()
    qtbot.waitUntil(dialog.result_box.isVisible)
    assert len(dialog.drawn_names()) == 2
    seed = dialog.details.result.seed
    assert str(seed) in dialog.seed_label.text()
    dialog.seed.setText(str(seed))                   # the shown seed repeats the draw
    before = dialog.drawn_names()
    dialog.run_draw()
    assert dialog.drawn_names() == before


def test_too_few_inspectors_is_said_plainly(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    page.set_jurisdiction(XIFENG, YEAR)              # nobody on the roster there
    page.open_draw()
    dialog = page.draw_dialog
    dialog.run_draw()
    assert not dialog.result_box.isVisible()
    assert dialog.message.isVisible() and "执法人员" in dialog.message.text()


def test_a_drawn_project_opens_in_the_projects_area(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    area = ProjectsPage(ctx)
    qtbot.addWidget(area)
    area.resize(1180, 660)
    area.show()
    area.tabs.setCurrentWidget(area.coverage)
    area.coverage.set_jurisdiction(HESHUI, YEAR)
    area.coverage.open_draw()
    dialog = area.coverage.draw_dialog
    dialog.seed.setText("7")
    dialog.run_draw()
    dialog.projects.selectRow(0)
    name = dialog.drawn_names()[0]
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.dialog is not None)
    assert area.tabs.currentWidget() is area.list_panel
    assert area.dialog.project_form.f.name.text() == name


def test_coverage_refreshes_after_a_verification(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    page.set_jurisdiction(HESHUI, YEAR)
    ctx.perform(lambda st, actor: _verify_op(st, seeded["S2"]))
    assert cells(page, 0)[1:4] == ["2", "2", "100%"]
    assert cells(page, 0)[5] == "0"
    assert page.table.item(0, 3).foreground().color() == QColor("#2e7d32")


def _verify_op(store, pid: str):  # type: ignore[no-untyped-def]
    from ohinspect.store.changes import OpResult, changed

    iid = verify_acceptance(store, pid)
    return OpResult(changed("inspection", iid))
