"""The standards tables under resources/standards/ and their loaders."""

from __future__ import annotations

import json
import string
import textwrap
from pathlib import Path

import pytest

from ohinspect.errors import DataFileError
from ohinspect.paths import resources_dir
from ohinspect.standards.divisions import load_divisions
from ohinspect.standards.hazards import cas_is_valid, load_hazard_catalogue
from ohinspect.standards.industries import load_industries

META = """\
meta:
  id: test
  title: test table
  source: test
  edition: test
  version: 1
"""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "table.yaml"
    path.write_text(META + textwrap.dedent(body), encoding="utf-8")
    return path


# ---------------------------------------------------------------- divisions (GB/T 2260)


def test_all_34_province_level_units() -> None:
    table = load_divisions()
    provinces = [d for d in table if table.level(d.code) == "province"]
    assert len(provinces) == 34
    assert {"710000", "810000", "820000"} <= {d.code for d in provinces}
    assert table.get("710000").name == "台湾省"  # type: ignore[union-attr]


def test_qingyang_has_its_eight_county_level_units() -> None:
    table = load_divisions()
    children = [(d.code, d.name) for d in table.children("621000")]
    assert children == [
        ("621002", "西峰区"),
        ("621021", "庆城县"),
        ("621022", "环县"),
        ("621023", "华池县"),
        ("621024", "合水县"),
        ("621025", "正宁县"),
        ("621026", "宁县"),
        ("621027", "镇原县"),
    ]


def test_prefecture_and_county_lists_that_must_be_complete() -> None:
    table = load_divisions()
    assert len(table.children("620000")) == 14
    assert len(table.children("130000")) == 11
    assert len(table.children("520000")) == 9
    hubei = {d.code for d in table.children("420000")}
    assert len(hubei) == 17 and {"429004", "429005", "429006", "429021"} <= hubei
    assert [d.code for d in table.children("130300")] == [
        "130302",
        "130303",
        "130304",
        "130306",
        "130321",
        "130322",
        "130324",
    ]
    assert len(table.children("620100")) == 8
    assert len(table.children("520100")) == 10


def test_parent_and_level_come_from_the_code() -> None:
    table = load_divisions()
    assert table.parent("621024") == "621000"
    assert table.parent("621000") == "620000"
    assert table.parent("620000") is None
    assert table.parent("429004") == "420000"  # 省直辖县级行政区划
    assert table.parent("110101") == "110000"  # municipality: no 市辖区 row
    assert [table.level(c) for c in ("620000", "621000", "621024", "429004")] == [
        "province",
        "prefecture",
        "county",
        "county",
    ]
    with pytest.raises(ValueError):
        table.level("62102")


def test_full_name() -> None:
    table = load_divisions()
    assert table.full_name("621024") == "甘肃省庆阳市合水县"
    assert table.full_name("621024", "en") == "Heshui County, Qingyang, Gansu Province"
    assert table.full_name("429004") == "湖北省仙桃市"
    assert table.full_name("130000") == "河北省"
    with pytest.raises(KeyError):
        table.full_name("621099")


def test_covers_by_code_structure() -> None:
    table = load_divisions()
    assert table.covers("620000", "621024")
    assert table.covers("621000", "621024")
    assert table.covers("621024", "621024")
    assert table.covers("621000", "621000")
    assert not table.covers("621024", "621000")
    assert not table.covers("621000", "620102")
    assert not table.covers("620000", "520102")
    assert table.covers("420000", "429004")
    assert not table.covers("421000", "429004")


def test_search_and_membership() -> None:
    table = load_divisions()
    assert "621024" in table and "621099" not in table
    assert [d.code for d in table.search("合水")] == ["621024"]
    assert [d.code for d in table.search("heshui")] == ["621024"]
    assert {d.code for d in table.search("6210")} >= {"621000", "621024"}
    assert table.search("  ") == []
    assert table.edition


_GANSU = '  - {code: "620000", name: 甘肃省, name_en: Gansu}\n'


@pytest.mark.parametrize(
    ("rows", "needle", "row"),
    [
        (_GANSU + '  - {code: "62102X", name: 坏, name_en: Bad}\n', "62102X", 2),
        (_GANSU + _GANSU, "620000", 2),
        (_GANSU + '  - {code: "621024", name: 合水县, name_en: Heshui}\n', "621000", 2),
        ('  - {code: "620000", name: 甘肃省}\n', "name_en", 1),
        ("  - {code: 620000, name: 甘肃省, name_en: Gansu}\n", "620000", 1),
        # an unquoted comma in a flow mapping silently makes a new key: rejected
        ('  - {code: "620000", name: 甘肃省, name_en: Gansu, Province}\n', "Province", 1),
    ],
)
def test_malformed_division_table_names_the_row(
    tmp_path: Path, rows: str, needle: str, row: int
) -> None:
    path = _write(tmp_path, "divisions:\n" + rows)
    with pytest.raises(DataFileError) as caught:
        load_divisions(path)
    assert needle in caught.value.problem
    assert f"第{row}行" in caught.value.problem
    assert str(path) in str(caught.value)


# ---------------------------------------------------------------- industries (GB/T 4754-2017)


def test_sections_and_divisions_are_complete() -> None:
    table = load_industries()
    assert [i.code for i in table.by_level("section")] == list("ABCDEFGHIJKLMNOPQRST")
    divisions = sorted(i.code for i in table.by_level("division"))
    assert divisions == [f"{n:02d}" for n in range(1, 98)]
    assert all(table.section_of(code) is not None for code in divisions)
    assert table.section_of("06").code == "B"  # type: ignore[union-attr]
    assert table.section_of("44").code == "D"  # type: ignore[union-attr]
    assert table.section_of("97").code == "T"  # type: ignore[union-attr]


def test_industry_path_and_choices() -> None:
    table = load_industries()
    assert [i.code for i in table.path("3011")] == ["C", "30", "301", "3011"]
    assert [i.level for i in table.path("3011")] == ["section", "division", "group", "class"]
    assert table.get("3011").name == "水泥制造"  # type: ignore[union-attr]
    assert table.section_of("0610").code == "B"  # type: ignore[union-attr]
    assert {"3311", "3391", "3392", "3360", "2614", "2641", "3670", "3731"} <= {
        i.code for i in table.by_level("class")
    }
    codes = [code for code, _ in table.choices()]
    assert codes[:2] == ["A", "01"] and codes.index("B") < codes.index("06") < codes.index("0610")
    assert ("3011", "3011 Manufacture of Cement") in table.choices("en", ("class",))


_C = "  - {code: C, name: 制造业, name_en: Manufacturing}\n"
_D30 = '  - {code: "30", section: C, name: 非金属, name_en: Non-metallic}\n'


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (_C + _D30.replace("section: C, ", ""), "section"),  # division without its section
        (_C + _D30 + '  - {code: "3011", name: 水泥制造, name_en: Cement}\n', "301"),  # no group
        (_C + _D30.replace("section: C", "section: X"), "X"),  # unknown section
        (_C.replace("code: C", "code: c"), "c"),  # malformed code
    ],
)
def test_malformed_industry_table_names_the_row(tmp_path: Path, rows: str, needle: str) -> None:
    path = _write(tmp_path, "industries:\n" + rows)
    with pytest.raises(DataFileError) as caught:
        load_industries(path)
    assert needle in caught.value.problem and "行" in caught.value.problem


# ---------------------------------------------------------------- hazard catalogue (2015)

# Every substance and dust of the OEL tables in shared/DOMAIN.md §3.
DOMAIN_SECTION_3: dict[str, str] = dict(
    line.split()
    for line in """
    chem.benzene 苯
    chem.toluene 甲苯
    chem.xylene 二甲苯
    chem.formaldehyde 甲醛
    chem.carbon_monoxide 一氧化碳
    chem.hydrogen_sulfide 硫化氢
    chem.ammonia 氨
    chem.chlorine 氯
    chem.sulfur_dioxide 二氧化硫
    chem.nitrogen_dioxide 二氧化氮
    chem.hydrogen_chloride 氯化氢及盐酸
    chem.hydrogen_cyanide 氰化氢
    chem.phosgene 光气
    chem.hydrogen_fluoride 氟化氢
    chem.methanol 甲醇
    chem.acrylonitrile 丙烯腈
    chem.ozone 臭氧
    chem.carbon_dioxide 二氧化碳
    chem.manganese 锰及其无机化合物
    chem.lead 铅及其无机化合物
    chem.mercury 汞
    chem.n_hexane 正己烷
    chem.dmf N,N-二甲基甲酰胺
    dust.silica 矽尘
    dust.coal 煤尘
    dust.cement 水泥粉尘
    dust.welding_fume 电焊烟尘
    dust.other 其他粉尘
    dust.asbestos 石棉粉尘
    """.split("\n")
    if line.strip()
)


def test_category_counts_are_the_official_ones() -> None:
    catalogue = load_hazard_catalogue()
    counts = {c.code: c.official_count for c in catalogue.categories}
    official = dict(dust=52, chemical=375, physical=15, radiological=8, biological=6, other=3)
    assert counts == official
    assert sum(counts.values()) == 459
    for category in catalogue.categories:
        listed = len(catalogue.by_category(category.code))
        assert 0 < listed <= category.official_count
        if category.code != "chemical":
            assert listed == category.official_count, category.code


def test_every_domain_substance_is_in_the_catalogue() -> None:
    catalogue = load_hazard_catalogue()
    for code, name in DOMAIN_SECTION_3.items():
        factor = catalogue.get(code)
        assert factor is not None, code
        assert factor.name_zh == name
        assert factor.category == ("dust" if code.startswith("dust.") else "chemical")


def test_factor_fields() -> None:
    catalogue = load_hazard_catalogue()
    assert catalogue.name("chem.benzene") == "苯"
    assert catalogue.name("chem.benzene", "en") == "Benzene"
    assert catalogue.get("chem.benzene").cas == "71-43-2"  # type: ignore[union-attr]
    assert catalogue.get("phys.noise").name_zh == "噪声"  # type: ignore[union-attr]
    assert "phys.noise" in catalogue and "phys.nope" not in catalogue
    assert all(
        f.code.split(".")[0] in {"dust", "chem", "phys", "rad", "bio", "other"}
        for f in catalogue.factors
    )
    assert all(cas_is_valid(f.cas) for f in catalogue.factors if f.cas)
    assert [f.code for f in catalogue.find_by_name("苯")][:1] == ["chem.benzene"]


def test_cas_check_digit() -> None:
    assert cas_is_valid("7732-18-5")  # water: 8·1 + 1·2 + 2·3 + 3·4 + 7·5 + 7·6 = 105 → 5
    assert not cas_is_valid("7732-18-4")
    assert not cas_is_valid("77321-8-5")


_CATEGORIES = """\
categories:
  - {code: physical, name_zh: 物理因素, name_en: Physical, official_count: 1}
  - {code: chemical, name_zh: 化学因素, name_en: Chemical, official_count: 375}
"""


_X = "  - {code: chem.x, category: chemical, name_zh: 甲, name_en: A}\n"
_P = "  - {code: phys.a, category: physical, name_zh: 甲, name_en: A}\n"


@pytest.mark.parametrize(
    ("factors", "needle"),
    [
        (_X.replace("}", ", cas: '71-43-3'}"), "71-43-3"),  # CAS check digit
        (_X.replace("chemical", "nope"), "nope"),  # unknown category
        (_X + _X, "chem.x"),  # duplicate code
        (_X.replace("chem.x", "Chem-X"), "Chem-X"),  # malformed code
        (_X.replace("chem.x", "chem.old"), "chem.old"),  # retired code reused
        (_X.replace("name_en: A", "name_en: Dust (flax, jute)"), "jute)"),  # unquoted comma
        (_P + _P.replace("phys.a", "phys.b"), "physical"),  # more than the official count
    ],
)
def test_malformed_hazard_catalogue_is_rejected(tmp_path: Path, factors: str, needle: str) -> None:
    body = _CATEGORIES + "retired_codes: [chem.old]\nfactors:\n" + factors
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as caught:
        load_hazard_catalogue(path)
    assert needle in caught.value.problem


def test_missing_meta_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "table.yaml"
    path.write_text("divisions: []\n", encoding="utf-8")
    with pytest.raises(DataFileError):
        load_divisions(path)


# ---------------------------------------------------------------- messages


def test_standards_catalogues_have_the_same_keys_and_placeholders() -> None:
    zh = json.loads((resources_dir() / "i18n/zh_CN/standards.json").read_text("utf-8"))
    en = json.loads((resources_dir() / "i18n/en/standards.json").read_text("utf-8"))
    assert zh.keys() == en.keys()
    assert all(key.startswith(("uscc.", "standards.")) for key in zh)

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key in zh:
        assert fields(zh[key]) == fields(en[key]), key
