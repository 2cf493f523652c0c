"""Push: bounded batches, the batch id persisted and reused on retry, outbox entries removed
only for acknowledged records with change_seq ≤ the one sent, conflicts recorded."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from ohinspect.progress import Reporter
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.models import Enterprise, OutboxEntry, SyncBatch, SyncConflict, SyncRecord
from ohinspect.sync.errors import TransientSyncError
from ohinspect.sync.push import PushStats, push_outbox
from ohinspect.sync.session import open_client, run_sync, sync_actor
from tests.unit.sync.conftest import make_enterprise
from tests.unit.sync.fake_platform import URL


def _outbox(store) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def _push(store, creds, platform) -> PushStats:  # type: ignore[no-untyped-def]
    stats = PushStats()
    with open_client(store, creds, URL, Reporter(),
                     client_factory=platform.client_factory()) as client:
        push_outbox(store, sync_actor(store), client, Reporter(), stats)
    return stats


def _pushes(platform) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(r.content) for r in platform.requests if r.url.path == "/v1/push"]


def test_round_trip_empties_the_outbox_and_a_second_sync_does_nothing(enrolled, actor, creds,
                                                                       platform) -> None:
    ids = [make_enterprise(enrolled, actor, n) for n in range(3)]
    report = run_sync(enrolled, creds, URL, client_factory=platform.client_factory())
    assert report.pushed == 3 and _outbox(enrolled) == 0
    assert report.checked and report.differences == []
    assert {k[1] for k in platform.records} == set(ids)
    platform.requests.clear()
    again = run_sync(enrolled, creds, URL, client_factory=platform.client_factory())
    assert again.pushed == 0 and again.received == 0 and not again.checked
    # nothing to do costs two small requests: who are you, and anything new?
    assert [r.url.path for r in platform.requests] == ["/v1/info", "/v1/changes"]


def test_batches_hold_at_most_250_records(enrolled, actor, creds, platform) -> None:
    for n in range(260):
        make_enterprise(enrolled, actor, n)
    stats = _push(enrolled, creds, platform)
    sizes = [len(b["items"]) for b in _pushes(platform)]
    assert sizes == [250, 10] and stats.acknowledged == 260 and _outbox(enrolled) == 0


def test_batches_stay_under_the_byte_limit(enrolled, actor, creds, platform,
                                           monkeypatch) -> None:
    from ohinspect.sync import protocol

    small = protocol.limits().__class__(**{**protocol.limits().__dict__, "push_max_bytes": 6000})
    monkeypatch.setattr(protocol, "limits", lambda: small)
    for n in range(12):
        make_enterprise(enrolled, actor, n, address="甘肃省庆阳市合水县" * 30)
    _push(enrolled, creds, platform)
    bodies = [r.content for r in platform.requests if r.url.path == "/v1/push"]
    assert len(bodies) > 1 and all(len(b) <= 6000 for b in bodies)
    assert sum(len(json.loads(b)["items"]) for b in bodies) == 12


def test_only_the_newest_payload_is_sent_and_entries_up_to_it_removed(enrolled, actor, creds,
                                                                       platform) -> None:
    eid = make_enterprise(enrolled, actor)
    with enrolled.read() as s:
        data = EnterpriseInput.from_record(s.get(Enterprise, eid))
    update_enterprise(enrolled, actor, eid, EnterpriseInput(**{**data.__dict__,
                                                              "contact_person": "李四"}))
    assert _outbox(enrolled) == 2
    _push(enrolled, creds, platform)
    (batch,) = _pushes(platform)
    assert len(batch["items"]) == 1 and batch["items"][0]["payload"]["contact_person"] == "李四"
    assert _outbox(enrolled) == 0


def test_a_change_made_while_the_batch_travels_stays_in_the_outbox(enrolled, actor, creds,
                                                                   platform) -> None:
    eid = make_enterprise(enrolled, actor)

    def edit_in_flight(request: httpx.Request) -> None:
        if request.url.path == "/v1/push":
            with enrolled.read() as s:
                data = EnterpriseInput.from_record(s.get(Enterprise, eid))
            update_enterprise(enrolled, actor, eid,
                              EnterpriseInput(**{**data.__dict__, "contact_person": "王五"}))
            platform.override = None
        return None

    platform.override = edit_in_flight
    _push(enrolled, creds, platform)
    with enrolled.read() as s:
        left = s.scalars(select(OutboxEntry)).all()
        base = s.get(SyncRecord, ("enterprise", eid))
    assert len(left) == 1 and json.loads(left[0].payload)["contact_person"] == "王五"
    assert base is not None and base.base_hash != left[0].payload_hash


def test_lost_answer_is_retried_with_the_same_batch_id(enrolled, actor, creds, platform) -> None:
    make_enterprise(enrolled, actor)
    calls = {"n": 0}

    def lose_first_answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/v1/push" and calls["n"] == 0:
            calls["n"] += 1
            platform.handle.__self__.override = None  # type: ignore[attr-defined]
            platform.handle(request)  # the server stores it …
            platform.override = lose_first_answer
            raise httpx.ReadError("connection reset")  # … but the answer is lost
        return None

    platform.override = lose_first_answer
    stats = _push(enrolled, creds, platform)
    ids = [b["batch_id"] for b in _pushes(platform)]
    assert len(ids) == 3 and len(set(ids)) == 1  # stored once, answered twice: same id
    assert stats.acknowledged == 1 and _outbox(enrolled) == 0


def test_the_batch_id_survives_an_interrupted_session(enrolled, actor, creds, platform) -> None:
    make_enterprise(enrolled, actor)

    def down(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/v1/push":
            platform.handle.__self__.override = None  # type: ignore[attr-defined]
            platform.handle(request)
            platform.override = down
            return httpx.Response(503, headers={"X-OHInspect-API": "1"})
        return None

    platform.override = down
    with pytest.raises(TransientSyncError):
        _push(enrolled, creds, platform)
    with enrolled.read() as s:
        (pending,) = s.scalars(select(SyncBatch)).all()
    assert _outbox(enrolled) == 1
    platform.override = None
    platform.requests.clear()
    _push(enrolled, creds, platform)
    assert [b["batch_id"] for b in _pushes(platform)] == [pending.batch_id]
    assert _outbox(enrolled) == 0


def test_conflict_is_recorded_and_the_outbox_kept(enrolled, actor, creds, platform) -> None:
    eid = make_enterprise(enrolled, actor)
    with enrolled.read() as s:
        theirs = s.get(Enterprise, eid).sync_payload()
    theirs["contact_person"] = "平台上的联系人"
    platform.put("enterprise", theirs)
    stats = _push(enrolled, creds, platform)
    assert stats.conflicts == 1 and _outbox(enrolled) == 1
    with enrolled.read() as s:
        (c,) = s.scalars(select(SyncConflict)).all()
    assert json.loads(c.server_payload)["contact_person"] == "平台上的联系人"
    # while the conflict is open the record is not pushed again
    platform.requests.clear()
    _push(enrolled, creds, platform)
    assert not _pushes(platform)


def test_a_record_whose_parent_the_server_lacks_goes_again_after_it(enrolled, actor, creds,
                                                                    platform,
                                                                    monkeypatch) -> None:
    from ohinspect.store.base import new_id, utcnow
    from ohinspect.store.models import Inspection
    from ohinspect.sync import local, protocol

    eid = make_enterprise(enrolled, actor)
    with enrolled.unit_of_work(actor) as uow:
        uow.record(Inspection(id=new_id(), kind="three_simultaneities", enterprise_id=eid,
                              template_id="t", template_version=1, template_snapshot={},
                              started_at=utcnow()), "inspection.start")
        uow.commit()
    one = protocol.limits().__class__(**{**protocol.limits().__dict__, "push_max_items": 1})
    monkeypatch.setattr(protocol, "limits", lambda: one)
    monkeypatch.setattr(local, "type_order", lambda: ["inspection", "enterprise"])
    stats = _push(enrolled, creds, platform)
    sent = [(b["items"][0]["record_type"]) for b in _pushes(platform)]
    assert sent == ["inspection", "enterprise", "inspection"]
    assert stats.acknowledged == 2 and stats.missing_parent == 0 and _outbox(enrolled) == 0


def test_a_record_outside_the_jurisdiction_is_isolated_and_the_rest_goes(enrolled, actor, creds,
                                                                         platform) -> None:
    from ohinspect.standards.uscc import make_uscc

    for n in range(20):
        make_enterprise(enrolled, actor, n)
    outside = make_enterprise(enrolled, actor, 99, division_code="621025",
                              uscc=make_uscc("9", "1", "621025", "MA000099"))
    report = run_sync(enrolled, creds, URL, client_factory=platform.client_factory())
    assert report.pushed == 20 and len(report.refused) == 1 and outside in report.refused[0]
    assert not report.fully_done and any("平台拒收了 1 条记录" in line for line in report.lines())
    with enrolled.read() as s:
        left = s.scalars(select(OutboxEntry.record_id)).all()
    assert left == [outside]  # stays waiting, never lost
    refusals = [r for r in platform.requests if r.url.path == "/v1/push"]
    assert len(refusals) <= 2 + 2 * 5  # halving, not one request per record
