"""The rules of supervisor review as data (resources/rules/review.yaml, issue 7 item 3): who may
decide, which decisions need comments, which records are reviewable and which can be corrected
by an amendment."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ohinspect.resources import load_resource
from ohinspect.store.base import SyncMixin
from ohinspect.store.models import Inspection, RectificationEvent, SamplingTask

RESOURCE = "rules/review.yaml"
#: the queue's kind of a rectification event that closes its item
CLOSURE_KIND = "rectification_closure"


@dataclass(frozen=True)
class ReviewRules:
    reviewer_roles: tuple[str, ...]
    comments_required: frozenset[str]
    self_review: bool
    inspection_kinds: tuple[str, ...]
    locked_types: frozenset[str]
    closing_statuses: tuple[str, ...]
    amendable: frozenset[str]

    @property
    def record_types(self) -> tuple[str, ...]:
        return (Inspection.__record_type__, SamplingTask.__record_type__,
                RectificationEvent.__record_type__)

    def is_reviewable(self, obj: SyncMixin) -> bool:
        """A record the queue offers: a signed inspection of a listed kind, a signed sampling
        task, or a rectification event that closes its item."""
        if obj.is_deleted or obj.__record_type__ not in self.record_types:
            return False
        if obj.__record_type__ in self.locked_types and getattr(obj, "locked_at", None) is None:
            return False
        if isinstance(obj, Inspection):
            return obj.kind in self.inspection_kinds
        if isinstance(obj, RectificationEvent):
            return obj.to_status in self.closing_statuses
        return True


def kind_of(obj: SyncMixin) -> str:
    """What the queue calls a record (message key ``review.kind.<kind>``)."""
    if isinstance(obj, Inspection):
        return obj.kind
    if isinstance(obj, RectificationEvent):
        return CLOSURE_KIND
    return obj.__record_type__


@lru_cache(maxsize=1)
def load_rules() -> ReviewRules:
    data: dict[str, Any] = load_resource(RESOURCE)
    reviewable = data["reviewable"]
    return ReviewRules(
        reviewer_roles=tuple(data["reviewer_roles"]),
        comments_required=frozenset(data["comments_required"]),
        self_review=bool(data["self_review"]),
        inspection_kinds=tuple(reviewable[Inspection.__record_type__]["kinds"]),
        locked_types=frozenset(t for t, rule in reviewable.items() if rule.get("locked")),
        closing_statuses=tuple(reviewable[RectificationEvent.__record_type__]["to_status"]),
        amendable=frozenset(data["amendable"]),
    )
