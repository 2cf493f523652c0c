"""The rectification screen driven as a user would: an item goes from open to closed (correction
with an evidence photo → a failing review with its note → correction again → review passed, 销号
by a roster officer); overdue rows stand out by icon and words as well as colour; the other tabs
show the look-back item, the due-date reasons and the rates."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification import open_item_in
from ohinspect.services.roster import add_inspector
from ohinspect.store.models import RectificationItem
from tests.unit.test_rectification import jpeg, make_enterprise
from ui.rectification import RectificationPage
from ui.rectification.items_tab import OVERDUE_BACKGROUND


def open_item(store, actor, ent: str, days: int, opened_days_ago: int = 0,  # type: ignore[no-untyped-def]
              finding: str = "除尘器风机停机") -> str:
    today = local_today()
    with store.unit_of_work(actor) as uow:
        item = open_item_in(uow, enterprise_id=ent, source_type="audit", source_id="audit-1",
                            source_ref="合卫监〔2026〕7号", finding=finding,
                            requirement="恢复除尘器运行", deadline=today + timedelta(days=days),
                            today=today - timedelta(days=opened_days_ago))
        uow.commit()
    return item.id


def test_an_item_from_open_to_closed_through_the_screen(qtbot, ctx, store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    actor = store.actor("tester")
    add_inspector(store, actor, "tester", "62102420190099", "621024")
    ent = make_enterprise(store, actor)
    late = open_item(store, actor, ent, -3, opened_days_ago=10, finding="警示标识缺失")
    item_id = open_item(store, actor, ent, 20)
    page = RectificationPage(ctx)
    qtbot.addWidget(page)
    tab = page.items
    assert [r.id for r in tab.rows] == [late, item_id]

    # the overdue row: an icon, the days in words and a red background
    status = tab.table.item(0, 0)
    assert "逾期 3 天" in status.text() and not status.icon().isNull()
    assert status.background().color() == OVERDUE_BACKGROUND
    assert "逾期" not in tab.table.item(1, 0).text() and tab.table.item(1, 0).icon().isNull()

    tab.table.selectRow(1)
    assert tab.detail is not None and tab.detail.row.id == item_id
    dialog = tab.open_action("submit_correction")
    photo = tmp_path / "after.jpg"
    photo.write_bytes(jpeg())
    dialog.add_files([str(photo)])
    dialog.note.setPlainText("已修复风机")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert tab.detail.row.status == "corrected"
    assert {"review_pass", "review_fail"} <= set(tab.action_buttons)

    # a failing review needs a note: refused next to the field, then done
    dialog = tab.open_action("review_fail")
    dialog.submit()
    assert dialog.messages["note"].isVisible() and "复查意见" in dialog.messages["note"].text()
    dialog.note.setPlainText("风机仍未运行")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert tab.detail.row.status == "open"

    dialog = tab.open_action("submit_correction")
    dialog.add_files([str(photo)])
    dialog.submit()
    dialog = tab.open_action("review_pass")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    with store.read() as s:
        row = s.get(RectificationItem, item_id)
        assert row is not None and row.status == "closed" and row.closed_by == "tester"
    html = tab.info.toHtml()
    for words in ("开立", "提交整改", "复查不合格", "风机仍未运行", "复查合格并销号", "证据 1 份"):
        assert words in html
    assert [r.id for r in page.look_back.rows] == [item_id]

    page.tabs.setCurrentIndex(2)
    assert page.due.table.rowCount() == 2     # a severe employer with no test, no evaluation
    assert "从未进行检测" in page.due.table.item(0, 5).text() + page.due.table.item(1, 5).text()
    page.tabs.setCurrentIndex(3)
    assert page.rates.table.rowCount() in (0, 1)


def test_the_overdue_filter_and_text_search(qtbot, ctx, store) -> None:  # type: ignore[no-untyped-def]
    actor = store.actor("tester")
    ent = make_enterprise(store, actor)
    late = open_item(store, actor, ent, -1, opened_days_ago=5, finding="警示标识缺失")
    open_item(store, actor, ent, 30)
    page = RectificationPage(ctx)
    qtbot.addWidget(page)
    page.items.overdue_only.setChecked(True)
    assert [r.id for r in page.items.rows] == [late]
    page.items.overdue_only.setChecked(False)
    page.items.text.setText("警示")
    qtbot.keyClick(page.items.text, Qt.Key.Key_Return)
    assert [r.id for r in page.items.rows] == [late]
    assert page.items.count.text() == "显示 1 项，共 1 项"
