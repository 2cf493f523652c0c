"""Bad input against the real platform: a server that is down, a DNS name that does not exist,
TLS spoken to a plain-HTTP port, a revoked token, a server of an incompatible API version and an
answer that is not the protocol (a captive portal) — each its own message, the outbox intact,
and the next sync works."""

from __future__ import annotations

import json
from functools import partial

import pytest
from sqlalchemy import func, select

from ohinspect.store.models import OutboxEntry
from ohinspect.sync.errors import SyncError
from ohinspect.sync.session import run_sync
from ohinspect.sync.transport import PlatformClient
from tests.integration.sync.stub_server import StubServer
from tests.unit.sync.conftest import make_enterprise

FAST = partial(PlatformClient, sleep=lambda s: None)  # retries without waiting


def _outbox(store) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry)) or 0


@pytest.fixture
def device(devices):  # type: ignore[no-untyped-def]
    store = devices.new("d", "inspector1")
    for n in range(3):
        make_enterprise(store, store.actor("检查员"), n)
    return store


def _fails(devices, store, url: str, code: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SyncError) as err:
        run_sync(store, devices.creds, url, client_factory=FAST)
    assert err.value.code == code, err.value.user_message()
    assert _outbox(store) == 3
    return err.value.user_message()


def _then_it_works(devices, store) -> None:  # type: ignore[no-untyped-def]
    report = run_sync(store, devices.creds, devices.server.url)
    assert report.pushed == 3 and _outbox(store) == 0 and report.differences == []


def _same_secrets_at(devices, store, url: str) -> None:  # type: ignore[no-untyped-def]
    """The device's secrets under another address (the platform moved, or something else now
    answers at its address)."""
    devices.creds.save(url, store.device_id, devices.creds.load(devices.server.url,
                                                                 store.device_id))


def test_server_down_then_back(devices, device) -> None:  # type: ignore[no-untyped-def]
    devices.server.stop()
    message = _fails(devices, device, devices.server.url, "unreachable")
    assert message.startswith("无法连接服务器 " + devices.server.url)
    devices.server.start()
    _then_it_works(devices, device)


def test_revoked_token(devices, device) -> None:  # type: ignore[no-untyped-def]
    from ohinspect.sync.session import enroll
    from tests.integration.sync.conftest import PASSWORD

    assert devices.server.revoke_device(device.device_id)
    message = _fails(devices, device, devices.server.url, "token_revoked")
    assert message == "本设备的授权已被平台撤销。请重新登记本设备（需要账号和密码）。"
    enroll(device, devices.creds, devices.server.url, "inspector1", PASSWORD)
    _then_it_works(devices, device)


def _stub_cases() -> list[tuple[str, int, bytes, dict[str, str], str]]:
    info = {"api_version": 2, "min_api_version": 2, "server_time": "2026-11-23T08:00:00Z",
            "server_id": "future"}
    portal = b"<html><body>Welcome to hotel wifi: please log in</body></html>"
    return [
        ("api_version", 200, json.dumps(info).encode(),
         {"X-OHInspect-API": "2", "Content-Type": "application/json"}, "服务器接口版本 2，本程序支持 1"),
        ("protocol", 200, portal, {"Content-Type": "text/html"}, "服务器的回答不符合协议"),
    ]


def test_wrong_places_each_say_what_is_wrong(devices, device) -> None:  # type: ignore[no-untyped-def]
    """An unknown host, TLS to a plain-HTTP port, a platform of another API version and a
    captive portal: one server start for all of them (each followed by a working sync)."""
    cases = [("dns", "http://no-such-platform.invalid:8765", "找不到服务器"),
             ("tls", devices.server.url.replace("http://", "https://"), "安全连接（TLS）")]
    for n, (code, url, words) in enumerate(cases):
        if n:
            _more(device)
        _same_secrets_at(devices, device, url)
        assert words in _fails(devices, device, url, code)
        _then_it_works(devices, device)
    for code, status, body, headers, words in _stub_cases():
        _more(device)
        with StubServer(status, body, headers) as stub:
            _same_secrets_at(devices, device, stub.url)
            assert _fails(devices, device, stub.url, code).startswith(words)
        _then_it_works(devices, device)


def _more(store) -> None:  # type: ignore[no-untyped-def]
    """Three new records waiting, as the fixture starts with."""
    import uuid

    base = int(uuid.uuid4().int % 900000)
    for n in range(3):
        make_enterprise(store, store.actor("检查员"), base + n)


def test_a_record_outside_the_jurisdiction_does_not_block_the_rest(devices) -> None:  # type: ignore[no-untyped-def]
    from ohinspect.standards.uscc import make_uscc
    from tests.integration.sync.conftest import PASSWORD

    devices.server.add_user("county", "inspector", "621024", PASSWORD)
    store = devices.new("county", "county")
    who = store.actor("检查员")
    inside = [make_enterprise(store, who, n) for n in range(6)]
    outside = make_enterprise(store, who, 50, division_code="621025",
                              uscc=make_uscc("9", "1", "621025", "MA000050"))
    report = run_sync(store, devices.creds, devices.server.url)
    assert report.pushed == len(inside) and len(report.refused) == 1
    assert "621025" in report.refused[0] or outside in report.refused[0]
    with store.read() as s:
        assert s.scalars(select(OutboxEntry.record_id)).all() == [outside]
