"""Periodic testing (定期检测) and status evaluation (现状评价) due dates (seed 004).

《工作场所职业卫生管理规定》(国家卫生健康委员会令第5号, 2020) 第二十条: an employer with severe
hazards has its workplace hazards tested at least once a year and its hazard status evaluated
at least every three years; one with general hazards is tested at least every three years. The
intervals, the due-soon window and the "repeatedly overdue" threshold are data
(``resources/standards/periodic_testing.yaml``); ``Settings.periodic_testing`` may override an
interval (``{"general.test": 24}``, months).

For each employer and each required kind, the next date is the last report's date plus the
interval; no report at all is its own state (``never``, listed apart). A report that came
after its due date counts as a late one; late reports plus being overdue now make an
enterprise "repeatedly overdue" at the threshold.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import DataFileError, FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource
from ohinspect.services.rectification_core import check_text, problem
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise, PeriodicReport
from ohinspect.store.uow import Actor, UnitOfWork

RESOURCE = "standards/periodic_testing.yaml"
RECORD = PeriodicReport.__record_type__
EMPLOYER = "employer"
OK, DUE_SOON, OVERDUE, NEVER = "ok", "due_soon", "overdue", "never"


@dataclass(frozen=True)
class PeriodicRules:
    kinds: tuple[str, ...]
    intervals: dict[str, dict[str, int]]       # risk class → kind → months
    aliases: dict[str, str]
    due_soon_days: int
    repeated_times: int
    results: tuple[str, ...]
    list_kinds: tuple[str, ...]
    decisions: tuple[str, ...]

    def interval(self, risk_class: str, kind: str,
                 overrides: Mapping[str, int] | None = None) -> int | None:
        """Months between two reports of ``kind`` for ``risk_class``; None: not required."""
        cls = self.aliases.get(risk_class, risk_class)
        override = (overrides or {}).get(f"{cls}.{kind}")
        if override:
            return int(override)
        return self.intervals.get(cls, {}).get(kind)


@lru_cache(maxsize=1)
def load_periodic_rules() -> PeriodicRules:
    data = load_resource(RESOURCE)
    try:
        return PeriodicRules(
            kinds=tuple(str(k) for k in data["kinds"]),
            intervals={str(c): {str(k): int(m) for k, m in v.items()}
                       for c, v in data["intervals"].items()},
            aliases={str(k): str(v) for k, v in (data.get("class_aliases") or {}).items()},
            due_soon_days=int(data["due_soon_days"]),
            repeated_times=int(data["repeatedly_overdue_times"]),
            results=tuple(str(r) for r in data["results"]),
            list_kinds=tuple(str(k) for k in data["list_kinds"]),
            decisions=tuple(str(d) for d in data["decisions"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(str(resources_dir() / RESOURCE), f"malformed: {exc!r}") from exc


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months (31 January + 1 month = 28/29 February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# --------------------------------------------------------------------------- reports


@dataclass
class ReportInput:
    enterprise_id: str = ""
    kind: str = ""                 # test | evaluation
    report_date: date | None = None
    report_no: str = ""
    institution: str = ""
    result: str = ""
    note: str = ""


def add_report_in(uow: UnitOfWork, data: ReportInput, today: date,
                  report_id: str | None = None) -> PeriodicReport:
    """Validate and write one periodic report (no commit); ``report_id`` fixes the id and an
    existing report with it is returned unchanged (deterministic demo data)."""
    if report_id is not None and (old := uow.session.get(PeriodicReport, report_id)) is not None:
        return old
    rules = load_periodic_rules()
    problems: list[FieldProblem] = []
    ent = uow.session.get(Enterprise, data.enterprise_id) if data.enterprise_id else None
    if ent is None or ent.is_deleted:
        problems.append(problem("enterprise_id", "rectification.error.enterprise_unknown",
                                enterprise=data.enterprise_id))
    if data.kind not in rules.kinds:
        problems.append(problem("kind", "due.error.kind", value=data.kind,
                                choices=", ".join(tr(f"due.kind.{k}") for k in rules.kinds)))
    if not isinstance(data.report_date, date):
        problems.append(problem("report_date", "due.error.date_missing"))
    elif data.report_date > today:
        problems.append(problem("report_date", "due.error.date_future",
                                day=data.report_date.isoformat()))
    if data.result not in rules.results:
        problems.append(problem("result", "due.error.result", value=data.result))
    values = {name: check_text(problems, PeriodicReport, name, getattr(data, name), required)
              for name, required in (("report_no", True), ("institution", True),
                                     ("note", False))}
    if values["report_no"] and not problems:
        same = uow.session.scalars(select(PeriodicReport.id).where(
            PeriodicReport.enterprise_id == data.enterprise_id,
            PeriodicReport.report_no == values["report_no"],
            PeriodicReport.deleted_at.is_(None))).first()
        if same is not None:
            problems.append(problem("report_no", "due.error.duplicate", number=values["report_no"]))
    if problems:
        raise ValidationError(problems)
    report = PeriodicReport(id=report_id, enterprise_id=data.enterprise_id, kind=data.kind,
                            report_date=data.report_date, result=data.result, **values)
    uow.record(report, "periodic_report.add", {"kind": data.kind, "report_no": report.report_no})
    return report


def add_report(store: Store, actor: Actor, data: ReportInput, today: date) -> OpResult:
    with store.unit_of_work(actor) as uow:
        report = add_report_in(uow, data, today)
        uow.commit()
    return OpResult(changed(RECORD, report.id), report.id)


# --------------------------------------------------------------------------- due dates


@dataclass(frozen=True)
class Due:
    """One required kind of one enterprise."""

    enterprise_id: str
    enterprise_name: str
    division_code: str
    risk_class: str
    kind: str
    last: date | None
    next_due: date | None
    state: str                    # ok | due_soon | overdue | never
    late_times: int               # reports that came late, plus 1 if overdue now
    reason: str
    days_overdue: int             # 0 unless overdue


def _reason(d: dict[str, Any]) -> str:
    cls = tr(f"due.class.{d['cls']}")
    kind = tr(f"due.kind.{d['kind']}")
    if d["last"] is None:
        return tr("due.reason.never", cls=cls, kind=kind)
    return tr(f"due.reason.{d['state']}", cls=cls, kind=kind, last=d["last"].isoformat(),
              due=d["next_due"].isoformat())


def due_dates(session: Session, today: date, *, overrides: Mapping[str, int] | None = None,
              jurisdiction: str = "", enterprise_id: str = "") -> list[Due]:
    """Every required (enterprise, kind) of the live employers: its last report, next date,
    state and the reason in words; overdue first (longest first), then never, due soon, ok."""
    from ohinspect.services.rectification_queries import _jurisdiction

    rules = load_periodic_rules()
    conds: list[Any] = [Enterprise.deleted_at.is_(None), Enterprise.org_kind == EMPLOYER]
    if jurisdiction:
        conds.append(_jurisdiction(jurisdiction))
    if enterprise_id:
        conds.append(Enterprise.id == enterprise_id)
    ents = session.execute(select(Enterprise.id, Enterprise.name, Enterprise.division_code,
                                  Enterprise.risk_class).where(*conds)).all()
    reports: dict[tuple[str, str], list[date]] = defaultdict(list)
    rq = select(PeriodicReport.enterprise_id, PeriodicReport.kind, PeriodicReport.report_date) \
        .where(PeriodicReport.deleted_at.is_(None))
    if enterprise_id:
        rq = rq.where(PeriodicReport.enterprise_id == enterprise_id)
    for ent_id, kind, day in session.execute(rq.order_by(PeriodicReport.report_date)):
        reports[(ent_id, kind)].append(day)
    soon = today.toordinal() + rules.due_soon_days
    out: list[Due] = []
    for e in ents:
        for kind in rules.kinds:
            months = rules.interval(e.risk_class, kind, overrides)
            if months is None:
                continue
            days = reports.get((e.id, kind), [])
            late = sum(1 for a, b in zip(days, days[1:]) if b > add_months(a, months))
            last = days[-1] if days else None
            next_due = add_months(last, months) if last else None
            if next_due is None:
                state = NEVER
            elif next_due < today:
                state = OVERDUE
            elif next_due.toordinal() <= soon:
                state = DUE_SOON
            else:
                state = OK
            late += state == OVERDUE
            d = {"cls": rules.aliases.get(e.risk_class, e.risk_class), "kind": kind,
                 "last": last, "next_due": next_due, "state": state}
            out.append(Due(e.id, e.name, e.division_code, e.risk_class, kind, last, next_due,
                           state, late, _reason(d),
                           (today - next_due).days if state == OVERDUE and next_due else 0))
    order = {OVERDUE: 0, NEVER: 1, DUE_SOON: 2, OK: 3}
    out.sort(key=lambda d: (order[d.state], d.next_due or date.min, d.enterprise_name, d.kind))
    return out


def due_list(session: Session, today: date, **kw: Any) -> list[Due]:
    """The due-soon, overdue and never-reported entries only (the reminder list)."""
    return [d for d in due_dates(session, today, **kw) if d.state != OK]


def repeatedly_overdue(session: Session, today: date, **kw: Any) -> list[tuple[str, str, int]]:
    """(enterprise id, name, times late) of enterprises late at least the threshold of times
    over all their required kinds — candidates for a list decision."""
    threshold = load_periodic_rules().repeated_times
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for d in due_dates(session, today, **kw):
        totals[(d.enterprise_id, d.enterprise_name)] += d.late_times
    return sorted(((eid, name, n) for (eid, name), n in totals.items() if n >= threshold),
                  key=lambda r: (-r[2], r[1]))
