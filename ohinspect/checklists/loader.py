"""Reading checklist templates from ``resources/checklists/`` and choosing the version in force.

Layout of the folder::

    answer_types.yaml          answer types shared by all templates (conform3, grade3, …)
    conditions.yaml            the keys an item's ``condition`` may test and their values
    stages.yaml                the 三同时 stages and the template of each (see stages.py)
    grading.yaml               how an audit's item grades roll up (see grading.py)
    <kind>/<name>.v<N>.yaml    one file per template version, e.g. three_simultaneities/acceptance.v1.yaml

A template file::

    meta:      {id, title, source, edition, version, verified?, deadlines?, notes?}
    template:  {kind, stage?, org_kinds?, title_zh, title_en,
                defaults?: {answer_type?, photo?, deadline_days?}}
    sections:
      - id, title_zh, title_en
        items:
          - {id, text_zh, text_en, legal_basis, basis_confidence?, key?, answer_type, photo,
             condition?, requirement_zh, requirement_en, deadline_days}

``stage`` is required for the kind of ``stages.yaml`` (三同时) and absent for audits;
``org_kinds`` lists the ``Enterprise.org_kind`` values an audit template is for.

Every error names the file, the line and (where there is one) the item. The library keeps, per
template id, the newest version whose file is valid; files that are not valid are skipped and
listed in ``problems`` — an older valid version stays in use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ohinspect.checklists.model import (
    PHOTO_RULES,
    AnswerOption,
    AnswerType,
    ChecklistItem,
    ChecklistTemplate,
    FrozenMap,
)
from ohinspect.checklists.source import (
    ANY,
    ID_MAX,
    ID_PATTERN,
    BOOLEAN,
    INTEGER,
    LIST,
    MAPPING,
    TEXT,
    Checker,
    LineList,
    LineMap,
    SourceError,
    check_meta,
    read_yaml,
)
from ohinspect.checklists.stages import StageList, load_stage_list
from ohinspect.errors import DataFileError
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir

FOLDER = "checklists"
ANSWER_TYPES_FILE = "answer_types.yaml"
CONDITIONS_FILE = "conditions.yaml"
STAGES_FILE = "stages.yaml"
GRADING_FILE = "grading.yaml"
_NOT_TEMPLATES = {ANSWER_TYPES_FILE, CONDITIONS_FILE, STAGES_FILE, GRADING_FILE}
_FILE_VERSION = re.compile(r"\.v(\d+)$")

_TOP = {"meta": MAPPING, "template": MAPPING, "sections": LIST}
_TEMPLATE = {"kind": TEXT, "title_zh": TEXT, "title_en": TEXT}
_TEMPLATE_OPTIONAL = {"stage": TEXT, "org_kinds": LIST, "defaults": MAPPING}
_DEFAULTS = {"answer_type": TEXT, "photo": TEXT, "deadline_days": INTEGER}
_SECTION = {"id": TEXT, "title_zh": TEXT, "title_en": TEXT, "items": LIST}
_ITEM = {"id": TEXT, "text_zh": TEXT, "text_en": TEXT, "legal_basis": TEXT,
         "requirement_zh": TEXT, "requirement_en": TEXT}
_ITEM_DEFAULTABLE = {"answer_type": TEXT, "photo": TEXT}
_ITEM_OPTIONAL = {"condition": ANY, "deadline_days": INTEGER, "key": BOOLEAN,
                  "basis_confidence": TEXT}

Conditions = Mapping[str, tuple[str, ...]]


def shipped_folder() -> Path:
    return resources_dir() / FOLDER


# ------------------------------------------------------------------ answer types, conditions


def load_answer_types(path: Path | None = None) -> Mapping[str, AnswerType]:
    """The answer types of ``answer_types.yaml``: the shipped file (cached) or ``path``."""
    return _shipped_answer_types() if path is None else _read_answer_types(Path(path))


@lru_cache(maxsize=1)
def _shipped_answer_types() -> Mapping[str, AnswerType]:
    return _read_answer_types(shipped_folder() / ANSWER_TYPES_FILE)


def _read_answer_types(path: Path) -> Mapping[str, AnswerType]:
    check = Checker(path)
    top = tr("checklists.where.file")
    data = check.mapping(read_yaml(path), top, 1)
    check.fields(data, top, {"meta": MAPPING, "answer_types": LIST})
    check_meta(check, data["meta"])
    types: dict[str, AnswerType] = {}
    lines: dict[str, int] = {}
    for index, line, raw in check.entries(data, "answer_types", top):
        where = tr("checklists.where.entry", list="answer_types", index=index)
        entry = check.mapping(raw, where, line)
        check.fields(entry, where, {"id": TEXT, "options": LIST})
        type_id = check.identifier(entry, "id", where)
        where = tr("checklists.where.answer_type", type=type_id)
        if type_id in types:
            raise check.fail(entry.line_of("id"), "checklists.answer_type.duplicate",
                             type=type_id, first=lines[type_id])
        lines[type_id] = entry.line_of("id")
        options: list[AnswerOption] = []
        for o_index, o_line, o_raw in check.entries(entry, "options", where):
            o_where = tr("checklists.where.option", type=type_id, index=o_index)
            option = check.mapping(o_raw, o_where, o_line)
            check.fields(option, o_where, {"code": TEXT, "label_zh": TEXT, "label_en": TEXT,
                                           "finding": BOOLEAN})
            code = check.identifier(option, "code", o_where)
            if any(o.code == code for o in options):
                raise check.fail(option.line_of("code"), "checklists.answer_type.duplicate_option",
                                 type=type_id, code=code)
            options.append(AnswerOption(code, option["label_zh"], option["label_en"],
                                        option["finding"]))
        types[type_id] = AnswerType(type_id, tuple(options))
    return FrozenMap(types)


def load_conditions(path: Path | None = None) -> Conditions:
    """Condition keys and their allowed values (``conditions.yaml``): shipped (cached) or ``path``."""
    return _shipped_conditions() if path is None else _read_conditions(Path(path))


@lru_cache(maxsize=1)
def _shipped_conditions() -> Conditions:
    return _read_conditions(shipped_folder() / CONDITIONS_FILE)


def _read_conditions(path: Path) -> Conditions:
    check = Checker(path)
    top = tr("checklists.where.file")
    data = check.mapping(read_yaml(path), top, 1)
    check.fields(data, top, {"meta": MAPPING, "conditions": LIST})
    check_meta(check, data["meta"])
    result: dict[str, tuple[str, ...]] = {}
    for index, line, raw in check.entries(data, "conditions", top):
        where = tr("checklists.where.entry", list="conditions", index=index)
        entry = check.mapping(raw, where, line)
        check.fields(entry, where, {"key": TEXT, "name_zh": TEXT, "name_en": TEXT,
                                    "values": LIST})
        key = check.identifier(entry, "key", where)
        if key in result:
            raise check.fail(entry.line_of("key"), "checklists.condition.duplicate", key=key)
        values = entry["values"]
        for value, v_line in zip(values, values.item_lines, strict=True):
            if not isinstance(value, str) or not value.strip():
                raise check.fail(v_line, "checklists.field.not_text", where=where,
                                 field="values", value=value)
        result[key] = tuple(values)
    return FrozenMap(result)


# ------------------------------------------------------------------------------ templates


@dataclass(frozen=True)
class _Loaded:
    template: ChecklistTemplate
    path: Path
    version_line: int


def load_template_file(
    path: Path,
    *,
    answer_types: Mapping[str, AnswerType] | None = None,
    conditions: Conditions | None = None,
    stages: StageList | None = None,
) -> ChecklistTemplate:
    """Read and check one template file. Errors are ``SourceError`` (a ``DataFileError``) naming
    the file, the line, the item (``.item``) and the problem. Answer types, condition keys and
    stages are the shipped ones unless given."""
    return _read_template(Path(path), answer_types, conditions, stages).template


def _read_template(
    path: Path,
    answer_types: Mapping[str, AnswerType] | None,
    conditions: Conditions | None,
    stages: StageList | None,
) -> _Loaded:
    types = load_answer_types() if answer_types is None else answer_types
    known_conditions = load_conditions() if conditions is None else conditions
    stage_list = load_stage_list() if stages is None else stages
    check = Checker(path)
    top = tr("checklists.where.file")
    data = check.mapping(read_yaml(path), top, 1)
    check.fields(data, top, _TOP)
    meta: LineMap = data["meta"]
    version = check_meta(check, meta)
    meta_where = tr("checklists.where.block", block="meta")
    template_id = check.identifier(meta, "id", meta_where)
    file_version = _FILE_VERSION.search(path.stem)
    if file_version and int(file_version.group(1)) != version:
        raise check.fail(meta.line_of("version"), "checklists.version.file_mismatch",
                         file_version=file_version.group(1), version=version)

    head: LineMap = data["template"]
    head_where = tr("checklists.where.block", block="template")
    check.fields(head, head_where, _TEMPLATE, _TEMPLATE_OPTIONAL)
    kind = check.identifier(head, "kind", head_where)
    stage = check.identifier(head, "stage", head_where) if head.get("stage") is not None else ""
    codes = [s.code for s in stage_list.stages]
    if kind == stage_list.kind and stage not in codes:
        raise check.fail(head.line_of("stage"), "checklists.template.unknown_stage",
                         where=head_where, value=stage, known=", ".join(codes))
    defaults: LineMap = head.get("defaults") or LineMap()
    defaults_where = tr("checklists.where.block", block="template.defaults")
    check.fields(defaults, defaults_where, {}, _DEFAULTS)
    if defaults.get("answer_type") is not None:
        _answer_type(check, defaults, defaults_where, types, None)
    if defaults.get("photo") is not None:
        _photo(check, defaults, defaults_where, None)
    if defaults.get("deadline_days") is not None:
        _deadline(check, defaults, defaults_where, None)

    items: list[ChecklistItem] = []
    item_lines: dict[str, int] = {}
    section_lines: dict[str, int] = {}
    for s_index, s_line, s_raw in check.entries(data, "sections", top):
        s_where = tr("checklists.where.entry", list="sections", index=s_index)
        section = check.mapping(s_raw, s_where, s_line)
        if isinstance(section.get("id"), str):
            s_where = tr("checklists.where.section", section=section["id"])
        check.fields(section, s_where, _SECTION)
        section_id = check.identifier(section, "id", s_where)
        if section_id in section_lines:
            raise check.fail(section.line_of("id"), "checklists.section.duplicate",
                             section=section_id, first=section_lines[section_id])
        section_lines[section_id] = section.line_of("id")
        for i_index, i_line, i_raw in check.entries(section, "items", s_where):
            item = _item(check, i_raw, i_line, i_index, section, section_id, defaults, types,
                         known_conditions)
            if item.id in item_lines:
                raise check.fail(i_line, "checklists.item.duplicate", item=item.id,
                                 first=item_lines[item.id])
            item_lines[item.id] = i_line
            items.append(item)

    used = {item.answer_type for item in items}
    template = ChecklistTemplate(
        id=template_id, version=version, kind=kind, stage=stage,
        title_zh=head["title_zh"], title_en=head["title_en"], source=str(meta["source"]),
        answer_types=FrozenMap((t, types[t]) for t in types if t in used),
        items=tuple(items), org_kinds=_org_kinds(check, head, head_where),
    )
    return _Loaded(template, path, meta.line_of("version"))


def _item(
    check: Checker,
    raw: object,
    line: int,
    index: int,
    section: LineMap,
    section_id: str,
    defaults: LineMap,
    types: Mapping[str, AnswerType],
    known_conditions: Conditions,
) -> ChecklistItem:
    where = tr("checklists.where.item_index", section=section_id, index=index)
    entry = check.mapping(raw, where, line)
    item_id: str | None = None
    if isinstance(entry.get("id"), str) and entry["id"]:
        item_id = entry["id"]
        where = tr("checklists.where.item", item=item_id)
    required = dict(_ITEM)
    optional = dict(_ITEM_OPTIONAL)
    for key, kind in _ITEM_DEFAULTABLE.items():
        (optional if defaults.get(key) is not None else required)[key] = kind
    check.fields(entry, where, required, optional, item=item_id)
    if "deadline_days" not in entry and "deadline_days" not in defaults:
        raise check.fail(entry.line, "checklists.field.missing", where=where,
                         field="deadline_days", item=item_id)
    item_id = check.identifier(entry, "id", where, item=item_id)
    merged = LineMap({**defaults, **{k: v for k, v in entry.items() if v is not None}})
    merged.line = entry.line
    merged.key_lines = {**defaults.key_lines, **entry.key_lines}
    if "deadline_days" in entry and entry["deadline_days"] is None:
        merged["deadline_days"] = None  # explicitly no default deadline for this item
    answer_type = _answer_type(check, merged, where, types, item_id)
    photo = _photo(check, merged, where, item_id)
    deadline = _deadline(check, merged, where, item_id)
    condition = _condition(check, entry, where, known_conditions, item_id)
    return ChecklistItem(
        id=item_id, section_zh=section["title_zh"], section_en=section["title_en"],
        text_zh=entry["text_zh"], text_en=entry["text_en"], legal_basis=entry["legal_basis"],
        answer_type=answer_type, photo=photo,  # type: ignore[arg-type]
        condition=condition, requirement_zh=entry["requirement_zh"],
        requirement_en=entry["requirement_en"], deadline_days=deadline,
        key=bool(entry.get("key") or False),
        basis_confidence=str(entry.get("basis_confidence") or ""),
    )


def _org_kinds(check: Checker, head: LineMap, where: str) -> tuple[str, ...]:
    raw = head.get("org_kinds")
    if raw is None:
        return ()
    for value, line in zip(raw, raw.item_lines, strict=True):
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            raise check.fail(line, "checklists.field.bad_id", where=where, field="org_kinds",
                             value=value, max=ID_MAX)
    return tuple(raw)


def _answer_type(check: Checker, data: LineMap, where: str, types: Mapping[str, AnswerType],
                 item: str | None) -> str:
    value = data["answer_type"]
    if value not in types:
        raise check.fail(data.line_of("answer_type"), "checklists.item.unknown_answer_type",
                         where=where, value=value, known=", ".join(types), item=item)
    return str(value)


def _photo(check: Checker, data: LineMap, where: str, item: str | None) -> str:
    value = data["photo"]
    if value not in PHOTO_RULES:
        raise check.fail(data.line_of("photo"), "checklists.item.bad_photo", where=where,
                         value=value, allowed=", ".join(PHOTO_RULES), item=item)
    return str(value)


def _deadline(check: Checker, data: LineMap, where: str, item: str | None) -> int | None:
    value = data.get("deadline_days")
    if value is None:
        return None
    if value < 0:
        raise check.fail(data.line_of("deadline_days"), "checklists.field.too_small",
                         where=where, field="deadline_days", value=value, minimum=0, item=item)
    return int(value)


def _condition(check: Checker, entry: LineMap, where: str, known: Conditions,
               item: str | None) -> FrozenMap[str, tuple[str, ...]]:
    raw = entry.get("condition")
    if raw is None:
        return FrozenMap()
    if not isinstance(raw, LineMap):
        raise check.fail(entry.line_of("condition"), "checklists.item.bad_condition",
                         where=where, item=item)
    result: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        line = raw.line_of(key)
        if key not in known:
            raise check.fail(line, "checklists.item.unknown_condition", where=where, key=key,
                             known=", ".join(known), item=item)
        values = list(value) if isinstance(value, LineList) else [value]
        if not values:
            raise check.fail(line, "checklists.item.bad_condition", where=where, item=item)
        for one in values:
            if one not in known[key]:
                raise check.fail(line, "checklists.item.bad_condition_value", where=where,
                                 key=key, value=one, allowed=", ".join(known[key]), item=item)
        result[key] = tuple(values)
    return FrozenMap(result)


# -------------------------------------------------------------------------------- library


class TemplateLibrary:
    """The templates of a folder, each id at its newest valid version."""

    def __init__(self, loaded: list[_Loaded], problems: list[DataFileError],
                 stages: StageList) -> None:
        self.problems: list[DataFileError] = problems
        self._stages = stages
        self._versions: dict[tuple[str, int], _Loaded] = {}
        for entry in sorted(loaded, key=lambda e: str(e.path)):
            key = (entry.template.id, entry.template.version)
            if key in self._versions:
                self.problems.append(SourceError(
                    str(entry.path),
                    tr("checklists.library.duplicate_version", template=key[0], version=key[1],
                       other=str(self._versions[key].path)),
                    entry.version_line))
                continue
            self._versions[key] = entry
        self._newest: dict[str, ChecklistTemplate] = {}
        for (template_id, _version), entry in sorted(self._versions.items()):
            self._newest[template_id] = entry.template  # ascending: the last one wins

    def get(self, template_id: str) -> ChecklistTemplate:
        """The newest valid version of ``template_id``; ``KeyError`` if none is valid."""
        try:
            return self._newest[template_id]
        except KeyError:
            raise KeyError(tr("checklists.library.unknown_template",
                              template=template_id)) from None

    def versions(self, template_id: str) -> list[int]:
        """The valid versions of ``template_id`` held, oldest first."""
        return sorted(v for (t, v) in self._versions if t == template_id)

    def path_of(self, template: ChecklistTemplate) -> Path | None:
        entry = self._versions.get((template.id, template.version))
        return entry.path if entry else None

    def for_stage(self, kind: str, stage: str) -> ChecklistTemplate:
        """The template for the stage ``stage`` of inspections of ``kind``. If several template
        ids claim it, the one ``stages.yaml`` names wins; ``KeyError`` if none (or no winner)."""
        matches = [t for t in self._newest.values() if t.kind == kind and t.stage == stage]
        if len(matches) == 1:
            return matches[0]
        if kind == self._stages.kind:
            named = next((s.template_id for s in self._stages.stages if s.code == stage), None)
            chosen = next((t for t in matches if t.id == named), None)
            if chosen is not None:
                return chosen
        if not matches:
            raise KeyError(tr("checklists.library.no_stage_template", kind=kind, stage=stage))
        raise KeyError(tr("checklists.library.ambiguous_stage", kind=kind, stage=stage,
                          templates=", ".join(sorted(t.id for t in matches))))

    def templates(self) -> list[ChecklistTemplate]:
        """Every template id at its newest valid version, by id."""
        return [self._newest[k] for k in sorted(self._newest)]


def load_library(folder: Path | None = None) -> TemplateLibrary:
    """All templates under ``folder`` (default: the shipped ``resources/checklists``, cached).

    ``answer_types.yaml``, ``conditions.yaml`` and ``stages.yaml`` are read from ``folder`` when
    present there, else the shipped ones are used. A malformed one of those raises (nothing can
    be checked without them); a malformed template is skipped and listed in ``problems``."""
    return _shipped_library() if folder is None else _build_library(Path(folder))


@lru_cache(maxsize=1)
def _shipped_library() -> TemplateLibrary:
    return _build_library(shipped_folder())


def _build_library(folder: Path) -> TemplateLibrary:
    def own(name: str) -> Path | None:
        path = folder / name
        return path if path.is_file() else None

    types = load_answer_types(own(ANSWER_TYPES_FILE))
    conditions = load_conditions(own(CONDITIONS_FILE))
    stages = load_stage_list(own(STAGES_FILE))
    loaded: list[_Loaded] = []
    problems: list[DataFileError] = []
    files = sorted(
        p for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file()
        and not (p.parent == folder and p.name in _NOT_TEMPLATES)
    )
    for path in files:
        try:
            loaded.append(_read_template(path, types, conditions, stages))
        except DataFileError as exc:
            problems.append(exc)
    return TemplateLibrary(loaded, problems, stages)
