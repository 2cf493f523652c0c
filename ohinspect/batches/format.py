"""The ``.ohbatch`` format, version 1 (docs/batch-format.md): entry names, the manifest and
bounded JSON parsing. Reading never trusts a size or a depth it has not checked."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.limits import BatchLimits
from ohinspect.store.serialize import canonical_json

FORMAT = "ohinspect-batch"
FORMAT_VERSION = 1
MANIFEST, SIGNATURE, RECORDS = "manifest.json", "manifest.sig", "records.jsonl"
BLOB_PREFIX = "blobs/"
KIND_RECORDS, KIND_BLOB = "records", "blob"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SUFFIX = ".ohbatch"


def blob_name(sha256: str) -> str:
    return f"{BLOB_PREFIX}{sha256}"


def depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0, ``{}`` is 1), without recursion."""
    deepest, todo = 0, [(value, 0)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            todo.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            todo.extend((v, level + 1) for v in item)
        else:
            deepest = max(deepest, level)
            continue
        deepest = max(deepest, level + 1)
    return deepest


def loads_limited(data: bytes, max_bytes: int, max_depth: int, what: str) -> Any:
    """Parse UTF-8 JSON of at most ``max_bytes`` and ``max_depth`` levels, else refuse."""
    if len(data) > max_bytes:
        raise BatchRefused("json_too_large", part=what, size=len(data), limit=max_bytes)
    try:
        value = json.loads(data.decode("utf-8"))
    except RecursionError as exc:
        raise BatchRefused("json_too_deep", part=what, limit=max_depth) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise BatchRefused("json_invalid", part=what) from exc
    # a cheap bound first: a record line holds two or three brackets, so the walk is rare
    if data.count(b"{") + data.count(b"[") > max_depth and depth(value) > max_depth:
        raise BatchRefused("json_too_deep", part=what, limit=max_depth)
    return value


@dataclass(frozen=True)
class Part:
    name: str
    sha256: str
    size: int
    kind: str
    count: int


@dataclass(frozen=True)
class Manifest:
    format_version: int
    schema_revision: str
    batch_id: str
    created_at: str
    device_id: str
    key_id: str
    author: str
    jurisdiction: str
    app_version: str
    since: int | None
    until: int
    parts: tuple[Part, ...]

    def to_json(self) -> str:
        return canonical_json({
            "format": FORMAT, "format_version": self.format_version,
            "schema_revision": self.schema_revision, "batch_id": self.batch_id,
            "created_at": self.created_at, "device_id": self.device_id, "key_id": self.key_id,
            "author": self.author, "jurisdiction": self.jurisdiction,
            "app_version": self.app_version, "range": {"since": self.since, "until": self.until},
            "parts": [{"name": p.name, "sha256": p.sha256, "size": p.size, "kind": p.kind,
                       "count": p.count} for p in self.parts]})

    @property
    def record_count(self) -> int:
        return sum(p.count for p in self.parts if p.kind == KIND_RECORDS)


def _field(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BatchRefused("manifest_invalid", field=key)
    return value


def _part(raw: Any) -> Part:
    if not isinstance(raw, dict):
        raise BatchRefused("manifest_invalid", field="parts")
    part = Part(_field(raw, "name", str), _field(raw, "sha256", str), _field(raw, "size", int),
                _field(raw, "kind", str), _field(raw, "count", int))
    expected = RECORDS if part.kind == KIND_RECORDS else blob_name(part.sha256)
    if (not SHA256.match(part.sha256) or part.name != expected or part.size < 0
            or part.count < 0 or part.kind not in (KIND_RECORDS, KIND_BLOB)):
        raise BatchRefused("manifest_invalid", field=f"parts[{part.name}]")
    return part


def read_manifest(data: bytes, limits: BatchLimits) -> dict[str, Any]:
    """Parse ``manifest.json`` and check only its format and version, so that an older app
    tells the user to upgrade instead of guessing; the fields are checked after the
    signature (:func:`manifest_fields`)."""
    raw = loads_limited(data, limits.max_manifest_bytes, limits.max_depth, MANIFEST)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BatchRefused("not_a_batch")
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BatchRefused("manifest_invalid", field="format_version")
    if version > FORMAT_VERSION:
        raise BatchRefused("format_too_new", version=version, supported=FORMAT_VERSION)
    return raw


def signer_of(raw: dict[str, Any]) -> tuple[str, str]:
    """(key_id, device_id) named by a manifest, to find the key its signature is checked with."""
    return _field(raw, "key_id", str), _field(raw, "device_id", str)


def manifest_fields(raw: dict[str, Any]) -> Manifest:
    """Check the shape of every field of a (signed) manifest."""
    rng = _field(raw, "range", dict)
    since = rng.get("since")
    if since is not None and (not isinstance(since, int) or isinstance(since, bool)):
        raise BatchRefused("manifest_invalid", field="range.since")
    parts = tuple(_part(p) for p in _field(raw, "parts", list))
    names = [p.name for p in parts]
    if len(set(names)) != len(names) or names.count(RECORDS) != 1:
        raise BatchRefused("manifest_invalid", field="parts")
    return Manifest(raw["format_version"], _field(raw, "schema_revision", str),
                    _field(raw, "batch_id", str), _field(raw, "created_at", str),
                    _field(raw, "device_id", str), _field(raw, "key_id", str),
                    _field(raw, "author", str), _field(raw, "jurisdiction", str),
                    _field(raw, "app_version", str), since, _field(rng, "until", int), parts)

