"""The checklist engine: shipped 三同时 templates, applicability, findings, snapshots, versions.

Malformed template files and their messages are in test_checklists_loader.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ohinspect.checklists import (
    THREE_SIMULTANEITIES,
    ChecklistTemplate,
    load_answer_types,
    load_conditions,
    load_library,
    load_stages,
    load_template_file,
    stage,
)
from ohinspect.errors import DataFileError
from ohinspect.i18n import set_language
from ohinspect.paths import resources_dir
from ohinspect.resources import load_data_file
from ohinspect.standards.classifications import load_classifications

FOLDER = resources_dir() / "checklists"
STAGE_CODES = ["pre_assessment", "design", "control_effect", "acceptance"]
SEVERE = {"risk_class": "severe"}
GENERAL = {"risk_class": "general"}
LAW = "《中华人民共和国职业病防治法》"
ORDER_90 = "《建设项目职业病防护设施“三同时”监督管理办法》(原国家安全监管总局令第90号)"
#: article numbers checked against the texts (see each template's meta.verified); an item citing
#: any other article says what is unsure in its ``basis_confidence``
VERIFIED_ARTICLES = {
    LAW: {"第十六条", "第十七条", "第十八条", "第二十条", "第二十二条", "第二十四条", "第二十五条",
          "第二十六条", "第三十四条", "第三十五条", "第三十六条", "第五十条", "第五十五条",
          "第五十六条"},
    ORDER_90: {"第九条", "第十条", "第十二条"},
}


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _template_files() -> list[Path]:
    return sorted(p for p in FOLDER.glob("*/*.yaml"))


# ------------------------------------------------------------------------- shipped data


def test_the_four_stages_in_order_each_with_its_template() -> None:
    stages = load_stages()
    assert [s.code for s in stages] == STAGE_CODES
    assert [s.order for s in stages] == [1, 2, 3, 4]
    assert [s.name_zh for s in stages] == ["预评价", "防护设施设计", "控制效果评价", "竣工验收"]
    library = load_library()
    assert library.problems == []
    for s in stages:
        template = library.for_stage(THREE_SIMULTANEITIES, s.code)
        assert template.id == s.template_id
        assert (template.kind, template.stage) == (THREE_SIMULTANEITIES, s.code)
        assert library.get(s.template_id) is template
    assert stage("acceptance").order == 4
    with pytest.raises(KeyError, match="construction"):
        stage("construction")


def test_shipped_templates_load_and_every_item_is_complete() -> None:
    library = load_library()
    assert len(library.templates()) == len(_template_files())
    seen: set[str] = set()
    for template in library.templates():
        assert template.version >= 1 and _cjk(template.title_zh) and not _cjk(template.title_en)
        assert len(template.items) >= 8
        for item in template.items:
            assert item.id not in seen, f"item id {item.id} is used by two templates"
            seen.add(item.id)
            assert len(item.id) <= 60  # InspectionAnswer.item_id is String(60)
            for zh in (item.text_zh, item.section_zh, item.requirement_zh):
                assert _cjk(zh), item.id
            for en in (item.text_en, item.section_en, item.requirement_en):
                assert en.strip() and not _cjk(en), item.id
            assert item.answer_type in template.answer_types
            assert item.legal_basis.startswith("《"), item.id
            assert item.deadline_days is not None and item.deadline_days > 0, item.id


def test_article_numbers_are_cited_only_where_verified() -> None:
    citation = re.compile(r"(《[^》]+》(?:\([^()]+\))?)(第[一二三四五六七八九十百]+条|[0-9.]+)?")
    for template in load_library().templates():
        for item in template.items:
            for part in item.legal_basis.split("；"):
                match = citation.fullmatch(part.strip())
                assert match, (item.id, part)
                instrument, article = match.groups()
                if article and article not in VERIFIED_ARTICLES.get(instrument, set()):
                    assert item.basis_confidence, (item.id, part)


def test_meta_says_what_is_verified_and_that_deadlines_are_unconfirmed() -> None:
    for path in [*_template_files(), FOLDER / "stages.yaml", FOLDER / "answer_types.yaml",
                 FOLDER / "conditions.yaml"]:
        meta = load_data_file(path)["meta"]  # the house's meta rules hold too
        assert meta.get("verified"), path
    for path in _template_files():
        meta = load_data_file(path)["meta"]
        assert "[U]" in meta["deadlines"], path
        assert path.name == f"{meta['id'].split('.')[-1]}.v{meta['version']}.yaml"


def _ids(template: ChecklistTemplate) -> set[str]:
    return {item.id for item in template.items}


def test_items_cover_what_the_inspector_verifies_at_each_stage() -> None:
    library = load_library()
    pre = library.for_stage(THREE_SIMULTANEITIES, "pre_assessment")
    assert {"pa.report.exists", "pa.report.institution", "pa.content.overview",
            "pa.content.hazards", "pa.content.facilities", "pa.content.conclusion"} <= _ids(pre)
    design = library.for_stage(THREE_SIMULTANEITIES, "design")
    assert {"ds.content.basis", "ds.content.prediction", "ds.content.facilities",
            "ds.content.auxiliary", "ds.content.adoption", "ds.content.investment",
            "ds.content.effect", "ds.review.report_kept"} <= _ids(design)
    assert "规格、型号、数量、分布" in design.item("ds.content.facilities").text_zh
    control = library.for_stage(THREE_SIMULTANEITIES, "control_effect")
    assert {"ce.report.exists", "ce.content.design_execution", "ce.content.facilities",
            "ce.content.workplace_testing", "ce.content.monitoring", "ce.content.health",
            "ce.content.management", "ce.trial_run.length"} <= _ids(control)
    assert control.item("ce.site.facilities_running").photo == "always"
    acceptance = library.for_stage(THREE_SIMULTANEITIES, "acceptance")
    assert {"ac.organised", "ac.rectified", "ac.facilities.as_designed", "ac.phased",
            "ac.report.regulator"} <= _ids(acceptance)
    assert acceptance.item("ac.facilities.as_designed").photo == "always"
    regulator = acceptance.item("ac.report.regulator")
    assert dict(regulator.condition) == {"risk_class": ("severe",)} and "20日" in regulator.text_zh
    for template in (pre, design, control, acceptance):
        # at every stage: who reviewed, external professionals for severe projects, 公示
        external = [i for i in template.items if "外单位" in i.text_zh]
        assert external and all(dict(i.condition) == {"risk_class": ("severe",)}
                                for i in external), template.id
        assert any("职业卫生专业技术人员" in i.text_zh and not i.condition
                   for i in template.items), template.id
        assert any("公示" in i.text_zh for i in template.items), template.id
        assert any("时限" in i.section_zh or "试运行时间" in i.text_zh
                   for i in template.items), template.id


def test_answer_types_and_condition_values() -> None:
    types = load_answer_types()
    conform3 = types["conform3"]
    assert [(o.code, o.label_zh, o.finding) for o in conform3.options] == [
        ("conform", "符合", False), ("not_conform", "不符合", True),
        ("not_applicable", "不适用", False)]
    grade3 = types["grade3"]
    assert [(o.label_zh, o.finding) for o in grade3.options] == [
        ("符合", False), ("基本符合", True), ("不符合", True)]
    assert conform3.option("nope") is None
    classes = {c.code for rs in load_classifications().risk_rule_sets for c in rs.classes}
    assert set(load_conditions()["risk_class"]) == classes


# ------------------------------------------------------------------------------ model


def test_applicable_items_with_and_without_severe() -> None:
    acceptance = load_library().for_stage(THREE_SIMULTANEITIES, "acceptance")
    severe_only = {"ac.review.external", "ac.report.regulator"}
    general = {i.id for i in acceptance.applicable_items(GENERAL)}
    severe = {i.id for i in acceptance.applicable_items(SEVERE)}
    assert severe == _ids(acceptance)
    assert general == _ids(acceptance) - severe_only
    assert {i.id for i in acceptance.applicable_items({})} == general  # unknown class: no extras
    assert [i.id for i in acceptance.applicable_items(SEVERE)] == [
        i.id for i in acceptance.items]  # template order kept


def test_is_finding_and_photo_rules() -> None:
    acceptance = load_library().for_stage(THREE_SIMULTANEITIES, "acceptance")
    assert acceptance.is_finding("ac.organised", "not_conform")
    assert not acceptance.is_finding("ac.organised", "conform")
    assert not acceptance.is_finding("ac.organised", "not_applicable")
    assert not acceptance.is_finding("ac.organised", "")  # unanswered
    with pytest.raises(ValueError, match="basically_conform"):
        acceptance.is_finding("ac.organised", "basically_conform")
    with pytest.raises(KeyError, match="ac.nothing"):
        acceptance.is_finding("ac.nothing", "conform")
    with pytest.raises(KeyError):
        acceptance.item("ac.nothing")
    assert acceptance.photo_required("ac.facilities.as_designed", "conform")
    assert not acceptance.photo_required("ac.facilities.as_designed", "not_applicable")
    assert acceptance.photo_required("ac.facilities.emergency", "not_conform")
    assert not acceptance.photo_required("ac.facilities.emergency", "conform")
    assert not acceptance.photo_required("ac.organised", "not_conform")


def test_current_language_picks_the_text() -> None:
    item = load_library().get("three_simultaneities.acceptance").item("ac.organised")
    assert item.text() == item.text_zh and item.section() == "验收组织"
    set_language("en")
    assert item.text() == item.text_en and item.requirement() == item.requirement_en
    assert stage("design").name() == "Protective-facility design"
    set_language("zh_CN")


def test_snapshot_round_trips_exactly_through_json() -> None:
    for template in load_library().templates():
        snapshot = template.to_snapshot()
        stored = json.loads(json.dumps(snapshot, ensure_ascii=False))  # as the JSON column does
        assert stored == snapshot
        restored = ChecklistTemplate.from_snapshot(stored)
        assert restored == template and hash(restored) == hash(template)
        assert restored.to_snapshot() == snapshot
        assert restored.applicable_items(GENERAL) == template.applicable_items(GENERAL)
        assert set(snapshot["answer_types"]) == {i.answer_type for i in template.items}


def test_a_snapshot_is_not_changed_by_a_later_template_version(tmp_path: Path) -> None:
    folder = tmp_path / "checklists"
    (folder / "ts").mkdir(parents=True)
    source = FOLDER / "three_simultaneities" / "acceptance.v1.yaml"
    shutil.copy(source, folder / "ts" / "acceptance.v1.yaml")
    old = load_library(folder).get("three_simultaneities.acceptance")
    snapshot = json.loads(json.dumps(old.to_snapshot()))
    newer = source.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1).replace(
        "职业病防护设施验收由建设单位负责组织", "职业病防护设施验收由建设单位依法组织")
    (folder / "ts" / "acceptance.v2.yaml").write_text(newer, encoding="utf-8")
    library = load_library(folder)
    assert library.problems == [] and library.versions(old.id) == [1, 2]
    assert library.get(old.id).version == 2
    assert "依法组织" in library.get(old.id).item("ac.organised").text_zh
    frozen = ChecklistTemplate.from_snapshot(snapshot)
    assert frozen == old and frozen.version == 1
    assert "负责组织" in frozen.item("ac.organised").text_zh


@pytest.mark.parametrize("damage", [
    lambda s: s.pop("items"),
    lambda s: s.update(format=99),
    lambda s: s["items"][0].update(photo="sometimes"),
    lambda s: s["items"][0].update(answer_type="yes_no"),
    lambda s: s.update(version="1"),
    lambda s: s["items"].append(dict(s["items"][0])),
])
def test_from_snapshot_refuses_damaged_data(damage) -> None:  # type: ignore[no-untyped-def]
    snapshot = load_library().get("three_simultaneities.design").to_snapshot()
    damage(snapshot)
    with pytest.raises(ValueError, match="快照"):
        ChecklistTemplate.from_snapshot(snapshot)


# ---------------------------------------------------------------------------- library


SMALL = """\
meta:
  id: test.small
  title: small
  source: test
  edition: "1"
  version: {version}
template:
  kind: three_simultaneities
  stage: design
  title_zh: 小模板
  title_en: Small template
sections:
  - id: main
    title_zh: 主要
    title_en: Main
    items:
      - id: small.one
        text_zh: {text}
        text_en: One
        legal_basis: 《法》
        answer_type: conform3
        photo: never
        deadline_days: 30
        requirement_zh: 改
        requirement_en: Fix
"""


def _write(folder: Path, name: str, version: object, text: str = "一", extra: str = "") -> Path:
    path = folder / "kind" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SMALL.format(version=version, text=text) + extra, encoding="utf-8")
    return path


def test_the_newest_valid_version_wins(tmp_path: Path) -> None:
    _write(tmp_path, "small.v1.yaml", 1, "第一版")
    _write(tmp_path, "small.v3.yaml", 3, "第三版")
    _write(tmp_path, "small.v2.yaml", 2, "第二版")
    library = load_library(tmp_path)
    assert library.problems == []
    template = library.get("test.small")
    assert template.version == 3 and template.item("small.one").text_zh == "第三版"
    assert library.for_stage(THREE_SIMULTANEITIES, "design") is template
    assert library.templates() == [template]
    assert library.path_of(template) == tmp_path / "kind" / "small.v3.yaml"


def test_an_invalid_newer_version_is_skipped_and_reported(tmp_path: Path) -> None:
    _write(tmp_path, "small.v1.yaml", 1, "第一版")
    bad = _write(tmp_path, "small.v2.yaml", 2, "第二版\n        colour: red")
    library = load_library(tmp_path)
    assert library.get("test.small").version == 1
    assert library.get("test.small").item("small.one").text_zh == "第一版"
    [problem] = library.problems
    assert isinstance(problem, DataFileError)
    assert problem.path == str(bad) and problem.line == 19
    assert "small.one" in problem.problem and "colour" in problem.problem
    assert str(problem).startswith(f"{bad}:19: ")


def test_a_version_given_twice_is_reported_and_the_first_file_kept(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", 1, "甲")
    second = _write(tmp_path, "b.yaml", 1, "乙")
    library = load_library(tmp_path)
    assert library.get("test.small").item("small.one").text_zh == "甲"
    [problem] = library.problems
    assert problem.path == str(second) and problem.line == 6 and "a.yaml" in problem.problem


def test_unknown_template_and_stage(tmp_path: Path) -> None:
    _write(tmp_path, "small.v1.yaml", 1)
    library = load_library(tmp_path)
    with pytest.raises(KeyError, match="test.none"):
        library.get("test.none")
    with pytest.raises(KeyError, match="acceptance"):
        library.for_stage(THREE_SIMULTANEITIES, "acceptance")


def test_load_template_file_reads_one_file() -> None:
    template = load_template_file(FOLDER / "three_simultaneities" / "design.v1.yaml")
    assert template == load_library().get("three_simultaneities.design")
