"""The 三同时 projects screen, driven through its real widgets on a real store."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import (HESHUI, XIFENG, click, keys, seed_enterprise, seed_project, seed_stage,
                     show_window, type_into)
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from ohinspect.i18n import set_language
from ohinspect.services.drafts import NEW_KEY, load_draft
from ohinspect.services.project_queries import get_project_detail
from ohinspect.store.models import Attachment, Project, ProjectStage
from ui.projects.page import ProjectsPage
from ui.projects.queries import PROJECT_FORM, stage_form

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# -- seeding through the services -------------------------------------------------------------
def enterprise(store, n: int, name: str, risk_class: str = "", division: str = HESHUI) -> str:  # type: ignore[no-untyped-def]
    return seed_enterprise(store, n, name, division, industry_code="3011", risk_class=risk_class,
                           risk_rule_set="nhc-2021" if risk_class else "")


def project(store, ent: str, name: str, **kw: object) -> str:  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(enterprise_id=ent, name=name, division_code=HESHUI,
                                     location="合水县西华池镇", risk_class="general",
                                     risk_rule_set="nhc-2021")
    values.update(kw)
    return seed_project(store, **values)  # type: ignore[arg-type]


@pytest.fixture
def units(store):  # type: ignore[no-untyped-def]
    return {
        "cement": enterprise(store, 1, "合水县永固水泥有限公司", "severe"),
        "furniture": enterprise(store, 2, "西峰区瑞丰家具有限公司", "general", XIFENG),
    }


@pytest.fixture
def seeded(store, units):  # type: ignore[no-untyped-def]
    cement = project(store, units["cement"], "永固水泥二期熟料生产线", risk_class="severe")
    seed_stage(store, cement, "pre_assessment", ago(300), ago(250))
    seed_stage(store, cement, "design", ago(240), ago(200))
    seed_stage(store, cement, "control_effect", ago(150), ago(60),
               facts={"trial_run_days": 90})
    furniture = project(store, units["furniture"], "瑞丰家具喷涂车间改造",
                        division_code=XIFENG, location="西峰区工业园")
    seed_stage(store, furniture, "pre_assessment", ago(100))
    quiet = project(store, units["cement"], "永固水泥矿山破碎站", risk_class="severe")
    return {"cement": cement, "furniture": furniture, "quiet": quiet}


def make_page(qtbot, ctx) -> ProjectsPage:  # type: ignore[no-untyped-def]
    return show_window(qtbot, ProjectsPage(ctx), 1180, 660)  # type: ignore[return-value]


def names(page: ProjectsPage) -> list[str]:
    return page.list_panel.shown_names()


def open_dialog(qtbot, page: ProjectsPage, project_id: str | None):  # type: ignore[no-untyped-def]
    page.list_panel.open_project(project_id)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.dialog)
    return page.dialog


def stage_tab(qtbot, dialog, code: str):  # type: ignore[no-untyped-def]
    form = dialog.stage_forms[code]
    dialog.tabs.setCurrentWidget(form)
    qtbot.waitUntil(form.isVisible)
    return form


def stored_stage(store, pid: str, code: str) -> ProjectStage | None:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return get_project_detail(s, pid).stages.get(code)


def project_count(store) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return s.query(Project).count()


# -- the list ---------------------------------------------------------------------------------
def test_list_shows_unit_division_risk_stage(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    assert page.list_panel.count_label.text() == "共 3 个项目"
    assert names(page) == sorted(names(page))
    m = page.model
    row = m.row_of(seeded["cement"])
    cells = [m.data(m.index(row, c)) for c in range(m.columnCount())]
    assert cells[:5] == ["永固水泥二期熟料生产线", "合水县永固水泥有限公司", "甘肃省庆阳市合水县",
                         "严重", "控制效果评价"], cells
    assert cells[5] == ""   # nothing verified yet
    quiet = m.row_of(seeded["quiet"])
    assert m.data(m.index(quiet, 4)) == "未开始"
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "项目名称", "建设单位", "所在地区", "风险类别", "当前阶段", "已核查阶段"]


def test_filter_the_list(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    bar = page.filter_bar
    keys(qtbot, bar.search, "瑞丰")   # debounced search on the construction unit's name
    qtbot.waitUntil(lambda: names(page) == ["瑞丰家具喷涂车间改造"], timeout=2000)
    bar.search.clear()
    qtbot.waitUntil(lambda: len(names(page)) == 3, timeout=2000)
    bar.division.set_code(XIFENG)
    assert names(page) == ["瑞丰家具喷涂车间改造"]
    bar.division.set_code("621000")  # 庆阳市 covers both counties
    assert len(names(page)) == 3
    bar.division.set_code("")
    bar.risk.setCurrentIndex(bar.risk.findText("严重"))
    assert set(names(page)) == {"永固水泥二期熟料生产线", "永固水泥矿山破碎站"}
    bar.risk.setCurrentIndex(0)
    bar.stage.setCurrentIndex(bar.stage.findData("control_effect"))
    assert names(page) == ["永固水泥二期熟料生产线"]
    bar.stage.setCurrentIndex(bar.stage.findData("pre_assessment"))
    assert names(page) == ["瑞丰家具喷涂车间改造"]
    assert page.list_panel.count_label.text() == "共 1 个项目"


# -- creating a project -----------------------------------------------------------------------
def choose_enterprise(qtbot, dialog, text: str) -> None:  # type: ignore[no-untyped-def]
    picker = dialog.project_form.f.enterprise_id
    keys(qtbot, picker, text)
    popup = picker.completer_.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def test_create_a_project_through_the_widgets(qtbot, ctx, store, units) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    assert page.list_panel.empty_label.isVisible()
    click(qtbot, page.list_panel.new_button)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.dialog)
    dialog = page.dialog
    form = dialog.project_form
    assert not dialog.tabs.isTabEnabled(1)   # stages wait for the project
    choose_enterprise(qtbot, dialog, "永固")
    assert form.f.enterprise_id.enterprise_id() == units["cement"]
    assert "合水县永固水泥有限公司" in form.f.enterprise_id.text()
    type_into(qtbot, form.f.name, "永固水泥余热发电项目")
    type_into(qtbot, form.f.location, "合水县西华池镇工业集中区")
    type_into(qtbot, form.f.division_code.lineEdit(), HESHUI)
    type_into(qtbot, form.f.investment_yuan, "35000000")
    form.f.nature.setCurrentIndex(form.f.nature.findData("expansion"))
    form.f.risk_class.setCurrentIndex(form.f.risk_class.findText("严重"))
    form.f.hazard_codes.set_codes(["phys.noise"])
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: dialog.tabs.isTabEnabled(1))
    with store.read() as s:
        saved = s.query(Project).one()
        assert (saved.name, saved.enterprise_id, saved.division_code, saved.investment_yuan,
                saved.nature, saved.risk_class, saved.risk_rule_set, saved.hazard_codes) == (
            "永固水泥余热发电项目", units["cement"], HESHUI, 35_000_000, "expansion", "severe",
            "nhc-2021", ["phys.noise"])
    assert dialog.project_id() == saved.id
    assert dialog.windowTitle() == "建设项目：永固水泥余热发电项目"
    assert form.summary.text() == "项目已保存。"
    qtbot.waitUntil(lambda: names(page) == ["永固水泥余热发电项目"])
    assert page.list_panel.current_id() == saved.id
    assert load_draft(store, PROJECT_FORM, NEW_KEY) is None
    assert not page.list_panel.empty_label.isVisible()


def test_bad_fields_show_messages_next_to_them_and_save_nothing(qtbot, ctx, store, units) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    dialog = open_dialog(qtbot, page, None)
    form = dialog.project_form
    type_into(qtbot, form.f.name, "某扩建项目")
    type_into(qtbot, form.f.division_code.lineEdit(), "999999")
    click(qtbot, form.save_button)
    assert project_count(store) == 0
    assert form.errors["enterprise_id"].isVisible()
    assert form.errors["enterprise_id"].text() == "必填。"
    assert form.errors["division_code"].isVisible()
    assert "999999" in form.errors["division_code"].text()
    assert not form.errors["name"].isVisible()
    assert form.summary.text() == "未保存：请更正标红的内容。"
    assert QApplication.focusWidget() is form.f.enterprise_id
    assert form.f.name.text() == "某扩建项目"   # what was typed is kept
    assert not dialog.tabs.isTabEnabled(1)
    keys(qtbot, form.f.enterprise_id, "不存在的单位")    # typed, never chosen from the list
    click(qtbot, form.save_button)
    assert project_count(store) == 0
    assert "不存在的单位" in form.errors["enterprise_id"].text()
    assert "选择" in form.errors["enterprise_id"].text()


def test_a_lower_class_than_the_unit_needs_a_reason(qtbot, ctx, store, units) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    dialog = open_dialog(qtbot, page, None)
    form = dialog.project_form
    assert not form.reason_visible()
    choose_enterprise(qtbot, dialog, "永固")      # the unit is classed 严重
    type_into(qtbot, form.f.name, "永固水泥成品库")
    type_into(qtbot, form.f.division_code.lineEdit(), HESHUI)
    form.f.risk_class.setCurrentIndex(form.f.risk_class.findText("一般"))
    click(qtbot, form.save_button)
    assert project_count(store) == 0
    assert form.reason_visible()
    assert form.errors["risk_override_reason"].isVisible()
    assert "严重" in form.errors["risk_override_reason"].text()
    assert "类别调整原因" in form.summary.text()
    assert QApplication.focusWidget() is form.f.risk_override_reason
    type_into(qtbot, form.f.risk_override_reason, "仅建设成品仓库，无粉碎、煅烧工序")
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: dialog.project_id() is not None)
    with store.read() as s:
        assert s.query(Project).one().risk_override_reason == "仅建设成品仓库，无粉碎、煅烧工序"


def test_the_project_draft_is_kept_and_restored(qtbot, ctx, store, units) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    dialog = open_dialog(qtbot, page, None)
    type_into(qtbot, dialog.project_form.f.name, "未保存的项目")
    assert load_draft(store, PROJECT_FORM, NEW_KEY).values["name"] == "未保存的项目"
    click(qtbot, dialog.close_button)
    click(qtbot, dialog.keep_btn)
    qtbot.waitUntil(lambda: page.dialog is None)
    dialog = open_dialog(qtbot, page, None)
    assert dialog.project_form.f.name.text() == "未保存的项目"
    assert dialog.project_form.note.isVisible()
    click(qtbot, dialog.close_button)
    click(qtbot, dialog.discard_btn)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert load_draft(store, PROJECT_FORM, NEW_KEY) is None
    assert project_count(store) == 0


# -- stages -----------------------------------------------------------------------------------
def test_save_a_stage_with_reviewers_and_publication(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    pid = seeded["quiet"]
    dialog = open_dialog(qtbot, page, pid)
    assert [dialog.tabs.tabText(i) for i in range(5)] == [
        "项目信息", "1. 预评价", "2. 防护设施设计", "3. 控制效果评价", "4. 竣工验收"]
    form = stage_tab(qtbot, dialog, "pre_assessment")
    assert not form.attachments.add_button.isEnabled()   # the stage is not stored yet
    assert not form.reason_visible()                     # the first stage is never out of order
    assert not form.cells["facts"].isVisible()           # trial-run days: control effect only
    type_into(qtbot, form.f.started_on.edit, ago(60).isoformat())
    type_into(qtbot, form.f.completed_on.edit, ago(30).isoformat())
    type_into(qtbot, form.f.institution, "甘肃陇原职业卫生技术服务有限公司")
    type_into(qtbot, form.f.institution_qualification, "甘卫职技字〔2023〕第017号")
    reviewers = form.f.reviewers
    row = reviewers.add_row("王立新", "主任医师")
    reviewers.set_external(row, True)
    reviewers.add_row("刘芳", "安全主管")
    form.f.published.setChecked(True)
    type_into(qtbot, form.f.publication_evidence, "企业官网公示 2026 年第 3 号")
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: form.summary.text() == "本阶段已保存。")
    rec = stored_stage(store, pid, "pre_assessment")
    assert rec is not None
    assert (rec.started_on, rec.completed_on, rec.institution, rec.published) == (
        ago(60), ago(30), "甘肃陇原职业卫生技术服务有限公司", True)
    assert rec.reviewers == [{"name": "王立新", "title": "主任医师", "external": True},
                             {"name": "刘芳", "title": "安全主管", "external": False}]
    assert rec.publication_evidence == "企业官网公示 2026 年第 3 号"
    assert form.attachments.add_button.isEnabled()
    assert "已完成" in dialog.tabs.tabText(1)
    assert load_draft(store, stage_form("pre_assessment"), pid) is None
    qtbot.waitUntil(lambda: page.model.data(page.model.index(
        page.model.row_of(pid), 4)) == "预评价")


def test_trial_run_days_are_saved_as_a_fact(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    pid = seeded["cement"]
    dialog = open_dialog(qtbot, page, pid)
    form = stage_tab(qtbot, dialog, "control_effect")
    assert form.cells["facts"].isVisible()
    assert form.f.facts.text() == "90"
    form.f.facts.clear()
    type_into(qtbot, form.f.facts, "120")
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: form.summary.text() == "本阶段已保存。")
    assert stored_stage(store, pid, "control_effect").facts == {"trial_run_days": 120}


def test_acceptance_dated_before_control_effect_is_shown_next_to_the_date(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    pid = seeded["cement"]           # control effect completed 60 days ago
    dialog = open_dialog(qtbot, page, pid)
    form = stage_tab(qtbot, dialog, "acceptance")
    type_into(qtbot, form.f.started_on.edit, ago(90).isoformat())
    type_into(qtbot, form.f.completed_on.edit, ago(80).isoformat())
    assert form.reason_visible()      # said early: it begins before the previous completion
    assert "控制效果评价" in form.order_hint.text()
    click(qtbot, form.save_button)
    assert stored_stage(store, pid, "acceptance") is None
    error = form.errors["completed_on"]
    assert error.isVisible()
    assert "控制效果评价" in error.text() and ago(60).isoformat() in error.text()
    assert not form.errors["started_on"].isVisible()
    assert form.summary.text().startswith("未保存")
    assert QApplication.focusWidget() is form.f.completed_on.edit


def test_a_stage_begun_while_the_previous_is_open_needs_the_reason(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    pid = seeded["furniture"]        # pre-assessment started, not completed
    dialog = open_dialog(qtbot, page, pid)
    form = stage_tab(qtbot, dialog, "design")
    assert not form.reason_visible()
    type_into(qtbot, form.f.started_on.edit, ago(20).isoformat())
    assert form.reason_visible()
    assert "预评价" in form.order_hint.text()
    click(qtbot, form.save_button)
    assert stored_stage(store, pid, "design") is None
    assert form.errors["out_of_order_reason"].isVisible()
    assert "预评价" in form.errors["out_of_order_reason"].text()
    assert "提前开展原因" in form.summary.text()
    assert QApplication.focusWidget() is form.f.out_of_order_reason
    type_into(qtbot, form.f.out_of_order_reason, "经批准边评价边设计")
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: form.summary.text() == "本阶段已保存。")
    rec = stored_stage(store, pid, "design")
    assert rec is not None and rec.out_of_order_reason == "经批准边评价边设计"
    assert rec.started_on == ago(20)


def test_a_bad_date_is_named_next_to_it(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    dialog = open_dialog(qtbot, page, seeded["quiet"])
    form = stage_tab(qtbot, dialog, "pre_assessment")
    type_into(qtbot, form.f.started_on.edit, "2025-13-40")
    type_into(qtbot, form.f.completed_on.edit, (TODAY + timedelta(days=5)).isoformat())
    form.f.reviewers.add_row("", "高级工程师")   # a reviewer without a name
    click(qtbot, form.save_button)
    assert stored_stage(store, seeded["quiet"], "pre_assessment") is None
    assert "2025-13-40" in form.errors["started_on"].text()
    assert form.errors["completed_on"].isVisible()
    assert form.errors["reviewers"].isVisible()


def test_the_stage_draft_survives_closing(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    pid = seeded["quiet"]
    dialog = open_dialog(qtbot, page, pid)
    form = stage_tab(qtbot, dialog, "pre_assessment")
    type_into(qtbot, form.f.institution, "某职业卫生技术服务机构")
    click(qtbot, dialog.close_button)
    click(qtbot, dialog.keep_btn)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert load_draft(store, stage_form("pre_assessment"), pid).values["institution"] == \
        "某职业卫生技术服务机构"
    dialog = open_dialog(qtbot, page, pid)
    form = stage_tab(qtbot, dialog, "pre_assessment")
    assert form.f.institution.text() == "某职业卫生技术服务机构"
    assert form.note.isVisible()


# -- documents --------------------------------------------------------------------------------
def png_file(tmp_path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, format="PNG")
    path = tmp_path / "现场照片.png"
    path.write_bytes(out.getvalue())
    return path


def test_attach_a_file_to_a_stage(qtbot, ctx, store, seeded, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    pid = seeded["cement"]
    dialog = open_dialog(qtbot, page, pid)
    form = stage_tab(qtbot, dialog, "control_effect")
    path = png_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    click(qtbot, form.attachments.add_button)
    qtbot.waitUntil(lambda: form.attachments.names() == ["现场照片.png"])
    table = form.attachments.table
    assert table.item(0, 1).text() == "照片"
    assert table.item(0, 2).text().endswith("字节") or "KB" in table.item(0, 2).text()
    with store.read() as s:
        att = s.query(Attachment).one()
        assert att.owner_type == "project_stage" and att.original_name == "现场照片.png"
        assert att.owner_id == stored_stage(store, pid, "control_effect").id


def test_an_unsupported_file_is_refused_with_its_reason(qtbot, ctx, store, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    dialog = open_dialog(qtbot, page, seeded["cement"])
    form = stage_tab(qtbot, dialog, "design")
    bad = tmp_path / "notes.txt"
    bad.write_text("plain text", encoding="utf-8")
    form.attachments.add_file(str(bad))
    assert form.attachments.message.isVisible()
    assert "text/plain" in form.attachments.message.text()
    with store.read() as s:
        assert s.query(Attachment).count() == 0


# -- verification hand-off --------------------------------------------------------------------
def test_start_verification_saves_then_emits(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    pid = seeded["quiet"]
    dialog = open_dialog(qtbot, page, pid)
    form = stage_tab(qtbot, dialog, "pre_assessment")
    type_into(qtbot, form.f.started_on.edit, ago(10).isoformat())
    with qtbot.waitSignal(page.sig_start_verification, timeout=3000) as blocker:
        click(qtbot, form.start_button)
    assert blocker.args == [pid, "pre_assessment"]
    assert stored_stage(store, pid, "pre_assessment").started_on == ago(10)
    qtbot.waitUntil(lambda: page.dialog is None)


def test_start_verification_is_refused_while_the_stage_is_invalid(qtbot, ctx, store, seeded) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    dialog = open_dialog(qtbot, page, seeded["furniture"])
    form = stage_tab(qtbot, dialog, "design")
    type_into(qtbot, form.f.started_on.edit, ago(5).isoformat())
    emitted = []
    page.sig_start_verification.connect(lambda *a: emitted.append(a))
    click(qtbot, form.start_button)
    assert emitted == []
    assert form.errors["out_of_order_reason"].isVisible()
    assert page.dialog is dialog


# -- threads, language, strings ---------------------------------------------------------------
def test_create_and_save_a_stage_with_real_threads(qtbot, threaded_ctx, store, units) -> None:  # type: ignore[no-untyped-def]
    page = ProjectsPage(threaded_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.list_panel.count_label.text() == "共 0 个项目", timeout=5000)
    page.list_panel.open_project(None)
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=5000)
    dialog = page.dialog
    choose_enterprise(qtbot, dialog, "瑞丰")
    type_into(qtbot, dialog.project_form.f.name, "瑞丰家具新厂区")
    type_into(qtbot, dialog.project_form.f.division_code.lineEdit(), XIFENG)
    click(qtbot, dialog.project_form.save_button)
    qtbot.waitUntil(lambda: dialog.tabs.isTabEnabled(1), timeout=5000)
    qtbot.waitUntil(lambda: names(page) == ["瑞丰家具新厂区"], timeout=5000)
    form = stage_tab(qtbot, dialog, "pre_assessment")
    type_into(qtbot, form.f.started_on.edit, ago(3).isoformat())
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: form.summary.text() == "本阶段已保存。", timeout=5000)
    threaded_ctx.runner.wait_idle()
    assert stored_stage(store, dialog.project_id(), "pre_assessment").started_on == ago(3)


def test_english_ui(qtbot, ctx, seeded) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    page = make_page(qtbot, ctx)
    assert page.list_panel.count_label.text() == "3 projects"
    m = page.model
    row = m.row_of(seeded["cement"])
    assert m.data(m.index(row, 3)) == "Severe"
    assert m.headerData(1, Qt.Orientation.Horizontal) == "Construction unit"
    assert page.tabs.tabText(1) == "Verification coverage and random draw"
