"""The HTTP surface: JSON errors everywhere (also for the unexpected), size limits before
parsing, the API header, and the OpenAPI document checked in as docs/platform-openapi.json."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.integration.platform.device import Device, item, new
from tests.integration.platform_server import PlatformServer

from ohinspect.platform.protocol import MAX_BATCH_BYTES

DOC = Path(__file__).resolve().parents[3] / "docs" / "platform-openapi.json"


def test_openapi_served_equals_the_checked_in_file(server: PlatformServer) -> None:
    served = httpx.get(server.url + "/v1/openapi.json").json()
    assert served == json.loads(DOC.read_text(encoding="utf-8")), (
        "docs/platform-openapi.json is stale: run "
        "`python -m ohinspect platform openapi --out docs/platform-openapi.json`")
    assert {"/v1/push", "/v1/changes", "/v1/check", "/v1/batches", "/v1/enroll",
            "/v1/attachments/{sha256}", "/v1/attachments/missing"} <= set(served["paths"])


def test_errors_are_json_and_limits_come_before_parsing(
        server: PlatformServer, device: Callable[[str], Device]) -> None:
    alice = device("alice")
    for response in (httpx.get(server.url + "/v2/nothing"),
                     httpx.delete(server.url + "/v1/push"),
                     httpx.post(server.url + "/v1/enroll", content=b"{not json",
                                headers={"Content-Type": "application/json"}),
                     alice.post("/v1/push", {"batch_id": "b", "items": "not a list"})):
        assert response.headers["X-OHInspect-API"] == "1"
        body = response.json()
        assert set(body) == {"error", "detail"} and body["detail"], body
    # a body announced too large is refused before it is read or parsed (or signed)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {MAX_BATCH_BYTES * 2}\r\n\r\n".encode() + b"{")
        answer = b""
        while chunk := sock.recv(65536):  # the server answers and closes
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and b'"batch_too_large"' in answer
    # a streamed body that turns out too large (no Content-Length) as well
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(8):
            yield b" " * (MAX_BATCH_BYTES // 4)
    streamed = httpx.post(server.url + "/v1/push", content=chunks(),
                          headers=alice.headers(b""))
    assert (streamed.status_code, streamed.json()["error"]) == (413, "batch_too_large")


def test_an_unexpected_failure_is_a_500_without_internals(
        server: PlatformServer, device: Callable[[str], Device]) -> None:
    alice, bob = device("alice"), device("bob")
    alice.push_ok([item("enterprise", new(division_code="621024"))])
    engine = create_engine(server.db_url, poolclass=NullPool)
    with engine.begin() as conn:  # damage the stored payload behind the server's back
        conn.execute(text("UPDATE platform_record SET payload = '{broken'"))
    engine.dispose()
    response = bob.get("/v1/changes")
    assert response.status_code == 500 and response.headers["X-OHInspect-API"] == "1"
    assert response.json()["error"] == "internal"
    assert "Traceback" not in response.text and "JSONDecodeError" not in response.text
    assert bob.get("/v1/check").status_code == 200  # the server keeps serving
