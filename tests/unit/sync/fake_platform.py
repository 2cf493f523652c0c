"""A small in-memory stand-in for the platform, speaking protocol v1 through
``httpx.MockTransport`` — for unit tests of the client's pure parts. The real server is
exercised by tests/integration/sync/."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from keyring.backend import KeyringBackend

from ohinspect.store.serialize import content_hash

URL = "http://platform.test"
HEADERS = {"X-OHInspect-API": "1"}


@dataclass
class FakePlatform:
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    accepted: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    seq: int = 0
    requests: list[httpx.Request] = field(default_factory=list)
    #: a test may replace an answer: (method, path) → handler returning a Response or None
    override: Callable[[httpx.Request], httpx.Response | None] | None = None
    server_time: str = "2026-11-23T08:00:00Z"
    jurisdiction: str = "621024"

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def client_factory(self) -> Callable[..., Any]:
        from ohinspect.sync.transport import PlatformClient

        def make(url: str, **kw: Any) -> PlatformClient:
            return PlatformClient(url, transport=self.transport(), sleep=lambda s: None, **kw)
        return make

    def put(self, record_type: str, payload: dict[str, Any], device_id: str = "other") -> str:
        """A version that arrived from someone else."""
        h = content_hash(payload)
        self.seq += 1
        self.records[(record_type, payload["id"])] = {"payload": payload, "hash": h,
                                                      "seq": self.seq, "device_id": device_id}
        self.accepted.setdefault((record_type, payload["id"]), set()).add(h)
        return h

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.override is not None:
            answer = self.override(request)
            if answer is not None:
                return answer
        path, method = request.url.path, request.method
        if path == "/v1/info":
            return self._ok({"api_version": 1, "min_api_version": 1,
                             "server_time": self.server_time, "server_id": "srv"})
        if path == "/v1/enroll":
            body = json.loads(request.content)
            return self._ok({"device_token": "tok-" + body["device_id"], "user": body["user"],
                             "role": "inspector", "jurisdiction": "621024"})
        if path == "/v1/push":
            answer = self._push(json.loads(request.content), request)
            return answer if isinstance(answer, httpx.Response) else self._ok(answer)
        if path == "/v1/attachments/missing":
            asked = json.loads(request.content)["sha256"]
            return self._ok({"missing": [{"sha256": h, "have_bytes": 0} for h in asked
                                         if h not in self.blobs]})
        if path.startswith("/v1/attachments/") and method == "PUT":
            sha = path.rsplit("/", 1)[1]
            self.blobs[sha] = self.blobs.get(sha + ".part", b"") + request.content
            assert hashlib.sha256(self.blobs[sha]).hexdigest() == sha
            return self._ok({"sha256": sha, "complete": True})
        if path.startswith("/v1/attachments/") and method == "GET":
            return httpx.Response(200, content=self.blobs[path.rsplit("/", 1)[1]], headers=HEADERS)
        if path == "/v1/changes":
            since, device = int(request.url.params["since"]), request.headers["Authorization"][11:]
            rows = sorted((r["seq"], k, r) for k, r in self.records.items() if r["seq"] > since)
            items = [{"record_type": k[0], "id": k[1], "hash": r["hash"], "payload": r["payload"],
                      "server_seq": s, "author": "x", "device_id": r["device_id"]}
                     for s, k, r in rows if r["device_id"] != device]
            return self._ok({"items": items, "next": rows[-1][0] if rows else since,
                             "more": False})
        if path == "/v1/check":
            lines: dict[str, list[str]] = {}
            for (t, i), r in self.records.items():
                lines.setdefault(t, []).append(f"{i}:{r['hash']}\n")
            return self._ok({"types": {t: {"count": len(v), "digest": hashlib.sha256(
                "".join(sorted(v)).encode()).hexdigest()} for t, v in lines.items()}})
        return httpx.Response(404, json={"error": "not_found", "detail": path}, headers=HEADERS)

    def _push(self, body: dict[str, Any], request: httpx.Request) -> Any:
        if body["batch_id"] in self.batches:
            return self.batches[body["batch_id"]]
        for item in body["items"]:  # writable: the user's county only
            if item["payload"].get("division_code", self.jurisdiction) != self.jurisdiction:
                return httpx.Response(403, headers=HEADERS, json={
                    "error": "out_of_scope", "detail": f"{item['id']} 不在辖区内，整批未保存"})
        device = request.headers["Authorization"][11:]
        results = []
        in_batch = {(i["record_type"], i["id"]) for i in body["items"]}
        for item in body["items"]:
            key = (item["record_type"], item["id"])
            current = self.records.get(key)
            out = {"record_type": key[0], "id": key[1], "hash": item["hash"]}
            parent = ("enterprise", item["payload"].get("enterprise_id"))
            if item["hash"] in self.accepted.get(key, set()):
                out["outcome"] = "already"
            elif parent[1] and parent not in self.records and parent not in in_batch:
                out["outcome"] = "missing_parent"
            elif current is None or current["hash"] == item["base_hash"]:
                self.put(key[0], item["payload"], device)
                out.update(outcome="accepted", server_seq=self.seq)
            else:
                out.update(outcome="conflict", server_hash=current["hash"],
                           server_payload=current["payload"])
            results.append(out)
        answer = {"batch_id": body["batch_id"], "server_seq_high": self.seq, "results": results}
        self.batches[body["batch_id"]] = answer
        return answer

    @staticmethod
    def _ok(data: Any) -> httpx.Response:
        return httpx.Response(200, json=data, headers=HEADERS)


class MemoryKeyring(KeyringBackend):
    """A usable keyring that keeps passwords in a dict (keyring's own tests do the same)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)
