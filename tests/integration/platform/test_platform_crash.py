"""Server killed (SIGKILL) while a large batch is being written: after a restart the batch is
there completely or not at all, and pushing it again converges (issue 6 "Server restarted
mid-batch: no half-applied batch")."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.integration.platform.device import Device, add_users, item, new, outcomes
from tests.integration.platform_server import PlatformServer

ITEMS, PADDING = 250, 12_000  # ≈ 3 MB: a batch near the limits
ATTEMPTS = 6


def test_kill_during_a_large_push_leaves_all_or_nothing(platform_server: PlatformServer) -> None:
    server = platform_server  # its own server process: this test kills it
    add_users(server)
    alice = Device(server.url, "alice")
    alice.enroll()
    ent = new(division_code="621024")
    alice.push_ok([item("enterprise", ent)])
    engine = create_engine(server.db_url, poolclass=NullPool)
    caught_mid_write = 0
    try:
        for _ in range(ATTEMPTS):
            batch_id = str(uuid.uuid4())
            tasks = [new(enterprise_id=ent["id"], notes="x" * PADDING) for _ in range(ITEMS)]
            batch = [item("sampling_task", t) for t in tasks]
            sender = threading.Thread(target=_push_ignoring_errors, args=(alice, batch, batch_id))
            sender.start()
            caught_mid_write += _kill_once_writing(engine, server)
            sender.join(timeout=60)
            server.start()
            with engine.connect() as conn:
                stored = conn.scalar(text(
                    "SELECT count(*) FROM platform_record WHERE record_id = ANY(:ids)"),
                    {"ids": [t["id"] for t in tasks]})
                kept = conn.scalar(text("SELECT count(*) FROM platform_batch "
                                        "WHERE batch_id = :b"), {"b": batch_id})
            assert (stored, kept) in {(0, 0), (ITEMS, 1)}, (stored, kept)
            # the client retries the same batch: everything is there exactly once
            retry = alice.push_ok(batch, batch_id=batch_id)
            assert set(outcomes(retry)) == {"accepted" if stored == 0 else "already"}
            again = alice.push_ok(batch)
            assert set(outcomes(again)) == {"already"}
            if caught_mid_write >= 2:
                break
        counts = alice.get("/v1/check").json()["types"]
    finally:
        engine.dispose()
        alice.close()
    assert caught_mid_write >= 1, "the kill never landed inside the write transaction"
    assert counts["enterprise"]["count"] == 1 and counts["sampling_task"]["count"] % ITEMS == 0


def _push_ignoring_errors(dev: Device, batch: list[dict[str, object]], batch_id: str) -> None:
    try:
        dev.push(batch, batch_id=batch_id)
    except httpx.TransportError:
        pass  # the server died under us: that is the point


def _kill_once_writing(engine, server: PlatformServer) -> int:  # type: ignore[no-untyped-def]
    """SIGKILL the server as soon as one of its transactions has written something (it holds a
    transaction id); returns 1 if that moment was caught, 0 if the push finished first."""
    deadline = time.monotonic() + 30
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            writing = conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"))
            conn.rollback()
            if writing:
                server.kill()
                return 1
            time.sleep(0.001)
    server.kill()
    return 0
