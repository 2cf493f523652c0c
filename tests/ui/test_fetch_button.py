"""The import dialog's "从平台获取" button (issue 7 item 2): the fetch runs as background work
with progress and Cancel, then shows the same summary lines as a file import. The core is
tested for real against the platform (tests/integration/test_batch_fetch.py); here it is a
stub."""

from __future__ import annotations

from pathlib import Path

from ohinspect.batches.fetch import FetchReport
from ohinspect.batches.importer import ImportSummary
from ohinspect.progress import Reporter
from ohinspect.services.review_import import IMPORTED, REFUSED, FileOutcome
from ohinspect.sync.errors import SyncError
from ui.review import import_dialog
from ui.review.import_dialog import ImportBatchesDialog


def test_fetch_shows_progress_then_the_summary(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportBatchesDialog(ctx)
    qtbot.addWidget(dialog)
    seen: dict[str, object] = {}
    ctx.credentials = shared = object()   # what the Sync page read (a password typed this session)

    def stub(store, actor, creds, reporter: Reporter) -> FetchReport:  # type: ignore[no-untyped-def]
        seen["creds"] = creds
        seen["busy"] = (dialog.fetch_button.isEnabled(), dialog.start_button.isEnabled(),
                        dialog.cancel_button.isEnabled(), dialog.close_button.isEnabled())
        reporter.progress(0, 0, "platform-7-abcdef12")
        dialog._poll()
        seen["label"] = dialog.progress_label.text()
        summary = ImportSummary(Path("platform-7-abcdef12"), "b", "d", "检查员甲")
        for _ in range(3):
            summary.add("enterprise", "new")
        summary.blobs_new, summary.changed = 1, True
        return FetchReport("https://platform.example", [
            FileOutcome(summary.path, IMPORTED, summary),
            FileOutcome(Path("platform-9-0badf00d"), REFUSED, message="签名不符")])

    monkeypatch.setattr(import_dialog, "fetch_job", stub)
    dialog.fetch_button.click()

    assert seen["busy"] == (False, False, True, False)  # Cancel only, while it runs
    assert seen["creds"] is shared
    assert "platform-7-abcdef12" in str(seen["label"])
    text = dialog.summary.toPlainText()
    assert "platform-7-abcdef12：已导入（作者 检查员甲）新增 3" in text
    assert "platform-9-0badf00d：拒绝导入 —— 签名不符" in text
    assert "下次获取将从该批次重新开始" in text
    assert "导入 1 个批次，拒收 1 个" in dialog.progress_label.text()
    assert dialog.fetch_button.isEnabled() and dialog.close_button.isEnabled()
    assert not dialog.cancel_button.isEnabled()


def test_fetch_failure_is_one_sentence(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportBatchesDialog(ctx)
    qtbot.addWidget(dialog)

    def stub(store, actor, creds, reporter: Reporter) -> FetchReport:  # type: ignore[no-untyped-def]
        raise SyncError("本设备尚未登记到平台。", code="not_enrolled")

    monkeypatch.setattr(import_dialog, "fetch_job", stub)
    dialog.fetch_button.click()
    assert dialog.summary.toPlainText() == "本设备尚未登记到平台。"
    assert dialog.fetch_button.isEnabled()
