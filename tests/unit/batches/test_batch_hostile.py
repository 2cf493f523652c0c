"""The hostile corpus: every kind of bad file is refused with its own translated message, and
the store (every table, every attachment file) and the staging area are exactly as before."""

from __future__ import annotations

import dataclasses
import hashlib
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.unit.batches.conftest import SmallWorld, open_supervisor, store_digest, write_entries

from ohinspect.batches import importer
from ohinspect.batches.errors import BatchRefused
from ohinspect.batches.format import MANIFEST, RECORDS, SIGNATURE
from ohinspect.batches.keys import DeviceKey
from ohinspect.batches.limits import load_limits
from ohinspect.i18n import set_language
from ohinspect.progress import Cancelled, Reporter
from ohinspect.sync.device_key import generate_key

Entries = list[tuple[Any, bytes]]
BLOB = "blobs/" + "ab" * 32


def _raw(w: SmallWorld, name: str, data: bytes) -> Path:
    path = w.rebuild.folder / name
    path.write_bytes(data)
    return path


def _flip_in(name: str, offset: int) -> Callable[[SmallWorld], Path]:
    """Change one byte of an entry's content (zip CRC and sizes rewritten: only our hashes
    can notice)."""
    def build(w: SmallWorld) -> Path:
        def edit(entries: Entries) -> Entries:
            out = []
            for info, data in entries:
                if info.filename.startswith(name):
                    data = data[:offset] + bytes([data[offset] ^ 0x55]) + data[offset + 1:]
                out.append((info, data))
            return out
        return w.rebuild(f"flip-{name.replace('/', '_')}", entries=edit, sign=False)
    return build


def _with_entry(label: str, info: zipfile.ZipInfo | str, data: bytes = b"x") -> Callable[[SmallWorld], Path]:
    return lambda w: w.rebuild(label, entries=lambda e: e + [(info, data)], sign=False)


def _without(prefix: str) -> Callable[[SmallWorld], Path]:
    """The batch without the entry ``prefix`` (for ``blobs/``: without its first photo)."""
    def edit(entries: Entries) -> Entries:
        if prefix == "blobs/":
            return _drop_first_blob(entries)
        return [x for x in entries if x[0].filename != prefix]
    return lambda w: w.rebuild(f"without-{prefix.replace('/', '_')}", entries=edit, sign=False)


def _drop_first_blob(entries: Entries) -> Entries:
    first = next(i for i, (info, _) in enumerate(entries) if info.filename.startswith("blobs/"))
    return entries[:first] + entries[first + 1:]


def _link() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(BLOB)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _bomb(w: SmallWorld) -> Path:
    zeros = bytes(20 * 1024 * 1024)
    info = zipfile.ZipInfo("blobs/" + hashlib.sha256(zeros).hexdigest())
    info.compress_type = zipfile.ZIP_DEFLATED
    return w.rebuild("bomb", entries=lambda e: e + [(info, zeros)], sign=False)


def _manifest(label: str, edit: Callable[[dict[str, Any]], None],
              sign: bool = True) -> Callable[[SmallWorld], Path]:
    return lambda w: w.rebuild(label, manifest=edit, sign=sign)


def _records(label: str, edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
             ) -> Callable[[SmallWorld], Path]:
    return lambda w: w.rebuild(label, records=edit)


def _nested(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def _set_payload(field: str, value: Any, fix_hash: bool = True,  # type: ignore[no-untyped-def]
                 record_type: str = "enterprise"):
    """Change ``field`` of the first record of ``record_type`` (its line hash kept right)."""
    def edit(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from ohinspect.store.serialize import content_hash

        line = next(x for x in lines if x["record_type"] == record_type)
        line["payload"][field] = value
        if fix_hash:
            line["hash"] = content_hash(line["payload"])
        return lines
    return edit


def _very_deep_manifest(w: SmallWorld, levels: int) -> Path:
    """Deeper than any recursive parser survives; written as text, signed properly."""
    from ohinspect.sync.device_key import sign_body

    def edit(entries: Entries) -> Entries:
        body = dict((i.filename, d) for i, d in entries)[MANIFEST]
        body = body[:-1] + b',"zz":' + b"[" * levels + b"]" * levels + b"}"
        signature = sign_body(w.device.key.private, body).encode()
        return [(i, body if i.filename == MANIFEST else signature if i.filename == SIGNATURE
                 else d) for i, d in entries]
    return w.rebuild("verydeep", entries=edit, sign=False)


def _other_key(w: SmallWorld) -> Path:
    other = DeviceKey.of(generate_key())
    return w.rebuild("other-key", manifest=lambda m: m.update(key_id=other.key_id), sign=other)


def _signed_by_other_as_trusted(w: SmallWorld) -> Path:
    return w.rebuild("forged", manifest=lambda m: m.update(author="冒名者"),
                     sign=DeviceKey.of(generate_key()))


def _truncated(fraction: float) -> Callable[[SmallWorld], Path]:
    return lambda w: _raw(w, f"truncated-{fraction}.ohbatch",
                          w.valid.read_bytes()[:int(w.valid.stat().st_size * fraction)])


def _corrupt_deflate(w: SmallWorld) -> Path:
    """Garbage inside the compressed records stream (headers intact)."""
    data = bytearray(w.valid.read_bytes())
    with zipfile.ZipFile(w.valid) as zf:
        info = zf.getinfo(RECORDS)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0xFF
    return _raw(w, "corrupt-deflate.ohbatch", bytes(data))


def _zip_of(label: str, entries: list[tuple[str, bytes]]) -> Callable[[SmallWorld], Path]:
    return lambda w: write_entries(w.rebuild.folder / f"{label}.ohbatch", list(entries))


#: (case id, builder, expected refusal code, limit overrides)
CASES: list[tuple[str, Callable[[SmallWorld], Path], str, dict[str, int]]] = [
    ("text file", lambda w: _raw(w, "notes.txt", "巡查记录\n".encode()), "not_a_batch", {}),
    ("pdf", lambda w: _raw(w, "report.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"), "not_a_batch", {}),
    ("empty file", lambda w: _raw(w, "empty.ohbatch", b""), "not_a_batch", {}),
    ("zip without manifest", _zip_of("nomanifest", [(RECORDS, b"{}\n")]), "not_a_batch", {}),
    ("zip of another format", _zip_of("otherformat", [(MANIFEST, b'{"format":"docx"}')]),
     "not_a_batch", {}),
    ("truncated half", _truncated(0.5), "corrupt", {}),
    ("truncated tail", _truncated(0.99), "corrupt", {}),
    ("corrupt deflate stream", _corrupt_deflate, "corrupt", {}),
    ("manifest changed, old signature", _manifest("tampered", lambda m: m.update(author="x"),
                                                  sign=False), "bad_signature", {}),
    ("signature of another key", _signed_by_other_as_trusted, "bad_signature", {}),
    ("garbage signature", lambda w: w.rebuild("garbage-sig", entries=lambda e: [
        (i, b"not base64!" if i.filename == SIGNATURE else d) for i, d in e], sign=False),
     "bad_signature", {}),
    ("no signature", _without(SIGNATURE), "signature_missing", {}),
    ("unknown device key", _other_key, "unknown_key", {}),
    ("photo changed", _flip_in("blobs/", 100), "hash_mismatch", {}),
    ("records changed", _flip_in(RECORDS, 50), "hash_mismatch", {}),
    ("record payload changed, manifest re-signed",
     _records("payload", _set_payload("name", "篡改", fix_hash=False)), "hash_mismatch", {}),
    ("newer format", _manifest("v2", lambda m: m.update(format_version=2)), "format_too_new", {}),
    ("unknown schema", _manifest("schema", lambda m: m.update(schema_revision="9999")),
     "schema_unknown", {}),
    ("parent directory", _with_entry("dotdot", "../evil.txt"), "path_unsafe", {}),
    ("nested parent directory", _with_entry("dotdot2", "blobs/../../evil"), "path_unsafe", {}),
    ("absolute path", _with_entry("absolute", "/etc/cron.d/evil"), "path_unsafe", {}),
    ("drive letter", _with_entry("drive", "C:/Windows/evil.dll"), "path_unsafe", {}),
    ("backslash", _with_entry("backslash", "blobs\\..\\evil"), "path_unsafe", {}),
    ("symlink entry", _with_entry("symlink", _link(), b"/etc/passwd"), "link_entry", {}),
    ("duplicate entry", lambda w: w.rebuild("duplicate", entries=lambda e: e + [
        x for x in e if x[0].filename == RECORDS], sign=False), "duplicate_entry", {}),
    ("foreign entry", _with_entry("foreign", "readme.txt"), "unexpected_entry", {}),
    ("extra part", _with_entry("extra", BLOB), "extra_part", {}),
    ("missing photo", _without("blobs/"), "missing_part", {}),
    ("zip bomb: ratio", _bomb, "ratio_too_high", {}),
    ("zip bomb: entries", lambda w: w.valid, "too_many_entries", {"max_entries": 4}),
    ("zip bomb: entry size", lambda w: w.valid, "entry_too_large", {"max_entry_bytes": 1000}),
    ("zip bomb: total size", lambda w: w.valid, "total_too_large", {"max_total_bytes": 5000}),
    ("file too large", lambda w: w.valid, "file_too_large", {"max_file_bytes": 1000}),
    ("oversized manifest", lambda w: w.valid, "json_too_large", {"max_manifest_bytes": 300}),
    ("oversized record", lambda w: w.valid, "json_too_large", {"max_record_bytes": 300}),
    ("deep manifest", _manifest("deep", lambda m: m.update(extra=_nested(40))),
     "json_too_deep", {}),
    ("very deep manifest", lambda w: _very_deep_manifest(w, 50000), "json_too_deep", {}),
    ("deep record", _records("deeprec", _set_payload("hazard_codes", _nested(30))),
     "json_too_deep", {}),
    ("manifest without parts", _manifest("noparts", lambda m: m.pop("parts")),
     "manifest_invalid", {}),
    ("part named outside blobs", _manifest("badpart", lambda m: m["parts"][-1].update(
        name="../x")), "manifest_invalid", {}),
    ("record of an unknown type", _records("type", lambda ls: [dict(ls[0], record_type="evil")]
                                           + ls[1:]), "record_type_unknown", {}),
    ("record whose type is a list", _records("typelist", lambda ls: [
        dict(ls[0], record_type=["enterprise"])] + ls[1:]), "record_type_unknown", {}),
    ("record with an extra field", _records("extra", _set_payload("is_admin", True)),
     "record_schema", {}),
    ("record with a bad date", _records("date", _set_payload("created_at", "yesterday")),
     "record_invalid", {}),
    ("record with a number for a name", _records("num", _set_payload("name", 42)),
     "record_invalid", {}),
    ("record with null in a required column", _records("null", _set_payload("division_code",
                                                                             None)),
     "record_invalid", {}),
    ("attachment naming a path as its photo", _records("blobpath", _set_payload(
        "sha256", "../../etc/passwd", record_type="attachment")), "record_invalid", {}),
    ("record for another id", _records("otherid", lambda ls: [dict(ls[0], id="x")] + ls[1:]),
     "record_invalid", {}),
    ("record twice", _records("twice", lambda ls: ls + ls[:1]), "record_count", {}),
    ("record missing", _records("fewer", lambda ls: ls[1:]), "record_count", {}),
]


@pytest.mark.parametrize("build, code, limits", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_file_is_refused_and_changes_nothing(
        small_world: SmallWorld, monkeypatch: pytest.MonkeyPatch,
        build: Callable[[SmallWorld], Path], code: str, limits: dict[str, int]) -> None:
    path = build(small_world)
    if limits:
        monkeypatch.setattr(importer, "load_limits",
                            lambda: dataclasses.replace(load_limits(), **limits))
    store = small_world.supervisor
    before = store_digest(store)

    with pytest.raises(BatchRefused) as err:
        importer.import_batch(store, store.actor("监督科长"), path)

    assert err.value.code == code, str(err.value)
    message = str(err.value)
    assert not message.startswith("batch.") and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert store_digest(store) == before
    assert not (store.data_dir / importer.STAGING_DIR).exists()


def test_messages_are_specific_and_translated(small_world: SmallWorld) -> None:
    newer = CASES[[c[0] for c in CASES].index("newer format")][1](small_world)
    store = small_world.supervisor
    with pytest.raises(BatchRefused) as zh:
        importer.import_batch(store, store.actor("监督科长"), newer)
    set_language("en")
    with pytest.raises(BatchRefused) as en:
        importer.import_batch(store, store.actor("监督科长"), newer)
    assert "v2" in str(zh.value) and "v1" in str(zh.value) and "升级" in str(zh.value)
    assert "v2" in str(en.value) and "upgrade" in str(en.value)


def test_every_refusal_code_has_a_message_and_the_corpus_covers_the_issue() -> None:
    from ohinspect.i18n import catalogue

    codes = {c[2] for c in CASES}
    assert {"bad_signature", "unknown_key", "hash_mismatch", "corrupt", "schema_unknown",
            "format_too_new", "path_unsafe", "link_entry", "too_many_entries", "entry_too_large",
            "ratio_too_high", "json_too_large", "json_too_deep", "missing_part", "extra_part",
            "not_a_batch", "duplicate_entry"} <= codes
    for code in codes:
        assert f"batch.refused.{code}" in catalogue("zh_CN")
        assert f"batch.refused.{code}" in catalogue("en")


def test_a_store_without_jurisdiction_imports_only_by_explicit_permission(
        small_world: SmallWorld, tmp_path: Path) -> None:
    store = open_supervisor(tmp_path / "nojur", small_world.device, jurisdiction="")
    try:
        before = store_digest(store)
        with pytest.raises(BatchRefused) as err:
            importer.import_batch(store, store.actor("科员"), small_world.valid)
        assert err.value.code == "no_jurisdiction" and store_digest(store) == before
        summary = importer.import_batch(store, store.actor("科员"), small_world.valid,
                                        allow_outside=True)
        assert summary.outside == summary.total("new") == 5
    finally:
        store.close()


def test_the_corrupt_case_really_is_unreadable(small_world: SmallWorld) -> None:
    path = _corrupt_deflate(small_world)
    with zipfile.ZipFile(path) as zf, pytest.raises((zipfile.BadZipFile, zlib.error)):
        zf.read(RECORDS)


def test_cancel_while_unpacking_changes_nothing(small_world: SmallWorld) -> None:
    store, reporter = small_world.supervisor, Reporter()
    reporter.cancel()
    before = store_digest(store)
    with pytest.raises(Cancelled):
        importer.import_batch(store, store.actor("监督科长"), small_world.valid, reporter=reporter)
    assert store_digest(store) == before
    assert not (store.data_dir / importer.STAGING_DIR).exists()


def test_a_database_refusal_after_merging_rolls_everything_back(
        small_world: SmallWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never a partial import: the merge wrote rows, then the database said no."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import IntegrityError

    from ohinspect.store.models import Enterprise

    real = importer.merge_page

    def merge_then_fail(uow: Any, *args: Any, **kw: Any) -> None:
        real(uow, *args, **kw)
        uow.session.flush()
        assert uow.session.scalar(select(func.count()).select_from(Enterprise)) == 3
        raise IntegrityError("INSERT …", {}, Exception("FOREIGN KEY constraint failed"))

    monkeypatch.setattr(importer, "merge_page", merge_then_fail)
    store = small_world.supervisor
    before = store_digest(store)
    with pytest.raises(BatchRefused) as err:
        importer.import_batch(store, store.actor("监督科长"), small_world.valid)
    assert err.value.code == "record_rejected" and "IntegrityError" in str(err.value)
    assert store_digest(store) == before  # no row, no audit entry, no photo
