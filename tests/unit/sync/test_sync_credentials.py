"""Keyring states: a usable backend keeps token and key in the keyring (never on disk); the
fail backend or an empty chainer is "no keyring": secrets live in memory for this run only."""

from __future__ import annotations

import json

from keyring.backends import chainer, fail

from ohinspect.sync.credentials import SERVICE, CredentialStore, DeviceSecrets, account
from ohinspect.sync.session import enroll
from tests.unit.sync.fake_platform import URL


def test_usable_keyring_keeps_token_and_key_under_service_ohinspect(store, keyring_backend,
                                                                      platform) -> None:
    creds = CredentialStore(keyring_backend)
    assert creds.persistent
    enroll(store, creds, URL + "/", "张三", "pw", client_factory=platform.client_factory())
    stored = keyring_backend.passwords[(SERVICE, f"{URL}|{store.device_id}")]
    assert json.loads(stored)["token"] == "tok-" + store.device_id
    # a new process (new CredentialStore) finds it again
    assert CredentialStore(keyring_backend).load(URL, store.device_id).token == "tok-" + store.device_id
    # and nothing secret is in the data folder
    for path in store.data_dir.rglob("*"):
        if path.is_file():
            assert b"tok-" not in path.read_bytes(), path


def test_fail_backend_means_no_keyring_and_memory_only(store, platform) -> None:
    creds = CredentialStore(fail.Keyring())
    assert not creds.persistent
    enroll(store, creds, URL, "张三", "pw", client_factory=platform.client_factory())
    assert creds.load(URL, store.device_id) is not None
    # the next start (a new CredentialStore) has nothing: the password is asked again
    assert CredentialStore(fail.Keyring()).load(URL, store.device_id) is None
    for path in store.data_dir.rglob("*"):
        if path.is_file():
            assert b"tok-" not in path.read_bytes(), path


def test_chainer_with_nothing_is_no_keyring(keyring_backend) -> None:
    class Empty(chainer.ChainerBackend):
        backends: list = []  # type: ignore[assignment]

    class One(chainer.ChainerBackend):
        backends = [keyring_backend]  # type: ignore[assignment]

    assert not CredentialStore(Empty()).persistent
    assert CredentialStore(One()).persistent


def test_damaged_entry_reads_as_not_enrolled(keyring_backend) -> None:
    keyring_backend.set_password(SERVICE, account(URL, "d1"), "not json")
    assert CredentialStore(keyring_backend).load(URL, "d1") is None
    creds = CredentialStore(keyring_backend)
    creds.save(URL, "d1", DeviceSecrets("t", "k"))
    creds.forget(URL, "d1")
    assert creds.load(URL, "d1") is None
