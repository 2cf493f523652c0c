"""The append-only, hash-chained audit log (ARCHITECTURE: "The audit log is append-only and
hash-chained"). Each entry's hash covers the previous entry's hash, so removing or editing any
line breaks every hash after it; triggers in the schema refuse UPDATE and DELETE outright.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from json.encoder import encode_basestring as _text  # type: ignore[attr-defined]
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from ohinspect.store.models import AuditEntry
from ohinspect.store.serialize import canonical_json, sha256_hex, to_jsonable

GENESIS_HASH = "0" * 64


def entry_digest(prev_hash: str, seq: int, at: datetime, actor: str, device_id: str, action: str,
                 record_type: str, record_id: str, details: str) -> str:
    return sha256_hex(prev_hash + _entry_body(seq, to_jsonable(at), actor, device_id, action,
                                              record_type, record_id, details))


def _entry_body(seq: int, at: Any, actor: str, device_id: str, action: str, record_type: str,
                record_id: str, details: str) -> str:
    """The canonical JSON of one entry's fields. Every field is text but ``seq`` (an int), so
    the text is put together directly — the keys in sorted order, each string written by the
    canonical encoder's own string writer — instead of walking a dict for every entry; any
    other type takes :func:`canonical_json` (tests/unit/test_serialize.py compares both)."""
    if type(seq) is int and all(type(v) is str for v in (at, actor, device_id, action,
                                                         record_type, record_id, details)):
        return (f'{{"action":{_text(action)},"actor":{_text(actor)},"at":{_text(at)},'
                f'"details":{_text(details)},"device_id":{_text(device_id)},'
                f'"record_id":{_text(record_id)},"record_type":{_text(record_type)},'
                f'"seq":{seq}}}')
    return canonical_json({
        "seq": seq, "at": at, "actor": actor, "device_id": device_id,
        "action": action, "record_type": record_type, "record_id": record_id, "details": details,
    })


def chain_head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the last entry, or the genesis link of an empty log."""
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, GENESIS_HASH)


Entry = tuple[str, str, str, dict[str, Any] | None]
#: the columns of an entry, in the order :func:`_chain` gives their values
_COLUMNS = ("seq", "action", "record_type", "record_id", "details", "prev_hash", "entry_hash",
            "at", "actor", "device_id")


def _chain(head: tuple[int, str], at: datetime, actor: str, device_id: str,
           entries: Sequence[Entry]) -> list[tuple[Any, ...]]:
    """(seq, action, record_type, record_id, details, prev_hash, entry_hash) of consecutive
    entries after ``head``, each hashed over the one before."""
    out = []
    seq, prev = head
    at_json = to_jsonable(at)
    for action, record_type, record_id, details in entries:
        seq += 1
        details_json = canonical_json(details or {})
        digest = sha256_hex(prev + _entry_body(seq, at_json, actor, device_id, action,
                                               record_type, record_id, details_json))
        out.append((seq, action, record_type, record_id, details_json, prev, digest))
        prev = digest
    return out


def chained_rows(head: tuple[int, str], *, at: datetime, actor: str, device_id: str,
                 entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """The column values of consecutive entries after ``head``, each hashed over the one
    before: ``entries`` are (action, record_type, record_id, details)."""
    return [dict(zip(_COLUMNS, (*row, at, actor, device_id)))
            for row in _chain(head, at, actor, device_id, entries)]


def append_audit(session: Session, *, at: datetime, actor: str, device_id: str, action: str,
                 record_type: str = "", record_id: str = "",
                 details: dict[str, Any] | None = None,
                 head: tuple[int, str] | None = None) -> AuditEntry:
    """Append one entry inside the caller's (write) transaction.

    ``head`` is the (seq, hash) of the last entry when the caller already knows it (a unit of
    work appending many entries); otherwise it is read from the table.
    """
    [row] = chained_rows(head or chain_head(session), at=at, actor=actor, device_id=device_id,
                         entries=[(action, record_type, record_id, details)])
    entry = AuditEntry(**row)
    session.add(entry)
    return entry


def append_audit_many(session: Session, head: tuple[int, str] | None, *, at: datetime,
                      actor: str, device_id: str, entries: Sequence[Entry]) -> tuple[int, str]:
    """Append many entries with one INSERT … executemany at the driver (a merged sync page, an
    imported batch: one entry per record): the same chain :func:`append_audit` builds one by
    one. Returns the new head."""
    head = head or chain_head(session)
    rows = _chain(head, at, actor, device_id, entries)
    if not rows:
        return head
    connection = session.connection()
    sql, same = _insert_statement(connection.dialect)
    tail = same(at, actor, device_id)  # the same in every row: converted once
    connection.exec_driver_sql(sql, [(*row, *tail) for row in rows])
    return rows[-1][0], rows[-1][-1]


@lru_cache(maxsize=4)
def _insert_statement(dialect: Dialect) -> tuple[str, Any]:
    """The INSERT of an entry for the driver (columns in :data:`_COLUMNS` order), and what
    turns (at, actor, device_id) into the driver's parameters. Only columns whose values
    the driver takes as they are may vary per row (checked here, once)."""
    table = AuditEntry.__table__
    quote = dialect.identifier_preparer.quote
    columns = [table.c[k] for k in _COLUMNS]
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    if any(processors[:-3]):
        raise TypeError(f"{table.name}: a per-row column needs bind processing")
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    tail = [p or (lambda v: v) for p in processors[-3:]]

    def same(*values: Any) -> tuple[Any, ...]:
        return tuple(p(v) for p, v in zip(tail, values))
    return sql, same


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str


def verify_chain(session: Session, batch: int = 5000) -> list[ChainBreak]:
    """Re-derive every hash; report gaps in the sequence and entries whose hash does not match."""
    breaks: list[ChainBreak] = []
    prev_hash, expected_seq = GENESIS_HASH, 1
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    for e in session.scalars(stmt):
        if e.seq != expected_seq:
            breaks.append(ChainBreak(e.seq, f"sequence gap: expected {expected_seq}"))
        if e.prev_hash != prev_hash:
            breaks.append(ChainBreak(e.seq, "previous-hash link broken"))
        digest = entry_digest(e.prev_hash, e.seq, e.at, e.actor, e.device_id, e.action,
                              e.record_type, e.record_id, e.details)
        if digest != e.entry_hash:
            breaks.append(ChainBreak(e.seq, "entry content does not match its hash"))
        prev_hash, expected_seq = e.entry_hash, e.seq + 1
    return breaks
