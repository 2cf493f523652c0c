"""canonical_json (ohinspect/store/serialize.py) writes exactly the bytes of the reference
definition — ``json.dumps(to_jsonable(v), sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` — on payloads of every record type (as the ORM holds them: datetimes,
dates, Decimals, JSON columns; and as they travel: plain JSON), and on the awkward cases the
encoder would write its own way (non-string keys), because the platform server and every device
compare the hashes of this text."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest

from ohinspect.store.models import RECORD_TYPES
from ohinspect.store.audit import entry_digest
from ohinspect.store.serialize import (canonical_json, canonical_json_parsed, content_hash,
                                       sha256_hex, to_jsonable)

TEXT = ["", "合水县西华池镇", "粉尘作业岗位未设置警示标识", "a\"b\\c\n\t", "emoji 😀", "\u2028\x00",
        "《职业病防治法》第二十四条", "ASCII only", "１２３全角", "\u00e9\u0301"]
ZONES = [timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]


def reference(value: Any) -> str:
    """The definition the hashes were made with (before the encoder fast path)."""
    return json.dumps(to_jsonable(value), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def _nested(rng: random.Random, level: int = 0) -> Any:
    pick = rng.randrange(9 if level < 3 else 6)
    if pick == 0:
        return rng.choice(TEXT)
    if pick == 1:
        return rng.randrange(-10**12, 10**12)
    if pick == 2:
        return rng.choice([0.1, -2.5e-7, 1e21, 3.0, rng.random()])
    if pick == 3:
        return rng.choice([True, False, None])
    if pick == 4:
        return rng.choice([date(2026, 11, 23), Decimal("12.50"), Decimal("-0.001")])
    if pick == 5:
        return datetime(2026, 1, 2, 3, 4, 5, rng.randrange(10**6), tzinfo=rng.choice(ZONES))
    if pick in (6, 7):
        return {rng.choice(TEXT) + str(n): _nested(rng, level + 1) for n in range(rng.randrange(4))}
    return [_nested(rng, level + 1) for _ in range(rng.randrange(4))]


def _value(column: Any, rng: random.Random) -> Any:
    if column.nullable and rng.random() < 0.2:
        return None
    try:
        python = column.type.python_type
    except NotImplementedError:  # JSON columns
        return _nested(rng)
    if python is datetime:
        return datetime(2026, rng.randrange(1, 13), 1, rng.randrange(24), rng.randrange(60),
                        rng.randrange(60), rng.choice([0, rng.randrange(10**6)]),
                        tzinfo=rng.choice(ZONES))
    if python is date:
        return date(2026, 1, 1) + timedelta(days=rng.randrange(800))
    if python is bool:
        return rng.random() < 0.5
    if python is int:
        return rng.randrange(-10**9, 10**9)
    if python is float:
        return rng.choice([0.0, 1.5, -3.25, 1e-9, rng.random() * 1e6])
    if python is Decimal:
        return Decimal(f"{rng.randrange(10**6)}.{rng.randrange(100):02d}")
    if python in (dict, list):
        return _nested(rng)
    return rng.choice(TEXT) + str(rng.randrange(10**6))


def _payloads(record_type: str, count: int) -> list[dict[str, Any]]:
    model = RECORD_TYPES[record_type]
    rng = random.Random(record_type)
    columns = [c for c in model.__table__.columns if c.key not in model.LOCAL_COLUMNS]
    return [{c.key: _value(c, rng) for c in columns} for _ in range(count)]


@pytest.mark.parametrize("record_type", sorted(RECORD_TYPES))
def test_every_record_type_hashes_as_before(record_type: str) -> None:
    for payload in _payloads(record_type, 40):
        for value in (payload, to_jsonable(payload)):  # as the ORM holds it, as it travels
            assert canonical_json(value) == reference(value)
            assert content_hash(value) == sha256_hex(reference(value))


class Colour(str, Enum):
    RED = "red"


@pytest.mark.parametrize("value", [
    {1: "a", 10: "b", 9: "c"},                # int keys: sorted as text, written as str(k)
    {True: 1, None: 2, 1.5: 3},               # "True", "None", not the encoder's true / null
    {"x": {2: [{"y": {False: date(2026, 1, 1)}}]}},  # deep inside
    {"a": ({3: 4},)},                         # a tuple holding a dict with an int key
    {Colour.RED: "a str subclass key", (1, 2): "a tuple key", date(2026, 1, 1): "a date key"},
    {"k": Colour.RED, "t": (1, "二", Decimal("3.0"))},
    [datetime(2026, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=8))), date(2026, 2, 28)],
    "只是一段文字", 42, None, float("nan"), {"inf": float("-inf")},
])
def test_awkward_values_as_before(value: Any) -> None:
    assert canonical_json(value) == reference(value)


@pytest.mark.parametrize("value, error", [
    ({"at": datetime(2026, 1, 1)}, ValueError),  # naive datetime
    ({"s": {1, 2}}, TypeError),
])
def test_refusals_as_before(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        reference(value)
    with pytest.raises(error):
        canonical_json(value)


@pytest.mark.parametrize("record_type", sorted(RECORD_TYPES))
def test_parsed_payloads_encode_as_before(record_type: str) -> None:
    """canonical_json_parsed skips the look for non-str keys: JSON text never has them."""
    for payload in _payloads(record_type, 40):
        parsed = json.loads(reference(payload))
        assert canonical_json_parsed(parsed) == reference(parsed)


def _entry_reference(prev: str, seq: Any, at: datetime, actor: Any, device_id: Any,
                     action: Any, record_type: Any, record_id: Any, details: Any) -> str:
    """The audit entry hash as it was defined: SHA-256 of prev + canonical JSON of a dict."""
    return sha256_hex(prev + reference({
        "seq": seq, "at": to_jsonable(at), "actor": actor, "device_id": device_id,
        "action": action, "record_type": record_type, "record_id": record_id,
        "details": details}))


def test_audit_entry_hashes_as_before() -> None:
    """The audit chain's entry body is put together directly; its bytes (and so every entry
    hash, old and new) are the generic canonical JSON's, whatever the text holds."""
    rng = random.Random(7)
    awkward = TEXT + ["\ud800", "tab\there", "\x1f\x7f", "引号\"与\\反斜杠", "😀" * 3]
    for n in range(400):
        text = [rng.choice(awkward) + str(rng.randrange(3)) for _ in range(5)]
        details = reference({"hash": "f" * 64, "server_seq": n, "author": text[0],
                             "note": _nested(rng)})
        at = datetime(2026, 1, 2, 3, 4, 5, rng.choice([0, 123456]), tzinfo=rng.choice(ZONES))
        args = ("0" * 64, rng.choice([n, 10**15 + n]), at, *text[1:], rng.choice(text), details)
        try:
            expected = _entry_reference(*args)
        except UnicodeEncodeError:  # a lone surrogate cannot be hashed, either way
            with pytest.raises(UnicodeEncodeError):
                entry_digest(*args)
            continue
        assert entry_digest(*args) == expected


@pytest.mark.parametrize("odd", [
    {"seq": True}, {"seq": 3.0}, {"actor": None}, {"record_id": 7}, {"details": {"a": 1}},
])
def test_audit_entry_of_other_types_hashes_as_before(odd: dict[str, Any]) -> None:
    args = {"prev": "a" * 64, "seq": 5, "at": datetime(2026, 1, 1, tzinfo=timezone.utc),
            "actor": "检查员", "device_id": "d", "action": "x.y", "record_type": "enterprise",
            "record_id": "r", "details": "{}", **odd}
    assert entry_digest(*args.values()) == _entry_reference(*args.values())
