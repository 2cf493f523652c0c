"""Hygiene calculations (职业卫生计算): sampling arithmetic, exposure values, judgement against
the limits, noise levels and group statistics — pure functions, no database, no Qt.

Every function returns its ``Step``s (the arithmetic as shown to the user) and every judgement
is a ``Verdict`` (符合 / 不符合 / 不判定 with the reason). Limits and rules come in as the
objects of ``ohinspect.standards.limits`` / ``ohinspect.standards.sampling_rules``; no limit or
rule value is written in this package.

Modules: ``steps`` (Step, Verdict), ``air`` (GBZ 159-2004), ``exposure`` (GBZ 2.1-2019),
``noise`` (GBZ/T 189.8-2007, GBZ 2.2-2007, ISO 9612), ``stats`` (AIHA strategy / IHSTAT).
"""

from ohinspect.hygiene.air import (FlowCheck, Resolved, Result, check_flow, concentration,
                                   concentration_step, flow_drift, mean_flow, resolve,
                                   sample_volume, standard_volume, substitute)
from ohinspect.hygiene.exposure import (Excursion, action_level, c_me_of_results, c_ste,
                                        c_ste_of_results, c_twa, c_twa_of_results, grade,
                                        grade_step, judge_chemical, judge_dust, judge_mixture,
                                        mixture_index, peak_rule, reduction_factor)
from ohinspect.hygiene.noise import judge_noise, laeq, lex_8h, lex_40h, needs_weekly
from ohinspect.hygiene.stats import (GroupStats, group_stats, nct_cdf, nct_noncentrality, nct_ppf,
                                     tolerance_factor)
from ohinspect.hygiene.steps import Step, Verdict

__all__ = [
    "Excursion", "FlowCheck", "GroupStats", "Resolved", "Result", "Step", "Verdict",
    "action_level", "c_me_of_results", "c_ste", "c_ste_of_results", "c_twa", "c_twa_of_results",
    "check_flow", "concentration", "concentration_step", "flow_drift", "grade", "grade_step",
    "group_stats", "judge_chemical", "judge_dust", "judge_mixture", "judge_noise", "laeq",
    "lex_40h", "lex_8h", "mean_flow", "mixture_index", "nct_cdf", "nct_noncentrality", "nct_ppf",
    "needs_weekly", "peak_rule", "reduction_factor", "resolve", "sample_volume",
    "standard_volume", "substitute", "tolerance_factor",
]
