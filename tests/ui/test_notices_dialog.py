"""The notice dialog: pick findings, issue, and the PDF carries the party, number and findings."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt

from ohinspect.services.numbering import ensure_demo_blocks
from ohinspect.store.models import Notice
from tests.unit.test_notices import TODAY, _items
from tests.unit.test_institutions import make_enterprise
from ui.notices.dialog import IssueNoticeDialog


def test_dialog_issues_a_notice_pdf(qtbot, threaded_ctx, store) -> None:  # type: ignore[no-untyped-def]
    actor = store.actor("tester")
    ent = make_enterprise(store, actor, "合水县示例水泥有限公司", "employer")
    ensure_demo_blocks(store, actor, "621024", TODAY.year)
    _items(store, actor, ent)
    dialog = IssueNoticeDialog(threaded_ctx, ent)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.items.count() == 2)
    [dust] = [dialog.items.item(i) for i in range(2) if "粉碎" in dialog.items.item(i).text()]
    dust.setCheckState(Qt.CheckState.Unchecked)                   # only the other finding
    dialog.kind.setCurrentIndex(dialog.kind.findData("supervision_opinion"))
    dialog.issue()
    qtbot.waitUntil(lambda: dialog.pdf is not None or dialog.messages.isVisible(), timeout=20000)
    assert dialog.pdf is not None, dialog.messages.text()
    assert dialog.open_button.isVisible() or not dialog.isVisible()
    with store.read() as s:
        notice = s.query(Notice).one()
    text = "".join(p.extract_text() for p in PdfReader(dialog.pdf).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert notice.status == "issued"
    for expected in ("卫生监督意见书", "合水县示例水泥有限公司", notice.number,
                     "未设置职业卫生管理机构"):
        assert expected in compact, expected
    assert "粉碎工序除尘设施未运行" not in compact
