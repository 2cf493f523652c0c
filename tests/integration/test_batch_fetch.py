"""Fetch from platform (issue 7 item 2) against the REAL platform server on PostgreSQL: a field
device syncs records and photos; a supervisor of the parent jurisdiction fetches the batches the
platform accepted — verified (signature, hashes, jurisdiction), imported with their photos;
fetching again brings nothing; a batch of another jurisdiction never arrives; Cancel leaves the
cursor after the last batch committed and the next fetch resumes; a tampered answer (body,
signature or photo changed on the way) is refused with nothing written. One server process
serves the whole module."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ohinspect.batches.fetch import fetch_cursor, fetch_from_platform
from ohinspect.batches.fetch_wire import BatchClient
from ohinspect.batches.keys import TRUSTED_PREFIX
from ohinspect.demo.enterprises import demo_enterprises
from ohinspect.demo.projects import photo_png
from ohinspect.progress import Reporter
from ohinspect.services.attachments import add_attachment, attachment_path
from ohinspect.services.enterprise_import import import_enterprises
from ohinspect.services.review_import import CANCELLED, IMPORTED, REFUSED
from ohinspect.store.database import Store
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.models import RECORD_TYPES, AuditEntry, Enterprise, StoreMeta
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.session import enroll, run_sync
from tests.integration.conftest import PG_URL_ENV
from tests.integration.platform_server import PlatformServer, scratch_database
from tests.unit.batches.conftest import store_digest
from tests.unit.sync.fake_platform import MemoryKeyring

pytestmark = pytest.mark.postgres
PASSWORD = "s3cret-口令"


def _payloads(store: Store) -> dict[str, dict[str, Any]]:
    with store.read() as s:
        return {t: {o.id: o.sync_payload() for o in s.scalars(select(m))}
                for t, m in RECORD_TYPES.items()}


@dataclass
class World:
    server: PlatformServer
    creds: CredentialStore
    root: Path
    field: Store
    other: Store
    stores: list[Store]

    def supervisor(self, name: str) -> Store:
        store = Store.open(self.root / name)
        self.stores.append(store)
        enroll(store, self.creds, self.server.url, "supervisor", PASSWORD)
        return store

    def fetch(self, store: Store, reporter: Reporter | None = None,
              factory: Callable[..., BatchClient] = BatchClient):  # type: ignore[no-untyped-def]
        return fetch_from_platform(store, store.actor("监督科长"), self.creds, None, reporter,
                                   client_factory=factory)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    admin = os.environ.get(PG_URL_ENV)
    if not admin:
        pytest.fail(f"{PG_URL_ENV} is not set (PostgreSQL tests never skip)", pytrace=False)
    root = tmp_path_factory.mktemp("fetch")
    with scratch_database(admin) as url, PlatformServer(url, root / "server") as server:
        server.add_user("field", "inspector", "621024", PASSWORD)
        server.add_user("elsewhere", "inspector", "1303", PASSWORD)
        server.add_user("supervisor", "supervisor", "6210", PASSWORD)
        creds = CredentialStore(MemoryKeyring())
        field, other = Store.open(root / "field"), Store.open(root / "other")
        w = World(server, creds, root, field, other, [field, other])
        enroll(field, creds, server.url, "field", PASSWORD)
        enroll(other, creds, server.url, "elsewhere", PASSWORD)
        actor = field.actor("检查员甲")
        ids = sorted(import_enterprises(field, actor, demo_enterprises()[1:3]).changes.record_ids)
        add_attachment(field, actor, "enterprise", ids[0], photo_png("photo-0"), kind="photo",
                       media_type="image/png")
        assert run_sync(field, creds, server.url).photos_up == 1
        add_attachment(field, actor, "enterprise", ids[1], photo_png("photo-1"), kind="photo",
                       media_type="image/png")
        with field.read() as s:  # a second version of a record the first batch carried
            data = EnterpriseInput.from_record(s.get(Enterprise, ids[0]))
        update_enterprise(field, actor, ids[0],
                          EnterpriseInput(**{**data.__dict__, "contact_person": "新联系人"}))
        assert run_sync(field, creds, server.url).photos_up == 1  # a second batch
        (_, there), = demo_enterprises()[1:2]
        import_enterprises(other, other.actor("外县检查员"),
                           [(None, replace(there, division_code="130302", name="外市企业"))])
        assert run_sync(other, creds, server.url).pushed == 1
        yield w
        for s in w.stores:
            s.close()


def test_supervisor_fetches_verified_batches_with_photos(world: World) -> None:
    sup = world.supervisor("sup-a")
    report = world.fetch(sup)

    assert report.count(IMPORTED) >= 2 and not report.refused
    totals = {o: sum(x.summary.total(o) for x in report.outcomes if x.summary)
              for o in ("new", "updated", "conflict", "waiting")}
    assert totals["updated"] == 1 and totals["conflict"] == totals["waiting"] == 0
    sent = _payloads(world.field)
    assert _payloads(sup)["enterprise"] == sent["enterprise"]
    assert _payloads(sup)["attachment"] == sent["attachment"] and len(sent["attachment"]) == 2
    for a in sent["attachment"].values():
        assert attachment_path(sup, a["sha256"]).read_bytes() == \
            attachment_path(world.field, a["sha256"]).read_bytes()
    assert sum(o.summary.blobs_new for o in report.outcomes if o.summary) == 2
    # the other county's batch never arrives (the platform does not answer it)
    assert not set(_payloads(world.other)["enterprise"]) & set(_payloads(sup)["enterprise"])
    with sup.read() as s:
        keys = list(s.scalars(select(StoreMeta).where(StoreMeta.key.like(TRUSTED_PREFIX + "%"))))
        actions = [a.action for a in s.scalars(select(AuditEntry))]
    assert [json.loads(k.value)["device_id"] for k in keys] == [world.field.device_id]
    assert actions.count("batch.key_trusted") == 1
    assert actions.count("batch.imported") == report.count(IMPORTED)

    before = store_digest(sup)
    again = world.fetch(sup)
    assert again.outcomes == [] and store_digest(sup) == before  # nothing new, nothing written
    assert not (sup.data_dir / "staging").exists()  # every staging folder removed

    # the supervisor's own pushes are passed over
    actor = sup.actor("监督科长")
    (_, mine), = demo_enterprises()[4:5]
    import_enterprises(sup, actor, [(None, replace(mine, name="督查新增企业"))])
    assert run_sync(sup, world.creds, world.server.url).pushed == 1
    own = world.fetch(sup)
    assert own.outcomes == [] and own.own == 1


def test_versions_older_than_what_sync_brought_are_superseded(world: World) -> None:
    sup = world.supervisor("sup-synced")
    run_sync(sup, world.creds, world.server.url)  # the current versions, by sync
    records = _payloads(sup)
    field = _payloads(world.field)["enterprise"]
    assert {k: records["enterprise"][k] for k in field} == field
    report = world.fetch(sup)
    assert report.count(IMPORTED) >= 2 and not report.refused
    assert sum(o.summary.total("superseded") for o in report.outcomes if o.summary) == 1
    assert not any(o.summary.changed for o in report.outcomes if o.summary)
    assert _payloads(sup) == records  # the older contact never came back
    with sup.read() as s:
        assert "batch.imported" not in set(s.scalars(select(AuditEntry.action)))


class CancelOnSecondBatch(Reporter):
    def progress(self, done: int, total: int, message: str = "") -> None:
        super().progress(done, total, message)
        if done >= 1 and total == 0:  # the second batch is about to start
            self.cancel()


def test_cancel_keeps_the_cursor_and_the_next_fetch_resumes(world: World) -> None:
    sup = world.supervisor("sup-b")
    first = world.fetch(sup, CancelOnSecondBatch())
    assert [o.outcome for o in first.outcomes] == [IMPORTED, CANCELLED]
    imported = first.outcomes[0].summary
    seq = int(first.outcomes[0].path.name.split("-")[1])  # platform-<seq>-<batch id>
    assert imported is not None and fetch_cursor(sup, world.server.url) == seq
    with sup.read() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert actions.count("batch.imported") == 1  # only the first batch was committed
    rest = world.fetch(sup)
    assert rest.count(IMPORTED) >= 1 and not rest.refused
    assert _payloads(sup)["attachment"] == _payloads(world.field)["attachment"]


class Tamper(httpx.BaseTransport):
    """Passes requests to the real server and changes its answers on the way back."""

    def __init__(self, change: Callable[[str, bytes], bytes]) -> None:
        self.inner, self.change = httpx.HTTPTransport(), change

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        r = self.inner.handle_request(request)
        body = r.read()
        headers = [(k, v) for k, v in r.headers.items() if k.lower() != "content-length"]
        return httpx.Response(r.status_code, headers=headers,
                              content=self.change(request.url.path, body))


def _batches(change: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], bytes]:
    def on_answer(path: str, body: bytes) -> bytes:
        if path != "/v1/batches":
            return body
        data = json.loads(body)
        for b in data["batches"]:
            change(b)
        return json.dumps(data).encode()
    return on_answer


def _other_payload(b: dict[str, Any]) -> None:
    body = json.loads(b["body"])
    body["items"][0]["payload"]["address"] = "篡改的地址"
    b["body"] = json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _body_and_hash(b: dict[str, Any]) -> None:
    import hashlib

    _other_payload(b)
    b["body_sha256"] = hashlib.sha256(b["body"].encode()).hexdigest()


def _photo(path: str, body: bytes) -> bytes:
    return body[:-1] + bytes([body[-1] ^ 1]) if path.startswith("/v1/attachments/") else body


@pytest.mark.parametrize("change, code", [
    (_batches(_other_payload), "hash_mismatch"),        # body changed: not the stored body
    (_batches(_body_and_hash), "bad_signature"),        # … and its hash too: the device never signed it
    (_batches(lambda b: b.update(public_key=b["public_key"][:-4] + "AAA=")), "bad_signature"),
    (_photo, "hash_mismatch"),                          # a photo changed on the way
])
def test_a_tampered_answer_is_refused_with_nothing_written(world: World, change, code) -> None:  # type: ignore[no-untyped-def]
    sup = world.supervisor(f"sup-t-{uuid.uuid4().hex[:8]}")
    before = store_digest(sup)
    report = world.fetch(sup, factory=lambda url, **kw: BatchClient(
        url, transport=Tamper(change), **kw))
    # the photo is only in the first batch that carries one: earlier batches may go in
    refused = [o for o in report.outcomes if o.outcome == REFUSED]
    assert len(refused) == 1 and report.outcomes[-1] is refused[0]
    assert report.refused_code == code and refused[0].message  # one translated sentence
    if change is not _photo:
        assert report.outcomes == refused and store_digest(sup) == before
    else:
        assert _payloads(sup)["attachment"] == {}
        assert not any(attachment_path(sup, a["sha256"]).exists()
                       for a in _payloads(world.field)["attachment"].values())
    assert not (sup.data_dir / "staging").exists()  # every staging folder removed


def test_cli_fetch_prints_each_batch_then_nothing_new(world: World, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from ohinspect.cli import main
    from ohinspect.i18n import tr

    sup = world.supervisor("sup-cli")
    folder = sup.data_dir
    sup.close()
    world.stores.remove(sup)
    monkeypatch.setattr("ohinspect.sync.credentials.CredentialStore", lambda: world.creds)
    assert main(["--data-dir", str(folder), "batch", "fetch"]) == 0
    out = capsys.readouterr().out
    assert out.count("：已导入（作者 field）") >= 2 and "  enterprise：新增 2" in out
    assert main(["--data-dir", str(folder), "batch", "fetch"]) == 0
    assert "导入 0 个批次，拒收 0 个" in capsys.readouterr().out

    fresh = world.root / "not-enrolled"
    Store.open(fresh).close()
    assert main(["--data-dir", str(fresh), "batch", "fetch", "--server", world.server.url]) == 1
    assert capsys.readouterr().err.strip() == f"ohinspect: {tr('sync.error.not_enrolled')}"


def test_cli_fetch_without_a_keyring_enrols_for_the_run(world: World, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import io

    from keyring.backends import fail

    from ohinspect.cli import main
    from ohinspect.i18n import tr

    folder = world.root / "sup-no-keyring"
    Store.open(folder).close()
    monkeypatch.setattr("ohinspect.sync.credentials.CredentialStore",
                        lambda: CredentialStore(fail.Keyring()))
    args = ["--data-dir", str(folder), "batch", "fetch", "--server", world.server.url]
    assert main(args) == 1
    assert capsys.readouterr().err.strip() == f"ohinspect: {tr('batch.error.password_needed')}"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(args + ["--user", "supervisor", "--password-stdin"]) == 0
    assert "：已导入（作者 field）" in capsys.readouterr().out
