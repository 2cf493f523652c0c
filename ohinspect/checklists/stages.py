"""The stages of 三同时 (resources/checklists/stages.yaml): order, names and the checklist of each.

Stage codes are stable ids stored in the database (``ProjectStage.stage``, ``Inspection.stage``):
``pre_assessment``, ``design``, ``control_effect``, ``acceptance`` (shared/DOMAIN.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ohinspect.checklists.source import TEXT, Checker, check_meta, read_yaml
from ohinspect.i18n import current_language, tr
from ohinspect.paths import resources_dir

RESOURCE = "checklists/stages.yaml"
_FIELDS = {"code": TEXT, "order": "integer", "name_zh": TEXT, "name_en": TEXT,
           "template_id": TEXT}


@dataclass(frozen=True)
class Stage:
    code: str
    order: int
    name_zh: str
    name_en: str
    template_id: str  # the checklist template used to verify this stage

    def name(self) -> str:
        return self.name_en if current_language() == "en" and self.name_en else self.name_zh


@dataclass(frozen=True)
class StageList:
    kind: str  # the inspection kind these stages belong to (three_simultaneities)
    stages: tuple[Stage, ...]


def load_stages(path: Path | None = None) -> tuple[Stage, ...]:
    """The stages in order: the shipped list (cached) unless ``path`` names another file."""
    return load_stage_list(path).stages


def load_stage_list(path: Path | None = None) -> StageList:
    return _shipped() if path is None else _load(Path(path))


def stage(code: str) -> Stage:
    """The shipped stage ``code``; ``KeyError`` (readable message) if there is none."""
    for item in load_stages():
        if item.code == code:
            return item
    raise KeyError(tr("checklists.stage.unknown", stage=code,
                      known=", ".join(s.code for s in load_stages())))


@lru_cache(maxsize=1)
def _shipped() -> StageList:
    return _load(resources_dir() / RESOURCE)


def _load(path: Path) -> StageList:
    check = Checker(path)
    data = check.mapping(read_yaml(path), tr("checklists.where.file"), 1)
    check.fields(data, tr("checklists.where.file"), {"meta": "mapping", "kind": TEXT,
                                                     "stages": "list"})
    check_meta(check, data["meta"])
    kind = check.identifier(data, "kind", tr("checklists.where.file"))
    stages: list[Stage] = []
    codes: dict[str, int] = {}
    orders: dict[int, int] = {}
    for index, line, raw in check.entries(data, "stages", tr("checklists.where.file")):
        where = tr("checklists.where.entry", list="stages", index=index)
        entry = check.mapping(raw, where, line)
        if isinstance(entry.get("code"), str):
            where = tr("checklists.where.stage", stage=entry["code"])
        check.fields(entry, where, _FIELDS)
        code = check.identifier(entry, "code", where)
        if code in codes:
            raise check.fail(entry.line_of("code"), "checklists.stage.duplicate", stage=code,
                             first=codes[code])
        codes[code] = entry.line_of("code")
        order = entry["order"]
        if order in orders:
            raise check.fail(entry.line_of("order"), "checklists.stage.duplicate_order",
                             stage=code, order=order, first=orders[order])
        orders[order] = entry.line_of("order")
        template_id = check.identifier(entry, "template_id", where)
        stages.append(Stage(code, order, entry["name_zh"], entry["name_en"], template_id))
    return StageList(kind, tuple(sorted(stages, key=lambda s: s.order)))


__all__ = ["Stage", "StageList", "load_stage_list", "load_stages", "stage"]
