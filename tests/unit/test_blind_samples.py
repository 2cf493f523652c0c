"""Blind-sample results: z and verdict computed from the data; frozen with a signed audit."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from ohinspect.errors import LockedRecordError, ValidationError
from ohinspect.services.blind_samples import (BlindSampleInput, list_blind_samples,
                                              record_blind_sample)
from ohinspect.services.institutions import frozen_guard
from ohinspect.store.models import AuditEntry, BlindSampleResult, Inspection
from tests.unit.test_institutions import make_enterprise


def _audit(store, actor, ent: str) -> str:  # type: ignore[no-untyped-def]
    with store.unit_of_work(actor) as uow:
        insp = Inspection(kind="institution_audit", enterprise_id=ent, template_id="t",
                          template_version=1, template_snapshot={},
                          started_at=datetime(2026, 6, 1, tzinfo=timezone.utc))
        uow.record(insp, "test.audit")
        uow.commit()
    return insp.id


def _lock(store, actor, insp_id: str) -> None:  # type: ignore[no-untyped-def]
    with store.unit_of_work(actor) as uow:
        insp = uow.session.get(Inspection, insp_id)
        with uow.session.no_autoflush:  # the lock reaches the database in one UPDATE
            insp.locked_at, insp.record_number = uow.now, "合卫职查〔2026〕0009号"
            uow.record(insp, "test.lock")
        uow.commit()


def _lead(**over: object) -> BlindSampleInput:
    values: dict[str, object] = dict(analyte="铅", unit="μg", reported_value="12.31",
                                     assigned_value=10, sigma="1.1", scheme="2026 年省级盲样考核",
                                     tested_on="2026-05-20")
    values.update(over)
    return BlindSampleInput(**values)  # type: ignore[arg-type]


def test_z_and_verdict_are_computed_and_audited(store, actor) -> None:
    cdc = make_enterprise(store, actor)
    record_blind_sample(store, actor, cdc, _lead())                       # z = 2.1
    record_blind_sample(store, actor, cdc, _lead(analyte="苯", reported_value="6.7",
                                                 tested_on="2026-05-21"))  # z = −3 (edge)
    with store.read() as s:
        rows = {r.analyte: r for r in list_blind_samples(s, cdc)}
        audit = [a for a in s.query(AuditEntry) if a.action == "institution.blind_sample.create"]
    assert rows["铅"].z_score == pytest.approx(2.1) and rows["铅"].verdict == "questionable"
    assert rows["苯"].z_score == pytest.approx(-3.0) and rows["苯"].verdict == "unsatisfactory"
    assert rows["铅"].tested_on == date(2026, 5, 20)
    assert len(audit) == 2 and "GB/T 28043" in audit[0].details


def test_bad_values_are_refused_field_by_field(store, actor) -> None:
    cdc = make_enterprise(store, actor)
    with pytest.raises(ValidationError) as err:
        record_blind_sample(store, actor, cdc, _lead(analyte="", reported_value="abc", sigma="0"))
    assert {p.field for p in err.value.problems} == {"analyte", "reported_value", "sigma"}
    with store.read() as s:
        assert s.query(BlindSampleResult).count() == 0


def test_frozen_with_the_signed_audit(store, actor) -> None:
    cdc = make_enterprise(store, actor)
    audit = _audit(store, actor, cdc)
    result = record_blind_sample(store, actor, cdc, _lead(inspection_id=audit)).record_id
    _lock(store, actor, audit)
    with pytest.raises(LockedRecordError) as err:
        record_blind_sample(store, actor, cdc, _lead(reported_value=10), result_id=result)
    assert "合卫职查〔2026〕0009号" in str(err.value)
    with pytest.raises(LockedRecordError):
        record_blind_sample(store, actor, cdc, _lead(inspection_id=audit))
    # underneath the service the triggers refuse too, mapped to the same error
    with pytest.raises(LockedRecordError, match="frozen"):
        with store.unit_of_work(actor) as uow, frozen_guard("frozen"):
            row = uow.session.get(BlindSampleResult, result)
            row.reported_value = 10.0
            uow.session.flush()
    with store.read() as s:
        assert s.get(BlindSampleResult, result).reported_value == pytest.approx(12.31)
        assert len(list_blind_samples(s, cdc, audit)) == 1
