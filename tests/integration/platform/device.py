"""A test stand-in for a field device talking to the platform: an Ed25519 key made here, a
plain httpx client and the protocol's signing rule (Ed25519 over SHA-256 of the body). It is
NOT the sync client (ohinspect/sync/) — it sends exactly what a test tells it to."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ohinspect.store.serialize import canonical_json, sha256_hex

if TYPE_CHECKING:
    from tests.integration.platform_server import PlatformServer

#: county 621024 (alice, bob), its neighbour 621025 (carol), the prefecture 6210 (sup, admin),
#: and an administrator of another prefecture (far); every password is "secret"
USERS = {"alice": ("inspector", "621024"), "bob": ("sampler", "621024"),
         "carol": ("inspector", "621025"), "sup": ("supervisor", "621000"),
         "admin": ("admin", "621000"), "far": ("admin", "130300")}


def add_users(server: PlatformServer) -> None:
    for name, (role, jurisdiction) in USERS.items():
        server.add_user(name, role, jurisdiction, "secret")


def item(record_type: str, payload: dict[str, Any], base_hash: str | None = None,
         operation: str = "upsert") -> dict[str, Any]:
    """A push item for ``payload`` (its hash is SHA-256 of the canonical JSON)."""
    return {"record_type": record_type, "id": payload["id"],
            "hash": sha256_hex(canonical_json(payload)), "base_hash": base_hash,
            "operation": operation, "payload": payload}


def new(**fields: Any) -> dict[str, Any]:
    """A record payload with a fresh id (the server only reads ids, scope and lock fields)."""
    return {"id": str(uuid.uuid4()), "author": "field", "deleted_at": None, **fields}


class Device:
    def __init__(self, url: str, user: str, password: str = "secret",
                 device_id: str | None = None) -> None:
        self.url, self.user, self.password = url, user, password
        self.device_id = device_id or str(uuid.uuid4())
        self.key = Ed25519PrivateKey.generate()
        self.token = ""
        self.http = httpx.Client(base_url=url, timeout=60)
        #: every authenticated request sent: (method, path, headers, body) — for replay tests
        self.sent: list[tuple[str, str, dict[str, str], bytes]] = []

    def public_key(self) -> str:
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def enroll(self) -> dict[str, Any]:
        response = self.http.post("/v1/enroll", json={
            "user": self.user, "password": self.password, "device_id": self.device_id,
            "device_name": "test laptop", "public_key": self.public_key()})
        assert response.status_code == 200, response.text
        self.token = response.json()["device_token"]
        return dict(response.json())

    def headers(self, body: bytes | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            signature = self.key.sign(hashlib.sha256(body).digest())
            headers["X-OHInspect-Signature"] = base64.b64encode(signature).decode()
        return headers

    def send(self, method: str, path: str, body: bytes | None = None,
             extra: dict[str, str] | None = None, params: dict[str, Any] | None = None
             ) -> httpx.Response:
        headers = {**self.headers(body), **(extra or {})}
        if body is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
        self.sent.append((method, path, headers, body or b""))
        return self.http.request(method, path, content=body, headers=headers, params=params)

    def post(self, path: str, obj: Any) -> httpx.Response:
        return self.send("POST", path, json.dumps(obj, ensure_ascii=False).encode())

    def push(self, items: list[dict[str, Any]], batch_id: str | None = None) -> httpx.Response:
        return self.post("/v1/push", {"batch_id": batch_id or str(uuid.uuid4()),
                                      "device_id": self.device_id, "items": items})

    def push_ok(self, items: list[dict[str, Any]], batch_id: str | None = None
                ) -> dict[str, Any]:
        response = self.push(items, batch_id)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.send("GET", path, params=params)

    def pull_all(self, since: int = 0, limit: int = 500) -> tuple[list[dict[str, Any]], int]:
        """Every change since ``since``, page by page; returns (items, final cursor)."""
        items: list[dict[str, Any]] = []
        while True:
            page = self.get("/v1/changes", since=since, limit=limit).json()
            items += page["items"]
            since = page["next"]
            if not page["more"]:
                return items, since

    def close(self) -> None:
        self.http.close()


def outcomes(response: dict[str, Any]) -> list[str]:
    return [r["outcome"] for r in response["results"]]
