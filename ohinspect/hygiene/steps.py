"""The two value types every hygiene calculation returns: a ``Step`` of shown arithmetic and a
``Verdict`` (符合 / 不符合 / 不判定, the wording of GBZ 2.1-2019 ch. 6 and GBZ 2.2-2007).

A result never comes back as a bare number: each function also returns the steps that produced
it, so the screen and the report can print the whole calculation (label, formula with the
numbers put in, value, unit). Labels and reasons are already translated with ``tr()`` when the
step is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ohinspect.i18n import tr

Outcome = Literal["conform", "not_conform", "not_judged"]
OUTCOMES: tuple[Outcome, ...] = ("conform", "not_conform", "not_judged")


@dataclass(frozen=True)
class Step:
    """One line of shown arithmetic: ``label`` (translated), ``formula`` with the numbers put in
    (e.g. ``"C_TWA = Σ CᵢTᵢ / 8 = (0.8×2 + 1.2×6) / 8"``), the unrounded ``value`` (None for a
    step that only states a fact or a rule) and its ``unit``."""

    label: str
    formula: str
    value: float | None
    unit: str = ""


@dataclass(frozen=True)
class Verdict:
    """A judgement against a limit. ``reason`` says in words why (always filled in, also for a
    conforming result); ``steps`` are all the calculations and comparisons that led to it."""

    outcome: Outcome
    reason: str
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")

    def label(self) -> str:
        """符合 / 不符合 / 不判定 (or the English of the current language)."""
        return tr(f"hygiene.verdict.{self.outcome}")


def num(x: float) -> str:
    """A number as it is written into a formula: up to 6 significant digits, no trailing zeros
    (0.8, 1.2, 6, 0.00125, 18000). Values are never rounded before use, only when shown."""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if math.isnan(x):
        return "—"
    if x == 0:
        return "0"
    text = f"{x:.6g}"
    if "e" in text:  # very small or very large: keep it readable without exponent noise
        text = f"{x:.6f}".rstrip("0").rstrip(".") if abs(x) >= 1e-6 else text
    return text.replace("-", "−") if text.startswith("-") else text


def le(value: float, limit: float) -> bool:
    """``value ≤ limit`` with a relative tolerance of 1e-9 for floating-point noise, so that a
    value computed as exactly the limit (e.g. 0.1 + 0.2 against 0.3) conforms. Limits are
    compared with unrounded values; rounding is only for display."""
    return value <= limit or math.isclose(value, limit, rel_tol=1e-9, abs_tol=1e-12)


def combine(parts: list[Verdict] | tuple[Verdict, ...], steps: tuple[Step, ...] = ()) -> Verdict:
    """One verdict from several partial ones (e.g. C_TWA and C_STE, total and respirable dust):
    any 不符合 decides 不符合; otherwise any 不判定 makes the whole 不判定; otherwise 符合.
    Reasons of the deciding parts are joined with "；"."""
    if not parts:
        raise ValueError("nothing to combine")
    for outcome in ("not_conform", "not_judged", "conform"):
        deciding = [p for p in parts if p.outcome == outcome]
        if deciding:
            break
    reason = tr("hygiene.reason.join").join(p.reason for p in deciding)
    all_steps = steps + tuple(s for p in parts for s in p.steps)
    return Verdict(outcome, reason, all_steps)  # type: ignore[arg-type]
