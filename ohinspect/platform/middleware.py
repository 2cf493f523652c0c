"""ASGI layer in front of every route: the API version header on each response, request body
limits enforced before anything parses a byte (413 with a JSON error), and any unexpected
exception turned into a 500 JSON error (logged, never shown) with the connection kept usable."""

from __future__ import annotations

import json
import logging
from typing import Any

from ohinspect.platform.protocol import (API_HEADER, API_VERSION, MAX_BATCH_BYTES,
                                         MAX_CHUNK_BYTES, MAX_SMALL_BODY_BYTES, ApiError)

log = logging.getLogger("ohinspect.platform")
Scope = dict[str, Any]
#: body limit and the error code used above it, by path prefix (others: MAX_SMALL_BODY_BYTES)
LIMITS = (("/v1/push", MAX_BATCH_BYTES, "batch_too_large"),
          ("/v1/attachments/", MAX_CHUNK_BYTES, "chunk_too_large"))
#: headroom for the JSON/HTTP framing around a maximal push or chunk
ENVELOPE_BYTES = 64 * 1024


def body_limit(path: str) -> tuple[int, str]:
    for prefix, limit, code in LIMITS:
        if path.startswith(prefix):
            return limit + ENVELOPE_BYTES, code
    return MAX_SMALL_BODY_BYTES, "body_too_large"


class ProtocolMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_header(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (API_HEADER.lower().encode(), str(API_VERSION).encode())]
            await send(message)

        if scope["method"] in ("POST", "PUT"):
            limit, code = body_limit(scope["path"])
            declared = dict(scope["headers"]).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await _refuse(send_with_header, ApiError(413, code, limit=limit))
                return
            body, too_large = await _read_body(receive, limit)
            if body is None:  # the client went away
                return
            if too_large:
                await _refuse(send_with_header, ApiError(413, code, limit=limit))
                return
            receive = _replay(body, receive)
        try:
            await self.app(scope, receive, send_with_header)
        except Exception:  # noqa: BLE001 — the client gets a JSON 500, the log the traceback
            log.exception("unexpected error in %s %s", scope["method"], scope["path"])
            if started:
                raise
            await _refuse(send_with_header, ApiError(500, "internal"), close=False)


async def _read_body(receive: Any, limit: int) -> tuple[bytes | None, bool]:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks), False


def _replay(body: bytes, upstream: Any) -> Any:
    """A ``receive`` that hands the app the body already read, then the client's own events."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return dict(await upstream())
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _refuse(send: Any, error: ApiError, close: bool = True) -> None:
    """Answer ``error`` as JSON; ``close`` when the request body was left unread."""
    payload = json.dumps(error.body(), ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": error.status,
                "headers": headers + ([(b"connection", b"close")] if close else [])})
    await send({"type": "http.response.body", "body": payload})
