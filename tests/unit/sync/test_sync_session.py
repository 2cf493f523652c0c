"""The session: clock skew above the setting is reported; a full disk while downloading is its
own message with nothing half-written and the outbox intact; the next sync then completes."""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from ohinspect.services import attachments as attachments_module
from ohinspect.services.attachments import add_attachment
from ohinspect.store.database import Store
from ohinspect.store.models import Attachment, OutboxEntry
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.errors import SyncError
from ohinspect.sync.session import enroll, run_sync
from tests.unit.sync.conftest import make_enterprise
from tests.unit.sync.fake_platform import URL


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 30, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("minutes,warn", [(4, False), (6, True), (-7, True)])
def test_clock_skew_above_the_setting_is_reported(enrolled, creds, platform, minutes: int,
                                                  warn: bool) -> None:
    server = datetime.now(timezone.utc) - timedelta(minutes=minutes)
    platform.server_time = server.isoformat().replace("+00:00", "Z")
    report = run_sync(enrolled, creds, URL, client_factory=platform.client_factory())
    assert report.skew_warning is warn
    assert abs(report.clock_skew_s - minutes * 60) < 30


class _FullDisk:
    """``os`` as the attachment writer sees it, with a disk that is full."""

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(os, name)

    @staticmethod
    def write(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_while_downloading(tmp_path, platform, keyring_backend, monkeypatch) -> None:
    make = platform.client_factory()
    creds = CredentialStore(keyring_backend)
    first, second = Store.open(tmp_path / "a"), Store.open(tmp_path / "b")
    try:
        enroll(first, creds, URL, "张三", "pw", client_factory=make)
        enroll(second, creds, URL, "李四", "pw", client_factory=make)
        eid = make_enterprise(first, first.actor("张三"))
        add_attachment(first, first.actor("张三"), "enterprise", eid, _png(),
                       media_type="image/png", kind="photo")
        run_sync(first, creds, URL, client_factory=make)
        mine = make_enterprise(second, second.actor("李四"), 5)  # waiting on the second laptop

        monkeypatch.setattr(attachments_module, "os", _FullDisk())
        with pytest.raises(SyncError) as err:
            run_sync(second, creds, URL, client_factory=make)
        assert err.value.code == "disk_full" and "磁盘已满" in err.value.user_message()
        with second.read() as s:
            assert s.scalar(select(func.count()).select_from(Attachment)) == 0
            left = s.scalars(select(OutboxEntry.record_id)).all()
        assert left == [] or left == [mine]  # pushed already, or still waiting: never lost
        assert not list((second.data_dir / "attachments").rglob("*.partial"))

        monkeypatch.setattr(attachments_module, "os", os)
        report = run_sync(second, creds, URL, client_factory=make)
        assert report.photos_down == 1 and report.differences == []
        with second.read() as s:
            assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 0
    finally:
        first.close()
        second.close()


def test_a_full_disk_under_the_store_is_its_own_message(enrolled, actor, creds, platform,
                                                        monkeypatch) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from ohinspect.sync import pull

    make_enterprise(enrolled, actor)

    def full(*args: object, **kw: object) -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(pull, "merge_page", full)
    with pytest.raises(SyncError) as err:
        run_sync(enrolled, creds, URL, client_factory=platform.client_factory())
    assert err.value.code == "disk_full" and "磁盘已满" in err.value.user_message()
