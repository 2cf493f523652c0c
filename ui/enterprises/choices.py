"""The enterprise screen's own choice lists (the shared code tables are in
:mod:`ui.widgets.choices`). Nothing here imports Qt."""

from __future__ import annotations

from ohinspect.i18n import tr
from ohinspect.services.enterprise_queries import UNCLASSIFIED
from ohinspect.standards.classifications import load_classifications


def risk_filter_choices() -> list[tuple[str, str]]:
    """The default rule set's classes, then "unclassified"."""
    rule_set = load_classifications().default_rule_set
    return [(c.code, c.label()) for c in rule_set.classes] + [
        (UNCLASSIFIED, tr("ent_ui.filter.unclassified"))]


def scale_choices() -> list[tuple[str, str]]:
    return [(s.code, s.label()) for s in load_classifications().scales]


def org_kind_choices() -> list[tuple[str, str]]:
    """用人单位 and the institution kinds (classifications.yaml ``org_kinds``)."""
    return [(k.code, k.label()) for k in load_classifications().org_kinds]
