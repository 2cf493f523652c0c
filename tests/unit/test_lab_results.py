"""Lab results: entered by hand, corrected by superseding (never edited), and imported from the
lab's CSV file all or nothing (docs/results-csv.md). Sampling records are built directly
through the ORM so that these tests do not depend on the sampling services."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from ohinspect.errors import ValidationError
from ohinspect.services.lab_results import (FREE_SILICA, ResultInput, ResultsImportRejected,
                                            add_result, current_results, import_results_csv,
                                            result_history)
from ohinspect.store.base import new_id
from ohinspect.store.models import (AuditEntry, Enterprise, LabResult, OutboxEntry, Sample,
                                    SamplingTask)

START = datetime(2026, 11, 16, 8, 0, tzinfo=timezone(timedelta(hours=8)))


def _samples(store, actor) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A locked task (results arrive after signing) with a benzene sample of 120 L, a silica
    total-dust sample of 960 L, a blank and a sample without a volume; number → id."""
    ent = Enterprise(id=new_id(), name="合水县示例化工有限公司", uscc="91621024MA71BC0001",
                     division_code="621024")
    task = SamplingTask(id=new_id(), enterprise_id=ent.id, task_number="CJ-2026-0001",
                        monitoring_type="routine")
    rows = [
        Sample(id=new_id(), task_id=task.id, sample_number="S-0001", kind="personal",
               hazard_code="chem.benzene", started_at=START, ended_at=START + timedelta(hours=2),
               volume_l=120.0),
        Sample(id=new_id(), task_id=task.id, sample_number="S-0002", kind="personal",
               hazard_code="dust.silica", fraction="total", started_at=START,
               ended_at=START + timedelta(hours=8), volume_l=1000.0, standard_volume_l=960.0),
        Sample(id=new_id(), task_id=task.id, sample_number="S-0003", kind="blank",
               hazard_code="chem.benzene"),
        Sample(id=new_id(), task_id=task.id, sample_number="S-0004", kind="fixed",
               hazard_code="chem.manganese"),
    ]
    with store.unit_of_work(actor) as uow:
        task.locked_at, task.status = uow.now, "signed"
        # the samples first (foreign keys are deferred): a locked task takes no new samples
        for obj in (ent, *rows, task):
            uow.record(obj, "test.create")
            uow.session.flush()
        uow.commit()
    return {s.sample_number: s.id for s in rows}


@pytest.fixture
def samples(store, actor) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _samples(store, actor)


def _counts(store) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return (s.query(LabResult).count(), s.query(OutboxEntry).count(),
                s.query(AuditEntry).count())


# ------------------------------------------------------------------ manual entry

def test_manual_result_by_chinese_name_with_provenance(store, actor, samples) -> None:
    before = _counts(store)
    result = add_result(store, actor, ResultInput(
        sample_id=samples["S-0001"], analyte="苯", value="0.82", lod="0.05", unit="mg/m3",
        method="GBZ/T 300.66-2017", lab="市疾控中心实验室", analysed_on="2026/11/20"))
    assert result.changes.touches("lab_result") and result.record_id
    assert _counts(store) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with store.read() as s:
        r = s.get(LabResult, result.record_id)
        assert (r.analyte, r.value, r.lod, r.unit, r.below_lod) == ("chem.benzene", 0.82, 0.05,
                                                                     "mg/m³", False)
        assert (r.source, r.source_file, r.source_line) == ("manual", "", None)
        assert r.analysed_on == date(2026, 11, 20)


def test_below_lod_notation_and_units(store, actor, samples) -> None:
    r1 = add_result(store, actor, ResultInput(samples["S-0001"], "chem.toluene", "＜0.5",
                                              unit="µg"))
    r2 = add_result(store, actor, ResultInput(samples["S-0002"], "游离SiO2", 35, unit="%"))
    with store.read() as s:
        a, b = s.get(LabResult, r1.record_id), s.get(LabResult, r2.record_id)
        assert (a.value, a.below_lod, a.lod, a.unit) == (None, True, 0.5, "ug")
        assert (b.analyte, b.value, b.unit) == (FREE_SILICA, 35, "%")


@pytest.mark.parametrize("data, field, words", [
    (dict(analyte="笨"), "analyte", "未知的检测项目"),
    (dict(analyte="phys.noise"), "analyte", "未知的检测项目"),
    (dict(value="abc"), "value", "不是有效的数值"),
    (dict(value=-1), "value", "不能为负数"),
    (dict(value=None), "value", "必填"),
    (dict(value=None, below_lod=True), "lod", "须给出检出限"),
    (dict(unit="f/mL"), "unit", "不适用于"),
    (dict(unit="%"), "unit", "不适用于"),
    (dict(unit="mg/L"), "unit", "未知的单位"),
    (dict(analysed_on="2026-13-01"), "analysed_on", "不是有效的日期"),
])
def test_manual_result_refused_with_the_field(store, actor, samples, data, field, words) -> None:
    base = dict(sample_id=samples["S-0001"], analyte="chem.benzene", value=1.0, unit="mg/m³")
    base.update(data)
    before = _counts(store)
    with pytest.raises(ValidationError) as err:
        add_result(store, actor, ResultInput(**base))  # type: ignore[arg-type]
    assert field in {p.field for p in err.value.problems}
    assert words in err.value.for_field(field)[0].message
    assert _counts(store) == before


def test_ppm_needs_a_molecular_weight_and_mass_needs_a_volume(store, actor, samples) -> None:
    # toluene has M = 92.14 in the limits table; manganese has none
    add_result(store, actor, ResultInput(samples["S-0001"], "chem.toluene", 10, unit="ppm"))
    with pytest.raises(ValidationError) as err:
        add_result(store, actor, ResultInput(samples["S-0004"], "chem.manganese", 1, unit="ppm"))
    assert "分子量" in err.value.for_field("unit")[0].message
    with pytest.raises(ValidationError) as err:
        add_result(store, actor, ResultInput(samples["S-0004"], "chem.manganese", 1, unit="ug"))
    assert "没有采样体积" in err.value.for_field("unit")[0].message
    # a blank takes a mass without a volume (it is only compared with the LOD)
    add_result(store, actor, ResultInput(samples["S-0003"], "chem.benzene", 0.3, lod=0.1,
                                         unit="ug"))


def test_supersede_keeps_the_old_result(store, actor, samples) -> None:
    sid = samples["S-0001"]
    first = add_result(store, actor, ResultInput(sid, "chem.benzene", 5.0)).record_id
    # a second result without saying what it corrects is refused
    with pytest.raises(ValidationError) as err:
        add_result(store, actor, ResultInput(sid, "chem.benzene", 2.0))
    assert "已有此项目的结果（5 mg/m³）" in err.value.problems[0].message
    second = add_result(store, actor, ResultInput(sid, "chem.benzene", 2.0),
                        supersedes_id=first).record_id
    # only the current result can be corrected
    with pytest.raises(ValidationError) as err:
        add_result(store, actor, ResultInput(sid, "chem.benzene", 2.5), supersedes_id=first)
    assert err.value.problems[0].field == "supersedes_id"
    with pytest.raises(ValidationError):
        add_result(store, actor, ResultInput(sid, "chem.toluene", 2.5), supersedes_id=second)
    with store.read() as s:
        history = result_history(s, sid, "chem.benzene")
        assert [(r.id, r.value, r.supersedes_id, r.deleted_at) for r in history] == [
            (first, 5.0, None, None), (second, 2.0, first, None)]
        current = current_results(s, [sid])
        assert current[(sid, "chem.benzene")].id == second
        # the database refuses editing a result, whatever the code does
        with pytest.raises(Exception, match="never edited"):
            s.execute(text("UPDATE lab_result SET value = 1 WHERE id = :id"), {"id": first})


# ------------------------------------------------------------------ CSV import

HEAD = "sample_number,analyte,result,unit,lod,method,lab,lab_sample_id,analysed_on\n"


def _write(tmp_path: Path, name: str, body: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(body.encode(encoding))
    return path


GOOD = (HEAD
        + "S-0001,chem.benzene,0.82,mg/m³,0.05,GBZ/T 300.66-2017,市疾控中心实验室,L-001,2026-11-20\n"
        + "S-0001,甲苯,<0.5,ug,,GBZ/T 300.66-2017,市疾控中心实验室,L-001,2026-11-20\n"
        + "\n"
        + "S-0002,矽尘,768,µg,,GBZ/T 192.1-2007,市疾控中心实验室,L-002,2026-11-21\n"
        + "S-0002,游离二氧化硅,50,%,,GBZ/T 192.4-2007,市疾控中心实验室,L-002,2026-11-21\n"
        + "S-0003,苯,<0.1,ug,,,,,\n")


def test_csv_happy_path_with_provenance(store, actor, samples, tmp_path) -> None:
    path = _write(tmp_path, "lab-2026-11.csv", GOOD)
    result = import_results_csv(store, actor, path)
    assert len(result.changes.record_ids) == 5 and result.warnings == ()
    with store.read() as s:
        rows = {(r.sample_id, r.analyte): r for r in s.query(LabResult)}
        benz = rows[(samples["S-0001"], "chem.benzene")]
        assert (benz.value, benz.lod, benz.source, benz.source_file, benz.source_line) == (
            0.82, 0.05, "csv", "lab-2026-11.csv", 2)
        tol = rows[(samples["S-0001"], "chem.toluene")]
        assert (tol.below_lod, tol.lod, tol.unit, tol.source_line) == (True, 0.5, "ug", 3)
        assert rows[(samples["S-0002"], "dust.silica")].source_line == 5   # the blank line counts
        assert rows[(samples["S-0002"], FREE_SILICA)].value == 50
        audit = s.query(AuditEntry).filter(AuditEntry.action == "lab_result.import_file").one()
        details = json.loads(audit.details)
        assert details["file"] == "lab-2026-11.csv" and details["imported"] == 5


def test_reimport_skips_equal_rows_and_supersedes_changed_ones(store, actor, samples,
                                                               tmp_path) -> None:
    import_results_csv(store, actor, _write(tmp_path, "a.csv", GOOD))
    again = import_results_csv(store, actor, _write(tmp_path, "a.csv", GOOD))
    assert len(again.changes.record_ids) == 0 and len(again.warnings) == 5
    assert all("已跳过" in w for w in again.warnings)
    changed = GOOD.replace("S-0001,chem.benzene,0.82", "S-0001,chem.benzene,0.92")
    third = import_results_csv(store, actor, _write(tmp_path, "b.csv", changed))
    assert len(third.changes.record_ids) == 1
    assert any(w.startswith("第 2 行：更正了样品 S-0001 的原结果（0.82 mg/m³ → 0.92 mg/m³）")
               for w in third.warnings)
    with store.read() as s:
        current = current_results(s, [samples["S-0001"]])[(samples["S-0001"], "chem.benzene")]
        assert current.value == 0.92 and current.source_file == "b.csv"
        assert s.get(LabResult, current.supersedes_id).value == 0.82


def test_every_bad_row_reported_with_its_line_and_nothing_written(store, actor, samples,
                                                                  tmp_path) -> None:
    body = (HEAD
            + "S-0001,chem.benzene,0.82,mg/m³,0.05,,,,\n"           # 2 good
            + "S-9999,chem.benzene,0.82,mg/m³,,,,,\n"               # 3 unknown sample
            + "S-0001,笨,0.82,mg/m³,,,,,\n"                          # 4 unknown analyte
            + "S-0004,chem.manganese,0.1,ppm,,,,,\n"               # 5 ppm without M
            + "S-0001,chem.toluene,0.3,f/mL,,,,,\n"                # 6 unit mismatch
            + "S-0001,chem.xylene,abc,mg/m³,,,,,\n"                # 7 bad number
            + "S-0001,chem.benzene,0.9,mg/m³,,,,,\n"               # 8 duplicate of line 2
            + "S-0001,chem.methanol,-2,mg/m³,,,,,\n"               # 9 negative
            + "S-0004,chem.manganese,5,ug,,,,,\n"                  # 10 mass without volume
            + "S-0001,chem.ammonia,<,mg/m³,,,,,\n"                 # 11 "<" without a number
            + "S-0001,chem.phenol,1,mg/m³,,,,,2026-02-30\n"        # 12 bad date
            + "S-0001,chem.acetone,1,kg,,,,,\n"                    # 13 unknown unit
            + "S-0001,chem.styrene,1,mg/m³,,,,,,extra\n")          # 14 too many fields
    path = _write(tmp_path, "bad.csv", body)
    before = _counts(store)
    with pytest.raises(ResultsImportRejected) as err:
        import_results_csv(store, actor, path)
    lines = {p.line: p.text() for p in err.value.lines}
    assert sorted(lines) == list(range(3, 15))
    assert "样品编号“S-9999”不存在" in lines[3]
    assert "未知的检测项目“笨”" in lines[4]
    assert "分子量" in lines[5] and "ppm" in lines[5]
    assert "f/mL 不适用于 chem.toluene" in lines[6]
    assert "“abc”不是有效的数值" in lines[7]
    assert "与第 2 行重复" in lines[8]
    assert "不能为负数" in lines[9]
    assert "没有采样体积" in lines[10]
    assert "“<”不是有效的数值" in lines[11]
    assert "2026-02-30" in lines[12]
    assert "未知的单位“kg”" in lines[13]
    assert "多于表头" in lines[14]
    assert all(t.startswith(f"第 {n} 行：") for n, t in lines.items())
    assert "有 12 行有误，未导入任何结果" in str(err.value)
    assert _counts(store) == before        # nothing written, not even the good line


@pytest.mark.parametrize("body, words", [
    ("sample_number,analyte,result\nS-0001,苯,1\n", "缺少必需的列：unit"),
    ("sample_number,analyte,result,unit,reslut\nS-0001,苯,1,mg/m3,2\n", "未知的列“reslut”"),
    (HEAD, "没有数据行"),
    ("", "文件为空"),
])
def test_heading_problems(store, actor, samples, tmp_path, body, words) -> None:
    with pytest.raises(ResultsImportRejected) as err:
        import_results_csv(store, actor, _write(tmp_path, "h.csv", body))
    assert err.value.lines[0].line == 1 and words in err.value.lines[0].text()


def test_utf8_bom_with_chinese_headings(store, actor, samples, tmp_path) -> None:
    body = ("样品编号,检测项目,检测结果,单位,检出限\n"
            "S-0001,苯,０.８２,毫克/立方米,0.05\n")
    path = _write(tmp_path, "bom.csv", body, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = import_results_csv(store, actor, path)
    assert len(result.changes.record_ids) == 1
    with store.read() as s:
        r = s.query(LabResult).one()
        assert (r.analyte, r.value, r.unit, r.source_line) == ("chem.benzene", 0.82, "mg/m³", 2)


def test_gb18030_file(store, actor, samples, tmp_path) -> None:
    body = ("样品编号,检测项目,结果,单位,实验室\n"
            "S-0001,甲苯,12.5,微克,庆阳市疾病预防控制中心\n"
            "S-0002,游离二氧化硅,35,％,庆阳市疾病预防控制中心\n")
    path = _write(tmp_path, "gbk.csv", body, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    result = import_results_csv(store, actor, path)
    assert len(result.changes.record_ids) == 2
    with store.read() as s:
        rows = {r.analyte: r for r in s.query(LabResult)}
        assert rows["chem.toluene"].lab == "庆阳市疾病预防控制中心"
        assert rows["chem.toluene"].unit == "ug" and rows[FREE_SILICA].unit == "%"


def test_gb18030_bad_row_reported(store, actor, samples, tmp_path) -> None:
    body = "样品编号,检测项目,结果,单位\nS-0001,二甲苯,十二,mg/m3\n"
    with pytest.raises(ResultsImportRejected) as err:
        import_results_csv(store, actor, _write(tmp_path, "gbk.csv", body, "gb18030"))
    assert err.value.lines[0].text() == "第 2 行：检测结果：“十二”不是有效的数值。"
