"""Issue 6 "Replaying any captured request changes nothing": every request of two syncs (the
first with everything, the second after edits and a new photo: pushes with base hashes, chunk
uploads, missing, pulls, check) is captured by the proxy, then sent to the platform again,
byte for byte — in order, shuffled and backwards. The platform's records, version log, server
seq high-water mark, batches and blobs stay exactly as they were, and a replayed push gets the
very answer the original got. Finally all of them again, twice, four at a time."""

from __future__ import annotations

import itertools
import random
from concurrent.futures import ThreadPoolExecutor

from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.session import enroll, run_sync
from tests.integration.sync_proof.convergence import server_state
from tests.integration.sync_proof.devices import (JURISDICTION, PASSWORD, USER, add_enterprises,
                                                  add_photo, copy_device)
from tests.integration.sync_proof.fault_proxy import FaultProxy, Message, exchange
from tests.unit.sync.fake_platform import MemoryKeyring

SEED = 66


def _edit(store: Store, rng: random.Random) -> None:
    with store.read() as s:
        eids = sorted(s.scalars(Enterprise.__table__.select().with_only_columns(Enterprise.id)))
    for eid in rng.sample(eids, 5):
        with store.read() as s:
            data = EnterpriseInput.from_record(s.get(Enterprise, eid))
        update_enterprise(store, store.actor("检查员"), eid,
                          EnterpriseInput(**{**data.__dict__, "contact_person": "重放测试"}))
    add_photo(store, add_enterprises(store, itertools.count(50000), 3)[0], rng, 300_000)


def test_replaying_every_captured_request_changes_nothing(platform_server, small_template,
                                                          tmp_path) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    platform_server.add_user(USER, "inspector", JURISDICTION, PASSWORD)
    folder = copy_device(small_template, tmp_path / "laptop")
    creds = CredentialStore(MemoryKeyring())
    with FaultProxy(("127.0.0.1", platform_server.port)) as proxy:
        store = Store.open(folder)
        try:
            enroll(store, creds, proxy.url, USER, PASSWORD)
            start = len(proxy.captured)  # from here on: requests of an enrolled device
            run_sync(store, creds, proxy.url)
            _edit(store, rng)
            second = run_sync(store, creds, proxy.url)
            assert second.pushed == 5 + 3 + 1 and second.photos_up == 1
        finally:
            store.close()
        captured = list(enumerate(proxy.captured))[start:]
    kinds = {(m.method, m.path.split("/")[2]) for _, m in captured}
    assert kinds >= {("GET", "info"), ("POST", "attachments"), ("PUT", "attachments"),
                     ("POST", "push"), ("GET", "changes"), ("GET", "check")}
    before = server_state(platform_server.db_url)
    address = ("127.0.0.1", platform_server.port)

    def replay(pair: tuple[int, Message]) -> None:
        index, request = pair
        answer = exchange(address, request.raw, request.method)
        assert answer.status == 200, (request.start, answer.status, answer.body[:200])
        if request.path == "/v1/push":
            assert answer.body == proxy.answers[index].body  # the stored answer

    for order in (captured, rng.sample(captured, len(captured)), captured[::-1]):
        for pair in order:
            replay(pair)
        assert server_state(platform_server.db_url) == before
    with ThreadPoolExecutor(4) as pool:  # and all of them at once, four at a time
        list(pool.map(replay, captured * 2))
    assert server_state(platform_server.db_url) == before
    assert len(captured) >= 14
