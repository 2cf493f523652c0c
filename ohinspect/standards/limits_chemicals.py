"""GBZ 2.1-2019 Table 1 (chemical substances): the rows of ``gbz2_1_2019_chemicals.yaml``,
current and superseded, read and checked into :class:`ChemicalLimit` records."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ohinspect.i18n import tr
from ohinspect.standards.limits_records import ChemicalLimit
from ohinspect.standards.limits_rows import (_NAMES, _cas, _notes, _number, _revisions, _RowContext,
                                             _source_rev, _text_list, _verified)
from ohinspect.standards.table_file import RowReader

_CHEM_CODE = re.compile(r"^chem\.[a-z0-9_]+$")
_FORM = re.compile(r"^[a-z0-9_]+$")
_CHEM_FIELDS = frozenset({
    *_NAMES, "form", "form_zh", "form_en", "cas", "mac", "pc_twa", "pc_stel", "unit", "notes",
    "molecular_weight", "source_rev", "verified", "remark",
})


def _chemicals(path: Path, data: Mapping[str, Any]) -> tuple[list[ChemicalLimit], list[ChemicalLimit]]:
    meta = data["meta"]
    context = _RowContext(
        revisions=_revisions(path, meta),
        notes=_text_list(path, meta, "note_codes"),
        units=_text_list(path, meta, "units"),
    )
    reader = RowReader(path, "chemicals")
    current = [_chemical(reader, i, item, context) for i, item in reader.rows(data)]
    old_reader = RowReader(path, "superseded")
    old: list[ChemicalLimit] = []
    if data.get("superseded"):
        for index, item in old_reader.rows(data):
            old.append(_chemical(old_reader, index, item, context, superseded=True))
    return current, old


def _chemical(
    reader: RowReader, index: int, item: Any, ctx: _RowContext, *, superseded: bool = False
) -> ChemicalLimit:
    allowed = _CHEM_FIELDS | {"superseded_by"} if superseded else _CHEM_FIELDS
    code = reader.require(index, item, (*_NAMES, "unit", "source_rev"), allowed)
    if not isinstance(item["code"], str) or not _CHEM_CODE.match(item["code"]):
        raise reader.fail("standards.row.bad_code", index, code, expected=tr("limits.expect.chem_code"))
    form = item.get("form")
    if form is not None:
        if not isinstance(form, str) or not _FORM.match(form):
            raise reader.fail("limits.row.bad_form", index, code, form=form)
        for field in ("form_zh", "form_en"):
            if not item.get(field):
                raise reader.fail("standards.row.missing", index, code, field=field)
    key = f"{code}/{form}" if form else code
    if not superseded:
        reader.check_unique(index, key)
    cas = _cas(reader, index, code, item)
    mac, twa, stel = (_number(reader, index, code, item, f) for f in ("mac", "pc_twa", "pc_stel"))
    if mac is None and twa is None and stel is None:
        raise reader.fail("limits.row.no_limit", index, code)
    if mac is not None and (twa is not None or stel is not None):
        raise reader.fail("limits.row.mac_and_twa", index, code)
    if stel is not None and (twa is None or stel < twa):
        raise reader.fail("limits.row.stel", index, code)
    unit = str(item["unit"])
    if ctx.units and unit not in ctx.units:
        raise reader.fail("limits.row.bad_value", index, code, field="unit", value=unit,
                          expected=", ".join(ctx.units))
    superseded_by = None
    if superseded:
        superseded_by = item.get("superseded_by")
        if superseded_by not in ctx.revisions:
            raise reader.fail("limits.row.bad_value", index, code, field="superseded_by",
                              value=superseded_by, expected=", ".join(sorted(ctx.revisions)))
    return ChemicalLimit(
        code=code,
        name_zh=str(item["name_zh"]),
        name_en=str(item["name_en"]),
        cas=cas,
        mac=mac,
        pc_twa=twa,
        pc_stel=stel,
        unit=unit,
        notes=_notes(reader, index, code, item, ctx.notes),
        molecular_weight=_number(reader, index, code, item, "molecular_weight"),
        source_rev=_source_rev(reader, index, code, item, ctx.revisions),
        verified=_verified(reader, index, code, item),
        form=form,
        form_zh=str(item.get("form_zh") or ""),
        form_en=str(item.get("form_en") or ""),
        remark=str(item.get("remark") or ""),
        superseded_by=superseded_by,
    )
