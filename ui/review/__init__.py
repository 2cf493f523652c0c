"""Supervisor review (issue 7 item 3)."""

from ui.review.page import ReviewPage

__all__ = ["ReviewPage"]
