"""Sync protocol v1 (docs/design/issue6-sync.md): the shapes of requests and answers, and a
strict check of every answer. Anything that is not exactly what the protocol says becomes a
:class:`~ohinspect.sync.errors.ProtocolError` naming what was wrong — never a KeyError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from ohinspect.resources import load_resource
from ohinspect.store.serialize import content_hash
from ohinspect.sync.errors import ProtocolError

API_HEADER = "X-OHInspect-API"
SIGNATURE_HEADER = "X-OHInspect-Signature"
OUTCOMES = frozenset({"accepted", "already", "conflict", "missing_blob", "missing_parent"})
ACKNOWLEDGED = frozenset({"accepted", "already"})
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Limits:
    """The client's limits and timings (resources/sync/client.yaml)."""

    api_version: int
    push_max_items: int
    push_max_bytes: int
    chunk_bytes: int
    pull_limit: int
    clock_skew_warn_minutes: float
    connect_timeout_s: float
    read_timeout_s: float
    retry_attempts: int
    retry_base_delay_s: float
    retry_max_delay_s: float
    retry_jitter: float
    probe_start_delay_s: float
    probe_interval_s: float
    probe_max_backoff_s: float


@lru_cache(maxsize=1)
def limits() -> Limits:
    data = load_resource("sync/client.yaml")
    retry, auto = data["retry"], data["auto_sync"]
    return Limits(
        api_version=int(data["api_version"]), push_max_items=int(data["push_max_items"]),
        push_max_bytes=int(data["push_max_bytes"]), chunk_bytes=int(data["chunk_bytes"]),
        pull_limit=int(data["pull_limit"]),
        clock_skew_warn_minutes=float(data["clock_skew_warn_minutes"]),
        connect_timeout_s=float(data["connect_timeout_s"]),
        read_timeout_s=float(data["read_timeout_s"]),
        retry_attempts=int(retry["attempts"]), retry_base_delay_s=float(retry["base_delay_s"]),
        retry_max_delay_s=float(retry["max_delay_s"]), retry_jitter=float(retry["jitter"]),
        probe_start_delay_s=float(auto["start_delay_s"]),
        probe_interval_s=float(auto["probe_interval_s"]),
        probe_max_backoff_s=float(auto["max_backoff_s"]),
    )


# --- small strict readers -------------------------------------------------------------------

def read_obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def read_field(d: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
         nullable: bool = False) -> Any:
    if key not in d:
        raise ProtocolError(f"{where}: '{key}' is missing")
    value = d[key]
    if value is None and nullable:
        return None
    # bool is an int in Python: never accept it where a number is meant
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise ProtocolError(f"{where}: '{key}' has the wrong type ({type(value).__name__})")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def read_int(d: dict[str, Any], key: str, where: str, nullable: bool = False) -> Any:
    value = read_field(d, key, int, where, nullable)
    if value is not None and value < 0:
        raise ProtocolError(f"{where}: '{key}' is negative")
    return value


def read_sha(d: dict[str, Any], key: str, where: str, nullable: bool = False) -> Any:
    value = read_field(d, key, str, where, nullable)
    if value is not None and not SHA256.match(value):
        raise ProtocolError(f"{where}: '{key}' is not a SHA-256 hex digest")
    return value


def read_list(d: dict[str, Any], key: str, where: str) -> list[Any]:
    return read_field(d, key, list, where)  # type: ignore[no-any-return]


def _record_type(d: dict[str, Any], where: str) -> str:
    from ohinspect.store.models import RECORD_TYPES

    value: str = read_field(d, "record_type", str, where)
    if value not in RECORD_TYPES:
        raise ProtocolError(f"{where}: unknown record type '{value}'")
    return value


def _timestamp(text: str, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProtocolError(f"{where}: '{text}' is not an ISO-8601 time") from exc
    if value.tzinfo is None:
        raise ProtocolError(f"{where}: '{text}' has no time zone")
    return value.astimezone(timezone.utc)


# --- answers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServerInfo:
    api_version: int
    min_api_version: int
    server_time: datetime
    server_id: str


def parse_info(data: Any) -> ServerInfo:
    d = read_obj(data, "info")
    return ServerInfo(read_int(d, "api_version", "info"), read_int(d, "min_api_version", "info"),
                      _timestamp(read_field(d, "server_time", str, "info"), "info.server_time"),
                      read_field(d, "server_id", str, "info"))


@dataclass(frozen=True)
class Enrolment:
    device_token: str
    user: str
    role: str
    jurisdiction: str


def parse_enrolment(data: Any) -> Enrolment:
    d = read_obj(data, "enroll")
    token = read_field(d, "device_token", str, "enroll")
    if not token:
        raise ProtocolError("enroll: 'device_token' is empty")
    return Enrolment(token, read_field(d, "user", str, "enroll"), read_field(d, "role", str, "enroll"),
                     read_field(d, "jurisdiction", str, "enroll"))


@dataclass(frozen=True)
class PushItem:
    record_type: str
    id: str
    hash: str
    base_hash: str | None
    operation: str
    payload: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"record_type": self.record_type, "id": self.id, "hash": self.hash,
                "base_hash": self.base_hash, "operation": self.operation,
                "payload": self.payload}


@dataclass(frozen=True)
class PushResult:
    record_type: str
    id: str
    hash: str
    outcome: str
    server_hash: str | None
    server_payload: dict[str, Any] | None
    server_seq: int | None


@dataclass(frozen=True)
class PushResponse:
    batch_id: str
    server_seq_high: int
    results: list[PushResult]


def parse_push(data: Any, batch_id: str, sent: list[PushItem]) -> PushResponse:
    """Check the answer to a push: the same batch, exactly one result per item sent."""
    d = read_obj(data, "push")
    if read_field(d, "batch_id", str, "push") != batch_id:
        raise ProtocolError("push: the answer is for another batch")
    results = []
    for n, raw in enumerate(read_list(d, "results", "push")):
        where = f"push.results[{n}]"
        r = read_obj(raw, where)
        outcome = read_field(r, "outcome", str, where)
        if outcome not in OUTCOMES:
            raise ProtocolError(f"{where}: unknown outcome '{outcome}'")
        server_payload = r.get("server_payload")
        if outcome == "conflict":
            server_payload = read_obj(read_field(r, "server_payload", dict, where), where)
            server_hash = read_sha(r, "server_hash", where)
            if content_hash(server_payload) != server_hash:
                raise ProtocolError(f"{where}: 'server_payload' does not match 'server_hash'")
        else:
            server_hash = read_sha(r, "server_hash", where, nullable=True) if "server_hash" in r else None
            server_payload = None
        results.append(PushResult(
            _record_type(r, where), read_field(r, "id", str, where), read_sha(r, "hash", where), outcome,
            server_hash, server_payload,
            read_int(r, "server_seq", where, nullable=True) if "server_seq" in r else None))
    expected = {(i.record_type, i.id, i.hash) for i in sent}
    got = [(r.record_type, r.id, r.hash) for r in results]
    if len(got) != len(set(got)) or set(got) != expected:
        raise ProtocolError("push: the results do not match the records sent")
    return PushResponse(batch_id, read_int(d, "server_seq_high", "push"), results)


@dataclass(frozen=True)
class MissingBlob:
    sha256: str
    have_bytes: int


def parse_missing(data: Any, asked: list[str]) -> list[MissingBlob]:
    d = read_obj(data, "missing")
    out = []
    for n, raw in enumerate(read_list(d, "missing", "missing")):
        r = read_obj(raw, f"missing[{n}]")
        out.append(MissingBlob(read_sha(r, "sha256", f"missing[{n}]"),
                               read_int(r, "have_bytes", f"missing[{n}]")))
    if not {m.sha256 for m in out} <= set(asked):
        raise ProtocolError("missing: names a file that was not asked about")
    return out


@dataclass(frozen=True)
class Change:
    record_type: str
    id: str
    hash: str
    payload: dict[str, Any]
    server_seq: int
    author: str
    device_id: str


@dataclass(frozen=True)
class ChangesPage:
    items: list[Change]
    next: int
    more: bool


def parse_changes(data: Any, since: int) -> ChangesPage:
    """Check one page of ``GET /v1/changes``: ascending seqs above ``since``, each payload
    hashing to its ``hash`` and naming its own id."""
    d = read_obj(data, "changes")
    items: list[Change] = []
    last = since
    for n, raw in enumerate(read_list(d, "items", "changes")):
        where = f"changes.items[{n}]"
        r = read_obj(raw, where)
        payload = read_obj(read_field(r, "payload", dict, where), where + ".payload")
        item = Change(_record_type(r, where), read_field(r, "id", str, where), read_sha(r, "hash", where),
                      payload, read_int(r, "server_seq", where), read_field(r, "author", str, where),
                      read_field(r, "device_id", str, where))
        if payload.get("id") != item.id:
            raise ProtocolError(f"{where}: the payload is for another record")
        if content_hash(payload) != item.hash:
            raise ProtocolError(f"{where}: the payload does not match its hash")
        if item.server_seq <= last:
            raise ProtocolError(f"{where}: sequence numbers do not ascend")
        last = item.server_seq
        items.append(item)
    nxt = read_int(d, "next", "changes")
    more = read_field(d, "more", bool, "changes")
    if nxt < last or (more and nxt <= since):
        raise ProtocolError("changes: 'next' does not move forward")
    return ChangesPage(items, nxt, more)


@dataclass(frozen=True)
class TypeDigest:
    count: int
    digest: str


def parse_check(data: Any) -> dict[str, TypeDigest]:
    d = read_obj(read_field(read_obj(data, "check"), "types", dict, "check"), "check.types")
    out = {}
    for name, raw in d.items():
        r = read_obj(raw, f"check.types.{name}")
        out[name] = TypeDigest(read_int(r, "count", f"check.types.{name}"),
                               read_sha(r, "digest", f"check.types.{name}"))
    return out


def parse_error(data: Any) -> tuple[str, str]:
    """``{"error": code, "detail": text}`` — ``detail`` may be absent."""
    d = read_obj(data, "error")
    code = read_field(d, "error", str, "error")
    detail = d.get("detail", "")
    return code, detail if isinstance(detail, str) else str(detail)
