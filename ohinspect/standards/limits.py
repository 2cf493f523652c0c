"""Occupational exposure limits and the rules for judging exposure against them, read from
``resources/standards/`` (shared/DOMAIN.md §3).

- GBZ 2.1-2019 《工作场所有害因素职业接触限值 第1部分：化学有害因素》: Table 1 chemical
  substances (``gbz2_1_2019_chemicals.yaml``) with 第1号修改单 (2022: benzene PC-TWA 6 → 3,
  PC-STEL 10 → 6 mg/m³) and 第2号修改单 (in force 2025-05-01: acetochlor PC-TWA 0.12 mg/m³);
  Table 2 dusts (``gbz2_1_2019_dusts.yaml``); chapter 6, the application of the limits and the
  peak-exposure rule (峰接触浓度, replacing the excursion multiple 超限倍数) as data
  (``gbz2_1_2019_judgement.yaml``), with the action level and exposure grades
  (``exposure_grading.yaml``).
- GBZ 2.2-2007 《… 第2部分：物理因素》: noise (``gbz2_2_2007_physical.yaml``).

Every row and value says how sure it is: ``verified`` is True for values confirmed by a
secondary source (DOMAIN's [C*]; none is yet checked against the official text) and False for
DOMAIN's [U]; rule values carry a tag ``C`` / ``C*`` / ``U`` and the [U] ones are listed in
``unverified``. This module only reads and validates; the arithmetic is ``ohinspect.hygiene``'s.

The public API is importable from here; the code lives in siblings:
:mod:`~ohinspect.standards.limits_records` (``ChemicalLimit``, ``DustLimit``, ``LimitsTable``),
:mod:`~ohinspect.standards.limits_chemicals` (Table 1 rows),
:mod:`~ohinspect.standards.limits_dusts` (Table 2 rows),
:mod:`~ohinspect.standards.limits_rows` (row checks shared by both tables),
:mod:`~ohinspect.standards.limits_tagged` (``TaggedValues``, the tagged rule values),
:mod:`~ohinspect.standards.limits_rules` (``JudgementRules`` and its loader) and
:mod:`~ohinspect.standards.limits_noise` (``NoiseLimits`` and its loader). This module loads
the two tables (:func:`load_limits`).
"""

from __future__ import annotations

from pathlib import Path

from ohinspect.errors import DataFileError
from ohinspect.i18n import tr
from ohinspect.resources import load_data_file
from ohinspect.standards.limits_chemicals import _chemicals
from ohinspect.standards.limits_dusts import _dusts
from ohinspect.standards.limits_noise import NOISE_RESOURCE, NoiseLimits, load_noise_limits
from ohinspect.standards.limits_records import ChemicalLimit, DustLimit, LimitsTable
from ohinspect.standards.limits_rules import (BELOW_LOD_POLICIES, GRADING_RESOURCE,
                                              JUDGEMENT_RESOURCE, JudgementRules,
                                              ReductionFactorRule, load_judgement_rules)
from ohinspect.standards.limits_tagged import TAGS, TaggedValues
from ohinspect.standards.table_file import TableFile

__all__ = [
    "BELOW_LOD_POLICIES", "CHEMICALS_FILE", "DUSTS_FILE", "GRADING_RESOURCE", "JUDGEMENT_RESOURCE",
    "NOISE_RESOURCE", "TAGS", "ChemicalLimit", "DustLimit", "JudgementRules", "LimitsTable",
    "NoiseLimits", "ReductionFactorRule", "TaggedValues", "load_judgement_rules", "load_limits",
    "load_noise_limits",
]

CHEMICALS_FILE = "gbz2_1_2019_chemicals.yaml"
DUSTS_FILE = "gbz2_1_2019_dusts.yaml"


def load_limits(path: Path | str | None = None) -> LimitsTable:
    """GBZ 2.1-2019 chemical and dust limits: the shipped files (cached) unless ``path`` is given.

    ``path`` is a folder holding ``gbz2_1_2019_chemicals.yaml`` and ``gbz2_1_2019_dusts.yaml``,
    or one file with a ``chemicals`` and/or a ``dusts`` section. A malformed row raises
    ``DataFileError`` naming the file, section and row."""
    return _LIMITS.load(path)


def _load_limits(path: Path) -> LimitsTable:
    if path.is_dir():
        chem_file, dust_file = path / CHEMICALS_FILE, path / DUSTS_FILE
        chem_data, dust_data = load_data_file(chem_file), load_data_file(dust_file)
        chemicals, superseded = _chemicals(chem_file, chem_data)
        dusts = _dusts(dust_file, dust_data)
        return LimitsTable(chemicals, dusts, superseded, chem_data["meta"], dust_data["meta"])
    data = load_data_file(path)
    if "chemicals" not in data and "dusts" not in data:
        raise DataFileError(str(path), tr("standards.rows.missing", section="chemicals / dusts"))
    chemicals, superseded = _chemicals(path, data) if "chemicals" in data else ([], [])
    dusts = _dusts(path, data) if "dusts" in data else []
    return LimitsTable(chemicals, dusts, superseded, data["meta"], data["meta"])


_LIMITS = TableFile("standards", _load_limits)
