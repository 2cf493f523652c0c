"""Inspections per inspector (人均检查量) in the jurisdiction and period.

Definition (seed 003 "双随机、一公开" supervision and seed 004 "查职业健康必查三同时": the
workload behind the rates; shared/DOMAIN.md §5 "Employer inspection items"): every live
inspection (三同时 verification, workplace or institution audit) of an enterprise of the
jurisdiction started in [start, end] (local days) counts once for each inspector named on it
(``Inspection.inspectors``, name and enforcement-ID number); ``signed`` counts the locked ones.
The overall figure counts each inspection once.
An inspector is known by the ID number, else the name. Aggregated by SQL over ``json_each``
(SQLite) grouped by inspector; a wide scope reads the period's inspections and their inspectors
from the covering index ``ix_inspection_period`` (migration 0008), a narrow one its enterprises'
inspections (:meth:`~ohinspect.dashboards.model.Scope.period`).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, literal_column, or_, select, true
from sqlalchemy.orm import Session

from ohinspect.dashboards.model import Column, DrillRow, Figure, Indicator, Scope
from ohinspect.i18n import tr
from ohinspect.store.models import Enterprise, Inspection

ID = "inspectors"
COLUMNS = (Column("inspections"), Column("signed"))


def _people() -> Any:
    return func.json_each(Inspection.inspectors).table_valued("value").alias("person")


def _conditions(scope: Scope) -> list[Any]:
    """The live inspections started in the period (index ``ix_inspection_period``) of an
    enterprise of the jurisdiction (its division read from ``ix_enterprise_scope``)."""
    zone = datetime.now().astimezone().tzinfo
    first = datetime.combine(scope.start, time.min, zone)
    after = datetime.combine(scope.end + timedelta(days=1), time.min, zone)
    started = scope.period(Inspection.started_at)
    return [Inspection.deleted_at.is_(None), started >= first, started < after,
            Enterprise.id == Inspection.enterprise_id,
            scope.within(Enterprise.division_code)]


def inspections_per_inspector(session: Session, scope: Scope) -> Indicator:
    """One figure per inspector, the busiest first. Each person's JSON is read once (a
    ``LIMIT -1`` subquery, which SQLite does not flatten into the aggregate) and an inspection is
    told apart by its rowid (from the index; distinct integers are cheaper than ids)."""
    person = _people()
    name = func.json_extract(person.c.value, "$.name")
    key = func.coalesce(func.nullif(func.json_extract(person.c.value, "$.id_no"), ""), name)
    rows = (select(literal_column("inspection.rowid").label("n"),
                   Inspection.locked_at.is_not(None).label("signed"), key.label("k"),
                   name.label("name"))
            .select_from(Inspection).join(person, true()).where(*_conditions(scope))
            .limit(-1).subquery())
    total = func.count(func.distinct(rows.c.n))
    stmt = (select(rows.c.k, func.max(rows.c.name), total,
                   func.count(func.distinct(case((rows.c.signed, rows.c.n)))))
            .group_by(rows.c.k).order_by(total.desc(), rows.c.k))
    figures = tuple(Figure(k, f"{label}（{k}）" if label != k else str(label),
                           {"inspections": n, "signed": signed})
                    for k, label, n, signed in session.execute(stmt))
    distinct = session.scalar(select(func.count()).select_from(Inspection)
                              .where(*_conditions(scope))) or 0
    return Indicator(ID, COLUMNS, "inspections", figures, total=distinct)


def inspector_records(session: Session, scope: Scope, key: str) -> list[DrillRow]:
    """The inspections of inspector ``key`` in the period, the latest first."""
    person = _people()
    name = func.json_extract(person.c.value, "$.name")
    id_no = func.coalesce(func.json_extract(person.c.value, "$.id_no"), "")
    stmt = (select(Inspection.id, Inspection.party_name, Enterprise.name, Inspection.kind,
                   Inspection.locked_at, Inspection.started_at)
            .select_from(Inspection).join(person, true())
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
            .where(*_conditions(scope), or_(id_no == key, (id_no == "") & (name == key)))
            .distinct().order_by(Inspection.started_at.desc(), Inspection.id))
    return [DrillRow("inspection", iid, party or ent,
                     f"{kind} · {tr('dash.drill.signed') if locked else tr('dash.drill.draft')}",
                     started.astimezone().date() if started else None)
            for iid, party, ent, kind, locked, started in session.execute(stmt)]
