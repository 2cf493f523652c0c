"""Canonical JSON for payloads and hashes: sorted keys, no spaces, UTF-8, UTC ISO timestamps.

The platform server and every device compare hashes of this text, so its bytes never change.
:func:`canonical_json` lets the C encoder walk the value and converts only what JSON lacks
(datetimes, dates, decimals) through ``default=`` — the same strings :func:`to_jsonable`
makes. The one thing ``default=`` cannot reach is a dict key: the encoder writes a non-string
key its own way (``true``, not ``True``) and sorts it as the original value, so a value with
any non-``str`` key takes the reference path, :func:`to_jsonable` first
(tests/unit/test_serialize.py compares both on every record type).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any


def to_jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime cannot be serialised")
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def _default(value: Any) -> Any:
    """What the encoder cannot write itself: a datetime, a date or a Decimal."""
    if isinstance(value, (datetime, date, Decimal)):
        return to_jsonable(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


#: values that hold no dict: nothing to look into
_LEAVES = frozenset({str, int, float, bool, type(None), datetime, date, Decimal})
_STR = frozenset({str})


def _str_keys(value: Any) -> bool:
    """Every dict inside ``value`` has only ``str`` keys (what the encoder writes as is); the
    types are collected in C, so a flat payload costs no Python loop."""
    if isinstance(value, dict):
        if not _STR.issuperset(map(type, value)):
            return False
        inner = value.values()
    elif isinstance(value, (list, tuple)):
        inner = value
    else:
        return True
    return _LEAVES.issuperset(map(type, inner)) or all(
        _str_keys(v) for v in inner if type(v) not in _LEAVES)


_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=_default).encode


def canonical_json(value: Any) -> str:
    return _ENCODE(value if _str_keys(value) else to_jsonable(value))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(payload: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(payload))
