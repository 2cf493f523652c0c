"""Unified Social Credit Code (统一社会信用代码) checks, GB 32100-2015.

Structure of the 18 characters (GB 32100-2015, 代码结构; shared/DOMAIN.md §4):

====  ==========================================================================
1     registration authority (登记管理部门代码)
2     organisation type (机构类别代码)
3–8   administrative division of the registering authority (GB/T 2260)
9–17  organisation code (主体标识码), whose 9th character is the GB 11714-1997 check
18    check character (校验码)
====  ==========================================================================

Hard errors (the code cannot be right): empty, wrong length, a character outside the 31-character
alphabet, positions 3–8 not six digits. Warnings (real registered codes with a bad check
character exist, so the user may override with a recorded reason — never a hard block): a wrong
position-18 check character, a wrong position-17 organisation-code check character, and an
authority/type combination that GB 32100-2015 does not define (only where we are sure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ohinspect.i18n import tr

USCC_LENGTH = 18

# GB 32100-2015, 代码字符集: the digits and the capital letters except I, O, S, V, Z;
# a character's value is its index in this string.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_MODULUS = len(ALPHABET)  # 31

# GB 32100-2015, 校验码: the weight of position i (1-based) is 3^(i-1) mod 31,
# i.e. 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
WEIGHTS: tuple[int, ...] = tuple(pow(3, i, _MODULUS) for i in range(USCC_LENGTH - 1))

# GB 11714-1997 organisation code: 8 body characters (0–9 → 0–9, A–Z → 10–35), weights
# 3 7 9 10 5 8 4 2; C9 = 11 − (Σ mod 11), where 10 is written "X" and 11 is written "0".
ORG_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# GB 32100-2015, 登记管理部门代码和机构类别代码: only the combinations we are sure of are
# checked; any other position-1 value is not judged. 9 = market regulation (工商): 1 enterprise,
# 2 individual business, 3 farmers' co-operative (DOMAIN.md §4). 1 = 机构编制: 1 organ,
# 2 public institution, 3 mass organisation under the central establishment office, 9 other.
# 5 = 民政: 1 social organisation, 2 private non-enterprise unit, 3 foundation, 9 other.
ORG_TYPES: dict[str, frozenset[str]] = {
    "9": frozenset("123"),
    "1": frozenset("1239"),
    "5": frozenset("1239"),
}

_FULLWIDTH_OFFSET = 0xFEE0  # U+FF01..U+FF5E are the full-width forms of U+0021..U+007E

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class UsccProblem:
    """One finding. ``code`` is stable (e.g. ``"uscc.check_char"``); ``message`` is localised."""

    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class UsccResult:
    """The outcome of :func:`check_uscc` for one input."""

    code: str
    problems: tuple[UsccProblem, ...]
    expected_check_char: str | None = None
    expected_org_check_char: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> tuple[UsccProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def normalise(code: str) -> str:
    """Strip, convert full-width ASCII (and the ideographic space) to half-width, upper-case."""
    chars = []
    for ch in code:
        point = ord(ch)
        if 0xFF01 <= point <= 0xFF5E:
            ch = chr(point - _FULLWIDTH_OFFSET)
        elif point == 0x3000:
            ch = " "
        chars.append(ch)
    return "".join(chars).strip().upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character (position 18) for the first 17 characters."""
    if len(first17) != USCC_LENGTH - 1 or any(ch not in _VALUE for ch in first17):
        raise ValueError(f"need 17 characters from {ALPHABET!r}, got {first17!r}")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(_MODULUS - total % _MODULUS) % _MODULUS]


def org_code_check_char(body8: str) -> str:
    """The GB 11714-1997 check character for an 8-character organisation-code body."""
    if len(body8) != len(ORG_WEIGHTS) or any(ch not in _ORG_BODY_CHARS for ch in body8):
        raise ValueError(f"need 8 characters from 0-9A-Z, got {body8!r}")
    total = sum(_ORG_BODY_CHARS.index(ch) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_uscc(registration: str, org_type: str, division: str, org_body: str) -> str:
    """Build a complete code: both check characters are computed. Raises ``ValueError``."""
    registration, org_type = normalise(registration), normalise(org_type)
    division, org_body = normalise(division), normalise(org_body)
    if len(registration) != 1 or registration not in _VALUE:
        raise ValueError(f"registration authority must be one character of {ALPHABET!r}")
    if len(org_type) != 1 or org_type not in _VALUE:
        raise ValueError(f"organisation type must be one character of {ALPHABET!r}")
    if len(division) != 6 or not division.isascii() or not division.isdigit():
        raise ValueError(f"division must be 6 digits, got {division!r}")
    if len(org_body) != 8 or any(ch not in _VALUE for ch in org_body):
        raise ValueError(f"organisation body must be 8 characters of {ALPHABET!r}")
    first17 = registration + org_type + division + org_body + org_code_check_char(org_body)
    return first17 + uscc_check_char(first17)


def check_uscc(code: str) -> UsccResult:
    """Check one code; see the module docstring for what is an error and what a warning."""
    value = normalise(code)
    if not value:
        return UsccResult(value, (_error("uscc.empty"),))
    problems = [
        _error("uscc.charset", position=i, char=ch)
        for i, ch in enumerate(value, start=1)
        if ch not in _VALUE
    ]
    if len(value) != USCC_LENGTH:
        return UsccResult(value, (_error("uscc.length", length=len(value)), *problems))
    division = value[2:8]
    if not (division.isascii() and division.isdigit()):
        problems.append(_error("uscc.division_format", value=division))
    if problems:
        return UsccResult(value, tuple(problems))
    registration, org_type = value[0], value[1]
    allowed = ORG_TYPES.get(registration)
    if allowed is not None and org_type not in allowed:
        problems.append(_warning("uscc.org_type", registration=registration, org_type=org_type))
    expected_org = org_code_check_char(value[8:16])
    if value[16] != expected_org:
        problems.append(_warning("uscc.org_check", expected=expected_org, actual=value[16]))
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        problems.append(_warning("uscc.check_char", expected=expected, actual=value[17]))
    return UsccResult(value, tuple(problems), expected, expected_org)


def _error(key: str, **values: object) -> UsccProblem:
    return UsccProblem(key, "error", tr(key, **values))


def _warning(key: str, **values: object) -> UsccProblem:
    return UsccProblem(key, "warning", tr(key, **values))
