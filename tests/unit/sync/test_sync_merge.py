"""Pull and merge rules: insert the unknown, apply where nothing is pending, a conflict row for a
pending change or a locked record (never a silent overwrite), no outbox entry for what arrives,
a child that arrives before its parent waits; keep mine / take theirs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ohinspect.errors import LockedRecordError
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.base import new_id, utcnow
from ohinspect.store.database import Store
from ohinspect.store.models import (AuditEntry, Enterprise, Inspection, OutboxEntry,
                                    SyncConflict, SyncPending)
from ohinspect.store.serialize import content_hash
from ohinspect.sync.conflicts import keep_mine, list_conflicts, take_theirs
from ohinspect.sync.session import run_sync
from tests.unit.sync.conftest import make_enterprise
from tests.unit.sync.fake_platform import URL


def _sync(store, creds, platform):  # type: ignore[no-untyped-def]
    return run_sync(store, creds, URL, client_factory=platform.client_factory())


def _count(store, model) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _payload(store, model, rid: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    with store.read() as s:
        return s.get(model, rid).sync_payload()


def _edit(store, actor, eid: str, **change: str) -> None:  # type: ignore[no-untyped-def]
    with store.read() as s:
        data = EnterpriseInput.from_record(s.get(Enterprise, eid))
    update_enterprise(store, actor, eid, EnterpriseInput(**{**data.__dict__, **change}))


def _synced_enterprise(store, actor, creds, platform) -> str:  # type: ignore[no-untyped-def]
    eid = make_enterprise(store, actor)
    _sync(store, creds, platform)
    return eid


def _theirs(store, eid: str, **change: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {**_payload(store, Enterprise, eid), **change, "modified_by": "别人"}


def test_unknown_record_is_inserted_with_audit_and_without_outbox(enrolled, creds, platform,
                                                                  tmp_path) -> None:
    elsewhere = Store.open(tmp_path / "elsewhere")  # a record as another device made it
    eid = make_enterprise(elsewhere, elsewhere.actor("李四"), 7)
    payload = _payload(elsewhere, Enterprise, eid)
    elsewhere.close()
    platform.put("enterprise", payload)
    report = _sync(enrolled, creds, platform)
    assert report.received == 1 and report.differences == []
    assert _payload(enrolled, Enterprise, eid) == payload
    assert _count(enrolled, OutboxEntry) == 0
    with enrolled.read() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.record_id == eid)).all()
    assert [a.action for a in audit] == ["sync.received"]


def test_unchanged_local_record_takes_the_platform_version(enrolled, actor, creds,
                                                          platform) -> None:
    eid = _synced_enterprise(enrolled, actor, creds, platform)
    platform.put("enterprise", _theirs(enrolled, eid, contact_person="平台改的"))
    report = _sync(enrolled, creds, platform)
    assert report.received == 1 and report.conflicts == 0
    assert _payload(enrolled, Enterprise, eid)["contact_person"] == "平台改的"
    assert _count(enrolled, OutboxEntry) == 0


def test_pending_change_becomes_a_conflict_not_an_overwrite(enrolled, actor, creds,
                                                            platform) -> None:
    eid = _synced_enterprise(enrolled, actor, creds, platform)
    platform.put("enterprise", _theirs(enrolled, eid, contact_person="平台改的"))
    _edit(enrolled, actor, eid, contact_person="我改的")
    report = _sync(enrolled, creds, platform)
    assert report.conflicts == 1
    assert _payload(enrolled, Enterprise, eid)["contact_person"] == "我改的"
    with enrolled.read() as s:
        (view,) = list_conflicts(s)
    diff = {d.field: (d.mine, d.theirs) for d in view.fields if d.differs}
    assert diff["contact_person"] == ("我改的", "平台改的")
    # syncing again does not duplicate the conflict
    assert _sync(enrolled, creds, platform).conflicts == 0
    assert _count(enrolled, SyncConflict) == 1


def test_keep_mine_pushes_mine_over_theirs(enrolled, actor, creds, platform) -> None:
    eid = _synced_enterprise(enrolled, actor, creds, platform)
    platform.put("enterprise", _theirs(enrolled, eid, contact_person="平台改的"))
    _edit(enrolled, actor, eid, contact_person="我改的")
    _sync(enrolled, creds, platform)
    with enrolled.read() as s:
        (view,) = list_conflicts(s)
    keep_mine(enrolled, actor, view.id)
    report = _sync(enrolled, creds, platform)
    assert report.pushed == 1 and _count(enrolled, OutboxEntry) == 0
    assert platform.records[("enterprise", eid)]["payload"]["contact_person"] == "我改的"
    assert report.differences == []


def test_take_theirs_applies_theirs_and_drops_my_outbox(enrolled, actor, creds, platform) -> None:
    eid = _synced_enterprise(enrolled, actor, creds, platform)
    theirs = _theirs(enrolled, eid, contact_person="平台改的")
    platform.put("enterprise", theirs)
    _edit(enrolled, actor, eid, contact_person="我改的")
    _sync(enrolled, creds, platform)
    with enrolled.read() as s:
        (view,) = list_conflicts(s)
    take_theirs(enrolled, actor, view.id)
    assert _payload(enrolled, Enterprise, eid) == theirs
    assert _count(enrolled, OutboxEntry) == 0
    assert _sync(enrolled, creds, platform).differences == []


def _locked_inspection(store, actor, eid: str) -> str:  # type: ignore[no-untyped-def]
    with store.unit_of_work(actor) as uow:
        insp = Inspection(id=new_id(), kind="three_simultaneities", enterprise_id=eid,
                          template_id="t", template_version=1, template_snapshot={},
                          started_at=utcnow(), status="signed", locked_at=utcnow())
        uow.record(insp, "inspection.sign")
        uow.commit()
    return insp.id


def test_a_locked_record_never_changes(enrolled, actor, creds, platform) -> None:
    eid = make_enterprise(enrolled, actor)
    iid = _locked_inspection(enrolled, actor, eid)
    _sync(enrolled, creds, platform)
    mine = _payload(enrolled, Inspection, iid)
    platform.put("inspection", {**mine, "summary": "被改过的笔录"})
    report = _sync(enrolled, creds, platform)
    assert report.conflicts == 1 and _payload(enrolled, Inspection, iid) == mine
    with enrolled.read() as s:
        (view,) = list_conflicts(s)
    with pytest.raises(LockedRecordError):
        take_theirs(enrolled, actor, view.id)
    assert _payload(enrolled, Inspection, iid) == mine


def test_a_child_before_its_parent_waits_then_lands(enrolled, actor, creds, platform,
                                                   tmp_path) -> None:
    elsewhere = Store.open(tmp_path / "elsewhere")
    who = elsewhere.actor("李四")
    eid = make_enterprise(elsewhere, who, 3)
    iid = _locked_inspection(elsewhere, who, eid)
    parent = _payload(elsewhere, Enterprise, eid)
    child = _payload(elsewhere, Inspection, iid)
    elsewhere.close()
    platform.put("inspection", child)  # the child's version is older on the platform …
    first = _sync(enrolled, creds, platform)
    assert first.waiting_for_parent == 1 and _count(enrolled, SyncPending) == 1
    platform.put("enterprise", parent)  # … the parent arrives with a later page
    second = _sync(enrolled, creds, platform)
    assert second.received == 2 and _count(enrolled, SyncPending) == 0
    assert _payload(enrolled, Inspection, iid) == child
    assert content_hash(_payload(enrolled, Enterprise, eid)) == content_hash(parent)
    assert second.differences == []


def test_pull_cursor_only_moves_after_commit(enrolled, actor, creds, platform,
                                             monkeypatch) -> None:
    from ohinspect.sync import merge, pull

    eid = _synced_enterprise(enrolled, actor, creds, platform)
    platform.put("enterprise", _theirs(enrolled, eid, contact_person="平台改的"))
    before = pull.cursor(enrolled)

    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    monkeypatch.setattr(pull, "merge_page", boom)
    with pytest.raises(RuntimeError):
        _sync(enrolled, creds, platform)
    assert pull.cursor(enrolled) == before
    monkeypatch.setattr(pull, "merge_page", merge.merge_page)
    assert _sync(enrolled, creds, platform).received == 1
    assert _payload(enrolled, Enterprise, eid)["contact_person"] == "平台改的"
