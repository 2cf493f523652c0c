"""The Review screen: the queue with filters, a decision (refused without comments, then
saved), "Returned to me" with Start correction, and Import batches… (drop files, import in the
background, a summary per file, Cancel)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import func, select

from ohinspect.services.review_import import CANCELLED, IMPORTED, FilesReporter, import_batches
from ohinspect.store.database import Store
from ohinspect.store.models import (Enterprise, Inspection, RectificationEvent, ReviewDecision,
                                    SamplingTask)
from tests.unit.review.world import (AUTHOR, SUPERVISOR_ROLE, arrive, arriving_decision,
                                     build_demo_folder, copy_store)
from ui.review import ReviewPage


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_folder(tmp_path_factory.mktemp("review-ui-demo") / "device")


@pytest.fixture
def store(tmp_path: Path, demo_folder: Path, request) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    """The supervisor's store (demo records from another device); parametrised ``author``: the
    author's own device instead; ``empty``: a new store."""
    which = getattr(request, "param", "supervisor")
    s = (Store.open(tmp_path / "data") if which == "empty" else
         copy_store(demo_folder, tmp_path / "data", new_device=which == "supervisor"))
    yield s
    s.close()


AUTHOR_DEVICE = pytest.mark.parametrize("store", ["author"], indirect=True)
EMPTY_STORE = pytest.mark.parametrize("store", ["empty"], indirect=True)


def _page(qtbot, ctx) -> ReviewPage:  # type: ignore[no-untyped-def]
    ctx.settings.role = SUPERVISOR_ROLE
    page = ReviewPage(ctx)
    qtbot.addWidget(page)
    return page


def _kind(page: ReviewPage, kind: str) -> None:
    page.queue.kind.setCurrentIndex(page.queue.kind.findData(kind))


def test_queue_filters_and_a_decision(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, ctx)
    q = page.queue
    assert q.table.rowCount() == 14 and q.count.text() == "共 14 条"
    assert q.table.item(0, 6).text() == "未审核"
    _kind(page, "sampling_task")
    assert q.table.rowCount() == 3
    assert {q.table.item(r, 1).text() for r in range(3)} == {"采样任务"}
    q.jurisdiction.setText("6201")
    q.jurisdiction.returnPressed.emit()
    assert q.table.rowCount() == 0
    q.jurisdiction.setText("621024")
    q.jurisdiction.returnPressed.emit()
    q.table.selectRow(0)
    chosen = q.current()
    q.radios.button(1).setChecked(True)        # return with comments …
    q.save_button.click()                      # … but none written
    assert not q.message.isHidden() and "必须填写审核意见" in q.message.text()
    with ctx.store.read() as s:
        assert s.scalar(select(func.count()).select_from(ReviewDecision)) == 0
    q.comments.setPlainText("噪声测点布置不符合 GBZ/T 189.8")
    q.save_button.click()
    assert "已保存：退回修改" in q.message.text()
    assert q.table.rowCount() == 2             # the undecided filter hides it now
    q.state.setCurrentIndex(q.state.findData("decided"))
    assert q.table.rowCount() == 1 and q.current().record_id == chosen.record_id
    assert q.table.item(0, 6).text() == "退回修改"
    assert q.comments.toPlainText() == "噪声测点布置不符合 GBZ/T 189.8"


def test_an_inspector_cannot_decide(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, ctx)
    ctx.settings.role = "inspector"
    page.queue.table.selectRow(0)
    page.queue.save_button.click()
    assert "只有审核负责人可以审核" in page.queue.message.text()


@AUTHOR_DEVICE
def test_returned_to_me_start_correction(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ui.review.corrections as corrections

    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(corrections, "open_record",
                        lambda _ctx, kind, rid, _ent, _parent: opened.append((kind, rid)))
    with ctx.store.read() as s:
        signed = s.scalars(select(Inspection.id).where(
            Inspection.kind == "three_simultaneities", Inspection.locked_at.is_not(None))
            .order_by(Inspection.record_number)).first()
    arrive(ctx.store, arriving_decision(ctx.store, "inspection", signed, "return", "补充照片"))
    ctx.actor = ctx.store.actor(AUTHOR)
    page = _page(qtbot, ctx)
    assert page.queue.table.rowCount() == 0          # nothing from other devices to review
    r = page.returned
    assert r.table.rowCount() == 1 and r.empty.isHidden()
    assert r.table.item(0, 4).text() == "补充照片" and r.table.item(0, 5).text() == "未开始"
    assert r.start_button.isEnabled() and not r.open_button.isEnabled()
    r.start_button.click()
    assert r.table.item(0, 5).text() == "已建立更正（修订）草稿"
    assert not r.start_button.isEnabled() and r.open_button.isEnabled()
    with ctx.store.read() as s:
        amendment = s.scalars(select(Inspection).where(Inspection.amends_id == signed)).one()
        assert "补充照片" in amendment.amendment_reason
    assert opened == [("three_simultaneities", amendment.id)]


def _windows(kind: type) -> list:  # type: ignore[type-arg]
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


@AUTHOR_DEVICE
def test_correct_a_returned_sampling_task(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """"Start correction" on a returned signed task makes the amendment and opens it: the
    task view says which task it amends and why."""
    from ui.sampling import SamplingPage

    with ctx.store.read() as s:
        signed = s.scalars(select(SamplingTask).where(SamplingTask.locked_at.is_not(None))
                           .order_by(SamplingTask.task_number)).first()
    arrive(ctx.store, arriving_decision(ctx.store, "sampling_task", signed.id, "return",
                                        "噪声测点需补测"))
    ctx.actor = ctx.store.actor(AUTHOR)
    r = _page(qtbot, ctx).returned
    assert r.table.rowCount() == 1 and r.table.item(0, 1).text() == "采样任务"
    assert r.start_button.isEnabled() and r.message.isHidden()
    r.start_button.click()
    assert r.table.item(0, 5).text() == "已建立更正（修订）草稿" and r.open_button.isEnabled()
    with ctx.store.read() as s:
        amendment = s.scalars(select(SamplingTask).where(SamplingTask.amends_id == signed.id)).one()
    (window,) = _windows(SamplingPage)
    try:
        view = window.task_view
        assert view.task_id == amendment.id and view.lock_label.text() == ""
        assert f"（更正 {signed.task_number}）" in view.header.text()
        assert amendment.task_number in view.header.text()
        assert not view.amends_label.isHidden() and "噪声测点需补测" in view.amends_label.text()
    finally:
        window.close()


@AUTHOR_DEVICE
def test_correct_a_returned_closure(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """A returned closure reopens its item, shown on the rectification page."""
    from ui.rectification.page import RectificationPage

    with ctx.store.read() as s:
        closure = s.scalars(select(RectificationEvent).where(
            RectificationEvent.to_status == "closed").order_by(RectificationEvent.at)).first()
    arrive(ctx.store, arriving_decision(ctx.store, "rectification_event", closure.id, "return",
                                        "销号缺少复查照片"))
    ctx.actor = ctx.store.actor(AUTHOR)
    r = _page(qtbot, ctx).returned
    r.start_button.click()
    assert r.table.item(0, 5).text() == "已重新开立，待复查"
    (window,) = _windows(RectificationPage)
    try:
        detail = window.items.detail
        assert detail is not None and detail.row.id == closure.item_id
        assert detail.row.status == "corrected" and "review_returned" not in detail.actions
        assert detail.events[-1].action == "review_returned"
    finally:
        window.close()


# -- Import batches… ------------------------------------------------------------------------------
@pytest.fixture
def batch_files(tmp_path: Path, ctx) -> list[Path]:  # type: ignore[no-untyped-def]
    """A valid batch from a small field device the supervisor trusts, and a file that is not a
    batch."""
    from tests.unit.batches.conftest import (export_to, make_device, open_supervisor,
                                             small_device_store)

    device = make_device(small_device_store(tmp_path / "field"), tmp_path)
    open_supervisor(ctx.store.data_dir, device).close()  # trusts its key, jurisdiction 6210
    good = export_to(device, tmp_path / "good.ohbatch")
    device.store.close()
    bad = tmp_path / "notes.ohbatch"
    bad.write_text("not a batch")
    return [good, bad]


def _drop(widget, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


@EMPTY_STORE
def test_drop_files_import_and_summary(qtbot, ctx, batch_files) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, ctx)
    _drop(page, batch_files)
    dialog = page.import_dialog
    assert dialog is not None and dialog.list.count() == 2
    _drop(dialog, batch_files[:1])                 # the same file twice is listed once
    assert dialog.list.count() == 2
    dialog.start_button.click()
    text = dialog.summary.toPlainText()
    assert "good.ohbatch：已导入（作者 检查员甲）新增 5" in text
    assert "notes.ohbatch：拒绝导入" in text
    assert dialog.progress_label.text() == "完成：导入 1 个，拒绝 1 个，取消 0 个。"
    assert dialog.close_button.isEnabled() and not dialog.cancel_button.isEnabled()
    with ctx.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 3
    dialog.start_button.click()                    # again: nothing new
    assert "新增 0" in dialog.summary.toPlainText()


@EMPTY_STORE
def test_cancel_stops_before_the_next_file(ctx, batch_files) -> None:  # type: ignore[no-untyped-def]
    class CancelAfterFirst(FilesReporter):
        def check(self) -> None:
            if self.file_index == 2:
                self.cancel()
            super().check()

    outcomes = import_batches(ctx.store, ctx.actor, [batch_files[0], batch_files[1]],
                              reporter=CancelAfterFirst())
    assert [o.outcome for o in outcomes] == [IMPORTED, CANCELLED]


def test_pdf_of_a_reviewed_record_is_made_in_the_background(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, ctx)
    q = page.queue
    _kind(page, "rectification_closure")
    q.table.selectRow(0)
    assert not q.pdf_button.isEnabled()           # a closure has no document
    _kind(page, "workplace_audit")
    q.table.selectRow(0)
    assert q.pdf_button.isEnabled()
    assert q.photos.count() > 0 and q.photos.item(0).icon().availableSizes()
    q.pdf_button.click()
    assert q.message.text().startswith("已生成：")
    path = Path(q.message.text().split("：", 1)[1])
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["three_simultaneities", "workplace_audit", "sampling_task"])
def test_open_a_record_read_only(qtbot, ctx, kind) -> None:  # type: ignore[no-untyped-def]
    from ui.review.records import open_record

    page = _page(qtbot, ctx)
    _kind(page, kind)
    item = page.queue.items[0]
    window = open_record(ctx, item.kind, item.record_id, item.enterprise_id, page)
    assert window is not None and window.isVisible()
    try:
        if kind == "sampling_task":
            view = window.task_view
            assert view.task_id == item.record_id and view.bundle is not None
            assert view.bundle.view.task.locked_at is not None   # signed: tabs read-only
        else:   # the verification flow (an audit's window holds one) on the signed record
            flow = getattr(window, "flow", window)
            assert flow.state.view.inspection.id == item.record_id
            assert flow.model.locked
    finally:
        window.close()
