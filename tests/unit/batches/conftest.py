"""Fixtures for batch tests: a field device with the demo records, a supervisor that trusts its
key, a valid batch, a way to rebuild a batch with hostile changes (re-signed or not), and a
digest of a whole store (every table and every attachment file) to prove "nothing changed"."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend

from ohinspect.batches.export import export_batch
from ohinspect.batches.format import (MANIFEST, RECORDS, SIGNATURE, Manifest, manifest_fields,
                                      read_manifest as parse_header)
from ohinspect.batches.keys import DeviceKey, device_key, read_key_file, trust_key, write_key_file
from ohinspect.batches.limits import load_limits
from ohinspect.store.database import Store
from ohinspect.store.serialize import canonical_json
from ohinspect.sync import local
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.device_key import sign_body

SUPERVISOR_JURISDICTION = "6210"  # 庆阳市 covers the demo county 合水县 (621024)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives as long as the test (the machine has no keyring backend)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def store_digest(store: Store, *, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 over every row of every table (sorted; but the tables in ``skip``) and every
    attachment file."""
    h = hashlib.sha256()
    conn = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        for table in (t for t in tables if t not in skip):
            h.update(table.encode())
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"')):
                h.update(row.encode())
    finally:
        conn.close()
    if store.attachments_dir.exists():
        for path in sorted(p for p in store.attachments_dir.rglob("*") if p.is_file()):
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def read_entries(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def read_manifest(path: Path) -> Manifest:
    with zipfile.ZipFile(path) as zf:
        return manifest_fields(parse_header(zf.read(MANIFEST), load_limits()))


def write_entries(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the hostile cases
        for info, data in entries:
            zf.writestr(info, data)
    return path


@dataclass
class Device:
    store: Store
    credentials: CredentialStore
    key: DeviceKey
    key_file: Path


@dataclass
class Rebuilder:
    """Writes variants of a valid batch: change the records (their part's hash and size are
    updated in the manifest), the manifest (re-signed with the device key, another key, or
    not at all) and/or the raw entries."""

    valid: Path
    key: DeviceKey
    folder: Path

    def __call__(self, name: str, *,
                 records: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
                 manifest: Callable[[dict[str, Any]], None] | None = None,
                 entries: Callable[[list[tuple[Any, bytes]]], list[tuple[Any, bytes]]] | None = None,
                 sign: bool | DeviceKey = True) -> Path:
        items = dict((info.filename, (info, data)) for info, data in read_entries(self.valid))
        body = items[MANIFEST][1]
        data = json.loads(body)
        if records is not None:
            lines = [json.loads(x) for x in items[RECORDS][1].decode().splitlines()]
            text = "".join(canonical_json(x) + "\n" for x in records(lines)).encode()
            items[RECORDS] = (items[RECORDS][0], text)
            part = next(p for p in data["parts"] if p["name"] == RECORDS)
            part["sha256"], part["size"] = hashlib.sha256(text).hexdigest(), len(text)
        if manifest is not None:
            manifest(data)
        if records is not None or manifest is not None:
            body = canonical_json(data).encode()
        if sign is not False:
            key = self.key if sign is True else sign
            items[SIGNATURE] = (items[SIGNATURE][0], sign_body(key.private, body).encode())
        items[MANIFEST] = (items[MANIFEST][0], body)
        out = list(items.values())
        if entries is not None:
            out = entries(out)
        return write_entries(self.folder / f"{name}.ohbatch", out)


def small_device_store(folder: Path) -> Store:
    """Three demo enterprises and two photos of the first: enough for every kind of part."""
    from ohinspect.demo.enterprises import demo_enterprises
    from ohinspect.demo.projects import photo_png
    from ohinspect.services.attachments import add_attachment
    from ohinspect.services.enterprise_import import import_enterprises

    store = Store.open(folder)
    actor = store.actor("检查员甲")
    result = import_enterprises(store, actor, demo_enterprises()[:3])
    for n in range(2):
        add_attachment(store, actor, "enterprise", sorted(result.changes.record_ids)[0],
                       photo_png(f"photo-{n}"), kind="photo", media_type="image/png")
    return store


def make_device(store: Store, folder: Path) -> Device:
    credentials = CredentialStore(MemoryKeyring())
    key = device_key(store, credentials)
    key_file = folder / "device-key.json"
    write_key_file(store, store.actor("检查员甲"), credentials, key_file)
    return Device(store, credentials, key, key_file)


def export_to(device: Device, out: Path, since: int | None = None) -> Path:
    export_batch(device.store, device.store.actor("检查员甲"), out, since=since,
                 credentials=device.credentials)
    return out


@pytest.fixture(scope="session")
def demo_template() -> Path:
    """A device store with the demo county, built once per session (tests/demo_store.py) and
    copied per test."""
    from tests.demo_store import demo_template as built

    return built()


@pytest.fixture
def device(tmp_path: Path, demo_template: Path) -> Iterator[Device]:
    folder = tmp_path / "device"
    shutil.copytree(demo_template, folder)
    dev = make_device(Store.open(folder), tmp_path)
    yield dev
    dev.store.close()


@pytest.fixture
def small_device(tmp_path: Path) -> Iterator[Device]:
    dev = make_device(small_device_store(tmp_path / "small-device"), tmp_path)
    yield dev
    dev.store.close()


def open_supervisor(folder: Path, device: Device, jurisdiction: str = SUPERVISOR_JURISDICTION) -> Store:
    store = Store.open(folder)
    actor = store.actor("监督科长")
    trust_key(store, actor, read_key_file(device.key_file))
    with store.unit_of_work(actor) as uow:
        local.set_meta(uow.session, local.JURISDICTION, jurisdiction)
        uow.commit()
    return store


@pytest.fixture
def supervisor(tmp_path: Path, device: Device) -> Iterator[Store]:
    store = open_supervisor(tmp_path / "supervisor", device)
    yield store
    store.close()


@pytest.fixture
def valid_batch(tmp_path: Path, device: Device) -> Path:
    return export_to(device, tmp_path / "valid.ohbatch")


@dataclass
class SmallWorld:
    """One small device, a supervisor trusting it, a valid batch and a rebuilder — shared by
    a module (refusals change nothing, and every test checks that)."""

    device: Device
    supervisor: Store
    valid: Path
    rebuild: Rebuilder


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmallWorld]:
    root = tmp_path_factory.mktemp("small")
    device = make_device(small_device_store(root / "device"), root)
    supervisor = open_supervisor(root / "supervisor", device)
    valid = export_to(device, root / "valid.ohbatch")
    (root / "hostile").mkdir()
    yield SmallWorld(device, supervisor, valid, Rebuilder(valid, device.key, root / "hostile"))
    supervisor.close()
    device.store.close()
