"""Pull and check: changes in server-seq order, paged with a cursor that only moves forward,
never echoing a device's own versions; per-type digests the client can recompute."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from tests.integration.platform.device import Device, item, new


def test_paging_cursor_and_check_digests(device: Callable[[str], Device]) -> None:
    alice, bob, sup = device("alice"), device("bob"), device("sup")
    ent = new(division_code="621024")
    alice.push_ok([item("enterprise", ent)])
    tasks = [new(enterprise_id=ent["id"], n=i) for i in range(23)]
    alice.push_ok([item("sampling_task", t) for t in tasks[:10]])
    alice.push_ok([item("sampling_task", t) for t in tasks[10:]])
    # bob pulls 5 at a time: every record once, in server-seq order
    seen, since, pages = [], 0, 0
    while True:
        page = bob.get("/v1/changes", since=since, limit=5).json()
        assert len(page["items"]) <= 5 and page["next"] >= since
        seen += page["items"]
        since, pages = page["next"], pages + 1
        if not page["more"]:
            break
    assert pages == 5 and len(seen) == 24
    seqs = [c["server_seq"] for c in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == 24
    assert {c["id"] for c in seen} == {ent["id"], *(t["id"] for t in tasks)}
    assert all(c["author"] == "alice" and c["device_id"] == alice.device_id for c in seen)
    # nothing new: an empty page, the cursor stays
    assert bob.get("/v1/changes", since=since).json() == {"items": [], "next": since,
                                                          "more": False}
    # one change later: only that one, with its new seq; alice's own versions are not echoed
    t0 = {**tasks[0], "notes": "changed"}
    alice.push_ok([item("sampling_task", t0, base_hash=item("sampling_task", tasks[0])["hash"])])
    later = bob.get("/v1/changes", since=since).json()
    assert [c["payload"] for c in later["items"]] == [t0] and later["next"] > since
    own = alice.get("/v1/changes", since=0).json()
    assert own["items"] == [] and own["next"] == later["next"]
    # the check digest: sha256 of the sorted "id:hash\n" lines of the current versions
    current = [t0, *tasks[1:]]
    lines = sorted(f"{t['id']}:{item('sampling_task', t)['hash']}\n" for t in current)
    expected = {"count": 23, "digest": hashlib.sha256("".join(lines).encode()).hexdigest()}
    for dev in (alice, bob, sup):
        assert dev.get("/v1/check").json()["types"]["sampling_task"] == expected
    bad = bob.get("/v1/changes", since=-1)
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_request")
