"""Constants of sync protocol v1 (docs/design/issue6-sync.md) and the error every endpoint
raises: JSON ``{"error": code, "detail": text}`` with an HTTP status."""

from __future__ import annotations

from typing import Any

from ohinspect.i18n import tr

API_VERSION = 1
MIN_API_VERSION = 1
API_HEADER = "X-OHInspect-API"
SIGNATURE_HEADER = "X-OHInspect-Signature"

#: push: at most this many items and bytes per batch (larger → 413 batch_too_large)
MAX_BATCH_ITEMS = 250
MAX_BATCH_BYTES = 4 * 1024 * 1024
#: attachments: one PUT carries at most this many bytes; a blob at most MAX_BLOB_BYTES
MAX_CHUNK_BYTES = 4 * 1024 * 1024
MAX_BLOB_BYTES = 512 * 1024 * 1024
#: any other request body (enrolment, missing-list queries)
MAX_SMALL_BODY_BYTES = 256 * 1024
#: pull page size (default, maximum) and batch-manifest page size (default, maximum)
CHANGES_LIMIT = (500, 2000)
BATCHES_LIMIT = (10, 50)


class ApiError(Exception):
    """An answer other than success; ``code`` is stable (clients map it), ``detail`` is text
    from the platform message catalogue (key ``platform.error.<code>``)."""

    def __init__(self, status: int, code: str, extra: dict[str, Any] | None = None,
                 **values: object) -> None:
        self.status, self.code, self.extra = status, code, extra or {}
        self.detail = tr(f"platform.error.{code}", **values)
        super().__init__(f"{status} {code}: {self.detail}")

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.detail, **self.extra}
