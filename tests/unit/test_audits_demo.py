"""The demo store's audits: signed workplace and institution audits graded by grading.yaml, their
findings opened as rectification items (source ``audit``), one audit left half done; building
the demo again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from ohinspect.demo.audits import AUDITS, build_demo_audits, demo_audit_ids
from ohinspect.services.audit_queries import AuditFilter, list_audits
from ohinspect.store.models import AuditEntry, RectificationItem


def test_demo_audits(demo_store) -> None:  # type: ignore[no-untyped-def]
    store = demo_store
    with store.read() as s:
        signed, drafts = demo_audit_ids(s, signed=True), demo_audit_ids(s, signed=False)
        rows = {r.id: r for r in list_audits(s)}
        items = s.scalar(select(func.count()).select_from(RectificationItem)
                         .where(RectificationItem.source_type == "audit"))
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
    assert len(signed) == len(AUDITS) - 1 and len(drafts) == 1
    by_key = {spec.key: rows[i] for spec, i in zip((a for a in AUDITS if a.signed), signed)}
    # hand-worked from grading.yaml: a key item 不符合 fails the audit; one non-key 基本符合 of
    # 22 institution items (4.5 % ≤ 10 %) still conforms; one non-key 不符合 of 21 graded
    # workplace items (3 不适用) is 4.8 % ≤ 20 % → 基本符合
    assert by_key["tsi1"].overall_result == "not_conform"          # calibration is a key item
    assert by_key["tsi2"].overall_result == "conform"
    assert by_key["cdc"].overall_result == "not_conform"           # certificates: a key item
    assert by_key["employer0"].overall_result == "not_conform"     # dust extraction: key item
    assert by_key["employer1"].overall_result == "basically_conform"  # a non-key 不符合
    assert items == sum(len(a.grades) for a in AUDITS if a.signed)
    assert {r.kind for r in rows.values()} == {"workplace_audit", "institution_audit"}
    assert rows[drafts[0]].status == "draft"
    with store.read() as s:
        assert len(list_audits(s, AuditFilter(kind="institution_audit"))) == 3
    again = build_demo_audits(store, store.actor("demo"))
    assert again.changes.record_ids == frozenset()
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == entries
