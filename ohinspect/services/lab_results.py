"""Laboratory results for air samples: entered by hand or imported from the lab's CSV file.

A result belongs to one sample and one analyte (a hazard-factor code of the 2015 catalogue, or
:data:`FREE_SILICA` for the free-SiO₂ content of a dust sample). It is stored as the lab
reported it (value, "<LOD" flag, LOD, unit) with its provenance (manual, or csv + file name +
line); the concentration in mg/m³ is worked out by the evaluation (``services/evaluation.py``)
from the result and the sample's volume, every time it is asked.

Results are never edited (a trigger forbids UPDATE): a correction is a new row whose
``supersedes_id`` names the result it replaces. The *current* result of a sample and analyte is
the newest one that no other result supersedes; the superseded ones stay for the record.

The CSV format is documented in ``docs/results-csv.md``. The import is all or nothing: every
row is checked first and any bad row means nothing is written, with every bad row reported by
its line number; a valid file is written in one unit of work.

The code lives in siblings; import from here: :mod:`~ohinspect.services.lab_results_units`
(analytes, units, the sample's volume, ``describe``), :mod:`~ohinspect.services.lab_results_current`
(current results and history), :mod:`~ohinspect.services.lab_results_checks` (checking one
result), :mod:`~ohinspect.services.lab_results_manual` (results entered by hand),
:mod:`~ohinspect.services.lab_results_csv` (the CSV format, reading the file, the rejection) and
:mod:`~ohinspect.services.lab_results_import` (the import).
"""

from __future__ import annotations

from ohinspect.services.lab_results_checks import check_result
from ohinspect.services.lab_results_csv import (CSV_COLUMNS, CSV_HEADINGS_ZH, CSV_REQUIRED,
                                                LineProblems, ResultsImportRejected, read_csv_text)
from ohinspect.services.lab_results_current import (RECORD, current_results, pick_current,
                                                    result_history)
from ohinspect.services.lab_results_import import CHUNK, import_results_csv
from ohinspect.services.lab_results_manual import ResultInput, add_result
from ohinspect.services.lab_results_units import (FREE_SILICA, MASS_UNITS, UNIT_SPELLINGS,
                                                  UNITS_BY_KIND, analyte_kind, describe,
                                                  normalise_unit, resolve_analyte, sample_volume_l)

__all__ = [
    "CHUNK", "CSV_COLUMNS", "CSV_HEADINGS_ZH", "CSV_REQUIRED", "FREE_SILICA", "MASS_UNITS",
    "RECORD", "UNIT_SPELLINGS", "UNITS_BY_KIND", "LineProblems", "ResultInput",
    "ResultsImportRejected", "check_result", "add_result", "analyte_kind", "current_results", "describe",
    "import_results_csv", "normalise_unit", "pick_current", "read_csv_text", "resolve_analyte",
    "result_history", "sample_volume_l",
]
