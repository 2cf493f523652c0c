"""The rectification state machine as data (``resources/rules/rectification.yaml``).

States, transitions (from, to, the roles that may make them, what each requires), the derived
overdue flag, escalation threshold and look-back period are read from the file; the services
only enforce what it says. Sources: seed 002 (整改到位率 100 %, 回头看, 销号) and
《工作场所职业卫生管理规定》(国家卫生健康委员会令第5号, 2020) on 责令限期改正 and 复查.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ohinspect.errors import DataFileError
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource

RESOURCE = "rules/rectification.yaml"
REQUIREMENTS = frozenset({"evidence", "note", "retest_pass", "retest_fail", "retest_done",
                          "closer", "overdue_escalation", "look_back_due", "new_deadline",
                          "review_return"})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    requires: frozenset[str]


@dataclass(frozen=True)
class RectificationRules:
    states: tuple[str, ...]
    sources: tuple[str, ...]
    initial: str
    final: tuple[str, ...]
    overdue_states: tuple[str, ...]
    roles: tuple[str, ...]
    closer_on_roster: bool
    evidence_kinds: tuple[str, ...]
    min_evidence: int
    transitions: dict[str, Transition]
    escalation_days: int
    exceedance_deadline_days: int
    exceeds: tuple[str, ...]
    passes: tuple[str, ...]
    noise_hazard_code: str
    look_back_days: int

    def transition(self, action: str) -> Transition:
        return self.transitions[action]

    def is_overdue(self, status: str, deadline: date, today: date) -> bool:
        """Overdue is derived: the deadline has passed and the item is not finished."""
        return deadline < today and status in self.overdue_states

    def actions_from(self, status: str) -> list[str]:
        return [a for a, t in self.transitions.items() if status in t.sources]


def _bad(problem: str) -> DataFileError:
    return DataFileError(str(resources_dir() / RESOURCE), problem)


@lru_cache(maxsize=1)
def load_rectification_rules() -> RectificationRules:
    data = load_resource(RESOURCE)
    try:
        states = tuple(str(s) for s in data["states"])
        roles = tuple(str(r) for r in data["roles"])
        transitions = {
            str(action): Transition(str(action), tuple(str(s) for s in t["from"]), str(t["to"]),
                                    tuple(str(r) for r in t["roles"]),
                                    frozenset(str(r) for r in t.get("requires") or ()))
            for action, t in data["transitions"].items()}
        rules = RectificationRules(
            states=states, sources=tuple(str(s) for s in data["sources"]),
            initial=str(data["initial"]),
            final=tuple(str(s) for s in data["final"]),
            overdue_states=tuple(str(s) for s in data["overdue"]["states"]),
            roles=roles, closer_on_roster=bool(data["closer_on_roster"]),
            evidence_kinds=tuple(str(k) for k in data["evidence_kinds"]),
            min_evidence=int(data["min_evidence"]), transitions=transitions,
            escalation_days=int(data["escalation"]["min_days_overdue"]),
            exceedance_deadline_days=int(data["sampling_exceedance"]["deadline_days"]),
            exceeds=tuple(str(o) for o in data["sampling_exceedance"]["exceeds"]),
            passes=tuple(str(o) for o in data["sampling_exceedance"]["passes"]),
            noise_hazard_code=str(data["sampling_exceedance"]["noise_hazard_code"]),
            look_back_days=int(data["look_back"]["days_after_close"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _bad(f"malformed: {exc!r}") from exc
    known = set(states)
    for t in transitions.values():
        if not set(t.sources) <= known or t.target not in known:
            raise _bad(f"transition {t.action} names an unknown state")
        if not set(t.roles) <= set(roles):
            raise _bad(f"transition {t.action} names an unknown role")
        if not t.requires <= REQUIREMENTS:
            raise _bad(f"transition {t.action} has unknown requirements "
                       f"{sorted(t.requires - REQUIREMENTS)}")
    if rules.initial not in known or not set(rules.overdue_states) <= known:
        raise _bad("initial or overdue states unknown")
    return rules
