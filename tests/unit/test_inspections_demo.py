"""The demo 三同时 records: a roster, projects at every stage, signed verifications (with
findings, opinion numbers, a refusal before a witness) and one half-answered draft —
deterministic and idempotent (tests/integration/test_cli.py compares this file's fingerprint of
a fresh ``init --demo`` with the session's demo)."""

from __future__ import annotations


from sqlalchemy import func, select

from ohinspect.demo.projects import JURISDICTION, PROJECTS, REFERENCE_DATE, demo_inspection_ids
from ohinspect.services.coverage import verification_coverage
from ohinspect.services.inspection_queries import get_inspection_view
from ohinspect.services.project_queries import ProjectFilter, list_projects
from ohinspect.services.roster import list_inspectors
from ohinspect.store.database import Store
from ohinspect.store.models import (Attachment, AuditEntry, Inspection, IssuedNumber, OutboxEntry,
                                    RECORD_TYPES)


def _totals(store: Store) -> dict[str, int]:
    with store.read() as s:
        found = {name: s.scalar(select(func.count()).select_from(m)) or 0
                 for name, m in RECORD_TYPES.items()}
        for m in (OutboxEntry, AuditEntry, IssuedNumber):
            found[m.__name__] = s.scalar(select(func.count()).select_from(m)) or 0
    return found


def _fingerprint(store: Store) -> list[tuple[object, ...]]:
    with store.read() as s:
        rows: list[tuple[object, ...]] = []
        for insp in s.scalars(select(Inspection).order_by(Inspection.id)):
            v = get_inspection_view(s, insp.id)
            rows.append((insp.id, insp.record_number, insp.opinion_number, insp.started_at,
                         insp.locked_at, sorted((a.id, a.answer, a.note) for a in v.answers.values()),
                         [(g.id, g.role, g.image_sha256) for g in v.signatures],
                         [(r.id, r.item_id, r.deadline) for r in v.findings]))
        rows.append(tuple(sorted((a.id, a.sha256) for a in s.scalars(select(Attachment)))))
    return rows


def test_demo_verifications(demo_store) -> None:  # type: ignore[no-untyped-def]
    store = demo_store
    with store.read() as s:
        roster = list_inspectors(s, JURISDICTION)
        assert len(roster) == 6 and all(p.id_no and p.unit for p in roster)

        projects = list_projects(s, ProjectFilter())
        assert len(projects) == len(PROJECTS) == 12
        assert {p.current_stage for p in projects} >= {"pre_assessment", "design",
                                                       "control_effect", "acceptance"}
        assert {p.risk_class for p in projects} == {"severe", "general"}

        signed = demo_inspection_ids(s, signed=True)
        drafts = demo_inspection_ids(s, signed=False)
        assert 4 <= len(signed) <= 6 and len(drafts) == 1
        views = [get_inspection_view(s, i) for i in signed]
        with_findings = [v for v in views if v.findings]
        assert len(with_findings) >= 2
        for v in views:
            assert v.locked and v.inspection.record_number.startswith("合卫职查〔2026〕")
            assert v.next_unanswered() is None
            assert (v.inspection.opinion_number != "") == bool(v.findings)
            assert sum(g.role == "inspector" for g in v.signatures) >= 1
            for g in v.signatures:
                assert g.refused or (store.attachments_dir / g.image_sha256[:2] / g.image_sha256).exists()
            for item in v.items:
                assert not v.template.photo_required(item.id, v.answer_of(item.id)) or v.photos[item.id]
            assert all(r.deadline >= v.inspection.locked_at.date() for r in v.findings)
        refusals = [g for v in views for g in v.signatures if g.refused]
        assert len(refusals) == 1 and refusals[0].role == "party" and refusals[0].witness_name

        draft = get_inspection_view(s, drafts[0])
        assert not draft.locked and draft.answered_count() == len(draft.items) // 2
        assert draft.next_unanswered() == draft.inspection.current_item != ""
        # every business date is counted from the reference date, not from today
        assert all(v.inspection.started_at.date() <= REFERENCE_DATE for v in views + [draft])

        coverage = {row.risk_class: row for row in verification_coverage(s, JURISDICTION, 2026)}
        assert (coverage["severe"].reached_acceptance, coverage["severe"].verified) == (4, 3)
        assert (coverage["general"].reached_acceptance, coverage["general"].verified) == (3, 1)
