"""The records of GBZ 2.1-2019 Tables 1 and 2 (``ChemicalLimit``, ``DustLimit``) and the table
that holds them (``LimitsTable``); read by :func:`ohinspect.standards.limits.load_limits`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ohinspect.i18n import current_language, tr
from ohinspect.standards.limits_rows import _is_number


def _pick(zh: str, en: str, language: str | None) -> str:
    return zh if (language or current_language()) == "zh_CN" else en


@dataclass(frozen=True)
class ChemicalLimit:
    """One row of GBZ 2.1-2019 Table 1 (mg/m³). A substance has either a MAC or a PC-TWA (with or
    without a PC-STEL); ``notes`` hold 皮 (skin), 敏 (sensitiser) and the carcinogen class (G1,
    G2A, G2B) as GBZ 2.1 marks them. Sub-entries judged separately (铅尘 / 铅烟) are rows of the
    same ``code`` with their own ``form``."""

    code: str
    name_zh: str
    name_en: str
    cas: str | None
    mac: float | None
    pc_twa: float | None
    pc_stel: float | None
    unit: str
    notes: tuple[str, ...]
    molecular_weight: float | None
    source_rev: str
    verified: bool
    form: str | None = None
    form_zh: str = ""
    form_en: str = ""
    remark: str = ""
    superseded_by: str | None = None

    @property
    def kind(self) -> str:
        """Which judgement of GBZ 2.1-2019 ch. 6 applies: ``"mac"`` (C_ME ≤ MAC),
        ``"twa_stel"`` (C_TWA ≤ PC-TWA and C_STE ≤ PC-STEL) or ``"twa_only"`` (C_TWA ≤ PC-TWA and
        the peak-exposure rule)."""
        if self.mac is not None:
            return "mac"
        return "twa_stel" if self.pc_stel is not None else "twa_only"

    @property
    def skin(self) -> bool:
        return "皮" in self.notes

    @property
    def sensitiser(self) -> bool:
        return "敏" in self.notes

    @property
    def carcinogen_class(self) -> str | None:
        return next((n for n in self.notes if n.startswith("G")), None)

    def name(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the current one), with the form if any."""
        base = _pick(self.name_zh, self.name_en, language)
        if not self.form:
            return base
        form = _pick(self.form_zh, self.form_en, language)
        return f"{base}（{form}）" if (language or current_language()) == "zh_CN" else f"{base} ({form})"


@dataclass(frozen=True)
class DustLimit:
    """One row of GBZ 2.1-2019 Table 2: PC-TWA of total dust (总尘) and respirable dust (呼尘),
    mg/m³, and for asbestos also as fibres (f/mL). ``silica_min``/``silica_max`` give the band of
    free SiO₂ (%) the row applies to: ``silica_min ≤ x < silica_max`` (None = open end)."""

    code: str
    name_zh: str
    name_en: str
    total_twa: float | None
    respirable_twa: float | None
    silica_min: float | None
    silica_max: float | None
    source_rev: str
    verified: bool
    fibre_twa: float | None = None
    cas: str | None = None
    notes: tuple[str, ...] = ()
    remark: str = ""

    def covers(self, silica_percent: float) -> bool:
        """Whether this row's free-SiO₂ band holds ``silica_percent`` (lower edge included,
        upper edge excluded)."""
        low = 0.0 if self.silica_min is None else self.silica_min
        return low <= silica_percent and (self.silica_max is None or silica_percent < self.silica_max)

    def name(self, language: str | None = None) -> str:
        return _pick(self.name_zh, self.name_en, language)


# ---------------------------------------------------------------- the table


class LimitsTable:
    """GBZ 2.1-2019 Tables 1 and 2 (possibly subsets), as amended."""

    def __init__(
        self,
        chemicals: Iterable[ChemicalLimit],
        dusts: Iterable[DustLimit],
        superseded: Iterable[ChemicalLimit],
        meta: Mapping[str, Any],
        dust_meta: Mapping[str, Any] | None = None,
    ) -> None:
        self._chemicals: dict[str, list[ChemicalLimit]] = {}
        for limit in chemicals:
            self._chemicals.setdefault(limit.code, []).append(limit)
        self._dusts: dict[str, list[DustLimit]] = {}
        for dust in dusts:
            self._dusts.setdefault(dust.code, []).append(dust)
        self._superseded: dict[str, list[ChemicalLimit]] = {}
        for old in superseded:
            self._superseded.setdefault(old.code, []).append(old)
        self.meta = dict(meta)
        self.dust_meta = dict(dust_meta or {})
        self.edition: str = str(self.meta.get("edition", ""))
        conversion = self.meta.get("ppm_conversion") or {}
        volume = conversion.get("molar_volume_l_per_mol") if isinstance(conversion, dict) else None
        #: L/mol for ppm ↔ mg/m³ (24.45 at 25 ℃, 101.3 kPa in the shipped file); None = not stated
        self.molar_volume_l: float | None = float(volume) if _is_number(volume) else None

    def chemical(self, code: str, form: str | None = None) -> ChemicalLimit | None:
        """The limit of substance ``code`` (GBZ 2.1-2019 Table 1, as amended).

        A substance listed in several forms (铅 ``dust`` / ``fume``) needs ``form``: without it
        the result is None unless only one form is listed (一氧化碳 ``non_high_altitude``). None
        also when the code (or that form) is not in the table."""
        rows = self._chemicals.get(code, [])
        if form is not None:
            return next((r for r in rows if r.form == form), None)
        plain = [r for r in rows if r.form is None]
        if plain:
            return plain[0]
        return rows[0] if len(rows) == 1 else None

    def forms(self, code: str) -> tuple[ChemicalLimit, ...]:
        """Every row of substance ``code`` (one per form), in file order."""
        return tuple(self._chemicals.get(code, ()))

    def chemicals(self) -> tuple[ChemicalLimit, ...]:
        return tuple(r for rows in self._chemicals.values() for r in rows)

    def superseded(self, code: str) -> tuple[ChemicalLimit, ...]:
        """Earlier limits of ``code`` replaced by an amendment (e.g. benzene 6 / 10 of the 2019
        text, replaced by 第1号修改单), for reports made before the change."""
        return tuple(self._superseded.get(code, ()))

    def dust(self, code: str, silica_percent: float | None) -> DustLimit | None:
        """The limit of dust ``code`` for free-SiO₂ content ``silica_percent`` (%).

        Band edges: a row applies when ``silica_min ≤ x < silica_max`` (GBZ 2.1-2019 Table 2;
        an edge value goes to the higher-silica, stricter band: 矽尘 10 ≤ x < 50, 50 ≤ x < 80,
        x ≥ 80; 煤尘 x < 10). None when no row of the code covers the content (e.g. 矽尘 below
        10 %, 煤尘 at 10 % or more: judge it as 矽尘). Without a content (None) the single row of
        a code is returned, and None for a code with several bands. ``ValueError`` when the
        content is outside 0–100 %."""
        rows = self._dusts.get(code, [])
        if silica_percent is None:
            return rows[0] if len(rows) == 1 else None
        if not _is_number(silica_percent) or not 0 <= silica_percent <= 100:
            raise ValueError(tr("limits.arg.silica", value=silica_percent))
        return next((r for r in rows if r.covers(float(silica_percent))), None)

    def dust_bands(self, code: str) -> tuple[DustLimit, ...]:
        """Every row of dust ``code`` (one per free-SiO₂ band), in file order."""
        return tuple(self._dusts.get(code, ()))

    def dusts(self) -> tuple[DustLimit, ...]:
        return tuple(r for rows in self._dusts.values() for r in rows)

    def codes(self) -> set[str]:
        """Every hazard-factor code with a limit (chemicals and dusts)."""
        return set(self._chemicals) | set(self._dusts)

    def ppm_to_mg_m3(self, limit: ChemicalLimit, ppm: float) -> float | None:
        """``ppm × M / V_m`` with the file's molar volume (24.45 L/mol, 25 ℃, 101.3 kPa); None
        when the substance has no molecular weight for conversion."""
        if limit.molecular_weight is None or self.molar_volume_l is None:
            return None
        return ppm * limit.molecular_weight / self.molar_volume_l
