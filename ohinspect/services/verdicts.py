"""Verdicts of signed sampling tasks as rows (:func:`verdict_rows`, also what rectification
items are opened from), and stored — derived data the monitoring pass rate reads
(issue 7 target "dashboard over 1,000,000 records opens in ≤ 1 s"; tables of migration 0008,
models in ohinspect/store/models/verdicts.py).

The verdicts are those of :func:`ohinspect.services.evaluation.evaluate_task` (GBZ 2.1-2019 /
GBZ 2.2-2007 judgement, shared/DOMAIN.md §3), one row per factor and post and one per noise post,
in its order. They are a cache, not records: never synced, no outbox or audit entry; any device
rebuilds the same rows from the same records and standards. Each task's set carries the
*fingerprint* of what its verdicts were worked out from:

* the task row's ``modified_at`` (a signed task, its posts, samples and noise are frozen by the
  triggers of migration 0003; a change to the task — e.g. an amendment — touches this);
* its lab results (the only records a signed task still gets, and never edited: a correction is
  a new result that supersedes, a removal a tombstone): count, count of tombstones, highest
  local ``change_seq`` and latest ``modified_at`` — a new or superseding result changes the
  count, a removal the tombstones, any local write the change number and any write received by
  sync or batch import (change_seq 0) at a later moment the latest moment; read from the
  indexes ``ix_sample_task`` and ``ix_lab_result_fingerprint`` alone;
* :func:`standards_edition`, a digest of the standards files the judgement reads.

:func:`refresh_verdicts` is called in the unit of work that changes a task's verdict inputs
(signing a task: ohinspect/services/sampling_signing.py; entering or importing lab results:
ohinspect/services/lab_results_manual.py, lab_results_import.py). Records that arrive by sync or
batch import are not followed one by one: the dashboard finds the tasks whose stored
fingerprint differs from :func:`fingerprint` (one query, :func:`stale_condition`) and computes
only those (:func:`store_verdicts`), so the cost is paid once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from ohinspect.paths import resources_dir
from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.evaluation_results import TaskEvaluation
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.standards.limits import (CHEMICALS_FILE, DUSTS_FILE, GRADING_RESOURCE,
                                        JUDGEMENT_RESOURCE, NOISE_RESOURCE)
from ohinspect.standards.sampling_rules import RESOURCE as AIR_RULES_RESOURCE
from ohinspect.store.database import Store
from ohinspect.store.models import (LabResult, Sample, SamplingTask, SamplingVerdict,
                                    SamplingVerdictSet)

#: the files evaluate_task's judgement reads (ohinspect/standards/limits*.py, sampling_rules.py)
STANDARDS_FILES = (f"standards/{CHEMICALS_FILE}", f"standards/{DUSTS_FILE}", JUDGEMENT_RESOURCE,
                   GRADING_RESOURCE, NOISE_RESOURCE, AIR_RULES_RESOURCE)
#: tasks per write transaction when the dashboard stores missing verdicts (the writer is held
#: for about a third of a second, so the screens' own writes are not kept waiting)
FILL_CHUNK = 50
#: ids per IN (…) list, under SQLite's bound-parameter limit
ID_CHUNK = 900

#: (post id, hazard code, outcome) of one verdict
Verdict = tuple[str | None, str, str]


@lru_cache(maxsize=1)
def standards_edition() -> str:
    """A digest of the shipped standards files the verdicts depend on (a new edition of the
    limits or of the judgement rules makes every stored verdict stale)."""
    digest = hashlib.sha256()
    for name in STANDARDS_FILES:
        digest.update((resources_dir() / name).read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(task: Any = SamplingTask) -> Any:
    """The SQL expression of the fingerprint of ``task``'s verdict inputs (module doc)."""
    results = (select(func.printf("%d:%d:%d:%s", func.count(), func.count(LabResult.deleted_at),
                                  func.coalesce(func.max(LabResult.change_seq), 0),
                                  func.max(LabResult.modified_at)))
               .select_from(Sample).join(LabResult, LabResult.sample_id == Sample.id)
               .where(Sample.task_id == task.id).scalar_subquery())
    return func.printf("%s:%s:%s", task.modified_at, results, standards_edition())


def stale_condition() -> Any:
    """True for a task whose stored verdicts are missing or stale; the query must outer-join
    :class:`SamplingVerdictSet` on the task id (see :func:`outer_join_sets`)."""
    return or_(SamplingVerdictSet.fingerprint.is_(None),
               SamplingVerdictSet.fingerprint != fingerprint())


def outer_join_sets(stmt: Any) -> Any:
    return stmt.outerjoin(SamplingVerdictSet, SamplingVerdictSet.task_id == SamplingTask.id)


def verdict_rows(evaluation: TaskEvaluation) -> list[tuple[str | None, str, str, str]]:
    """(post id, hazard code, outcome, reason) of every factor verdict, then every noise
    verdict, in the evaluation's order (the noise factor under its catalogue code)."""
    noise = load_rectification_rules().noise_hazard_code
    rows = [(f.post_id, f.hazard_code, f.outcome, f.verdict.reason) for f in evaluation.factors]
    rows += [(n.post_id, noise, n.verdict.outcome, n.verdict.reason) for n in evaluation.noise]
    return rows


def task_verdicts(session: Session, task_id: str,
                  evaluation: TaskEvaluation | None = None) -> list[Verdict]:
    """The verdicts of one task (``evaluation``: already worked out by the caller)."""
    done = evaluation if evaluation is not None else evaluate_task(session, task_id)
    return [(post, code, outcome) for post, code, outcome, _ in verdict_rows(done)]


def refresh_verdicts(session: Session, task_ids: Iterable[str],
                     evaluations: Mapping[str, TaskEvaluation] | None = None
                     ) -> dict[str, list[Verdict]]:
    """Work out and store again the verdicts of these tasks in ``session``'s transaction (no
    commit); a task that is not signed, deleted or unknown keeps none. ``evaluations``: those
    the caller worked out in this transaction already (signing). Returns the verdicts stored
    per signed task."""
    known = evaluations or {}
    ids = sorted(set(task_ids))
    out: dict[str, list[Verdict]] = {}
    session.flush()  # the unit of work's pending changes are part of the inputs
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start:start + ID_CHUNK]
        session.execute(delete(SamplingVerdict).where(SamplingVerdict.task_id.in_(chunk)))
        session.execute(delete(SamplingVerdictSet).where(SamplingVerdictSet.task_id.in_(chunk)))
        signed = session.execute(select(SamplingTask.id, fingerprint()).where(
            SamplingTask.id.in_(chunk), SamplingTask.locked_at.is_not(None),
            SamplingTask.deleted_at.is_(None))).all()
        rows: list[dict[str, Any]] = []
        for task_id, _ in signed:
            out[task_id] = task_verdicts(session, task_id, known.get(task_id))
            rows += [{"task_id": task_id, "seq": n, "post_id": post, "hazard_code": code,
                      "outcome": outcome} for n, (post, code, outcome) in enumerate(out[task_id])]
        if signed:
            session.execute(insert(SamplingVerdictSet.__table__),
                            [{"task_id": t, "fingerprint": fp} for t, fp in signed])
        if rows:
            session.execute(insert(SamplingVerdict.__table__), rows)
    return out


def store_verdicts(store: Store, task_ids: Iterable[str]) -> dict[str, list[Verdict]]:
    """:func:`refresh_verdicts` for many tasks (those a dashboard found stale), in write
    transactions of :data:`FILL_CHUNK` tasks; returns what was stored."""
    ids = list(dict.fromkeys(task_ids))
    out: dict[str, list[Verdict]] = {}
    for start in range(0, len(ids), FILL_CHUNK):
        with store.write_sessionmaker() as session, session.begin():
            out.update(refresh_verdicts(session, ids[start:start + FILL_CHUNK]))
    return out


def task_ids_of_samples(session: Session, sample_ids: Iterable[str]) -> list[str]:
    """The tasks these samples belong to (the lab-result services' hook)."""
    ids = list(dict.fromkeys(sample_ids))
    tasks: set[str] = set()
    for start in range(0, len(ids), ID_CHUNK):
        tasks.update(session.scalars(select(Sample.task_id).where(
            Sample.id.in_(ids[start:start + ID_CHUNK]))))
    return sorted(tasks)
