"""Push: one transaction per batch, idempotent by batch id and content hash, conflicts never
overwrite, fast-forward only by the author (or on shared registry records), locked records
frozen (docs/design/issue6-sync.md "Push")."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from tests.integration.platform.device import Device, item, new, outcomes


def _enterprise(division: str = "621024", **kw: object) -> dict[str, object]:
    return new(name="合水县示例化工有限公司", division_code=division, **kw)


def test_same_batch_twice_gives_the_identical_response(device: Callable[[str], Device]) -> None:
    alice = device("alice")
    ent = _enterprise()
    insp = new(enterprise_id=ent["id"], status="draft", locked_at=None)
    batch = [item("enterprise", ent), item("inspection", insp)]
    first = alice.push(batch, batch_id="b-1")
    again = alice.push(batch, batch_id="b-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert outcomes(first.json()) == ["accepted", "accepted"]
    seqs = [r["server_seq"] for r in first.json()["results"]]
    assert seqs == sorted(seqs) and first.json()["server_seq_high"] == seqs[-1]
    # the same content in a new batch: "already", nothing new issued
    third = alice.push_ok(batch)
    assert outcomes(third) == ["already", "already"]
    assert [r["server_seq"] for r in third["results"]] == seqs
    assert alice.get("/v1/check").json()["types"]["inspection"]["count"] == 1


def test_replaying_every_captured_request_changes_nothing(device: Callable[[str], Device]) -> None:
    alice, sup = device("alice"), device("sup")
    ent = _enterprise()
    blob = b"photo bytes" * 100
    sha = hashlib.sha256(blob).hexdigest()
    alice.push_ok([item("enterprise", ent)])
    alice.post("/v1/attachments/missing", {"sha256": [sha]})
    alice.send("PUT", f"/v1/attachments/{sha}", blob[:500],
               {"Content-Range": f"bytes 0-499/{len(blob)}", "Content-Type": "application/octet-stream"})
    alice.send("PUT", f"/v1/attachments/{sha}", blob[500:],
               {"Content-Range": f"bytes 500-{len(blob) - 1}/{len(blob)}",
                "Content-Type": "application/octet-stream"})
    att = new(owner_type="enterprise", owner_id=ent["id"], sha256=sha, size=len(blob))
    alice.push_ok([item("attachment", att)])
    v2 = {**ent, "contact_phone": "0934-1234567"}
    alice.push_ok([item("enterprise", v2, base_hash=item("enterprise", ent)["hash"])])
    alice.get("/v1/changes", since=0)
    alice.get("/v1/check")

    def state() -> tuple[object, ...]:
        return (sup.get("/v1/check").json(), sup.pull_all()[0],
                sup.get("/v1/batches").json()["batches"].__len__(),
                sup.post("/v1/attachments/missing", {"sha256": [sha]}).json())

    before = state()
    answers = []
    for method, path, headers, body in list(alice.sent):
        answers.append(alice.http.request(method, path, content=body or None, headers=headers)
                       .status_code)
    assert state() == before
    assert all(code in (200, 409) for code in answers), answers  # 409: chunk already there


def test_conflict_from_another_device_overwrites_nothing(device: Callable[[str], Device]) -> None:
    alice, bob = device("alice"), device("bob")
    ent = _enterprise()
    insp = new(enterprise_id=ent["id"], summary="alice's", status="draft", locked_at=None)
    alice.push_ok([item("enterprise", ent), item("inspection", insp)])
    base = item("inspection", insp)["hash"]
    # bob (same county) pushes another version of alice's inspection from his device
    theirs = {**insp, "summary": "bob's"}
    result = bob.push_ok([item("inspection", theirs, base_hash=base)])["results"][0]
    assert result["outcome"] == "conflict"
    assert result["server_hash"] == base and result["server_payload"] == insp
    # a new record with an id the server already holds (different content, no base) → conflict
    clash = alice.push_ok([item("inspection", {**insp, "summary": "other"})])["results"][0]
    assert clash["outcome"] == "conflict"
    # the author's own stale base also conflicts
    stale = {**insp, "summary": "v3"}
    ok = alice.push_ok([item("inspection", {**insp, "summary": "v2"}, base_hash=base)])
    assert outcomes(ok) == ["accepted"]
    assert outcomes(alice.push_ok([item("inspection", stale, base_hash=base)])) == ["conflict"]
    current = [c for c in bob.pull_all()[0] if c["record_type"] == "inspection"]
    assert [c["payload"]["summary"] for c in current] == ["v2"]


def test_fast_forward_by_author_and_shared_enterprise(device: Callable[[str], Device]) -> None:
    alice, alice2, bob = device("alice"), device("alice"), device("bob")
    ent = _enterprise()
    insp = new(enterprise_id=ent["id"], summary="v1", status="draft", locked_at=None)
    first = alice.push_ok([item("enterprise", ent), item("inspection", insp)])
    h1 = [r["hash"] for r in first["results"]]
    # the author fast-forwards, also from her second laptop
    v2 = {**insp, "summary": "v2"}
    r2 = alice2.push_ok([item("inspection", v2, base_hash=h1[1])])["results"][0]
    assert r2["outcome"] == "accepted" and r2["server_seq"] > first["server_seq_high"]
    # the enterprise is a shared registry record: bob may fast-forward it, from the right base
    e2 = {**ent, "contact_person": "张三"}
    assert outcomes(bob.push_ok([item("enterprise", e2, base_hash=h1[0])])) == ["accepted"]
    e3 = {**ent, "contact_person": "李四"}
    assert outcomes(alice.push_ok([item("enterprise", e3, base_hash=h1[0])])) == ["conflict"]
    pulled = {c["id"]: c["payload"] for c in bob.pull_all()[0]}
    assert pulled[insp["id"]]["summary"] == "v2"
    assert ent["id"] not in pulled  # bob's own version is not sent back to him


def test_locked_records_never_take_a_new_version(device: Callable[[str], Device]) -> None:
    alice = device("alice")
    ent = _enterprise()
    insp = new(enterprise_id=ent["id"], status="draft", locked_at=None)
    ans = new(inspection_id=insp["id"], item_id="1.1", answer="conform")
    task = new(enterprise_id=ent["id"], status="draft", locked_at=None)
    alice.push_ok([item("enterprise", ent), item("inspection", insp), item("inspection_answer", ans),
                   item("sampling_task", task)])
    signed = {**insp, "status": "signed", "locked_at": "2026-05-01T08:00:00Z"}
    task_locked = {**task, "locked_at": "2026-05-01T09:00:00Z"}
    res = alice.push_ok([item("inspection", signed, base_hash=item("inspection", insp)["hash"]),
                         item("sampling_task", task_locked,
                              base_hash=item("sampling_task", task)["hash"])])
    assert outcomes(res) == ["accepted", "accepted"]
    h_signed = item("inspection", signed)["hash"]
    refused = alice.push_ok([
        item("inspection", {**signed, "summary": "changed"}, base_hash=h_signed),
        item("inspection_answer", {**ans, "answer": "not_conform"},
             base_hash=item("inspection_answer", ans)["hash"]),
        item("sampling_task", {**task_locked, "notes": "x"},
             base_hash=item("sampling_task", task_locked)["hash"]),
        # new records after signing (custody transfer, a correcting inspection) are fine
        item("custody_transfer", new(task_id=task["id"], count=3)),
        item("inspection", new(enterprise_id=ent["id"], amends_id=insp["id"], status="draft")),
    ])
    assert outcomes(refused) == ["conflict", "conflict", "conflict", "accepted", "accepted"]
    assert refused["results"][0]["server_payload"] == signed


def test_bad_batches_are_refused_whole(device: Callable[[str], Device]) -> None:
    alice = device("alice")
    ent = _enterprise()
    good = item("enterprise", ent)
    tampered = item("inspection", new(enterprise_id=ent["id"]))
    tampered["payload"]["summary"] = "changed after hashing"
    for items, status, code in [
        ([good, tampered], 400, "hash_mismatch"),
        ([good, {**good}], 400, "duplicate_item"),
        ([good, item("no_such_type", new())], 400, "unknown_record_type"),
        ([good, {**item("inspection", new()), "id": "another-id"}], 400, "id_mismatch"),
        ([item("enterprise", new(division_code="621024")) for _ in range(251)], 413,
         "batch_too_large"),
    ]:
        response = alice.push(items)
        assert (response.status_code, response.json()["error"]) == (status, code)
    other_device = alice.post("/v1/push", {"batch_id": "x", "device_id": "not-mine",
                                           "items": [good]})
    assert (other_device.status_code, other_device.json()["error"]) == (403, "device_mismatch")
    assert alice.get("/v1/check").json() == {"types": {}}
    assert alice.get("/v1/batches").json()["batches"] == []


def test_child_before_its_parent_waits(device: Callable[[str], Device]) -> None:
    alice = device("alice")
    ent = _enterprise()
    insp = new(enterprise_id=ent["id"], status="draft")
    ans = new(inspection_id=insp["id"], answer="conform")
    early = alice.push_ok([item("inspection_answer", ans)])["results"][0]
    assert early["outcome"] == "missing_parent" and early["server_seq"] is None
    # parents first in the same batch, or already on the server: accepted
    res = alice.push_ok([item("inspection_answer", ans), item("inspection", insp),
                         item("enterprise", ent)])
    assert outcomes(res) == ["accepted"] * 3
