"""Importing the lab's results CSV file, all or nothing: every row checked first, then written
in one unit of work (rows equal to the current result skipped, changed ones superseding it)."""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.services.lab_results_checks import check_result, _same
from ohinspect.services.lab_results_csv import (CSV_COLUMNS, CSV_HEADINGS_ZH, CSV_REQUIRED,
                                                LineProblems, ResultsImportRejected, read_csv_text)
from ohinspect.services.lab_results_current import RECORD, current_results
from ohinspect.services.lab_results_units import describe
from ohinspect.services.sampling_amendments import samples_in_force
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import LabResult, Sample, SamplingTask
from ohinspect.store.uow import Actor

CHUNK = 200


@dataclass
class _Row:
    line: int
    sample: Sample | None
    clean: dict[str, Any]
    label: str  # the sample number the lab wrote (the physical label's)


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
        labelled = samples
        samples = samples_in_force(session, labelled)
        current = current_results(session, [s.id for s in samples.values()])

        rows: list[_Row] = []
        seen: dict[tuple[str, str], int] = {}
        for count, (line, r) in enumerate(records, start=1):
            sample = samples.get(r["sample_number"])
            checked = check_result(sample, r["analyte"], r["result"], False, r.get("lod"), r["unit"],
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
                rows.append(_Row(line, sample, checked.clean, r["sample_number"]))
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
            if row.sample is not labelled[row.label]:
                warnings.append(tr("results.import.routed_to_amendment", line=row.line,
                                   sample=row.label, copy=row.sample.sample_number,
                                   task=session.get(SamplingTask, row.sample.task_id).task_number))
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
        from ohinspect.services.rectification_sampling import results_changed_in
        results_changed_in(uow, [row.sample.id for row in rows if row.sample])  # items, verdicts
        uow.commit()
    reporter.progress(len(records), len(records))
    return OpResult(changed(RECORD, *new_ids), None, None, tuple(warnings))
