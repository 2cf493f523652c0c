"""Background reads of the coverage screen, composed only of core query functions (no SQL)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ohinspect.services.coverage import DrawResult
from ohinspect.services.project_queries import ProjectFilter, ProjectRow, list_projects
from ohinspect.services.roster import list_inspectors


def roster_jurisdiction(session: Session) -> str:
    """The jurisdiction most of the roster works in ("" without a roster): the screen's default
    when the settings name none."""
    counts = Counter(i.jurisdiction for i in list_inspectors(session, ""))
    return counts.most_common(1)[0][0] if counts else ""


@dataclass(frozen=True)
class DrawnInspector:
    id: str
    name: str
    id_no: str
    unit: str


@dataclass(frozen=True)
class DrawDetails:
    result: DrawResult
    projects: list[ProjectRow]           # in the order drawn
    inspectors: list[DrawnInspector]     # in the order drawn


def draw_details(session: Session, result: DrawResult, jurisdiction: str) -> DrawDetails:
    rows = {r.id: r for r in list_projects(session, ProjectFilter(division=jurisdiction))}
    people = {i.id: i for i in list_inspectors(session, jurisdiction)}
    projects = [rows[pid] for pid in result.project_ids if pid in rows]
    inspectors = [DrawnInspector(p.id, p.name, p.id_no, p.unit)
                  for p in (people.get(i) for i in result.inspector_ids) if p is not None]
    return DrawDetails(result, projects, inspectors)
