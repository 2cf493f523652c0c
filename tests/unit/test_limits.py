"""GBZ 2.1-2019 / GBZ 2.2-2007 limits and the GBZ 2.1 ch. 6 judgement rules, as data
(resources/standards/gbz2_1_2019_*.yaml, exposure_grading.yaml, gbz2_2_2007_physical.yaml),
checked against shared/DOMAIN.md §3."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from ohinspect.errors import DataFileError
from ohinspect.i18n import set_language
from ohinspect.paths import resources_dir
from ohinspect.resources import load_data_file
from ohinspect.standards.hazards import load_hazard_catalogue
from ohinspect.standards.limits import (
    ChemicalLimit,
    DustLimit,
    load_judgement_rules,
    load_limits,
    load_noise_limits,
)

# shared/DOMAIN.md §3 "Common OELs, mg/m³": (code, form) → (MAC, PC-TWA, PC-STEL, verified)
# verified = the DOMAIN tag is [C*]; False = [U].
DOMAIN_CHEMICALS: dict[tuple[str, str | None], tuple[float | None, float | None, float | None, bool]] = {
    ("chem.benzene", None): (None, 3, 6, True),
    ("chem.toluene", None): (None, 50, 100, True),
    ("chem.xylene", None): (None, 50, 100, True),
    ("chem.formaldehyde", None): (0.5, None, None, True),
    ("chem.carbon_monoxide", "non_high_altitude"): (None, 20, 30, True),
    ("chem.hydrogen_sulfide", None): (10, None, None, True),
    ("chem.ammonia", None): (None, 20, 30, True),
    ("chem.chlorine", None): (1, None, None, True),
    ("chem.sulfur_dioxide", None): (None, 5, 10, True),
    ("chem.nitrogen_dioxide", None): (None, 5, 10, True),
    ("chem.hydrogen_chloride", None): (7.5, None, None, True),
    ("chem.hydrogen_cyanide", None): (1, None, None, True),
    ("chem.phosgene", None): (0.5, None, None, True),
    ("chem.hydrogen_fluoride", None): (2, None, None, True),
    ("chem.methanol", None): (None, 25, 50, True),
    ("chem.acrylonitrile", None): (None, 1, 2, True),
    ("chem.ozone", None): (0.3, None, None, True),
    ("chem.carbon_dioxide", None): (None, 9000, 18000, True),
    ("chem.manganese", None): (None, 0.15, None, False),
    ("chem.lead", "dust"): (None, 0.05, None, False),
    ("chem.lead", "fume"): (None, 0.03, None, False),
    ("chem.mercury", None): (None, 0.02, 0.04, False),
    ("chem.n_hexane", None): (None, 100, 180, False),
    ("chem.dmf", None): (None, 20, None, False),
    # amendment No. 2 (in force 2025-05-01) [C*]
    ("chem.acetochlor", None): (None, 0.12, None, True),
}

# DOMAIN.md §3 dusts: (code, silica_min, silica_max) → (total, respirable, fibres f/mL, verified)
DOMAIN_DUSTS: dict[tuple[str, float | None, float | None], tuple[float | None, float | None, float | None, bool]] = {
    ("dust.silica", 10, 50): (1, 0.7, None, False),
    ("dust.silica", 50, 80): (0.7, 0.3, None, False),
    ("dust.silica", 80, None): (0.5, 0.2, None, False),
    ("dust.coal", None, 10): (4, 2.5, None, False),
    ("dust.cement", None, 10): (4, 1.5, None, False),
    ("dust.welding_fume", None, None): (4, None, None, False),
    ("dust.other", None, 10): (8, None, None, False),
    ("dust.asbestos", None, None): (0.8, None, 0.8, True),
}


def _chemical(code: str, form: str | None = None) -> ChemicalLimit:
    limit = load_limits().chemical(code, form)
    assert limit is not None, (code, form)
    return limit


# ---------------------------------------------------------------- chemicals


def test_every_domain_chemical_has_exactly_the_domain_values() -> None:
    table = load_limits()
    for (code, form), (mac, twa, stel, verified) in DOMAIN_CHEMICALS.items():
        limit = table.chemical(code, form)
        assert limit is not None, (code, form)
        assert (limit.mac, limit.pc_twa, limit.pc_stel) == (mac, twa, stel), code
        assert limit.verified is verified, code
        assert limit.unit == "mg/m³"
    shipped = {(c.code, c.form) for c in table.chemicals()}
    assert shipped == set(DOMAIN_CHEMICALS)  # nothing more, nothing less (until more is entered)


def test_benzene_is_3_and_6_by_amendment_no_1() -> None:
    benzene = _chemical("chem.benzene")
    assert (benzene.mac, benzene.pc_twa, benzene.pc_stel) == (None, 3, 6)
    assert "第1号修改单" in benzene.source_rev and "2022" in benzene.source_rev
    assert benzene.kind == "twa_stel" and benzene.skin and benzene.carcinogen_class == "G1"
    (old,) = load_limits().superseded("chem.benzene")
    assert (old.pc_twa, old.pc_stel, old.source_rev) == (6, 10, "GBZ 2.1-2019")
    assert old.superseded_by == benzene.source_rev


def test_acetochlor_comes_from_amendment_no_2_with_a_code_outside_the_catalogue() -> None:
    acetochlor = _chemical("chem.acetochlor")
    assert acetochlor.pc_twa == 0.12 and acetochlor.mac is None and acetochlor.pc_stel is None
    assert "第2号修改单" in acetochlor.source_rev and "2025-05-01" in acetochlor.source_rev
    assert acetochlor.cas == "34256-82-1" and acetochlor.kind == "twa_only"
    assert "chem.acetochlor" not in load_hazard_catalogue()
    meta = load_limits().meta
    assert meta["codes_outside_catalogue"] == ["chem.acetochlor"]


def test_every_other_limit_code_is_a_catalogue_factor_code() -> None:
    catalogue, table = load_hazard_catalogue(), load_limits()
    outside = set(table.meta["codes_outside_catalogue"])
    assert {c for c in table.codes() if c not in catalogue} == outside
    for limit in table.chemicals():
        factor = catalogue.get(limit.code)
        if factor is not None and factor.cas:
            assert factor.cas == limit.cas, limit.code


def test_no_obsolete_tj36_79_values() -> None:
    assert _chemical("chem.carbon_monoxide").pc_twa != 30
    assert _chemical("chem.benzene").pc_twa != 40
    assert _chemical("chem.formaldehyde").mac != 3
    assert load_limits().dust("dust.other", None).total_twa != 10  # type: ignore[union-attr]


def test_forms_lead_needs_one_carbon_monoxide_has_one() -> None:
    table = load_limits()
    assert table.chemical("chem.lead") is None  # ambiguous: dust or fume
    assert [f.form for f in table.forms("chem.lead")] == ["dust", "fume"]
    assert table.chemical("chem.lead", "fume").pc_twa == 0.03  # type: ignore[union-attr]
    co = table.chemical("chem.carbon_monoxide")
    assert co is not None and co.form == "non_high_altitude"
    assert co.name("zh_CN") == "一氧化碳（非高原）" and co.name("en") == "Carbon monoxide (non-high-altitude)"
    assert table.chemical("chem.carbon_monoxide", "high_altitude") is None
    assert table.chemical("chem.nope") is None


def test_kinds_and_notes() -> None:
    assert _chemical("chem.formaldehyde").kind == "mac"
    assert _chemical("chem.formaldehyde").sensitiser
    assert _chemical("chem.toluene").kind == "twa_stel"
    assert _chemical("chem.manganese").kind == "twa_only"
    assert _chemical("chem.chlorine").notes == ()


def test_meta_states_verification_and_ppm_convention() -> None:
    table = load_limits()
    assert "secondary source" in table.meta["verification"]
    assert "[U]" in table.meta["verification"]
    conv = table.meta["ppm_conversion"]
    assert (conv["molar_volume_l_per_mol"], conv["temperature_c"], conv["pressure_kpa"]) == (24.45, 25, 101.3)
    assert table.molar_volume_l == 24.45
    assert table.ppm_to_mg_m3(_chemical("chem.benzene"), 1) == pytest.approx(78.11 / 24.45)
    assert table.ppm_to_mg_m3(_chemical("chem.manganese"), 1) is None
    assert "GBZ 2.1-2019" in table.edition and "第2号修改单" in table.edition
    assert "secondary source" in table.dust_meta["verification"]
    assert "silica_min ≤ x < silica_max" in table.dust_meta["band_rule"]


# ---------------------------------------------------------------- dusts


def test_every_domain_dust_has_exactly_the_domain_values() -> None:
    table = load_limits()
    found = {}
    for d in table.dusts():
        found[(d.code, d.silica_min, d.silica_max)] = (
            d.total_twa, d.respirable_twa, d.fibre_twa, d.verified)
    assert found == DOMAIN_DUSTS


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(0, None), (9.9, None), (10, (1, 0.7)), (49.9, (1, 0.7)), (50, (0.7, 0.3)),
     (79.9, (0.7, 0.3)), (80, (0.5, 0.2)), (80.1, (0.5, 0.2)), (100, (0.5, 0.2))],
)
def test_silica_band_edges(percent: float, expected: tuple[float, float] | None) -> None:
    limit = load_limits().dust("dust.silica", percent)
    assert (None if limit is None else (limit.total_twa, limit.respirable_twa)) == expected


def test_coal_dust_band_and_missing_contents() -> None:
    table = load_limits()
    assert table.dust("dust.coal", 9.9).total_twa == 4  # type: ignore[union-attr]
    assert table.dust("dust.coal", 10) is None  # judge it as silica dust
    assert table.dust("dust.coal", None).respirable_twa == 2.5  # type: ignore[union-attr]
    assert table.dust("dust.silica", None) is None  # three bands: the content decides
    assert len(table.dust_bands("dust.silica")) == 3
    assert table.dust("dust.welding_fume", 40).total_twa == 4  # type: ignore[union-attr]
    asbestos = table.dust("dust.asbestos", None)
    assert isinstance(asbestos, DustLimit)
    assert (asbestos.total_twa, asbestos.fibre_twa, asbestos.notes) == (0.8, 0.8, ("G1",))
    assert table.dust("dust.nope", 5) is None
    for bad in (-1, 100.1):
        with pytest.raises(ValueError):
            table.dust("dust.silica", bad)


def test_codes_cover_chemicals_and_dusts() -> None:
    codes = load_limits().codes()
    assert {"chem.benzene", "chem.lead", "dust.silica", "dust.asbestos"} <= codes
    assert {c.code for c in load_limits().chemicals()} | {"dust.silica"} <= codes


# ---------------------------------------------------------------- judgement rules


def test_peak_exposure_and_grades() -> None:
    rules = load_judgement_rules()
    assert rules.excursion_multiple == 3 and rules.ceiling_multiple == 5
    assert rules.excursion_max_minutes == 15 and rules.excursion_max_count == 4
    assert rules.excursion_min_gap_hours == 1 and rules.stel_window_minutes == 15
    assert rules.action_level == 0.5
    assert [(u, c) for u, c, _ in rules.grades] == [
        (0.01, "0"), (0.10, "1"), (0.50, "2"), (1.00, "3"), (math.inf, "4")]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for _, _, label in rules.grades)
    assert rules.grade_label("4", "en") == "Above the OEL (> 100 %)"
    set_language("en")
    assert rules.grade_label("0").startswith("Trivial")
    set_language("zh_CN")
    assert rules.grade_label("0").startswith("极低")


def test_reduction_factor_constants_and_below_lod_are_unverified() -> None:
    rules = load_judgement_rules()
    assert rules.rf_day is not None and rules.rf_week is not None
    assert (rules.rf_day.reference_hours, rules.rf_day.period_hours, rules.rf_day.recovery_hours) == (8, 24, 16)
    assert (rules.rf_week.reference_hours, rules.rf_week.period_hours, rules.rf_week.recovery_hours) == (40, 168, 128)
    assert rules.below_lod_policy == "half_lod"
    assert (rules.shift_hours, rules.week_hours, rules.divide_by_stel_window) == (8, 40, True)
    assert "below_lod.policy" in rules.unverified
    assert "reduction_factor.day.recovery_hours" in rules.unverified
    assert "peak_exposure.excursion_multiple" not in rules.unverified
    assert "action_level" not in rules.unverified


# ---------------------------------------------------------------- noise (GBZ 2.2-2007)


def test_noise_limits() -> None:
    noise = load_noise_limits()
    assert (noise.lex_8h, noise.lex_40h, noise.standard_week_days) == (85, 85, 5)
    assert noise.impulse == ((100, 140), (1000, 130), (10000, 120))
    assert [noise.impulse_limit(n) for n in (0, 100, 101, 1000, 1001, 10000, 10001)] == [
        140, 140, 130, 130, 120, 120, None]
    assert "impulse.1" in noise.unverified and "noise.lex_8h_dba" not in noise.unverified
    with pytest.raises(ValueError):
        noise.impulse_limit(-1)


# ---------------------------------------------------------------- malformed files

META = """\
meta:
  id: test
  title: test table
  source: test
  edition: test
  version: 1
  note_codes: ["皮", "敏", "G1"]
  units: ["mg/m³"]
  revisions:
    - {id: "R1"}
"""
GOOD_CHEM = ('  - {code: chem.benzene, name_zh: 苯, name_en: Benzene, cas: "71-43-2", pc_twa: 3, '
             'pc_stel: 6, unit: "mg/m³", notes: ["皮"], source_rev: R1, verified: true}\n')


TOLUENE = GOOD_CHEM.replace("chem.benzene", "chem.toluene").replace("71-43-2", "108-88-3")


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "limits.yaml"
    path.write_text(META + textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_good_single_file_loads(tmp_path: Path) -> None:
    mac_only = GOOD_CHEM.replace("pc_twa: 3, pc_stel: 6", "mac: 1")
    table = load_limits(_write(tmp_path, "chemicals:\n" + TOLUENE + mac_only))
    assert table.chemical("chem.toluene").pc_twa == 3  # type: ignore[union-attr]
    assert table.chemical("chem.benzene").mac == 1  # type: ignore[union-attr]
    assert table.dusts() == () and table.superseded("chem.benzene") == ()


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        (TOLUENE, "chem.toluene"),  # the same code twice
        (GOOD_CHEM.replace("pc_twa: 3, pc_stel: 6", "mac: 1, pc_twa: 3"), "MAC"),
        (GOOD_CHEM.replace("pc_twa: 3, pc_stel: 6", "pc_twa: 6, pc_stel: 3"), "PC-STEL"),
        (GOOD_CHEM.replace("pc_twa: 3, pc_stel: 6, ", ""), "没有任何限值"),
        (GOOD_CHEM.replace("pc_twa: 3", "pc_twa: -3"), "pc_twa"),
        (GOOD_CHEM.replace("71-43-2", "71-43-3"), "71-43-3"),
        (GOOD_CHEM.replace("source_rev: R1", "source_rev: R9"), "R9"),
        (GOOD_CHEM.replace("verified: true", "verified: yes please"), "verified"),
        (GOOD_CHEM.replace('["皮"]', '["skin"]'), "skin"),
        (GOOD_CHEM.replace("chem.benzene", "benzene"), "benzene"),
        (GOOD_CHEM.replace('unit: "mg/m³", ', ""), "unit"),
        (GOOD_CHEM.replace("verified: true", "verified: true, colour: red"), "colour"),
    ],
)
def test_malformed_chemical_row_names_file_and_row(tmp_path: Path, row: str, needle: str) -> None:
    path = _write(tmp_path, "chemicals:\n" + TOLUENE + row)
    with pytest.raises(DataFileError) as caught:
        load_limits(path)
    assert str(path) in str(caught.value)
    assert "第2行" in caught.value.problem and "chemicals" in caught.value.problem
    assert needle in caught.value.problem


GOOD_DUST = ("  - {code: dust.silica, name_zh: 矽尘, name_en: Silica, total_twa: 1, "
             "silica_min: 10, silica_max: 50, source_rev: R1, verified: false}\n")


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        (GOOD_DUST.replace("silica_min: 10, silica_max: 50", "silica_min: 40, silica_max: 60"), "40"),
        (GOOD_DUST.replace("silica_min: 10, silica_max: 50", "silica_min: null, silica_max: null"), "重叠"),
        (GOOD_DUST.replace("silica_min: 10, silica_max: 50", "silica_min: 60, silica_max: 50"), "60"),
        (GOOD_DUST.replace("silica_max: 50", "silica_max: 150"), "150"),
        (GOOD_DUST.replace("total_twa: 1, ", ""), "没有任何限值"),
        (GOOD_DUST.replace("dust.silica", "chem.silica"), "chem.silica"),
    ],
)
def test_malformed_dust_row_names_file_and_row(tmp_path: Path, row: str, needle: str) -> None:
    text = "dusts:\n" + GOOD_DUST.replace("silica_min: 10, silica_max: 50",
                                          "silica_min: 50, silica_max: null") + row
    path = _write(tmp_path, text)
    with pytest.raises(DataFileError) as caught:
        load_limits(path)
    assert str(path) in str(caught.value)
    assert "第2行" in caught.value.problem and needle in caught.value.problem


def test_shipped_folder_can_be_loaded_by_path() -> None:
    table = load_limits(resources_dir() / "standards")
    assert table.chemical("chem.benzene") == load_limits().chemical("chem.benzene")


def _copy_with(tmp_path: Path, resource: str, old: str, new: str) -> Path:
    source = resources_dir() / "standards" / resource
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / resource
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_malformed_judgement_values_name_file_and_key(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "gbz2_1_2019_judgement.yaml",
                      'excursion_multiple: {value: 3, tag: "C*"}', 'excursion_multiple: {value: three, tag: "C*"}')
    with pytest.raises(DataFileError) as caught:
        load_judgement_rules(path)
    assert str(path) in str(caught.value) and "peak_exposure.excursion_multiple" in caught.value.problem
    path = _copy_with(tmp_path, "gbz2_1_2019_judgement.yaml", "policy: {value: half_lod", "policy: {value: guess")
    with pytest.raises(DataFileError, match="below_lod.policy"):
        load_judgement_rules(path)
    path = _copy_with(tmp_path, "gbz2_1_2019_judgement.yaml", 'ceiling_multiple: {value: 5, tag: "C*"}',
                      'ceiling_multiple: {value: 5, tag: "maybe"}')
    with pytest.raises(DataFileError, match="maybe"):
        load_judgement_rules(path)


def test_malformed_grades_name_the_row(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "exposure_grading.yaml", "upper: 0.50", "upper: 0.05")
    with pytest.raises(DataFileError) as caught:
        load_judgement_rules(grading_path=path)
    assert str(path) in str(caught.value) and "第3行" in caught.value.problem


def test_malformed_impulse_table_names_the_row(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "gbz2_2_2007_physical.yaml",
                      "max_pulses_per_day: 1000, peak_db: 130", "max_pulses_per_day: 50, peak_db: 130")
    with pytest.raises(DataFileError) as caught:
        load_noise_limits(path)
    assert str(path) in str(caught.value) and "第2行" in caught.value.problem


def test_shipped_files_carry_meta() -> None:
    for name in ("gbz2_1_2019_chemicals", "gbz2_1_2019_dusts", "gbz2_1_2019_judgement",
                 "exposure_grading", "gbz2_2_2007_physical"):
        meta = load_data_file(resources_dir() / "standards" / f"{name}.yaml")["meta"]
        assert meta["id"] == name and meta["verification"]
