"""Tests of the MKBA's uncertainty (issue 17, item 5; mkba/uncertainty.py), without a database.

Expected values are worked out by hand in the comments (a Monte Carlo's figures where the
distribution is known exactly, or within a tolerance derived from its sampling error), never
copied from the module's output.
"""

import json
import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from mkba import services, uncertainty
from mkba.calculations import (
    mkba_output,
    mkba_report_calculate,
    mkba_scenario_calculate,
    parameter_set_from_dict,
    reference_approaches_load,
    scenario_from_reference,
)
from mkba.uncertainty import (
    DEFAULT_RUNS,
    DEFAULT_SEED,
    REASON_NO_COSTS,
    REASON_SCENARIO,
    StreamValue,
    UncertainOutcome,
    UncertainShare,
    UncertaintyInputs,
    annuity_factors,
    monte_carlo_settings,
    social_ratio_uncertainty,
    triangular_draws,
)
from tests.mkba.conftest import FROM, MEASURED_AT, TO

D = Decimal
UNCERTAINTY_KEYS = [
    "runs",
    "seed",
    "probability_above_1",
    "social_ratio_p5",
    "social_ratio_p50",
    "social_ratio_p95",
    "reason",
]


def two_decimals(value):
    return float(D(value).quantize(D("0.01"), ROUND_HALF_UP))


def work_inputs(*, participants, total_costs, observed=0.6, baseline=None, attribution=None, discount_rate=None):
    """One outcome: work with baseline 0.30, conjunctuur 0.05, attribution 0.8 and a stream of
    10,000 a year in years 0 and 1; discount rate 0.0225 (each without a range unless given)."""
    return UncertaintyInputs(
        participants=participants,
        total_costs=total_costs,
        discount_rate=discount_rate or UncertainShare(0.0225),
        outcomes=(
            UncertainOutcome(
                outcome="work",
                observed=observed,
                baseline=baseline or UncertainShare(0.30),
                attribution=attribution or UncertainShare(0.8),
                conjunctuur=0.05,
                streams=(StreamValue(10000.0, 0, 2),),
            ),
        ),
    )


# PV of the stream = 10000 + 10000 / 1.0225 = 19779.95110
PV_WORK = D(10000) + D(10000) / D("1.0225")


def test_zero_width_ranges_and_a_huge_cohort_collapse_onto_the_point_estimate():
    n = 10**9
    zero_width = {
        "baseline": UncertainShare(0.30, (0.30, 0.30)),
        "attribution": UncertainShare(0.8, (0.8, 0.8)),
        "discount_rate": UncertainShare(0.0225, (0.0225, 0.0225)),
    }
    # costs 1200 per participant: ratio = (0.6 - 0.30 - 0.05) * 0.8 * 19779.95110 / 1200 = 3.29666;
    # the binomial spread of r at N = 10^9 is sqrt(0.24 / 10^9) = 1.5e-5, so +-3e-4 on the ratio.
    point = D("0.2") * PV_WORK / 1200
    assert two_decimals(point) == 3.30
    result = social_ratio_uncertainty(work_inputs(participants=n, total_costs=1200.0 * n, **zero_width))
    percentiles = (result.social_ratio_p5, result.social_ratio_p50, result.social_ratio_p95)
    assert [two_decimals(value) for value in percentiles] == [3.30, 3.30, 3.30]
    assert result.probability_above_1 == 1
    # costs 5000 per participant: 0.2 * 19779.95110 / 5000 = 0.79120, below 1 in every run
    below = social_ratio_uncertainty(work_inputs(participants=n, total_costs=5000.0 * n, **zero_width))
    assert [two_decimals(below.social_ratio_p5), two_decimals(below.social_ratio_p95)] == [0.79, 0.79]
    assert below.probability_above_1 == 0


def test_a_tiny_cohort_by_hand():
    # N = 2, r = 0.5: k ~ Binomial(2, 0.5) is 0, 1, 2 with chances 1/4, 1/2, 1/4. Baseline 0,
    # attribution 1, 100 euro once in year 0, costs 100: ratio = (k / 2) * 2 * 100 / 100 = k.
    # p5 lies among the k = 0 runs, p50 among the k = 1 runs, p95 among the k = 2 runs; the
    # ratio exceeds 1 only at k = 2 (a ratio of exactly 1 does not count): chance 1/4.
    inputs = UncertaintyInputs(
        participants=2,
        total_costs=100.0,
        discount_rate=UncertainShare(0.0225),
        outcomes=(
            UncertainOutcome(
                outcome="work",
                observed=0.5,
                baseline=UncertainShare(0.0),
                attribution=UncertainShare(1.0),
                conjunctuur=0.0,
                streams=(StreamValue(100.0, 0, 1),),
            ),
        ),
    )
    result = social_ratio_uncertainty(inputs, runs=4000, seed=7)
    assert (result.social_ratio_p5, result.social_ratio_p50, result.social_ratio_p95) == (D(0), D(1), D(2))
    # standard error of a share of 1/4 over 4000 runs: sqrt(0.25 * 0.75 / 4000) = 0.0068
    assert abs(result.probability_above_1 - D("0.25")) < D("0.03")
    assert (result.runs, result.seed, result.reason) == (4000, 7, None)


def test_a_baseline_range_gives_the_triangular_percentiles():
    # A huge cohort (no sampling spread), a baseline range 0.20-0.40 around 0.30 (symmetric
    # triangle), nothing else varies. The q-quantile of the triangle below its peak is
    # 0.20 + sqrt(q * 0.2 * 0.1), above it 0.40 - sqrt((1 - q) * 0.2 * 0.1):
    # q = 0.05: 0.23162; q = 0.5: 0.30; q = 0.95: 0.36838.
    # ratio = (0.6 - b - 0.05) * 0.8 * 19779.95110 / 1000 falls with b, so
    # p5 = (0.55 - 0.36838) * 15.82396 = 2.87398, p50 = 0.25 * 15.82396 = 3.95599,
    # p95 = (0.55 - 0.23162) * 15.82396 = 5.03800.
    slope = 0.8 * float(PV_WORK) / 1000
    n = 10**9
    inputs = work_inputs(participants=n, total_costs=1000.0 * n, baseline=UncertainShare(0.30, (0.20, 0.40)))
    result = social_ratio_uncertainty(inputs, runs=40000, seed=1)
    low_b = 0.20 + math.sqrt(0.05 * 0.2 * 0.1)
    high_b = 0.40 - math.sqrt(0.05 * 0.2 * 0.1)
    # the 5% quantile's sampling error over 40,000 runs: sqrt(0.05 * 0.95 / 40000) / density 3.16
    # = 0.00034 in b, 0.0055 on the ratio; 0.02 is over three of them
    assert float(result.social_ratio_p5) == pytest.approx((0.55 - high_b) * slope, abs=0.02)
    assert float(result.social_ratio_p50) == pytest.approx(0.25 * slope, abs=0.02)
    assert float(result.social_ratio_p95) == pytest.approx((0.55 - low_b) * slope, abs=0.02)
    # the ratio exceeds 1 unless b > 0.55 - 1 / 15.82 = 0.487: never within 0.20-0.40
    assert result.probability_above_1 == 1


def test_triangular_draws_follow_the_distribution_function():
    generator = np.random.default_rng(3)
    draws = triangular_draws(UncertainShare(0.9, (0.8, 1.0)), generator, 100_000)
    assert draws.min() >= 0.8 and draws.max() <= 1.0
    # peak at 0.9 in 0.8-1.0: F(0.85) = 0.05^2 / (0.2 * 0.1) = 0.125; mean (0.8 + 0.9 + 1.0) / 3 = 0.9
    assert np.mean(draws <= 0.85) == pytest.approx(0.125, abs=0.005)
    assert draws.mean() == pytest.approx(0.9, abs=0.001)
    # a peak at the upper end (attribution 1.0 in 0.8-1.0): F(x) = (x - 0.8)^2 / 0.04, F(0.9) = 0.25
    at_end = triangular_draws(UncertainShare(1.0, (0.8, 1.0)), generator, 100_000)
    assert np.mean(at_end <= 0.9) == pytest.approx(0.25, abs=0.005)
    # no range, or a range of zero width: the point value, and no draw from the generator
    before = generator.bit_generator.state
    assert (triangular_draws(UncertainShare(0.3), generator, 5) == 0.3).all()
    assert (triangular_draws(UncertainShare(0.3, (0.3, 0.3)), generator, 5) == 0.3).all()
    assert generator.bit_generator.state == before


def test_annuity_factors_by_hand():
    rates = np.array([0.0, 0.0225, 0.04])
    # years 1 and 2: 0 -> 2; 0.0225 -> 1/1.0225 + 1/1.0225^2 = 0.97800 + 0.95648 = 1.93448;
    # 0.04 -> 0.96154 + 0.92456 = 1.88609
    factors = annuity_factors(rates, first_year=1, years=2)
    assert factors == pytest.approx([2.0, 1 / 1.0225 + 1 / 1.0225**2, 1 / 1.04 + 1 / 1.04**2])
    assert annuity_factors(rates, first_year=0, years=1) == pytest.approx([1.0, 1.0, 1.0])


def test_the_same_seed_gives_the_same_figures_and_another_seed_others():
    inputs = work_inputs(
        participants=20,
        total_costs=20 * 1000.0,
        baseline=UncertainShare(0.30, (0.25, 0.35)),
        attribution=UncertainShare(0.8, (0.6, 1.0)),
        discount_rate=UncertainShare(0.0225, (0.01, 0.04)),
    )
    first = social_ratio_uncertainty(inputs, seed=11)
    assert social_ratio_uncertainty(inputs, seed=11) == first
    other = social_ratio_uncertainty(inputs, seed=12)
    assert (other.social_ratio_p5, other.social_ratio_p50, other.social_ratio_p95) != (
        first.social_ratio_p5,
        first.social_ratio_p50,
        first.social_ratio_p95,
    )
    assert (first.runs, first.seed, other.seed) == (DEFAULT_RUNS, 11, 12)


def binomial_quantile(n, p, q):
    """The smallest k with P(K <= k) >= q for K ~ Binomial(n, p), from the probabilities themselves."""
    total = 0.0
    for k in range(n + 1):
        total += math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if total >= q:
            return k
    return n


def test_a_cohort_of_20_gets_a_much_wider_interval_than_one_of_2000():
    # Same rate r = 0.5, no ranges: only the binomial sampling spreads the ratio, which is
    # (k / N - 0.35) * 0.8 * 19779.95 / 1000, a slope of 15.824 per unit of rate.
    # N = 20: P(K <= 5) = 0.021, P(K <= 6) = 0.058, P(K <= 13) = 0.942, P(K <= 14) = 0.979, so
    # p5 is at k = 6 and p95 at k = 14: p95 - p5 = (14 - 6) / 20 * 15.824 = 6.33.
    # N = 2000 (near normal): 2 * 1.645 * 15.824 * sqrt(0.25 / 2000) = 0.582, eleven times narrower.
    slope = 0.8 * float(PV_WORK) / 1000
    assert (binomial_quantile(20, 0.5, 0.05), binomial_quantile(20, 0.5, 0.95)) == (6, 14)

    def spread(participants):
        inputs = work_inputs(participants=participants, total_costs=1000.0 * participants, observed=0.5)
        result = social_ratio_uncertainty(inputs, runs=20000)
        return float(result.social_ratio_p95 - result.social_ratio_p5)

    small, large = spread(20), spread(2000)
    assert small == pytest.approx((14 - 6) / 20 * slope, abs=1e-9)
    assert large == pytest.approx(2 * 1.645 * slope * math.sqrt(0.25 / 2000), rel=0.05)
    assert small > 10 * large


def test_no_costs_gives_no_figures_with_a_reason():
    result = social_ratio_uncertainty(work_inputs(participants=20, total_costs=0.0))
    assert (result.probability_above_1, result.social_ratio_p50, result.reason) == (None, None, REASON_NO_COSTS)


def test_runs_must_be_at_least_one():
    with pytest.raises(ValueError, match="runs"):
        social_ratio_uncertainty(work_inputs(participants=20, total_costs=1.0), runs=0)


# --- In the MKBA output JSON --------------------------------------------------------------------


def parameters(**changes):
    data = {
        "name": "test",
        "version": 1,
        "hourly_rate": 65,
        "productive_hours_per_fte": 1200,
        "discount_rate": 0.0225,
        "outcomes": {
            "work": {
                "baseline": 0.30,
                "conjunctuur": 0.05,
                "attribution": 0.8,
                "streams": [{"line": "werk", "stakeholder": "gemeente", "amount": 10000, "first_year": 0, "years": 2}],
            }
        },
    }
    data.update(changes)
    return data


def report(participants, data=None, client_hours=None):
    # 60% of the cohort in work; 1000 euro of costs per participant unless client_hours is given
    working = participants * 6 // 10
    return mkba_report_calculate(
        approach="Jongerenadviseurs",
        cohort_from=date(2024, 1, 1),
        cohort_to=date(2024, 7, 1),
        measured_at=date(2024, 12, 31),
        participants=participants,
        parameters=parameter_set_from_dict(data or parameters()),
        outcome_records=[(f"T{number}", "work", date(2024, 6, 1)) for number in range(working)],
        cost_items=[("overige_interventie", 1000 * participants)] if client_hours is None else (),
        client_hours=client_hours or 0,
    )


def test_the_output_carries_the_uncertainty_beside_the_contract():
    output = mkba_output(report(20))
    # point: 0.2 * 19779.95110 / 1000 = 3.95599 -> 3.96
    assert output["social_ratio"] == 3.96
    figures = output["uncertainty"]
    assert list(figures) == UNCERTAINTY_KEYS
    assert (figures["runs"], figures["seed"], figures["reason"]) == (DEFAULT_RUNS, DEFAULT_SEED, None)
    assert figures["social_ratio_p5"] < 3.96 < figures["social_ratio_p95"]
    # JSON-ready: ratios to 0.01, the probability to 0.001
    for key in ("social_ratio_p5", "social_ratio_p50", "social_ratio_p95"):
        assert figures[key] == round(figures[key], 2)
    assert figures["probability_above_1"] == round(figures["probability_above_1"], 3)
    assert mkba_output(report(20)) == output


def test_the_output_reads_the_parameter_sets_ranges():
    # With the ranges at zero width only the sampling of the cohort's 60% spreads the ratio;
    # wide ranges for baseline, attribution and discount rate spread it further.
    fixed = parameters()
    fixed["outcomes"]["work"] |= {"baseline_range": [0.30, 0.30], "attribution_range": [0.8, 0.8]}
    wide = parameters(discount_rate_range=[0.01, 0.04])
    wide["outcomes"]["work"] |= {"baseline_range": [0.2, 0.4], "attribution_range": [0.4, 1.0]}
    narrow_figures = mkba_output(report(2000, fixed))["uncertainty"]
    wide_figures = mkba_output(report(2000, wide))["uncertainty"]
    narrow_spread = narrow_figures["social_ratio_p95"] - narrow_figures["social_ratio_p5"]
    wide_spread = wide_figures["social_ratio_p95"] - wide_figures["social_ratio_p5"]
    # sampling alone: about 2 * 1.645 * 15.824 * sqrt(0.24 / 2000) = 0.57 (see above)
    assert narrow_spread == pytest.approx(0.57, abs=0.1)
    assert wide_spread > 3 * narrow_spread


def test_runs_and_seed_can_be_chosen_and_the_context_sets_them_for_a_while():
    result = report(20)
    assert mkba_output(result, runs=500, seed=5)["uncertainty"]["runs"] == 500
    with monte_carlo_settings(runs=300, seed=9):
        chosen = mkba_output(result)["uncertainty"]
        assert uncertainty.monte_carlo_current() == (300, 9)
    assert (chosen["runs"], chosen["seed"]) == (300, 9)
    assert chosen == mkba_output(result, runs=300, seed=9)["uncertainty"]
    assert uncertainty.monte_carlo_current() == (DEFAULT_RUNS, DEFAULT_SEED)
    with pytest.raises(ValueError, match="seed"), monte_carlo_settings(seed=-1):
        pass


def test_no_costs_in_the_output():
    output = mkba_output(report(0))  # N = 0 and no costs: no ratio, nothing to simulate
    assert output["social_ratio"] is None
    assert output["uncertainty"]["social_ratio_p50"] is None
    assert output["uncertainty"]["reason"] == REASON_NO_COSTS


def test_scenario_mode_has_no_figures_to_simulate():
    reference = reference_approaches_load()[0]
    output = mkba_output(mkba_scenario_calculate(scenario_from_reference(reference, participants=20)))
    assert output["uncertainty"] == {
        "runs": DEFAULT_RUNS,
        "seed": DEFAULT_SEED,
        "probability_above_1": None,
        "social_ratio_p5": None,
        "social_ratio_p50": None,
        "social_ratio_p95": None,
        "reason": REASON_SCENARIO,
    }


# --- The commands -------------------------------------------------------------------------------


def run(command, *args):
    stdout, stderr = StringIO(), StringIO()
    call_command(command, *args, stdout=stdout, stderr=stderr)
    return json.loads(stdout.getvalue()), stderr.getvalue()


def report_arguments(cohort, *extra):
    dates = ("--from", FROM.isoformat(), "--to", TO.isoformat(), "--measured-at", MEASURED_AT.isoformat())
    return ("--approach", str(cohort.approach.pk), *dates, "--format", "json", *extra)


@pytest.mark.django_db
def test_mkba_report_takes_runs_and_seed(cohort):
    services.approach_parameter_set_assign(approach=cohort.approach, parameter_set=cohort.parameter_set)
    default, _ = run("mkba_report", *report_arguments(cohort))
    assert (default["uncertainty"]["runs"], default["uncertainty"]["seed"]) == (DEFAULT_RUNS, DEFAULT_SEED)
    chosen, stderr = run("mkba_report", *report_arguments(cohort, "--runs", "500", "--seed", "42"))
    assert (chosen["uncertainty"]["runs"], chosen["uncertainty"]["seed"]) == (500, 42)
    assert run("mkba_report", *report_arguments(cohort, "--runs", "500", "--seed", "42"))[0] == chosen
    assert stderr == ""
    # the contract's own figures do not depend on the draws
    assert {key: value for key, value in chosen.items() if key != "uncertainty"} == {
        key: value for key, value in default.items() if key != "uncertainty"
    }
    assert uncertainty.monte_carlo_current() == (DEFAULT_RUNS, DEFAULT_SEED)


@pytest.mark.django_db
@pytest.mark.parametrize(("option", "value", "message"), [("--runs", "0", "--runs 0"), ("--seed", "-1", "--seed -1")])
def test_mkba_report_refuses_bad_runs_or_seed(cohort, option, value, message):
    with pytest.raises(CommandError, match=message):
        run("mkba_report", *report_arguments(cohort, option, value))


@pytest.mark.django_db
def test_mkba_scenario_takes_runs_and_seed():
    output, _ = run("mkba_scenario", "--reference", "7", "--format", "json", "--runs", "100", "--seed", "3")
    assert (output["uncertainty"]["runs"], output["uncertainty"]["seed"]) == (100, 3)
    assert output["uncertainty"]["reason"] == REASON_SCENARIO
