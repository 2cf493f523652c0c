"""The current result of a sample and analyte (the newest one no other result supersedes) and
the full history of its results."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.store.models import LabResult

RECORD = LabResult.__record_type__


def current_results(session: Session, sample_ids: Iterable[str]) -> dict[tuple[str, str], LabResult]:
    """``(sample_id, analyte) → result`` for the current results of these samples: the newest
    result that no other result supersedes (superseded results are kept, but not returned)."""
    ids = list(dict.fromkeys(sample_ids))
    rows: list[LabResult] = []
    for start in range(0, len(ids), 900):      # SQLite's bound-parameter limit
        rows += session.scalars(select(LabResult).where(
            LabResult.sample_id.in_(ids[start:start + 900]), LabResult.deleted_at.is_(None)))
    return pick_current(rows)


def pick_current(rows: Iterable[LabResult]) -> dict[tuple[str, str], LabResult]:
    """The current result per ``(sample_id, analyte)`` among ``rows``."""
    rows = list(rows)
    superseded = {r.supersedes_id for r in rows if r.supersedes_id}
    current: dict[tuple[str, str], LabResult] = {}
    for r in rows:
        if r.id in superseded:
            continue
        key = (r.sample_id, r.analyte)
        best = current.get(key)
        if best is None or (r.created_at, r.change_seq) > (best.created_at, best.change_seq):
            current[key] = r
    return current


def result_history(session: Session, sample_id: str, analyte: str) -> list[LabResult]:
    """Every result of a sample and analyte, oldest first (superseded ones included)."""
    return list(session.scalars(select(LabResult).where(
        LabResult.sample_id == sample_id, LabResult.analyte == analyte).order_by(
        LabResult.created_at, LabResult.change_seq)))
