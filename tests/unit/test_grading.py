"""Rolling audit item grades up to an overall result (resources/checklists/grading.yaml).

Every expected result below is worked by hand from the rule in grading.py's docstring.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ohinspect.checklists.grading import (BASICALLY_CONFORM, CONFORM, NOT_CONFORM, GradedItem,
                                          GradingRule, load_grading, roll_up)
from ohinspect.errors import DataFileError

WORKPLACE = load_grading().rule_for("workplace_audit")        # fail > 20 %, basic > 20 %
INSTITUTION = load_grading().rule_for("institution_audit")    # fail > 15 %, basic > 10 %


def _items(*grades: str, key: tuple[int, ...] = ()) -> list[GradedItem]:
    return [GradedItem(f"i{n}", g, n in key) for n, g in enumerate(grades)]


def test_the_shipped_rules_are_the_documented_ones() -> None:
    grading = load_grading()
    assert grading.grades == (CONFORM, BASICALLY_CONFORM, NOT_CONFORM)
    assert grading.ignored_answers == ("not_applicable",)
    assert (WORKPLACE.not_conform_share_over, WORKPLACE.basically_conform_share_over) == (0.2, 0.2)
    assert (INSTITUTION.not_conform_share_over,
            INSTITUTION.basically_conform_share_over) == (0.15, 0.1)
    with pytest.raises(KeyError):
        grading.rule_for("three_simultaneities")


def test_all_conform_is_conform() -> None:
    result = roll_up(_items(*[CONFORM] * 10), WORKPLACE)
    assert (result.overall, result.reasons, result.graded) == (CONFORM, (), 10)


def test_one_key_item_not_conform_fails_the_audit_alone() -> None:
    # 1 of 10 不符合 (10 % ≤ 20 %), but it is a key item → 不符合
    result = roll_up(_items(NOT_CONFORM, *[CONFORM] * 9, key=(0,)), WORKPLACE)
    assert result.overall == NOT_CONFORM
    assert result.reasons == ("key_item_not_conform",)
    assert result.key_failures == ("i0",)


def test_the_same_item_not_key_only_lowers_to_basically_conform() -> None:
    result = roll_up(_items(NOT_CONFORM, *[CONFORM] * 9), WORKPLACE)
    assert (result.overall, result.reasons) == (BASICALLY_CONFORM, ("any_not_conform",))


def test_share_of_not_conform_exactly_at_the_limit_is_not_over_it() -> None:
    # workplace: 2 of 10 = 20 % → not > 20 % → 基本符合; 3 of 10 = 30 % → 不符合
    assert roll_up(_items(NOT_CONFORM, NOT_CONFORM, *[CONFORM] * 8), WORKPLACE).overall \
        == BASICALLY_CONFORM
    result = roll_up(_items(*[NOT_CONFORM] * 3, *[CONFORM] * 7), WORKPLACE)
    assert (result.overall, result.reasons) == (NOT_CONFORM, ("not_conform_share_over",))
    # institution is stricter: 2 of 10 = 20 % > 15 % → 不符合
    assert roll_up(_items(NOT_CONFORM, NOT_CONFORM, *[CONFORM] * 8), INSTITUTION).overall \
        == NOT_CONFORM


def test_basically_conform_share_and_key_items() -> None:
    # institution: 1 of 10 基本符合 = 10 % → not > 10 % → 符合; 2 of 10 → 基本符合
    assert roll_up(_items(BASICALLY_CONFORM, *[CONFORM] * 9), INSTITUTION).overall == CONFORM
    result = roll_up(_items(BASICALLY_CONFORM, BASICALLY_CONFORM, *[CONFORM] * 8), INSTITUTION)
    assert (result.overall, result.reasons) == (BASICALLY_CONFORM, ("basically_conform_share_over",))
    # the single 基本符合 on a key item → 基本符合
    result = roll_up(_items(BASICALLY_CONFORM, *[CONFORM] * 9, key=(0,)), INSTITUTION)
    assert (result.overall, result.reasons) == (BASICALLY_CONFORM, ("key_item_basically_conform",))


def test_not_applicable_is_left_out_of_the_shares() -> None:
    # 2 不符合 of 12 answers, but 4 are 不适用: 2 of 8 graded = 25 % > 20 % → 不符合
    items = _items(NOT_CONFORM, NOT_CONFORM, *["not_applicable"] * 4, *[CONFORM] * 6)
    result = roll_up(items, WORKPLACE)
    assert (result.overall, result.graded) == (NOT_CONFORM, 8)
    assert result.counts == {CONFORM: 6, BASICALLY_CONFORM: 0, NOT_CONFORM: 2}
    nothing = roll_up(_items("not_applicable", "not_applicable"), WORKPLACE)
    assert (nothing.overall, nothing.reasons, nothing.graded) == (CONFORM, ("nothing_graded",), 0)


def test_conditions_switched_off_in_the_data_do_not_apply() -> None:
    lenient = GradingRule("x", ("x",), key_item_not_conform=False, not_conform_share_over=None,
                          any_not_conform=False, key_item_basically_conform=False,
                          basically_conform_share_over=None)
    assert roll_up(_items(NOT_CONFORM, CONFORM, key=(0,)), lenient).overall == CONFORM


def test_malformed_grading_files_are_refused(tmp_path: Path) -> None:
    base = ("meta: {id: g, title: g, source: s, edition: '1', version: 1}\n"
            "grades: [conform, basically_conform, not_conform]\n")
    bad = tmp_path / "g.yaml"
    bad.write_text(base + "rule_sets:\n  - {id: a, kinds: [a], not_conform: {sometimes: true}}\n",
                   encoding="utf-8")
    with pytest.raises(DataFileError, match="sometimes"):
        load_grading(bad)
    bad.write_text(base + "rule_sets:\n  - id: a\n    kinds: [a]\n"
                   "    not_conform: {not_conform_share_over: 1.5}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="share"):
        load_grading(bad)
    good = tmp_path / "ok.yaml"
    good.write_text(base + "rule_sets:\n  - id: a\n    kinds: [a]\n"
                    "    not_conform: {not_conform_share_over: 0.5}\n", encoding="utf-8")
    assert load_grading(good).rule_for("a").not_conform_share_over == 0.5
