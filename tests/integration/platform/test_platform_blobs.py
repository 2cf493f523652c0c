"""Attachments: resumable upload by SHA-256 (ask what is missing, send only that), verified on
completion, and attachment records accepted only once their blob is complete."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import httpx

from tests.integration.platform.device import Device, item, new, outcomes
from tests.integration.platform_server import PlatformServer


def _put(dev: Device, sha: str, data: bytes, start: int, total: int) -> httpx.Response:
    headers = {"Content-Range": f"bytes {start}-{start + len(data) - 1}/{total}",
               "Content-Type": "application/octet-stream"}
    return dev.send("PUT", f"/v1/attachments/{sha}", data, headers)


def _missing(dev: Device, *hashes: str) -> list[dict[str, object]]:
    return list(dev.post("/v1/attachments/missing", {"sha256": list(hashes)}).json()["missing"])


def test_resumable_upload_verified_and_then_the_record(device: Callable[[str], Device],
                                                       server: PlatformServer) -> None:
    alice = device("alice")
    photo = os.urandom(700_000)
    sha = hashlib.sha256(photo).hexdigest()
    ent = new(division_code="621024")
    att = new(owner_type="enterprise", owner_id=ent["id"], sha256=sha, size=len(photo))
    early = alice.push_ok([item("enterprise", ent), item("attachment", att)])
    assert outcomes(early) == ["accepted", "missing_blob"]
    assert _missing(alice, sha) == [{"sha256": sha, "have_bytes": 0}]
    # the first chunk arrives, then the connection "drops"
    first = _put(alice, sha, photo[:300_000], 0, len(photo))
    assert first.json() == {"sha256": sha, "size": len(photo), "have_bytes": 300_000,
                            "complete": False}
    assert _missing(alice, sha) == [{"sha256": sha, "have_bytes": 300_000}]
    partial = server.blob_dir / "incoming" / sha  # the bytes are a file, not database rows
    assert partial.read_bytes() == photo[:300_000]
    # a chunk at the wrong offset is refused with what the server has
    gap = _put(alice, sha, photo[400_000:], 400_000, len(photo))
    assert gap.status_code == 409 and gap.json()["have_bytes"] == 300_000
    # resume from where the server stopped
    done = _put(alice, sha, photo[300_000:], 300_000, len(photo))
    assert done.status_code == 200 and done.json()["complete"] is True
    assert _missing(alice, sha) == []
    assert (server.blob_dir / sha[:2] / sha).read_bytes() == photo and not partial.exists()
    # uploading it again is harmless
    assert _put(alice, sha, photo, 0, len(photo)).json()["complete"] is True
    assert outcomes(alice.push_ok([item("attachment", att)])) == ["accepted"]
    # download, whole and resumed
    assert alice.get(f"/v1/attachments/{sha}").content == photo
    part = alice.send("GET", f"/v1/attachments/{sha}", extra={"Range": "bytes=299990-300009"})
    assert part.status_code == 206 and part.content == photo[299_990:300_010]
    assert part.headers["Content-Range"] == f"bytes 299990-300009/{len(photo)}"


def test_wrong_bytes_are_discarded(device: Callable[[str], Device]) -> None:
    alice = device("alice")
    photo = os.urandom(10_000)
    sha = hashlib.sha256(photo).hexdigest()
    forged = photo[:-1] + bytes([photo[-1] ^ 1])
    assert _put(alice, sha, forged[:6000], 0, len(photo)).status_code == 200
    bad = _put(alice, sha, forged[6000:], 6000, len(photo))
    assert (bad.status_code, bad.json()["error"], bad.json()["have_bytes"]) == (
        422, "blob_hash_mismatch", 0)
    assert _missing(alice, sha) == [{"sha256": sha, "have_bytes": 0}]
    # nothing of the forged upload remains: the right bytes now complete it
    assert _put(alice, sha, photo, 0, len(photo)).json()["complete"] is True
    for header, code in [("bytes 0-9/5", "bad_content_range"), ("bytes=0-9", "bad_content_range"),
                         ("bytes 0-4/100", "bad_content_range")]:
        response = alice.send("PUT", f"/v1/attachments/{'1' * 64}", b"0123456789",
                              {"Content-Range": header})
        assert (response.status_code, response.json()["error"]) == (400, code)
    assert alice.send("PUT", "/v1/attachments/NOTAHASH", b"x",
                      {"Content-Range": "bytes 0-0/1"}).status_code == 400
