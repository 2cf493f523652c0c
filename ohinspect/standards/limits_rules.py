"""GBZ 2.1-2019 ch. 6 as data (``gbz2_1_2019_judgement.yaml``: peak exposure, C_STE window,
reduction factor, "< LOD" policy) with the action level and exposure grades
(``exposure_grading.yaml``): :class:`JudgementRules` and :func:`load_judgement_rules`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohinspect.paths import resources_dir
from ohinspect.resources import load_data_file
from ohinspect.standards.limits_records import _pick
from ohinspect.standards.limits_rows import _is_number
from ohinspect.standards.limits_tagged import TaggedValues
from ohinspect.standards.table_file import RowReader, TableFile

JUDGEMENT_RESOURCE = "standards/gbz2_1_2019_judgement.yaml"
GRADING_RESOURCE = "standards/exposure_grading.yaml"
BELOW_LOD_POLICIES = ("half_lod", "lod", "zero", "not_judged")


@dataclass(frozen=True)
class ReductionFactorRule:
    """Constants of RF = (reference_hours / h) × (period_hours − h) / recovery_hours, applied to
    PC-TWA when the exposure h exceeds reference_hours (GBZ 2.1-2019; formula [U])."""

    reference_hours: float
    period_hours: float
    recovery_hours: float


@dataclass(frozen=True)
class JudgementRules:
    """GBZ 2.1-2019 ch. 6 as data: the peak-exposure rule for PC-TWA-only substances and dusts
    (excursions above ``excursion_multiple`` × PC-TWA at most ``excursion_max_minutes`` each, at
    most ``excursion_max_count`` a shift, at least ``excursion_min_gap_hours`` apart, never above
    ``ceiling_multiple`` × PC-TWA), the C_STE window, plus the action level and exposure grades
    of ``exposure_grading.yaml``. ``grades`` are ``(upper ratio, code, label_zh)`` with
    inclusive upper bounds, the last one ``math.inf``.

    The fields after ``grades`` have defaults only so that rules can be built by hand in tests;
    ``load_judgement_rules`` sets every one of them from the files."""

    excursion_multiple: float
    excursion_max_minutes: float
    excursion_max_count: int
    excursion_min_gap_hours: float
    ceiling_multiple: float
    stel_window_minutes: float
    action_level: float
    grades: tuple[tuple[float, str, str], ...]
    rf_day: ReductionFactorRule | None = None
    rf_week: ReductionFactorRule | None = None
    #: how a "< LOD" result enters a calculation: half_lod | lod | zero | not_judged ([U])
    below_lod_policy: str = "half_lod"
    shift_hours: float = 8.0
    week_hours: float = 40.0
    #: C_STE of a sample shorter than the window is still divided by the window ([U] formula)
    divide_by_stel_window: bool = True
    grade_labels_en: tuple[tuple[str, str], ...] = ()
    #: dotted keys of the values tagged [U] in the files
    unverified: tuple[str, ...] = ()

    def grade_label(self, code: str, language: str | None = None) -> str:
        """The label of grade ``code`` in ``language`` (default: the current one)."""
        zh = next((label for _, c, label in self.grades if c == code), code)
        en = dict(self.grade_labels_en).get(code, zh)
        return _pick(zh, en, language)


def load_judgement_rules(
    path: Path | str | None = None, grading_path: Path | str | None = None
) -> JudgementRules:
    """The judgement rules (``gbz2_1_2019_judgement.yaml``) with the action level and grades
    (``exposure_grading.yaml``): the shipped files (cached) unless paths are given; a file that
    is not given is the shipped one."""
    if path is None and grading_path is None:
        return _JUDGEMENT.load()
    return _load_judgement(
        Path(path) if path is not None else resources_dir() / JUDGEMENT_RESOURCE,
        Path(grading_path) if grading_path is not None else resources_dir() / GRADING_RESOURCE,
    )


def _load_judgement(path: Path, grading_path: Path | None = None) -> JudgementRules:
    if grading_path is None:
        grading_path = resources_dir() / GRADING_RESOURCE
    values = TaggedValues(path, load_data_file(path))
    rf: dict[str, ReductionFactorRule] = {}
    for period in ("day", "week"):
        key = f"reduction_factor.{period}"
        rf[period] = ReductionFactorRule(
            values.number(f"{key}.reference_hours"),
            values.number(f"{key}.period_hours"),
            values.number(f"{key}.recovery_hours"),
        )
        if rf[period].period_hours <= rf[period].reference_hours:
            raise values.fail(f"{key}.period_hours", "> reference_hours")
    allowed = values.node("below_lod.allowed")
    if not isinstance(allowed, list) or not set(allowed) <= set(BELOW_LOD_POLICIES):
        raise values.fail("below_lod.allowed", ", ".join(BELOW_LOD_POLICIES))
    excursion, ceiling = (values.number("peak_exposure.excursion_multiple"),
                          values.number("peak_exposure.ceiling_multiple"))
    if ceiling <= excursion:
        raise values.fail("peak_exposure.ceiling_multiple", "> excursion_multiple")
    grading = TaggedValues(grading_path, load_data_file(grading_path))
    action_level = grading.number("action_level")
    if action_level >= 1:
        raise grading.fail("action_level", "0 < value < 1")
    grades, labels_en = _grades(grading_path, grading.data)
    return JudgementRules(
        excursion_multiple=excursion,
        excursion_max_minutes=values.number("peak_exposure.excursion_max_minutes"),
        excursion_max_count=int(values.number("peak_exposure.excursion_max_count", integer=True)),
        excursion_min_gap_hours=values.number("peak_exposure.excursion_min_gap_hours"),
        ceiling_multiple=ceiling,
        stel_window_minutes=values.number("short_term.stel_window_minutes"),
        action_level=action_level,
        grades=grades,
        rf_day=rf["day"],
        rf_week=rf["week"],
        below_lod_policy=values.choice("below_lod.policy", allowed),
        shift_hours=values.number("twa.shift_hours"),
        week_hours=values.number("twa.week_hours"),
        divide_by_stel_window=values.flag("short_term.divide_by_window_when_shorter"),
        grade_labels_en=labels_en,
        unverified=(*values.unverified, *grading.unverified),
    )


def _grades(
    path: Path, data: Mapping[str, Any]
) -> tuple[tuple[tuple[float, str, str], ...], tuple[tuple[str, str], ...]]:
    reader = RowReader(path, "grades")
    rows = list(reader.rows(data))
    grades: list[tuple[float, str, str]] = []
    labels_en: list[tuple[str, str]] = []
    previous = 0.0
    for index, item in rows:
        code = reader.require(index, item, ("code", "label_zh", "label_en"),
                              {"code", "upper", "label_zh", "label_en"}, blank_only=True)
        reader.check_unique(index, code)
        upper = item.get("upper")
        last = index == len(rows)
        if last and upper is None:
            bound = math.inf
        elif not last and _is_number(upper) and upper > previous:
            bound = float(upper)
        else:
            raise reader.fail("limits.table.order", index, code, field="upper")
        previous = bound
        grades.append((bound, code, str(item["label_zh"])))
        labels_en.append((code, str(item["label_en"])))
    return tuple(grades), tuple(labels_en)


_JUDGEMENT = TableFile(JUDGEMENT_RESOURCE, _load_judgement)
