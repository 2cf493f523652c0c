"""``ohinspect check``: is the store whole? Database pages, foreign keys, schema version, the
audit hash chain, outbox payload hashes, and attachment files (named by their SHA-256)."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from ohinspect.store import migrations
from ohinspect.store.audit import verify_chain
from ohinspect.store.database import Store, preflight
from ohinspect.store.models import AuditEntry, OutboxEntry
from ohinspect.store.serialize import sha256_hex


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_attachments(folder: Path, report: CheckReport) -> None:
    count = 0
    if folder.is_dir():
        for path in folder.rglob("*"):
            if not path.is_file() or path.name.endswith(".partial"):
                continue
            count += 1
            if _file_sha256(path) != path.name:
                report.problems.append(f"attachment {path.name}: content does not match its SHA-256 name")
    report.checked["attachments"] = count


def check_store(store: Store) -> CheckReport:
    report = CheckReport()
    conn = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            report.problems.extend(f"database: {r}" for r in result[:20])
        for row in conn.execute("PRAGMA foreign_key_check").fetchall()[:20]:
            report.problems.append(f"foreign key: {row}")
    finally:
        conn.close()
    revision = preflight(store.path)
    if revision != migrations.head_revision():
        report.problems.append(f"schema revision {revision} is not the current {migrations.head_revision()}")
    with store.read() as session:
        for b in verify_chain(session):
            report.problems.append(f"audit log entry {b.seq}: {b.problem}")
        report.checked["audit_entries"] = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        outbox = 0
        for entry_id, payload, digest in session.execute(
                select(OutboxEntry.id, OutboxEntry.payload, OutboxEntry.payload_hash)):
            outbox += 1
            if sha256_hex(payload) != digest:
                report.problems.append(f"outbox entry {entry_id}: payload does not match its hash")
        report.checked["outbox"] = outbox
    check_attachments(store.attachments_dir, report)
    return report
