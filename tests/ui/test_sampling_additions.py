"""The sampling task screen, beyond the main flow (test_sampling_page.py): the label sheet made
in the background, a saved sample reopened from the grid and corrected, photos on a sample, a
post's hazard factors from the enterprise's declared ones and the catalogue, a signed task's
signatures shown again, and the similar-exposure groups named."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from helpers import click, keys, seed_enterprise, show_window
from PIL import Image
from PySide6.QtCore import Qt
from pypdf import PdfReader

from ohinspect.services.lab_results import ResultInput, add_result
from ohinspect.services.sampling import (PostInput, TaskInput, create_task, record_sample,
                                         save_post, sign_task, transfer_custody)
from ohinspect.services.sampling_queries import get_task_view
from ohinspect.store.database import Store
from tests.unit.test_sampling_service import at, finished_task, personal, png
from ui.sampling import SamplingPage


def _page(qtbot, ctx, task_id: str) -> SamplingPage:  # type: ignore[no-untyped-def]
    page = SamplingPage(ctx)
    show_window(qtbot, page, 1366, 740)
    page.open_task(task_id)
    qtbot.waitUntil(lambda: page.task_view.bundle is not None)
    return page


def _view(store: Store, task_id: str):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return get_task_view(s, task_id)


def _photo(tmp_path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 120, 200)).save(out, format="PNG")
    path = tmp_path / "pump.png"
    path.write_bytes(out.getvalue())
    return path


def _sign(store: Store, task_id: str) -> None:
    actor = store.actor("seed")
    ids = [s.id for s in (*_view(store, task_id).samples, *_view(store, task_id).blanks)]
    transfer_custody(store, actor, task_id, ids, "李振华", "刘洋", "庆阳市疾控中心", at(16), "完好")
    sign_task(store, actor, task_id, png(), png())


def test_labels_are_made_in_the_background(qtbot, threaded_ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    task_id, _ids = finished_task(store, store.actor("seed"))
    page = _page(qtbot, threaded_ctx, task_id)
    labels = page.task_view.labels
    assert labels.button.text() == "打印标签" and labels.button.isVisible()
    click(qtbot, labels.button)
    assert not labels.button.isEnabled()                  # busy: the GUI thread went on
    qtbot.waitUntil(lambda: labels.file is not None, timeout=10_000)
    assert labels.button.isEnabled() and labels.open_button.isVisible()
    assert labels.file.parent == store.data_dir / "documents"
    assert str(labels.file) in labels.status.text()
    text = "".join(p.extract_text() or "" for p in PdfReader(str(labels.file)).pages)
    view = _view(store, task_id)
    for sample in (*view.samples, *view.blanks):
        assert sample.sample_number in text


def test_labels_of_a_task_without_samples_say_why(qtbot, ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    ent = seed_enterprise(store, 7, "合水县示例食品有限公司")
    task = str(create_task(store, store.actor("seed"), TaskInput(
        enterprise_id=ent, monitoring_type="routine", planned_on=date(2026, 11, 20),
        samplers=["李振华"])).record_id)
    page = _page(qtbot, ctx, task)
    click(qtbot, page.task_view.labels.button)
    assert "还没有样品" in page.task_view.labels.status.text()
    assert page.task_view.labels.file is None and page.task_view.labels.button.isEnabled()


def test_a_saved_sample_reopens_from_the_grid_and_is_corrected(qtbot, ctx, store: Store,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    task_id, ids = finished_task(store, store.actor("seed"))
    page = _page(qtbot, ctx, task_id)
    view = page.task_view
    tab = view.samples
    view.tabs.setCurrentWidget(tab)
    before = _view(store, task_id)
    number = next(s.sample_number for s in before.samples if s.id == ids["a2"])
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text() == number)
    assert tab.sample_id is None and not tab.photos.add_button.isEnabled()   # a new sample
    tab.table.setFocus()
    tab.table.selectRow(row)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)                # Enter opens the row
    assert tab.sample_id == ids["a2"] and number in tab.number.text()
    assert tab.w["wearer"].text() == "刘洋" and tab.w["instrument_id"].text() == "P-02"
    tab.w["wearer"].clear()
    keys(qtbot, tab.w["wearer"], "刘洋洋")
    click(qtbot, tab.save_button)
    after = _view(store, task_id)
    corrected = next(s for s in after.samples if s.id == ids["a2"])
    assert corrected.wearer == "刘洋洋" and corrected.sample_number == number
    assert len(after.samples) == len(before.samples)            # corrected, not added
    assert tab.sample_id is None and number not in tab.number.text()   # back to a new one
    assert "已修改" in tab.summary.text()

    # -- photos of the open sample (double-click opens it too)
    rect = tab.table.visualRect(tab.table.model().index(row, 1))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.sample_id == ids["a2"]
    assert tab.photos.add_button.isEnabled() and "0" in tab.photos.title.text()
    tab.photos.sig_add_files.emit([str(_photo(tmp_path))])
    assert len(_view(store, task_id).photos[ids["a2"]]) == 1
    assert tab.sample_id == ids["a2"]                            # still open after the reload
    assert "1" in tab.photos.title.text() and tab.photos.thumbnail_count() == 1
    assert tab.table.item(row, tab.table.columnCount() - 1).text() == "1"
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    tab.photos.sig_add_files.emit([str(tmp_path / "notes.txt")])
    assert "notes.txt" in tab.summary.text()                     # refused in plain words

    # -- once signed: the sample still opens, its photo shows, nothing can be added
    _sign(store, task_id)
    view.reload()
    tab.table.selectRow(row)
    tab.open_selected()
    assert tab.photos.thumbnail_count() == 1 and not tab.photos.add_button.isEnabled()
    assert not tab.save_button.isEnabled()


def test_post_hazards_from_the_declared_factors_and_the_catalogue(qtbot, ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    ent = seed_enterprise(store, 8, "合水县示例家具有限公司",
                          hazard_codes=["chem.benzene", "phys.noise"])
    task = str(create_task(store, store.actor("seed"), TaskInput(
        enterprise_id=ent, monitoring_type="evaluation", planned_on=date(2026, 11, 20),
        samplers=["李振华"])).record_id)
    page = _page(qtbot, ctx, task)
    posts = page.task_view.posts
    page.task_view.tabs.setCurrentWidget(posts)
    boxes = posts.hazards.boxes
    assert list(boxes) == ["chem.benzene", "phys.noise"]
    assert [b.text() for b in boxes.values()] == ["苯", "噪声"]   # names, not codes
    for name, value in (("workshop", "喷漆车间"), ("post", "喷漆岗"), ("workers", "4"),
                        ("same_type_units", "2"), ("exposure_hours_per_day", "8"),
                        ("days_per_week", "5")):
        keys(qtbot, posts.w[name], value)
    qtbot.waitUntil(lambda: boxes["chem.benzene"].isVisible())
    click(qtbot, boxes["chem.benzene"])                            # a declared factor
    assert posts.hazards.picker.item("chem.benzene").checkState(0) == Qt.CheckState.Checked
    assert posts.proposal, posts.proposal_label.text()             # proposal follows the ticks
    posts.hazards.picker.item("chem.toluene").setCheckState(0, Qt.CheckState.Checked)
    assert posts.hazards.codes() == ["chem.benzene", "chem.toluene"]
    click(qtbot, posts.save_button)
    saved = _view(store, task).posts
    assert len(saved) == 1 and saved[0].hazard_codes == ["chem.benzene", "chem.toluene"]
    assert posts.hazards.codes() == [] and not boxes["chem.benzene"].isChecked()  # cleared
    assert "苯、甲苯" in posts.table.item(0, 4).text()
    posts.table.selectRow(0)                                       # reopened: ticked again
    assert posts.hazards.codes() == ["chem.benzene", "chem.toluene"]
    assert boxes["chem.benzene"].isChecked() and not boxes["phys.noise"].isChecked()


def test_a_signed_task_shows_its_signatures_again(qtbot, ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    task_id, _ids = finished_task(store, store.actor("seed"))
    _sign(store, task_id)
    page = _page(qtbot, ctx, task_id)
    sign = page.task_view.sign
    page.task_view.tabs.setCurrentWidget(sign)
    qtbot.wait(20)
    for pad in (sign.sampler_pad, sign.escort_pad):
        assert pad.is_blank() and not pad.isEnabled()             # no strokes drawn here …
        image = pad.grab().toImage()
        dark = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
                   if image.pixelColor(x, y).lightness() < 80)
        assert dark > 20, dark                                     # … yet the ink shows


def test_group_statistics_name_the_factor(qtbot, ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    actor = store.actor("seed")
    task_id, ids = finished_task(store, actor)
    for key, value in (("a1", "1.2"), ("a2", "2.5"), ("a3", "4.1")):
        add_result(store, actor, ResultInput(sample_id=ids[key], analyte="chem.benzene",
                                             value=value))
    page = _page(qtbot, ctx, task_id)
    evaluation = page.task_view.evaluation
    page.task_view.tabs.setCurrentWidget(evaluation)
    text = evaluation.groups.text()
    assert "苯" in text and "chem." not in text and "n = 3" in text, text


def test_the_sample_grid_names_factors_in_english_too(qtbot, ctx, store: Store) -> None:  # type: ignore[no-untyped-def]
    from ohinspect.i18n import set_language

    actor = store.actor("seed")
    ent = seed_enterprise(store, 9, "合水县示例石材有限公司")
    task = str(create_task(store, actor, TaskInput(
        enterprise_id=ent, monitoring_type="routine", planned_on=date(2026, 11, 23),
        samplers=["李振华"])).record_id)
    post = str(save_post(store, actor, task, PostInput(
        workshop="切割车间", post="切割岗", workers=2, same_type_units=1,
        hazard_codes=["chem.benzene"])).record_id)
    record_sample(store, actor, task, personal(post, "张伟", "P-01"))
    set_language("en")
    page = _page(qtbot, ctx, task)
    table = page.task_view.samples.table
    assert table.item(0, 3).text() == "Benzene"
