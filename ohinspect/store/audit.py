"""The append-only, hash-chained audit log (ARCHITECTURE: "The audit log is append-only and
hash-chained"). Each entry's hash covers the previous entry's hash, so removing or editing any
line breaks every hash after it; triggers in the schema refuse UPDATE and DELETE outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
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


def append_audit(session: Session, *, at: datetime, actor: str, device_id: str, action: str,
                 record_type: str = "", record_id: str = "",
                 details: dict[str, Any] | None = None,
                 head: tuple[int, str] | None = None) -> AuditEntry:
    """Append one entry inside the caller's (write) transaction.

    ``head`` is the (seq, hash) of the last entry when the caller already knows it (a unit of
    work appending many entries); otherwise it is read from the table.
    """
    if head is None:
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        head = (last[0], last[1]) if last else (0, GENESIS_HASH)
    seq, prev = head[0] + 1, head[1]
    details_json = canonical_json(details or {})
    entry = AuditEntry(
        seq=seq, at=at, actor=actor, device_id=device_id, action=action,
        record_type=record_type, record_id=record_id, details=details_json, prev_hash=prev,
        entry_hash=entry_digest(prev, seq, at, actor, device_id, action, record_type, record_id,
                                details_json),
    )
    session.add(entry)
    return entry


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
