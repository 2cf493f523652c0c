"""Sampling exceedances as rectification items, and re-tests that close them.

:func:`open_exceedances_in` is the hook the sampling services call when a task is signed and
when lab results are recorded for a signed task: it evaluates the task
(:func:`~ohinspect.services.evaluation.evaluate_task`, GBZ 2.1-2019 / GBZ 2.2-2007 verdicts) and
opens ONE item per (task, post, hazard) judged 不符合, with ``requires_retest``. The item's id is
derived from that triple, so calling the hook again — or on another device — never duplicates.
An amendment of a task (issue 7 item 3) repeats the findings of the task it corrects: an
exceedance already opened there (same workshop, post and hazard) opens no second item.

:func:`record_retest` links a later, signed sampling task of the same enterprise: a 符合 verdict
for the item's hazard moves it to corrected (then 复查 closes it), a 不符合 one keeps it open.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import ValidationError
from ohinspect.i18n import catalogue
from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.evaluation_results import TaskEvaluation
from ohinspect.services.evaluation_samples import _name
from ohinspect.services.verdicts import refresh_verdicts, task_ids_of_samples, verdict_rows
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification_actions import RETEST_FAIL, RETEST_PASS, transition_in
from ohinspect.services.rectification_core import (EVENT_RECORD, ITEM_RECORD, open_item_in,
                                                   problem)
from ohinspect.services.rectification_rules import load_rectification_rules
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import RectificationItem, SamplingPost, SamplingTask
from ohinspect.store.uow import Actor, UnitOfWork

SOURCE = "sampling"
_NAMESPACE = uuid.UUID("0d5e8f0e-3f8b-4a55-8d0e-6a8a1c2b9f31")


def exceedance_item_id(task_id: str, post_id: str | None, hazard_code: str) -> str:
    """The id of the item of one (task, post, hazard) exceedance — the same everywhere."""
    return str(uuid.uuid5(_NAMESPACE, f"{task_id}|{post_id or ''}|{hazard_code}"))


def _opened_before(session: Session, task: SamplingTask, post: SamplingPost | None,
                    code: str) -> bool:
    """An item exists for this exceedance on a task that ``task`` amends (directly or not)."""
    where = (post.workshop, post.post) if post is not None else None
    amended = session.get(SamplingTask, task.amends_id) if task.amends_id else None
    while amended is not None:
        posts: list[str | None] = [None] if where is None else [
            p.id for p in session.scalars(select(SamplingPost).where(
                SamplingPost.task_id == amended.id)) if (p.workshop, p.post) == where]
        if any(session.get(RectificationItem, exceedance_item_id(amended.id, p, code))
               is not None for p in posts):
            return True
        amended = session.get(SamplingTask, amended.amends_id) if amended.amends_id else None
    return False


def open_exceedances_in(uow: UnitOfWork, task_id: str, today: date | None = None,
                        evaluation: TaskEvaluation | None = None) -> list[RectificationItem]:
    """Open the missing items of a SIGNED task's 不符合 verdicts (no commit); idempotent.
    ``evaluation``: the task's, when the caller worked it out already."""
    session = uow.session
    task = session.get(SamplingTask, task_id)
    if task is None or task.is_deleted or task.locked_at is None:
        return []
    rules = load_rectification_rules()
    today = today or local_today()
    zh = catalogue("zh_CN")  # the items are documents: Chinese whatever the screen language
    opened = []
    if evaluation is None:
        evaluation = evaluate_task(session, task_id)
    for post_id, code, outcome, reason in verdict_rows(evaluation):
        if outcome not in rules.exceeds:
            continue
        item_id = exceedance_item_id(task_id, post_id, code)
        if session.get(RectificationItem, item_id) is not None:
            continue
        post = session.get(SamplingPost, post_id) if post_id else None
        if _opened_before(session, task, post, code):
            continue
        where = f"{post.workshop} {post.post}".strip() if post is not None else task.task_number
        hazard = _name(code)
        opened.append(open_item_in(
            uow, enterprise_id=task.enterprise_id, source_type=SOURCE, source_id=task.id,
            source_ref=task.task_number,
            finding=zh["rectification.sampling.finding"].format(post=where, hazard=hazard,
                                                                reason=reason),
            requirement=zh["rectification.sampling.requirement"].format(hazard=hazard),
            legal_basis=zh["rectification.sampling.legal_basis"],
            deadline=today + timedelta(days=rules.exceedance_deadline_days), today=today,
            item_id=(post_id or "")[:60], requires_retest=True, hazard_code=code,
            item_id_fixed=item_id))
    return opened


def retest_outcome(session: Session, item: RectificationItem, task_id: str) -> bool:
    """True if the signed task ``task_id`` judges the item's hazard 符合 everywhere it was
    measured, False if anywhere 不符合; ValidationError if it cannot serve as a re-test."""
    rules = load_rectification_rules()
    task = session.get(SamplingTask, task_id) if task_id else None
    if task is None or task.is_deleted:
        raise ValidationError([problem("retest_ref", "rectification.error.retest_task_unknown",
                                       task=task_id)])
    number = task.task_number or task.id
    problems = []
    if task.locked_at is None:
        problems.append(problem("retest_ref", "rectification.error.retest_not_signed",
                                task=number))
    if task.enterprise_id != item.enterprise_id:
        problems.append(problem("retest_ref", "rectification.error.retest_other_enterprise",
                                task=number))
    if task.id == item.source_id:
        problems.append(problem("retest_ref", "rectification.error.retest_same_task",
                                task=number))
    if problems:
        raise ValidationError(problems)
    outcomes = [outcome for _, code, outcome, _ in verdict_rows(evaluate_task(session, task.id))
                if code == item.hazard_code]
    if any(o in rules.exceeds for o in outcomes):
        return False
    if any(o in rules.passes for o in outcomes):
        return True
    raise ValidationError([problem("retest_ref", "rectification.error.retest_no_verdict",
                                   task=number, hazard=_name(item.hazard_code))])


def record_retest(store: Store, actor: Actor, item_id: str, task_id: str, *, role: str,
                  by_name: str, note: str = "", today: date | None = None) -> OpResult:
    """Link a re-test (复测) to an exceedance item: 符合 → corrected, 不符合 → open."""
    with store.unit_of_work(actor) as uow:
        item = uow.session.get(RectificationItem, item_id) if item_id else None
        action = RETEST_PASS
        if item is not None and not item.is_deleted and item.requires_retest:
            action = RETEST_PASS if retest_outcome(uow.session, item, task_id) else RETEST_FAIL
        transition_in(uow, item_id, action, role=role, by_name=by_name, note=note,
                      retest_ref=task_id, today=today or local_today())
        uow.commit()
    return OpResult(changed(ITEM_RECORD, item_id) | changed(EVENT_RECORD), item_id)


def results_changed_in(uow: UnitOfWork, sample_ids: list[str],
                       today: date | None = None) -> list[RectificationItem]:
    """The hook of the lab-result services (no commit): new results may change the verdicts of
    the signed tasks these samples belong to — open the items of their exceedances and store
    their verdicts again (ohinspect/services/verdicts.py), each task evaluated once."""
    session = uow.session
    task_ids = task_ids_of_samples(session, sample_ids)
    signed = session.scalars(select(SamplingTask.id).where(
        SamplingTask.id.in_(task_ids), SamplingTask.locked_at.is_not(None),
        SamplingTask.deleted_at.is_(None))).all() if task_ids else []
    evaluations = {task_id: evaluate_task(session, task_id) for task_id in signed}
    opened = [item for task_id in signed
              for item in open_exceedances_in(uow, task_id, today, evaluations[task_id])]
    refresh_verdicts(session, task_ids, evaluations)
    return opened
