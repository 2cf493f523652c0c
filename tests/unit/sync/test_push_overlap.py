"""Photos go up while the records are pushed (ohinspect/sync/attachments.py BackgroundUploads):
the records do not wait for the files, an attachment record is sent only once every file is up,
and a failed upload fails the session with the attachment records still in the outbox."""

from __future__ import annotations

import io
import json
import threading

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from ohinspect.services.attachments import add_attachment
from ohinspect.store.models import OutboxEntry
from ohinspect.sync.errors import SyncError
from ohinspect.sync.session import run_sync
from tests.unit.sync.conftest import make_enterprise
from tests.unit.sync.fake_platform import HEADERS, URL

#: how long an upload waits for a record push to arrive beside it (far more than it needs)
WAIT_S = 10


def _photo(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (n, 30, 200)).save(out, format="PNG")
    return out.getvalue()


def _device(store, actor, photos: int) -> list[str]:  # type: ignore[no-untyped-def]
    ids = [make_enterprise(store, actor, n) for n in range(3)]
    for n in range(photos):
        add_attachment(store, actor, "enterprise", ids[0], _photo(n), media_type="image/png",
                       kind="photo")
    return ids


def _types(request: httpx.Request) -> set[str]:
    return {i["record_type"] for i in json.loads(request.content)["items"]}


def test_records_go_while_photos_upload_and_attachments_after_them(enrolled, actor, creds,
                                                                   platform) -> None:
    _device(enrolled, actor, photos=4)
    records_pushed = threading.Event()
    waited: list[bool] = []

    def hold_uploads(request: httpx.Request) -> None:
        """Each upload waits for a record push: one session doing them one after the other
        would wait WAIT_S for each and fail below."""
        if request.method == "PUT":
            waited.append(records_pushed.wait(WAIT_S))
        elif request.url.path == "/v1/push" and "attachment" not in _types(request):
            records_pushed.set()

    platform.override = hold_uploads
    report = run_sync(enrolled, creds, URL, client_factory=platform.client_factory())
    assert waited == [True] * 4 and report.photos_up == 4 and report.pushed == 7
    order = [(r.method, r.url.path) for r in platform.requests]
    last_put = max(n for n, (method, _) in enumerate(order) if method == "PUT")
    attachment_pushes = [n for n, r in enumerate(platform.requests)
                         if r.url.path == "/v1/push" and "attachment" in _types(r)]
    assert attachment_pushes and min(attachment_pushes) > last_put
    with enrolled.read() as s:
        assert s.scalars(select(OutboxEntry)).first() is None


def test_a_failed_upload_fails_the_session_and_keeps_the_attachment_records(
        enrolled, actor, creds, platform) -> None:
    _device(enrolled, actor, photos=2)

    def refuse_uploads(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PUT":
            return httpx.Response(403, headers=HEADERS, json={"error": "bad_signature",
                                                              "detail": "签名不符"})
        return None

    platform.override = refuse_uploads
    with pytest.raises(SyncError) as err:
        run_sync(enrolled, creds, URL, client_factory=platform.client_factory())
    assert err.value.code == "bad_signature"
    assert not [r for r in platform.requests
                if r.url.path == "/v1/push" and "attachment" in _types(r)]
    with enrolled.read() as s:
        waiting = set(s.scalars(select(OutboxEntry.record_type)))
    assert "attachment" in waiting  # sent only after their files, so never sent
