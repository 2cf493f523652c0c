"""The device token and private key: in the OS keyring (service ``ohinspect``, username
``<server_url>|<device_id>``), never on disk.

With no usable keyring backend (``keyring.backends.fail`` or a chainer with nothing in it) the
store says so (:attr:`CredentialStore.persistent` is False) and keeps the secrets in memory for
this run only: the user gives the password at each start and the device enrols for the session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.errors import KeyringError

from ohinspect.i18n import tr
from ohinspect.sync.errors import SyncError

SERVICE = "ohinspect"


@dataclass(frozen=True)
class DeviceSecrets:
    token: str
    private_key: str  # base64 raw Ed25519 private key


def usable(backend: KeyringBackend) -> bool:
    """False for the fail backend and for a chainer that chains nothing."""
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(usable(b) for b in backend.backends)
    return True


def account(server_url: str, device_id: str) -> str:
    return f"{server_url.rstrip('/')}|{device_id}"


class CredentialStore:
    """Secrets of enrolled devices: the keyring if usable, else this process's memory."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self.backend = backend if backend is not None else keyring.get_keyring()
        self.persistent = usable(self.backend)
        self._session: dict[str, DeviceSecrets] = {}

    def load(self, server_url: str, device_id: str) -> DeviceSecrets | None:
        name = account(server_url, device_id)
        if not self.persistent:
            return self._session.get(name)
        try:
            text = self.backend.get_password(SERVICE, name)
        except KeyringError as exc:
            raise SyncError(tr("sync.error.keyring", detail=exc), code="keyring") from exc
        if not text:
            return None
        try:
            data = json.loads(text)
            return DeviceSecrets(str(data["token"]), str(data["private_key"]))
        except (ValueError, KeyError, TypeError):
            return None  # damaged entry: enrol again

    def save(self, server_url: str, device_id: str, secrets: DeviceSecrets) -> None:
        name = account(server_url, device_id)
        if not self.persistent:
            self._session[name] = secrets
            return
        text = json.dumps({"token": secrets.token, "private_key": secrets.private_key})
        try:
            self.backend.set_password(SERVICE, name, text)
        except KeyringError as exc:
            raise SyncError(tr("sync.error.keyring", detail=exc), code="keyring") from exc

    def forget(self, server_url: str, device_id: str) -> None:
        name = account(server_url, device_id)
        self._session.pop(name, None)
        if self.persistent:
            try:
                self.backend.delete_password(SERVICE, name)
            except KeyringError:
                pass  # nothing stored
