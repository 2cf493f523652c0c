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
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
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


def _encoder() -> Callable[[Any], str]:
    """The canonical encoder: ``JSONEncoder(sort_keys=True, separators=(",", ":"),
    ensure_ascii=False, default=_default).encode``, calling its C encoder directly when there
    is one — the same call ``JSONEncoder.encode`` makes, without the Python layers around it
    (a few microseconds on every record hashed)."""
    if c_make_encoder is None:
        return json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                                default=_default).encode
    make = c_make_encoder

    def encode(value: Any) -> str:
        # a new markers dict per call, as JSONEncoder makes one: circular references are
        # refused the same way, and a failed call leaves nothing behind for the next
        return "".join(make({}, _default, encode_basestring, None, ":", ",", True, False,
                            True)(value, 0))
    return encode


_ENCODE = _encoder()


def canonical_json(value: Any) -> str:
    return _ENCODE(value if _str_keys(value) else to_jsonable(value))


def canonical_json_parsed(value: Any) -> str:
    """:func:`canonical_json` of a value ``json.loads`` made (a received record's payload):
    its dict keys are all ``str`` by construction, so the look for other keys is skipped."""
    return _ENCODE(value)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(payload: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(payload))
