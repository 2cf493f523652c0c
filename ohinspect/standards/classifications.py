"""Enterprise size, hazard-risk classes and construction-project natures (建设性质), read from
``resources/standards/classifications.yaml``.

Risk classes are not hard-coded (shared/DOMAIN.md §1): a class is meaningful only together with
the rule set that assigned it — the NHC 2021 catalogue (严重/一般) or Order No. 90 (三级).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ohinspect.i18n import current_language
from ohinspect.resources import load_resource


@dataclass(frozen=True)
class Choice:
    code: str
    name_zh: str
    name_en: str

    def label(self) -> str:
        return self.name_zh if current_language() == "zh_CN" else self.name_en


@dataclass(frozen=True)
class RiskRuleSet(Choice):
    classes: tuple[Choice, ...]
    default: bool = False

    def class_codes(self) -> set[str]:
        return {c.code for c in self.classes}

    def rank(self, code: str) -> int | None:
        """Position of ``code`` in the rule set, most severe first (None if not a class of it)."""
        return next((i for i, c in enumerate(self.classes) if c.code == code), None)


@dataclass(frozen=True)
class Classifications:
    scales: tuple[Choice, ...]
    risk_rule_sets: tuple[RiskRuleSet, ...]
    project_natures: tuple[Choice, ...] = ()
    #: kinds of organisation in the registry (employer first, then the institutions of seed 002)
    org_kinds: tuple[Choice, ...] = ()

    @property
    def natures(self) -> tuple[Choice, ...]:
        """建设性质 of a construction project: new / expansion / renovation / technical."""
        return self.project_natures

    def nature(self, code: str) -> Choice | None:
        return next((n for n in self.project_natures if n.code == code), None)

    def org_kind(self, code: str) -> Choice | None:
        return next((k for k in self.org_kinds if k.code == code), None)

    def rule_set(self, code: str) -> RiskRuleSet | None:
        return next((r for r in self.risk_rule_sets if r.code == code), None)

    @property
    def default_rule_set(self) -> RiskRuleSet:
        return next((r for r in self.risk_rule_sets if r.default), self.risk_rule_sets[0])

    def scale(self, code: str) -> Choice | None:
        return next((s for s in self.scales if s.code == code), None)

    def risk_label(self, rule_set: str, code: str) -> str:
        rs = self.rule_set(rule_set)
        match = next((c for c in rs.classes if c.code == code), None) if rs else None
        return match.label() if match else code


@lru_cache(maxsize=1)
def load_classifications() -> Classifications:
    data = load_resource("standards/classifications.yaml")
    return Classifications(
        scales=tuple(Choice(s["code"], s["name_zh"], s["name_en"]) for s in data["scales"]),
        risk_rule_sets=tuple(
            RiskRuleSet(r["code"], r["name_zh"], r["name_en"],
                        tuple(Choice(c["code"], c["name_zh"], c["name_en"]) for c in r["classes"]),
                        bool(r.get("default", False)))
            for r in data["risk_rule_sets"]
        ),
        project_natures=tuple(Choice(n["code"], n["name_zh"], n["name_en"])
                              for n in data.get("project_natures", ())),
        org_kinds=tuple(Choice(k["code"], k["name_zh"], k["name_en"])
                        for k in data.get("org_kinds", ())),
    )
