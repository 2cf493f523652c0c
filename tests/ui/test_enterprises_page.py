"""The enterprise registry screen, driven through its real widgets on a real store."""

from __future__ import annotations

import pytest
from helpers import HESHUI, XIFENG, keys, show_window, type_into, uscc
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from ohinspect.i18n import set_language
from ohinspect.services.drafts import NEW_KEY, load_draft, save_draft
from ohinspect.services.enterprise_import import import_enterprises
from ohinspect.services.enterprise_queries import get_enterprise
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import DRAFT_FORM, update_enterprise
from ohinspect.services.listing import list_enterprises
from ohinspect.standards.uscc import ALPHABET
from ui.enterprises.page import EnterprisesPage
from ui.widgets.table_model import PAGE_SIZE

def bad_check_char(code: str) -> str:
    return code[:-1] + next(c for c in ALPHABET if c != code[-1])


def enterprise(i: int, name: str, **kw: object) -> EnterpriseInput:
    values: dict[str, object] = dict(name=name, uscc=uscc(i, str(kw.get("division_code", HESHUI))),
                                     division_code=HESHUI, contact_person="王建国",
                                     contact_phone="0934-5551234", workforce=100, exposed_count=30)
    values.update(kw)
    return EnterpriseInput(**values)  # type: ignore[arg-type]


def seed(store, *items: EnterpriseInput) -> list[str]:  # type: ignore[no-untyped-def]
    result = import_enterprises(store, store.actor("seed"), [(None, e) for e in items])
    return sorted(result.changes.record_ids)


def rows_in_db(store, include_deleted: bool = False) -> list[dict]:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return list_enterprises(session, include_deleted=include_deleted)


def shown_names(page: EnterprisesPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


@pytest.fixture
def three(store):  # type: ignore[no-untyped-def]
    return seed(store,
                enterprise(1, "合水县永固水泥有限公司", industry_code="3011", risk_class="severe",
                           risk_rule_set="nhc-2021", address="合水县西华池镇工业集中区 12 号"),
                enterprise(2, "西峰区瑞丰家具有限公司", division_code=XIFENG, industry_code="2110",
                           risk_class="general", risk_rule_set="nhc-2021"),
                enterprise(3, "合水县陇东药业有限公司", industry_code="2710",
                           legal_representative="李秀英"))


def make_page(qtbot, ctx) -> EnterprisesPage:  # type: ignore[no-untyped-def]
    return show_window(qtbot, EnterprisesPage(ctx), 1150, 650)  # type: ignore[return-value]


@pytest.fixture
def page(qtbot, ctx, three):  # type: ignore[no-untyped-def]
    return make_page(qtbot, ctx)


def button(page: EnterprisesPage, name: str) -> QPushButton:
    found = page.findChild(QPushButton, f"btn_{name}")
    assert found is not None
    return found


def open_new_editor(qtbot, page: EnterprisesPage):  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button(page, "new"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editor is not None and page.editor.isVisible())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.editor)
    return page.editor


def save(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)


def fill_basics(qtbot, editor, name: str, code: str, division: str = HESHUI) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, editor.f.name, name)
    type_into(qtbot, editor.f.uscc, code)
    type_into(qtbot, editor.f.division_code.lineEdit(), division)


# -- list, search and filters ----------------------------------------------------------------
def test_list_shows_rows_sorted_by_name_with_display_texts(page: EnterprisesPage) -> None:
    assert page.count_label.text() == "共 3 家"
    assert shown_names(page) == sorted(shown_names(page))
    m = page.model
    row = shown_names(page).index("合水县永固水泥有限公司")
    cells = [m.data(m.index(row, c)) for c in range(m.columnCount())]
    assert cells[1] == uscc(1)
    assert cells[2] == "甘肃省庆阳市合水县"
    assert "水泥" in cells[3]
    assert cells[4] == "严重"
    assert cells[5] == "100 / 30"
    assert m.headerData(0, Qt.Orientation.Horizontal) == "单位名称"


def test_typing_a_search_filters_after_a_pause(qtbot, page: EnterprisesPage) -> None:  # type: ignore[no-untyped-def]
    keys(qtbot, page.filter_bar.search, "水泥")
    assert page.count_label.text() == "共 3 家"   # debounced: not yet searched
    qtbot.waitUntil(lambda: page.count_label.text() == "共 1 家", timeout=2000)
    assert shown_names(page) == ["合水县永固水泥有限公司"]
    page.filter_bar.search.clear()
    keys(qtbot, page.filter_bar.search, "李秀英")  # legal representative
    qtbot.waitUntil(lambda: shown_names(page) == ["合水县陇东药业有限公司"], timeout=2000)
    page.filter_bar.search.clear()
    keys(qtbot, page.filter_bar.search, uscc(2, XIFENG)[:12].lower())  # start of a code
    qtbot.waitUntil(lambda: shown_names(page) == ["西峰区瑞丰家具有限公司"], timeout=2000)
    page.filter_bar.search.clear()
    qtbot.waitUntil(lambda: page.count_label.text() == "共 3 家", timeout=2000)


def test_combo_filters(qtbot, page: EnterprisesPage) -> None:  # type: ignore[no-untyped-def]
    bar = page.filter_bar
    bar.division.set_code(XIFENG)
    assert shown_names(page) == ["西峰区瑞丰家具有限公司"]
    bar.division.set_code("621000")   # 庆阳市: the prefecture covers both counties
    assert page.count_label.text() == "共 3 家"
    bar.division.set_code("")
    bar.industry.set_code("C")         # section 制造业 covers 30, 21, 27
    assert page.count_label.text() == "共 3 家"
    bar.industry.set_code("30")
    assert shown_names(page) == ["合水县永固水泥有限公司"]
    bar.industry.set_code("")
    bar.risk.setCurrentIndex(bar.risk.findText("一般"))
    assert shown_names(page) == ["西峰区瑞丰家具有限公司"]
    bar.risk.setCurrentIndex(bar.risk.findText("未分类"))
    assert shown_names(page) == ["合水县陇东药业有限公司"]
    assert bar.risk.itemText(0) == "全部" and bar.division.itemText(0) == "全部"


def test_division_filter_is_searchable_by_typing(qtbot, page: EnterprisesPage) -> None:  # type: ignore[no-untyped-def]
    combo = page.filter_bar.division
    assert combo.findText("甘肃省庆阳市合水县 621024") > 0
    combo.setFocus()
    keys(qtbot, combo.lineEdit(), "西峰")
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown_names(page) == ["西峰区瑞丰家具有限公司"], timeout=2000)
    assert combo.code() == XIFENG


def test_results_of_a_stale_search_are_dropped(qtbot, page: EnterprisesPage, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = []
    monkeypatch.setattr(page.ctx, "read", lambda q, *a, on_done: calls.append(on_done))
    page.refresh(keep_position=False)   # an older, slow search
    page.refresh(keep_position=False)   # the user typed on
    calls[1](["a-new-id"])
    calls[0](["an-old-id", "another-old-id"])  # arrives late: ignored
    assert page.model.ids() == ["a-new-id"]
    assert page.count_label.text() == "共 1 家"


# -- editor: create, validation next to fields ------------------------------------------------
def test_bad_check_character_needs_a_reason_then_saves(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    editor = open_new_editor(qtbot, page)
    assert not editor.reason_visible()
    code = bad_check_char(uscc(50))
    fill_basics(qtbot, editor, "合水县宏达砂石料有限公司", code)
    assert editor.uscc_hint.isVisible() and "校验" in editor.uscc_hint.text()  # live hint
    save(qtbot, editor)
    assert rows_in_db(store) and len(rows_in_db(store)) == 3   # nothing saved
    assert editor.isVisible()
    assert editor.errors["uscc"].isVisible()
    assert "例外原因" in editor.errors["uscc"].text()
    assert editor.reason_visible()
    assert editor.f.name.text() == "合水县宏达砂石料有限公司"    # everything typed is kept
    assert QApplication.focusWidget() is editor.f.uscc_override_reason

    type_into(qtbot, editor.f.uscc_override_reason, "已核对营业执照原件")
    save(qtbot, editor)
    qtbot.waitUntil(lambda: page.editor is None)
    saved = [r for r in rows_in_db(store) if r["name"] == "合水县宏达砂石料有限公司"]
    assert len(saved) == 1 and saved[0]["uscc"] == code
    with store.read() as session:
        assert get_enterprise(session, saved[0]["id"]).uscc_override_reason == "已核对营业执照原件"
    assert page.current_id() == saved[0]["id"]          # the new row is selected
    assert load_draft(store, DRAFT_FORM, NEW_KEY) is None  # the service removed the draft


def test_exposed_more_than_workforce_is_shown_next_to_exposed(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    editor = open_new_editor(qtbot, page)
    fill_basics(qtbot, editor, "合水县恒泰化工有限公司", uscc(60))
    type_into(qtbot, editor.f.workforce, "40")
    type_into(qtbot, editor.f.exposed_count, "55")
    save(qtbot, editor)
    assert len(rows_in_db(store)) == 3
    assert editor.errors["exposed_count"].isVisible()
    assert "55" in editor.errors["exposed_count"].text()
    assert not editor.errors["workforce"].isVisible()
    assert QApplication.focusWidget() is editor.f.exposed_count
    assert editor.f.exposed_count.text() == "55"


def test_unknown_division_is_shown_next_to_division(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    editor = open_new_editor(qtbot, page)
    fill_basics(qtbot, editor, "某某公司", uscc(61), division="999999")
    save(qtbot, editor)
    assert len(rows_in_db(store)) == 3
    assert editor.errors["division_code"].isVisible()
    assert "999999" in editor.errors["division_code"].text()
    assert not editor.errors["name"].isVisible()
    assert editor.summary.isVisible()


def test_division_combo_finds_by_name(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    editor = open_new_editor(qtbot, page)
    combo = editor.f.division_code
    combo.setFocus()
    keys(qtbot, combo.lineEdit(), "合水")
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert combo.code() == HESHUI
    assert combo.currentText() == "甘肃省庆阳市合水县 621024"


def test_hazards_and_all_fields_are_saved(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    editor = open_new_editor(qtbot, page)
    fill_basics(qtbot, editor, "合水县金桥涂料有限公司", uscc(62))
    editor.f.industry_code.set_code("2641")
    editor.f.scale.setCurrentIndex(editor.f.scale.findData("small"))
    editor.f.risk_class.setCurrentIndex(editor.f.risk_class.findText("严重"))
    picker = editor.f.hazard_codes
    type_into(qtbot, picker.filter_edit, "甲苯")
    toluene = picker.item("chem.toluene")
    assert toluene is not None and not toluene.isHidden()
    assert picker.item("dust.silica").isHidden()
    toluene.setCheckState(0, Qt.CheckState.Checked)
    assert picker.summary.text() == "已选 1 项"
    editor.f.notes.setPlainText("2025 年检查发现通风不足")
    save(qtbot, editor)
    qtbot.waitUntil(lambda: page.editor is None)
    row = next(r for r in rows_in_db(store) if r["name"] == "合水县金桥涂料有限公司")
    with store.read() as session:
        ent = get_enterprise(session, row["id"])
    assert ent.hazard_codes == ["chem.toluene"]
    assert (ent.industry_code, ent.scale, ent.risk_class, ent.risk_rule_set) == (
        "2641", "small", "severe", "nhc-2021")
    assert ent.notes == "2025 年检查发现通风不足"


def test_edit_a_field_and_save(qtbot, page, store, three) -> None:  # type: ignore[no-untyped-def]
    row = shown_names(page).index("合水县陇东药业有限公司")
    page.select_row(row)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)   # Enter opens the editor
    qtbot.waitUntil(lambda: page.editor is not None)
    editor = page.editor
    assert editor.f.name.text() == "合水县陇东药业有限公司"
    assert editor.f.division_code.currentText() == "甘肃省庆阳市合水县 621024"
    editor.f.contact_phone.clear()
    type_into(qtbot, editor.f.contact_phone, "13800138000")
    save(qtbot, editor)
    qtbot.waitUntil(lambda: page.editor is None)
    rid = page.model.id_at(row)
    with store.read() as session:
        assert get_enterprise(session, rid).contact_phone == "13800138000"
    assert page.model.data(page.model.index(row, 7)) == "13800138000"
    assert page.current_id() == rid


# -- delete, undo, restore --------------------------------------------------------------------
def test_delete_then_undo_brings_the_row_back(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    page.select_row(0)
    victim = shown_names(page)[0]
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert victim not in shown_names(page)
    assert page.count_label.text() == "共 2 家"
    assert page.current_id() is not None                 # the neighbour is selected
    assert page.ctx.undo_label() == f"删除用人单位“{victim}”"
    page.ctx.undo()
    assert victim in shown_names(page)
    assert page.count_label.text() == "共 3 家"
    assert shown_names(page)[page.view.currentIndex().row()] == victim


def test_show_deleted_greys_row_and_restore(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    page.select_row(0)
    victim = shown_names(page)[0]
    qtbot.mouseClick(button(page, "delete"), Qt.MouseButton.LeftButton)
    page.filter_bar.show_deleted.setChecked(True)
    row = shown_names(page).index(victim)
    index = page.model.index(row, 0)
    assert page.model.data(index, Qt.ItemDataRole.FontRole).strikeOut()
    assert page.model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    page.select_row(row)
    assert not button(page, "edit").isEnabled() and not button(page, "delete").isEnabled()
    assert button(page, "restore").isEnabled()
    qtbot.mouseClick(button(page, "restore"), Qt.MouseButton.LeftButton)
    assert len(rows_in_db(store)) == 3
    assert page.model.data(page.model.index(row, 0), Qt.ItemDataRole.FontRole) is None


def test_double_click_on_a_deleted_row_opens_it_read_only(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    page.select_row(0)
    victim = shown_names(page)[0]
    page.delete_current()
    page.filter_bar.show_deleted.setChecked(True)
    row = shown_names(page).index(victim)
    rect = page.view.visualRect(page.model.index(row, 0))
    # QTest's double click needs the press of a first click on the same cell, as a user's does
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.editor is not None)
    editor = page.editor
    assert editor.f.name.text() == victim
    assert not editor.save_button.isEnabled() and not editor.body.isEnabled()
    assert editor.note.text() == "该单位已删除，不能修改。请先恢复。"
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editor is None)


# -- drafts ----------------------------------------------------------------------------------
def test_typed_values_survive_a_crash(qtbot, ctx, store, three) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    editor = open_new_editor(qtbot, page)
    type_into(qtbot, editor.f.name, "合水县子午岭煤业有限责任公司")
    type_into(qtbot, editor.f.workforce, "320")
    keys(qtbot, editor.f.address, "太白镇")   # still being typed: the debounce saves it
    qtbot.waitUntil(lambda: (getattr(load_draft(store, DRAFT_FORM, NEW_KEY), "values", {})).get("address")
                    == "太白镇", timeout=2000)
    # "crash": the window goes away without Save or Cancel
    editor.autosave.pause()
    editor.hide()
    editor.deleteLater()
    page.close()
    qtbot.wait(10)

    page2 = make_page(qtbot, ctx)
    editor2 = open_new_editor(qtbot, page2)
    assert editor2.f.name.text() == "合水县子午岭煤业有限责任公司"
    assert editor2.f.workforce.text() == "320"
    assert editor2.f.address.text() == "太白镇"
    assert editor2.note.isVisible() and editor2.note.text() == "已恢复未保存的输入。"


def test_draft_written_on_leaving_each_field(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    editor = open_new_editor(qtbot, page)
    type_into(qtbot, editor.f.name, "甲")    # editingFinished writes at once, no waiting
    assert load_draft(store, DRAFT_FORM, NEW_KEY).values["name"] == "甲"
    writes = editor.autosave.writes
    editor.f.name.setFocus()
    qtbot.keyClick(editor.f.name, Qt.Key.Key_Tab)   # nothing changed: nothing written
    assert editor.autosave.writes == writes


def test_cancel_asks_and_discards_the_draft(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    editor = open_new_editor(qtbot, page)
    type_into(qtbot, editor.f.name, "待放弃的单位")
    assert load_draft(store, DRAFT_FORM, NEW_KEY) is not None
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    box = editor.discard_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(editor.continue_btn, Qt.MouseButton.LeftButton)   # keep editing
    assert editor.isVisible() and load_draft(store, DRAFT_FORM, NEW_KEY) is not None
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.discard_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editor is None)
    assert load_draft(store, DRAFT_FORM, NEW_KEY) is None
    assert len(rows_in_db(store)) == 3


def test_cancel_can_keep_the_draft_for_an_existing_record(qtbot, page, store, three) -> None:  # type: ignore[no-untyped-def]
    rid = page.model.id_at(0)
    page.open_editor(rid)
    editor = page.editor
    editor.f.notes.setPlainText("下次补充")
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.keep_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editor is None)
    assert load_draft(store, DRAFT_FORM, rid).values["notes"] == "下次补充"
    page.open_editor(rid)
    assert page.editor.f.notes.toPlainText() == "下次补充"
    assert page.editor.note.isVisible()


def test_a_draft_older_than_the_last_save_is_flagged(qtbot, page, store, three, ctx) -> None:  # type: ignore[no-untyped-def]
    rid = page.model.id_at(0)
    save_draft(store, DRAFT_FORM, rid, {"notes": "旧草稿"})
    with store.read() as session:
        current = EnterpriseInput.from_record(get_enterprise(session, rid))
    current.contact_person = "后来保存的联系人"
    update_enterprise(store, ctx.actor, rid, current)  # saved after the draft was typed
    page.open_editor(rid)
    assert "早于该单位最近一次保存" in page.editor.note.text()


def test_cancel_without_changes_closes_without_asking(qtbot, page, store) -> None:  # type: ignore[no-untyped-def]
    page.open_editor(page.model.id_at(0))
    editor = page.editor
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    assert editor.discard_box is None
    qtbot.waitUntil(lambda: page.editor is None)
    assert editor.autosave.writes == 0


# -- lazy model ------------------------------------------------------------------------------
def test_only_visible_pages_are_fetched(qtbot, ctx, store) -> None:  # type: ignore[no-untyped-def]
    count = 3000
    seed(store, *(enterprise(100 + i, f"测试单位{i:05d}") for i in range(count)))
    page = make_page(qtbot, ctx)
    assert page.model.rowCount() == count
    qtbot.wait(50)   # let the view paint
    fetched = page.model.pages_fetched
    assert 1 <= fetched <= 2, fetched
    assert page.model.cached_pages() == [0]
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: (count - 1) // PAGE_SIZE in page.model.cached_pages())
    assert page.model.pages_fetched <= fetched + 2
    last = page.model.index(count - 1, 0)
    assert page.model.data(last) == f"测试单位{count - 1:05d}"
    # a fetch on the GUI thread reads the one page asked for, never the list (how long that
    # takes is measured by benchmarks/bench_startup.py, not asserted here)
    fetched = page.model.pages_fetched
    page.model.set_ids(page.model.ids())
    assert page.model.data(page.model.index(1700, 0)) == "测试单位01700"
    assert page.model.pages_fetched == fetched + 1
    assert page.model.cached_pages() == [1700 // PAGE_SIZE]


# -- with real threads -----------------------------------------------------------------------
def test_search_delete_and_undo_with_real_threads(qtbot, threaded_ctx, three, store) -> None:  # type: ignore[no-untyped-def]
    page = EnterprisesPage(threaded_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.count_label.text() == "共 3 家", timeout=5000)
    keys(qtbot, page.filter_bar.search, "合水县")
    qtbot.waitUntil(lambda: page.count_label.text() == "共 2 家", timeout=5000)
    page.select_row(0)
    victim = shown_names(page)[0]
    page.delete_current()
    qtbot.waitUntil(lambda: victim not in shown_names(page), timeout=5000)
    with qtbot.waitSignal(threaded_ctx.sig_changed, timeout=5000):
        threaded_ctx.undo()
    qtbot.waitUntil(lambda: victim in shown_names(page), timeout=5000)
    assert page.count_label.text() == "共 2 家"


def test_editor_saves_with_real_threads(qtbot, threaded_ctx, three, store) -> None:  # type: ignore[no-untyped-def]
    page = EnterprisesPage(threaded_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.count_label.text() == "共 3 家", timeout=5000)
    page.open_editor(None)
    qtbot.waitUntil(lambda: page.editor is not None, timeout=5000)
    editor = page.editor
    fill_basics(qtbot, editor, "合水县安泰铸造有限公司", uscc(70))
    save(qtbot, editor)
    qtbot.waitUntil(lambda: page.count_label.text() == "共 4 家", timeout=5000)
    qtbot.waitUntil(lambda: page.editor is None, timeout=5000)
    qtbot.waitUntil(lambda: page.current_id() is not None and
                    shown_names(page)[page.view.currentIndex().row()] == "合水县安泰铸造有限公司",
                    timeout=5000)
    threaded_ctx.runner.wait_idle()
    assert load_draft(store, DRAFT_FORM, NEW_KEY) is None


# -- language and strings --------------------------------------------------------------------
def test_english_ui(qtbot, ctx, three) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    page = make_page(qtbot, ctx)
    assert page.count_label.text() == "3 enterprises"
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers[:3] == ["Name", "Unified Social Credit Code", "Area"], headers
    row = shown_names(page).index("合水县永固水泥有限公司")
    assert page.model.data(page.model.index(row, 2)) == "Heshui County, Qingyang, Gansu Province"
    assert page.model.data(page.model.index(row, 4)) == "Severe"
    assert page.filter_bar.risk.itemText(0) == "All"


# -- keyboard --------------------------------------------------------------------------------
def test_ctrl_n_opens_a_new_form_and_tab_follows_the_form(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.editor is not None and page.editor.isVisible())
    editor = page.editor
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.f.name.setFocus()
    order = []
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [editor.f.uscc, editor.f.division_code, editor.f.address,
                     editor.f.legal_representative, editor.f.contact_person]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # Ctrl+S saves (the button animates its click) and the service says what is missing
    qtbot.waitUntil(lambda: editor.errors["name"].isVisible())
    assert editor.errors["name"].text() == "必填。"
    assert QApplication.focusWidget() is editor.f.name
