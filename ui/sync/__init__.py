"""The Sync screen (issue 6): platform address, enrolment, what is waiting, Sync now with
progress and Cancel, conflicts side by side, and auto-sync when the platform is reachable."""

from ui.sync.page import SyncPage

__all__ = ["SyncPage"]
