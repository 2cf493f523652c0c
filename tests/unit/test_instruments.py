"""Instruments: calibration due date required, overdue flagged, sampling warns (never refuses)."""

from __future__ import annotations

from datetime import date

import pytest

from ohinspect.errors import ValidationError
from ohinspect.services.instruments import (InstrumentInput, instrument_warnings, is_overdue,
                                            list_instruments, proposed_due, retire_instrument,
                                            save_instrument)
from ohinspect.services.sampling import NoiseInput, record_noise, record_sample
from ohinspect.store.models import Instrument, Sample
from tests.unit.test_institutions import make_enterprise
from tests.unit.test_sampling_service import at, make_posts, make_task, personal


def _pump(**over: object) -> InstrumentInput:
    values: dict[str, object] = dict(asset_no="QC-2A-07", kind="sampling_pump", name="个体采样泵",
                                     model="QC-2A", calibrated_on="2025-11-01",
                                     calibration_due="2026-10-31")
    values.update(over)
    return InstrumentInput(**values)  # type: ignore[arg-type]


def test_calibration_due_is_required_and_checked(store, actor) -> None:
    tsi = make_enterprise(store, actor, "甘肃某职业卫生技术服务有限公司", "technical_service")
    with pytest.raises(ValidationError) as err:
        save_instrument(store, actor, tsi, _pump(calibration_due=""))
    assert [p.field for p in err.value.problems] == ["calibration_due"]
    assert "检定有效期" in err.value.problems[0].message
    with pytest.raises(ValidationError) as err:
        save_instrument(store, actor, tsi, _pump(calibration_due="2025-10-01", kind="toaster"))
    assert {p.field for p in err.value.problems} == {"calibration_due", "kind"}
    save_instrument(store, actor, tsi, _pump())
    with pytest.raises(ValidationError) as err:
        save_instrument(store, actor, tsi, _pump())
    assert "QC-2A-07" in err.value.for_field("asset_no")[0].message
    with store.read() as s:
        assert s.query(Instrument).count() == 1


def test_proposed_due_date_from_the_data_interval() -> None:
    assert proposed_due("sampling_pump", date(2026, 3, 15)) == date(2027, 3, 14)
    assert proposed_due("gas_chromatograph", date(2026, 3, 15)) == date(2028, 3, 14)
    assert proposed_due("sampling_pump", date(2024, 2, 29)) == date(2025, 2, 27)
    assert proposed_due("toaster", date(2026, 3, 15)) is None


def test_overdue_and_retire(store, actor) -> None:
    tsi = make_enterprise(store, actor, "甘肃某职业卫生技术服务有限公司", "technical_service")
    pump = save_instrument(store, actor, tsi, _pump()).record_id
    with store.read() as s:
        inst = s.get(Instrument, pump)
        assert not is_overdue(inst, date(2026, 10, 31)) and is_overdue(inst, date(2026, 11, 1))
        assert instrument_warnings(s, ["QC-2A-07"], date(2026, 10, 31)) == []
        [warning] = instrument_warnings(s, ["QC-2A-07", "unknown"], date(2026, 11, 1))
        assert "QC-2A-07" in warning and "2026-10-31" in warning and "已超过有效期" in warning
    retire_instrument(store, actor, pump, "损坏")
    with pytest.raises(ValidationError):
        retire_instrument(store, actor, pump)
    with store.read() as s:
        [row] = list_instruments(s, tsi)
        assert row.status == "retired" and not is_overdue(row, date(2027, 1, 1))
        assert "已停用" in instrument_warnings(s, ["QC-2A-07"], date(2026, 1, 1))[0]


def test_sampling_with_an_overdue_instrument_warns_but_records(store, actor) -> None:
    tsi = make_enterprise(store, actor, "甘肃某职业卫生技术服务有限公司", "technical_service")
    save_instrument(store, actor, tsi, _pump(asset_no="P-OLD", calibration_due="2026-11-01"))
    save_instrument(store, actor, tsi, _pump(asset_no="CAL-01", kind="flow_calibrator",
                                             calibration_due="2027-06-30"))
    save_instrument(store, actor, tsi, _pump(asset_no="AWA-1", kind="sound_level_meter",
                                             calibration_due="2026-02-01"))
    tid = make_task(store, actor)
    post, _ = make_posts(store, actor, tid)
    result = record_sample(store, actor, tid, personal(post, "张三", "P-OLD"))   # 2026-11-23
    assert len(result.warnings) == 1 and "P-OLD" in result.warnings[0]
    fresh = record_sample(store, actor, tid, personal(post, "李四", "P-NEW"))
    assert not any("P-NEW" in w or "CAL-01" in w for w in fresh.warnings)
    noise = record_noise(store, actor, tid, NoiseInput(
        post_id=post, point="配料釜旁", meter_id="AWA-1", readings_db=[85, 86, 85],
        exposure_hours=8, calibrator_before_db=93.8, calibrator_after_db=93.9,
        measured_at=at(9)))
    assert any("AWA-1" in w for w in noise.warnings)
    with store.read() as s:
        assert s.query(Sample).count() == 2
