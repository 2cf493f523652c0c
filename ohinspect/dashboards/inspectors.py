"""Inspections per inspector (人均检查量) in the jurisdiction and period.

Definition (seed 003 "双随机、一公开" supervision and seed 004 "查职业健康必查三同时": the
workload behind the rates; shared/DOMAIN.md §5 "Employer inspection items"): every live
inspection (三同时 verification, workplace or institution audit) of an enterprise of the
jurisdiction started in [start, end] (local days) counts once for each inspector named on it
(``Inspection.inspectors``, name and enforcement-ID number); ``signed`` counts the locked ones.
An amendment corrects a signed inspection (ohinspect/services/inspection_amendments.py), it is
not another inspection: it is not counted, and the inspection it corrects counts once, on the
day and with the inspectors it was carried out with. The overall figure counts each inspection
once. An inspector is known by the ID number, else the name.

For speed over a province (benchmarks/bench_dashboard.py) the figures read the tallies
``inspection_tally`` / ``inspection_tally_person`` (:mod:`ohinspect.services.tallies`, migration
0010): the inspectors' JSON is parsed and the enterprise's division copied when an inspection is
written, so a dashboard reads, per inspector (found by skipping through the covering index), the
period's range of it, and looks nothing up.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ohinspect.dashboards.model import (Column, DrillRow, Figure, Indicator, Scope,
                                        distinct_values)
from ohinspect.i18n import tr
from ohinspect.services.tallies import check_tallies
from ohinspect.store.models import Enterprise, Inspection
from ohinspect.store.models.verdicts import InspectionTally, InspectionTallyPerson

ID = "inspectors"
COLUMNS = (Column("inspections"), Column("signed"))


def _conditions(scope: Scope, tally: Any) -> list[Any]:
    """The counted inspections (``tally``: either table) started in the period, of an enterprise
    of the jurisdiction (one that has not arrived yet has no division)."""
    zone = datetime.now().astimezone().tzinfo
    first = datetime.combine(scope.start, time.min, zone)
    after = datetime.combine(scope.end + timedelta(days=1), time.min, zone)
    return [tally.started_at >= first, tally.started_at < after,
            tally.division_code.is_not(None), scope.within(tally.division_code)]


def inspections_per_inspector(session: Session, scope: Scope) -> Indicator:
    """One figure per inspector, the busiest first: per inspector, the period's inspections are
    one range of the index, counted by a subquery (no sorting of the period's rows)."""
    check_tallies(session)
    person = InspectionTallyPerson
    people = distinct_values(person.person_key)
    counts = (select(func.json_array(func.count(), func.sum(case((person.signed, 1), else_=0)),
                                     func.max(person.name)))
              .where(person.person_key == people.c.value, *_conditions(scope, person))
              .scalar_subquery())
    found = []
    for key, values in session.execute(select(people.c.value, counts)
                                       .where(people.c.value.is_not(None))):
        n, signed, label = json.loads(values)
        if n:
            found.append(Figure(key, f"{label}（{key}）" if label != key else str(label),
                                {"inspections": n, "signed": signed}))
    found.sort(key=lambda f: (-int(f.values["inspections"] or 0), f.key))
    distinct = session.scalar(select(func.count()).select_from(InspectionTally)
                              .where(*_conditions(scope, InspectionTally))) or 0
    return Indicator(ID, COLUMNS, "inspections", tuple(found), total=distinct)


def inspector_records(session: Session, scope: Scope, key: str) -> list[DrillRow]:
    """The inspections of inspector ``key`` in the period, the latest first."""
    check_tallies(session)
    person = InspectionTallyPerson
    stmt = (select(Inspection.id, Inspection.party_name, Enterprise.name, Inspection.kind,
                   Inspection.locked_at, Inspection.started_at)
            .select_from(person).join(Inspection, Inspection.id == person.inspection_id)
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
            .where(*_conditions(scope, person), person.person_key == key)
            .order_by(Inspection.started_at.desc(), Inspection.id))
    return [DrillRow("inspection", iid, party or ent,
                     f"{kind} · {tr('dash.drill.signed') if locked else tr('dash.drill.draft')}",
                     started.astimezone().date() if started else None)
            for iid, party, ent, kind, locked, started in session.execute(stmt)]
