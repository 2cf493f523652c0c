"""Device keys for batches: the key a device signs with, the key file it hands to a
supervisor (``ohinspect batch export-key``) and the keys a supervisor trusts.

A device enrolled with the platform signs with its enrolment key (kept by ohinspect/sync in the
OS keyring); a device that never enrolled gets its own Ed25519 key, kept the same way under the
account ``|<device_id>``. Trusted keys live in ``store_meta`` as ``batch.key.<key_id>``; adding
one is audited (who, when, which device).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from ohinspect.batches.errors import BatchRefused, export_failed
from ohinspect.batches.limits import load_limits
from ohinspect.store.database import Store
from ohinspect.store.serialize import canonical_json, to_jsonable
from ohinspect.store.uow import Actor
from ohinspect.sync import local
from ohinspect.sync.credentials import CredentialStore, DeviceSecrets
from ohinspect.sync.device_key import generate_key, load_private_key, private_key_text, public_key_text

#: keyring "server" of the key a device uses when it is not enrolled with a platform
OFFLINE_SERVER = ""
TRUSTED_PREFIX = "batch.key."
KEY_FILE_FORMAT, KEY_FILE_VERSION = "ohinspect-device-key", 1
PUBLIC_KEY_BYTES = 32
KEY_ID_HEX = 32  # the first 128 bits of SHA-256(raw public key)


def key_id(public_text: str) -> str:
    return hashlib.sha256(base64.b64decode(public_text)).hexdigest()[:KEY_ID_HEX]


@dataclass(frozen=True)
class DeviceKey:
    private: Ed25519PrivateKey
    public: str
    key_id: str

    @classmethod
    def of(cls, private: Ed25519PrivateKey) -> DeviceKey:
        public = public_key_text(private)
        return cls(private, public, key_id(public))


def device_key(store: Store, credentials: CredentialStore) -> DeviceKey:
    """This device's signing key: the enrolment key if enrolled, else its own batch key
    (made once). Refused when no keyring can keep a new key: a signature nobody can check
    again would be worthless."""
    with store.read() as session:
        server = local.get_meta(session, local.SERVER_URL)
    for account in ([server] if server else []) + [OFFLINE_SERVER]:
        secrets = credentials.load(account, store.device_id)
        if secrets is not None and secrets.private_key:
            return DeviceKey.of(load_private_key(secrets.private_key))
    if not credentials.persistent:
        raise export_failed("no_keyring")
    key = generate_key()
    credentials.save(OFFLINE_SERVER, store.device_id, DeviceSecrets("", private_key_text(key)))
    return DeviceKey.of(key)


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    device_id: str
    public_key: str
    author: str
    jurisdiction: str
    created_at: str


def device_jurisdiction(session: Session) -> str:
    return local.get_meta(session, local.JURISDICTION)


def write_key_file(store: Store, actor: Actor, credentials: CredentialStore, out: Path) -> TrustedKey:
    """Write this device's public key file (no secret in it) and audit the export."""
    from ohinspect.reports.styles import atomic_output

    key = device_key(store, credentials)
    with store.unit_of_work(actor) as uow:
        info = TrustedKey(key.key_id, store.device_id, key.public, actor.user,
                          device_jurisdiction(uow.session), to_jsonable(uow.now))
        with atomic_output(out) as tmp:
            tmp.write_text(canonical_json({"format": KEY_FILE_FORMAT,
                                           "format_version": KEY_FILE_VERSION, **asdict(info)}),
                           encoding="utf-8")
        uow.audit("batch.key_exported", details={"key_id": key.key_id, "file": out.name})
        uow.commit()
    return info


def read_key_file(path: Path) -> TrustedKey:
    limit = load_limits().max_key_file_bytes
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise BatchRefused("unreadable", path=path, reason=exc.strerror or exc) from exc
    try:
        raw = json.loads(data.decode("utf-8")) if len(data) <= limit else None
        if not isinstance(raw, dict) or raw.get("format") != KEY_FILE_FORMAT:
            raise BatchRefused("not_a_key_file", path=path.name)
        if raw.get("format_version") != KEY_FILE_VERSION:
            raise BatchRefused("key_file_too_new", version=raw.get("format_version"),
                               supported=KEY_FILE_VERSION)
        info = TrustedKey(*(str(raw[k]) for k in TrustedKey.__dataclass_fields__))
        if (len(base64.b64decode(info.public_key, validate=True)) != PUBLIC_KEY_BYTES
                or key_id(info.public_key) != info.key_id):
            raise BatchRefused("not_a_key_file", path=path.name)
    except (UnicodeDecodeError, ValueError, KeyError, binascii.Error, RecursionError) as exc:
        raise BatchRefused("not_a_key_file", path=path.name) from exc
    return info


def trust_key(store: Store, actor: Actor, info: TrustedKey) -> bool:
    """Trust ``info`` for batch imports (audited); False if it was trusted already."""
    with store.unit_of_work(actor) as uow:
        name = TRUSTED_PREFIX + info.key_id
        if local.get_meta(uow.session, name):
            return False
        local.set_meta(uow.session, name, canonical_json(asdict(info)))
        uow.audit("batch.key_trusted", details=asdict(info))
        uow.commit()
    return True


def trusted_key(session: Session, kid: str) -> TrustedKey | None:
    text = local.get_meta(session, TRUSTED_PREFIX + kid) if len(kid) == KEY_ID_HEX else ""
    return TrustedKey(**json.loads(text)) if text else None
