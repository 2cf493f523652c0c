"""The Sync screen against a fake platform: enrolment, what is waiting, Sync now, errors in plain
words, Cancel, conflicts side by side with keep mine / take theirs, the no-keyring state, and
auto-sync when the platform becomes reachable."""

from __future__ import annotations

from functools import partial

import httpx
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QDialog

from ohinspect.store.models import Enterprise
from ohinspect.sync import session
from ohinspect.sync.credentials import CredentialStore
from tests.unit.sync.conftest import make_enterprise
from tests.unit.sync.fake_platform import URL, FakePlatform, MemoryKeyring
from ui.sync import SyncPage
from ui.sync.auto import AutoSync


@pytest.fixture
def platform(monkeypatch) -> FakePlatform:  # type: ignore[no-untyped-def]
    fake = FakePlatform()
    import ui.sync.page as page_module

    monkeypatch.setattr(page_module, "run_sync",
                        partial(session.run_sync, client_factory=fake.client_factory()))
    monkeypatch.setattr(page_module, "enroll",
                        partial(session.enroll, client_factory=fake.client_factory()))
    return fake


def _page(qtbot, ctx, creds: CredentialStore) -> SyncPage:  # type: ignore[no-untyped-def]
    ctx.settings.sync_server_url = URL
    page = SyncPage(ctx, creds, auto_start=False)
    qtbot.addWidget(page)
    return page


def _enrol(qtbot, page: SyncPage) -> None:  # type: ignore[no-untyped-def]
    page.enrol_button.click()
    dialog = page.enrol_dialog
    dialog.user.setText("张三")
    dialog.password.setText("pw")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_enrol_then_sync_shows_what_went(qtbot, ctx, platform) -> None:
    page = _page(qtbot, ctx, CredentialStore(MemoryKeyring()))
    assert page.enrolled.text() == "本设备尚未登记。登记一次后即可同步。"
    assert "系统密钥环" in page.keyring.text() and "不会写入" in page.keyring.text()
    make_enterprise(ctx.store, ctx.actor)
    page.refresh()
    assert page.waiting.text().startswith("等待发送：1 条记录、0 个照片/附件")
    _enrol(qtbot, page)
    assert page.enrolled.text() == "已登记：张三（inspector，辖区 621024）"
    page.sync_button.click()
    assert "同步完成：发送 1 条记录" in page.message.text()
    assert page.waiting.text().startswith("等待发送：0 条记录")
    assert page.last.text().startswith("上次同步成功：20")
    assert page.sync_button.isEnabled() and not page.cancel_button.isVisible()


def test_sync_without_enrolment_asks_for_the_password(qtbot, ctx, platform) -> None:
    page = _page(qtbot, ctx, CredentialStore(MemoryKeyring()))
    page.sync_button.click()
    dialog = page.enrol_dialog
    assert dialog.isVisible()
    dialog.user.setText("张三")
    dialog.password.setText("pw")
    dialog.accept()
    assert "同步完成" in page.message.text()


def test_no_keyring_is_explained_and_asks_the_password_each_start(qtbot, ctx, platform) -> None:
    page = _page(qtbot, ctx, CredentialStore(fail.Keyring()))
    assert "没有可用的系统密钥环" in page.keyring.text()
    page.sync_button.click()
    assert "没有可用的系统密钥环" in page.enrol_dialog.findChildren(type(page.keyring))[1].text()
    page.enrol_dialog.reject()
    _enrol(qtbot, page)
    page.sync_button.click()
    assert "同步完成" in page.message.text()
    # the next start of the program has no secret: it asks again
    again = _page(qtbot, ctx, CredentialStore(fail.Keyring()))
    again.sync_button.click()
    assert again.enrol_dialog.isVisible()


def test_a_bad_answer_is_shown_in_plain_words_and_the_outbox_kept(qtbot, ctx, platform) -> None:
    page = _page(qtbot, ctx, CredentialStore(MemoryKeyring()))
    _enrol(qtbot, page)
    make_enterprise(ctx.store, ctx.actor)
    platform.override = lambda r: (httpx.Response(200, text="<html>portal login</html>",
                                                  headers={"X-OHInspect-API": "1"})
                                   if r.url.path == "/v1/push" else None)
    page.sync_button.click()
    assert page.message.text().startswith("服务器的回答不符合协议")
    assert "Traceback" not in page.message.text()
    assert page.waiting.text().startswith("等待发送：1 条记录")
    platform.override = None
    page.sync_button.click()
    assert "同步完成：发送 1 条记录" in page.message.text()


def test_cancel_keeps_what_was_done(qtbot, ctx, platform) -> None:
    page = _page(qtbot, ctx, CredentialStore(MemoryKeyring()))
    _enrol(qtbot, page)
    make_enterprise(ctx.store, ctx.actor)

    def press_cancel(request: httpx.Request) -> None:
        if request.url.path == "/v1/changes":
            page.cancel_button.click()
        return None

    platform.override = press_cancel
    page.sync_button.click()
    assert page.message.text().startswith("同步已取消")
    assert page.waiting.text().startswith("等待发送：0 条记录")  # the push was committed


def test_conflict_side_by_side_then_take_theirs(qtbot, ctx, platform) -> None:
    page = _page(qtbot, ctx, CredentialStore(MemoryKeyring()))
    _enrol(qtbot, page)
    eid = make_enterprise(ctx.store, ctx.actor)
    page.sync_button.click()
    with ctx.store.read() as s:
        theirs = {**s.get(Enterprise, eid).sync_payload(), "contact_person": "平台联系人"}
    platform.put("enterprise", theirs)
    from ohinspect.services.enterprise_rules import EnterpriseInput
    from ohinspect.services.enterprises import update_enterprise

    with ctx.store.read() as s:
        data = EnterpriseInput.from_record(s.get(Enterprise, eid))
    update_enterprise(ctx.store, ctx.actor, eid,
                      EnterpriseInput(**{**data.__dict__, "contact_person": "本机联系人"}))
    page.sync_button.click()
    view = page.conflicts
    assert view.list.count() == 1 and "用人单位" in view.list.item(0).text()
    first = [view.table.item(0, c).text() for c in range(3)]
    assert first == ["contact_person", "本机联系人", "平台联系人"]
    view.take.click()
    assert view.list.count() == 0 and view.heading.text() == "没有待处理的冲突。"
    with ctx.store.read() as s:
        assert s.get(Enterprise, eid).contact_person == "平台联系人"


def test_auto_sync_starts_when_reachable_and_backs_off_when_not(qtbot, ctx) -> None:
    started: list[int] = []
    reachable = {"now": False}

    def probe(url: str) -> bool:
        if not reachable["now"]:
            raise OSError("unreachable")
        return True

    auto = AutoSync(ctx.runner, lambda: URL, lambda: True, lambda: False, lambda: False,
                    lambda: started.append(1), probe_fn=probe)
    first = auto.delay_ms
    auto.tick()
    assert started == [] and auto.delay_ms == 2 * first and auto.reachable is False
    auto.timer.stop()
    auto.tick()
    assert auto.delay_ms == 4 * first
    reachable["now"] = True
    auto.timer.stop()
    auto.tick()
    assert started == [1] and auto.delay_ms == first
    auto.timer.stop()
    auto.tick()  # still reachable, nothing waiting: no new sync
    assert started == [1]
    auto.timer.stop()


def test_the_auto_sync_setting_is_saved(qtbot, ctx, platform) -> None:
    from ohinspect.settings import load_settings

    page = _page(qtbot, ctx, CredentialStore(MemoryKeyring()))
    page.server.setText(URL + "/")
    page.server.editingFinished.emit()
    page.auto_box.setChecked(False)
    saved = load_settings(ctx.store.data_dir)
    assert saved.sync_server_url == URL and saved.auto_sync is False
    page.auto_box.setChecked(True)
    assert load_settings(ctx.store.data_dir).auto_sync is True and page.auto.timer.isActive()
    page.auto.stop()


def test_the_keyring_is_looked_up_off_the_gui_thread(qtbot, threaded_ctx) -> None:
    page = SyncPage(threaded_ctx, auto_start=False)
    qtbot.addWidget(page)
    assert page.creds is None and not page.sync_button.isEnabled()  # not known yet
    qtbot.waitUntil(lambda: page.creds is not None, timeout=10_000)
    assert page.keyring.text() and page.sync_button.isEnabled()
    assert threaded_ctx.credentials is page.creds   # shared: the batch fetch uses the same
    later = SyncPage(threaded_ctx, auto_start=False)   # e.g. the window rebuilt in English
    qtbot.addWidget(later)
    assert later.creds is page.creds
