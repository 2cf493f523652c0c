"""The records of a staged batch: each line of ``records.jsonl`` parsed with size and depth
limits and checked — a known record type, the payload hashing to its ``hash``, naming its own
id, and carrying exactly the columns this app's schema syncs (so a re-import compares equal).

A batch written by an older app (an older known ``schema_revision``: devices are upgraded one
by one) may lack columns added since; each is filled with what the store would write for a
record made without it — the column's default, else null — and the version's hash is taken
of the filled payload, so re-importing it compares equal too. A column with neither (a value
only its author knows) refuses the batch, as does any column this app does not know."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
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
from ohinspect.store.serialize import canonical_json_parsed, content_hash
from ohinspect.sync.local import row_values, value_parsers
from ohinspect.sync.merge import CheckedChange
from ohinspect.sync.merge_bulk import tuple_getter

LINE_KEYS = frozenset({"record_type", "id", "hash", "seq", "payload"})
#: lines between two looks at the Cancel button
CHECK_EVERY = 1000
_NONE = type(None)


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


def _value_ok(kinds: tuple[type, ...], nullable: bool, parse: Any, value: Any) -> bool:
    """The value has its column's type, and a date or timestamp parses."""
    if value is None:
        return nullable
    if kinds and (not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)):
        return False
    if parse is not None:
        try:
            parse(value)
        except (ValueError, OverflowError):  # not a date; out of range once made UTC
            return False
    return True


#: the types ``json.loads`` makes
_JSON_TYPES = frozenset({str, int, float, bool, list, dict, _NONE})
#: type patterns remembered per record type (a hostile batch cannot grow the memory)
MAX_SIGNATURES = 256


@dataclass(frozen=True)
class _Checks:
    """How the payloads of one record type are checked and turned into column values, worked
    out once: this runs for every record of every batch. ``allowed`` holds, per column, the
    exact JSON types its value may have; the types of a payload's values form its signature,
    and a signature once seen to pass is remembered (``passed``), so most records cost one
    set look-up."""

    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    allowed: tuple[frozenset[type], ...]
    passed: set[tuple[type, ...]]


@lru_cache(maxsize=None)
def _checks(record_type: str) -> _Checks:
    allowed = []
    for kinds, nullable, _ in synced_columns(record_type).values():
        exact = frozenset(kinds) if kinds else _JSON_TYPES - {_NONE}
        allowed.append(exact | {_NONE} if nullable else exact)
    return _Checks(tuple_getter(list(synced_columns(record_type))), tuple(allowed), set())


def _types_pass(checks: _Checks, payload: dict[str, Any]) -> bool:
    """Every value has one of its column's exact JSON types (a sufficient condition: what
    fails it is looked at again with ``isinstance``)."""
    signature = tuple(map(type, checks.values(payload)))
    if signature in checks.passed:
        return True
    if not all(t in allowed for t, allowed in zip(signature, checks.allowed)):
        return False
    if len(checks.passed) < MAX_SIGNATURES:
        checks.passed.add(signature)
    return True


def column_values(record_type: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The column values of ``payload`` (``ohinspect.sync.local.row_values``), or None when a
    value does not have its column's type or a date or timestamp does not parse (the
    conversion is the check: each date is parsed once). The exact-type look (what
    ``json.loads`` makes) decides the types of almost every record; only a payload it does not
    pass is looked at column by column with ``isinstance``, which decides."""
    checks = _checks(record_type)
    if not _types_pass(checks, payload) and not all(
            _value_ok(*spec, payload[key]) for key, spec in synced_columns(record_type).items()):
        return None
    try:
        return row_values(RECORD_TYPES[record_type], payload)
    except (ValueError, OverflowError):  # not a date; out of range once made UTC
        return None


def _lines(staged: StagedBatch, limits: BatchLimits) -> Iterator[tuple[int, bytes]]:
    with staged.records.open("rb") as fh:
        n = 0
        while line := fh.readline(limits.max_record_bytes + 1):
            n += 1
            if len(line) > limits.max_record_bytes:
                raise BatchRefused("json_too_large", part=_where(n), size=len(line),
                                   limit=limits.max_record_bytes)
            yield n, line


def _where(n: int) -> str:
    return f"{RECORDS}:{n}"


@dataclass
class BatchRecords:
    """The checked records, and the exporting device's change number of each version."""

    changes: list[CheckedChange] = field(default_factory=list)
    seqs: dict[tuple[str, str], int] = field(default_factory=dict)


def _change(raw: Any, n: int, staged: StagedBatch) -> CheckedChange:
    if (type(raw) is not dict or raw.keys() != LINE_KEYS or type(raw["seq"]) is not int):
        raise BatchRefused("record_invalid", where=_where(n))
    record_type, payload, record_id = raw["record_type"], raw["payload"], raw["id"]
    if type(record_type) is not str or record_type not in RECORD_TYPES:  # a list: unhashable
        raise BatchRefused("record_type_unknown", where=_where(n),
                           record_type=str(record_type)[:40])
    if type(payload) is not dict or type(record_id) is not str or payload.get("id") != record_id:
        raise BatchRefused("record_invalid", where=_where(n))
    digest = raw["hash"]
    if hashlib.sha256(canonical_json_parsed(payload).encode("utf-8")).hexdigest() != digest:
        raise BatchRefused("hash_mismatch", name=_where(n))
    m = staged.manifest
    if payload.keys() != synced_columns(record_type).keys():
        payload = _older_filled(record_type, payload, m.schema_revision, _where(n))
        digest = content_hash(payload)
    values = column_values(record_type, payload)
    if values is None:
        raise BatchRefused("record_invalid", where=_where(n))
    return CheckedChange(record_type, record_id, digest, payload, 0, m.author, m.device_id,
                         values)


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
    changes, seqs = records.changes, records.seqs
    expected = staged.manifest.record_count
    most = min(expected, limits.max_records)
    for n, line in _lines(staged, limits):
        if n % CHECK_EVERY == 0:
            reporter.check()
        if n > most:
            raise BatchRefused("record_count", expected=expected)
        raw = loads_limited(line, limits.max_record_bytes, limits.max_depth, _where(n))
        change = _change(raw, n, staged)
        key = (change.record_type, change.id)
        if key in seqs:
            raise BatchRefused("record_invalid", where=_where(n))
        seqs[key] = raw["seq"]
        changes.append(change)
    if len(changes) != expected:
        raise BatchRefused("record_count", expected=expected)
    return records
