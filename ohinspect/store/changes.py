"""What an operation changed, so each screen can refresh itself (the Anki "OpChanges" idea)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ohinspect.store.database import Store
    from ohinspect.store.uow import Actor


@dataclass(frozen=True)
class Changes:
    record_types: frozenset[str] = frozenset()
    record_ids: frozenset[str] = frozenset()

    def touches(self, record_type: str) -> bool:
        return record_type in self.record_types

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.record_types | other.record_types, self.record_ids | other.record_ids)


@dataclass(frozen=True)
class UndoStep:
    """How to take an operation back: a label for the menu and the inverse operation."""

    label: str
    apply: Callable[[Store, Actor], OpResult]


@dataclass(frozen=True)
class OpResult:
    changes: Changes
    record_id: str | None = None
    undo: UndoStep | None = None
    warnings: tuple[str, ...] = field(default=())


def changed(record_type: str, *ids: str) -> Changes:
    return Changes(frozenset({record_type}), frozenset(ids))
