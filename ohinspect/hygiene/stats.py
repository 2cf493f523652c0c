"""Statistics of a similar-exposure group (同类接触组), as the AIHA spreadsheet IHSTAT computes
them for lognormally distributed exposures.

Reference: AIHA, *A Strategy for Assessing and Managing Occupational Exposures* (Mulhausen &
Damiano 2nd ed. 1998, app. V–VII; Ignacio & Bullock 3rd ed. 2006), whose IHSTAT workbook
reports, for n ≥ 2 positive results x₁…xₙ with yᵢ = ln xᵢ:

* GM = exp(ȳ), GSD = exp(s) with s the sample standard deviation (divisor n − 1) of the yᵢ;
* the 95th percentile X₀.₉₅ = GM · GSD^z₀.₉₅ (z₀.₉₅ = 1.645, the standard-normal quantile);
* the exceedance fraction F = P(X > OEL) = 1 − Φ((ln OEL − ln GM) / ln GSD);
* the "exact" 95 % upper confidence limit of F from the non-central t distribution
  (Johnson & Welch 1940, *Biometrika* 31: 362–389, eq. 16; the same construction as the
  one-sided tolerance limit): with K = (ln OEL − ȳ)/s and t₀ = √n·K, find the non-centrality
  δ_L with  P(T′(n−1, δ_L) ≤ t₀) = 0.95;  then  UCL₉₅(F) = 1 − Φ(δ_L / √n).
  (Frome & Wambach, ORNL/TM-2005/52, and the R package STAND ``efraction.exact`` compute it
  the same way.)

Everything here is pure Python (``math`` and ``statistics.NormalDist``): the non-central t
distribution function is a numerical integral over the distribution of the sample standard
deviation (see ``nct_cdf``). Fewer than two results, a non-positive result or results without
any spread give a result with ``reason`` set and the quantities that cannot be computed left
``None``: 不判定, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

from ohinspect.hygiene.steps import Step, num
from ohinspect.i18n import tr

_STD = NormalDist()
# The percentile and the confidence level IHSTAT reports (part of the method, not a limit).
PERCENTILE = 0.95
CONFIDENCE = 0.95
Z_PERCENTILE = _STD.inv_cdf(PERCENTILE)  # 1.6448536…


def norm_cdf(x: float) -> float:
    """Φ(x), accurate in both tails (via erfc)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def norm_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


# --- the non-central t distribution -------------------------------------------------------

@lru_cache(maxsize=None)
def _gauss_legendre(n: int) -> tuple[tuple[float, float], ...]:
    """Nodes and weights of the n-point Gauss–Legendre rule on [0, 1] (Newton iteration on the
    three-term Legendre recurrence, as in Numerical Recipes §4.6 ``gauleg``)."""
    out: list[tuple[float, float]] = []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1.0)
            dx = p1 / dp
            x -= dx
            if abs(dx) < 1e-15:
                break
        p0, p1 = 1.0, x
        for k in range(2, n + 1):
            p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
        dp = n * (x * p1 - p0) / (x * x - 1.0)
        weight = 2.0 / ((1.0 - x * x) * dp * dp)
        out.append(((1.0 - x) / 2.0, weight / 2.0))
    return tuple(sorted(out))


_GL = 16          # nodes per panel
_PANELS = 8       # panels per integration segment


def _chi_nodes(df: float, t: float, nc: float) -> list[tuple[float, float]]:
    """Quadrature nodes wᵢ and weights cᵢ (Σcᵢ = 1) for E[g(W)], W = √(χ²_df / df).

    The density of W is f(w) = 2 (df/2)^(df/2) / Γ(df/2) · w^(df−1) · exp(−df·w²/2). The range
    [max(0, 1 − 10/√df), 1 + 10/√df] holds all but a negligible tail (for df = 1, |Z| ≤ 11).
    Where Φ(t·w − δ) jumps (w* = δ/t, width ~1/|t|) an extra segment of ±10/|t| is integrated
    separately, so that large |t| do not lose accuracy."""
    lo = max(0.0, 1.0 - 10.0 / math.sqrt(df))
    hi = 1.0 + 10.0 / math.sqrt(df)
    cuts = {lo, hi}
    if t != 0.0:
        centre, half = nc / t, 10.0 / abs(t)
        for c in (centre - half, centre + half):
            if lo < c < hi:
                cuts.add(c)
    edges = sorted(cuts)
    log_norm = math.log(2.0) + (df / 2.0) * math.log(df / 2.0) - math.lgamma(df / 2.0)
    nodes: list[tuple[float, float]] = []
    rule = _gauss_legendre(_GL)
    for a, b in zip(edges, edges[1:]):
        width = (b - a) / _PANELS
        for p in range(_PANELS):
            start = a + p * width
            for x, wt in rule:
                w = start + x * width
                log_f = log_norm + (df - 1.0) * math.log(w) - df * w * w / 2.0
                nodes.append((w, wt * width * math.exp(log_f)))
    total = sum(c for _, c in nodes)
    return [(w, c / total) for w, c in nodes]


def nct_cdf(t: float, df: float, nc: float) -> float:
    """P(T ≤ t) for the non-central t distribution with ``df`` degrees of freedom and
    non-centrality ``nc``, T = (Z + nc) / W, W = √(χ²_df/df) independent of Z ~ N(0, 1).

    Method: conditioning on W, P(T ≤ t) = E[Φ(t·W − nc)] (valid for any sign of t because
    W > 0), evaluated by composite 16-point Gauss–Legendre quadrature over the density of W
    (Johnson & Welch 1940, §2; Owen 1968, *Technometrics* 10: 445–478). It agreed with
    SciPy/Boost's non-central t to 1e-14 on a grid of df 1–999, δ −3…20, t −10…1000;
    tests/unit/test_hygiene_stats.py checks it against a slower, independent
    series-and-Simpson evaluation and against published tolerance factors."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    return sum(c * norm_cdf(t * w - nc) for w, c in _chi_nodes(df, t, nc))


def _nct_cdf_and_derivs(t: float, df: float, nc: float) -> tuple[float, float, float]:
    """F, ∂F/∂t = E[W φ(tW − δ)] (the density) and ∂F/∂δ = −E[φ(tW − δ)]."""
    f = d_t = d_nc = 0.0
    for w, c in _chi_nodes(df, t, nc):
        x = t * w - nc
        f += c * norm_cdf(x)
        phi = c * norm_pdf(x)
        d_t += w * phi
        d_nc -= phi
    return f, d_t, d_nc


def nct_ppf(p: float, df: float, nc: float) -> float:
    """The p-quantile t of the non-central t distribution (inverse of ``nct_cdf`` in t):
    safeguarded Newton iteration on nct_cdf with its density as derivative, inside a bracket
    found by stepping out from the normal approximation t ≈ nc + z_p·√(1 + nc²/(2·df))."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    z = _STD.inv_cdf(p)
    guess = nc + z * math.sqrt(1.0 + nc * nc / (2.0 * df))
    return _solve_increasing(lambda t: _nct_cdf_and_derivs(t, df, nc)[:2], p, guess)


def nct_noncentrality(t: float, df: float, p: float) -> float:
    """The non-centrality δ with nct_cdf(t, df, δ) = p (the cdf falls as δ grows); used for
    confidence limits on (L − μ)/σ (Johnson & Welch 1940 eq. 16). Start: their eq. 30,
    δ ≈ t − z_p·√(1 + t²/(2·df))."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    z = _STD.inv_cdf(p)
    guess = t - z * math.sqrt(1.0 + t * t / (2.0 * df))

    def rising(neg_nc: float) -> tuple[float, float]:
        f, _, d_nc = _nct_cdf_and_derivs(t, df, -neg_nc)
        return f, -d_nc

    return -_solve_increasing(rising, p, -guess)


def _solve_increasing(fn, target: float, guess: float) -> float:  # type: ignore[no-untyped-def]
    """Root of fn(x)[0] = target for an increasing fn returning (value, derivative)."""
    step = 1.0 + abs(guess) * 0.25
    lo, hi = guess - step, guess + step
    f_lo, _ = fn(lo)
    while f_lo > target:
        lo, step = lo - step, step * 2.0
        f_lo, _ = fn(lo)
    f_hi, _ = fn(hi)
    while f_hi < target:
        hi, step = hi + step, step * 2.0
        f_hi, _ = fn(hi)
    x = min(max(guess, lo), hi)
    for _ in range(200):
        f, d = fn(x)
        if f < target:
            lo = x
        else:
            hi = x
        nxt = x - (f - target) / d if d > 0 else (lo + hi) / 2.0
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2.0
        if abs(nxt - x) <= 1e-12 * max(1.0, abs(x)) or hi - lo <= 1e-13 * max(1.0, abs(x)):
            return nxt
        x = nxt
    return x


def tolerance_factor(n: int, coverage: float = PERCENTILE, confidence: float = CONFIDENCE) -> float:
    """One-sided normal tolerance factor K with  ȳ + K·s  the upper confidence limit of the
    ``coverage`` percentile: K = t′_confidence(n−1, z_coverage·√n) / √n (Owen 1968; AIHA
    strategy, table VII.3). exp(ȳ + K·s) is IHSTAT's "UTL 95 %/95 %" of a lognormal group."""
    if n < 2:
        raise ValueError("a tolerance factor needs at least 2 results")
    z = _STD.inv_cdf(coverage)
    return nct_ppf(confidence, n - 1, z * math.sqrt(n)) / math.sqrt(n)


# --- the group statistics ------------------------------------------------------------------

@dataclass(frozen=True)
class GroupStats:
    """IHSTAT's parametric (lognormal) statistics of one similar-exposure group against one OEL.

    ``exceedance`` and ``exceedance_ucl95`` are fractions (0.05 = 5 %). ``reason`` is None when
    everything was computed; otherwise it says why the group is 不判定 (fewer than 2 results, a
    result ≤ 0, no spread) and the quantities that could not be computed are None."""

    n: int
    gm: float | None
    gsd: float | None
    p95: float | None
    exceedance: float | None
    exceedance_ucl95: float | None
    steps: tuple[Step, ...]
    reason: str | None = None

    @property
    def judged(self) -> bool:
        return self.reason is None


def group_stats(values: Sequence[float], oel: float, unit: str = "mg/m³") -> GroupStats:
    """GM, GSD, X₀.₉₅, exceedance fraction and its exact 95 % UCL (AIHA strategy app. V–VII;
    IHSTAT; the method is in this module's docstring). ``values`` are the results of one group
    (results below the LOD already replaced by the caller's LOD policy), ``oel`` the limit they
    are compared with (same unit)."""
    if not oel > 0:
        raise ValueError("the OEL must be positive")
    n = len(values)
    steps: list[Step] = [Step(tr("hygiene.stats.n"), f"n = {n}", float(n))]
    if n == 0:
        return GroupStats(0, None, None, None, None, None, tuple(steps),
                          tr("hygiene.stats.reason.too_few", n=n))
    bad = [v for v in values if not v > 0]
    if bad:
        return GroupStats(n, None, None, None, None, None, tuple(steps),
                          tr("hygiene.stats.reason.non_positive", value=num(bad[0])))
    ys = [math.log(v) for v in values]
    mean_y = math.fsum(ys) / n
    gm = math.exp(mean_y)
    steps.append(Step(tr("hygiene.stats.mean_log"),
                      f"ȳ = Σ ln xᵢ / n = {num(math.fsum(ys))} / {n}", mean_y))
    steps.append(Step(tr("hygiene.stats.gm"), f"GM = exp(ȳ) = exp({num(mean_y)})", gm, unit))
    if n < 2:
        return GroupStats(n, gm, None, None, None, None, tuple(steps),
                          tr("hygiene.stats.reason.too_few", n=n))
    s = math.sqrt(math.fsum((y - mean_y) ** 2 for y in ys) / (n - 1))
    gsd = math.exp(s)
    steps.append(Step(tr("hygiene.stats.sd_log"),
                      f"s = √(Σ(ln xᵢ − ȳ)² / (n − 1)) = √({num(s * s * (n - 1))} / {n - 1})", s))
    steps.append(Step(tr("hygiene.stats.gsd"), f"GSD = exp(s) = exp({num(s)})", gsd))
    if s < 1e-12:
        exceed = 1.0 if gm > oel else 0.0
        steps.append(Step(tr("hygiene.stats.exceedance"),
                          f"F = {'1' if exceed else '0'} (GM {'>' if exceed else '≤'} OEL {num(oel)})",
                          exceed))
        return GroupStats(n, gm, gsd, gm, exceed, None, tuple(steps),
                          tr("hygiene.stats.reason.no_spread"))
    p95 = math.exp(mean_y + Z_PERCENTILE * s)
    steps.append(Step(tr("hygiene.stats.p95"),
                      f"X₀.₉₅ = GM × GSD^1.645 = {num(gm)} × {num(gsd)}^{num(Z_PERCENTILE)}",
                      p95, unit))
    k = (math.log(oel) - mean_y) / s
    steps.append(Step(tr("hygiene.stats.z_oel"),
                      f"K = (ln OEL − ln GM) / ln GSD = (ln {num(oel)} − {num(mean_y)}) / {num(s)}", k))
    exceedance = norm_cdf(-k)
    steps.append(Step(tr("hygiene.stats.exceedance"), f"F = 1 − Φ(K) = 1 − Φ({num(k)})",
                      exceedance))
    t0 = math.sqrt(n) * k
    delta = nct_noncentrality(t0, n - 1, CONFIDENCE)
    ucl = norm_cdf(-delta / math.sqrt(n))
    steps.append(Step(tr("hygiene.stats.t0"), f"t₀ = √n × K = √{n} × {num(k)}", t0))
    steps.append(Step(tr("hygiene.stats.delta"),
                      f"P(T′({n - 1}, δ_L) ≤ {num(t0)}) = 0.95 ⇒ δ_L", delta))
    steps.append(Step(tr("hygiene.stats.exceedance_ucl"),
                      f"UCL₉₅(F) = 1 − Φ(δ_L / √n) = 1 − Φ({num(delta)} / √{n})", ucl))
    return GroupStats(n, gm, gsd, p95, exceedance, ucl, tuple(steps))
