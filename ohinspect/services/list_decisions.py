"""Putting an enterprise on (or taking it off) the blacklist (黑名单) or the key-supervision
list (重点监管) — each a recorded decision with its reason, decision document number and who
decided (seed 004: enterprises repeatedly overdue or refusing; 《职业病防治法》第七十一条、第七十二条).

Decisions are append-only (never changed or deleted); the current lists are the last decision
per (enterprise, list). Lists and decisions: ``resources/standards/periodic_testing.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.services.due_dates import load_periodic_rules
from ohinspect.services.rectification_core import check_text, problem
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, ListDecision
from ohinspect.store.uow import Actor, UnitOfWork

RECORD = ListDecision.__record_type__
ADD, REMOVE = "add", "remove"


@dataclass
class DecisionInput:
    enterprise_id: str = ""
    list_kind: str = ""            # blacklist | key_supervision
    decision: str = ADD            # add | remove
    reason: str = ""
    decided_by: str = ""
    decided_on: date | None = None
    document_no: str = ""


def _last(session: Session, enterprise_id: str, list_kind: str) -> ListDecision | None:
    return session.scalars(select(ListDecision).where(
        ListDecision.enterprise_id == enterprise_id, ListDecision.list_kind == list_kind,
        ListDecision.deleted_at.is_(None))
        .order_by(ListDecision.decided_on.desc(), ListDecision.change_seq.desc())).first()


def record_decision_in(uow: UnitOfWork, data: DecisionInput, today: date,
                       decision_id: str | None = None) -> ListDecision:
    """Validate and append one decision (no commit). Putting an enterprise on a list it is on,
    or taking it off one it is not on, is refused. ``decision_id`` fixes the id (demo data)."""
    session = uow.session
    if decision_id is not None and (old := session.get(ListDecision, decision_id)) is not None:
        return old
    rules = load_periodic_rules()
    problems: list[FieldProblem] = []
    ent = session.get(Enterprise, data.enterprise_id) if data.enterprise_id else None
    if ent is None or ent.is_deleted:
        problems.append(problem("enterprise_id", "rectification.error.enterprise_unknown",
                                enterprise=data.enterprise_id))
    if data.list_kind not in rules.list_kinds:
        problems.append(problem("list_kind", "list.error.kind", value=data.list_kind,
                                choices=", ".join(tr(f"list.kind.{k}")
                                                  for k in rules.list_kinds)))
    if data.decision not in rules.decisions:
        problems.append(problem("decision", "list.error.decision", value=data.decision,
                                choices=", ".join(tr(f"list.decision.{d}")
                                                  for d in rules.decisions)))
    decided_on = data.decided_on or today
    if decided_on > today:
        problems.append(problem("decided_on", "list.error.date_future",
                                day=decided_on.isoformat()))
    values = {name: check_text(problems, ListDecision, name, getattr(data, name), True)
              for name in ("reason", "decided_by", "document_no")}
    if not problems and ent is not None:
        last = _last(session, ent.id, data.list_kind)
        on_list = last is not None and last.decision == ADD
        label = tr(f"list.kind.{data.list_kind}")
        if data.decision == ADD and on_list:
            assert last is not None
            problems.append(problem("decision", "list.error.already_on", name=ent.name,
                                    list=label, document=last.document_no))
        elif data.decision == REMOVE and not on_list:
            problems.append(problem("decision", "list.error.not_on", name=ent.name, list=label))
    if problems:
        raise ValidationError(problems)
    row = ListDecision(id=decision_id, enterprise_id=data.enterprise_id,
                       list_kind=data.list_kind, decision=data.decision, decided_on=decided_on,
                       **values)
    uow.record(row, f"list_decision.{data.decision}", {"list_kind": data.list_kind,
                                                        "document_no": row.document_no})
    return row


def record_decision(store: Store, actor: Actor, data: DecisionInput, today: date) -> OpResult:
    with store.unit_of_work(actor) as uow:
        row = record_decision_in(uow, data, today)
        uow.commit()
    return OpResult(changed(RECORD, row.id), row.id)


@dataclass(frozen=True)
class ListedEnterprise:
    enterprise_id: str
    enterprise_name: str
    division_code: str
    list_kind: str
    reason: str
    document_no: str
    decided_by: str
    decided_on: date


def current_lists(session: Session, list_kind: str = "") -> list[ListedEnterprise]:
    """Enterprises on a list now (their last decision for it is "add"), by list and name."""
    stmt = (select(ListDecision, Enterprise.name, Enterprise.division_code)
            .join(Enterprise, Enterprise.id == ListDecision.enterprise_id)
            .where(ListDecision.deleted_at.is_(None))
            .order_by(ListDecision.decided_on, ListDecision.change_seq))
    if list_kind:
        stmt = stmt.where(ListDecision.list_kind == list_kind)
    last: dict[tuple[str, str], tuple[ListDecision, str, str]] = {}
    for row, name, division in session.execute(stmt):
        last[(row.enterprise_id, row.list_kind)] = (row, name, division)
    out = [ListedEnterprise(d.enterprise_id, name, division, d.list_kind, d.reason,
                            d.document_no, d.decided_by, d.decided_on)
           for d, name, division in last.values() if d.decision == ADD]
    return sorted(out, key=lambda x: (x.list_kind, x.enterprise_name))


def decision_history(session: Session, enterprise_id: str) -> list[ListDecision]:
    """Every decision about one enterprise, oldest first; detached."""
    rows = list(session.scalars(select(ListDecision).where(
        ListDecision.enterprise_id == enterprise_id, ListDecision.deleted_at.is_(None))
        .order_by(ListDecision.decided_on, ListDecision.change_seq)))
    for row in rows:
        session.expunge(row)
    return rows
