"""A field device's batch reaches the supervisor whole (every field, every photo); importing
again changes nothing; batches imported out of order converge to the same store."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from tests.unit.batches.conftest import Device, export_to, open_supervisor, read_manifest, store_digest
from sqlalchemy import func, select

from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.export import export_batch
from ohinspect.batches.importer import import_batch
from ohinspect.services.attachments import attachment_path
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.database import Store
from ohinspect.store.models import (RECORD_TYPES, AuditEntry, Enterprise, SyncConflict,
                                    SyncPending)


def _payloads(store: Store) -> dict[str, dict[str, dict]]:
    with store.read() as s:
        return {t: {o.id: o.sync_payload() for o in s.scalars(select(m))}
                for t, m in RECORD_TYPES.items()}


def _records_digest(store: Store) -> str:
    """The records and what sync/batches keep about them (not the audit log's timestamps)."""
    h = hashlib.sha256()
    for t, rows in sorted(_payloads(store).items()):
        for rid, payload in sorted(rows.items()):
            h.update(f"{t}:{rid}:{sorted(payload.items())}".encode())
    with store.read() as s:
        h.update(repr(s.scalar(select(func.count()).select_from(SyncPending))).encode())
        h.update(repr(s.scalar(select(func.count()).select_from(SyncConflict))).encode())
    return h.hexdigest()


def _actor(store: Store):  # type: ignore[no-untyped-def]
    return store.actor("监督科长")


def test_round_trip_keeps_every_field_and_photo(device: Device, supervisor: Store,
                                                valid_batch: Path) -> None:
    summary = import_batch(supervisor, _actor(supervisor), valid_batch)

    mine, theirs = _payloads(device.store), _payloads(supervisor)
    assert sum(map(len, mine.values())) > 300
    assert theirs == mine  # every record, every field (timestamps, JSON, signatures, locks)
    assert summary.total("new") == sum(map(len, mine.values()))
    assert summary.total("conflict") == summary.total("waiting") == 0
    photos = {p["sha256"] for p in mine["attachment"].values()}
    assert len(photos) > 10 and summary.blobs_new == len(photos)
    for sha in photos:
        assert attachment_path(supervisor, sha).read_bytes() == \
            attachment_path(device.store, sha).read_bytes()
    with supervisor.read() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "batch.imported")).one()
        assert summary.batch_id in audit.details and device.store.device_id in audit.details
    assert not (supervisor.data_dir / "staging").exists()  # staging removed


def test_reimport_and_a_second_export_change_nothing(device: Device, supervisor: Store,
                                                     valid_batch: Path, tmp_path: Path) -> None:
    import_batch(supervisor, _actor(supervisor), valid_batch)
    after_first = store_digest(supervisor)

    again = import_batch(supervisor, _actor(supervisor), valid_batch)
    second = tmp_path / "second.ohbatch"
    export_batch(device.store, device.store.actor("检查员甲"), second,
                 credentials=device.credentials)
    other = import_batch(supervisor, _actor(supervisor), second)

    assert store_digest(supervisor) == after_first  # not a row, not an audit entry, not a file
    for summary in (again, other):
        assert not summary.changed and summary.total("already") > 300
    assert other.batch_id != again.batch_id


def _change_two_enterprises_twice(device: Device) -> None:
    with device.store.read() as s:
        ids = list(s.scalars(select(Enterprise.id).order_by(Enterprise.id).limit(2)))
    actor = device.store.actor("检查员甲")
    for n in range(2):
        for eid in ids:
            with device.store.read() as s:
                data = replace(EnterpriseInput.from_record(s.get(Enterprise, eid)),
                               contact_person=f"联系人{n}")
            update_enterprise(device.store, actor, eid, data)


def test_batches_imported_out_of_order_converge(small_device: Device, tmp_path: Path) -> None:
    device = small_device
    older = export_to(device, tmp_path / "older.ohbatch")
    _change_two_enterprises_twice(device)
    newer = export_to(device, tmp_path / "newer.ohbatch", since=read_manifest(older).until)

    in_order = open_supervisor(tmp_path / "s1", device)
    out_of_order = open_supervisor(tmp_path / "s2", device)
    try:
        for path in (older, newer):
            import_batch(in_order, _actor(in_order), path)
        first = import_batch(out_of_order, _actor(out_of_order), newer)
        late = import_batch(out_of_order, _actor(out_of_order), older)

        assert first.total("updated") == 0 and first.total("new") == 2
        assert late.total("superseded") == 2  # the older versions of the two enterprises
        assert _records_digest(in_order) == _records_digest(out_of_order)
        assert _payloads(out_of_order) == _payloads(device.store)
    finally:
        in_order.close()
        out_of_order.close()


def test_outside_jurisdiction_is_refused_unless_allowed_and_then_recorded(
        small_device: Device, tmp_path: Path) -> None:
    valid_batch = export_to(small_device, tmp_path / "b.ohbatch")
    other = open_supervisor(tmp_path / "lanzhou", small_device, jurisdiction="6201")  # 兰州市
    try:
        before = store_digest(other)
        with pytest.raises(BatchRefused) as err:
            import_batch(other, _actor(other), valid_batch)
        assert err.value.code == "outside_jurisdiction" and "6201" in str(err.value)
        assert store_digest(other) == before

        summary = import_batch(other, _actor(other), valid_batch, allow_outside=True)
        assert summary.outside == summary.total("new") == 5
        with other.read() as s:
            allowed = s.scalars(select(AuditEntry).where(
                AuditEntry.action == "batch.outside_jurisdiction_allowed")).one()
        assert allowed.actor == "监督科长" and summary.batch_id in allowed.details
    finally:
        other.close()


def test_a_local_change_makes_a_conflict_once_and_never_an_overwrite(
        small_device: Device, tmp_path: Path) -> None:
    older = export_to(small_device, tmp_path / "older.ohbatch")
    supervisor = open_supervisor(tmp_path / "s", small_device)
    try:
        import_batch(supervisor, _actor(supervisor), older)
        with small_device.store.read() as s:
            eid = s.scalars(select(Enterprise.id).order_by(Enterprise.id)).first()
        with supervisor.read() as s:
            mine = replace(EnterpriseInput.from_record(s.get(Enterprise, eid)), notes="科长的修改")
        update_enterprise(supervisor, _actor(supervisor), eid, mine)  # pending in the outbox
        _change_two_enterprises_twice(small_device)
        newer = export_to(small_device, tmp_path / "newer.ohbatch",
                          since=read_manifest(older).until)

        first = import_batch(supervisor, _actor(supervisor), newer)
        after = store_digest(supervisor)
        again = import_batch(supervisor, _actor(supervisor), newer)

        assert first.total("conflict") == 1 and first.total("updated") == 1
        with supervisor.read() as s:
            assert s.get(Enterprise, eid).notes == "科长的修改"  # kept; the other version waits
            conflict = s.scalars(select(SyncConflict)).one()
        assert conflict.record_id == eid and "联系人1" in conflict.server_payload
        assert again.total("conflict") == 1 and not again.changed
        assert store_digest(supervisor) == after
    finally:
        supervisor.close()
