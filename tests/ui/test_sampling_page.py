"""The 现场采样 area as a sampler uses it: plan a task, add a post and accept its GBZ 159
proposal, record six samples, a blank and a noise point through the keyboard-first form (a bad
flow is refused next to its field and nothing is saved), hand the samples to the lab, sign, add
results by hand and from a CSV, and read the verdicts with every step of one.

With ``SMP_SHOTS=DIR`` (run under Xvfb at 1366×768) the sample form and the evaluation tab are
saved as ``DIR/smp_*.png`` for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import click, keys, seed_enterprise, show_window, type_into
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from ohinspect.services.sampling_queries import get_task_view
from ui.sampling import SamplingPage
from ui.widgets.combos import select_code

SHOTS = os.environ.get("SMP_SHOTS")


def shot(qtbot, widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        qtbot.wait(50)
        widget.window().grab().save(str(Path(SHOTS) / f"smp_{name}.png"))


def sign_on(qtbot, pad) -> None:  # type: ignore[no-untyped-def]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 60))
    for x in range(40, 220, 20):
        qtbot.mouseMove(pad, QPoint(x, 40 + (x // 20) % 3 * 15))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(230, 50))


def fill_sample(qtbot, tab, wearer: str, start: str, end: str,  # type: ignore[no-untyped-def]
                flow_before: str = "0.2", flow_after: str = "0.2") -> None:
    w = tab.w
    for name, value in (("wearer", wearer), ("location", "配料釜旁"), ("instrument_id", "P-01"),
                        ("calibrator_id", "CAL-01"), ("flow_before_lpm", flow_before),
                        ("flow_after_lpm", flow_after), ("started_at", start), ("ended_at", end),
                        ("representative_hours", "8"), ("temperature_c", "18"),
                        ("pressure_kpa", "101.0"), ("humidity_pct", "45")):
        w[name].clear()
        keys(qtbot, w[name], value)


def test_a_task_from_plan_to_verdict(qtbot, ctx, store,  # type: ignore[no-untyped-def]
                                     tmp_path: Path) -> None:
    ent = seed_enterprise(store, 1, "合水县示例化工有限公司", industry_code="2614")
    page = SamplingPage(ctx)
    show_window(qtbot, page, 1366, 740)
    assert page.table.rowCount() == 0

    # -- plan the task
    click(qtbot, page.new_button)
    form = page.new_form
    form.enterprise.set_code(ent)
    select_code(form.monitoring_type, "evaluation")
    type_into(qtbot, form.detection_standard, "GBZ 159-2004")
    type_into(qtbot, form.samplers, "李振华、王海燕")
    type_into(qtbot, form.escort_name, "郑梅")
    type_into(qtbot, form.weather, "晴")
    shot(qtbot, page, "new_task")
    click(qtbot, form.save_button)
    view = page.task_view
    assert page.stack.currentWidget() is view and view.bundle is not None
    assert "合水县示例化工有限公司" in view.header.text()

    # -- a post and its proposal
    posts = view.posts
    view.tabs.setCurrentWidget(posts)
    for name, value in (("workshop", "合成车间"), ("post", "配料岗"), ("job_type", "配料工"),
                        ("workers", "8"), ("same_type_units", "5"),
                        ("exposure_hours_per_day", "8"), ("days_per_week", "5")):
        type_into(qtbot, posts.w[name], value)
    posts.hazards.set_codes(["chem.benzene", "phys.noise"])
    posts.update_proposal()
    assert posts.proposal and posts.personal_samples.text() != ""
    assert "建议" in posts.proposal_label.text()
    proposed = posts.personal_samples.text()
    posts.personal_samples.setText("99")                   # adjusting needs a reason
    click(qtbot, posts.save_button)
    assert posts.plan.messages["adjust_reason"].isVisible()
    assert posts.table.rowCount() == 0
    posts.personal_samples.setText(proposed)               # accept the proposal as it is
    click(qtbot, posts.save_button)
    assert posts.table.rowCount() == 1, posts.summary.text()
    post_id = view.bundle.view.posts[0].id
    posts.table.selectRow(0)
    shot(qtbot, page, "posts")
    click(qtbot, posts.new_button)
    assert str(view.bundle.view.posts[0].accepted["personal_samples"]) == proposed

    # -- samples through the form
    tab = view.samples
    view.tabs.setCurrentWidget(tab)
    assert "样品编号" in tab.number.text()
    select_code(tab.post, post_id)
    select_code(tab.hazard, "chem.benzene")
    tab.w["wearer"].setFocus()
    qtbot.keyClick(tab.w["wearer"], Qt.Key.Key_Return)     # Enter moves field to field
    assert QApplication.focusWidget() is tab.w["location"]
    fill_sample(qtbot, tab, "张三", "2026-11-20 08:00", "2026-11-20 12:00", flow_before="0")
    click(qtbot, tab.save_button)
    assert tab.grid.messages["flow_before_lpm"].isVisible()
    assert tab.grid.messages["flow_before_lpm"].text()
    assert tab.summary.isVisible()
    with store.read() as s:
        assert get_task_view(s, view.task_id).samples == []
    shot(qtbot, page, "sample_form_error")
    people = ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
    for i, who in enumerate(people):
        if i:
            assert tab.w["flow_before_lpm"].text() == "0.2"   # carried from the previous one
            assert tab.post.currentData() == post_id
        start, end = f"2026-11-20 {8 + i % 2:02d}:00", f"2026-11-20 {12 + i % 2:02d}:00"
        if who == "孙八":                                   # the pump drifted by 15 %
            fill_sample(qtbot, tab, who, start, end, flow_after="0.17")
            assert "15.0%" in tab.drift.text()
            click(qtbot, tab.save_button)
            drift = tab.grid.messages["drift_reason"]
            assert drift.isVisible() and "15" in drift.text(), tab.summary.text()
            assert len(view.bundle.view.samples) == 5
            keys(qtbot, tab.w["drift_reason"], "采样中管路受挤压，已排除")
        else:
            fill_sample(qtbot, tab, who, start, end)
        click(qtbot, tab.save_button)
        assert not tab.grid.messages["flow_before_lpm"].isVisible(), tab.summary.text()
    assert len(view.bundle.view.samples) == 6
    assert tab.table.rowCount() == 6
    shot(qtbot, page, "sample_form")
    click(qtbot, tab.blank_button)
    select_code(tab.hazard, "chem.benzene")
    keys(qtbot, tab.w["location"], "现场空白")
    click(qtbot, tab.save_button)
    assert len(view.bundle.view.blanks) == 1, tab.summary.text()

    # -- a noise point
    noise = view.noise
    view.tabs.setCurrentWidget(noise)
    select_code(noise.post, post_id)
    for name, value in (("point", "配料釜旁"), ("meter_id", "AWA-01"), ("readings_db", "85"),
                        ("reading_2", "86"), ("reading_3", "87"), ("exposure_hours", "8"),
                        ("days_per_week", "5"), ("calibrator_before_db", "94.0"),
                        ("calibrator_after_db", "94.1")):
        type_into(qtbot, noise.w[name], value)
    assert "86.1" in noise.laeq.text()
    click(qtbot, noise.save_button)
    assert noise.table.rowCount() == 1, noise.summary.text()
    shot(qtbot, page, "noise")

    # -- custody
    custody = view.custody
    view.tabs.setCurrentWidget(custody)
    assert custody.pending.count() == 7
    click(qtbot, custody.all_button)
    for name, value in (("handed_by", "李振华"), ("received_by", "刘洋"), ("lab", "庆阳市疾控中心"),
                        ("condition", "完好")):
        type_into(qtbot, custody.w[name], value)
    click(qtbot, custody.transfer_button)
    assert custody.pending.count() == 0, custody.summary.text()
    assert custody.table.rowCount() == 1

    # -- sign
    sign = view.sign
    view.tabs.setCurrentWidget(sign)
    click(qtbot, sign.sign_button)                          # blank pads are refused
    assert sign.sampler_msg.isVisible() and not view.bundle.view.locked
    sign_on(qtbot, sign.sampler_pad)
    sign_on(qtbot, sign.escort_pad)
    click(qtbot, sign.sign_button)
    assert view.bundle.view.locked, sign.summary.text()
    assert view.lock_label.text()
    shot(qtbot, page, "signed")
    assert not tab.save_button.isEnabled() and not posts.save_button.isEnabled()

    # -- results: by hand and from a CSV (still allowed after signing)
    results = view.results
    view.tabs.setCurrentWidget(results)
    numbers = [s.sample_number for s in view.bundle.view.samples]
    select_code(results.sample, view.bundle.view.samples[0].id)
    type_into(qtbot, results.w["analyte"], "chem.benzene")
    type_into(qtbot, results.w["value"], "0.82")
    click(qtbot, results.add_button)
    assert results.table.rowCount() == 1, results.summary.text()
    bad = tmp_path / "bad.csv"
    bad.write_text("sample_number,analyte,result,unit\nNOPE,苯,0.5,mg/m³\n", encoding="utf-8")
    results.import_csv(bad)
    assert results.errors.isVisible() and results.errors.count() == 1
    good = tmp_path / "results.csv"
    good.write_text("sample_number,analyte,result,unit,lod\n" + "".join(
        f"{n},苯,{v},mg/m³,0.05\n" for n, v in zip(numbers[1:], ("0.9", "1.1", "<0.05", "2.4",
                                                                  "0.7"), strict=True)),
        encoding="utf-8-sig")
    results.import_csv(good)
    assert not results.errors.isVisible()
    assert results.table.rowCount() == 6, results.summary.text()

    # -- evaluation: verdicts in colour, the steps of one
    evaluation = view.evaluation
    view.tabs.setCurrentWidget(evaluation)
    assert evaluation.table.rowCount() >= 2
    verdicts = {evaluation.table.item(r, 2).text() for r in range(evaluation.table.rowCount())}
    assert verdicts <= {"符合", "不符合", "不判定"}
    factors = [evaluation.table.item(r, 1).text() for r in range(evaluation.table.rowCount())]
    assert any("苯" in f for f in factors), factors
    evaluation.table.selectRow(0)
    assert evaluation.steps.rowCount() > 0
    assert evaluation.reason.text()
    shot(qtbot, page, "evaluation")

    # -- back to the list: the counts
    click(qtbot, view.back_button)
    assert page.table.rowCount() == 1
    row = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
    assert row[0] == "合水县示例化工有限公司" and row[4:] == ["1", "7", "1"], row


def _task_with_noise(store, ent: str) -> str:  # type: ignore[no-untyped-def]
    from datetime import date, datetime

    from ohinspect.services.sampling import (NoiseInput, PostInput, TaskInput, create_task,
                                             record_noise, save_post)
    actor = store.actor("seed")
    task = str(create_task(store, actor, TaskInput(
        enterprise_id=ent, monitoring_type="routine", planned_on=date(2026, 11, 20),
        samplers=["李振华"], escort_name="郑梅")).record_id)
    post = str(save_post(store, actor, task, PostInput(
        workshop="原料车间", post="破碎岗", workers=3, same_type_units=2,
        hazard_codes=["phys.noise"], exposure_hours_per_day=8, days_per_week=5)).record_id)
    record_noise(store, actor, task, NoiseInput(
        post_id=post, point="破碎机旁", meter_id="AWA-01", readings_db=[88, 89, 90],
        exposure_hours=8, days_per_week=5, calibrator_before_db=94.0, calibrator_after_db=94.0,
        measured_at=datetime(2026, 11, 20, 10, 0).astimezone()))
    return task


def test_escort_refuses_with_a_witness_and_the_task_locks(qtbot, ctx, store) -> None:  # type: ignore[no-untyped-def]
    ent = seed_enterprise(store, 2, "合水县示例建材有限公司")
    task = _task_with_noise(store, ent)
    page = SamplingPage(ctx)
    show_window(qtbot, page, 1366, 740)
    assert page.table.rowCount() == 1
    page.table.selectRow(0)
    click(qtbot, page.open_button)
    view = page.task_view
    assert view.task_id == task and view.noise.table.rowCount() == 1
    sign = view.sign
    view.tabs.setCurrentWidget(sign)
    sign_on(qtbot, sign.sampler_pad)
    sign.refused.click()
    assert sign.witness.isEnabled() and not sign.escort_pad.isEnabled()
    type_into(qtbot, sign.witness, "王建国")
    click(qtbot, sign.sign_button)
    assert view.bundle.view.locked, sign.summary.text()
    assert "王建国" in sign.state.text()
    assert not sign.sign_button.isEnabled() and not view.noise.save_button.isEnabled()
    assert view.results.add_button.isEnabled()


def test_reads_and_evaluation_run_in_the_background(qtbot, threaded_ctx, store) -> None:  # type: ignore[no-untyped-def]
    ent = seed_enterprise(store, 3, "合水县示例机械有限公司")
    task = _task_with_noise(store, ent)
    page = SamplingPage(threaded_ctx)
    show_window(qtbot, page, 1366, 740)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    page.open_task(task)
    view = page.task_view
    qtbot.waitUntil(lambda: view.bundle is not None)
    view.tabs.setCurrentWidget(view.evaluation)
    qtbot.waitUntil(lambda: view.evaluation.table.rowCount() == 1)
    assert view.evaluation.table.item(0, 2).text() == "不符合"
    assert view.evaluation.steps.rowCount() > 0
