"""Attachments: files named by SHA-256, written atomically before their row; identical content
once; large images downscaled; a full disk leaves no partial file and no row."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from ohinspect.errors import NotFoundError, StoreError, ValidationError
from ohinspect.services import attachments as att_mod
from ohinspect.services.attachments import (Blob, add_attachment, attachment_path,
                                            list_attachments, load_attachment_rules, put_blob)
from ohinspect.services.roster import add_inspector
from ohinspect.store.integrity import check_store
from ohinspect.store.models import Attachment, AuditEntry, Inspector, OutboxEntry


def _files(store) -> list[Path]:  # type: ignore[no-untyped-def]
    root = store.attachments_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    img = Image.new("RGB", (width, height), (200, 40, 40))
    img.paste((20, 20, 220), (0, 0, width // 2, height // 2))
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        img.save(out, format="JPEG", exif=exif)
    else:
        img.save(out, format="JPEG")
    return out.getvalue()


def _owner(store, actor) -> str:  # type: ignore[no-untyped-def]
    return str(add_inspector(store, actor, "王五", "GS-0100", "621024").record_id)


def _counts(store) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return (s.query(Attachment).count(), s.query(OutboxEntry).count(),
                s.query(AuditEntry).count())


def test_blob_is_named_by_its_sha256_with_no_temp_file_left(store) -> None:  # type: ignore[no-untyped-def]
    data = b"%PDF-1.4 scanned acceptance report"
    blob = put_blob(store, data, "application/pdf")
    sha = hashlib.sha256(data).hexdigest()
    assert blob == Blob(sha, len(data), "application/pdf", "")
    path = attachment_path(store, sha)
    assert path == store.data_dir / "attachments" / sha[:2] / sha
    assert path.read_bytes() == data
    assert _files(store) == [path]  # no *.partial left behind
    assert check_store(store).ok


def test_identical_content_is_stored_once_but_each_row_is_kept(store, actor) -> None:  # type: ignore[no-untyped-def]
    owner = _owner(store, actor)
    data = _jpeg(64, 48)
    first = add_attachment(store, actor, "inspector", owner, data, kind="photo",
                           media_type="image/jpeg", original_name="a.jpg", caption=" 门口 ")
    second = add_attachment(store, actor, "inspector", owner, data, kind="photo",
                            media_type="IMAGE/JPEG", original_name="b.jpg")
    assert first.record_id != second.record_id
    assert len(_files(store)) == 1
    with store.read() as s:
        rows = list_attachments(s, "inspector", owner)
        assert list_attachments(s, "inspector", "someone-else") == []
    assert [r.original_name for r in rows] == ["a.jpg", "b.jpg"]
    assert {r.sha256 for r in rows} == {hashlib.sha256(data).hexdigest()}
    assert rows[0].caption == "门口" and rows[0].size == len(data)
    assert first.changes.touches("attachment") and first.changes.touches("inspector")


def test_damaged_existing_file_is_rewritten(store) -> None:  # type: ignore[no-untyped-def]
    data = b"%PDF-1.4 original"
    blob = put_blob(store, data, "application/pdf")
    attachment_path(store, blob.sha256).write_bytes(b"%PDF-1.4 damaged!")
    put_blob(store, data, "application/pdf")
    assert attachment_path(store, blob.sha256).read_bytes() == data


def test_large_image_is_downscaled_and_original_not_kept_by_default(store) -> None:  # type: ignore[no-untyped-def]
    rules = load_attachment_rules()
    assert rules.keep_original is False
    data = _jpeg(rules.max_long_edge_px + 1000, 1200)
    blob = put_blob(store, data, "image/jpeg")
    stored = attachment_path(store, blob.sha256).read_bytes()
    with Image.open(io.BytesIO(stored)) as img:
        assert max(img.size) == rules.max_long_edge_px and img.format == "JPEG"
        # aspect ratio kept
        assert abs(img.size[0] / img.size[1] - (rules.max_long_edge_px + 1000) / 1200) < 0.01
    assert blob.original_sha256 == "" and blob.size == len(stored)
    assert blob.sha256 != hashlib.sha256(data).hexdigest()
    assert len(_files(store)) == 1  # the original was not kept


def test_original_kept_when_the_data_file_says_so(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rules = dataclasses.replace(load_attachment_rules(), keep_original=True, max_long_edge_px=100)
    monkeypatch.setattr(att_mod, "load_attachment_rules", lambda: rules)
    data = _jpeg(300, 200)
    blob = put_blob(store, data, "image/jpeg")
    assert blob.original_sha256 == hashlib.sha256(data).hexdigest()
    assert attachment_path(store, blob.original_sha256).read_bytes() == data
    assert len(_files(store)) == 2


def test_downscale_respects_exif_orientation(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rules = dataclasses.replace(load_attachment_rules(), max_long_edge_px=100)
    monkeypatch.setattr(att_mod, "load_attachment_rules", lambda: rules)
    blob = put_blob(store, _jpeg(300, 200, orientation=6), "image/jpeg")  # camera held upright
    with Image.open(attachment_path(store, blob.sha256)) as img:
        assert img.size == (67, 100)


def test_small_image_is_stored_unchanged(store) -> None:  # type: ignore[no-untyped-def]
    data = _jpeg(800, 600)
    blob = put_blob(store, data, "image/jpeg")
    assert blob.sha256 == hashlib.sha256(data).hexdigest() and blob.original_sha256 == ""


def test_full_disk_leaves_no_partial_file_and_no_row(store, actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    owner = _owner(store, actor)
    before = _counts(store)
    real_write = os.write
    calls = []

    def write_then_fail(fd: int, data: bytes) -> int:
        if not calls:  # the first chunk reaches the disk, then the disk is full
            calls.append(1)
            return real_write(fd, bytes(data)[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(att_mod.os, "write", write_then_fail)
    with pytest.raises(StoreError) as err:
        add_attachment(store, actor, "inspector", owner, b"x" * 5000, kind="document",
                       media_type="application/pdf")
    monkeypatch.undo()
    assert calls  # the temp file was really being written
    assert "磁盘空间不足" in str(err.value) and "未写入任何内容" in str(err.value)
    assert _files(store) == []
    assert _counts(store) == before
    assert check_store(store).ok


def test_failed_fsync_is_a_clear_error_and_leaves_nothing(store, actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    owner = _owner(store, actor)
    before = _counts(store)

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(att_mod.os, "fsync", broken_fsync)
    with pytest.raises(StoreError) as err:
        add_attachment(store, actor, "inspector", owner, b"%PDF-1.4", kind="scan",
                       media_type="application/pdf")
    monkeypatch.undo()
    assert "Input/output error" in str(err.value)
    assert _files(store) == [] and _counts(store) == before


@pytest.mark.parametrize("data, media, kind, field", [
    (b"", "application/pdf", "scan", "data"),
    (b"MZ\x90\x00", "application/x-msdownload", "scan", "media_type"),
    (b"%PDF-1.4", "application/pdf", "selfie", "kind"),
    (b"not really a jpeg", "image/jpeg", "photo", "data"),
])
def test_invalid_input_named_and_nothing_written(store, actor, data, media, kind, field) -> None:  # type: ignore[no-untyped-def]
    owner = _owner(store, actor)
    before = _counts(store)
    with pytest.raises(ValidationError) as err:
        add_attachment(store, actor, "inspector", owner, data, kind=kind, media_type=media)
    assert [p.field for p in err.value.problems] == [field]
    assert _counts(store) == before and _files(store) == []


def test_too_large_file_refused(store, actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rules = dataclasses.replace(load_attachment_rules(), max_bytes=100)
    monkeypatch.setattr(att_mod, "load_attachment_rules", lambda: rules)
    with pytest.raises(ValidationError) as err:
        put_blob(store, b"x" * 101, "application/pdf")
    assert err.value.problems[0].code == "attachment.error.too_large"
    assert _files(store) == []


def test_missing_owner_refused_before_any_file(store, actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError):
        add_attachment(store, actor, "project", "no-such-project", b"%PDF-1.4", kind="scan",
                       media_type="application/pdf")
    with pytest.raises(ValidationError):
        add_attachment(store, actor, "spaceship", "x", b"%PDF-1.4", kind="scan",
                       media_type="application/pdf")
    assert _files(store) == []


def test_inside_callers_unit_of_work_the_row_commits_with_it(store, actor) -> None:  # type: ignore[no-untyped-def]
    before = _counts(store)
    with store.unit_of_work(actor) as uow:
        person = Inspector(name="赵六", id_no="GS-0200", jurisdiction="621024")
        uow.record(person, "inspector.add")  # pending in this unit of work, not flushed
        add_attachment(store, actor, "inspector", person.id, b"%PDF-1.4 a", kind="document",
                       media_type="application/pdf", uow=uow)
        # not committed: rolled back on exit
    assert _counts(store) == before
    assert len(_files(store)) == 1  # the file came first; an unreferenced file is harmless
    with store.unit_of_work(actor) as uow:
        person = Inspector(name="赵六", id_no="GS-0200", jurisdiction="621024")
        uow.record(person, "inspector.add")
        result = add_attachment(store, actor, "inspector", person.id, b"%PDF-1.4 a",
                                kind="document", media_type="application/pdf", uow=uow)
        uow.commit()
    with store.read() as s:
        assert s.get(Attachment, result.record_id).owner_id == person.id
    assert len(_files(store)) == 1


def test_attachment_path_refuses_anything_but_a_sha256(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        attachment_path(store, "../../etc/passwd")
    with pytest.raises(ValueError):
        attachment_path(store, "AB" * 32)
