"""Document numbers: the 《卫生行政执法文书规范》 format, per-device blocks, never reused."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from ohinspect.errors import OHInspectError
from ohinspect.services.numbering import (NumberingError, ensure_demo_blocks, issue_number,
                                          load_numbering_rules, remaining, reserve_block,
                                          series_for)
from ohinspect.store.models import AuditEntry, IssuedNumber, NumberBlock

YEAR = 2026


def _issue(store, actor, record_id: str = "rec", doc_type: str = "inspection_record") -> str:  # type: ignore[no-untyped-def]
    with store.unit_of_work(actor) as uow:
        number = issue_number(uow, doc_type, "621024", YEAR, "inspection", record_id)
        uow.commit()
    return number


def test_series_follows_the_format_from_the_data_file() -> None:
    assert series_for("inspection_record", "621024", YEAR) == "合卫职查〔2026〕"
    assert series_for("supervision_opinion", "130300", 2021) == "秦卫职意〔2021〕"
    assert series_for("correction_order", "620000", 2025) == "甘卫职改〔2025〕"
    assert series_for("inspection_record", "621022", YEAR) == "环县卫职查〔2026〕"
    assert load_numbering_rules().width == 4


def test_unconfigured_region_and_unknown_type_are_clear_errors() -> None:
    with pytest.raises(NumberingError) as err:
        series_for("inspection_record", "130302", YEAR)  # 海港区: no abbreviation configured
    assert "130302" in str(err.value) and "numbering.yaml" in str(err.value)
    with pytest.raises(NumberingError) as err:
        series_for("penalty_decision", "621024", YEAR)
    assert "penalty_decision" in str(err.value) and "inspection_record" in str(err.value)
    with pytest.raises(NumberingError):
        series_for("inspection_record", "621024", 26)
    assert issubclass(NumberingError, OHInspectError)


def test_numbers_run_in_sequence_and_are_recorded(store, actor) -> None:  # type: ignore[no-untyped-def]
    series = series_for("inspection_record", "621024", YEAR)
    reserve_block(store, actor, series, 7, 20, "platform")
    numbers = [_issue(store, actor, f"r{i}") for i in range(3)]
    assert numbers == ["合卫职查〔2026〕0007号", "合卫职查〔2026〕0008号", "合卫职查〔2026〕0009号"]
    with store.read() as s:
        rows = s.query(IssuedNumber).order_by(IssuedNumber.sequence).all()
        assert [(r.sequence, r.record_type, r.record_id) for r in rows] == [
            (7, "inspection", "r0"), (8, "inspection", "r1"), (9, "inspection", "r2")]
        assert remaining(s, series) == 11
        assert s.query(AuditEntry).filter_by(action="numbering.issue").count() == 3
        assert s.query(AuditEntry).filter_by(action="numbering.reserve_block").count() == 1


def test_two_blocks_are_used_one_after_the_other(store, actor) -> None:  # type: ignore[no-untyped-def]
    series = series_for("supervision_opinion", "621024", YEAR)
    reserve_block(store, actor, series, 101, 102, "platform")
    reserve_block(store, actor, series, 1, 2, "admin")
    got = [_issue(store, actor, f"r{i}", "supervision_opinion") for i in range(4)]
    assert got == [f"合卫职意〔2026〕{n:04d}号" for n in (1, 2, 101, 102)]
    with pytest.raises(NumberingError) as err:
        _issue(store, actor, "r5", "supervision_opinion")
    assert "已用完" in str(err.value) and "0102" not in str(err.value) and "102" in str(err.value)


def test_no_block_and_exhausted_block_give_clear_errors(store, actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NumberingError) as err:
        _issue(store, actor)
    assert "没有“现场检查笔录”的可用号段" in str(err.value)
    series = series_for("inspection_record", "621024", YEAR)
    reserve_block(store, actor, series, 1, 1, "admin")
    _issue(store, actor)
    with pytest.raises(NumberingError) as err:
        _issue(store, actor, "next")
    assert "号段已用完" in str(err.value) and series in str(err.value)
    with store.read() as s:  # the failed attempt left nothing behind
        assert s.query(IssuedNumber).count() == 1


def test_a_committed_number_is_never_reused(store, actor) -> None:  # type: ignore[no-untyped-def]
    series = series_for("inspection_record", "621024", YEAR)
    reserve_block(store, actor, series, 1, 10, "admin")
    first = _issue(store, actor, "a")
    # even if the block's counter were set back (a restored backup, a bug), the number is skipped
    with store.unit_of_work(actor) as uow:
        uow.session.query(NumberBlock).update({NumberBlock.next: 1})
        uow.commit()
    second = _issue(store, actor, "b")
    assert (first, second) == ("合卫职查〔2026〕0001号", "合卫职查〔2026〕0002号")
    # and the database itself refuses a duplicate
    with store.unit_of_work(actor) as uow, pytest.raises(IntegrityError):
        uow.session.add(IssuedNumber(number=first, series=series, sequence=1,
                                     record_type="x", record_id="y"))
        uow.session.flush()


def test_a_rolled_back_document_was_never_issued_its_number(store, actor) -> None:  # type: ignore[no-untyped-def]
    series = series_for("inspection_record", "621024", YEAR)
    reserve_block(store, actor, series, 1, 10, "admin")
    with store.unit_of_work(actor) as uow:
        abandoned = issue_number(uow, "inspection_record", "621024", YEAR, "inspection", "x")
        # the document fails before commit: the unit of work rolls back
    with store.read() as s:
        assert s.query(IssuedNumber).count() == 0 and remaining(s, series) == 10
    kept = _issue(store, actor, "y")
    assert kept == abandoned == "合卫职查〔2026〕0001号"
    assert _issue(store, actor, "z") == "合卫职查〔2026〕0002号"


def test_reserve_block_refuses_overlaps_and_bad_ranges(store, actor) -> None:  # type: ignore[no-untyped-def]
    series = series_for("inspection_record", "621024", YEAR)
    reserve_block(store, actor, series, 10, 20, "platform")
    with pytest.raises(NumberingError) as err:
        reserve_block(store, actor, series, 20, 30, "platform")
    assert "重叠" in str(err.value)
    for first, last in ((0, 5), (9, 3)):
        with pytest.raises(NumberingError):
            reserve_block(store, actor, series, first, last, "admin")
    with pytest.raises(NumberingError):
        reserve_block(store, actor, series, 9000, 10000, "admin")  # 5 digits in a 4-digit series
    with pytest.raises(NumberingError):
        reserve_block(store, actor, series, 30, 40, "neighbour")
    # another series may use the same range
    reserve_block(store, actor, series_for("inspection_record", "621024", YEAR + 1), 10, 20, "platform")
    with store.read() as s:
        assert s.query(NumberBlock).count() == 2


def test_demo_blocks_are_idempotent(store, actor) -> None:  # type: ignore[no-untyped-def]
    ensure_demo_blocks(store, actor, "621024", YEAR)
    ensure_demo_blocks(store, actor, "621024", YEAR)
    rules = load_numbering_rules()
    with store.read() as s:
        blocks = s.query(NumberBlock).all()
    assert len(blocks) == len(rules.document_types) == 3
    assert {b.source for b in blocks} == {"demo"}
    assert {(b.first, b.last) for b in blocks} == {(rules.demo_first, rules.demo_last)}
    assert _issue(store, actor) == "合卫职查〔2026〕0001号"
