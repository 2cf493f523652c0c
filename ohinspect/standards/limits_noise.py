"""GBZ 2.2-2007 noise limits (``gbz2_2_2007_physical.yaml``): :class:`NoiseLimits` and
:func:`load_noise_limits`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ohinspect.i18n import tr
from ohinspect.resources import load_data_file
from ohinspect.standards.limits_rows import _is_number
from ohinspect.standards.limits_tagged import TaggedValues
from ohinspect.standards.table_file import RowReader, TableFile

NOISE_RESOURCE = "standards/gbz2_2_2007_physical.yaml"


@dataclass(frozen=True)
class NoiseLimits:
    """GBZ 2.2-2007 noise limits: L_EX,8h and (weeks other than ``standard_week_days`` days)
    L_EX,40h in dB(A); impulse noise ``(max pulses a day, peak dB)`` rows in increasing order."""

    lex_8h: float
    lex_40h: float
    impulse: tuple[tuple[int, float], ...]
    standard_week_days: int = 5
    unverified: tuple[str, ...] = ()

    def impulse_limit(self, pulses_per_day: int) -> float | None:
        """The peak limit (dB) for ``pulses_per_day`` pulses: the first row whose maximum is not
        exceeded (≤ 100 → 140, ≤ 1 000 → 130, ≤ 10 000 → 120); None above the last row."""
        if not _is_number(pulses_per_day) or pulses_per_day < 0:
            raise ValueError(tr("limits.arg.count", what="pulses_per_day", value=pulses_per_day))
        return next((peak for most, peak in self.impulse if pulses_per_day <= most), None)


def load_noise_limits(path: Path | str | None = None) -> NoiseLimits:
    """GBZ 2.2-2007 noise limits: the shipped file (cached) unless ``path`` is given."""
    return _NOISE.load(path)


def _load_noise(path: Path) -> NoiseLimits:
    data = load_data_file(path)
    values = TaggedValues(path, data)
    reader = RowReader(path, "impulse")
    impulse: list[tuple[int, float]] = []
    for index, item in reader.rows(data):
        label = f"max_pulses_per_day: {item.get('max_pulses_per_day')}" if isinstance(
            item, dict) else "?"
        if not isinstance(item, dict) or set(item) - {"max_pulses_per_day", "peak_db", "tag"}:
            raise reader.fail("standards.row.not_mapping", index, label)
        most, peak = item.get("max_pulses_per_day"), item.get("peak_db")
        if not (_is_number(most) and float(most).is_integer() and most > 0):
            raise reader.fail("limits.row.number", index, label, field="max_pulses_per_day",
                              value=most)
        if not (_is_number(peak) and peak > 0):
            raise reader.fail("limits.row.number", index, label, field="peak_db", value=peak)
        if impulse and (most <= impulse[-1][0] or peak >= impulse[-1][1]):
            raise reader.fail("limits.table.order", index, label, field="max_pulses_per_day")
        values.tag(f"impulse.{index}", item.get("tag"))
        impulse.append((int(most), float(peak)))
    return NoiseLimits(
        lex_8h=values.number("noise.lex_8h_dba"),
        lex_40h=values.number("noise.lex_40h_dba"),
        impulse=tuple(impulse),
        standard_week_days=int(values.number("noise.standard_week_days", integer=True)),
        unverified=tuple(values.unverified),
    )


_NOISE = TableFile(NOISE_RESOURCE, _load_noise)
