"""HTTP to the platform (httpx): timeouts, signed bodies, retries with exponential backoff and
jitter, and one specific, translated message for each way a request can fail."""

from __future__ import annotations

import json
import random
import ssl
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ohinspect.i18n import tr
from ohinspect.sync import protocol as p
from ohinspect.sync.device_key import sign_body
from ohinspect.sync.errors import (AuthError, BatchTooLarge, ProtocolError, SyncError,
                                   TransientSyncError, UploadOffsetMismatch)

_DNS_HINTS = ("name or service not known", "nodename nor servname", "getaddrinfo",
              "temporary failure in name resolution", "no address associated")


def _network_error(exc: httpx.TransportError, url: str) -> SyncError:
    """Name what went wrong on the wire: TLS, DNS, refused, timeout, broken connection."""
    text = str(exc).lower()
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError) or "certificate" in text or "ssl" in text:
            return SyncError(tr("sync.error.tls", server=url, detail=exc), code="tls")
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.TimeoutException):
        return TransientSyncError(tr("sync.error.timeout", server=url), code="timeout")
    if isinstance(exc, httpx.ConnectError):
        if any(h in text for h in _DNS_HINTS):
            return TransientSyncError(tr("sync.error.dns", server=url), code="dns")
        return TransientSyncError(tr("sync.error.unreachable", server=url), code="unreachable")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return SyncError(tr("sync.error.bad_address", server=url), code="bad_address")
    return TransientSyncError(tr("sync.error.connection_broken", server=url), code="broken")


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once per process (loading them costs more
    than a whole sync with nothing to do)."""
    return httpx.create_ssl_context()


def backoff_delays(attempts: int, base: float, cap: float, jitter: float,
                   rng: random.Random | None = None) -> list[float]:
    """Waits between tries: base·2ⁿ capped at ``cap``, each ± ``jitter`` share at random."""
    rng = rng or random.Random()
    return [min(cap, base * 2 ** n) * (1 + rng.uniform(-jitter, jitter))
            for n in range(max(0, attempts - 1))]


class PlatformClient:
    """One platform at ``base_url``; ``token``/``key`` for authenticated calls.

    Every call is safe to repeat (push carries its batch id, chunks their offset), so
    transient failures are retried here; ``stop()`` returning True ends the waiting early.
    """

    def __init__(self, base_url: str, *, token: str | None = None,
                 key: Ed25519PrivateKey | None = None,
                 transport: httpx.BaseTransport | None = None,
                 stop: Callable[[], bool] = lambda: False,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.token, self.key, self.stop, self.sleep = token, key, stop, sleep
        lim = p.limits()
        self.limits = lim
        timeout = httpx.Timeout(lim.read_timeout_s, connect=lim.connect_timeout_s)
        try:
            self.http = httpx.Client(base_url=self.base_url, timeout=timeout, verify=tls_context(),
                                     transport=transport, follow_redirects=False)
        except (ValueError, httpx.InvalidURL) as exc:
            raise SyncError(tr("sync.error.bad_address", server=base_url), code="bad_address") from exc
        if not self.base_url.startswith(("http://", "https://")):
            raise SyncError(tr("sync.error.bad_address", server=base_url), code="bad_address")

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the endpoints ------------------------------------------------------------------------

    def info(self) -> p.ServerInfo:
        """The server's description; refuses a server that does not speak our version."""
        info = p.parse_info(self._json("GET", "/v1/info", auth=False))
        ours = self.limits.api_version
        if not info.min_api_version <= ours <= info.api_version:
            raise SyncError(tr("sync.error.api_version", server_version=info.api_version,
                               ours=ours), code="api_version")
        return info

    def enroll(self, user: str, password: str, device_id: str, device_name: str,
               public_key: str) -> p.Enrolment:
        body = {"user": user, "password": password, "device_id": device_id,
                "device_name": device_name, "public_key": public_key}
        return p.parse_enrolment(self._json("POST", "/v1/enroll", body=encode_json(body), auth=False,
                                            enrolling=True))

    def push(self, body: bytes, batch_id: str, items: list[p.PushItem]) -> p.PushResponse:
        return p.parse_push(self._json("POST", "/v1/push", body=body), batch_id, items)

    def missing(self, hashes: list[str]) -> list[p.MissingBlob]:
        data = self._json("POST", "/v1/attachments/missing", body=encode_json({"sha256": hashes}))
        return p.parse_missing(data, hashes)

    def put_chunk(self, sha256: str, start: int, chunk: bytes, total: int) -> None:
        end = start + len(chunk) - 1
        self._request("PUT", f"/v1/attachments/{sha256}", body=chunk, content_type=
                      "application/octet-stream",
                      headers={"Content-Range": f"bytes {start}-{end}/{total}"})

    def download(self, sha256: str) -> bytes:
        return self._request("GET", f"/v1/attachments/{sha256}").content

    def changes(self, since: int, limit: int) -> p.ChangesPage:
        data = self._json("GET", "/v1/changes", params={"since": since, "limit": limit})
        return p.parse_changes(data, since)

    def check(self) -> dict[str, p.TypeDigest]:
        return p.parse_check(self._json("GET", "/v1/check"))

    # --- plumbing -------------------------------------------------------------------------------

    def _json(self, method: str, path: str, **kw: Any) -> Any:
        response = self._request(method, path, **kw)
        try:
            return response.json()
        except ValueError as exc:
            raise ProtocolError(f"{method} {path}: the body is not JSON") from exc

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        lim = self.limits
        delays = backoff_delays(lim.retry_attempts, lim.retry_base_delay_s,
                                lim.retry_max_delay_s, lim.retry_jitter)
        while True:
            try:
                return self._once(method, path, **kw)
            except TransientSyncError:
                if not delays or self.stop():
                    raise
                self.sleep(delays.pop(0))

    def _once(self, method: str, path: str, *, body: bytes | None = None, auth: bool = True,
              enrolling: bool = False, content_type: str = "application/json",
              headers: dict[str, str] | None = None,
              params: dict[str, Any] | None = None) -> httpx.Response:
        h = dict(headers or {})
        if auth:
            if not self.token:
                raise AuthError(tr("sync.error.not_enrolled"), code="not_enrolled")
            h["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            h["Content-Type"] = content_type
            if auth and self.key is not None:
                h[p.SIGNATURE_HEADER] = sign_body(self.key, body)
        try:
            response = self.http.request(method, path, content=body, headers=h, params=params)
        except httpx.TransportError as exc:
            raise _network_error(exc, self.base_url) from exc
        self._check_response(response, enrolling)
        return response

    def _check_response(self, r: httpx.Response, enrolling: bool) -> None:
        api = r.headers.get(p.API_HEADER)
        if r.status_code >= 500:
            raise TransientSyncError(tr("sync.error.server", status=r.status_code), code="server")
        if api is None:
            raise ProtocolError(tr("sync.error.not_a_platform", status=r.status_code))
        if not api.strip().isdigit():
            raise ProtocolError(f"{p.API_HEADER}: '{api}'")
        if r.status_code < 300:
            return
        code, detail = _error_body(r)
        if r.status_code == 401:
            key = {"token_revoked": "sync.error.token_revoked",
                   "token_unknown": "sync.error.token_unknown"}.get(code)
            if enrolling:
                raise AuthError(tr("sync.error.login_failed"), code=code or "login_failed")
            raise AuthError(tr(key or "sync.error.token_unknown"), code=code or "token_unknown")
        if r.status_code == 403:
            raise SyncError(tr("sync.error.forbidden", detail=detail or code), code=code)
        if r.status_code == 413:
            raise BatchTooLarge()
        if r.status_code == 409 and r.request.method == "PUT":
            have = r.json().get("have_bytes")
            if not isinstance(have, int) or isinstance(have, bool) or have < 0:
                raise ProtocolError("409 without 'have_bytes'")
            raise UploadOffsetMismatch(have)
        if r.status_code == 404 and r.request.method == "GET" and "/attachments/" in r.request.url.path:
            raise SyncError(tr("sync.error.blob_unavailable"), code=code or "not_found")
        raise SyncError(tr("sync.error.refused", status=r.status_code, code=code,
                           detail=detail), code=code)


def _error_body(r: httpx.Response) -> tuple[str, str]:
    try:
        return p.parse_error(r.json())
    except ValueError as exc:
        raise ProtocolError(f"HTTP {r.status_code}: the error is not JSON") from exc


def encode_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
