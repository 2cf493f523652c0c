"""Request and response bodies of sync protocol v1 (docs/design/issue6-sync.md), as pydantic
models: they validate requests and describe the API in the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SHA256_PATTERN = "^[0-9a-f]{64}$"


def _record_id() -> Any:
    return Field(min_length=1, max_length=36)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    error: str
    detail: str


class Info(BaseModel):
    api_version: int
    min_api_version: int
    server_time: str
    server_id: str


class EnrollRequest(Strict):
    user: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = _record_id()
    device_name: str = Field(default="", max_length=200)
    public_key: str = Field(description="Ed25519 raw public key, base64", max_length=64)


class EnrollResponse(BaseModel):
    device_token: str
    user: str
    role: str
    jurisdiction: str


class PushItem(Strict):
    record_type: str = Field(max_length=40)
    id: str = _record_id()
    hash: str = Field(pattern=SHA256_PATTERN)
    base_hash: str | None = Field(default=None, pattern=SHA256_PATTERN)
    operation: Literal["upsert", "delete"]
    payload: dict[str, Any]


class PushRequest(Strict):
    batch_id: str = _record_id()
    device_id: str = _record_id()
    items: list[PushItem]


Outcome = Literal["accepted", "already", "conflict", "missing_blob", "missing_parent"]


class PushResult(BaseModel):
    record_type: str
    id: str
    hash: str
    outcome: Outcome
    server_hash: str | None = None
    server_payload: dict[str, Any] | None = None
    server_seq: int | None = None


class PushResponse(BaseModel):
    batch_id: str
    server_seq_high: int
    results: list[PushResult]


class MissingRequest(Strict):
    sha256: list[str] = Field(max_length=10000)


class MissingBlob(BaseModel):
    sha256: str
    have_bytes: int


class MissingResponse(BaseModel):
    missing: list[MissingBlob]


class BlobState(BaseModel):
    sha256: str
    size: int
    have_bytes: int
    complete: bool


class Change(BaseModel):
    record_type: str
    id: str
    hash: str
    payload: dict[str, Any]
    server_seq: int
    author: str
    device_id: str


class ChangesResponse(BaseModel):
    items: list[Change]
    next: int
    more: bool


class TypeDigest(BaseModel):
    count: int
    digest: str


class CheckResponse(BaseModel):
    types: dict[str, TypeDigest]


class BatchManifest(BaseModel):
    seq: int
    batch_id: str
    device_id: str
    user: str
    received_at: str
    body_sha256: str
    signature: str
    public_key: str
    body: str = Field(description="the signed request body, verbatim (UTF-8 JSON)")
    manifest: list[dict[str, Any]]


class BatchesResponse(BaseModel):
    batches: list[BatchManifest]
    next: int
    more: bool


class RevokeResponse(BaseModel):
    device_id: str
    revoked: bool
