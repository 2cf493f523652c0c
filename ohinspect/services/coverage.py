"""Verification coverage (核查率) of project acceptance and the 双随机 draw.

Order No. 90: the acceptance of **severe** projects is verified in full, the others by random
spot checks; seed 004 sets the local targets (severe 100 %, general ≥ 30 %). The targets are
data — ``resources/standards/verification_targets.yaml``, with per-jurisdiction overrides — never
literals here (shared/DOMAIN.md §1).

A project *reached acceptance* in a year when its acceptance stage is dated in that year (the
completion date, else the start date); it is *verified* when a locked (signed)
``three_simultaneities`` inspection of its acceptance stage exists.

The draw (:func:`random_draw`) picks, from the projects of the drawn classes that reached
acceptance and are not verified, as many as the shortfall (or ``count``), and inspectors from
the roster, with ``random.Random(seed)``: anyone can repeat it from the seed and the candidate
lists, which are written to the audit log together with the result.
"""

from __future__ import annotations

import math
import os
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ohinspect.errors import DataFileError, FieldProblem, ValidationError
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource
from ohinspect.services.enterprise_queries import division_prefix
from ohinspect.services.project_queries import VERIFICATION_KIND
from ohinspect.services.roster import list_inspectors
from ohinspect.store.database import Store
from ohinspect.store.models import Inspection, Project, ProjectStage
from ohinspect.store.uow import Actor

RESOURCE = "standards/verification_targets.yaml"
ACCEPTANCE = "acceptance"
DRAW_ACTION = "three_simultaneities.draw"


@dataclass(frozen=True)
class VerificationTargets:
    #: risk class → share to verify (exact decimals from the file, e.g. Decimal("0.30"))
    targets: dict[str, Decimal]
    draw_classes: tuple[str, ...]
    draw_inspectors: int


def _ratios(raw: object, where: str) -> dict[str, Decimal]:
    path = str(resources_dir() / RESOURCE)
    if not isinstance(raw, dict) or not raw:
        raise DataFileError(path, f"{where}: expected a map of risk class → share")
    ratios: dict[str, Decimal] = {}
    for code, value in raw.items():
        try:
            ratio = Decimal(str(value))
        except InvalidOperation as exc:
            raise DataFileError(path, f"{where}.{code}: {value!r} is not a number") from exc
        if not Decimal(0) <= ratio <= Decimal(1):
            raise DataFileError(path, f"{where}.{code}: {value} is not between 0 and 1")
        ratios[str(code)] = ratio
    return ratios


@lru_cache(maxsize=None)
def load_targets(jurisdiction: str = "") -> VerificationTargets:
    """The targets for a jurisdiction: the file's defaults overlaid with the nearest override
    (the code itself, else its prefecture, else its province)."""
    data = load_resource(RESOURCE)
    path = str(resources_dir() / RESOURCE)
    targets = _ratios(data.get("targets"), "targets")
    overrides = data.get("jurisdictions") or {}
    if not isinstance(overrides, dict):
        raise DataFileError(path, "jurisdictions: expected a map of division code → targets")
    if len(jurisdiction) == 6:
        for code in dict.fromkeys((jurisdiction, jurisdiction[:4] + "00", jurisdiction[:2] + "0000")):
            if code in overrides:
                targets = {**targets, **_ratios(overrides[code], f"jurisdictions.{code}")}
                break
    draw = data.get("draw") or {}
    try:
        classes = tuple(str(c) for c in draw["classes"])
        inspectors = int(draw["inspectors"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"draw: needs classes and inspectors ({exc!r})") from exc
    if inspectors < 1:
        raise DataFileError(path, "draw.inspectors must be at least 1")
    return VerificationTargets(targets, classes, inspectors)


@dataclass(frozen=True)
class CoverageRow:
    risk_class: str
    reached_acceptance: int
    verified: int
    rate: float        # verified / reached (0.0 when no project reached acceptance)
    target: float      # share to verify, 0.00–1.00
    shortfall: int     # projects still to verify to meet the target


@dataclass(frozen=True)
class DrawResult:
    seed: int
    project_ids: tuple[str, ...]
    inspector_ids: tuple[str, ...]


def _reached(session: Session, jurisdiction: str, year: int) -> list[tuple[str, str]]:
    """(project id, risk class) of live projects in the jurisdiction that reached acceptance."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    stmt = (select(Project.id, Project.risk_class)
            .join(ProjectStage, and_(ProjectStage.project_id == Project.id,
                                     ProjectStage.stage == ACCEPTANCE,
                                     ProjectStage.deleted_at.is_(None)))
            .where(Project.deleted_at.is_(None),
                   or_(and_(ProjectStage.completed_on.is_not(None),
                            ProjectStage.completed_on.between(first, last)),
                       and_(ProjectStage.completed_on.is_(None),
                            ProjectStage.started_on.between(first, last))))
            .order_by(Project.id))
    if jurisdiction:
        prefix = division_prefix(jurisdiction)
        stmt = stmt.where(Project.division_code >= prefix, Project.division_code < prefix + "\uffff")
    return [(r[0], r[1]) for r in session.execute(stmt)]


def _verified(session: Session, project_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(project_ids), 500):
        chunk = project_ids[start:start + 500]
        found.update(session.scalars(
            select(Inspection.project_id).where(
                Inspection.project_id.in_(chunk), Inspection.kind == VERIFICATION_KIND,
                Inspection.stage == ACCEPTANCE, Inspection.locked_at.is_not(None),
                Inspection.deleted_at.is_(None))))
    return found


def required_count(target: Decimal, reached: int) -> int:
    """How many of ``reached`` projects a share ``target`` means (rounded up, exactly)."""
    return math.ceil(target * reached)


def verification_coverage(session: Session, jurisdiction: str, year: int) -> list[CoverageRow]:
    """One row per risk class with a target (file order), then any other class found."""
    targets = load_targets(jurisdiction).targets
    reached = _reached(session, jurisdiction, year)
    verified = _verified(session, [pid for pid, _ in reached])
    reached_by = Counter(cls for _, cls in reached)
    verified_by = Counter(cls for pid, cls in reached if pid in verified)
    classes = list(targets) + sorted(c for c in reached_by if c not in targets)
    rows = []
    for cls in classes:
        n, done = reached_by.get(cls, 0), verified_by.get(cls, 0)
        target = targets.get(cls, Decimal(0))
        rows.append(CoverageRow(cls, n, done, done / n if n else 0.0, float(target),
                                max(0, required_count(target, n) - done)))
    return rows


def draw_candidates(session: Session, jurisdiction: str, year: int) -> tuple[list[str], int]:
    """Ids (sorted) of the projects of the drawn classes that reached acceptance and are not
    verified, and the shortfall of those classes."""
    settings = load_targets(jurisdiction)
    reached = _reached(session, jurisdiction, year)
    verified = _verified(session, [pid for pid, _ in reached])
    candidates = sorted(pid for pid, cls in reached
                        if cls in settings.draw_classes and pid not in verified)
    shortfall = sum(row.shortfall for row in verification_coverage(session, jurisdiction, year)
                    if row.risk_class in settings.draw_classes)
    return candidates, shortfall


def random_draw(store: Store, actor: Actor, jurisdiction: str, year: int, *,
                count: int | None = None, seed: int | None = None) -> DrawResult:
    """双随机: draw projects (``count``, default the shortfall) and inspectors from the roster,
    reproducibly from ``seed`` (made from ``os.urandom`` when not given); the seed, the
    candidate lists and the result go to the audit log."""
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise ValidationError([FieldProblem("count", "coverage.error.count",
                                            tr("coverage.error.count", count=count))])
    if seed is None:
        seed = int.from_bytes(os.urandom(8), "big")
    settings = load_targets(jurisdiction)
    with store.unit_of_work(actor) as uow:
        candidates, shortfall = draw_candidates(uow.session, jurisdiction, year)
        pool = sorted(i.id for i in list_inspectors(uow.session, jurisdiction))
        if len(pool) < settings.draw_inspectors:
            raise ValidationError([FieldProblem(
                "inspectors", "coverage.error.too_few_inspectors",
                tr("coverage.error.too_few_inspectors", needed=settings.draw_inspectors,
                   found=len(pool), jurisdiction=jurisdiction))])
        wanted = shortfall if count is None else count
        rng = random.Random(seed)
        projects = tuple(rng.sample(candidates, min(wanted, len(candidates))))
        inspectors = tuple(rng.sample(pool, settings.draw_inspectors))
        uow.audit(DRAW_ACTION, details={
            "jurisdiction": jurisdiction, "year": year, "seed": seed, "requested": count,
            "shortfall": shortfall, "candidates": candidates, "inspector_pool": pool,
            "project_ids": list(projects), "inspector_ids": list(inspectors)})
        uow.commit()
    return DrawResult(seed, projects, inspectors)
