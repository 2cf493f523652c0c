"""Display texts for codes (division, industry, risk class) and the choice lists of the combos.

Pure Python over the standards tables: the screens' tables, filter bars and editors share
these, so a code is shown the same way everywhere. Nothing here imports Qt.
"""

from __future__ import annotations

from functools import lru_cache

from ohinspect.i18n import current_language
from ohinspect.standards.classifications import load_classifications
from ohinspect.standards.divisions import load_divisions
from ohinspect.standards.industries import load_industries


@lru_cache(maxsize=8192)
def _division_name(code: str, language: str) -> str:
    try:
        return load_divisions().full_name(code, language)
    except (KeyError, ValueError):
        return code


def division_name(code: str) -> str:
    """``甘肃省庆阳市合水县`` (or the bare code when the table does not know it)."""
    return _division_name(code, current_language()) if code else ""


def division_label(code: str) -> str:
    """``甘肃省庆阳市合水县 621024``: what the combos show and search in."""
    return f"{division_name(code)} {code}"


def division_choices() -> list[tuple[str, str]]:
    """Every division in tree order (province, its prefectures, their counties)."""
    return [(d.code, division_label(d.code)) for d in load_divisions()]


def industry_name(code: str) -> str:
    row = load_industries().get(code) if code else None
    if row is None:
        return code
    return row.name if current_language() == "zh_CN" else row.name_en


def industry_choices(*, filter_levels: bool = False) -> list[tuple[str, str]]:
    """``(code, "code name")``; the filter offers sections and divisions only."""
    levels = ("section", "division") if filter_levels else None
    return load_industries().choices(current_language(), levels)  # type: ignore[arg-type]


def risk_label(rule_set: str, code: str) -> str:
    return load_classifications().risk_label(rule_set, code) if code else ""






def rule_set_choices() -> list[tuple[str, str]]:
    return [(r.code, r.label()) for r in load_classifications().risk_rule_sets]


def risk_class_choices(rule_set: str) -> list[tuple[str, str]]:
    rs = load_classifications().rule_set(rule_set)
    return [(c.code, c.label()) for c in rs.classes] if rs else []


def default_rule_set() -> str:
    return load_classifications().default_rule_set.code
