"""Display texts for project codes (stage, risk class, nature) shared by the list, the filter bar
and the editors. Pure Python over the data files; nothing here imports Qt."""

from __future__ import annotations

from collections.abc import Iterable

from ohinspect.checklists.stages import Stage, load_stages
from ohinspect.i18n import tr
from ohinspect.standards.classifications import load_classifications


def stages() -> tuple[Stage, ...]:
    """The four stages in order (resources/checklists/stages.yaml)."""
    return tuple(sorted(load_stages(), key=lambda s: s.order))


def stage_name(code: str) -> str:
    return next((s.name() for s in load_stages() if s.code == code), code)


def stage_choices() -> list[tuple[str, str]]:
    return [(s.code, stage_name(s.code)) for s in stages()]


def current_stage_label(code: str) -> str:
    return stage_name(code) if code else tr("prj_ui.stage.none")


def verified_label(codes: Iterable[str]) -> str:
    names = [stage_name(c) for c in codes]
    return tr("prj_ui.list_separator").join(names) if names else ""


def risk_label(code: str, rule_set: str = "") -> str:
    """The class in the given rule set, else in the default one, else in any that knows it."""
    if not code:
        return tr("ent_ui.filter.unclassified")
    table = load_classifications()
    ordered = [table.rule_set(rule_set)] if rule_set else []
    ordered += [table.default_rule_set, *table.risk_rule_sets]
    for rs in ordered:
        if rs is not None and code in rs.class_codes():
            return table.risk_label(rs.code, code)
    return code


def risk_filter_choices() -> list[tuple[str, str]]:
    """Every class of every rule set, once, in rule-set order (a project keeps the rule set that
    classed it, so the filter offers the union)."""
    seen: dict[str, str] = {}
    table = load_classifications()
    for rs in (table.default_rule_set, *table.risk_rule_sets):
        for c in rs.classes:
            seen.setdefault(c.code, c.label())
    return list(seen.items())


def nature_choices() -> list[tuple[str, str]]:
    """新建 / 扩建 / 改建 / 技术改造… from classifications.yaml ``project_natures``."""
    return [(n.code, n.label()) for n in load_classifications().natures]


def nature_label(code: str) -> str:
    return dict(nature_choices()).get(code, code)
