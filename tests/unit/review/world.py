"""What the review tests share (unit, integration and UI): names, a demo store copied under
its own or a new device id, and a review decision arriving through the sync merge."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path

from ohinspect.store.database import DB_FILE, Store
from ohinspect.store.models import RECORD_TYPES, ReviewDecision
from ohinspect.store.serialize import content_hash
from ohinspect.sync.merge import MergeStats, merge_page
from ohinspect.sync.protocol import Change

AUTHOR = "演示检查员"        # who made the demo records
REVIEWER = "监督科长"
SUPERVISOR_ROLE = "supervisor"


def build_demo_folder(folder: Path) -> Path:
    """The demo store in ``folder`` (a copy of the session's built one, tests/demo_store.py)."""
    from tests.demo_store import demo_copy

    return demo_copy(folder)


def copy_store(demo: Path, folder: Path, *, new_device: bool) -> Store:
    """A copy of the demo store; ``new_device``: under a new device id, so every demo record
    is one that arrived from another device."""
    shutil.copytree(demo, folder)
    if new_device:
        with sqlite3.connect(folder / DB_FILE) as db:
            db.execute("UPDATE store_meta SET value = ? WHERE key = 'device_id'",
                       (str(uuid.uuid4()),))
    return Store.open(folder)


def arrive(store: Store, change: Change) -> None:
    """What a sync pull does with a record the platform sends (ohinspect/sync/merge.py)."""
    with store.unit_of_work(store.actor("sync")) as uow:
        merge_page(uow, [change], MergeStats())
        uow.commit()


def arriving_decision(store: Store, record_type: str, record_id: str, decision: str,
                      comments: str) -> Change:
    """A reviewer's decision made on another device, as the platform would send it."""
    with store.read() as s:
        obj = s.get(RECORD_TYPES[record_type], record_id)
        record_hash = content_hash(obj.sync_payload())
    now = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
    row = ReviewDecision(id=str(uuid.uuid4()), record_type=record_type, record_id=record_id,
                         record_hash=record_hash, decision=decision, comments=comments,
                         reviewer=REVIEWER, decided_at=now, jurisdiction="621024",
                         record_author=AUTHOR, created_at=now, modified_at=now, change_seq=1,
                         author=REVIEWER, device_id=str(uuid.uuid4()), modified_by=REVIEWER,
                         deleted_at=None)
    payload = row.sync_payload()
    return Change("review_decision", row.id, content_hash(payload), payload, 1, REVIEWER,
                  row.device_id)
