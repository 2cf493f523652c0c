"""Similar-exposure-group statistics (AIHA strategy / IHSTAT): GM, GSD, 95th percentile,
exceedance fraction and its exact 95 % UCL from the non-central t distribution.

Reference values and where they come from:

* Welding-fume example (6 results) of J. Hewett / Exposure Assessment Solutions, "Review of
  lognormal statistics and analyzing small data sets" (2007): Σ ln xᵢ = 0.3722, ȳ = 0.0620,
  Σ(yᵢ − ȳ)² = 1.833976, gm = 1.06, gsd = 1.83.
* One-sided normal tolerance factors K(n; p = 0.95, γ = 0.95) as printed in the AIHA strategy
  (table VII.3, Mulhausen & Damiano 1998) and in Natrella/Owen's tables: 7.656 (n = 3),
  4.203 (5), 2.911 (10), 2.396 (20), 2.220 (30). They are non-central t quantiles, and by
  duality a group whose (ln OEL − ȳ)/s equals K(n) has an exceedance-fraction UCL of exactly 5 %.
* Exceedance-fraction UCLs computed offline with SciPy 1.17.1 (scipy.stats.nct, i.e. Boost's
  non-central t, plus brentq) exactly as the R package STAND's ``efraction.exact`` does — an
  independent implementation; SciPy is not a dependency of the project.
* A slow brute-force evaluation of the non-central t distribution function in this file
  (Simpson integration over Z with the chi-square survival function from its power series),
  independent of the quadrature over W used by ohinspect.hygiene.stats.
"""

from __future__ import annotations

import math

import pytest

from ohinspect.hygiene.stats import (Z_PERCENTILE, group_stats, nct_cdf, nct_noncentrality,
                                     nct_ppf, norm_cdf, tolerance_factor)
from ohinspect.i18n import set_language

WELDING = [0.84, 0.98, 0.42, 1.16, 1.36, 2.66]


def test_gm_gsd_p95_of_the_welding_fume_example() -> None:
    g = group_stats(WELDING, 2.0)
    ys = [math.log(x) for x in WELDING]
    assert math.fsum(ys) == pytest.approx(0.3722, abs=5e-5)
    mean_y = math.fsum(ys) / 6
    assert mean_y == pytest.approx(0.0620, abs=5e-5)
    assert math.fsum((y - mean_y) ** 2 for y in ys) == pytest.approx(1.833976, abs=5e-7)
    # s = √(1.833976 / 5) = 0.6056363…, GSD = e^s
    assert g.gm == pytest.approx(1.06, abs=0.005) and g.gsd == pytest.approx(1.83, abs=0.005)
    assert g.gm == pytest.approx(math.exp(0.3722 / 6), abs=1e-5)
    assert g.gsd == pytest.approx(math.exp(math.sqrt(1.833976 / 5)), rel=1e-6)
    # X0.95 = GM × GSD^1.645 = exp(ȳ + 1.6449 s)
    assert Z_PERCENTILE == pytest.approx(1.6448536269514722, rel=1e-15)
    assert g.p95 == pytest.approx(math.exp(mean_y + Z_PERCENTILE * math.sqrt(1.833976 / 5)),
                                  rel=1e-6)
    assert g.p95 == pytest.approx(2.8812147, rel=1e-6)
    # F = 1 − Φ((ln 2 − ȳ)/s) = 1 − Φ(1.04207…) = 0.148688…
    k = (math.log(2.0) - mean_y) / math.sqrt(1.833976 / 5)
    assert g.exceedance == pytest.approx(1 - norm_cdf(k), rel=1e-6)
    assert g.exceedance == pytest.approx(0.1486885396, rel=1e-8)
    assert g.reason is None and g.judged


@pytest.mark.parametrize("values, oel, ucl", [
    (WELDING, 2.0, 0.4401576764351579),
    (WELDING, 5.0, 0.14888300320513903),
    ([0.5, 1.5], 1.0, 0.8482542070257819),
    ([0.1, 0.2, 0.05], 0.3, 0.5157663213405093),
    ([0.12, 0.33, 0.08, 0.45, 0.21, 0.17, 0.6, 0.29, 0.11, 0.38], 0.5, 0.31892687231978356),
])
def test_exceedance_ucl_matches_the_scipy_reference(values: list[float], oel: float, ucl: float) -> None:
    assert group_stats(values, oel).exceedance_ucl95 == pytest.approx(ucl, rel=1e-8)


@pytest.mark.parametrize("n, k_table", [(3, 7.656), (5, 4.203), (10, 2.911), (20, 2.396), (30, 2.220)])
def test_tolerance_factors_match_the_published_table(n: int, k_table: float) -> None:
    assert tolerance_factor(n) == pytest.approx(k_table, abs=6e-4)


@pytest.mark.parametrize("n", [3, 5, 10, 20])
def test_ucl_is_5_percent_when_the_oel_sits_at_the_tolerance_limit(n: int) -> None:
    # a group with ln x = 0, ±1 pattern; OEL = exp(ȳ + K(n)·s) ⇒ UCL₉₅(F) = 5 %
    ys = [(-1.0) ** i * (1 + i % 3) for i in range(n)]
    values = [math.exp(y) for y in ys]
    mean_y = sum(ys) / n
    s = math.sqrt(sum((y - mean_y) ** 2 for y in ys) / (n - 1))
    oel = math.exp(mean_y + tolerance_factor(n) * s)
    assert group_stats(values, oel).exceedance_ucl95 == pytest.approx(0.05, abs=1e-9)
    # with the table's rounded K the UCL is 5 % to within the rounding
    rounded = {3: 7.656, 5: 4.203, 10: 2.911, 20: 2.396}[n]
    assert group_stats(values, math.exp(mean_y + rounded * s)).exceedance_ucl95 == \
        pytest.approx(0.05, abs=2e-4)


# --- brute force: P(T ≤ t) = Φ(−δ) + ∫_{−δ}^{∞} φ(z)·Q_χ²ν(ν(z+δ)²/t²) dz  (t > 0) ------

def _chi2_sf(x: float, k: int) -> float:
    a, h = k / 2.0, x / 2.0
    if h == 0:
        return 1.0
    term = math.exp(a * math.log(h) - h - math.lgamma(a + 1.0))
    total, n = term, 0
    while term > 1e-18 * total:
        n += 1
        term *= h / (a + n)
        total += term
    return max(0.0, 1.0 - total)


def _brute_nct_cdf(t: float, df: int, nc: float, steps: int = 4000) -> float:
    assert t > 0
    lo, hi = -nc, max(-nc, 9.0)
    if hi <= lo:
        return norm_cdf(-nc)
    h = (hi - lo) / steps
    total = 0.0
    for i in range(steps + 1):
        z = lo + i * h
        f = math.exp(-z * z / 2) / math.sqrt(2 * math.pi) * _chi2_sf(df * ((z + nc) / t) ** 2, df)
        total += f * (1 if i in (0, steps) else 4 if i % 2 else 2)
    return norm_cdf(-nc) + total * h / 3


@pytest.mark.parametrize("t, df, nc", [(2.0, 4, 1.0), (5.0, 9, 3.5), (1.0, 2, 2.5), (12.0, 19, 8.0)])
def test_nct_cdf_against_brute_force(t: float, df: int, nc: float) -> None:
    assert nct_cdf(t, df, nc) == pytest.approx(_brute_nct_cdf(t, df, nc), abs=2e-8)


def test_ucl_noncentrality_against_brute_force() -> None:
    # the δ_L found for the welding group (n = 6, OEL 2) really puts t₀ at the 95 % point
    ys = [math.log(x) for x in WELDING]
    mean_y = sum(ys) / 6
    s = math.sqrt(sum((y - mean_y) ** 2 for y in ys) / 5)
    t0 = math.sqrt(6) * (math.log(2.0) - mean_y) / s
    delta = nct_noncentrality(t0, 5, 0.95)
    assert _brute_nct_cdf(t0, 5, delta) == pytest.approx(0.95, abs=1e-7)
    assert group_stats(WELDING, 2.0).exceedance_ucl95 == pytest.approx(norm_cdf(-delta / math.sqrt(6)),
                                                                      rel=1e-12)


def test_nct_basics() -> None:
    # δ = 0 is Student's t: with 1 df, P(T ≤ 1) = 3/4; with 2 df, P(T ≤ 2) = ½ + 2/(2√6)… = 0.9082483
    assert nct_cdf(1.0, 1, 0.0) == pytest.approx(0.75, abs=1e-12)
    assert nct_cdf(2.0, 2, 0.0) == pytest.approx(0.5 + 1 / math.sqrt(6), abs=1e-12)
    assert nct_cdf(0.0, 7, 1.3) == pytest.approx(norm_cdf(-1.3), abs=1e-12)   # P(T ≤ 0) = Φ(−δ)
    for p in (0.05, 0.5, 0.95):
        assert nct_cdf(nct_ppf(p, 6, 2.0), 6, 2.0) == pytest.approx(p, abs=1e-11)


# --- groups that cannot be judged ------------------------------------------------------

def test_fewer_than_two_results_is_not_judged_not_a_crash() -> None:
    one = group_stats([0.3], 1.0)
    assert one.n == 1 and one.gm == pytest.approx(0.3)
    assert (one.gsd, one.p95, one.exceedance, one.exceedance_ucl95) == (None, None, None, None)
    assert one.reason == "只有 1 个结果，至少需要2个才能计算几何标准差和超限比例，不判定"
    assert not one.judged
    none = group_stats([], 1.0)
    assert none.n == 0 and none.gm is None and "0" in (none.reason or "")
    set_language("en")
    assert group_stats([0.3], 1.0).reason.startswith("Only 1 result(s)")


def test_non_positive_and_equal_results() -> None:
    bad = group_stats([0.2, 0.0, 0.4], 1.0)
    assert bad.gm is None and bad.reason is not None
    same = group_stats([0.2, 0.2, 0.2], 1.0)
    assert same.gsd == pytest.approx(1.0) and same.exceedance == 0.0
    assert same.exceedance_ucl95 is None and same.reason is not None
    with pytest.raises(ValueError):
        group_stats([0.2, 0.3], 0.0)


def test_steps_show_the_arithmetic() -> None:
    formulas = [s.formula for s in group_stats(WELDING, 2.0).steps]
    assert "n = 6" in formulas
    assert any(f.startswith("GM = exp(ȳ) = exp(0.0620") for f in formulas)
    assert any(f.startswith("X₀.₉₅ = GM × GSD^1.645 = ") for f in formulas)
    assert any(f.startswith("UCL₉₅(F) = 1 − Φ(δ_L / √n)") for f in formulas)
