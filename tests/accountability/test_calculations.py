"""Tests of the accountability figures (SPEC.md section 4b), without Django or a database.

Every expected value is worked out by hand in the test, with the arithmetic in a comment.
"""

import datetime as dt
import random
from decimal import Decimal

import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

from accountability.calculations import (
    FOLLOW_UP_TYPES,
    WORK,
    WORK_OR_SCHOOL,
    CheckRecord,
    FtePeriod,
    Indicator,
    OutcomeRecord,
    ReportedYouth,
    TrajectoryRecord,
    VcvPeriod,
    VcvRule,
    VcvWorker,
    add_calendar_months,
    age_band,
    first_contact,
    first_contact_json,
    follow_up_due_dates,
    fte_days,
    fte_on,
    indicator_json,
    is_eligible,
    is_load_bearing,
    nearest_rank,
    overlaps,
    position,
    result_indicators,
    result_indicators_json,
    trajectory_positions,
    vcv,
    vcv_csv_rows,
    vcv_json,
    working_elements,
    working_elements_json,
)
from caseload.calculations import fte_days_between

D = dt.date
FAR_FUTURE = D(2030, 1, 1)
START = D(2024, 1, 1)
TRAJECTORY_START = D(2024, 10, 1)


def ind(ended, positive, negative, unknown, share, provisional):
    return {
        "ended": ended,
        "positive": positive,
        "negative": negative,
        "unknown": unknown,
        "share": share,
        "provisional": provisional,
    }


# --- Durability follow-ups -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # February 2025 has 28 days: the 31st becomes the 28th
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # 2024 is a leap year: the 29th
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # August + 6 = February of the leap year 2024
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # no 29 February in 2025
        (D(2025, 3, 31), 1, D(2025, 4, 30)),  # April has 30 days
        (D(2024, 12, 15), 1, D(2025, 1, 15)),  # across the year: December + 1 = January of the next year
        (D(2024, 7, 10), 12, D(2025, 7, 10)),  # a day every month has stays
    ],
)
def test_add_calendar_months_month_end_becomes_last_day(day, months, expected):
    assert add_calendar_months(day, months) == expected


def test_follow_up_due_dates_default_and_configured_months():
    # 31 August 2024: +1 -> 30 September (30 days), +6 -> February 2025 (28 days), +12 -> 31 August 2025.
    assert follow_up_due_dates(D(2024, 8, 31)) == {1: D(2024, 9, 30), 6: D(2025, 2, 28), 12: D(2025, 8, 31)}
    # An organisation that checks after 3 and 24 months: 30 Nov 2023 + 3 = 29 Feb 2024 (leap), + 24 = 30 Nov 2025.
    assert follow_up_due_dates(D(2023, 11, 30), (3, 24)) == {3: D(2024, 2, 29), 24: D(2025, 11, 30)}
    with pytest.raises(ValueError, match="distinct"):
        follow_up_due_dates(D(2024, 1, 1), (1, 1))
    with pytest.raises(ValueError, match="at least 1"):
        follow_up_due_dates(D(2024, 1, 1), (0, 6))


def test_add_calendar_months_agrees_with_the_services_relativedelta():
    # cases.services plans checks with relativedelta; both clamp to the month's last day.
    day = D(2023, 1, 1)
    while day < D(2025, 1, 1):
        for months in (1, 6, 12, 13):
            assert add_calendar_months(day, months) == day + relativedelta(months=months)
        day += dt.timedelta(days=1)


def test_follow_up_types_and_sets_are_the_spec_s():
    assert frozenset({"work", "work_subsidised", "improved_position", "school"}) == FOLLOW_UP_TYPES
    assert frozenset({"work", "work_subsidised", "improved_position"}) == WORK
    assert WORK | {"school", "startkwalificatie"} == WORK_OR_SCHOOL


# --- The position rule -------------------------------------------------------------------------------


def pos(outcomes=(), checks=(), *, types=WORK, moment, measured_at=FAR_FUTURE, start=START):
    return position(
        start=start,
        outcomes=[OutcomeRecord(outcome, day) for outcome, day in outcomes],
        checks=[CheckRecord(outcome, due, answer) for outcome, due, answer in checks],
        types=types,
        moment=moment,
        measured_at=measured_at,
    )


def test_position_without_events_is_negative():
    assert pos(moment=D(2025, 1, 1)) == "negative"
    # An outcome outside S (volunteering) is no event; neither is work before the trajectory's start.
    assert pos([("volunteering", D(2024, 5, 1)), ("work", D(2023, 12, 31))], moment=D(2025, 1, 1)) == "negative"
    # Work after M is not yet known on M.
    assert pos([("work", D(2025, 1, 2))], moment=D(2025, 1, 1)) == "negative"
    # Work on M itself counts (up to and including M).
    assert pos([("work", D(2025, 1, 1))], moment=D(2025, 1, 1)) == "positive"


def test_position_a_job_that_ends_before_the_12_month_moment():
    # Work on 1 Jun 2024, still there on 1 Jul (1 month), gone on 1 Dec (6 months).
    outcomes = [("work", D(2024, 6, 1))]
    checks = [("work", D(2024, 7, 1), "still_there"), ("work", D(2024, 12, 1), "not_there")]
    # On 1 Nov 2024 the latest event is the still_there of 1 Jul: positive.
    assert pos(outcomes, checks, moment=D(2024, 11, 1)) == "positive"
    # On 1 Jun 2025 the latest event is the not_there of 1 Dec: negative.
    assert pos(outcomes, checks, moment=D(2025, 6, 1)) == "negative"


def test_position_an_unanswered_check_is_no_information():
    outcomes = [("work", D(2024, 3, 1))]
    # Only an unanswered check (None or "") after the work: the work of 1 Mar is the latest event.
    assert pos(outcomes, [("work", D(2024, 4, 1), None)], moment=D(2024, 12, 31)) == "positive"
    assert pos(outcomes, [("work", D(2024, 4, 1), "")], moment=D(2024, 12, 31)) == "positive"
    # not_there at 1 month, unanswered at 6 months: the not_there of 1 Apr stays the latest.
    checks = [("work", D(2024, 4, 1), "not_there"), ("work", D(2024, 9, 1), None)]
    assert pos(outcomes, checks, moment=D(2024, 12, 31)) == "negative"
    # Had the 6-month check been answered "unknown", that answer is the latest event.
    checks = [("work", D(2024, 4, 1), "not_there"), ("work", D(2024, 9, 1), "unknown")]
    assert pos(outcomes, checks, moment=D(2024, 12, 31)) == "unknown"


def test_position_out_of_sight_or_moved_after_work_is_unknown():
    outcomes = [("work", D(2024, 3, 1)), ("out_of_sight", D(2024, 5, 1))]
    assert pos(outcomes, moment=D(2024, 6, 1)) == "unknown"
    # Before the out_of_sight (M = 1 Apr) the work is the latest event.
    assert pos(outcomes, moment=D(2024, 4, 1)) == "positive"
    assert pos([("work", D(2024, 3, 1)), ("moved", D(2024, 5, 1))], moment=D(2024, 6, 1)) == "unknown"


def test_position_two_events_on_one_day():
    day = D(2024, 5, 1)
    # positive beats unknown: work and out_of_sight on 1 May.
    assert pos([("out_of_sight", day), ("work", day)], moment=D(2024, 6, 1)) == "positive"
    # unknown beats negative: the 1-month check of work of 1 Apr says not_there on 1 May, out of sight that day.
    outcomes = [("work", D(2024, 4, 1)), ("out_of_sight", day)]
    assert pos(outcomes, [("work", day, "not_there")], moment=D(2024, 6, 1)) == "unknown"
    # positive beats negative: a new subsidised job on the day the old job's check says not_there.
    outcomes = [("work", D(2024, 4, 1)), ("work_subsidised", day)]
    assert pos(outcomes, [("work", day, "not_there")], moment=D(2024, 6, 1)) == "positive"


def test_position_checks_count_only_for_outcomes_of_a_type_in_s():
    # School on 1 Mar, its check says not_there on 1 Apr. For work, neither is an event: negative.
    outcomes = [("school", D(2024, 3, 1))]
    checks = [("school", D(2024, 4, 1), "not_there")]
    assert pos(outcomes, checks, moment=D(2024, 6, 1)) == "negative"
    # For work_or_school the not_there of 1 Apr is the latest event: negative; on 15 Mar, school: positive.
    assert pos(outcomes, checks, types=WORK_OR_SCHOOL, moment=D(2024, 6, 1)) == "negative"
    assert pos(outcomes, checks, types=WORK_OR_SCHOOL, moment=D(2024, 3, 15)) == "positive"


def test_position_as_known_on_the_measurement_date():
    # M = 1 Jun 2025 lies after m = 1 Jan 2025: the not_there of 1 Mar 2025 is not known yet.
    outcomes = [("work", D(2024, 6, 1))]
    checks = [("work", D(2025, 3, 1), "not_there")]
    assert pos(outcomes, checks, moment=D(2025, 6, 1), measured_at=D(2025, 1, 1)) == "positive"
    assert pos(outcomes, checks, moment=D(2025, 6, 1), measured_at=D(2025, 3, 1)) == "negative"


def test_check_answers_are_validated():
    with pytest.raises(ValueError, match="unknown check answer"):
        CheckRecord("work", D(2024, 1, 1), "maybe")


# --- Result indicators -------------------------------------------------------------------------------


def trajectory(tid, *, start, end, outcomes=(), checks=(), **fields):
    return TrajectoryRecord(
        trajectory_id=tid,
        start=start,
        end=end,
        outcomes=tuple(OutcomeRecord(outcome, day) for outcome, day in outcomes),
        checks=tuple(CheckRecord(outcome, due, answer) for outcome, due, answer in checks),
        **fields,
    )


def test_result_indicators_job_ends_before_the_12_month_moment():
    # End 30 Jun 2024; work 1 Jun, still_there 1 Jul, not_there 1 Dec, the 12-month check (1 Jun 2025)
    # unanswered. m = 1 Sep 2025.
    # 4w: M = 30 Jun + 28 days = 28 Jul 2024; latest event still_there (1 Jul): positive.
    # 12m: M = 30 Jun 2024 + 365 days = 30 Jun 2025 (no 29 Feb in between); latest answered event
    #      not_there (1 Dec 2024): negative. M <= m: not provisional.
    t = trajectory(
        "T1",
        start=D(2024, 1, 1),
        end=D(2024, 6, 30),
        outcomes=[("work", D(2024, 6, 1))],
        checks=[
            ("work", D(2024, 7, 1), "still_there"),
            ("work", D(2024, 12, 1), "not_there"),
            ("work", D(2025, 6, 1), None),
        ],
    )
    doc = result_indicators_json(
        result_indicators([t], date_from=D(2024, 1, 1), date_to=D(2025, 1, 1), measured_at=D(2025, 9, 1))
    )
    assert doc["indicators"] == {
        "work_4w": ind(1, 1, 0, 0, 1.0, 0),
        "work_12m": ind(1, 0, 1, 0, 0.0, 0),
        "work_or_school_4w": ind(1, 1, 0, 0, 1.0, 0),
        "work_or_school_12m": ind(1, 0, 1, 0, 0.0, 0),
    }


def test_result_indicators_provisional_when_the_12_month_moment_lies_after_measurement():
    # End 1 Mar 2025, m = 1 Sep 2025. School 1 Feb 2025; still_there 1 Mar, not_there 1 Aug 2025;
    # a still_there due 1 Feb 2026 (after m) is not known on m.
    # work: no work events -> negative on both moments.
    # work_or_school_4w: M = 29 Mar 2025 <= m; latest event still_there 1 Mar: positive.
    # work_or_school_12m: M = 1 Mar 2026 > m: provisional; events up to m: latest not_there 1 Aug: negative.
    t = trajectory(
        "T1",
        start=D(2024, 9, 1),
        end=D(2025, 3, 1),
        outcomes=[("school", D(2025, 2, 1))],
        checks=[
            ("school", D(2025, 3, 1), "still_there"),
            ("school", D(2025, 8, 1), "not_there"),
            ("school", D(2026, 2, 1), "still_there"),
        ],
    )
    doc = result_indicators_json(
        result_indicators([t], date_from=D(2025, 1, 1), date_to=D(2025, 7, 1), measured_at=D(2025, 9, 1))
    )
    assert doc["indicators"] == {
        "work_4w": ind(1, 0, 1, 0, 0.0, 0),
        "work_12m": ind(1, 0, 1, 0, 0.0, 1),
        "work_or_school_4w": ind(1, 1, 0, 0, 1.0, 0),
        "work_or_school_12m": ind(1, 0, 1, 0, 0.0, 1),
    }


def test_age_band_turns_23_on_the_end_date():
    # Born 15 Jun 2002: 23 on 15 Jun 2025 -> "23+"; born a day later: still 22 -> "<23".
    assert age_band(D(2002, 6, 15), D(2025, 6, 15)) == "23+"
    assert age_band(D(2002, 6, 16), D(2025, 6, 15)) == "<23"
    # Born 29 Feb 2004: in 2027 (no 29 Feb) the birthday is 1 March.
    assert age_band(D(2004, 2, 29), D(2027, 2, 28)) == "<23"
    assert age_band(D(2004, 2, 29), D(2027, 3, 1)) == "23+"
    assert age_band(None, D(2025, 6, 15)) == "unknown"


def test_result_indicators_full_document_with_breakdowns():
    # A = 1 Jan 2025, B = 1 Jul 2025, m = 1 Sep 2025.
    # T1: end 31 Jan 2025, born 1 Jan 2000 (25 on the end date: 23+), NEET, Jongerenadviseurs, Noord.
    #   work 15 Jan; still_there 15 Feb; not_there 15 Jul; unanswered 15 Jan 2026.
    #   4w: M = 28 Feb: latest still_there 15 Feb -> positive (both sets).
    #   12m: M = 31 Jan 2026 > m -> provisional; up to m latest not_there 15 Jul -> negative (both sets).
    # T2: end 1 Mar 2025, born 5 May 2005 (19: <23), NEET, Jongerenadviseurs, Zuid.
    #   school 1 Feb; still_there 1 Mar; not_there 1 Aug.
    #   work: negative on both moments (12m provisional: M = 1 Mar 2026 > m).
    #   work_or_school_4w: M = 29 Mar: latest still_there 1 Mar -> positive.
    #   work_or_school_12m: provisional; latest not_there 1 Aug -> negative.
    # T3: end 10 May 2025, no birth date, no target group, Werkleertraject, no team; out_of_sight 20 May.
    #   4w: M = 7 Jun: out_of_sight -> unknown; 12m: M = 10 May 2026 > m, provisional, unknown.
    # Not in the population: end on B, no end, end before A (each with work, so an error would show).
    trajectories = [
        trajectory(
            "T1",
            start=D(2024, 6, 1),
            end=D(2025, 1, 31),
            birth_date=D(2000, 1, 1),
            target_group="NEET",
            approach="Jongerenadviseurs",
            team="Noord",
            outcomes=[("work", D(2025, 1, 15))],
            checks=[
                ("work", D(2025, 2, 15), "still_there"),
                ("work", D(2025, 7, 15), "not_there"),
                ("work", D(2026, 1, 15), None),
            ],
        ),
        trajectory(
            "T2",
            start=D(2024, 9, 1),
            end=D(2025, 3, 1),
            birth_date=D(2005, 5, 5),
            target_group="NEET",
            approach="Jongerenadviseurs",
            team="Zuid",
            outcomes=[("school", D(2025, 2, 1))],
            checks=[("school", D(2025, 3, 1), "still_there"), ("school", D(2025, 8, 1), "not_there")],
        ),
        trajectory(
            "T3",
            start=D(2024, 1, 1),
            end=D(2025, 5, 10),
            approach="Werkleertraject",
            outcomes=[("out_of_sight", D(2025, 5, 20))],
        ),
        trajectory("T4", start=D(2025, 1, 1), end=D(2025, 7, 1), outcomes=[("work", D(2025, 6, 1))]),
        trajectory("T5", start=D(2025, 1, 1), end=None, outcomes=[("work", D(2025, 6, 1))]),
        trajectory("T6", start=D(2024, 1, 1), end=D(2024, 12, 31), outcomes=[("work", D(2024, 6, 1))]),
    ]
    doc = result_indicators_json(
        result_indicators(trajectories, date_from=D(2025, 1, 1), date_to=D(2025, 7, 1), measured_at=D(2025, 9, 1))
    )
    t1 = {
        "work_4w": ind(1, 1, 0, 0, 1.0, 0),
        "work_12m": ind(1, 0, 1, 0, 0.0, 1),
        "work_or_school_4w": ind(1, 1, 0, 0, 1.0, 0),
        "work_or_school_12m": ind(1, 0, 1, 0, 0.0, 1),
    }
    t2 = {
        "work_4w": ind(1, 0, 1, 0, 0.0, 0),
        "work_12m": ind(1, 0, 1, 0, 0.0, 1),
        "work_or_school_4w": ind(1, 1, 0, 0, 1.0, 0),
        "work_or_school_12m": ind(1, 0, 1, 0, 0.0, 1),
    }
    t3 = {
        "work_4w": ind(1, 0, 0, 1, None, 0),
        "work_12m": ind(1, 0, 0, 1, None, 1),
        "work_or_school_4w": ind(1, 0, 0, 1, None, 0),
        "work_or_school_12m": ind(1, 0, 0, 1, None, 1),
    }
    # T1 + T2: work_4w 1 pos / 1 neg = 0.5; work_12m 0 / 2 neg = 0.0, 2 provisional;
    # work_or_school_4w 2 pos = 1.0; work_or_school_12m 2 neg = 0.0, 2 provisional.
    t1_t2 = {
        "work_4w": ind(2, 1, 1, 0, 0.5, 0),
        "work_12m": ind(2, 0, 2, 0, 0.0, 2),
        "work_or_school_4w": ind(2, 2, 0, 0, 1.0, 0),
        "work_or_school_12m": ind(2, 0, 2, 0, 0.0, 2),
    }
    assert list(doc) == ["from", "to", "measured_at", "indicators", "breakdowns"]
    assert doc["from"] == "2025-01-01"
    assert doc["to"] == "2025-07-01"
    assert doc["measured_at"] == "2025-09-01"
    # All three: work_4w pos T1, neg T2, unk T3 -> 1 / (1 + 1) = 0.5; work_12m 0 / 2 = 0.0, 3 provisional;
    # work_or_school_4w 2 / 2 = 1.0 (T3 unknown apart); work_or_school_12m 0 / 2, 3 provisional.
    assert doc["indicators"] == {
        "work_4w": ind(3, 1, 1, 1, 0.5, 0),
        "work_12m": ind(3, 0, 2, 1, 0.0, 3),
        "work_or_school_4w": ind(3, 2, 0, 1, 1.0, 0),
        "work_or_school_12m": ind(3, 0, 2, 1, 0.0, 3),
    }
    assert doc["breakdowns"] == {
        "age_band": {"23+": t1, "<23": t2, "unknown": t3},
        "target_group": {"NEET": t1_t2, "unknown": t3},
        "approach": {"Jongerenadviseurs": t1_t2, "Werkleertraject": t3},
        "team": {"Noord": t1, "Zuid": t2, "unknown": t3},
    }


def test_share_is_null_when_positive_plus_negative_is_0():
    # Only an out_of_sight: unknown 1, positive + negative = 0 -> share null.
    t = trajectory("T1", start=D(2025, 1, 1), end=D(2025, 2, 1), outcomes=[("moved", D(2025, 2, 10))])
    doc = result_indicators_json(
        result_indicators([t], date_from=D(2025, 1, 1), date_to=D(2025, 7, 1), measured_at=D(2025, 3, 1))
    )
    # 12m: M = 1 Feb 2026 > m (1 Mar 2025): provisional; still unknown (moved on 10 Feb).
    assert doc["indicators"]["work_4w"] == ind(1, 0, 0, 1, None, 0)
    assert doc["indicators"]["work_12m"] == ind(1, 0, 0, 1, None, 1)
    # An empty population: every count 0, share null, empty breakdowns.
    empty = result_indicators_json(
        result_indicators([], date_from=D(2025, 1, 1), date_to=D(2025, 7, 1), measured_at=D(2025, 3, 1))
    )
    assert empty["indicators"]["work_or_school_12m"] == ind(0, 0, 0, 0, None, 0)
    assert empty["breakdowns"] == {"age_band": {}, "target_group": {}, "approach": {}, "team": {}}


def test_indicator_share_rounds_half_up_to_0_001():
    # 2 / (2 + 1) = 0.6666... -> 0.667; 1 / (1 + 1999) = 0.0005 exactly -> 0.001 (half up, not to even).
    assert indicator_json(Indicator(ended=3, positive=2, negative=1))["share"] == 0.667
    assert indicator_json(Indicator(ended=2000, positive=1, negative=1999))["share"] == 0.001


def test_result_indicators_reject_an_empty_period():
    with pytest.raises(ValueError, match="empty"):
        result_indicators([], date_from=D(2025, 1, 1), date_to=D(2025, 1, 1), measured_at=D(2025, 1, 1))


# --- VCV -----------------------------------------------------------------------------------------------


def period(worker, youth, *, birth, trajectory_start=TRAJECTORY_START, phase="begeleiding", role="coaching", **kw):
    return VcvPeriod(
        worker_id=worker,
        youth_id=youth,
        trajectory_id=f"{youth}-t",
        phase=phase,
        role=role,
        start=kw.pop("start", trajectory_start),
        end=kw.pop("end", None),
        trajectory_start=trajectory_start,
        birth_date=birth,
        **kw,
    )


def test_fte_on_and_fte_days_follow_section_3():
    periods = (FtePeriod(D(2024, 6, 1), Decimal("0.8")), FtePeriod(D(2025, 2, 15), Decimal("1.0")))
    assert fte_on(periods, D(2024, 5, 31)) == 0  # before the first period
    assert fte_on(periods, D(2025, 2, 14)) == Decimal("0.8")
    assert fte_on(periods, D(2025, 2, 15)) == Decimal("1.0")
    # [1 Jan, 1 Apr 2025): 0.8 x 45 days (31 Jan + 14 Feb) + 1.0 x 45 days (14 Feb + 31 Mar) = 36 + 45 = 81.
    assert fte_days(periods, D(2025, 1, 1), D(2025, 4, 1)) == Decimal("81.0")
    # The caseload engine's fte(day) sum gives the same (as a float).
    frame = pd.DataFrame({"worker_id": ["w1", "w1"], "start": [D(2024, 6, 1), D(2025, 2, 15)], "fte": [0.8, 1.0]})
    assert fte_days_between(frame, D(2025, 1, 1), D(2025, 4, 1))["w1"] == pytest.approx(81.0)


def test_vcv_worker_whose_fte_changes_inside_the_period():
    # [1 Jan, 1 Apr 2025) has 90 days. fte 0.8 from 1 Jun 2024, 1.0 from 15 Feb 2025 (0.6 from 1 May: after B).
    # sum fte(day) = 0.8 x 45 + 1.0 x 45 = 81; fte = 81 / 90 = 0.9.
    # personnel_costs = 81 x 78,000 / 365 = 6,318,000 / 365 = 17,309.5890... -> 17,309.59.
    # Youths (rule: max age 28, target group NEET, flat rate):
    #   Y1 born 1 Jan 2005, two periods: 20 on A -> eligible (counted once);
    #   Y2 born 1 Dec 1996, trajectory from 1 Mar 2024: 27 at its start but 28 on A (the later) -> not;
    #   Y3 born 1 Jun 1997, trajectory from 1 Feb 2025 (the later): 27 -> eligible.
    #   Not counted: Y4 in aanmelding, Y5 period ending on A, Y6 without a role, Y7 of a worker out of scope.
    # youths 3, eligible 2, share 2/3 = 0.667;
    # accountable = 6,318,000 / 365 x 2 / 3 = 12,636,000 / 1,095 = 11,539.7260... -> 11,539.73;
    # flat_rate = 0.40 x 11,539.7260... = 4,615.8904... -> 4,615.89;
    # total = 1.40 x 11,539.7260... = 16,155.6164... -> 16,155.62.
    worker = VcvWorker(
        "w1",
        "Noord",
        (FtePeriod(D(2024, 6, 1), Decimal("0.8")), FtePeriod(D(2025, 2, 15), 1.0), FtePeriod(D(2025, 5, 1), 0.6)),
    )
    periods = [
        period("w1", "Y1", birth=D(2005, 1, 1), target_group="NEET", end=D(2025, 2, 1)),
        period("w1", "Y1", birth=D(2005, 1, 1), target_group="NEET", start=D(2025, 2, 1), role="regie"),
        period("w1", "Y2", birth=D(1996, 12, 1), target_group="NEET", trajectory_start=D(2024, 3, 1)),
        period("w1", "Y3", birth=D(1997, 6, 1), target_group="NEET", trajectory_start=D(2025, 2, 1)),
        period("w1", "Y4", birth=D(2005, 1, 1), target_group="NEET", phase="aanmelding"),
        period("w1", "Y5", birth=D(2005, 1, 1), target_group="NEET", end=D(2025, 1, 1)),
        period("w1", "Y6", birth=D(2005, 1, 1), target_group="NEET", role=None),
        period("w9", "Y7", birth=D(2005, 1, 1), target_group="NEET"),
    ]
    result = vcv(
        workers=[worker],
        periods=periods,
        date_from=D(2025, 1, 1),
        date_to=D(2025, 4, 1),
        rule=VcvRule(max_age=28, target_groups=("NEET",), flat_rate=True),
    )
    figures = {
        "fte": 0.9,
        "personnel_costs": 17309.59,
        "youths": 3,
        "eligible_youths": 2,
        "share": 0.667,
        "accountable": 11539.73,
        "flat_rate": 4615.89,
        "total": 16155.62,
    }
    assert vcv_json(result) == {
        "from": "2025-01-01",
        "to": "2025-04-01",
        "rule": {"max_age": 28, "target_groups": ["NEET"], "flat_rate": True},
        "workers": [{"worker_id": "w1", "team": "Noord"} | figures],
        "teams": [{"team": "Noord"} | figures],
        "total": figures,
    }
    assert vcv_csv_rows(vcv_json(result))[0] == {
        "Regel": "medewerker",
        "Medewerker": "w1",
        "Team": "Noord",
        "Fte": "0,900",
        "Personeelskosten": "17309,59",
        "Jongeren": "3",
        "Subsidiabele jongeren": "2",
        "Aandeel subsidiabel": "0,667",
        "Toe te rekenen kosten": "11539,73",
        "Opslag 40%": "4615,89",
        "Totaal": "16155,62",
    }


def test_vcv_team_whose_youths_are_shared_by_two_workers():
    # [1 Jan, 15 Mar 2025) has 31 + 28 + 14 = 73 days = 365 / 5, so 1 fte costs 78,000 / 5 = 15,600.
    # w1 (Noord, 1.0 fte): Y1, Y2; w2 (Noord, 0.5 fte): Y2, Y3; w3 (no team, 1.0 fte): no youths.
    # Default rule (max age 28, any target group, no flat rate): Y1 (20) and Y2 (19) eligible, Y3 (35) not.
    # w1: 15,600; 2 youths, 2 eligible, share 1.0, accountable 15,600.
    # w2: 7,800; 2 youths, 1 eligible, share 0.5, accountable 3,900.
    # w3: 15,600; 0 youths, share null, accountable 0 (a row all the same).
    # Noord: fte 1.5, costs 23,400, youths {Y1, Y2, Y3} = 3 (not 4), eligible {Y1, Y2} = 2 (not 3),
    #   share 0.667, accountable 15,600 + 3,900 = 19,500 (the workers' sum, not 23,400 x 2/3 = 15,600).
    # Total: fte 2.5, costs 39,000, youths 3, eligible 2, share 0.667, accountable 19,500.
    workers = [
        VcvWorker("w2", "Noord", (FtePeriod(D(2024, 1, 1), Decimal("0.5")),)),
        VcvWorker("w1", "Noord", (FtePeriod(D(2024, 1, 1), Decimal(1)),)),
        VcvWorker("w3", None, (FtePeriod(D(2024, 1, 1), Decimal(1)),)),
    ]
    periods = [
        period("w1", "Y1", birth=D(2005, 1, 1)),
        period("w1", "Y2", birth=D(2006, 1, 1)),
        period("w2", "Y2", birth=D(2006, 1, 1)),
        period("w2", "Y3", birth=D(1990, 1, 1)),
    ]
    result = vcv(workers=workers, periods=periods, date_from=D(2025, 1, 1), date_to=D(2025, 3, 15))

    def row(fte, costs, youths, eligible, share, accountable):
        return {
            "fte": fte,
            "personnel_costs": costs,
            "youths": youths,
            "eligible_youths": eligible,
            "share": share,
            "accountable": accountable,
            "flat_rate": 0.0,
            "total": accountable,
        }

    assert vcv_json(result) == {
        "from": "2025-01-01",
        "to": "2025-03-15",
        "rule": {"max_age": 28, "target_groups": [], "flat_rate": False},
        "workers": [
            {"worker_id": "w1", "team": "Noord"} | row(1.0, 15600.0, 2, 2, 1.0, 15600.0),
            {"worker_id": "w2", "team": "Noord"} | row(0.5, 7800.0, 2, 1, 0.5, 3900.0),
            {"worker_id": "w3", "team": None} | row(1.0, 15600.0, 0, 0, None, 0.0),
        ],
        "teams": [{"team": "Noord"} | row(1.5, 23400.0, 3, 2, 0.667, 19500.0)],
        "total": row(2.5, 39000.0, 3, 2, 0.667, 19500.0),
    }
    rows = vcv_csv_rows(vcv_json(result))
    # One row per worker, then the team, then the total.
    assert [(r["Regel"], r["Medewerker"], r["Team"]) for r in rows] == [
        ("medewerker", "w1", "Noord"),
        ("medewerker", "w2", "Noord"),
        ("medewerker", "w3", ""),
        ("team", "", "Noord"),
        ("totaal", "", ""),
    ]
    assert rows[2]["Aandeel subsidiabel"] == ""  # no youths: no share
    assert rows[4] == {
        "Regel": "totaal",
        "Medewerker": "",
        "Team": "",
        "Fte": "2,500",
        "Personeelskosten": "39000,00",
        "Jongeren": "3",
        "Subsidiabele jongeren": "2",
        "Aandeel subsidiabel": "0,667",
        "Toe te rekenen kosten": "19500,00",
        "Opslag 40%": "0,00",
        "Totaal": "19500,00",
    }


def test_vcv_annual_cost_per_fte_is_the_organisation_s():
    # 1 fte over [1 Jan, 15 Mar 2025) = 73 days at 73,000 a year: 73 x 73,000 / 365 = 14,600.
    workers = [VcvWorker("w1", "Noord", (FtePeriod(D(2024, 1, 1), 1),))]
    result = vcv(
        workers=workers, periods=[], date_from=D(2025, 1, 1), date_to=D(2025, 3, 15), annual_cost_per_fte=73000
    )
    assert vcv_json(result)["workers"][0]["personnel_costs"] == 14600.0


def test_vcv_eligibility_rule():
    a = D(2025, 1, 1)
    rule = VcvRule(max_age=27, target_groups=("NEET", "nieuwkomers"))
    # Age on the later of the trajectory's start and A must be below max_age (27):
    # born 2 Jan 1998: 26 on 1 Jan 2025 -> eligible; started 2 Jan 2025 (later than A): 27 -> not.
    assert is_eligible(rule, birth_date=D(1998, 1, 2), trajectory_start=D(2024, 1, 1), date_from=a, target_group="NEET")
    assert not is_eligible(
        rule, birth_date=D(1998, 1, 2), trajectory_start=D(2025, 1, 2), date_from=a, target_group="NEET"
    )
    # Target group not in the rule's list, or none: not eligible; any group when the rule names none.
    assert not is_eligible(rule, birth_date=D(2005, 1, 1), trajectory_start=a, date_from=a, target_group="overig")
    assert not is_eligible(rule, birth_date=D(2005, 1, 1), trajectory_start=a, date_from=a, target_group=None)
    assert is_eligible(VcvRule(), birth_date=D(2005, 1, 1), trajectory_start=a, date_from=a, target_group=None)
    # No birth date: the age cannot be shown to be below the maximum.
    assert not is_eligible(VcvRule(), birth_date=None, trajectory_start=a, date_from=a, target_group=None)
    # A rule with funding sources (ESF only).
    esf = VcvRule(funding_sources=("esf",))
    assert is_eligible(
        esf, birth_date=D(2005, 1, 1), trajectory_start=a, date_from=a, target_group=None, funding_source="esf"
    )
    assert not is_eligible(
        esf, birth_date=D(2005, 1, 1), trajectory_start=a, date_from=a, target_group=None, funding_source="gemeente"
    )


def test_load_bearing_and_overlap():
    assert is_load_bearing("begeleiding", "coaching")
    assert not is_load_bearing("aanmelding", "coaching")
    assert not is_load_bearing("afgesloten", "regie")
    assert not is_load_bearing("time-out", "regie")
    assert not is_load_bearing("begeleiding", None)
    assert not is_load_bearing("begeleiding", "")
    with pytest.raises(ValueError, match="unknown role"):
        is_load_bearing("begeleiding", "chef")
    a, b = D(2025, 1, 1), D(2025, 4, 1)
    assert not overlaps(D(2024, 1, 1), a, a, b)  # ends on A: its last day is 31 Dec
    assert overlaps(D(2024, 1, 1), D(2025, 1, 2), a, b)  # covers 1 Jan
    assert not overlaps(b, None, a, b)  # starts on B
    assert overlaps(D(2025, 3, 31), None, a, b)  # open end, covers 31 Mar
    assert not overlaps(D(2025, 2, 1), D(2025, 2, 1), a, b)  # covers no day


# --- Time to first contact ---------------------------------------------------------------------------


def test_nearest_rank_percentiles_on_a_small_list():
    # [3, 1, 4, 1, 5] sorted [1, 1, 3, 4, 5]: median rank ceil(0.5 x 5) = 3 -> 3; p90 rank ceil(4.5) = 5 -> 5.
    assert nearest_rank([3, 1, 4, 1, 5], 50) == 3
    assert nearest_rank([3, 1, 4, 1, 5], 90) == 5
    # 1..10: median rank 5 -> 5 (the lower middle); p90 rank 9 -> 9.
    assert nearest_rank(list(range(1, 11)), 50) == 5
    assert nearest_rank(list(range(1, 11)), 90) == 9
    # One value: every percentile is that value. No values: None.
    assert nearest_rank([7], 50) == 7
    assert nearest_rank([7], 90) == 7
    assert nearest_rank([], 50) is None
    assert nearest_rank([2, 9, 4], 100) == 9


def test_first_contact_totals_per_team_and_referral_route():
    # A = 1 Jan 2025, B = 1 Apr 2025, m = 10 Apr 2025. days = first contact - melding:
    y = ReportedYouth
    youths = [
        y("Y1", D(2025, 1, 1), D(2025, 1, 1), "Noord", "school"),  # 0
        y("Y2", D(2025, 1, 10), D(2025, 1, 11), "Noord", "school"),  # 1
        y("Y3", D(2025, 2, 1), D(2025, 2, 3), "Noord", "self"),  # 2
        y("Y4", D(2025, 2, 10), D(2025, 2, 15), "Zuid", "self"),  # 5
        y("Y5", D(2025, 3, 1), D(2025, 3, 9), "Zuid", "school"),  # 8
        y("Y6", D(2025, 3, 5), D(2025, 3, 14), "Zuid", "DUO/RMC-melding"),  # 9
        y("Y7", D(2025, 3, 10), D(2025, 3, 30), "Noord", "school"),  # 20
        y("Y8", D(2025, 3, 11), D(2025, 4, 10), "Noord", None),  # 30, contact on m itself counts
        y("Y9", D(2025, 3, 20), None, "Zuid", "self"),  # waiting
        y("Y10", D(2025, 3, 25), D(2025, 4, 11), "Zuid", "school"),  # contact after m: waiting
        y("Y11", D(2025, 4, 1), D(2025, 4, 2), "Noord", "school"),  # reported on B: not in the population
        y("Y12", D(2024, 12, 31), D(2025, 1, 2), "Noord", "school"),  # before A
        y("Y13", None, D(2025, 1, 2), "Noord", "school"),  # no melding date
    ]
    doc = first_contact_json(
        first_contact(youths, date_from=D(2025, 1, 1), date_to=D(2025, 4, 1), measured_at=D(2025, 4, 10))
    )

    def figures(reported, contacted, waiting, median, p90, within):
        return {
            "reported": reported,
            "contacted": contacted,
            "waiting": waiting,
            "median_days": median,
            "p90_days": p90,
            "within_7_days": within,
        }

    # Total: 10 reported, 8 contacted [0, 1, 2, 5, 8, 9, 20, 30], 2 waiting;
    # median rank ceil(4) = 4 -> 5; p90 rank ceil(7.2) = 8 -> 30; within 7: 0, 1, 2, 5 -> 4 / 8 = 0.5.
    assert doc == {
        "from": "2025-01-01",
        "to": "2025-04-01",
        "measured_at": "2025-04-10",
        **figures(10, 8, 2, 5, 30, 0.5),
        "breakdowns": {
            "team": {
                # Noord [0, 1, 2, 20, 30]: median rank 3 -> 2; p90 rank ceil(4.5) = 5 -> 30; 3 / 5 = 0.6.
                "Noord": figures(5, 5, 0, 2, 30, 0.6),
                # Zuid [5, 8, 9] + 2 waiting: median rank 2 -> 8; p90 rank ceil(2.7) = 3 -> 9; 1 / 3 = 0.333.
                "Zuid": figures(5, 3, 2, 8, 9, 0.333),
            },
            "referral_route": {
                # DUO/RMC-melding [9]: 0 / 1 within 7 days.
                "DUO/RMC-melding": figures(1, 1, 0, 9, 9, 0.0),
                # school [0, 1, 8, 20] + Y10 waiting: median rank 2 -> 1; p90 rank ceil(3.6) = 4 -> 20; 2 / 4.
                "school": figures(5, 4, 1, 1, 20, 0.5),
                # self [2, 5] + Y9 waiting: median rank 1 -> 2; p90 rank ceil(1.8) = 2 -> 5; 2 / 2.
                "self": figures(3, 2, 1, 2, 5, 1.0),
                # Y8 without a route: [30].
                "unknown": figures(1, 1, 0, 30, 30, 0.0),
            },
        },
    }


def test_first_contact_within_7_days_includes_day_7_and_nobody_contacted_gives_nulls():
    y = ReportedYouth
    youths = [y("Y1", D(2025, 1, 1), D(2025, 1, 8)), y("Y2", D(2025, 1, 1), D(2025, 1, 9))]  # 7 and 8 days
    doc = first_contact_json(
        first_contact(youths, date_from=D(2025, 1, 1), date_to=D(2025, 2, 1), measured_at=D(2025, 2, 1))
    )
    assert doc["within_7_days"] == 0.5  # 1 of 2
    waiting = first_contact_json(
        first_contact(
            [y("Y1", D(2025, 1, 1), None)], date_from=D(2025, 1, 1), date_to=D(2025, 2, 1), measured_at=D(2025, 2, 1)
        )
    )
    assert (waiting["reported"], waiting["contacted"], waiting["waiting"]) == (1, 0, 1)
    assert (waiting["median_days"], waiting["p90_days"], waiting["within_7_days"]) == (None, None, None)


# --- Working elements ----------------------------------------------------------------------------------


def test_working_elements_suppress_groups_of_fewer_than_10():
    # 19 trajectories ended 1 Jun 2025 (A = 1 Jan 2025, B = 1 Jan 2026, m = 1 Jun 2026);
    # work_or_school_4w: M = 29 Jun 2025. Work on 10 Jun is positive, no event negative, out_of_sight unknown.
    # With "vaste begeleider" (10): 6 positive, 3 negative, 1 unknown -> 6 / 9 = 0.667 (10 is not < 10).
    # Without (9): 4 positive, 5 negative -> fewer than 10: no share.
    # "maatwerk" (the organisation's, used by none): with 0 (suppressed); without 19:
    #   positive 6 + 4 = 10, negative 3 + 5 = 8, unknown 1 -> 10 / 18 = 0.5555... -> 0.556.
    # "groepstraining" (only on one positive trajectory without vaste begeleider, not in the list):
    #   with 1 (suppressed); without 18: positive 9, negative 8 -> 9 / 17 = 0.52941... -> 0.529.
    def t(n, outcomes, elements):
        return trajectory(
            f"T{n}",
            start=D(2025, 1, 1),
            end=D(2025, 6, 1),
            outcomes=outcomes,
            working_elements=frozenset(elements),
        )

    work = [("work", D(2025, 6, 10))]
    lost = [("out_of_sight", D(2025, 6, 10))]
    vb = {"vaste begeleider"}
    trajectories = (
        [t(n, work, vb) for n in range(6)]
        + [t(n, [], vb) for n in range(6, 9)]
        + [t(9, lost, vb)]
        + [t(10, work, {"groepstraining"})]
        + [t(n, work, ()) for n in range(11, 14)]
        + [t(n, [], ()) for n in range(14, 19)]
        # Ended on B: not in the population.
        + [trajectory("T99", start=D(2025, 1, 1), end=D(2026, 1, 1), working_elements=frozenset(vb))]
    )
    doc = working_elements_json(
        working_elements(
            trajectories,
            date_from=D(2025, 1, 1),
            date_to=D(2026, 1, 1),
            measured_at=D(2026, 6, 1),
            elements=("vaste begeleider", "maatwerk"),
        )
    )
    assert doc == {
        "from": "2025-01-01",
        "to": "2026-01-01",
        "measured_at": "2026-06-01",
        "indicator": "work_or_school_4w",
        "elements": [
            {
                "element": "vaste begeleider",
                "with": {"trajectories": 10, "share": 0.667, "suppressed": False},
                "without": {"trajectories": 9, "share": None, "suppressed": True},
            },
            {
                "element": "maatwerk",
                "with": {"trajectories": 0, "share": None, "suppressed": True},
                "without": {"trajectories": 19, "share": 0.556, "suppressed": False},
            },
            {
                "element": "groepstraining",
                "with": {"trajectories": 1, "share": None, "suppressed": True},
                "without": {"trajectories": 18, "share": 0.529, "suppressed": False},
            },
        ],
    }


def test_trajectory_positions_are_the_position_rule_for_each_set_and_moment():
    # The indicators gather a set's events once for both moments; that must be ``position`` itself.
    rng = random.Random(14)
    kinds = ["work", "school", "improved_position", "out_of_sight", "moved", "volunteering"]
    answers = ["still_there", "not_there", "unknown", None]
    for n in range(300):
        start = D(2024, 1, 1) + dt.timedelta(days=rng.randrange(100))
        end = start + dt.timedelta(days=rng.randrange(400))
        outcomes = tuple(
            OutcomeRecord(rng.choice(kinds), start + dt.timedelta(days=rng.randrange(-20, 500))) for _ in range(3)
        )
        checks = tuple(
            CheckRecord(rng.choice(kinds[:3]), start + dt.timedelta(days=rng.randrange(500)), rng.choice(answers))
            for _ in range(3)
        )
        measured_at = start + dt.timedelta(days=rng.randrange(900))
        record = TrajectoryRecord(n, start, end, outcomes=outcomes, checks=checks)
        found = trajectory_positions(record, measured_at)
        for name, types in (("work", WORK), ("work_or_school", WORK_OR_SCHOOL)):
            for moment, days in (("4w", 28), ("12m", 365)):
                day = end + dt.timedelta(days=days)
                expected = position(
                    start=start, outcomes=outcomes, checks=checks, types=types, moment=day, measured_at=measured_at
                )
                assert found[f"{name}_{moment}"].value == expected
                assert found[f"{name}_{moment}"].provisional == (day > measured_at)
