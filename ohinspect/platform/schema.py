"""The platform's tables, on their own metadata (never mixed with the device store's models).

Records keep their *current* version (payload as canonical JSON text) plus every hash ever
accepted (``record_versions``); ``server_seq`` is issued by a PostgreSQL SEQUENCE (on SQLite by
an autoincrement table) and orders every accepted version. Batches keep the signed request body,
its manifest and the response, so a replay gets the same answer and supervisors can import
them later (issue 7).
"""

from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, ForeignKey, Index, Integer,
                        MetaData, Sequence, String, Table, Text)

from ohinspect.store.base import NAMING, UtcDateTime

#: bumped whenever a table changes; init-db refuses a database of a newer version and upgrades
#: an older one (ohinspect/platform/upgrade.py). 2: blob bytes moved to files (blob_files.py)
SCHEMA_VERSION = 2

metadata = MetaData(naming_convention=NAMING)

#: PostgreSQL: the server sequence (strictly increasing, one per accepted record version)
server_seq = Sequence("platform_server_seq", metadata=metadata, start=1)

platform_meta = Table(
    "platform_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

#: SQLite only: each row issues one server seq (its autoincrement id)
sqlite_seq = Table(
    "platform_seq", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    sqlite_autoincrement=True,
)

users = Table(
    "platform_user", metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("jurisdiction", String(6), nullable=False),
    #: "scrypt$n$r$p$salt$hash" (hashlib.scrypt, base64 parts)
    Column("password_hash", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

devices = Table(
    "platform_device", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_name", ForeignKey("platform_user.name"), nullable=False, index=True),
    Column("name", String(200), nullable=False, default=""),
    Column("public_key", String(64), nullable=False),   # Ed25519 raw key, base64
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("enrolled_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

#: every public key a device ever enrolled with (old batches stay verifiable)
device_keys = Table(
    "platform_device_key", metadata,
    Column("device_id", ForeignKey("platform_device.id"), primary_key=True),
    Column("public_key", String(64), primary_key=True),
    Column("enrolled_at", UtcDateTime, nullable=False),
)

records = Table(
    "platform_record", metadata,
    Column("record_type", String(40), primary_key=True),
    Column("record_id", String(36), primary_key=True),
    Column("scope", String(6), nullable=False, index=True),
    Column("author", String(64), nullable=False),       # platform user who created it
    Column("device_id", String(36), nullable=False),    # device of the current version
    Column("hash", String(64), nullable=False),
    Column("payload", Text, nullable=False),            # canonical JSON of the current version
    Column("server_seq", BigInteger, nullable=False, unique=True),
    Column("locked", Boolean, nullable=False, default=False),
    Column("blob_sha256", String(64), nullable=True, index=True),  # attachments only
)

record_versions = Table(
    "platform_record_version", metadata,
    Column("record_type", String(40), primary_key=True),
    Column("record_id", String(36), primary_key=True),
    Column("hash", String(64), primary_key=True),
    Column("server_seq", BigInteger, nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("batch_id", String(36), nullable=False),
)

#: what the server holds of each blob; the bytes are files (ohinspect/platform/blob_files.py)
blobs = Table(
    "platform_blob", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("have_bytes", BigInteger, nullable=False, default=0),
    Column("complete", Boolean, nullable=False, default=False),
)

batches = Table(
    "platform_batch", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", String(36), nullable=False, unique=True),
    Column("device_id", String(36), nullable=False, index=True),
    Column("user_name", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    #: longest common prefix of the items' scopes: a reader covering it covers every item
    Column("scope", String(6), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("signature", String(100), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("manifest", Text, nullable=False),
    Column("response", Text, nullable=False),
)

Index("ix_platform_record_type_scope", records.c.record_type, records.c.scope)
