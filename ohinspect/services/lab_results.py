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
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, NotFoundError, OHInspectError, ValidationError
from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import LabResult, Sample
from ohinspect.store.uow import Actor

RECORD = LabResult.__record_type__
CHUNK = 200

#: pseudo-analyte: the free-SiO₂ content (%) of a dust sample, which picks the silica limit row
FREE_SILICA = "lab.free_silica"
_FREE_SILICA_NAMES = ("游离二氧化硅", "游离sio2", "free silica", "free sio2", "sio2")

#: stored unit codes (the model's vocabulary) and the spellings accepted for each
#: (compared after Unicode NFKC normalisation and case folding: "mg/m³" → "mg/m3", "µg" → "μg")
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "mg/m³": ("mg/m³", "mg/m3", "mg/m^3", "mg/cum", "毫克/立方米"),
    "ug": ("ug", "µg", "μg", "微克"),
    "mg": ("mg", "毫克"),
    "ppm": ("ppm",),
    "f/mL": ("f/ml", "f/cm3", "f/cc", "根/ml", "根/毫升"),
    "%": ("%", "百分比"),
}
_UNIT_LOOKUP = {unicodedata.normalize("NFKC", s).casefold(): code
                for code, spellings in UNIT_SPELLINGS.items() for s in spellings}
#: which units a result may have, by kind of analyte (see docs/results-csv.md)
UNITS_BY_KIND: dict[str, tuple[str, ...]] = {
    "chemical": ("mg/m³", "ug", "mg", "ppm"),
    "dust": ("mg/m³", "ug", "mg"),
    "fibre": ("mg/m³", "ug", "mg", "f/mL"),   # dusts whose limit is also given in fibres/mL
    "silica": ("%",),
}
MASS_UNITS = {"ug": 1.0, "mg": 1000.0}      # → µg
_NOT_DETECTED = {"nd", "n.d.", "未检出", "<lod", "<dl"}
_LT = re.compile(r"^<\s*(.+)$")

CSV_COLUMNS = ("sample_number", "analyte", "result", "unit", "lod", "method", "lab",
               "lab_sample_id", "analysed_on")
CSV_REQUIRED = ("sample_number", "analyte", "result", "unit")
#: Chinese column headings accepted as well (the lab's export or a hand-made sheet)
CSV_HEADINGS_ZH = {"样品编号": "sample_number", "检测项目": "analyte", "检测结果": "result",
                   "结果": "result", "单位": "unit", "检出限": "lod", "检测方法": "method",
                   "实验室": "lab", "实验室编号": "lab_sample_id", "分析日期": "analysed_on"}


@dataclass
class ResultInput:
    sample_id: str
    analyte: str
    value: float | str | None
    below_lod: bool = False
    lod: float | str | None = None
    unit: str = "mg/m³"
    method: str = ""
    lab_sample_id: str = ""
    lab: str = ""
    analysed_on: date | str | None = None


@dataclass(frozen=True)
class LineProblems:
    line: int                      # line of the file (the heading is line 1)
    problems: tuple[str, ...]      # localised messages

    def text(self) -> str:
        return tr("results.import.line", line=self.line,
                  problems=tr("results.import.sep").join(self.problems))


class ResultsImportRejected(OHInspectError):
    """At least one line of the file is bad; nothing was imported."""

    def __init__(self, path: Path, lines: list[LineProblems]) -> None:
        self.path, self.lines = path, lines
        head = tr("results.import.rejected", file=path.name, count=len(lines))
        super().__init__(head + "\n" + "\n".join(p.text() for p in lines))


# ------------------------------------------------------------------ reading helpers

def current_results(session: Session, sample_ids: Iterable[str]) -> dict[tuple[str, str], LabResult]:
    """``(sample_id, analyte) → result`` for the current results of these samples: the newest
    result that no other result supersedes (superseded results are kept, but not returned)."""
    ids = list(dict.fromkeys(sample_ids))
    rows: list[LabResult] = []
    for start in range(0, len(ids), 900):      # SQLite's bound-parameter limit
        rows += session.scalars(select(LabResult).where(
            LabResult.sample_id.in_(ids[start:start + 900]), LabResult.deleted_at.is_(None)))
    return pick_current(rows)


def pick_current(rows: Iterable[LabResult]) -> dict[tuple[str, str], LabResult]:
    """The current result per ``(sample_id, analyte)`` among ``rows``."""
    rows = list(rows)
    superseded = {r.supersedes_id for r in rows if r.supersedes_id}
    current: dict[tuple[str, str], LabResult] = {}
    for r in rows:
        if r.id in superseded:
            continue
        key = (r.sample_id, r.analyte)
        best = current.get(key)
        if best is None or (r.created_at, r.change_seq) > (best.created_at, best.change_seq):
            current[key] = r
    return current


def result_history(session: Session, sample_id: str, analyte: str) -> list[LabResult]:
    """Every result of a sample and analyte, oldest first (superseded ones included)."""
    return list(session.scalars(select(LabResult).where(
        LabResult.sample_id == sample_id, LabResult.analyte == analyte).order_by(
        LabResult.created_at, LabResult.change_seq)))


def analyte_kind(code: str) -> str | None:
    """chemical | dust | fibre | silica, or None when the code is no lab analyte."""
    if code == FREE_SILICA:
        return "silica"
    from ohinspect.standards.hazards import load_hazard_catalogue

    factor = load_hazard_catalogue().get(code)
    if factor is None or factor.category not in ("chemical", "dust"):
        return None
    if factor.category == "dust":
        return "fibre" if _has_fibre_limit(code) else "dust"
    return "chemical"


def _has_fibre_limit(code: str) -> bool:
    from ohinspect.standards.limits import load_limits

    return any(row.fibre_twa is not None for row in load_limits().dust_bands(code))


def resolve_analyte(text: str) -> str | None:
    """A hazard code (``chem.benzene``), its Chinese or English name (``苯``), or free silica."""
    from ohinspect.standards.hazards import load_hazard_catalogue

    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        return None
    folded = raw.casefold()
    if folded == FREE_SILICA or folded.replace("₂", "2") in _FREE_SILICA_NAMES:
        return FREE_SILICA
    catalogue = load_hazard_catalogue()
    factor = catalogue.get(raw) or catalogue.get(folded)
    if factor is None:
        matches = [f for f in catalogue.factors
                   if unicodedata.normalize("NFKC", f.name_zh) == raw or f.name_en.casefold() == folded]
        factor = matches[0] if len(matches) == 1 else None
    if factor is None or factor.category not in ("chemical", "dust"):
        return None
    return factor.code


def normalise_unit(text: str) -> str | None:
    return _UNIT_LOOKUP.get(unicodedata.normalize("NFKC", str(text or "")).strip().casefold())


def sample_volume_l(sample: Sample) -> float | None:
    """The volume a mass is divided by: the standard volume when one was worked out (sampling
    outside the GBZ 159 temperature/pressure range), else the sampled volume."""
    for v in (sample.standard_volume_l, sample.volume_l):
        if v is not None and v > 0:
            return v
    return None


# ------------------------------------------------------------------ validation

def _number(text: object) -> float | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        try:
            value = float(unicodedata.normalize("NFKC", str(text)).strip())
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _parse_date(value: date | str | None) -> tuple[date | None, bool]:
    if value is None or value == "":
        return None, True
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text), True
    except ValueError:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])), True
            except ValueError:
                pass
        return None, False


@dataclass
class _Checked:
    clean: dict[str, Any]
    problems: list[FieldProblem]


def _problem(field: str, key: str, **values: object) -> FieldProblem:
    return FieldProblem(field, key, tr(key, **values))


def _check(sample: Sample | None, analyte_text: str, value: object, below_lod: bool,
           lod: object, unit_text: str, *, method: str = "", lab_sample_id: str = "",
           lab: str = "", analysed_on: date | str | None = None) -> _Checked:
    """Check one result against its sample and the limits table; no database access."""
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {"method": str(method or "").strip(),
                             "lab_sample_id": str(lab_sample_id or "").strip(),
                             "lab": str(lab or "").strip()}
    for field, size in (("lab_sample_id", 60), ("lab", 200)):
        if len(clean[field]) > size:
            problems.append(_problem(field, "field.too_long", max=size))
    if sample is None:
        problems.append(_problem("sample_id", "results.error.sample_unknown"))

    analyte = resolve_analyte(analyte_text)
    kind = analyte_kind(analyte) if analyte else None
    if not str(analyte_text or "").strip():
        problems.append(_problem("analyte", "field.required"))
    elif analyte is None:
        problems.append(_problem("analyte", "results.error.analyte_unknown",
                                 analyte=str(analyte_text).strip()))
    clean["analyte"] = analyte

    # value, "<LOD", LOD
    lod_value: float | None = None
    if lod not in (None, ""):
        lod_value = _number(lod)
        if lod_value is None or lod_value <= 0:
            problems.append(_problem("lod", "results.error.bad_lod", value=str(lod).strip()))
            lod_value = None
    number: float | None = None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text.casefold() in _NOT_DETECTED:
            below_lod = True
        elif (m := _LT.match(text)) is not None:
            below_lod = True
            given = _number(m.group(1))
            if given is None or given <= 0:
                problems.append(_problem("value", "results.error.bad_number", value=text))
            elif lod_value is None:
                lod_value = given
        elif text == "":
            if not below_lod:
                problems.append(_problem("value", "field.required"))
        else:
            number = _number(text)
            if number is None:
                problems.append(_problem("value", "results.error.bad_number", value=text))
    elif value is not None:
        number = _number(value)
        if number is None:
            problems.append(_problem("value", "results.error.bad_number", value=str(value)))
    elif not below_lod:
        problems.append(_problem("value", "field.required"))
    if below_lod and number is not None:     # "below LOD" with a number: the number is the LOD
        lod_value = lod_value if lod_value is not None else number
        number = None
    if number is not None and number < 0:
        problems.append(_problem("value", "results.error.negative"))
    if below_lod and lod_value is None and not any(p.field in ("value", "lod") for p in problems):
        problems.append(_problem("lod", "results.error.lod_required"))
    clean.update(value=None if below_lod else number, below_lod=bool(below_lod), lod=lod_value)

    # unit, for this kind of analyte and this sample
    unit = normalise_unit(unit_text)
    clean["unit"] = unit
    if not str(unit_text or "").strip():
        problems.append(_problem("unit", "field.required"))
    elif unit is None:
        problems.append(_problem("unit", "results.error.unit_unknown", unit=str(unit_text).strip(),
                                 units=", ".join(UNIT_SPELLINGS)))
    elif kind is not None:
        allowed = UNITS_BY_KIND[kind]
        if unit not in allowed:
            problems.append(_problem("unit", "results.error.unit_mismatch", unit=unit,
                                     analyte=analyte, units=", ".join(allowed)))
        elif unit == "ppm" and analyte:
            from ohinspect.standards.limits import load_limits

            limits = load_limits()
            limit = limits.chemical(analyte)
            if limit is None or not limit.molecular_weight or not limits.molar_volume_l:
                problems.append(_problem("unit", "results.error.ppm_without_mw", analyte=analyte))
        elif unit in MASS_UNITS and sample is not None and sample.kind != "blank" \
                and sample_volume_l(sample) is None:
            problems.append(_problem("unit", "results.error.mass_without_volume",
                                     sample=sample.sample_number))
    if unit == "%" and number is not None and number > 100:
        problems.append(_problem("value", "results.error.percent_range"))
    if kind == "silica" and sample is not None and analyte_kind(sample.hazard_code) not in ("dust", "fibre"):
        problems.append(_problem("analyte", "results.error.silica_not_dust",
                                 sample=sample.sample_number))

    day, ok = _parse_date(analysed_on)
    if not ok:
        problems.append(_problem("analysed_on", "results.error.bad_date", value=str(analysed_on)))
    clean["analysed_on"] = day
    return _Checked(clean, problems)


def _same(a: LabResult, clean: Mapping[str, Any]) -> bool:
    return all(getattr(a, k) == clean[k] for k in ("value", "below_lod", "lod", "unit", "method",
                                                    "lab_sample_id", "lab", "analysed_on"))


def describe(result: LabResult | Mapping[str, Any]) -> str:
    """``0.82 mg/m³`` or ``<0.05 ug`` for messages."""
    get = result.get if isinstance(result, Mapping) else lambda k: getattr(result, k)
    unit = "µg" if get("unit") == "ug" else get("unit")
    if get("below_lod"):
        return f"<{_fmt(get('lod'))} {unit}"
    return f"{_fmt(get('value'))} {unit}"


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.6g}"


# ------------------------------------------------------------------ writing

def add_result(store: Store, actor: Actor, data: ResultInput, *,
               supersedes_id: str | None = None) -> OpResult:
    """Record one result entered by hand; with ``supersedes_id`` it corrects that (current)
    result, which is kept. Without it, a sample/analyte that already has a current result is
    refused (a correction must say which result it replaces)."""
    with store.unit_of_work(actor) as uow:
        session = uow.session
        sample = session.get(Sample, data.sample_id) if data.sample_id else None
        if sample is not None and sample.is_deleted:
            sample = None
        checked = _check(sample, data.analyte, data.value, data.below_lod, data.lod, data.unit,
                         method=data.method, lab_sample_id=data.lab_sample_id, lab=data.lab,
                         analysed_on=data.analysed_on)
        problems = checked.problems
        clean = checked.clean
        if not problems and sample is not None:
            current = current_results(session, [sample.id]).get((sample.id, clean["analyte"]))
            if supersedes_id is None and current is not None:
                problems.append(_problem("value", "results.error.has_current",
                                         value=describe(current)))
            if supersedes_id is not None:
                old = session.get(LabResult, supersedes_id)
                if old is None:
                    raise NotFoundError(tr("record.not_found", record_id=supersedes_id))
                if old.sample_id != sample.id or old.analyte != clean["analyte"]:
                    problems.append(_problem("supersedes_id", "results.error.supersede_other"))
                elif current is None or current.id != old.id:
                    problems.append(_problem("supersedes_id", "results.error.supersede_old"))
        if problems:
            raise ValidationError(problems)
        result = LabResult(sample_id=sample.id, source="manual", supersedes_id=supersedes_id,
                           **clean)
        uow.record(result, "lab_result.correct" if supersedes_id else "lab_result.add",
                   {"supersedes_id": supersedes_id} if supersedes_id else None)
        uow.commit()
    return OpResult(changed(RECORD, result.id), result.id)


def read_csv_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (GBK/GB2312 files included)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OHInspectError(tr("results.import.unreadable", file=str(path),
                                reason=exc.strerror or str(exc))) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OHInspectError(tr("results.import.encoding", file=path.name))


@dataclass
class _Row:
    line: int
    sample: Sample | None
    clean: dict[str, Any]


def import_results_csv(store: Store, actor: Actor, path: Path,
                       reporter: Reporter | None = None) -> OpResult:
    """Import the lab's results file (docs/results-csv.md), all or nothing.

    Raises :class:`ResultsImportRejected` listing every bad line (nothing written). A row equal
    to the sample's current result is skipped; a row that differs from it supersedes it. The
    returned ``warnings`` name the skipped and superseding lines."""
    reporter = reporter or Reporter()
    path = Path(path)
    text = read_csv_text(path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    reader = csv.reader(io.StringIO(text, newline=""))
    bad: list[LineProblems] = []

    header_line, header = 0, None
    for fields in reader:
        if any(f.strip() for f in fields):
            header_line, header = reader.line_num, fields
            break
    if header is None:
        raise ResultsImportRejected(path, [LineProblems(1, (tr("results.import.empty"),))])
    columns: list[str | None] = []
    head_problems: list[str] = []
    for name in header:
        key = unicodedata.normalize("NFKC", name).strip()
        col = CSV_HEADINGS_ZH.get(key, key.casefold())
        if col not in CSV_COLUMNS:
            if key:
                head_problems.append(tr("results.import.unknown_column", column=key,
                                        columns=", ".join(CSV_COLUMNS)))
            columns.append(None)
            continue
        if col in columns:
            head_problems.append(tr("results.import.duplicate_column", column=key))
        columns.append(col)
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if missing:
        head_problems.append(tr("results.import.missing_columns", columns=", ".join(missing)))
    if head_problems:
        raise ResultsImportRejected(path, [LineProblems(header_line, tuple(head_problems))])

    records: list[tuple[int, dict[str, str]]] = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > len(columns) and any(f.strip() for f in fields[len(columns):]):
            bad.append(LineProblems(reader.line_num, (tr("results.import.too_many_fields",
                                                         count=len(fields), columns=len(columns)),)))
            continue
        row = {c: (fields[i].strip() if i < len(fields) else "")
               for i, c in enumerate(columns) if c is not None}
        records.append((reader.line_num, row))
    if not records and not bad:
        raise ResultsImportRejected(path, [LineProblems(header_line, (tr("results.import.no_rows"),))])

    with store.unit_of_work(actor) as uow:
        session = uow.session
        numbers = {r["sample_number"] for _, r in records if r["sample_number"]}
        samples: dict[str, Sample] = {}
        number_list = sorted(numbers)
        for start in range(0, len(number_list), 900):
            samples.update({s.sample_number: s for s in session.scalars(select(Sample).where(
                Sample.sample_number.in_(number_list[start:start + 900]),
                Sample.deleted_at.is_(None)))})
        current = current_results(session, [s.id for s in samples.values()])

        rows: list[_Row] = []
        seen: dict[tuple[str, str], int] = {}
        for count, (line, r) in enumerate(records, start=1):
            sample = samples.get(r["sample_number"])
            checked = _check(sample, r["analyte"], r["result"], False, r.get("lod"), r["unit"],
                             method=r.get("method", ""), lab_sample_id=r.get("lab_sample_id", ""),
                             lab=r.get("lab", ""), analysed_on=r.get("analysed_on") or None)
            messages = []
            for p in checked.problems:
                if p.code == "results.error.sample_unknown":
                    messages.append(tr("results.error.sample_number_unknown",
                                       number=r["sample_number"]) if r["sample_number"]
                                    else tr("results.import.field", field=tr("results.field.sample_number"),
                                            message=tr("field.required")))
                else:
                    messages.append(tr("results.import.field", field=tr(f"results.field.{p.field}"),
                                       message=p.message))
            analyte = checked.clean["analyte"]
            if sample is not None and analyte:
                first = seen.setdefault((sample.id, analyte), line)
                if first != line:
                    messages.append(tr("results.import.duplicate_row", line=first))
            if messages:
                bad.append(LineProblems(line, tuple(messages)))
            else:
                rows.append(_Row(line, sample, checked.clean))
            if count % CHUNK == 0:
                reporter.progress(count, len(records))
                reporter.check()
        if bad:
            bad.sort(key=lambda p: p.line)
            raise ResultsImportRejected(path, bad)

        new_ids: list[str] = []
        warnings: list[str] = []
        for row in rows:
            assert row.sample is not None
            old = current.get((row.sample.id, row.clean["analyte"]))
            if old is not None and _same(old, row.clean):
                warnings.append(tr("results.import.skipped_same", line=row.line,
                                   sample=row.sample.sample_number))
                continue
            result = LabResult(sample_id=row.sample.id, source="csv", source_file=path.name[:260],
                               source_line=row.line, supersedes_id=old.id if old else None,
                               **row.clean)
            details: dict[str, Any] = {"file": path.name, "line": row.line}
            if old is not None:
                details["supersedes_id"] = old.id
                warnings.append(tr("results.import.superseded", line=row.line,
                                   sample=row.sample.sample_number, old=describe(old),
                                   new=describe(row.clean)))
            uow.record(result, "lab_result.import", details)
            new_ids.append(result.id)
        uow.audit("lab_result.import_file", RECORD, "",
                  {"file": path.name, "sha256": digest, "rows": len(rows), "imported": len(new_ids)})
        uow.commit()
    reporter.progress(len(records), len(records))
    return OpResult(changed(RECORD, *new_ids), None, None, tuple(warnings))
