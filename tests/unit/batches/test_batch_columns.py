"""The record check of a batch import (ohinspect/batches/records.py ``column_values``) checks
types and turns dates into column values in one pass, with a fast look at the exact JSON types
and a remembered set of type patterns. It must accept exactly what the column-by-column check
accepts and give exactly ``ohinspect.sync.local.row_values`` — on valid payloads of every record
type and on payloads with one value changed to every other kind of JSON value."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timezone
from typing import Any

import pytest

from ohinspect.batches import records
from ohinspect.store.models import RECORD_TYPES
from ohinspect.store.serialize import to_jsonable
from ohinspect.sync.local import row_values

ODD = ["", "x", "2026-02-30", "2026-11-23T19:15:52.1Z", "2026-11-23", "9999-12-31T23:59:59+14:00",
       0, 1, -5, 2.5, True, False, None, [], ["a"], {}, {"k": 1}]


def _reference_ok(record_type: str, payload: dict[str, Any]) -> bool:
    """The column-by-column check as it was written first (isinstance, then parse)."""
    for key, (kinds, nullable, parse) in records.synced_columns(record_type).items():
        value = payload[key]
        if value is None:
            if not nullable:
                return False
        elif kinds and (not isinstance(value, kinds) or (isinstance(value, bool)
                                                          and bool not in kinds)):
            return False
        elif parse is not None:
            try:
                parse(value)
            except (ValueError, OverflowError):
                return False
    return True


def _valid(record_type: str, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in RECORD_TYPES[record_type].__table__.columns:
        if c.key in RECORD_TYPES[record_type].LOCAL_COLUMNS:
            continue
        try:
            python = c.type.python_type
        except NotImplementedError:
            python = list
        value: Any = {str: "文字", int: 3, float: 1.5, bool: False, list: ["a"], dict: {"a": 1},
                      date: date(2026, 1, 31),
                      datetime: datetime(2026, 1, 2, 3, 4, 5, rng.choice([0, 7]),
                                         tzinfo=timezone.utc)}.get(python, "x")
        out[c.key] = None if c.nullable and rng.random() < 0.3 else value
    return json.loads(json.dumps(to_jsonable(out)))


@pytest.mark.parametrize("record_type", sorted(RECORD_TYPES))
def test_column_values_decide_and_convert_as_the_column_checks(record_type: str) -> None:
    rng = random.Random(record_type)
    for _ in range(3):
        payload = _valid(record_type, rng)
        cases = [payload] + [{**payload, key: odd} for key in payload for odd in ODD]
        for case in cases:
            got = records.column_values(record_type, case)
            if _reference_ok(record_type, case):
                assert got == row_values(RECORD_TYPES[record_type], case), case
            else:
                assert got is None, case
        # a second pass meets the remembered patterns: the same verdicts
        for case in cases:
            assert (records.column_values(record_type, case) is None) == (
                not _reference_ok(record_type, case))
