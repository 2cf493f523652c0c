"""``GET /v1/batches`` answers are checked strictly: a wrong shape is one ProtocolError
sentence, never a KeyError (the fetch stops, nothing is imported)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ohinspect.batches.fetch_wire import parse_batches
from ohinspect.sync.errors import ProtocolError

SHA = "a" * 64
BATCH = {"seq": 3, "batch_id": "b1", "device_id": "d1", "user": "u", "received_at": "2026-01-01T00:00:00Z",
         "body_sha256": SHA, "signature": "c2ln", "public_key": "a2V5", "body": "{}",
         "manifest": [{"record_type": "enterprise", "id": "e1", "hash": SHA, "outcome": "accepted",
                       "server_seq": 9}]}
PAGE = {"batches": [BATCH], "next": 3, "more": False}


def _page(change: Any) -> dict[str, Any]:
    page = copy.deepcopy(PAGE)
    change(page)
    return page


def test_a_good_page() -> None:
    page = parse_batches(PAGE, 0)
    assert page.next == 3 and not page.more
    (batch,) = page.batches
    assert batch.label == "platform-3-b1" and batch.manifest[0].server_seq == 9


@pytest.mark.parametrize("change", [
    lambda p: p.update(batches="x"),
    lambda p: p["batches"][0].pop("body"),
    lambda p: p["batches"][0].update(seq=True),
    lambda p: p["batches"][0].update(seq=-1),
    lambda p: p["batches"][0].update(body_sha256="zz"),
    lambda p: p["batches"][0]["manifest"][0].update(outcome="maybe"),
    lambda p: p["batches"][0]["manifest"][0].update(server_seq="9"),
    lambda p: p["batches"].append(copy.deepcopy(p["batches"][0])),   # seqs do not ascend
    lambda p: p.update(next=2),                                       # behind the last batch
    lambda p: p.update(more="no"),
])
def test_a_wrong_answer_is_a_protocol_error(change: Any) -> None:
    with pytest.raises(ProtocolError):
        parse_batches(_page(change), 0)


def test_a_batch_at_or_before_the_cursor_is_refused() -> None:
    with pytest.raises(ProtocolError):
        parse_batches(PAGE, 3)
