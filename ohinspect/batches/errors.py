"""Why a batch file is refused: one error type, one specific translated sentence per reason
(resources/i18n/*/batches.json, keys ``batch.refused.<code>``). A refusal changes nothing."""

from __future__ import annotations

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr


class BatchError(OHInspectError):
    """A batch operation failed; ``code`` names the reason (tests and the UI use it)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class BatchRefused(BatchError):
    """The batch file is refused; the store, the attachments and the staging area are as
    before."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code, tr(f"batch.refused.{code}", **values))


def export_failed(code: str, **values: object) -> BatchError:
    """An export (or key export) that cannot be made; nothing was written."""
    return BatchError(code, tr(f"batch.export.{code}", **values))
