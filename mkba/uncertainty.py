"""The uncertainty of an MKBA's social ratio (issue 17, item 5): a seeded Monte Carlo, pure (numpy,
no Django, no ORM).

SPEC.md section 4 gives the point estimate and a sensitivity band (the ends of the parameter set's
ranges taken together). This module adds how likely the approach pays off at all: it draws
``runs`` versions of the uncertain inputs, recomputes the social ratio of each with the rules of
section 4, and reports the share of runs with a ratio above 1 and the 5th, 50th and 95th
percentile of the ratios.

What varies (everything else is held at the report's own value):

- the parameter set's ranges, the ones ``calculations.sensitivity_band`` reads: per outcome
  ``baseline_range`` and ``attribution_range``, and ``discount_rate_range`` for the set. A
  parameter without a range (or with a range of zero width) stays fixed; so does ``conjunctuur``,
  for which the parameter set has no range. A range is drawn as a triangular distribution from its
  low to its high end with its peak at the point value: the point value stays the most likely
  one, and the ends are reached but rarely (a uniform draw would move the median away from the
  point value whenever it lies off the middle, as attribution 1.0 in a range 0.8-1.0 does);
- the observed rates, for the sampling uncertainty of a cohort of ``N``: observed successes
  ``k_o ~ Binomial(N, r_o)``, drawn rate ``k_o / N``. Outcome types are drawn independently (the
  engine hands over the rates, not which youth had which outcomes). A rate of exactly 0 or 1 has
  no spread under this rule;
- costs do not vary: they are booked amounts, not estimates.

It works from the aggregates the engine already has (N, each ``r_o``, total costs and the
parameter set), never per trajectory, so its cost depends on ``runs`` and the number of value
streams only, not on the cohort's size. The maths is float64 and vectorised over the runs; the
figures are statistics of a simulation, not exact amounts, so the Decimal rule of
``calculations`` does not apply to them. ``calculations.mkba_output`` rounds them like the
contract's ratios (0.01, the probability 0.001).

Reproducible: one ``numpy.random.Generator`` (PCG64) seeded with ``seed`` draws, in a fixed
order, the discount rate, then per outcome in the parameter set's order its baseline, its
attribution and its successes. The same inputs, runs and seed give the same figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

DEFAULT_RUNS = 2000
DEFAULT_SEED = 20260101
# A bound for callers that take runs from a user (the command line): 10^6 runs of a dozen
# streams stay below a second and a few hundred MB.
MAXIMUM_RUNS = 1_000_000
PERCENTILES = (5, 50, 95)

# Reasons for null figures, fixed English strings like calculations.REASON_* (a page maps them).
REASON_NO_COSTS = "total_costs is 0, so the social ratio has no denominator"
REASON_SCENARIO = "scenario mode: the lines are given per participant, there are no rates or ranges to vary"

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class UncertainShare:
    """A parameter with its point value and its optional range ``(low, high)`` (``None``: fixed)."""

    point: float
    low_high: tuple[float, float] | None = None


@dataclass(frozen=True)
class StreamValue:
    """A value stream of SPEC.md 4 (Benefits): ``amount`` euro a year from ``first_year`` during ``years`` years."""

    amount: float
    first_year: int
    years: int


@dataclass(frozen=True)
class UncertainOutcome:
    """One outcome type's inputs to the simulation: the observed rate ``r_o`` (``None`` when the
    cohort is empty), baseline and attribution with their ranges, the fixed conjunctuur and the
    value streams (all lines and stakeholders: the social ratio sums them)."""

    outcome: str
    observed: float | None
    baseline: UncertainShare
    attribution: UncertainShare
    conjunctuur: float
    streams: tuple[StreamValue, ...]


@dataclass(frozen=True)
class UncertaintyInputs:
    """The aggregates the simulation works from (see the module docstring)."""

    participants: int
    total_costs: float
    discount_rate: UncertainShare
    outcomes: tuple[UncertainOutcome, ...]


@dataclass(frozen=True)
class Uncertainty:
    """The simulated social ratio: the share of runs above 1 and three percentiles, unrounded;
    all ``None`` with a ``reason`` when there is no ratio to simulate."""

    runs: int
    seed: int
    probability_above_1: Decimal | None
    social_ratio_p5: Decimal | None
    social_ratio_p50: Decimal | None
    social_ratio_p95: Decimal | None
    reason: str | None = None


def _range(value_range: tuple[Decimal, Decimal] | None) -> tuple[float, float] | None:
    return None if value_range is None else (float(value_range[0]), float(value_range[1]))


def uncertainty_inputs(result: Any, parameters: Any) -> UncertaintyInputs:
    """The simulation's inputs from a cohort report's exact result (N, each observed rate ``r_o``
    of ``result.effects``, total costs) and the parameter set it was made with (baseline,
    attribution, conjunctuur, ranges, streams, discount rate; SPEC.md 4 and 6). ``result`` and
    ``parameters`` are ``mkba.calculations``' MkbaResult and ParameterSet, read by attribute: that
    module imports this one, so this one does not import it back (one direction)."""
    outcomes = []
    for outcome, outcome_parameters in parameters.outcomes.items():
        effect = result.effects.get(outcome)
        observed = None if effect is None or effect.observed is None else float(effect.observed)
        outcomes.append(
            UncertainOutcome(
                outcome=outcome,
                observed=observed,
                baseline=UncertainShare(float(outcome_parameters.baseline), _range(outcome_parameters.baseline_range)),
                attribution=UncertainShare(
                    float(outcome_parameters.attribution), _range(outcome_parameters.attribution_range)
                ),
                conjunctuur=float(outcome_parameters.conjunctuur),
                streams=tuple(
                    StreamValue(float(stream.amount), stream.first_year, stream.years)
                    for stream in outcome_parameters.streams
                ),
            )
        )
    return UncertaintyInputs(
        participants=result.participants,
        total_costs=float(result.total_costs),
        discount_rate=UncertainShare(float(parameters.discount_rate), _range(parameters.discount_rate_range)),
        outcomes=tuple(outcomes),
    )


def triangular_draws(share: UncertainShare, generator: np.random.Generator, runs: int) -> FloatArray:
    """``runs`` draws of a parameter: its point value when it has no range (or one of zero width),
    else a triangular distribution on ``[low, high]`` with its peak at the point value, by the
    inverse of its distribution function ``F`` from uniform ``u``: with ``w = high - low`` and
    ``f = (point - low) / w``, ``x = low + sqrt(u * w * (point - low))`` for ``u < f``, else
    ``x = high - sqrt((1 - u) * w * (high - point))``. Consumes ``runs`` uniforms only when it
    draws."""
    if share.low_high is None or share.low_high[0] == share.low_high[1]:
        return np.full(runs, share.point)
    low, high = share.low_high
    width = high - low
    uniform = generator.random(runs)
    peak = (share.point - low) / width
    rising = low + np.sqrt(uniform * width * (share.point - low))
    falling = high - np.sqrt((1.0 - uniform) * width * (high - share.point))
    return np.where(uniform < peak, rising, falling)


def rate_draws(observed: float, participants: int, generator: np.random.Generator, runs: int) -> FloatArray:
    """``runs`` draws of an observed rate for its sampling uncertainty: ``k ~ Binomial(N, r)``,
    rate ``k / N`` (issue 17, item 5)."""
    successes = generator.binomial(participants, observed, size=runs)
    return successes.astype(np.float64) / participants


def annuity_factors(discount_rates: FloatArray, *, first_year: int, years: int) -> FloatArray:
    """Per run the present value of 1 euro a year (SPEC.md 4, Benefits):
    ``sum over t = first .. first + years - 1 of 1 / (1 + r) ** t``, year 0 undiscounted."""
    factors = np.zeros_like(discount_rates)
    for year in range(first_year, first_year + years):
        factors += (1.0 + discount_rates) ** -year
    return factors


def social_ratio_draws(inputs: UncertaintyInputs, *, runs: int, seed: int) -> FloatArray | None:
    """The social ratio of every run (SPEC.md 4 with drawn inputs), ``None`` when total costs are 0.

    Per run: discount rate ``d``; per outcome ``o`` baseline ``b_o``, attribution ``alpha_o``
    (``triangular_draws``) and rate ``r_o`` (``rate_draws``); net effect
    ``e_o = (r_o - b_o - c_o) * alpha_o``, extra outcomes ``X_o = e_o * N``, benefits
    ``sum over o of X_o * sum over its streams of amount * annuity(d)``; ratio = benefits / total
    costs. An empty cohort (``r_o`` None) adds no benefits, as in the engine.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if inputs.total_costs == 0:
        return None
    generator = np.random.default_rng(seed)
    discount_rates = triangular_draws(inputs.discount_rate, generator, runs)
    annuities: dict[tuple[int, int], FloatArray] = {}
    benefits = np.zeros(runs)
    for outcome in inputs.outcomes:
        baseline = triangular_draws(outcome.baseline, generator, runs)
        attribution = triangular_draws(outcome.attribution, generator, runs)
        if outcome.observed is None or inputs.participants == 0:
            continue
        rates = rate_draws(outcome.observed, inputs.participants, generator, runs)
        present_value = np.zeros(runs)
        for stream in outcome.streams:
            key = (stream.first_year, stream.years)
            if key not in annuities:
                annuities[key] = annuity_factors(discount_rates, first_year=stream.first_year, years=stream.years)
            present_value += stream.amount * annuities[key]
        benefits += (rates - baseline - outcome.conjunctuur) * attribution * inputs.participants * present_value
    return benefits / inputs.total_costs


def _decimal(value: np.floating | float) -> Decimal:
    return Decimal(repr(float(value)))


def social_ratio_uncertainty(
    inputs: UncertaintyInputs, *, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED
) -> Uncertainty:
    """The uncertainty of the social ratio (issue 17, item 5): of ``social_ratio_draws``, the share
    of runs whose ratio exceeds 1 (strictly) and the 5th, 50th and 95th percentile (numpy's
    default, linear between the two nearest runs). All ``None``, with a reason, when total costs
    are 0 (SPEC.md 4: no ratio without a denominator)."""
    ratios = social_ratio_draws(inputs, runs=runs, seed=seed)
    if ratios is None:
        return Uncertainty(runs, seed, None, None, None, None, reason=REASON_NO_COSTS)
    p5, p50, p95 = np.percentile(ratios, PERCENTILES)
    above = int(np.count_nonzero(ratios > 1.0))
    return Uncertainty(
        runs=runs,
        seed=seed,
        probability_above_1=Decimal(above) / Decimal(runs),
        social_ratio_p5=_decimal(p5),
        social_ratio_p50=_decimal(p50),
        social_ratio_p95=_decimal(p95),
    )


@dataclass(frozen=True)
class ScenarioLinesInputs:
    """An own scenario's rows (issue 17, item 6; ``mkba.own_scenarios``): each row's amount per
    participant with its optional range, costs and benefits apart, and the factor by which a
    reference's printed totals scale the sum of the rows (1 otherwise)."""

    costs: tuple[UncertainShare, ...]
    benefits: tuple[UncertainShare, ...]
    costs_scale: float = 1.0
    benefits_scale: float = 1.0


def scenario_lines_uncertainty(
    inputs: ScenarioLinesInputs, *, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED
) -> Uncertainty:
    """The uncertainty of an own scenario's social ratio: every row with a range is drawn
    (``triangular_draws``, peak at its amount; cost rows first, then benefit rows, in their
    order), a row without one stays at its amount; per run the ratio is the benefits over the
    costs per participant (N cancels: the rows are estimates per participant, not observed rates,
    so there is no sampling term). Share above 1 and the 5th, 50th and 95th percentile as in
    ``social_ratio_uncertainty``; rows without any range collapse onto the point ratio. ``None``
    figures with a reason when the costs are 0."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    costs_point = sum(share.point for share in inputs.costs) * inputs.costs_scale
    if costs_point == 0:
        return Uncertainty(runs, seed, None, None, None, None, reason=REASON_NO_COSTS)
    generator = np.random.default_rng(seed)
    costs = np.zeros(runs)
    for share in inputs.costs:
        costs += triangular_draws(share, generator, runs)
    benefits = np.zeros(runs)
    for share in inputs.benefits:
        benefits += triangular_draws(share, generator, runs)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = (benefits * inputs.benefits_scale) / (costs * inputs.costs_scale)
    p5, p50, p95 = np.percentile(ratios, PERCENTILES)
    above = int(np.count_nonzero(ratios > 1.0))
    return Uncertainty(
        runs=runs,
        seed=seed,
        probability_above_1=Decimal(above) / Decimal(runs),
        social_ratio_p5=_decimal(p5),
        social_ratio_p50=_decimal(p50),
        social_ratio_p95=_decimal(p95),
    )


def scenario_uncertainty(*, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED) -> Uncertainty:
    """Scenario mode (SPEC.md 4) gives the lines per participant: nothing to draw, so no figures."""
    return Uncertainty(runs, seed, None, None, None, None, reason=REASON_SCENARIO)


# --- Runs and seed of the current run ----------------------------------------------------------
#
# ``calculations.mkba_output`` is reached from the command line through the selectors, which
# take no runs or seed: the command sets them here for the duration of its call, everything else
# (the report job, the API, the pages) gets the defaults.

_SETTINGS: ContextVar[tuple[int, int]] = ContextVar("mkba_monte_carlo", default=(DEFAULT_RUNS, DEFAULT_SEED))


def check_runs_and_seed(runs: int, seed: int) -> None:
    """Runs in ``1 .. MAXIMUM_RUNS``, a seed of at least 0 (what numpy's generator accepts)."""
    if not 1 <= runs <= MAXIMUM_RUNS:
        raise ValueError(f"runs must be between 1 and {MAXIMUM_RUNS}")
    if seed < 0:
        raise ValueError("the seed must not be negative")


@contextmanager
def monte_carlo_settings(*, runs: int | None = None, seed: int | None = None) -> Iterator[None]:
    """Within the block, ``mkba_output`` simulates with these runs and seed (``None``: the default)."""
    chosen = (DEFAULT_RUNS if runs is None else runs, DEFAULT_SEED if seed is None else seed)
    check_runs_and_seed(*chosen)
    token = _SETTINGS.set(chosen)
    try:
        yield
    finally:
        _SETTINGS.reset(token)


def monte_carlo_current() -> tuple[int, int]:
    """The ``(runs, seed)`` of the current context (the defaults outside ``monte_carlo_settings``)."""
    return _SETTINGS.get()
