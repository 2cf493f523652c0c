"""Importing many enterprises at once (declaration lists, the demo, test stores): all or nothing.

Every row is validated first; any bad row means nothing is written and every bad row is
reported with its number. The accepted rows are written in one transaction, each with its own
outbox and audit entry. Rows whose id is already in the store are skipped (re-running is harmless).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from ohinspect.errors import FieldProblem, OHInspectError
from ohinspect.i18n import tr
from ohinspect.progress import Reporter
from ohinspect.services.enterprise_rules import EnterpriseInput, validate_enterprise
from ohinspect.store.changes import OpResult, changed
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise
from ohinspect.store.uow import Actor

CHUNK = 500


@dataclass(frozen=True)
class RowProblems:
    row: int  # 1-based position in the input
    problems: tuple[FieldProblem, ...]


class ImportRejected(OHInspectError):
    """At least one row is invalid; nothing was imported."""

    def __init__(self, rows: list[RowProblems]) -> None:
        self.rows = rows
        lines = [f"{tr('import.row', row=r.row)}: " + "; ".join(
            f"{tr('enterprise.' + p.field)}: {p.message}" for p in r.problems) for r in rows[:50]]
        more = len(rows) - 50
        super().__init__(tr("import.rejected", count=len(rows)) + "\n" + "\n".join(lines)
                         + (f"\n… {more}" if more > 0 else ""))


def import_enterprises(store: Store, actor: Actor,
                       items: Sequence[tuple[str | None, EnterpriseInput]],
                       reporter: Reporter | None = None) -> OpResult:
    """Import ``(id or None, input)`` pairs; returns the changes (skipped ids not included)."""
    reporter = reporter or Reporter()
    bad: list[RowProblems] = []
    cleaned: list[tuple[str | None, dict[str, object]]] = []
    seen_uscc: dict[str, int] = {}
    for row, (record_id, data) in enumerate(items, start=1):
        clean, problems = validate_enterprise(data)
        first = seen_uscc.setdefault(str(clean["uscc"]), row) if clean["uscc"] else row
        if first != row:
            problems.append(FieldProblem("uscc", "import.duplicate_in_file",
                                         tr("import.duplicate_in_file", row=first)))
        if problems:
            bad.append(RowProblems(row, tuple(problems)))
        cleaned.append((record_id, clean))
        if row % CHUNK == 0:
            reporter.check()
    if bad:
        raise ImportRejected(bad)

    new_ids: list[str] = []
    with store.unit_of_work(actor) as uow:
        existing_ids = set(uow.session.scalars(select(Enterprise.id)))
        live_uscc = {uscc: name for uscc, name in uow.session.execute(
            select(Enterprise.uscc, Enterprise.name).where(Enterprise.deleted_at.is_(None)))}
        for row, (record_id, clean) in enumerate(cleaned, start=1):
            if record_id in existing_ids:
                continue
            if clean["uscc"] in live_uscc:
                bad.append(RowProblems(row, (FieldProblem(
                    "uscc", "enterprise.error.uscc_duplicate",
                    tr("enterprise.error.uscc_duplicate", name=live_uscc[str(clean["uscc"])])),)))
                continue
            ent = Enterprise(id=record_id, **clean) if record_id else Enterprise(**clean)
            uow.record(ent, "enterprise.import")
            new_ids.append(ent.id)
            if len(new_ids) % CHUNK == 0:
                uow.session.flush()
                uow.session.expunge_all()  # keep memory flat on 100,000-row imports
                reporter.progress(row, len(cleaned))
                reporter.check()
        if bad:
            raise ImportRejected(bad)
        uow.commit()
    reporter.progress(len(cleaned), len(cleaned))
    return OpResult(changed(Enterprise.__record_type__, *new_ids))
