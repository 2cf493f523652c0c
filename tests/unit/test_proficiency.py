"""z-scores and verdicts of proficiency tests (GB/T 28043-2019 §9.4), worked by hand."""

import pytest

from ohinspect.hygiene.proficiency import evaluate, load_proficiency_rules, verdict_for, z_score


def test_z_score_by_hand():
    # x = 0.52, X = 0.50, σ_pt = 0.02 → z = 0.02 / 0.02 = 1.0
    assert z_score(0.52, 0.50, 0.02) == pytest.approx(1.0)
    # below the assigned value: (8.2 − 10) / 0.6 = −3.0
    assert z_score(8.2, 10.0, 0.6) == pytest.approx(-3.0)


@pytest.mark.parametrize("reported, expected", [
    (10.0, "satisfactory"),      # z = 0
    (12.2, "satisfactory"),      # z = 2.2 / 1.1 = 2 exactly (1.9999999999999991 in floats)
    (7.8, "satisfactory"),       # z = −2 exactly: |z| ≤ 2
    (12.31, "questionable"),     # z = 2.1
    (13.289, "questionable"),    # z = 2.99
    (13.3, "unsatisfactory"),    # z = 3 exactly: |z| ≥ 3
    (6.7, "unsatisfactory"),     # z = −3 exactly (−2.9999999999999996 in floats)
    (15.5, "unsatisfactory"),    # z = 5
])
def test_bands_and_their_edges(reported, expected):
    result = evaluate(reported, 10.0, 1.1)
    assert result.verdict == expected
    assert "GB/T 28043" in result.clause


def test_floating_point_edge_is_the_limit():
    z = (6.7 - 10.0) / 1.1
    assert abs(z) < 3.0                        # the raw float is just below 3
    assert verdict_for(z, load_proficiency_rules()) == "unsatisfactory"
    assert verdict_for(2.0000001, load_proficiency_rules()) == "questionable"


def test_sigma_must_be_positive():
    with pytest.raises(ValueError):
        z_score(1.0, 1.0, 0.0)
