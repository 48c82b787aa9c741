"""The load forecast with intake (issue 17, item 2): ``caseload.forecast``, values by hand.

No database: plain frames in, numbers out. The steady state comes twice: exactly on the model's
own pieces (given stay curves), and end to end from periods, where the one deviation Kaplan-Meier
cannot avoid is worked out by hand too.
"""

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from caseload import calculations as calc
from caseload import forecast as fc

D = dt.date
DAY = D(2026, 3, 1)


def _period(trajectory, start, end, *, role="coaching", phase="begeleiding", worker=1, approach=7, complexity="licht"):
    return {
        "trajectory_id": trajectory,
        "youth_id": trajectory,
        "worker_id": worker,
        "approach_id": approach,
        "phase": phase,
        "role": role,
        "start": start,
        "end": end,
        "complexity": complexity,
    }


# --- Kaplan-Meier ------------------------------------------------------------------------------


def test_kaplan_meier_with_a_censored_run_by_hand():
    # Stays of 2 and 4 days ended; one has run 3 days and is still there (censored at 3).
    # Day 2: three at risk, one leaves: S = 2/3. Day 3: two at risk (4 and the running 3), nobody
    # leaves. Day 4: one at risk, it leaves: S = 0.
    survival = fc.kaplan_meier([2, 4, 3], [True, True, False], 6)
    assert survival.tolist() == pytest.approx([1, 1, 2 / 3, 2 / 3, 0, 0])


def test_kaplan_meier_does_not_ignore_running_periods():
    # Ignoring the running one would give S(2) = 1/2; counting it as ended would give S(3) = 1/3.
    survival = fc.kaplan_meier([2, 4, 3], [True, True, False], 5)
    assert survival[2] == pytest.approx(2 / 3) and survival[3] == pytest.approx(2 / 3)


def test_kaplan_meier_without_runs_is_one():
    assert fc.kaplan_meier([], [], 3).tolist() == [1.0, 1.0, 1.0]


def test_the_survival_estimate_from_periods_with_a_running_one_by_hand():
    # On 1 March 2026: t1 coached 2 days, t2 4 days (both ended), t3 started on 27 February and
    # runs (covers the day: it has lasted 28 Feb, 1 Mar and 27 Feb = 3 days so far).
    periods = pd.DataFrame(
        [
            _period(1, D(2026, 1, 1), D(2026, 1, 3)),
            _period(2, D(2026, 1, 1), D(2026, 1, 5)),
            _period(3, D(2026, 2, 27), None),
        ]
    )
    runs = fc.state_runs(periods, DAY)
    assert runs["duration"].tolist() == [2, 4, 3]
    assert runs["event"].tolist() == [True, True, False]
    survival = fc.kaplan_meier(runs["duration"].to_numpy(), runs["event"].to_numpy(dtype=bool), 5)
    assert survival.tolist() == pytest.approx([1, 1, 2 / 3, 2 / 3, 0])


# --- Runs and where they go ----------------------------------------------------------------------


def test_runs_chain_a_handover_and_name_what_follows():
    periods = pd.DataFrame(
        [
            # coaching with worker 1, handed over to worker 2 (same state: one run of 20 days),
            # then monitoring 10 days, then afgesloten (the exit).
            _period(1, D(2026, 1, 1), D(2026, 1, 11), worker=1),
            _period(1, D(2026, 1, 11), D(2026, 1, 21), worker=2),
            _period(1, D(2026, 1, 21), D(2026, 1, 31), role="monitoring"),
            _period(1, D(2026, 1, 31), None, phase="afgesloten", role=""),
            # regie, then a gap, then coaching: the regie run leaves care (nothing back to back).
            _period(2, D(2026, 1, 1), D(2026, 1, 5), phase="intake", role="regie"),
            _period(2, D(2026, 1, 10), D(2026, 4, 1)),
            # a period after the day is not yet known
            _period(3, D(2026, 3, 2), None),
        ]
    )
    runs = fc.state_runs(periods, DAY)
    table = runs[["trajectory_id", "state", "duration", "event", "next_state", "worker_id"]].to_numpy().tolist()
    assert table == [
        [1, "begeleiding|coaching", 20, True, "begeleiding|monitoring", 2],
        [1, "begeleiding|monitoring", 10, True, None, 1],
        [2, "intake|regie", 4, True, None, 1],
        [2, "begeleiding|coaching", (DAY - D(2026, 1, 10)).days + 1, False, None, 1],
    ]
    states = ["begeleiding|coaching", "begeleiding|monitoring", "intake|regie"]
    assert fc.transition_probabilities(runs, states).tolist() == [[0, 1, 0], [0, 0, 0], [0, 0, 0]]


# --- Meldingen per month -------------------------------------------------------------------------


def test_seasonal_factors_by_hand():
    # Two months of 30 days each: 90 and 30 meldingen, 2 a day on average, so 60 expected in each.
    # With a prior of 20: (90 + 20) / (60 + 20) = 1.375 and (30 + 20) / (60 + 20) = 0.625.
    counts = np.zeros(12)
    days = np.zeros(12)
    counts[8], counts[9] = 90, 30
    days[8], days[9] = 30, 30
    factors = fc.seasonal_factors(counts, days, prior=20)
    assert factors[8] == pytest.approx(1.375) and factors[9] == pytest.approx(0.625)
    assert factors[0] == pytest.approx(1.0)  # a month the history did not see


def test_seasonal_factors_shrink_to_one_with_little_history():
    # 3 meldingen in September, none in October: the raw ratio would be 2 and 0.
    counts, days = np.zeros(12), np.zeros(12)
    counts[8], days[8], days[9] = 3, 30, 30
    factors = fc.seasonal_factors(counts, days, prior=20)
    assert factors[8] == pytest.approx(23 / 21.5) and factors[9] == pytest.approx(20 / 21.5)
    assert fc.seasonal_factors(np.zeros(12), np.zeros(12)).tolist() == [1.0] * 12


def test_daily_intake_spreads_extra_meldingen_over_the_month():
    factors = np.ones(12)
    intake = fc.daily_intake(0.5, factors, D(2026, 3, 30), 5, {D(2026, 4, 1): 30})
    # 30 March is day 0 (today: none), 31 March 0.5, April: 0.5 + 30/30.
    assert intake.tolist() == [0.0, 0.5, 1.5, 1.5, 1.5]


# --- The load of one youth -----------------------------------------------------------------------


def test_load_kernel_by_hand():
    # Coaching (40 h) exactly 2 days, then monitoring (8 h) for good; half of coaching's leavers
    # go to monitoring, the other half leave care.
    survival = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 1]], dtype=float)
    transitions = np.array([[0, 0.5], [0, 0]])
    kernel = fc.load_kernel(survival, transitions, np.array([40.0, 8.0]), 5)
    assert kernel[0].tolist() == [40, 40, 4, 4, 4]
    assert kernel[1].tolist() == [8] * 5
    second = fc.load_kernel(survival, transitions, np.array([[40.0, 8.0], [1600.0, 64.0]]), 5)
    assert second[1, 0].tolist() == [1600, 1600, 32, 32, 32]


# --- The steady state: the forecast equals today's load ----------------------------------------


@pytest.mark.parametrize("kind", ["exponential", "fixed"])
def test_a_steady_state_forecast_equals_todays_load_exactly(kind):
    """λ = 2 new youths a day, 40 h a year each while in care. Exponential stays (stay another day
    with q = 0.9): in care λ / (1 - q) = 20 youths; fixed stays of 10 days: λ * 10 = 20, two of
    each age 0 .. 9. Both give 20 x 40 = 800 h a year today and on every day after."""
    horizon = 60
    days = np.arange(horizon + 40)
    survival = (0.9**days)[None, :] if kind == "exponential" else (days < 10).astype(float)[None, :]
    elapsed = [0] * 20 if kind == "exponential" else [age for age in range(10) for _ in range(2)]
    runs = pd.DataFrame({"state": ["s"] * 20, "duration": np.array(elapsed) + 1})
    no_moves = np.zeros((2, 1, horizon))
    mean, _ = fc.current_youths_load(
        runs,
        pd.Index(["s"]),
        survival,
        no_moves,
        np.array([40.0]),
        np.ones(20),
        np.zeros(20, dtype=np.int64),
        1,
        horizon,
    )
    kernel = fc.load_kernel(survival, np.zeros((1, 1)), np.array([[40.0], [1600.0]]), horizon)
    intake = np.full(horizon, 2.0)
    intake[0] = 0.0
    arriving, _ = fc.intake_load(intake, kernel[0, 0], kernel[1, 0])
    assert (mean[0] + arriving).tolist() == pytest.approx([800.0] * horizon)


def test_a_steady_state_from_periods_equals_todays_load_up_to_one_unknowable_youth():
    """End to end from periods: one trajectory a day, each coaching (40 h) for exactly 60 days,
    for 800 days up to 1 March 2026: 60 youths in care, 2,400 h a year. The history window (730
    days) has 671 stays that ended, all of 60 days, and the youth 59 days in is at risk on day 60
    without having left: Kaplan-Meier gives S(60) = 1/672 and flat after, so each youth whose 60
    days are over still weighs 40/672 h. By day t, t youths are past their 60 days: the forecast
    is 2,400 + 40 t / 672 (26 weeks: +10.8 h on 2,400, 0.45%); in a week, hours = load x 7/365."""
    periods, starts = [], []
    for index in range(800):
        start = DAY - dt.timedelta(days=index)
        end = start + dt.timedelta(days=60)
        periods.append(_period(index, start, end if end <= DAY else None))
        starts.append({"trajectory_id": index, "approach_id": 7, "team": "T", "start": start, "complexity": "licht"})
    result = fc.load_forecast(
        periods=pd.DataFrame(periods),
        starts=pd.DataFrame(starts[1:]),  # the meldingen before the day
        workers=pd.DataFrame({"worker_id": [1], "team": ["T"]}),
        fte_periods=pd.DataFrame({"worker_id": [1], "start": [D(2020, 1, 1)], "fte": [2.0]}),
        day=DAY,
        horizon=182,
        settings=calc.DEFAULT_SETTINGS,
    )
    assert result.seasonal.tolist() == pytest.approx([1.0] * 12)  # one a day in every month
    assert result.expected[0].tolist() == pytest.approx([2400 + 40 * t / 672 for t in range(182)])
    assert result.variance[0, 0] == 0  # today is known
    figures = fc.window_figures(result, fc.week_bounds(DAY, 4))
    assert figures.expected[0, 0] == pytest.approx(sum(2400 + 40 * t / 672 for t in range(7)) / 365)
    assert figures.capacity[0].tolist() == pytest.approx([2 * 1200 * 7 / 365] * 4)


# --- The band ----------------------------------------------------------------------------------


def test_band_of_one_youth_by_hand():
    # One youth coaching (40 h) on its first day; half the stays end after 2 days, the rest never.
    # On day 2 it is there with 1/2: mean 20, variance 40^2 * 1/2 * 1/2 = 400, so the band is
    # 20 -/+ 1.2816 * 20 (the low end stops at 0).
    survival = np.array([[1, 1, 0.5, 0.5, 0.5, 0.5]])
    runs = pd.DataFrame({"state": ["s"], "duration": [1]})
    mean, variance = fc.current_youths_load(
        runs,
        pd.Index(["s"]),
        survival,
        np.zeros((2, 1, 3)),
        np.array([40.0]),
        np.ones(1),
        np.zeros(1, dtype=np.int64),
        1,
        3,
    )
    assert mean[0].tolist() == pytest.approx([40, 40, 20])
    assert variance[0].tolist() == pytest.approx([0, 0, 400])
    low, high = fc.band(mean[0], variance[0])
    assert low.tolist() == pytest.approx([40, 40, 0])
    assert high.tolist() == pytest.approx([40, 40, 20 + 1.2815515655446004 * 20])


# --- What-if -----------------------------------------------------------------------------------


def _two_workers(settings=calc.DEFAULT_SETTINGS, **kwargs):
    """Worker 1 (1 fte) coaches two youths, worker 2 (0.5 fte) one, in a team without history of
    anyone leaving (their stays never end) and without meldingen."""
    periods = pd.DataFrame(
        [
            _period(1, D(2026, 2, 1), None, worker=1),
            _period(2, D(2026, 2, 1), None, worker=1),
            _period(3, D(2026, 2, 1), None, worker=2),
        ]
    )
    return fc.load_forecast(
        periods=periods,
        starts=pd.DataFrame(columns=["trajectory_id", "approach_id", "team", "start", "complexity"]),
        workers=pd.DataFrame({"worker_id": [1, 2, 3], "team": ["T", "T", "T"]}),
        fte_periods=pd.DataFrame({"worker_id": [1, 2, 3], "start": [D(2025, 1, 1)] * 3, "fte": [1.0, 0.5, 1.0]}),
        day=DAY,
        horizon=28,
        settings=settings,
        **kwargs,
    )


def test_a_worker_who_leaves_hands_their_youths_to_the_team_by_fte():
    # Worker 1 leaves on 8 March (day 7): their 80 h go to worker 2 (0.5 fte) and 3 (1 fte) as
    # 1/3 and 2/3; the team's load stays 120 h, its capacity drops by 1 fte.
    result = _two_workers(what_if=fc.WhatIf(fte_changes=(fc.FteChange(1, D(2026, 3, 8), 0.0),)))
    assert result.expected[:, 6].tolist() == pytest.approx([80, 40, 0])
    assert result.expected[:, 7].tolist() == pytest.approx([0, 40 + 80 / 3, 160 / 3])
    assert result.fte[:, 7].tolist() == [0, 0.5, 1.0]
    assert result.expected[:, 7].sum() == pytest.approx(120)


def test_a_different_norm_and_an_fte_change():
    result = _two_workers(
        what_if=fc.WhatIf(norm_hours={"coaching": 60.0}, fte_changes=(fc.FteChange(2, D(2026, 3, 15), 0.8),))
    )
    assert result.expected[:, 0].tolist() == pytest.approx([120, 60, 0])
    assert result.fte[1, 13] == 0.5 and result.fte[1, 14] == 0.8


def test_an_adopted_norm_holds_from_its_day():
    # Issue 17 item 1: a norm adopted before the forecast day weighs the forecast (coaching 60: the
    # same figures as the what-if above); one adopted after it not yet.
    adopted = replace(
        calc.DEFAULT_SETTINGS,
        norm_changes=(
            calc.NormChange(valid_from=DAY, norm_hours=dict(calc.DEFAULT_SETTINGS.norm_hours, coaching=60.0)),
        ),
    )
    assert _two_workers(adopted).expected[:, 0].tolist() == pytest.approx([120, 60, 0])
    later = replace(adopted, norm_changes=(replace(adopted.norm_changes[0], valid_from=DAY + dt.timedelta(days=7)),))
    forecast = _two_workers(later)
    # Adopted from day 7 (review): the days before keep 40, the days from then weigh 60.
    assert forecast.expected[:, 6].tolist() == pytest.approx([80, 40, 0])
    assert forecast.expected[:, 7].tolist() == pytest.approx([120, 60, 0])
    assert forecast.expected[:, 27].tolist() == pytest.approx([120, 60, 0])


def test_extra_meldingen_in_a_month_by_hand():
    """History: 73 trajectories in 730 days (one every 10 days), coaching that never ended, all in
    team T: 0.1 a day, month factors all 1 (no month stands out after shrinking: computed below).
    30 extra meldingen in April 2026 add 1 a day in April, each 40 h a year from its first day."""
    periods, starts = [], []
    for index in range(73):
        start = DAY - dt.timedelta(days=10 * index + 5)
        periods.append(_period(index, start, None))
        starts.append({"trajectory_id": index, "approach_id": 7, "team": "T", "start": start, "complexity": "licht"})
    common = {
        "periods": pd.DataFrame(periods),
        "starts": pd.DataFrame(starts),
        "workers": pd.DataFrame({"worker_id": [1], "team": ["T"]}),
        "fte_periods": pd.DataFrame({"worker_id": [1], "start": [D(2025, 1, 1)], "fte": [1.0]}),
        "day": DAY,
        "horizon": 45,
        "settings": calc.DEFAULT_SETTINGS,
    }
    plain = fc.load_forecast(**common)
    extra = fc.load_forecast(**common, what_if=fc.WhatIf(extra_meldingen={D(2026, 4, 1): 30}))
    april_first = (D(2026, 4, 1) - DAY).days  # day 31
    difference = extra.expected[0] - plain.expected[0]
    assert difference[:april_first].tolist() == pytest.approx([0] * april_first)
    # By day 31 + k, k + 1 extra youths have arrived, 40 h each.
    assert difference[april_first:].tolist() == pytest.approx([40 * (k + 1) for k in range(45 - april_first)])
    assert sum(extra.intake_per_day["T"]) - sum(plain.intake_per_day["T"]) == pytest.approx(14)  # 1 - 14 April


def test_a_youth_longer_in_a_state_than_anyone_before_leaves_the_next_day():
    # Everybody left coaching after 2 days (S = 0 from day 2); this youth has been there 5 days.
    # It is there today (40 h), and leaves on day 1 into what follows: monitoring for good (8 h).
    survival = np.array([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0]], dtype=float)
    runs = pd.DataFrame({"state": ["s"], "duration": [5]})
    moved = np.zeros((2, 1, 3))
    moved[0, 0] = [8, 8, 8]
    mean, _ = fc.current_youths_load(
        runs, pd.Index(["s"]), survival, moved, np.array([40.0]), np.ones(1), np.zeros(1, dtype=np.int64), 1, 3
    )
    assert mean[0].tolist() == [40, 8, 8]


def test_a_small_groups_stay_shows_its_counts_not_its_median():
    # The review's DPIA finding: a team lead sees the whole organisation's stays; in a group of
    # fewer than 10 youths the median is nearly one youth's own stay (SPEC §8, as the monitor).
    def stays(count):
        periods = [_period(i, DAY - dt.timedelta(days=100 + i), DAY - dt.timedelta(days=40 + i)) for i in range(count)]
        result = fc.load_forecast(
            periods=pd.DataFrame(periods),
            starts=pd.DataFrame(columns=["trajectory_id", "approach_id", "team", "start", "complexity"]),
            workers=pd.DataFrame({"worker_id": [1], "team": ["T"]}),
            fte_periods=pd.DataFrame({"worker_id": [1], "start": [D(2020, 1, 1)], "fte": [1.0]}),
            day=DAY,
            horizon=28,
            settings=calc.DEFAULT_SETTINGS,
        )
        (stay,) = fc.forecast_json(result, 4)["stays"]
        return stay["finished"], stay["median_days"]

    assert stays(9) == (9, None)
    assert stays(10) == (10, 60)
