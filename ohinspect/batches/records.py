"""The records of a staged batch: each line of ``records.jsonl`` parsed with size and depth
limits and checked — a known record type, the payload hashing to its ``hash``, naming its own
id, and carrying exactly the columns this app's schema syncs (so a re-import compares equal).

A batch written by an older app (an older known ``schema_revision``: devices are upgraded one
by one) may lack columns added since; each is filled with what the store would write for a
record made without it — the column's default, else null — and the version's hash is taken
of the filled payload, so re-importing it compares equal too. A column with neither (a value
only its author knows) refuses the batch, as does any column this app does not know."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.format import RECORDS, loads_limited
from ohinspect.batches.limits import BatchLimits
from ohinspect.batches.reader import StagedBatch
from ohinspect.progress import Reporter
from ohinspect.store.migrations import head_revision
from ohinspect.store.models import RECORD_TYPES
from ohinspect.store.serialize import content_hash
from ohinspect.sync.local import value_parsers
from ohinspect.sync.protocol import Change

LINE_KEYS = frozenset({"record_type", "id", "hash", "seq", "payload"})
#: lines between two looks at the Cancel button
CHECK_EVERY = 1000


@lru_cache(maxsize=None)
def synced_columns(record_type: str) -> dict[str, tuple[tuple[type, ...], bool, Any]]:
    """Column → (JSON types its value may have, whether it may be null, the parser of its
    text — a timestamp or a date — or None); JSON columns take anything (an empty tuple)."""
    model = RECORD_TYPES[record_type]
    parsers = dict(value_parsers(model))
    columns = {}
    for c in model.__table__.columns:  # type: ignore[attr-defined]
        if c.key in model.LOCAL_COLUMNS:
            continue
        try:
            python = c.type.python_type
        except NotImplementedError:
            python = object
        kinds = ((str,) if python in (str, datetime, date) else (float, int) if python is float
                 else (python,) if python in (int, bool) else ())
        columns[c.key] = (kinds, bool(c.nullable), parsers[c.key])
    return columns


def _values_ok(record_type: str, payload: dict[str, Any]) -> bool:
    """Each value has its column's type, and dates and timestamps parse (one pass: this runs
    for every record of every batch)."""
    for key, (kinds, nullable, parse) in synced_columns(record_type).items():
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
            except (ValueError, OverflowError):  # not a date; out of range once made UTC
                return False
    return True


def _lines(staged: StagedBatch, limits: BatchLimits) -> Iterator[tuple[int, bytes]]:
    with staged.records.open("rb") as fh:
        n = 0
        while line := fh.readline(limits.max_record_bytes + 1):
            n += 1
            if len(line) > limits.max_record_bytes:
                raise BatchRefused("json_too_large", part=f"{RECORDS}:{n}", size=len(line),
                                   limit=limits.max_record_bytes)
            yield n, line


@dataclass
class BatchRecords:
    """The checked records, and the exporting device's change number of each version."""

    changes: list[Change] = field(default_factory=list)
    seqs: dict[tuple[str, str], int] = field(default_factory=dict)


def _change(raw: Any, where: str, staged: StagedBatch) -> Change:
    if (not isinstance(raw, dict) or raw.keys() != LINE_KEYS or not isinstance(raw["seq"], int)
            or isinstance(raw["seq"], bool)):
        raise BatchRefused("record_invalid", where=where)
    record_type, payload = raw["record_type"], raw["payload"]
    if record_type not in RECORD_TYPES:
        raise BatchRefused("record_type_unknown", where=where, record_type=str(record_type)[:40])
    if not isinstance(payload, dict) or payload.get("id") != raw["id"] or not isinstance(raw["id"], str):
        raise BatchRefused("record_invalid", where=where)
    if content_hash(payload) != raw["hash"]:
        raise BatchRefused("hash_mismatch", name=where)
    m = staged.manifest
    digest = raw["hash"]
    if payload.keys() != synced_columns(record_type).keys():
        payload = _older_filled(record_type, payload, m.schema_revision, where)
        digest = content_hash(payload)
    if not _values_ok(record_type, payload):
        raise BatchRefused("record_invalid", where=where)
    return Change(record_type, raw["id"], digest, payload, 0, m.author, m.device_id)


@lru_cache(maxsize=1)
def _head() -> str:
    return head_revision()


@lru_cache(maxsize=None)
def _absent_values(record_type: str) -> dict[str, Any]:
    """Column → what a record made without it holds: its scalar default, else None when the
    column may be null; columns with neither are left out (they cannot be filled)."""
    model = RECORD_TYPES[record_type]
    out: dict[str, Any] = {}
    for c in model.__table__.columns:  # type: ignore[attr-defined]
        if c.key in model.LOCAL_COLUMNS:
            continue
        if c.default is not None and c.default.is_scalar:
            out[c.key] = c.default.arg
        elif c.nullable and c.default is None and c.server_default is None:
            out[c.key] = None
    return out


def _older_filled(record_type: str, payload: dict[str, Any], revision: str,
                  where: str) -> dict[str, Any]:
    """The payload of an older app's batch with the columns added since filled in (module
    docstring); refuses unknown columns, and missing ones in a batch of this app's version."""
    missing = synced_columns(record_type).keys() - payload.keys()
    fillable = _absent_values(record_type)
    if (payload.keys() - synced_columns(record_type).keys() or revision == _head()
            or not missing <= fillable.keys()):
        raise BatchRefused("record_schema", where=where, record_type=record_type)
    return {**payload, **{k: fillable[k] for k in missing}}


def read_records(staged: StagedBatch, limits: BatchLimits, reporter: Reporter) -> BatchRecords:
    """Every record of the batch, checked; refuses the whole batch at the first bad line."""
    records = BatchRecords()
    expected = staged.manifest.record_count
    for n, line in _lines(staged, limits):
        if n % CHECK_EVERY == 0:
            reporter.check()
        where = f"{RECORDS}:{n}"
        if n > min(expected, limits.max_records):
            raise BatchRefused("record_count", expected=expected)
        raw = loads_limited(line, limits.max_record_bytes, limits.max_depth, where)
        change = _change(raw, where, staged)
        key = (change.record_type, change.id)
        if key in records.seqs:
            raise BatchRefused("record_invalid", where=where)
        records.seqs[key] = raw["seq"]
        records.changes.append(change)
    if len(records.changes) != expected:
        raise BatchRefused("record_count", expected=expected)
    return records
