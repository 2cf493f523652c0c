"""Record ids (ohinspect/store/base.py ``new_id``): time-ordered UUIDs, version 7 (RFC 9562
§5.7) — unique without coordination between devices, and ids made later sort after earlier
ones, so inserts append to the indexes keyed by id."""

from __future__ import annotations

import time
import uuid

from ohinspect.store.base import new_id


def test_ids_are_version_7_uuids_with_the_creation_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid.UUID(new_id())
    after = time.time_ns() // 1_000_000
    assert value.version == 7 and value.variant == uuid.RFC_4122
    assert before <= value.int >> 80 <= after


def test_ids_are_unique_and_later_ones_sort_after() -> None:
    first = [new_id() for _ in range(20_000)]
    time.sleep(0.002)
    later = [new_id() for _ in range(100)]
    assert len(set(first + later)) == len(first) + len(later)
    assert max(first) < min(later)
