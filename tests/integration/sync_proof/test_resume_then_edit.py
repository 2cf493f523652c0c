"""Found by the SIGKILL rounds (test_kill_client.py): the client dies after the platform took a
batch but before the answer arrived; the inspector then changes a record of that batch again.
The next sync resends the unanswered batch (same batch id, the older version) — and must also
send the newer version in the same session: otherwise the sync ends with that record still
waiting and its own post-sync check reports a difference (exit 3 on the command line)."""

from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, OutboxEntry, SyncBatch
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.session import enroll, run_sync
from ohinspect.sync.transport import PlatformClient
from tests.unit.sync.conftest import make_enterprise
from tests.unit.sync.fake_platform import MemoryKeyring


class Killed(BaseException):
    """The process died: nothing after this point ran."""


class DiesAfterPush(PlatformClient):
    def push(self, body, batch_id, items):  # type: ignore[no-untyped-def]
        super().push(body, batch_id, items)  # the platform stored the batch …
        raise Killed  # … and the device never heard the answer


def _contact(store: Store, eid: str, name: str) -> None:
    with store.read() as s:
        data = EnterpriseInput.from_record(s.get(Enterprise, eid))
    update_enterprise(store, store.actor("检查员"), eid,
                      EnterpriseInput(**{**data.__dict__, "contact_person": name}))


def _count(store: Store, model: type) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_resumed_batch_and_a_newer_edit_of_its_record(platform_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    platform_server.add_user("field1", "inspector", "6210", "pw")
    creds = CredentialStore(MemoryKeyring())
    store = Store.open(tmp_path / "laptop")
    try:
        enroll(store, creds, platform_server.url, "field1", "pw")
        eid = make_enterprise(store, store.actor("检查员"), 1)
        assert run_sync(store, creds, platform_server.url).pushed == 1
        _contact(store, eid, "第一次修改")
        try:
            run_sync(store, creds, platform_server.url,
                     client_factory=partial(DiesAfterPush))
        except Killed:
            pass
        assert _count(store, SyncBatch) == 1  # sent, never answered
        _contact(store, eid, "第二次修改")

        report = run_sync(store, creds, platform_server.url)
        assert _count(store, SyncBatch) == 0
        assert _count(store, OutboxEntry) == 0, "the newer version was left waiting"
        assert report.differences == []
    finally:
        store.close()
