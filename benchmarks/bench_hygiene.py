"""Issue 4 figure: time to re-evaluate a whole sampling task — 500 air samples from 50 posts ×
4 hazard factors (benzene TWA + STEL, DMF with peaks, formaldehyde MAC, silica total and
respirable dust) plus one noise measurement per post — with every step kept. Prints figures;
asserts nothing (target: a whole task re-evaluation ≤ 200 ms).

    .venv/bin/python -m benchmarks.bench_hygiene [--runs 7] [--posts 50]

Per sample: sampled volume, standard volume, flow check, concentration (some results below
the LOD). Per post and factor: C_TWA / C_STE / C_ME from the results, the GBZ 2.1-2019
judgement (peak rule, RF for 12-h posts), grade and action level. Per post: L_EX,8h and its
judgement. Per post (benzene over 3 shifts): the IHSTAT group statistics with the non-central t
UCL of the exceedance fraction.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import dataclass

from ohinspect.hygiene import (Excursion, Result, action_level, c_me_of_results, c_ste_of_results,
                               c_twa_of_results, check_flow, concentration_step, grade,
                               group_stats, judge_chemical, judge_dust, judge_noise, laeq, lex_8h,
                               reduction_factor, sample_volume, standard_volume)
from ohinspect.standards.limits import load_judgement_rules, load_limits, load_noise_limits
from ohinspect.standards.sampling_rules import load_air_rules


@dataclass(frozen=True)
class Sample:
    post: int
    factor: str          # benzene_twa | benzene_ste | dmf_twa | formaldehyde | silica_total | silica_resp
    shift: int
    flow_before: float
    flow_after: float
    minutes: float
    temp_c: float
    pressure_kpa: float
    mass_ug: float
    lod_ug: float


def build_task(posts: int, seed: int = 4) -> tuple[list[Sample], list[list[tuple[float, float]]]]:
    rnd = random.Random(seed)
    samples: list[Sample] = []
    kinds = (["benzene_twa"] * 3 + ["benzene_ste"] * 2 + ["dmf_twa", "dmf_peak", "formaldehyde",
                                                          "silica_total", "silica_resp"])
    for post in range(posts):
        for i, kind in enumerate(kinds):
            short = kind in ("benzene_ste", "dmf_peak", "formaldehyde")
            minutes = 15.0 if short else rnd.choice((240.0, 360.0, 480.0))
            flow = 0.5 if not kind.startswith("silica") else 2.0
            mass = rnd.lognormvariate(1.0, 1.0) * (3 if short else 30)
            samples.append(Sample(post, kind, i % 3, flow, flow * rnd.uniform(0.93, 1.07), minutes,
                                  rnd.choice((2.0, 18.0, 25.0, 38.0)), rnd.choice((92.0, 101.3)),
                                  mass, 0.8))
    noise = [[(rnd.uniform(78, 92), 4.0), (rnd.uniform(75, 90), 4.0 + (post % 3) * 2)]
             for post in range(posts)]
    return samples, noise


def evaluate(samples: list[Sample], noise: list[list[tuple[float, float]]]) -> tuple[int, int]:
    rules, limits = load_judgement_rules(), load_limits()
    air, noise_limits = load_air_rules(), load_noise_limits()
    benzene, dmf = limits.chemical("chem.benzene"), limits.chemical("chem.dmf")
    formaldehyde = limits.chemical("chem.formaldehyde")
    silica = limits.dust("dust.silica", 35.0)
    by_post: dict[int, dict[str, list[tuple[Sample, Result]]]] = {}
    for s in samples:
        volume, _ = sample_volume((s.flow_before + s.flow_after) / 2, s.minutes)
        volume, _, _ = standard_volume(volume, s.temp_c, s.pressure_kpa, air)
        check_flow(s.flow_before, s.flow_after, air)
        if s.mass_ug < s.lod_ug:
            result = Result(s.lod_ug / volume, below_lod=True)
        else:
            result = Result(concentration_step(s.mass_ug, volume)[0])
        by_post.setdefault(s.post, {}).setdefault(s.factor, []).append((s, result))
    verdicts = groups = 0
    for post, factors in by_post.items():
        rf = reduction_factor(12.0 if post % 5 == 0 else 8.0, rules=rules)[0]
        twa_values: list[float] = []
        for s, r in factors["benzene_twa"]:
            twa, _ = c_twa_of_results([(r, s.minutes / 60)], rules)
            twa_values.append(max(twa.value, 1e-6))
        ste, _ = c_ste_of_results([(r, s.minutes) for s, r in factors["benzene_ste"][:1]], rules)
        worst = max(twa_values)
        v = judge_chemical(benzene, twa=worst, ste=ste, rf=rf, rules=rules)
        grade(worst / benzene.pc_twa, rules)
        action_level(worst / benzene.pc_twa, rules)
        stats = group_stats(twa_values, benzene.pc_twa)
        groups += 1
        dmf_twa, _ = c_twa_of_results([(r, s.minutes / 60) for s, r in factors["dmf_twa"]], rules)
        peaks = [Excursion(r.value, 10.0, 1.0 + 2 * i) for i, (_, r) in enumerate(factors["dmf_peak"])]
        judge_chemical(dmf, twa=dmf_twa, ste=None, peaks=peaks, rf=rf, rules=rules)
        c_me, _ = c_me_of_results([r for _, r in factors["formaldehyde"]], rules)
        judge_chemical(formaldehyde, twa=None, ste=None, max_result=c_me, rules=rules)
        total, _ = c_twa_of_results([(r, s.minutes / 60) for s, r in factors["silica_total"]], rules)
        resp, _ = c_twa_of_results([(r, s.minutes / 60) for s, r in factors["silica_resp"]], rules)
        judge_dust(silica, total_twa=total, respirable_twa=resp, rf=rf, rules=rules)
        level, _ = laeq(noise[post])
        lex, _ = lex_8h(level, sum(t for _, t in noise[post]))
        judge_noise(lex, noise_limits)
        verdicts += 5
        assert v.outcome and stats.n == 3
    return verdicts, groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--posts", type=int, default=50)
    args = parser.parse_args()
    samples, noise = build_task(args.posts)
    started = time.perf_counter()
    verdicts, groups = evaluate(samples, noise)          # first run: loads the rule files
    first = time.perf_counter() - started
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        evaluate(samples, noise)
        times.append(time.perf_counter() - started)
    print(f"task: {len(samples)} air samples, {args.posts} posts × 4 factors + noise: "
          f"{verdicts} verdicts, {groups} group statistics (non-central t UCL)")
    print(f"first evaluation in process (loads the rule files): {first * 1000:.0f} ms")
    print(f"re-evaluation, median of {args.runs}: {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms)   target ≤ 200 ms")


if __name__ == "__main__":
    main()
