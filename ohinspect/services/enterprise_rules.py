"""Validation of enterprise registry input. Pure: reads the standards tables, writes nothing.

- USCC per GB 32100-2015 (with the GB 11714 organisation-code check): a bad check character is
  a warning that the user may override with a recorded reason (shared/DOMAIN.md §4).
- Division code must be in the versioned GB/T 2260 table; industry in GB/T 4754-2017;
  declared hazards in the 2015 hazard catalogue (国卫疾控发〔2015〕92号).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ohinspect.errors import FieldProblem
from ohinspect.i18n import tr
from ohinspect.standards.classifications import load_classifications
from ohinspect.standards.divisions import load_divisions
from ohinspect.standards.hazards import load_hazard_catalogue
from ohinspect.standards.industries import load_industries
from ohinspect.standards.uscc import check_uscc
from ohinspect.store.models import Enterprise

PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")
REQUIRED = ("name", "uscc", "division_code")
TEXT_FIELDS = ("name", "uscc_override_reason", "division_code", "address", "legal_representative",
               "contact_person", "contact_phone", "industry_code", "scale", "risk_class",
               "risk_rule_set", "notes", "org_kind")
#: the kind of organisation when none is given: 用人单位 (classifications.yaml ``org_kinds``)
DEFAULT_ORG_KIND = "employer"


@dataclass
class EnterpriseInput:
    """What a form (or the CLI, or the demo) supplies; numbers may arrive as text."""

    name: str = ""
    uscc: str = ""
    uscc_override_reason: str = ""
    division_code: str = ""
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    industry_code: str = ""
    scale: str = ""
    workforce: int | str | None = None
    exposed_count: int | str | None = None
    hazard_codes: list[str] = field(default_factory=list)
    risk_class: str = ""
    risk_rule_set: str = ""
    notes: str = ""
    org_kind: str = ""     # employer, or an institution kind (classifications.yaml org_kinds)

    @classmethod
    def from_record(cls, e: Enterprise) -> EnterpriseInput:
        return cls(**{k: getattr(e, k) for k in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _max_len(name: str) -> int | None:
    return getattr(Enterprise.__table__.c[name].type, "length", None)


def _to_int(name: str, value: int | str | None, problems: list[FieldProblem]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        problems.append(FieldProblem(name, "field.not_integer", tr("field.not_integer")))
        return None
    if number < 0:
        problems.append(FieldProblem(name, "field.negative", tr("field.negative")))
        return None
    return number


def validate_enterprise(data: EnterpriseInput) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Return the cleaned column values and every problem found (empty list = valid).

    Problems with ``overridable=True`` are warnings that a recorded reason clears.
    Checks needing the store (duplicate codes) are done by the service.
    """
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {k: (getattr(data, k) or "").strip() for k in TEXT_FIELDS}

    for name in REQUIRED:
        value = data.uscc if name == "uscc" else clean[name]
        if not (value or "").strip():
            problems.append(FieldProblem(name, "field.required", tr("field.required")))
    for name in TEXT_FIELDS:
        limit = _max_len(name)
        if limit and len(clean[name]) > limit:
            problems.append(FieldProblem(name, "field.too_long", tr("field.too_long", max=limit)))

    clean["uscc"] = ""
    if data.uscc.strip():
        result = check_uscc(data.uscc)
        clean["uscc"] = result.code
        for p in result.problems:
            if p.severity == "error":
                problems.append(FieldProblem("uscc", p.code, p.message))
            elif not clean["uscc_override_reason"]:
                problems.append(FieldProblem("uscc", p.code, p.message, overridable=True))
        if result.ok:
            clean["uscc_override_reason"] = ""  # nothing to override: do not keep a stale reason

    divisions = load_divisions()
    if clean["division_code"] and clean["division_code"] not in divisions:
        problems.append(FieldProblem("division_code", "enterprise.error.division_unknown",
                                     tr("enterprise.error.division_unknown",
                                        code=clean["division_code"])))
    if clean["industry_code"]:
        clean["industry_code"] = clean["industry_code"].upper()
        if clean["industry_code"] not in load_industries():
            problems.append(FieldProblem("industry_code", "enterprise.error.industry_unknown",
                                         tr("enterprise.error.industry_unknown",
                                            code=clean["industry_code"])))
    if clean["contact_phone"] and not PHONE_RE.match(clean["contact_phone"]):
        problems.append(FieldProblem("contact_phone", "enterprise.error.phone",
                                     tr("enterprise.error.phone")))

    classes = load_classifications()
    if clean["scale"] and classes.scale(clean["scale"]) is None:
        problems.append(FieldProblem("scale", "enterprise.error.scale_unknown",
                                     tr("enterprise.error.scale_unknown", value=clean["scale"])))
    if clean["risk_class"]:
        rule_set = classes.rule_set(clean["risk_rule_set"])
        if rule_set is None:
            problems.append(FieldProblem("risk_rule_set", "enterprise.error.risk_rule_set_required",
                                         tr("enterprise.error.risk_rule_set_required")))
        elif clean["risk_class"] not in rule_set.class_codes():
            problems.append(FieldProblem("risk_class", "enterprise.error.risk_class_unknown",
                                         tr("enterprise.error.risk_class_unknown",
                                            value=clean["risk_class"], rule_set=rule_set.label())))

    clean["org_kind"] = clean["org_kind"] or DEFAULT_ORG_KIND
    if classes.org_kind(clean["org_kind"]) is None:
        problems.append(FieldProblem("org_kind", "enterprise.error.org_kind_unknown",
                                     tr("enterprise.error.org_kind_unknown", value=clean["org_kind"],
                                        choices="、".join(k.label() for k in classes.org_kinds))))

    catalogue = load_hazard_catalogue()
    hazards = sorted(set(data.hazard_codes))
    for code in hazards:
        if code not in catalogue:
            problems.append(FieldProblem("hazard_codes", "enterprise.error.hazard_unknown",
                                         tr("enterprise.error.hazard_unknown", code=code)))
    clean["hazard_codes"] = hazards

    clean["workforce"] = _to_int("workforce", data.workforce, problems)
    clean["exposed_count"] = _to_int("exposed_count", data.exposed_count, problems)
    if clean["exposed_count"] is not None:
        if clean["workforce"] is None and not any(p.field == "workforce" for p in problems):
            problems.append(FieldProblem("workforce", "enterprise.error.exposed_without_workforce",
                                         tr("enterprise.error.exposed_without_workforce")))
        elif clean["workforce"] is not None and clean["exposed_count"] > clean["workforce"]:
            problems.append(FieldProblem(
                "exposed_count", "enterprise.error.exposed_exceeds_workforce",
                tr("enterprise.error.exposed_exceeds_workforce", exposed=clean["exposed_count"],
                   workforce=clean["workforce"])))
    return clean, problems
