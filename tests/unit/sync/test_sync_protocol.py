"""Every answer is checked: anything that is not protocol v1 becomes "服务器的回答不符合协议…",
and each way a request fails has its own sentence — never a traceback."""

from __future__ import annotations

import httpx
import pytest

from ohinspect.i18n import tr
from ohinspect.sync.errors import AuthError, ProtocolError, SyncError, TransientSyncError
from ohinspect.sync.protocol import PushItem, parse_changes, parse_push
from ohinspect.sync.transport import PlatformClient, backoff_delays
from tests.unit.sync.fake_platform import HEADERS, URL

PREFIX = "服务器的回答不符合协议"
H = "a" * 64


def _client(answer, token: str | None = "tok") -> PlatformClient:  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        return answer(request) if callable(answer) else answer
    return PlatformClient(URL, token=token, transport=httpx.MockTransport(handler),
                          sleep=lambda s: None)


@pytest.mark.parametrize("response", [
    httpx.Response(200, text="<html>hello</html>", headers=HEADERS),
    httpx.Response(200, text='{"api_version": 1, "min_api', headers=HEADERS),
    httpx.Response(200, json=[1, 2], headers=HEADERS),
    httpx.Response(200, json={"api_version": "1", "min_api_version": 1,
                              "server_time": "2026-11-23T08:00:00Z", "server_id": "s"},
                   headers=HEADERS),
    httpx.Response(200, json={"api_version": True, "min_api_version": 1,
                              "server_time": "2026-11-23T08:00:00Z", "server_id": "s"},
                   headers=HEADERS),
    httpx.Response(200, json={"api_version": 1, "min_api_version": 1,
                              "server_time": "yesterday", "server_id": "s"}, headers=HEADERS),
    httpx.Response(200, json={"api_version": 1, "min_api_version": 1, "server_id": "s"},
                   headers=HEADERS),
    httpx.Response(200, json={"ok": True}),  # no API header: not a platform
    httpx.Response(404, text="Not Found"),
    httpx.Response(400, text="<h1>Bad</h1>", headers=HEADERS),
])
def test_malformed_answers_are_protocol_errors(response: httpx.Response) -> None:
    with pytest.raises(ProtocolError) as err:
        _client(response).info()
    assert err.value.user_message().startswith(PREFIX)


def test_incompatible_api_version_names_both_versions() -> None:
    answer = httpx.Response(200, json={"api_version": 3, "min_api_version": 2,
                                       "server_time": "2026-11-23T08:00:00Z", "server_id": "s"},
                            headers=HEADERS)
    with pytest.raises(SyncError) as err:
        _client(answer).info()
    assert err.value.code == "api_version"
    assert err.value.user_message() == "服务器接口版本 3，本程序支持 1。请更新程序或联系管理员。"


@pytest.mark.parametrize("code,key", [("token_revoked", "sync.error.token_revoked"),
                                      ("token_unknown", "sync.error.token_unknown")])
def test_401_says_revoked_or_unknown(code: str, key: str) -> None:
    answer = httpx.Response(401, json={"error": code, "detail": "x"}, headers=HEADERS)
    with pytest.raises(AuthError) as err:
        _client(answer).check()
    assert err.value.user_message() == tr(key)


def test_403_413_and_other_refusals_carry_their_own_words() -> None:
    with pytest.raises(SyncError) as err:
        _client(httpx.Response(403, json={"error": "outside_jurisdiction",
                                          "detail": "621025 不在辖区内"}, headers=HEADERS)).check()
    assert "621025 不在辖区内" in err.value.user_message()
    with pytest.raises(SyncError) as err:
        _client(httpx.Response(413, json={"error": "batch_too_large", "detail": ""},
                               headers=HEADERS)).check()
    assert err.value.code == "batch_too_large"


def test_5xx_is_retried_then_reported_as_transient() -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(502, text="bad gateway")

    with pytest.raises(TransientSyncError) as err:
        _client(answer).check()
    assert len(calls) == 5 and "HTTP 502" in err.value.user_message()


def test_retry_succeeds_after_a_transient_failure() -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) < 3:
            raise httpx.ConnectError("[Errno 111] Connection refused")
        return httpx.Response(200, json={"types": {}}, headers=HEADERS)

    assert _client(answer).check() == {}
    assert len(calls) == 3


@pytest.mark.parametrize("exc,code", [
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "tls"),
    (httpx.ConnectError("[Errno -2] Name or service not known"), "dns"),
    (httpx.ConnectError("[Errno 111] Connection refused"), "unreachable"),
    (httpx.ReadTimeout("timed out"), "timeout"),
    (httpx.RemoteProtocolError("peer closed connection"), "broken"),
])
def test_network_failures_each_have_a_message(exc: Exception, code: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc

    with pytest.raises(SyncError) as err:
        _client(answer).info()
    assert err.value.code == code and URL in err.value.user_message()


def test_bad_address_and_missing_token() -> None:
    with pytest.raises(SyncError) as err:
        PlatformClient("platform.example")
    assert err.value.code == "bad_address"
    with pytest.raises(AuthError):
        _client(httpx.Response(200, headers=HEADERS), token=None).check()


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    import random

    delays = backoff_delays(6, 0.5, 4.0, 0.5, random.Random(1))
    assert len(delays) == 5
    for n, d in enumerate(delays):
        nominal = min(4.0, 0.5 * 2 ** n)
        assert nominal * 0.5 <= d <= nominal * 1.5


def _item(n: int = 0) -> PushItem:
    return PushItem("enterprise", f"id{n}", H, None, "upsert", {"id": f"id{n}"})


@pytest.mark.parametrize("body", [
    {"batch_id": "other", "server_seq_high": 1, "results": []},
    {"batch_id": "b", "server_seq_high": 1, "results": []},
    {"batch_id": "b", "server_seq_high": 1, "results": [
        {"record_type": "enterprise", "id": "id0", "hash": H, "outcome": "maybe"}]},
    {"batch_id": "b", "server_seq_high": 1, "results": [
        {"record_type": "nonsense", "id": "id0", "hash": H, "outcome": "accepted"}]},
    {"batch_id": "b", "server_seq_high": 1, "results": [
        {"record_type": "enterprise", "id": "id9", "hash": H, "outcome": "accepted"}]},
    {"batch_id": "b", "server_seq_high": 1, "results": [
        {"record_type": "enterprise", "id": "id0", "hash": H, "outcome": "conflict",
         "server_hash": "b" * 64, "server_payload": {"id": "id0"}}]},
    {"batch_id": "b", "server_seq_high": -1, "results": [
        {"record_type": "enterprise", "id": "id0", "hash": H, "outcome": "accepted"}]},
])
def test_push_answers_must_match_what_was_sent(body: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ProtocolError):
        parse_push(body, "b", [_item()])


def test_changes_must_ascend_and_hash_to_their_payload() -> None:
    from ohinspect.store.serialize import content_hash

    good = {"id": "x1", "name": "甲"}
    item = {"record_type": "enterprise", "id": "x1", "hash": content_hash(good), "payload": good,
            "server_seq": 5, "author": "a", "device_id": "d"}
    assert parse_changes({"items": [item], "next": 5, "more": False}, 0).items[0].id == "x1"
    for broken in ({**item, "hash": H}, {**item, "id": "x2"}, {**item, "server_seq": 0},
                   {**item, "payload": "text"}):
        with pytest.raises(ProtocolError):
            parse_changes({"items": [broken], "next": 5, "more": False}, 0)
    with pytest.raises(ProtocolError):
        parse_changes({"items": [item], "next": 2, "more": True}, 0)
    with pytest.raises(ProtocolError):
        parse_changes({"items": [item], "next": 5}, 0)
