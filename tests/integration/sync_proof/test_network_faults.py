"""Issue 6 "Network faults through a fault-injecting proxy on loopback (drop, delay, truncate,
duplicate delivery, 500s, timeouts): converges with exactly-once results".

For each fault a fresh device (260 enterprises in two push batches, three photos) syncs with the
real platform through fault_proxy.py:

1. the first request(s) of every kind (info, missing, chunk uploads, pushes, pulls, check) meet
   the fault: the client's retries carry the sync through;
2. after more work in the field, a storm: every push and chunk upload meets the fault until
   the client gives up (except for faults that lose nothing: delay, duplicate delivery);
3. one clean sync leaves both sides equal, each record version stored once, each batch once,
   the outbox empty.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from collections import Counter

import httpx
import pytest

from ohinspect.store.database import Store
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.errors import SyncError
from ohinspect.sync.session import enroll, run_sync
from ohinspect.sync.transport import PlatformClient
from tests.integration.sync_proof.convergence import server_state, verdict
from tests.integration.sync_proof.devices import (JURISDICTION, PASSWORD, SMALL_ENTERPRISES,
                                                  SMALL_PHOTOS, USER, add_enterprises, add_photo,
                                                  copy_device)
from tests.integration.sync_proof.fault_proxy import MODES, Fault, FaultProxy, Message
from tests.unit.sync.fake_platform import MemoryKeyring

KINDS = {"GET info", "POST attachments", "PUT attachments", "POST push", "GET changes",
         "GET check"}
#: the client's read timeout, shortened so that "timeout" costs seconds, not minutes
READ_TIMEOUT_S = 1.0


def quick_client(url: str, **kw: object) -> PlatformClient:
    """The sync client with a short read timeout and short waits between retries."""
    client = PlatformClient(url, sleep=lambda s: time.sleep(min(s, 0.05)), **kw)  # type: ignore[arg-type]
    client.http.timeout = httpx.Timeout(READ_TIMEOUT_S, connect=5.0)
    return client


class FirstOfEachKind:
    """The fault meets the first request of each kind (and the first two pushes and chunk
    uploads); the retries that follow get through."""

    PER_KIND = {"POST push": 2, "PUT attachments": 2}

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.faulted: Counter[str] = Counter()

    def __call__(self, _n: int, request: Message) -> Fault | None:
        kind = f"{request.method} {request.path.split('/')[2]}"
        if self.faulted[kind] >= self.PER_KIND.get(kind, 1):
            return None
        self.faulted[kind] += 1
        return Fault(self.mode, delay_s=0.5)


def storm(mode: str):  # type: ignore[no-untyped-def]
    def choose(_n: int, request: Message) -> Fault | None:
        hit = request.path == "/v1/push" or request.method == "PUT"
        return Fault(mode, delay_s=0.2) if hit else None

    return choose


@pytest.mark.parametrize("mode", MODES)
def test_fault_then_clean_sync_converges_exactly_once(mode, platform_server, small_template,
                                                      tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = platform_server  # the session's server, emptied for this test
    server.add_user(USER, "inspector", JURISDICTION, PASSWORD)
    folder = copy_device(small_template, tmp_path / "laptop")
    creds = CredentialStore(MemoryKeyring())
    with FaultProxy(("127.0.0.1", server.port)) as proxy:
        store = Store.open(folder)
        try:
            enroll(store, creds, proxy.url, USER, PASSWORD)
            proxy.choose = chooser = FirstOfEachKind(mode)
            first = run_sync(store, creds, proxy.url, client_factory=quick_client)
            assert first.differences == [] and first.pushed >= SMALL_ENTERPRISES
            assert proxy.applied[mode] == sum(chooser.faulted.values())

            ids = add_enterprises(store, itertools.count(40000), 40)
            add_photo(store, ids[0], random.Random(mode), 100_000)
            proxy.choose = storm(mode)
            if mode in ("delay", "duplicate"):
                run_sync(store, creds, proxy.url, client_factory=quick_client)
            else:
                with pytest.raises(SyncError):
                    run_sync(store, creds, proxy.url, client_factory=quick_client)
            proxy.choose = lambda n, r: None
            report = run_sync(store, creds, proxy.url, client_factory=quick_client)
            secrets = creds.load(proxy.url, store.device_id)
        finally:
            store.close()
        assert report.differences == [] and report.conflicts == 0 and secrets is not None
        result = verdict(folder, server.db_url, quick_client(proxy.url, token=secrets.token))
    assert result.converged, (mode, result)
    state = server_state(server.db_url)
    # exactly once: one version per record (none pushed twice), one stored batch per batch id
    assert len(state.records) == state.versions >= SMALL_ENTERPRISES + SMALL_PHOTOS
    pushed = {json.loads(m.body)["batch_id"] for m in proxy.captured if m.path == "/v1/push"}
    if mode in ("delay", "duplicate"):  # every push reached the server (twice: duplicate)
        assert state.batches == len(pushed)
    else:
        assert state.batches <= len(pushed)
    assert state.blobs_complete == SMALL_PHOTOS + 1
    assert set(chooser.faulted) == KINDS  # the fault met every kind of request
