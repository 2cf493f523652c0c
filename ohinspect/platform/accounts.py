"""Users, device enrolment, device tokens and request signatures.

Passwords are stored as salted ``hashlib.scrypt`` hashes; a device token is 32 random bytes of
which only the SHA-256 is stored; every request body is signed with the device's Ed25519 key
(the signature covers SHA-256 of the body).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine, insert, select, update

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.platform import schema
from ohinspect.platform.db import run_write
from ohinspect.platform.protocol import ApiError
from ohinspect.platform.rights import Caller, normalise_division, roles
from ohinspect.store.base import utcnow

#: scrypt cost (RFC 7914 §2: N=2^14, r=8, p=1 is the interactive-login recommendation)
SCRYPT_N, SCRYPT_R, SCRYPT_P, SALT_BYTES, TOKEN_BYTES = 2 ** 14, 8, 1, 16, 32
ED25519_KEY_BYTES = 32


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    expected = base64.b64decode(digest)
    got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                         p=int(p), dklen=len(expected))
    return hmac.compare_digest(got, expected)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(engine: Engine, name: str, role: str, jurisdiction: str, password: str) -> None:
    """Create or update (role, jurisdiction, password) an account."""
    if role not in roles():
        raise OHInspectError(tr("platform.cli.bad_role", role=role,
                                roles=", ".join(sorted(roles()))))
    if not normalise_division(jurisdiction):
        raise OHInspectError(tr("platform.cli.bad_jurisdiction", code=jurisdiction))
    if not name.strip() or not password:
        raise OHInspectError(tr("platform.cli.empty_user_or_password"))
    row = {"role": role, "jurisdiction": jurisdiction, "password_hash": hash_password(password)}

    def work(conn: Connection) -> None:
        u = schema.users
        if conn.scalar(select(u.c.name).where(u.c.name == name)) is None:
            conn.execute(insert(u).values(name=name, created_at=utcnow(), **row))
        else:
            conn.execute(update(u).where(u.c.name == name).values(**row))

    run_write(engine, work)


def revoke_device(engine: Engine, device_id: str) -> bool:
    """Revoke a device's token (it must enrol again with the password); False if unknown."""
    def work(conn: Connection) -> bool:
        d = schema.devices
        result = conn.execute(update(d).where(d.c.id == device_id)
                              .values(revoked_at=utcnow()))
        return bool(result.rowcount)

    return run_write(engine, work)


def revoke_by(engine: Engine, caller: Caller, device_id: str) -> None:
    """An administrator revokes a device of a user inside their jurisdiction."""
    if not caller.may_manage_devices():
        raise ApiError(403, "not_allowed")
    d, u = schema.devices, schema.users
    with engine.connect() as conn:
        owner = conn.scalar(select(u.c.jurisdiction).join(d, d.c.user_name == u.c.name)
                            .where(d.c.id == device_id))
    if owner is None:
        raise ApiError(404, "device_unknown")
    if not caller.can_read(normalise_division(owner)):
        raise ApiError(403, "out_of_scope_device")
    revoke_device(engine, device_id)


def decode_public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
        if len(raw) != ED25519_KEY_BYTES:
            raise ValueError(len(raw))
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, binascii.Error) as exc:
        raise ApiError(400, "bad_public_key") from exc


def enroll(engine: Engine, body: dict[str, Any]) -> dict[str, str]:
    """Check the password, then give ``device_id`` a fresh token and register its key.
    One device id belongs to one user; re-enrolling replaces token and key (and lifts a
    revocation — the password is the proof)."""
    decode_public_key(body["public_key"])
    token = base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).decode().rstrip("=")
    with engine.connect() as conn:
        user = conn.execute(select(schema.users).where(schema.users.c.name == body["user"])).first()
    if user is None or not verify_password(body["password"], user.password_hash):
        raise ApiError(401, "bad_credentials")

    def work(conn: Connection) -> None:
        d, now = schema.devices, utcnow()
        owner = conn.scalar(select(d.c.user_name).where(d.c.id == body["device_id"])
                            .with_for_update())
        if owner is not None and owner != user.name:
            raise ApiError(409, "device_taken")
        values = {"user_name": user.name, "name": body.get("device_name", ""),
                  "public_key": body["public_key"], "token_sha256": token_sha256(token),
                  "enrolled_at": now, "revoked_at": None}
        if owner is None:
            conn.execute(insert(d).values(id=body["device_id"], **values))
        else:
            conn.execute(update(d).where(d.c.id == body["device_id"]).values(**values))
        k = schema.device_keys
        known = conn.scalar(select(k.c.device_id).where(k.c.device_id == body["device_id"],
                                                        k.c.public_key == body["public_key"]))
        if known is None:
            conn.execute(insert(k).values(device_id=body["device_id"],
                                          public_key=body["public_key"], enrolled_at=now))

    run_write(engine, work)
    return {"device_token": token, "user": user.name, "role": user.role,
            "jurisdiction": user.jurisdiction}


def authenticate(conn: Connection, authorization: str | None) -> Caller:
    """The caller of a request from its ``Authorization: Bearer <token>`` header."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "token_missing")
    d, u = schema.devices, schema.users
    row = conn.execute(
        select(d.c.id, d.c.public_key, d.c.revoked_at, u.c.name, u.c.role, u.c.jurisdiction)
        .join(u, u.c.name == d.c.user_name)
        .where(d.c.token_sha256 == token_sha256(token.strip()))).first()
    if row is None:
        raise ApiError(401, "token_unknown")
    if row.revoked_at is not None:
        raise ApiError(401, "token_revoked")
    return Caller(user=row.name, role=row.role, jurisdiction=normalise_division(row.jurisdiction),
                  device_id=row.id, public_key=row.public_key)


def verify_signature(caller: Caller, body: bytes, signature: str | None) -> str:
    """The body must be signed (Ed25519 over its SHA-256) by the caller's device key; returns
    that SHA-256 (hex), so a blob sent in one piece is never hashed twice."""
    if not signature:
        raise ApiError(403, "signature_missing")
    digest = hashlib.sha256(body).digest()
    try:
        raw = base64.b64decode(signature, validate=True)
        decode_public_key(caller.public_key).verify(raw, digest)
    except (InvalidSignature, ValueError, binascii.Error) as exc:
        raise ApiError(403, "bad_signature") from exc
    return digest.hex()
