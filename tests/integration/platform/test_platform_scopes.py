"""Jurisdictions (resources/sync/roles.yaml, scopes.yaml): every attempt to read or write
across the line is refused, and a refused batch stores nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from tests.integration.platform.device import Device, item, new, outcomes
from tests.integration.platform_server import PlatformServer

from ohinspect.platform.rights import normalise_division, scope_rules
from ohinspect.store.models import RECORD_TYPES


def test_every_record_type_has_a_scope_rule() -> None:
    assert set(scope_rules()) == set(RECORD_TYPES)
    assert normalise_division("621000") == "6210" and normalise_division("620000") == "62"
    assert normalise_division("621024") == "621024" and normalise_division("62x") == ""


def _seed(alice: Device) -> dict[str, dict[str, object]]:
    ent = new(name="合水", division_code="621024")
    insp = new(enterprise_id=ent["id"], status="draft")
    alice.push_ok([item("enterprise", ent), item("inspection", insp)])
    return {"ent": ent, "insp": insp}


def _stored(dev: Device) -> dict[str, int]:
    return {t: v["count"] for t, v in dev.get("/v1/check").json()["types"].items()}


def test_writes_outside_the_jurisdiction_are_refused_whole(
        device: Callable[[str], Device]) -> None:
    alice, carol, sup = device("alice"), device("carol"), device("sup")
    seeded = _seed(alice)
    before = _stored(sup)
    own = new(name="正宁", division_code="621025")
    attempts = [
        # a record of the neighbour county, hidden among records of her own
        [item("enterprise", own), item("enterprise", new(name="x", division_code="621024"))],
        # a child whose parent (on the server) is out of her scope
        [item("enterprise", own), item("inspection", new(enterprise_id=seeded["ent"]["id"]))],
        # a grandchild: answer → alice's inspection → alice's enterprise
        [item("inspection_answer", new(inspection_id=seeded["insp"]["id"], answer="x"))],
        # a child and its out-of-scope parent in the same batch
        [item("sampling_task", (t := new(enterprise_id="e-out"))),
         item("enterprise", new(id="e-out", division_code="621024")),
         item("sample", new(task_id=t["id"]))],
        # an attachment hung on alice's inspection
        [item("attachment", new(owner_type="inspection", owner_id=seeded["insp"]["id"],
                                sha256="0" * 64))],
        # moving alice's enterprise into her county (the stored version is out of scope)
        [item("enterprise", {**seeded["ent"], "division_code": "621025"},
              base_hash=item("enterprise", seeded["ent"])["hash"])],
        # a prefecture-wide record: above her jurisdiction
        [item("inspector", new(name="x", jurisdiction="621000"))],
    ]
    for batch in attempts:
        response = carol.push(batch)
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "out_of_scope"
    assert _stored(sup) == before
    # the admin role writes nothing at all
    admin = device("admin")
    assert admin.push([item("enterprise", new(division_code="621024"))]).status_code == 403
    # her own county is fine
    assert outcomes(carol.push_ok([item("enterprise", own)])) == ["accepted"]


def test_reads_stay_within_the_jurisdiction(device: Callable[[str], Device]) -> None:
    alice, carol, sup, far = device("alice"), device("carol"), device("sup"), device("far")
    seeded = _seed(alice)
    blob = b"scan" * 64
    sha = hashlib.sha256(blob).hexdigest()
    put = alice.send("PUT", f"/v1/attachments/{sha}", blob,
                     {"Content-Range": f"bytes 0-{len(blob) - 1}/{len(blob)}"})
    assert put.status_code == 200 and put.json()["complete"]
    alice.push_ok([item("attachment", new(owner_type="enterprise", owner_id=seeded["ent"]["id"],
                                          sha256=sha))])
    carol.push_ok([item("enterprise", new(name="正宁", division_code="621025"))])
    prefecture = new(name="市直", division_code="621000")
    sup.push_ok([item("enterprise", prefecture)])

    def seen(dev: Device) -> set[str]:
        return {str(c["payload"].get("division_code", "")) for c in dev.pull_all()[0]
                if c["record_type"] == "enterprise"}

    assert seen(carol) == set()  # alice's county is invisible; her own is not sent back
    assert seen(alice) == set()  # nor the neighbour's, nor the prefecture's own record
    assert seen(sup) == {"621024", "621025"}  # the prefecture sees below
    assert seen(far) == set()
    assert _stored(carol) == {"enterprise": 1}
    assert _stored(alice) == {"enterprise": 1, "inspection": 1, "attachment": 1}
    assert _stored(sup) == {"enterprise": 3, "inspection": 1, "attachment": 1}
    # blobs: only through an attachment the reader may read
    assert carol.get(f"/v1/attachments/{sha}").status_code == 404
    assert sup.get(f"/v1/attachments/{sha}").content == blob
    # batch manifests: a batch is listed to whoever may read every item in it
    assert len(alice.get("/v1/batches").json()["batches"]) == 2
    assert len(carol.get("/v1/batches").json()["batches"]) == 1
    assert len(sup.get("/v1/batches").json()["batches"]) == 4
    assert far.get("/v1/batches").json()["batches"] == []


def test_revoked_device_gets_401_until_it_enrols_again(
        device: Callable[[str], Device], server: PlatformServer) -> None:
    alice, admin, far = device("alice"), device("admin"), device("far")
    assert alice.get("/v1/check").status_code == 200
    # an admin of another prefecture may not, a user without the right may not
    refused = far.post(f"/v1/admin/devices/{alice.device_id}/revoke", {})
    assert (refused.status_code, refused.json()["error"]) == (403, "out_of_scope_device")
    assert alice.post(f"/v1/admin/devices/{alice.device_id}/revoke", {}).status_code == 403
    ok = admin.post(f"/v1/admin/devices/{alice.device_id}/revoke", {})
    assert ok.status_code == 200, ok.text
    for response in (alice.get("/v1/check"), alice.push([])):
        assert (response.status_code, response.json()["error"]) == (401, "token_revoked")
    alice.enroll()
    assert alice.get("/v1/check").status_code == 200
    # revocation from the command line (the server's own tool)
    assert server.revoke_device(alice.device_id)
    assert alice.get("/v1/changes").json()["error"] == "token_revoked"


def test_authentication_is_checked_on_every_request(device: Callable[[str], Device]) -> None:
    alice, bob = device("alice"), device("bob")
    body = b'{"sha256": []}'
    cases = [
        ({}, 401, "token_missing"),
        ({"Authorization": "Bearer nope"}, 401, "token_unknown"),
        ({"Authorization": f"Bearer {alice.token}"}, 403, "signature_missing"),
        # signed by bob's key with alice's token
        ({**bob.headers(body), "Authorization": f"Bearer {alice.token}"}, 403, "bad_signature"),
    ]
    for headers, status, code in cases:
        response = alice.http.post("/v1/attachments/missing", content=body, headers=headers)
        assert (response.status_code, response.json()["error"]) == (status, code)
    # a signature over another body does not carry over
    headers = alice.headers(b'{"sha256": ["' + b"a" * 64 + b'"]}')
    assert alice.http.post("/v1/attachments/missing", content=body,
                           headers=headers).json()["error"] == "bad_signature"
    wrong = alice.http.post("/v1/enroll", json={
        "user": "alice", "password": "wrong", "device_id": "d", "public_key": alice.public_key()})
    assert (wrong.status_code, wrong.json()["error"]) == (401, "bad_credentials")
    taken = alice.http.post("/v1/enroll", json={
        "user": "bob", "password": "secret", "device_id": alice.device_id,
        "public_key": alice.public_key()})
    assert (taken.status_code, taken.json()["error"]) == (409, "device_taken")
