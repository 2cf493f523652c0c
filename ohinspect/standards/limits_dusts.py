"""GBZ 2.1-2019 Table 2 (dusts): the rows of ``gbz2_1_2019_dusts.yaml`` read and checked into
:class:`DustLimit` records (free-SiO₂ bands of one dust must not overlap)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ohinspect.i18n import tr
from ohinspect.standards.limits_records import DustLimit
from ohinspect.standards.limits_rows import (_NAMES, _cas, _notes, _number, _revisions, _RowContext,
                                             _source_rev, _text_list, _verified)
from ohinspect.standards.table_file import RowReader

_DUST_CODE = re.compile(r"^dust\.[a-z0-9_]+$")
_DUST_FIELDS = frozenset({
    *_NAMES, "cas", "total_twa", "respirable_twa", "fibre_twa", "silica_min", "silica_max",
    "notes", "source_rev", "verified", "remark",
})


def _dusts(path: Path, data: Mapping[str, Any]) -> list[DustLimit]:
    meta = data["meta"]
    ctx = _RowContext(revisions=_revisions(path, meta), notes=_text_list(path, meta, "note_codes"))
    reader = RowReader(path, "dusts")
    result: list[DustLimit] = []
    for index, item in reader.rows(data):
        code = reader.require(index, item, (*_NAMES, "source_rev"), _DUST_FIELDS)
        if not isinstance(item["code"], str) or not _DUST_CODE.match(item["code"]):
            raise reader.fail("standards.row.bad_code", index, code,
                              expected=tr("limits.expect.dust_code"))
        total, respirable, fibre = (
            _number(reader, index, code, item, f) for f in ("total_twa", "respirable_twa", "fibre_twa")
        )
        if total is None and respirable is None and fibre is None:
            raise reader.fail("limits.row.no_limit", index, code)
        low, high = (_number(reader, index, code, item, f, zero=True)
                     for f in ("silica_min", "silica_max"))
        if (low is not None and low > 100) or (high is not None and high > 100) or (
                low is not None and high is not None and low >= high):
            raise reader.fail("limits.row.bad_band", index, code, low=low, high=high)
        dust = DustLimit(
            code=code,
            name_zh=str(item["name_zh"]),
            name_en=str(item["name_en"]),
            total_twa=total,
            respirable_twa=respirable,
            silica_min=low,
            silica_max=high,
            source_rev=_source_rev(reader, index, code, item, ctx.revisions),
            verified=_verified(reader, index, code, item),
            fibre_twa=fibre,
            cas=_cas(reader, index, code, item),
            notes=_notes(reader, index, code, item, ctx.notes),
            remark=str(item.get("remark") or ""),
        )
        for other in result:
            if other.code == code and _overlap(other, dust):
                raise reader.fail("limits.row.overlap", index, code, low=low, high=high)
        result.append(dust)
    return result


def _overlap(a: DustLimit, b: DustLimit) -> bool:
    def bounds(d: DustLimit) -> tuple[float, float]:
        return (d.silica_min or 0.0, math.inf if d.silica_max is None else d.silica_max)

    (a_low, a_high), (b_low, b_high) = bounds(a), bounds(b)
    return a_low < b_high and b_low < a_high
