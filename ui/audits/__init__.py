"""Workplace and institution audits (issue 5): the audit list, starting an audit, and one
audit's guided flow — the 三同时 verification flow (ui.verification), shared, with the
institution's records beside it for an institution audit."""

from ui.audits.flow import AuditWindow, open_audit
from ui.audits.page import AuditsPage
from ui.audits.start_dialog import StartAuditDialog

__all__ = ["AuditWindow", "AuditsPage", "StartAuditDialog", "open_audit"]
