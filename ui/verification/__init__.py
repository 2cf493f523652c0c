"""三同时 verification (核查) of one project stage: the guided, resumable flow.

- :func:`start_verification_dialog` asks for the header and starts one;
- :func:`open_verification` shows one (its :class:`VerificationFlow`) in its own window.
"""

from ui.verification.flow import VerificationFlow, open_verification
from ui.verification.start_dialog import (
           StartVerificationDialog,
           start_verification_dialog,
)

__all__ = ["StartVerificationDialog", "VerificationFlow", "open_verification",
           "start_verification_dialog"]
