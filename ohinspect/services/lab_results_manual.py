"""Lab results entered by hand: a new result, or the correction of a current one (a new row that
supersedes it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ohinspect.errors import NotFoundError, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.lab_results_checks import check_result, _problem
from ohinspect.services.lab_results_current import RECORD, current_results
from ohinspect.services.lab_results_units import describe
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import LabResult, Sample
from ohinspect.store.uow import Actor


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
        checked = check_result(sample, data.analyte, data.value, data.below_lod, data.lod, data.unit,
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
        from ohinspect.services.rectification_sampling import results_changed_in
        results_changed_in(uow, [sample.id])  # exceedance items, stored verdicts
        uow.commit()
    return OpResult(changed(RECORD, result.id), result.id)
