"""The indicator targets of ``resources/standards/dashboard_targets.yaml`` (seed 001 / 003
indicator tables, seed 002): a share per indicator id, read once."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ohinspect.errors import DataFileError
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource

RESOURCE = "standards/dashboard_targets.yaml"


@lru_cache(maxsize=1)
def indicator_targets() -> dict[str, float]:
    raw = load_resource(RESOURCE).get("targets")
    path = str(resources_dir() / RESOURCE)
    if not isinstance(raw, dict):
        raise DataFileError(path, "targets: expected a map of indicator id → share")
    out: dict[str, float] = {}
    for key, value in raw.items():
        try:
            share = Decimal(str(value))
        except InvalidOperation as exc:
            raise DataFileError(path, f"targets.{key}: {value!r} is not a number") from exc
        if not Decimal(0) <= share <= Decimal(1):
            raise DataFileError(path, f"targets.{key}: {value} is not between 0 and 1")
        out[str(key)] = float(share)
    return out
