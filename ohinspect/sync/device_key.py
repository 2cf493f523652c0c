"""The device signing key (Ed25519): every POST/PUT body is signed so a batch can later be
traced to the device that sent it (docs/design/issue6-sync.md "Transport and authentication")."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_RAW = serialization.Encoding.Raw


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_text(key: Ed25519PrivateKey) -> str:
    """The raw 32-byte private key as base64 (kept only in the OS keyring)."""
    raw = key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.b64encode(raw).decode("ascii")


def load_private_key(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The raw public key as base64, as ``POST /v1/enroll`` expects."""
    raw = key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign_body(key: Ed25519PrivateKey, body: bytes) -> str:
    """``X-OHInspect-Signature``: base64 Ed25519 signature of SHA-256(body)."""
    return base64.b64encode(key.sign(hashlib.sha256(body).digest())).decode("ascii")


def verify_body(public_text: str, body: bytes, signature: str) -> bool:
    """True if ``signature`` is this public key's signature of SHA-256(body)."""
    from cryptography.exceptions import InvalidSignature

    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_text))
    try:
        public.verify(base64.b64decode(signature), hashlib.sha256(body).digest())
    except (InvalidSignature, ValueError):
        return False
    return True
