"""Rolling an audit's item grades up to one overall result (符合 / 基本符合 / 不符合).

The rules are data (``resources/checklists/grading.yaml``, one rule set per inspection kind);
:func:`roll_up` is a pure function of the graded items and a rule set. Order of the rule
(grading.yaml, [U] thresholds): overall 不符合 if a key item is 不符合 or the share of 不符合
exceeds ``not_conform_share_over``; else 基本符合 if any item is 不符合, a key item is 基本符合
or the share of 基本符合 exceeds ``basically_conform_share_over``; else 符合. Shares are over
the graded items (``ignored_answers`` such as 不适用 are left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ohinspect.errors import DataFileError
from ohinspect.paths import resources_dir
from ohinspect.resources import load_data_file

RESOURCE = "checklists/grading.yaml"
CONFORM, BASICALLY_CONFORM, NOT_CONFORM = "conform", "basically_conform", "not_conform"

#: reasons an overall result was reached (codes; :mod:`ohinspect.services.audits` words them)
KEY_NOT_CONFORM = "key_item_not_conform"
NOT_CONFORM_SHARE = "not_conform_share_over"
ANY_NOT_CONFORM = "any_not_conform"
KEY_BASICALLY_CONFORM = "key_item_basically_conform"
BASICALLY_CONFORM_SHARE = "basically_conform_share_over"
NOTHING_GRADED = "nothing_graded"
_FAIL_KEYS = {KEY_NOT_CONFORM: bool, NOT_CONFORM_SHARE: float}
_BASIC_KEYS = {ANY_NOT_CONFORM: bool, KEY_BASICALLY_CONFORM: bool, BASICALLY_CONFORM_SHARE: float}


@dataclass(frozen=True)
class GradingRule:
    id: str
    kinds: tuple[str, ...]
    key_item_not_conform: bool
    not_conform_share_over: float | None
    any_not_conform: bool
    key_item_basically_conform: bool
    basically_conform_share_over: float | None


@dataclass(frozen=True)
class Grading:
    grades: tuple[str, ...]          # best first
    ignored_answers: tuple[str, ...]
    rules: tuple[GradingRule, ...]

    def rule_for(self, kind: str) -> GradingRule:
        """The rule set for inspections of ``kind``; ``KeyError`` if none is given."""
        for rule in self.rules:
            if kind in rule.kinds:
                return rule
        raise KeyError(kind)


@dataclass(frozen=True)
class GradedItem:
    item_id: str
    grade: str     # an answer code: conform | basically_conform | not_conform | not_applicable
    key: bool


@dataclass(frozen=True)
class GradingResult:
    overall: str                       # conform | basically_conform | not_conform
    reasons: tuple[str, ...]           # the conditions that held (codes above), in rule order
    counts: dict[str, int]             # graded items per grade
    graded: int                        # items counted (ignored answers left out)
    key_failures: tuple[str, ...]      # key items graded 不符合 (ids)


def roll_up(items: Iterable[GradedItem], rule: GradingRule,
            ignored: Iterable[str] = ("not_applicable",)) -> GradingResult:
    """The overall result of ``items`` under ``rule`` (see the module docstring)."""
    skip = set(ignored)
    graded = [i for i in items if i.grade and i.grade not in skip]
    counts = {g: sum(1 for i in graded if i.grade == g)
              for g in (CONFORM, BASICALLY_CONFORM, NOT_CONFORM)}
    total = len(graded)
    key_fail = tuple(i.item_id for i in graded if i.key and i.grade == NOT_CONFORM)
    key_basic = any(i.key and i.grade == BASICALLY_CONFORM for i in graded)
    if not total:
        return GradingResult(CONFORM, (NOTHING_GRADED,), counts, 0, ())

    def share_over(grade: str, limit: float | None) -> bool:
        return limit is not None and counts[grade] / total > limit

    fail = [reason for reason, holds in (
        (KEY_NOT_CONFORM, rule.key_item_not_conform and bool(key_fail)),
        (NOT_CONFORM_SHARE, share_over(NOT_CONFORM, rule.not_conform_share_over)),
    ) if holds]
    if fail:
        return GradingResult(NOT_CONFORM, tuple(fail), counts, total, key_fail)
    basic = [reason for reason, holds in (
        (ANY_NOT_CONFORM, rule.any_not_conform and counts[NOT_CONFORM] > 0),
        (KEY_BASICALLY_CONFORM, rule.key_item_basically_conform and key_basic),
        (BASICALLY_CONFORM_SHARE, share_over(BASICALLY_CONFORM, rule.basically_conform_share_over)),
    ) if holds]
    return GradingResult(BASICALLY_CONFORM if basic else CONFORM, tuple(basic), counts, total,
                         key_fail)


def load_grading(path: Path | None = None) -> Grading:
    """The grading rules: the shipped file (cached) or ``path``; ``DataFileError`` if malformed."""
    return _shipped() if path is None else _read(Path(path))


@lru_cache(maxsize=1)
def _shipped() -> Grading:
    return _read(resources_dir() / RESOURCE)


def _read(path: Path) -> Grading:
    data = load_data_file(path)
    where = str(path)
    try:
        grades = tuple(str(g) for g in data["grades"])
        ignored = tuple(str(g) for g in data.get("ignored_answers") or ())
        rules = tuple(_rule(raw) for raw in data["rule_sets"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(where, f"grading rules are malformed: {type(exc).__name__}: {exc}"
                            ) from exc
    if set(grades) != {CONFORM, BASICALLY_CONFORM, NOT_CONFORM}:
        raise DataFileError(where, f"grades must be {CONFORM}, {BASICALLY_CONFORM}, {NOT_CONFORM}")
    return Grading(grades, ignored, rules)


def _rule(raw: dict[str, Any]) -> GradingRule:
    fail, basic = dict(raw.get("not_conform") or {}), dict(raw.get("basically_conform") or {})
    for block, allowed in ((fail, _FAIL_KEYS), (basic, _BASIC_KEYS)):
        unknown = set(block) - set(allowed)
        if unknown:
            raise ValueError(f"rule set {raw.get('id')!r}: unknown condition(s) {sorted(unknown)}")

    def share(block: dict[str, Any], key: str) -> float | None:
        value = block.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            raise ValueError(f"rule set {raw.get('id')!r}: {key} must be a share in [0, 1)")
        return float(value)

    return GradingRule(
        id=str(raw["id"]), kinds=tuple(str(k) for k in raw["kinds"]),
        key_item_not_conform=bool(fail.get(KEY_NOT_CONFORM, False)),
        not_conform_share_over=share(fail, NOT_CONFORM_SHARE),
        any_not_conform=bool(basic.get(ANY_NOT_CONFORM, False)),
        key_item_basically_conform=bool(basic.get(KEY_BASICALLY_CONFORM, False)),
        basically_conform_share_over=share(basic, BASICALLY_CONFORM_SHARE))


__all__ = ["BASICALLY_CONFORM", "CONFORM", "NOT_CONFORM", "GradedItem", "Grading", "GradingResult",
           "GradingRule", "load_grading", "roll_up"]
