"""Round trip through the REAL platform (server process, PostgreSQL): the demo county with its
photos goes up from one inspector's laptop and arrives — every field of every record type, every
photo — on a second inspector's laptop and on a supervisor's; syncing again does nothing; an
enterprise contact changed on two laptops becomes a conflict a person resolves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ohinspect.demo import build_demo
from ohinspect.services.attachments import attachment_path
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.database import Store
from ohinspect.store.integrity import check_store
from ohinspect.store.models import RECORD_TYPES, Attachment, Enterprise, OutboxEntry
from ohinspect.sync.conflicts import list_conflicts, take_theirs
from ohinspect.sync.session import run_sync


def _everything(store: Store) -> dict[str, dict[str, Any]]:
    with store.read() as s:
        return {name: {o.id: o.sync_payload() for o in s.scalars(select(model))}
                for name, model in RECORD_TYPES.items()}


def _outbox(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def _set_contact(store: Store, eid: str, name: str) -> None:
    with store.read() as s:
        data = EnterpriseInput.from_record(s.get(Enterprise, eid))
    update_enterprise(store, store.actor("检查员"), eid,
                      EnterpriseInput(**{**data.__dict__, "contact_person": name}))


def test_two_devices_and_a_supervisor(devices) -> None:  # type: ignore[no-untyped-def]
    url, creds = devices.server.url, devices.creds
    first = devices.new("first", "inspector1")
    build_demo(first)
    sent = _everything(first)
    types_with_records = {t for t, rows in sent.items() if rows}
    assert len(types_with_records) >= 15  # the demo covers (nearly) every record type

    up = run_sync(first, creds, url)
    assert up.pushed == sum(len(r) for r in sent.values()) and up.photos_up > 0
    assert _outbox(first) == 0 and up.checked and up.differences == [] and up.conflicts == 0

    second = devices.new("second", "inspector2")
    supervisor = devices.new("supervisor", "supervisor")
    for store in (second, supervisor):
        down = run_sync(store, creds, url)
        assert down.received == up.pushed and down.checked and down.differences == []
        assert down.photos_down == up.photos_up
        assert _everything(store) == sent  # every field of every record survives
        with store.read() as s:
            for a in s.scalars(select(Attachment)):
                assert attachment_path(store, a.sha256).is_file()
        assert _outbox(store) == 0 and check_store(store).ok

    # idempotent: syncing again changes nothing anywhere
    for store in (first, second, supervisor):
        again = run_sync(store, creds, url)
        assert (again.pushed, again.received, again.photos_up, again.photos_down) == (0, 0, 0, 0)
        assert not again.checked  # nothing changed since the last check agreed

    # both inspectors change the same enterprise contact: a conflict, never an overwrite
    eid = next(iter(sent["enterprise"]))
    _set_contact(second, eid, "第二台的联系人")
    assert run_sync(second, creds, url).pushed == 1
    _set_contact(first, eid, "第一台的联系人")
    clash = run_sync(first, creds, url)
    assert clash.conflicts == 1 and _outbox(first) == 1
    with first.read() as s:
        assert s.get(Enterprise, eid).contact_person == "第一台的联系人"
        (conflict,) = list_conflicts(s)
    theirs = {f.field: f.theirs for f in conflict.fields}
    assert theirs["contact_person"] == "第二台的联系人"
    take_theirs(first, first.actor("检查员"), conflict.id)
    settled = run_sync(first, creds, url)
    assert settled.checked and settled.differences == [] and settled.conflicts == 0
    assert _outbox(first) == 0
    assert _everything(first) == _everything(second)
    assert run_sync(supervisor, creds, url).received == 1
    assert _everything(supervisor) == _everything(second)
