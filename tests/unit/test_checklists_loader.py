"""Malformed checklist files: each problem gets its own message naming the file, line and item.

Every case edits one valid template; the line the error must name is marked ``# <-``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ohinspect.checklists import SourceError, load_library, load_template_file
from ohinspect.checklists.loader import load_answer_types, load_conditions
from ohinspect.checklists.stages import load_stages
from ohinspect.errors import DataFileError
from ohinspect.i18n import set_language

VALID = """\
meta:
  id: test.sample
  title: sample
  source: test
  edition: "1"
  version: 1
template:
  kind: three_simultaneities
  stage: acceptance
  title_zh: 样例
  title_en: Sample
  defaults:
    answer_type: conform3
    photo: never
    deadline_days: 30
sections:
  - id: main
    title_zh: 主要
    title_en: Main
    items:
      - id: s.one
        text_zh: 一
        text_en: One
        legal_basis: 《法》
        requirement_zh: 改
        requirement_en: Fix
      - id: s.two
        text_zh: 二
        text_en: Two
        legal_basis: 《法》
        condition: {risk_class: severe}
        requirement_zh: 改
        requirement_en: Fix
"""


def _write(tmp_path: Path, text: str, name: str = "sample.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _marked_line(text: str) -> int:
    [line] = [n for n, row in enumerate(text.splitlines(), 1) if "# <-" in row]
    return line


def test_the_valid_sample_loads(tmp_path: Path) -> None:
    template = load_template_file(_write(tmp_path, VALID))
    assert [i.id for i in template.items] == ["s.one", "s.two"]
    one, two = template.items
    assert (one.answer_type, one.photo, one.deadline_days) == ("conform3", "never", 30)
    assert one.section_zh == "主要" and dict(two.condition) == {"risk_class": ("severe",)}
    assert set(template.answer_types) == {"conform3"}


END = "<end>"  # append the new text to the file

# (case id, old text, new text with the marked line, item named or None, words in the message)
CASES = [
    ("unknown field", "        text_en: One\n",
     "        text_en: One\n        colour: red  # <-\n", "s.one", ["条目“s.one”", "未知字段“colour”"]),
    ("missing field", "      - id: s.one\n        text_zh: 一\n        text_en: One\n        legal_basis: 《法》\n",
     "      - id: s.one  # <-\n        text_zh: 一\n        text_en: One\n", "s.one",
     ["条目“s.one”", "缺少字段“legal_basis”"]),
    ("empty text counts as missing", "        text_en: Two\n",
     "        text_en: ''  # <-\n", "s.two", ["条目“s.two”", "缺少字段“text_en”"]),
    ("text that is not text", "        text_en: Two\n",
     "        text_en: [Two]  # <-\n", "s.two", ["条目“s.two”", "“text_en”应为非空文本"]),
    ("duplicate item id", "      - id: s.two\n", "      - id: s.one  # <-\n", "s.one",
     ["条目编号“s.one”重复", "第21行"]),
    ("unknown answer type", "        text_en: One\n",
     "        text_en: One\n        answer_type: yes_no  # <-\n", "s.one",
     ["答案类型“yes_no”未定义", "conform3"]),
    ("bad photo rule", "        text_en: One\n",
     "        text_en: One\n        photo: sometimes  # <-\n", "s.one",
     ["照片规则“sometimes”无效", "on_finding"]),
    ("unknown condition key", "        condition: {risk_class: severe}\n",
     "        condition: {size: large}  # <-\n", "s.two", ["适用条件键“size”未定义", "risk_class"]),
    ("bad condition value", "        condition: {risk_class: severe}\n",
     "        condition: {risk_class: [severe, extreme]}  # <-\n", "s.two",
     ["适用条件“risk_class”取值“extreme”无效"]),
    ("condition not a mapping", "        condition: {risk_class: severe}\n",
     "        condition: severe  # <-\n", "s.two", ["条目“s.two”的适用条件"]),
    ("version not an integer", "  version: 1\n", "  version: \"2\"  # <-\n", None,
     ["版本号", "正整数", "“2”"]),
    ("version zero", "  version: 1\n", "  version: 0  # <-\n", None, ["正整数", "“0”"]),
    ("version a decimal", "  version: 1\n", "  version: 1.5  # <-\n", None, ["正整数", "“1.5”"]),
    ("missing version", "  edition: \"1\"\n  version: 1\n", "  edition: \"1\"\n", None,
     ["“meta”块缺少字段“version”"]),
    ("negative deadline", "        text_en: One\n",
     "        text_en: One\n        deadline_days: -1  # <-\n", "s.one",
     ["“deadline_days”应不小于0"]),
    ("deadline not an integer", "        text_en: One\n",
     "        text_en: One\n        deadline_days: soon  # <-\n", "s.one",
     ["“deadline_days”应为整数", "soon"]),
    ("deadline missing without a default", "    deadline_days: 30\n", "", "s.one",
     ["条目“s.one”缺少字段“deadline_days”"]),
    ("bad default photo rule", "    photo: never\n", "    photo: maybe  # <-\n", None,
     ["“template.defaults”块", "照片规则“maybe”"]),
    ("bad item id", "      - id: s.one\n", "      - id: S One  # <-\n", "S One",
     ["“id”“S One”格式不正确"]),
    ("item that is not a mapping", "      - id: s.two\n        text_zh: 二\n",
     "      - just text  # <-\n      - id: s.two\n        text_zh: 二\n", None,
     ["节“main”第2个条目应为“键: 值”形式"]),
    ("unknown stage", "  stage: acceptance\n", "  stage: construction  # <-\n", None,
     ["阶段“construction”未定义", "pre_assessment"]),
    ("unknown top-level field", "sections:\n", "extra: 1  # <-\nsections:\n", None,
     ["文件有未知字段“extra”"]),
    ("missing meta field", "  source: test\n", "", None, ["“meta”块缺少字段“source”"]),
    ("unknown meta field", "  source: test\n", "  source: test\n  sauce: hot  # <-\n", None,
     ["“meta”块有未知字段“sauce”"]),
    ("no items", "sections:\n", "sections:\n  - id: empty\n    title_zh: 空\n    title_en: Empty\n"
     "    items: []  # <-\n", None, ["节“empty”的“items”应为非空列表"]),
    ("duplicate section id", END, "  - id: main  # <-\n    title_zh: 另\n"
     "    title_en: Other\n    items:\n      - id: s.zero\n        text_zh: 零\n"
     "        text_en: Zero\n        legal_basis: 《法》\n        requirement_zh: 改\n"
     "        requirement_en: Fix\n", None, ["节编号“main”重复"]),
    ("duplicate YAML key", "        text_en: One\n", "        text_en: One\n        text_en: Uno  # <-\n",
     None, ["键“text_en”重复", "第23行"]),
    ("malformed YAML", "        text_en: One\n", "        text_en: One\n       text_en: bad  # <-\n",
     None, ["不是有效的YAML"]),
    ("tab in YAML", "        text_en: One\n", "        text_en: One\n\tcolour: red  # <-\n",
     None, ["不是有效的YAML"]),
]
# a field that is absent is reported on the line where its record starts
_START_LINES = {"missing version": 2, "missing meta field": 2, "deadline missing without a default": 20}


@pytest.mark.parametrize(("case", "old", "new", "item", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_problem_has_its_own_message_with_file_and_line(
    tmp_path: Path, case: str, old: str, new: str, item: str | None, words: list[str]
) -> None:
    text = VALID + new if old == END else VALID.replace(old, new, 1)
    assert text != VALID, case
    path = _write(tmp_path, text)
    line = _START_LINES.get(case) or _marked_line(text)
    with pytest.raises(DataFileError) as caught:
        load_template_file(path)
    error = caught.value
    assert isinstance(error, SourceError)
    assert error.path == str(path)
    assert error.line == line, (case, error)
    assert error.item == item, (case, error)
    for word in words:
        assert word in error.problem, (case, error.problem)
    assert str(error).startswith(f"{path}:{line}: ")


def test_messages_are_translated(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID.replace("        text_en: One\n",
                                          "        text_en: One\n        photo: sometimes\n"))
    set_language("en")
    try:
        with pytest.raises(DataFileError) as caught:
            load_template_file(path)
    finally:
        set_language("zh_CN")
    assert caught.value.problem == ('item "s.one": photo rule "sometimes" is not valid; '
                                    "use one of: never, always, on_finding.")


def test_the_file_name_version_must_match_meta(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID, "sample.v2.yaml")
    with pytest.raises(DataFileError) as caught:
        load_template_file(path)
    assert caught.value.line == 6 and "v2" in caught.value.problem


def test_unreadable_and_non_mapping_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="无法读取"):
        load_template_file(tmp_path / "absent.yaml")
    with pytest.raises(DataFileError) as caught:
        load_template_file(_write(tmp_path, "- just\n- a list\n"))
    assert "文件应为“键: 值”形式" in caught.value.problem


def test_a_library_reports_every_bad_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "k").mkdir()
    _write(tmp_path / "k", VALID, "good.yaml")
    _write(tmp_path / "k", VALID.replace("id: test.sample", "id: test.other").replace(
        "photo: never", "photo: maybe"), "bad.yaml")
    _write(tmp_path / "k", "meta: [\n", "broken.yaml")
    library = load_library(tmp_path)
    assert [t.id for t in library.templates()] == ["test.sample"]
    assert sorted(Path(p.path).name for p in library.problems) == ["bad.yaml", "broken.yaml"]
    assert all(p.line for p in library.problems)


# ------------------------------------------------------ stages, answer types, conditions

META = 'meta: {id: t, title: t, source: t, edition: "1", version: 1}\n'


def test_stage_file_problems(tmp_path: Path) -> None:
    twice = _write(tmp_path, META + "kind: three_simultaneities\nstages:\n"
                   "  - {code: design, order: 1, name_zh: 设计, name_en: Design, template_id: t.d}\n"
                   "  - {code: design, order: 2, name_zh: 设计, name_en: Design, template_id: t.d}\n")
    with pytest.raises(DataFileError) as caught:
        load_stages(twice)
    assert caught.value.line == 5 and "阶段代码“design”重复" in caught.value.problem
    missing = _write(tmp_path, META + "kind: three_simultaneities\nstages:\n"
                     "  - {code: design, order: 1, name_zh: 设计, name_en: Design}\n", "m.yaml")
    with pytest.raises(DataFileError) as caught:
        load_stages(missing)
    assert caught.value.line == 4 and "阶段“design”缺少字段“template_id”" in caught.value.problem


def test_answer_type_and_condition_file_problems(tmp_path: Path) -> None:
    types = _write(tmp_path, META + "answer_types:\n  - id: yes_no\n    options:\n"
                   "      - {code: ok, label_zh: 是, label_en: 'Yes', finding: false}\n"
                   "      - {code: ok, label_zh: 否, label_en: 'No', finding: true}\n")
    with pytest.raises(DataFileError) as caught:
        load_answer_types(types)
    assert caught.value.line == 6 and "选项代码“ok”重复" in caught.value.problem
    not_bool = _write(tmp_path, META + "answer_types:\n  - id: yes_no\n    options:\n"
                      "      - {code: y, label_zh: 是, label_en: 'Yes', finding: 'no'}\n", "b.yaml")
    with pytest.raises(DataFileError) as caught:
        load_answer_types(not_bool)
    assert caught.value.line == 5 and "“finding”应为true或false" in caught.value.problem
    conditions = _write(tmp_path, META + "conditions:\n"
                        "  - {key: risk_class, name_zh: 类, name_en: C, values: [severe]}\n"
                        "  - {key: risk_class, name_zh: 类, name_en: C, values: [general]}\n",
                        "c.yaml")
    with pytest.raises(DataFileError) as caught:
        load_conditions(conditions)
    assert caught.value.line == 4 and "risk_class" in caught.value.problem
