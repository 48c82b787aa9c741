"""Tests of the caseload engine (SPEC.md section 3), without Django or a database.

Every expected value is worked out by hand in the test, with the arithmetic in a comment.
"""

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from caseload.calculations import (
    ApproachOverride,
    CaseloadSettings,
    PlanningLine,
    capacity_plan,
    capacity_plan_costs,
    capacity_plan_json,
    caseload_for_period,
    caseload_json,
    caseload_on_date,
    date_of_day_number,
    fte_days_between,
    fte_on_date,
    load_bearing_periods,
    mix_from_composition,
    projected_periods,
    round_half_up,
    round_half_up_array,
    youths_that_fit,
)

D = dt.date

PERIOD_COLUMNS = [
    "trajectory_id",
    "youth_id",
    "worker_id",
    "approach_id",
    "phase",
    "role",
    "start",
    "end",
    "complexity",
]


def period(
    trajectory,
    youth,
    worker,
    start,
    end,
    role="coaching",
    phase="begeleiding",
    approach="A",
    complexity="licht",
):
    return {
        "trajectory_id": trajectory,
        "youth_id": youth,
        "worker_id": worker,
        "approach_id": approach,
        "phase": phase,
        "role": role,
        "start": start,
        "end": end,
        "complexity": complexity,
    }


def periods_frame(*rows):
    return pd.DataFrame(list(rows), columns=PERIOD_COLUMNS)


def fte_frame(*rows):
    return pd.DataFrame(list(rows), columns=["worker_id", "start", "fte"])


def workers_frame(*rows):
    return pd.DataFrame(list(rows), columns=["worker_id", "team"])


def logged_frame(*rows):
    return pd.DataFrame(list(rows), columns=["worker_id", "category", "minutes"])


def on_date(periods, day, fte=None, workers=None, settings=None):
    result = caseload_on_date(
        periods=periods,
        fte_periods=fte if fte is not None else fte_frame(("w1", D(2020, 1, 1), 1.0)),
        workers=workers if workers is not None else workers_frame(("w1", "T")),
        day=day,
        **({"settings": settings} if settings else {}),
    )
    return caseload_json(result)


def for_period(periods, date_from, date_to, fte=None, workers=None, logged=None, settings=None):
    result = caseload_for_period(
        periods=periods,
        fte_periods=fte if fte is not None else fte_frame(("w1", D(2020, 1, 1), 1.0)),
        logged_minutes=logged,
        workers=workers if workers is not None else workers_frame(("w1", "T")),
        date_from=date_from,
        date_to=date_to,
        **({"settings": settings} if settings else {}),
    )
    return caseload_json(result)


def worker(document, worker_id):
    (found,) = [row for row in document["workers"] if row["worker_id"] == worker_id]
    return found


def team(document, name):
    (found,) = [row for row in document["teams"] if row["team"] == name]
    return found


def coaching_youths(count):
    """``count`` youths, each in coaching with w1 from 2025-01-01 on, open."""
    return [period(f"t{i}", f"y{i}", "w1", D(2025, 1, 1), None) for i in range(count)]


# --- Planning calculator --------------------------------------------------------------------

STUDY_MIX = {
    "coaching": PlanningLine(youths=50, hours_per_youth=20),
    "regie": PlanningLine(youths=25, hours_per_youth=6),
    "monitoring": PlanningLine(youths=25, hours_per_youth=4),
}


def test_planning_reproduces_the_study_example():
    plan = capacity_plan(STUDY_MIX)
    # 50 x 20 + 25 x 6 + 25 x 4 = 1000 + 150 + 100 = 1250 hours for 50 + 25 + 25 = 100 youths
    assert plan.total_hours == 1250
    assert plan.youths == 100
    assert plan.hours_per_youth == 12.5  # 1250 / 100
    assert plan.fte_needed == pytest.approx(1250 / 1200)  # 1.041666...
    document = capacity_plan_json(plan)
    assert list(document) == ["total_hours", "youths", "hours_per_youth", "fte_needed"]
    # 1.041666... to 0.001 is 1.042 (printed as 1.04 in the study)
    assert document == {"total_hours": 1250.0, "youths": 100, "hours_per_youth": 12.5, "fte_needed": 1.042}
    assert json.loads(json.dumps(document)) == document


def test_planning_costs_of_the_study_example():
    costs = capacity_plan_costs(
        capacity_plan(STUDY_MIX), hourly_rate=65.0, contract_hours_per_fte=1872.0, fte_available=1.0
    )
    assert costs.cost == 81_250  # 1250 h x 65 euro
    assert costs.contract_hours == pytest.approx(1950.0)  # 1250 / 1200 = 1.041666 fte x 1872 h
    assert costs.fte_gap == pytest.approx(0.0416667, abs=1e-6)  # 1.041666 needed - 1.0 available


def test_planning_reverse_question_youths_that_fit():
    # 1 fte = 1200 productive hours; the study mix needs 12.5 hours per youth: 1200 / 12.5 = 96
    assert youths_that_fit(1.0, STUDY_MIX) == pytest.approx(96.0)
    # 1250 / 1200 fte are exactly the study's 1250 hours: 1250 / 12.5 = 100 youths
    assert youths_that_fit(1250 / 1200, STUDY_MIX) == pytest.approx(100.0)


def test_planning_from_point_in_time_composition_and_throughput():
    # The study: 50 youths at a point in time, throughput 6 months; split 25 / 12.5 / 12.5.
    mix = mix_from_composition({"coaching": 25, "regie": 12.5, "monitoring": 12.5}, throughput_months=6)
    # youths per year = count x 12 / 6: 50, 25, 25; hours per youth = norm x 6 / 12: 20, 6, 4
    assert mix["coaching"] == PlanningLine(youths=50, hours_per_youth=20)
    assert mix["regie"] == PlanningLine(youths=25, hours_per_youth=6)
    assert mix["monitoring"] == PlanningLine(youths=25, hours_per_youth=4)
    assert capacity_plan_json(capacity_plan(mix)) == {
        "total_hours": 1250.0,
        "youths": 100,
        "hours_per_youth": 12.5,
        "fte_needed": 1.042,
    }


def test_planning_rejects_an_unknown_role():
    with pytest.raises(ValueError, match="unknown role"):
        capacity_plan({"koffie": PlanningLine(youths=1, hours_per_youth=1)})


# --- Point in time --------------------------------------------------------------------------


def test_date_mode_start_on_d_counts_end_on_d_does_not_open_period_counts():
    d = D(2025, 3, 1)
    document = on_date(
        periods_frame(
            period("t1", "y1", "w1", D(2025, 3, 1), D(2025, 6, 1), role="coaching"),  # starts on d
            period("t2", "y2", "w1", D(2025, 1, 1), D(2025, 3, 1), role="regie"),  # ends on d
            period("t3", "y3", "w1", D(2024, 6, 1), None, role="monitoring"),  # open
        ),
        d,
    )
    row = worker(document, "w1")
    assert row["youths_by_role"] == {"coaching": 1, "uitvoering": 0, "regie": 0, "monitoring": 1}
    assert row["youths_total"] == 2
    assert row["youths_served"] == 2
    assert row["expected_hours"] == 48.0  # coaching 40 + monitoring 8
    assert row["capacity_hours"] == 1200.0  # fte 1.0 x 1200
    assert row["utilisation"] == 0.04  # 48 / 1200
    assert row["youths_per_fte_year"] == 2.0  # 2 / (1200 / 1200)
    assert row["logged_hours"] is None
    assert row["overhead_share"] is None


def test_fte_on_date_is_latest_period_started_on_or_before_d():
    fte = fte_frame(("w1", D(2025, 1, 1), 1.0), ("w1", D(2025, 7, 1), 0.5), ("w2", D(2025, 8, 1), 0.8))
    on_change_day = fte_on_date(fte, D(2025, 7, 1))
    assert on_change_day["w1"] == 0.5  # the period starting on d applies
    assert "w2" not in on_change_day.index  # before w2's first fte period: fte 0
    assert fte_on_date(fte, D(2025, 6, 30))["w1"] == 1.0
    document = on_date(periods_frame(), D(2025, 7, 1), fte=fte, workers=workers_frame(("w1", "T"), ("w2", "T")))
    assert worker(document, "w1")["fte"] == 0.5
    assert worker(document, "w2")["fte"] == 0.0
    assert worker(document, "w2")["capacity_hours"] == 0.0


def test_date_mode_youths_per_fte_year_uses_the_date_capacity():
    document = on_date(periods_frame(*coaching_youths(2)), D(2025, 2, 1), fte=fte_frame(("w1", D(2025, 1, 1), 0.5)))
    # capacity 0.5 x 1200 = 600; 2 youths / (600 / 1200) = 4.0; utilisation 80 / 600 = 0.1333
    row = worker(document, "w1")
    assert row["youths_per_fte_year"] == 4.0
    assert row["utilisation"] == 0.133


def test_phases_without_load_and_periods_without_role_carry_none():
    d = D(2025, 3, 1)
    start = D(2025, 1, 1)
    document = on_date(
        periods_frame(
            period("t1", "y1", "w1", start, None, phase="aanmelding", role="coaching"),
            period("t2", "y2", "w1", start, None, phase="afgesloten", role="coaching"),
            period("t3", "y3", "w1", start, None, phase="begeleiding", role=None),
            period("t4", "y4", "w1", start, None, phase="begeleiding", role=""),
            period("t5", "y5", "w1", start, None, phase="time-out", role=None),
            period("t6", "y6", "w1", start, None, phase="intake", role="regie"),  # the only load
        ),
        d,
    )
    row = worker(document, "w1")
    assert row["expected_hours"] == 12.0  # regie 12 only
    assert row["youths_total"] == 1
    assert row["youths_by_role"] == {"coaching": 0, "uitvoering": 0, "regie": 1, "monitoring": 0}


def test_complexity_factor_is_applied():
    settings = CaseloadSettings(complexity_factors={"licht": 1.0, "meervoudig": 1.25, "complex": 1.5})
    document = on_date(
        periods_frame(
            period("t1", "y1", "w1", D(2025, 1, 1), None, role="coaching", complexity="complex"),
            period("t2", "y2", "w1", D(2025, 1, 1), None, role="regie", complexity="meervoudig"),
            period("t3", "y3", "w1", D(2025, 1, 1), None, role="monitoring", complexity=None),
        ),
        D(2025, 2, 1),
        settings=settings,
    )
    # coaching 40 x 1.5 = 60; regie 12 x 1.25 = 15; monitoring 8 x 1.0 (unknown complexity) = 8
    assert worker(document, "w1")["expected_hours"] == 83.0


def test_approach_norm_override_is_applied():
    settings = CaseloadSettings(approach_overrides={"B": ApproachOverride(norm_hours={"coaching": 60})})
    document = on_date(
        periods_frame(
            period("t1", "y1", "w1", D(2025, 1, 1), None, role="coaching", approach="B"),
            period("t2", "y2", "w1", D(2025, 1, 1), None, role="coaching", approach="A"),
            period("t3", "y3", "w1", D(2025, 1, 1), None, role="regie", approach="B"),
        ),
        D(2025, 2, 1),
        settings=settings,
    )
    # approach B coaching 60 (override) + approach A coaching 40 + approach B regie 12 (no override)
    assert worker(document, "w1")["expected_hours"] == 112.0


def test_worker_with_fte_zero_has_no_utilisation_and_no_underload():
    document = on_date(
        periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None)),
        D(2025, 2, 1),
        fte=fte_frame(("w1", D(2024, 1, 1), 0.0)),
        workers=workers_frame(("w1", "T"), ("w2", "T")),  # w2 has no fte period at all
    )
    for worker_id in ("w1", "w2"):
        row = worker(document, worker_id)
        assert row["capacity_hours"] == 0.0
        assert row["utilisation"] is None
        assert row["youths_per_fte_year"] is None
        assert row["flags"] == []  # no underload, and no overload although w1 expects 40 h
    assert team(document, "T")["utilisation"] is None


# --- Flags on their thresholds --------------------------------------------------------------


def test_overload_on_threshold_not_raised_just_over_raised():
    d = D(2025, 2, 1)
    # fte 1.0: capacity 1200; 33 coaching youths x 40 = 1320; 1320 / 1200 = 1.10 exactly
    on_threshold = worker(on_date(periods_frame(*coaching_youths(33)), d), "w1")
    assert on_threshold["utilisation"] == 1.1
    assert on_threshold["flags"] == []
    # 34 x 40 = 1360; 1360 / 1200 = 1.1333 > 1.10
    over = worker(on_date(periods_frame(*coaching_youths(34)), d), "w1")
    assert over["utilisation"] == 1.133
    assert over["flags"] == ["overload"]


def test_underload_on_threshold_not_raised_just_under_raised():
    d = D(2025, 2, 1)
    # 24 x 40 = 960; 960 / 1200 = 0.80 exactly
    on_threshold = worker(on_date(periods_frame(*coaching_youths(24)), d), "w1")
    assert on_threshold["utilisation"] == 0.8
    assert on_threshold["flags"] == []
    # 23 x 40 = 920; 920 / 1200 = 0.7667 < 0.80
    under = worker(on_date(periods_frame(*coaching_youths(23)), d), "w1")
    assert under["utilisation"] == 0.767
    assert under["flags"] == ["underload"]


def test_overhead_on_threshold_not_raised_just_over_raised():
    no_fte = fte_frame()  # capacity 0, so utilisation is null and only the overhead flag can show
    january = (D(2025, 1, 1), D(2025, 2, 1))
    # 420 min direct = 7 h, 180 min overhead = 3 h: 3 / (7 + 0 + 3) = 0.30 exactly
    logged = logged_frame(("w1", "client_direct", 420), ("w1", "overhead", 180))
    on_threshold = worker(for_period(periods_frame(), *january, fte=no_fte, logged=logged), "w1")
    assert on_threshold["logged_hours"] == {"client_direct": 7.0, "client_indirect": 0.0, "overhead": 3.0}
    assert on_threshold["overhead_share"] == 0.3
    assert on_threshold["flags"] == []
    # 181 min overhead = 3.0167 h: 3.0167 / 10.0167 = 0.30116 > 0.30
    logged = logged_frame(("w1", "client_direct", 420), ("w1", "overhead", 181))
    over = worker(for_period(periods_frame(), *january, fte=no_fte, logged=logged), "w1")
    assert over["overhead_share"] == 0.301
    assert over["flags"] == ["overhead"]


def test_overhead_share_is_null_when_nothing_logged():
    row = worker(for_period(periods_frame(), D(2025, 1, 1), D(2025, 2, 1), fte=fte_frame()), "w1")
    assert row["logged_hours"] == {"client_direct": 0.0, "client_indirect": 0.0, "overhead": 0.0}
    assert row["overhead_share"] is None


def test_long_in_role_boundary_273_days_not_flagged_274_flagged():
    # A coaching run from 2025-01-01. Days to 2025-10-01: 31+28+31+30+31+30+31+31+30 = 273.
    # days_in_role = evaluation day - run start; the limit is 1.5 x 182 = 273; flagged when > 273.
    periods = periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None, role="coaching"))
    at_273 = worker(on_date(periods, D(2025, 10, 1)), "w1")
    assert at_273["long_in_role_youths"] == 0
    assert "long_in_role" not in at_273["flags"]
    at_274 = worker(on_date(periods, D(2025, 10, 2)), "w1")
    assert at_274["long_in_role_youths"] == 1
    assert "long_in_role" in at_274["flags"]
    # Period mode evaluates on the last day, to - 1: [2025-09-01, 2025-10-02) on 2025-10-01 (273)
    assert worker(for_period(periods, D(2025, 9, 1), D(2025, 10, 2)), "w1")["long_in_role_youths"] == 0
    # ... and [2025-09-01, 2025-10-03) on 2025-10-02 (274)
    assert worker(for_period(periods, D(2025, 9, 1), D(2025, 10, 3)), "w1")["long_in_role_youths"] == 1


def test_long_run_split_over_back_to_back_periods_is_flagged_a_one_day_gap_is_not():
    d = D(2025, 10, 2)  # 274 days after 2025-01-01
    back_to_back = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), D(2025, 5, 1), role="coaching", phase="intake"),
        period("t1", "y1", "w1", D(2025, 5, 1), None, role="coaching", phase="begeleiding"),
    )
    row = worker(on_date(back_to_back, d), "w1")
    assert row["long_in_role_youths"] == 1
    assert row["flags"] == ["underload", "long_in_role"]  # 40 / 1200 is underload too; fixed order
    with_gap = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), D(2025, 4, 30), role="coaching"),
        period("t1", "y1", "w1", D(2025, 5, 1), None, role="coaching"),  # 2025-04-30 uncovered
    )
    # the run restarts on 2025-05-01: 2025-10-02 - 2025-05-01 = 154 days <= 273
    assert worker(on_date(with_gap, d), "w1")["long_in_role_youths"] == 0


def test_long_run_is_broken_by_another_role_or_a_phase_without_load():
    d = D(2025, 10, 2)
    other_role = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), D(2025, 3, 1), role="coaching"),
        period("t1", "y1", "w1", D(2025, 3, 1), D(2025, 3, 10), role="regie"),
        period("t1", "y1", "w1", D(2025, 3, 10), None, role="coaching"),
    )
    assert worker(on_date(other_role, d), "w1")["long_in_role_youths"] == 0
    time_out = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), D(2025, 3, 1), role="coaching"),
        period("t1", "y1", "w1", D(2025, 3, 1), D(2025, 3, 10), role=None, phase="time-out"),
        period("t1", "y1", "w1", D(2025, 3, 10), None, role="coaching"),
    )
    assert worker(on_date(time_out, d), "w1")["long_in_role_youths"] == 0
    # regie and monitoring are never long in role, however long
    monitoring = periods_frame(period("t1", "y1", "w1", D(2020, 1, 1), None, role="monitoring"))
    assert worker(on_date(monitoring, d), "w1")["long_in_role_youths"] == 0


def test_long_run_continues_across_a_handover_and_counts_for_the_new_worker():
    d = D(2025, 10, 2)  # 274 days after 2025-01-01
    periods = periods_frame(
        period("t1", "y1", "w2", D(2025, 1, 1), D(2025, 6, 1), role="uitvoering"),
        period("t1", "y1", "w1", D(2025, 6, 1), None, role="uitvoering"),
    )
    document = on_date(periods, d, workers=workers_frame(("w1", "T"), ("w2", "T")))
    assert worker(document, "w1")["long_in_role_youths"] == 1
    assert worker(document, "w2")["long_in_role_youths"] == 0  # w2 no longer covers the day


def test_approach_expected_duration_override_sets_the_long_in_role_limit():
    settings = CaseloadSettings(approach_overrides={"B": ApproachOverride(expected_duration_days=100)})
    periods = periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None, approach="B"))
    # limit 1.5 x 100 = 150 days; 2025-05-31 - 2025-01-01 = 31+28+31+30+30 = 150 -> not flagged
    assert worker(on_date(periods, D(2025, 5, 31), settings=settings), "w1")["long_in_role_youths"] == 0
    # 2025-06-01: 151 days -> flagged
    assert worker(on_date(periods, D(2025, 6, 1), settings=settings), "w1")["long_in_role_youths"] == 1


# --- Period mode ----------------------------------------------------------------------------


def test_period_capacity_with_fte_change_inside_the_period():
    fte = fte_frame(
        ("w1", D(2024, 9, 1), 1.0),
        ("w1", D(2025, 7, 1), 0.5),
        ("w1", D(2026, 2, 1), 0.8),  # after the period: no effect
    )
    # 2025-01-01 .. 2025-06-30: 31+28+31+30+31+30 = 181 days at 1.0
    # 2025-07-01 .. 2025-12-31: 31+31+30+31+30+31 = 184 days at 0.5
    assert fte_days_between(fte, D(2025, 1, 1), D(2026, 1, 1))["w1"] == 181 * 1.0 + 184 * 0.5
    row = worker(for_period(periods_frame(), D(2025, 1, 1), D(2026, 1, 1), fte=fte), "w1")
    # capacity = 1200 / 365 x (181 x 1.0 + 184 x 0.5) = 1200 / 365 x 273 = 897.534...
    assert row["capacity_hours"] == 897.5
    # fte = average over the 365 days = 273 / 365 = 0.74795...
    assert row["fte"] == 0.748


def test_period_fte_is_zero_before_the_first_fte_period():
    fte = fte_frame(("w1", D(2025, 1, 11), 1.0))
    # [2025-01-01, 2025-01-31): 10 days at 0, 20 days at 1.0: capacity 1200 x 20 / 365 = 65.753
    row = worker(for_period(periods_frame(), D(2025, 1, 1), D(2025, 1, 31), fte=fte), "w1")
    assert row["capacity_hours"] == 65.8
    assert row["fte"] == 0.667  # 20 / 30


def test_period_handover_gives_each_worker_its_overlap_only():
    periods = periods_frame(
        period("t1", "y1", "w1", D(2024, 12, 1), D(2025, 3, 1), role="coaching"),
        period("t1", "y1", "w2", D(2025, 3, 1), None, role="coaching"),  # open, after the handover
    )
    document = for_period(
        periods,
        D(2025, 1, 1),
        D(2025, 4, 1),
        fte=fte_frame(("w1", D(2020, 1, 1), 1.0), ("w2", D(2020, 1, 1), 1.0)),
        workers=workers_frame(("w1", "T"), ("w2", "T")),
    )
    first, second = worker(document, "w1"), worker(document, "w2")
    # w1: [2025-01-01, 2025-03-01) = 31 + 28 = 59 days: 40 x 59 / 365 = 6.466
    assert first["expected_hours"] == 6.5
    # w2: [2025-03-01, 2025-04-01) = 31 days (open end cut at 'to'): 40 x 31 / 365 = 3.397
    assert second["expected_hours"] == 3.4
    assert first["youths_total"] == second["youths_total"] == 1
    # capacity: 90 days x 1200 / 365 = 295.89 each
    assert first["capacity_hours"] == second["capacity_hours"] == 295.9
    # utilisation w1: (40 x 59 / 365) / (1200 x 90 / 365) = 2360 / 108000 = 0.021852
    assert first["utilisation"] == 0.022
    totals = team(document, "T")
    assert totals["expected_hours"] == 9.9  # 40 x 90 / 365 = 9.863
    assert totals["youths_total"] == 1  # one youth, counted once over the team
    assert totals["fte"] == 2.0


def test_period_youths_count_any_overlap_and_per_fte_year():
    periods = periods_frame(
        period("t1", "y1", "w1", D(2024, 1, 1), D(2025, 1, 2), role="coaching"),  # 1 day in it
        period("t2", "y2", "w1", D(2025, 12, 31), None, role="regie"),  # 1 day in it
        period("t3", "y3", "w1", D(2026, 1, 1), None, role="regie"),  # starts on 'to': outside
        period("t4", "y4", "w1", D(2024, 1, 1), D(2025, 1, 1), role="regie"),  # ends on 'from'
    )
    row = worker(for_period(periods, D(2025, 1, 1), D(2026, 1, 1)), "w1")
    assert row["youths_by_role"] == {"coaching": 1, "uitvoering": 0, "regie": 1, "monitoring": 0}
    assert row["youths_served"] == 2
    # capacity 1200 x 365 / 365 = 1200 -> 1 fte-year: 2 / 1 = 2.0
    assert row["youths_per_fte_year"] == 2.0
    # expected (40 x 1 + 12 x 1) / 365 = 0.142
    assert row["expected_hours"] == 0.1


# --- Teams and output -----------------------------------------------------------------------


def test_team_totals_count_a_shared_youth_once():
    d = D(2025, 2, 1)
    periods = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), None, role="coaching", approach="A"),
        period("t2", "y1", "w2", D(2025, 1, 1), None, role="regie", approach="B"),  # same youth
        period("t3", "y2", "w2", D(2025, 1, 1), None, role="monitoring"),
        period("t4", "y3", "w3", D(2025, 1, 1), None, role="coaching"),
    )
    fte = fte_frame(("w1", D(2020, 1, 1), 1.0), ("w2", D(2020, 1, 1), 0.5), ("w3", D(2020, 1, 1), 1.0))
    document = on_date(periods, d, fte=fte, workers=workers_frame(("w1", "T"), ("w2", "T"), ("w3", "U")))
    totals = team(document, "T")
    assert totals["youths_by_role"] == {"coaching": 1, "uitvoering": 0, "regie": 1, "monitoring": 1}
    assert totals["youths_total"] == 2  # y1 and y2, not 1 + 2 = 3
    assert totals["youths_served"] == 2
    assert totals["expected_hours"] == 60.0  # 40 + 12 + 8
    assert totals["fte"] == 1.5  # 1.0 + 0.5
    assert totals["capacity_hours"] == 1800.0  # 1200 + 600
    assert totals["utilisation"] == 0.033  # 60 / 1800 = 0.0333
    assert totals["youths_per_fte_year"] == 1.333  # 2 / (1800 / 1200)
    assert totals["flags"] == ["underload"]
    assert team(document, "U")["youths_total"] == 1
    assert [row["team"] for row in document["teams"]] == ["T", "U"]


def test_team_logged_hours_and_overhead_share_come_from_the_sums_of_its_workers():
    no_fte = fte_frame()  # capacity 0: only the overhead flag can show
    january = (D(2025, 1, 1), D(2025, 2, 1))
    logged = logged_frame(
        ("w1", "client_direct", 420),  # w1: 7 h direct, 3 h overhead: share 0.30
        ("w1", "overhead", 180),
        ("w2", "client_direct", 60),  # w2: 1 h direct, 4 h overhead: share 0.80
        ("w2", "overhead", 240),
    )
    workers = workers_frame(("w1", "T"), ("w2", "T"))
    document = for_period(periods_frame(), *january, fte=no_fte, workers=workers, logged=logged)
    totals = team(document, "T")
    assert totals["logged_hours"] == {"client_direct": 8.0, "client_indirect": 0.0, "overhead": 7.0}
    # 7 / (8 + 0 + 7) = 0.4667 from the sums; not the largest share (0.8) nor the mean (0.55)
    assert totals["overhead_share"] == 0.467
    assert totals["flags"] == ["overhead"]


def test_team_long_in_role_youths_are_distinct():
    d = D(2025, 10, 2)  # 274 days after 2025-01-01
    periods = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), None, role="coaching", approach="A"),
        period("t2", "y1", "w2", D(2025, 1, 1), None, role="uitvoering", approach="B"),
    )
    document = on_date(
        periods,
        d,
        fte=fte_frame(("w1", D(2020, 1, 1), 1.0), ("w2", D(2020, 1, 1), 1.0)),
        workers=workers_frame(("w1", "T"), ("w2", "T")),
    )
    assert worker(document, "w1")["long_in_role_youths"] == 1
    assert worker(document, "w2")["long_in_role_youths"] == 1
    assert team(document, "T")["long_in_role_youths"] == 1
    assert "long_in_role" in team(document, "T")["flags"]


def test_rounding_happens_only_at_output():
    # Three workers, each one monitoring youth for 2 days of the period: 8 x 2 / 365 = 0.0438 h
    periods = periods_frame(
        *[period(f"t{i}", f"y{i}", f"w{i}", D(2025, 1, 30), None, role="monitoring") for i in (1, 2, 3)]
    )
    document = for_period(
        periods,
        D(2025, 1, 1),
        D(2025, 2, 1),
        fte=fte_frame(*[(f"w{i}", D(2020, 1, 1), 1.0) for i in (1, 2, 3)]),
        workers=workers_frame(("w1", "T"), ("w2", "T"), ("w3", "T")),
    )
    assert [row["expected_hours"] for row in document["workers"]] == [0.0, 0.0, 0.0]
    # the team sums unrounded values: 3 x 8 x 2 / 365 = 0.1315 -> 0.1 (rounded first: 0.0)
    assert team(document, "T")["expected_hours"] == 0.1


def test_round_half_up():
    assert round_half_up(0.15, 1) == 0.2  # Python's round(0.15, 1) gives 0.1
    assert round_half_up(0.05, 1) == 0.1
    assert round_half_up(2.675, 2) == 2.68
    assert round_half_up(1250 / 1200, 3) == 1.042
    assert round_half_up(0.0438, 1) == 0.0


def test_round_half_up_array_equals_round_half_up_value_by_value():
    # The JSON rounds whole columns without a Decimal per value; it must give exactly what
    # round_half_up gives (compared by repr, so even the sign of a zero counts), None for NaN.
    rng = np.random.default_rng(20250701)
    halves = [
        (k + 0.5) / 10**places * sign for places in range(5) for k in range(0, 3000, 7) for sign in (1, -1)
    ]  # 0.05, 0.15, ... 2.675, 1.0005: binary values just above or below the decimal half
    decimal_fives = [float(f"{whole}.{digits}5") for whole in (0, 1, 2, 17, 123, 9999) for digits in range(100)]
    values = np.concatenate(
        [
            halves,
            decimal_fives,
            [-x for x in decimal_fives],
            rng.uniform(0, 2, 50_000),  # utilisation-like ratios
            rng.uniform(0, 5_000, 50_000),  # hours
            rng.integers(0, 3_000_000, 20_000) / 1000,  # exactly three decimals
            rng.integers(0, 3_000_000, 20_000) / 200,  # multiples of 0.005
            np.exp(rng.uniform(-30, 30, 20_000)),  # any magnitude, also beyond the fast path
            [0.0, -0.0, 1250 / 1200, 2.675, 0.0438, 1e-300, 1e15 + 0.5, 4.35, 0.285, 1.0005],
        ]
    )
    for places in (0, 1, 2, 3, 4):
        expected = [repr(round_half_up(value, places)) for value in values.tolist()]
        assert [repr(value) for value in round_half_up_array(values, places)] == expected
    assert round_half_up_array([np.nan, 0.15], 1) == [None, 0.2]


def test_json_contract_shape_and_order():
    periods = periods_frame(period("t1", "y1", "w2", D(2025, 1, 1), None))
    fte = fte_frame(("w1", D(2020, 1, 1), 1.0), ("w2", D(2020, 1, 1), 1.0))
    workers = workers_frame(("w2", "Zuid"), ("w1", "Noord"), ("w3", None))
    worker_keys = [
        "worker_id",
        "team",
        "fte",
        "capacity_hours",
        "expected_hours",
        "utilisation",
        "youths_by_role",
        "youths_total",
        "youths_served",
        "youths_per_fte_year",
        "logged_hours",
        "overhead_share",
        "long_in_role_youths",
        "flags",
    ]

    by_date = on_date(periods, D(2025, 2, 1), fte=fte, workers=workers)
    assert list(by_date) == ["mode", "date", "workers", "teams"]
    assert by_date["mode"] == "date"
    assert by_date["date"] == "2025-02-01"
    assert [row["worker_id"] for row in by_date["workers"]] == ["w1", "w2", "w3"]
    assert [row["team"] for row in by_date["teams"]] == ["Noord", "Zuid"]  # w3 is in no team
    assert all(list(row) == worker_keys for row in by_date["workers"])
    assert all(list(row) == ["team", *worker_keys[2:]] for row in by_date["teams"])
    assert by_date["workers"][1]["logged_hours"] is None

    by_period = for_period(periods, D(2025, 1, 1), D(2025, 2, 1), fte=fte, workers=workers)
    assert list(by_period) == ["mode", "from", "to", "workers", "teams"]
    assert (by_period["mode"], by_period["from"], by_period["to"]) == ("period", "2025-01-01", "2025-02-01")
    row = worker(by_period, "w2")
    assert list(row["logged_hours"]) == ["client_direct", "client_indirect", "overhead"]
    assert type(row["fte"]) is float
    assert type(row["youths_total"]) is int
    # strict JSON: no NaN, no numpy types
    assert json.loads(json.dumps(by_period, allow_nan=False)) == by_period


def test_integer_ids_come_out_as_plain_ints():
    periods = periods_frame(period(1, 10, 7, D(2025, 1, 1), None))
    document = on_date(periods, D(2025, 2, 1), fte=fte_frame((7, D(2020, 1, 1), 1.0)), workers=workers_frame((7, 3)))
    assert document["workers"][0]["worker_id"] == 7
    assert type(document["workers"][0]["worker_id"]) is int
    assert type(document["teams"][0]["team"]) is int
    assert document["workers"][0]["expected_hours"] == 40.0


def test_workers_outside_the_scope_are_left_out():
    periods = periods_frame(
        period("t1", "y1", "w1", D(2025, 1, 1), None),
        period("t2", "y2", "other", D(2025, 1, 1), None),
    )
    document = on_date(periods, D(2025, 2, 1))
    assert [row["worker_id"] for row in document["workers"]] == ["w1"]
    assert team(document, "T")["youths_total"] == 1


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="unknown role"):
        on_date(periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None, role="baas")), D(2025, 2, 1))
    with pytest.raises(ValueError, match="unknown complexity"):
        on_date(periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None, complexity="zwaar")), D(2025, 2, 1))
    with pytest.raises(ValueError, match="empty"):
        for_period(periods_frame(), D(2025, 2, 1), D(2025, 2, 1))
    with pytest.raises(ValueError, match="same day"):
        fte_on_date(fte_frame(("w1", D(2025, 1, 1), 1.0), ("w1", D(2025, 1, 1), 0.5)), D(2025, 2, 1))
    with pytest.raises(ValueError, match="unknown time entry categories"):
        for_period(periods_frame(), D(2025, 1, 1), D(2025, 2, 1), logged=logged_frame(("w1", "koffie", 5)))


def test_datetime64_columns_are_accepted():
    periods = periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None))
    periods["start"] = pd.to_datetime(periods["start"])
    periods["end"] = pd.to_datetime(periods["end"])
    fte = fte_frame(("w1", D(2020, 1, 1), 1.0))
    fte["start"] = pd.to_datetime(fte["start"])
    row = worker(on_date(periods, D(2025, 2, 1), fte=fte), "w1")
    assert row["expected_hours"] == 40.0
    assert not math.isnan(np.float64(row["utilisation"]))


# --- The dashboard chart's projection (SPEC.md is silent; pinned here) ----------------------------


def test_projection_rule():
    settings = CaseloadSettings(approach_overrides={"B": ApproachOverride(expected_duration_days=100)})
    periods = periods_frame(
        # open coaching since 2025-01-01 (A, 182 days) -> ends 2025-07-02
        (1, 1, 1, "A", "begeleiding", "coaching", D(2025, 1, 1), None, "licht"),
        # a run regie 2024-12-01 .. 2025-02-01 then regie open: run start 2024-12-01 + 182 = 2025-06-01
        (2, 2, 1, "A", "begeleiding", "regie", D(2024, 12, 1), D(2025, 2, 1), "licht"),
        (2, 2, 1, "A", "begeleiding", "regie", D(2025, 2, 1), None, "licht"),
        # open since 2024-01-01 with B (100 days): past its duration -> ends the day after 2025-03-15
        (3, 3, 1, "B", "begeleiding", "coaching", D(2024, 1, 1), None, "licht"),
        # a known end stays
        (4, 4, 1, "A", "begeleiding", "monitoring", D(2025, 1, 1), D(2025, 4, 1), "licht"),
    )
    load_bearing = load_bearing_periods(periods, settings)
    projected = projected_periods(load_bearing, D(2025, 3, 15), settings)
    ends = [date_of_day_number(day) for day in projected["end_day"]]
    assert ends == [D(2025, 7, 2), D(2025, 2, 1), D(2025, 6, 1), D(2025, 3, 16), D(2025, 4, 1)]


def test_fte_days_in_windows_equal_the_per_window_sums():
    # w1: 1.0 from 1 Jan, 0.5 from 15 Feb; w2: 0.8 from 1 Feb. January: 31 x 1.0 = 31; February:
    # 14 x 1.0 + 14 x 0.5 + 28 x 0.8 = 43.4; March: 31 x 0.5 + 31 x 0.8 = 40.3.
    from caseload.calculations import fte_days_in_windows

    fte = fte_frame(("w1", D(2025, 1, 1), 1.0), ("w1", D(2025, 2, 15), 0.5), ("w2", D(2025, 2, 1), 0.8))
    bounds = [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1)]
    totals = fte_days_in_windows(fte, bounds)
    assert [round(value, 6) for value in totals] == [31.0, 43.4, 40.3]
    for index in range(3):
        assert totals[index] == pytest.approx(fte_days_between(fte, bounds[index], bounds[index + 1]).sum())
