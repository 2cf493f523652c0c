"""The append-only, hash-chained audit log (ARCHITECTURE: "The audit log is append-only and
hash-chained"). Each entry's hash covers the previous entry's hash, so removing or editing any
line breaks every hash after it; triggers in the schema refuse UPDATE and DELETE outright.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ohinspect.store.models import AuditEntry
from ohinspect.store.serialize import canonical_json, sha256_hex, to_jsonable

GENESIS_HASH = "0" * 64


def entry_digest(prev_hash: str, seq: int, at: datetime, actor: str, device_id: str, action: str,
                 record_type: str, record_id: str, details: str) -> str:
    body = canonical_json({
        "seq": seq, "at": to_jsonable(at), "actor": actor, "device_id": device_id,
        "action": action, "record_type": record_type, "record_id": record_id, "details": details,
    })
    return sha256_hex(prev_hash + body)


def chain_head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the last entry, or the genesis link of an empty log."""
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, GENESIS_HASH)


def chained_rows(head: tuple[int, str], *, at: datetime, actor: str, device_id: str,
                 entries: Sequence[tuple[str, str, str, dict[str, Any] | None]]
                 ) -> list[dict[str, Any]]:
    """The column values of consecutive entries after ``head``, each hashed over the one
    before: ``entries`` are (action, record_type, record_id, details)."""
    rows: list[dict[str, Any]] = []
    seq, prev = head
    for action, record_type, record_id, details in entries:
        seq += 1
        details_json = canonical_json(details or {})
        digest = entry_digest(prev, seq, at, actor, device_id, action, record_type, record_id,
                              details_json)
        rows.append({"seq": seq, "at": at, "actor": actor, "device_id": device_id,
                     "action": action, "record_type": record_type, "record_id": record_id,
                     "details": details_json, "prev_hash": prev, "entry_hash": digest})
        prev = digest
    return rows


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
                      actor: str, device_id: str,
                      entries: Sequence[tuple[str, str, str, dict[str, Any] | None]]
                      ) -> tuple[int, str]:
    """Append many entries with one INSERT … executemany (a merged sync page, an imported
    batch): the same chain :func:`append_audit` builds one by one. Returns the new head."""
    head = head or chain_head(session)
    rows = chained_rows(head, at=at, actor=actor, device_id=device_id, entries=entries)
    if not rows:
        return head
    session.execute(insert(AuditEntry.__table__), rows)  # Core: no ORM bookkeeping per row
    return rows[-1]["seq"], rows[-1]["entry_hash"]


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
