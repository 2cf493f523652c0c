"""What can go wrong while syncing, each as one translated sentence (never a traceback).

Every failure leaves the outbox intact: an entry leaves it only when the server acknowledged
that record, so the next sync simply starts again.
"""

from __future__ import annotations

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr


class SyncError(OHInspectError):
    """A sync step failed; ``transient`` errors are retried with backoff."""

    transient = False

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class TransientSyncError(SyncError):
    """The network or the server failed for now (refused, timeout, 5xx): worth retrying."""

    transient = True


class AuthError(SyncError):
    """The device token is unknown or revoked: the device must be enrolled again."""


class ProtocolError(SyncError):
    """The server's answer is not what protocol v1 says (HTML, truncated JSON, wrong shape)."""

    def __init__(self, detail: str) -> None:
        super().__init__(tr("sync.error.protocol", detail=detail), code="protocol")


class BatchTooLarge(SyncError):
    """413 from the server: the batch must be split."""

    def __init__(self) -> None:
        super().__init__(tr("sync.error.batch_too_large"), code="batch_too_large")


class UploadOffsetMismatch(SyncError):
    """409 on an attachment chunk: the server holds ``have_bytes``; resume from there."""

    def __init__(self, have_bytes: int) -> None:
        super().__init__(tr("sync.error.offset", have=have_bytes), code="offset")
        self.have_bytes = have_bytes
