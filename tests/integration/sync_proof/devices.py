"""Field devices for the sync proofs: one realistic data folder built once per test session (the
demo county, extra enterprises and photos), copied for each test under a device id of its own
and enrolled with the platform; the device's token and key go to a file keyring
(file_keyring.py) so that ``python -m ohinspect sync`` subprocesses find them."""

from __future__ import annotations

import itertools
import os
import random
import shutil
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from ohinspect.demo.enterprises import make_enterprise
from ohinspect.services.attachments import add_attachment
from ohinspect.services.enterprise_import import import_enterprises
from ohinspect.services.enterprise_rules import EnterpriseInput
from ohinspect.services.enterprises import update_enterprise
from ohinspect.store.database import DB_FILE, Store
from ohinspect.store.models import Enterprise
from ohinspect.sync.credentials import CredentialStore
from ohinspect.sync.device_key import load_private_key
from ohinspect.sync.session import enroll
from ohinspect.sync.transport import PlatformClient
from tests.integration.cli_run import ROOT, cli_env as user_env
from tests.integration.sync_proof.file_keyring import BACKEND, ENV, FileKeyring
from tests.demo_store import demo_copy

USER, PASSWORD, JURISDICTION = "field1", "kill-证明-pw", "6210"
EXTRA_ENTERPRISES, PHOTOS, PHOTO_BYTES = 300, 8, 256 * 1024
SMALL_ENTERPRISES, SMALL_PHOTOS = 260, 3
PHOTO_TYPE = "image/tiff"  # never re-encoded: random bytes stay as they are


def add_enterprises(store: Store, numbers: Iterator[int], count: int) -> list[str]:
    """``count`` more enterprises of 合水县 in one import (numbered from ``numbers``)."""
    first = next(numbers)
    rng = random.Random(first)
    items = [(None, make_enterprise(n, "621024", rng))
             for n in itertools.chain([first], itertools.islice(numbers, count - 1))]
    return sorted(import_enterprises(store, store.actor("检查员"), items).changes.record_ids)


def add_photo(store: Store, owner_id: str, rng: random.Random, size: int) -> None:
    add_attachment(store, store.actor("检查员"), "enterprise", owner_id, rng.randbytes(size),
                   kind="photo", media_type=PHOTO_TYPE)


def build_template(folder: Path, seed: int = 6, extra: int = EXTRA_ENTERPRISES) -> Path:
    """The demo county plus ``extra`` enterprises and PHOTOS random 'photos'."""
    rng = random.Random(seed)
    store = Store.open(demo_copy(folder))   # the demo, built once per session
    try:
        ids = add_enterprises(store, itertools.count(10000), extra)
        for n in range(PHOTOS):
            add_photo(store, ids[n], rng, PHOTO_BYTES)
    finally:
        store.close()
    return folder


def build_small_template(folder: Path, seed: int = 7) -> Path:
    """SMALL_ENTERPRISES enterprises (two push batches) and SMALL_PHOTOS photos: enough for
    every kind of request, quick to sync many times."""
    rng = random.Random(seed)
    store = Store.open(folder)
    try:
        ids = add_enterprises(store, itertools.count(30000), SMALL_ENTERPRISES)
        for n in range(SMALL_PHOTOS):
            add_photo(store, ids[n], rng, PHOTO_BYTES)
    finally:
        store.close()
    return folder


def copy_device(template: Path, folder: Path) -> Path:
    """A copy of the template with a device id of its own."""
    shutil.copytree(template, folder)
    with sqlite3.connect(folder / DB_FILE) as conn:
        conn.execute("UPDATE store_meta SET value = ? WHERE key = 'device_id'",
                     (str(uuid.uuid4()),))
    conn.close()
    return folder


def keyring_creds(path: Path) -> CredentialStore:
    return CredentialStore(FileKeyring(path))


def enroll_device(folder: Path, url: str, keyring_file: Path, user: str = USER,
                  password: str = PASSWORD) -> None:
    store = Store.open(folder)
    try:
        enroll(store, keyring_creds(keyring_file), url, user, password)
    finally:
        store.close()


def cli_env(keyring_file: Path) -> dict[str, str]:
    """The environment of ``python -m ohinspect`` subprocesses: the test keyring."""
    env = user_env()
    env["PYTHON_KEYRING_BACKEND"] = BACKEND
    env[ENV] = str(keyring_file)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def cli(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ohinspect", "--data-dir", str(folder), *args]


def platform_client(folder: Path, url: str, keyring_file: Path) -> PlatformClient:
    """An authenticated client of this device (for GET /v1/check)."""
    store = Store.open(folder)
    try:
        device_id = store.device_id
    finally:
        store.close()
    secrets = keyring_creds(keyring_file).load(url, device_id)
    assert secrets is not None
    return PlatformClient(url, token=secrets.token, key=load_private_key(secrets.private_key))


def work_in_the_field(folder: Path, rng: random.Random, numbers: Iterator[int],
                      bulk: bool = False) -> int:
    """What an inspector does between two syncs: new enterprises, changed contacts, a photo
    now and then — or, with ``bulk``, a day's worth (two push batches and two photos).
    Returns how many records were written."""
    store = Store.open(folder)
    try:
        actor = store.actor("检查员")
        new = add_enterprises(store, numbers, 260 if bulk else rng.randint(1, 30))
        with store.read() as s:
            ids = sorted(s.scalars(select(Enterprise.id)))
        changed = rng.sample(ids, rng.randint(0, 4))
        for eid in changed:
            with store.read() as s:
                data = EnterpriseInput.from_record(s.get(Enterprise, eid))
            update_enterprise(store, actor, eid, EnterpriseInput(
                **{**data.__dict__, "contact_person": f"联系人{rng.randrange(10**6)}"}))
        photos = 2 if bulk else int(rng.random() < 0.3)
        for _ in range(photos):
            add_photo(store, rng.choice(new), rng, rng.randint(16, 256) * 1024)
    finally:
        store.close()
    return len(new) + len(changed) + photos
