"""A youth's complexity has a history (SPEC.md section 3): "a period's load on day d uses the
complexity that holds on d (in period mode the overlap is split at the change), so re-rating a
youth never rewrites the past". Pure engine tests, values by hand."""

import datetime as dt

import pandas as pd

from caseload.calculations import CaseloadSettings, split_at_complexity_changes
from tests.caseload.test_calculations import for_period, on_date, period, periods_frame, worker

D = dt.date
# complex weighs double, so a change is visible in the hours.
SETTINGS = CaseloadSettings(complexity_factors={"licht": 1.0, "meervoudig": 1.5, "complex": 2.0})


def changes(*rows):
    return pd.DataFrame(list(rows), columns=["youth_id", "valid_from", "complexity"])


# y1: coaching 40 h/yr from 1 January 2025, open; licht from the start, complex from 1 March 2025.
PERIODS = periods_frame(period("t1", "y1", "w1", D(2025, 1, 1), None))
Y1_REVISED = changes(("y1", None, "licht"), ("y1", D(2025, 3, 1), "complex"))


def test_without_changes_the_periods_are_the_same_frame():
    assert split_at_complexity_changes(PERIODS, changes()) is PERIODS
    assert split_at_complexity_changes(PERIODS, changes(("y9", D(2025, 3, 1), "complex"))) is PERIODS


def test_a_period_is_cut_at_the_change_and_each_piece_has_its_complexity():
    split = split_at_complexity_changes(PERIODS, Y1_REVISED)
    assert split[["start", "end", "complexity"]].to_dict("records") == [
        {"start": D(2025, 1, 1), "end": D(2025, 3, 1), "complexity": "licht"},
        {"start": D(2025, 3, 1), "end": None, "complexity": "complex"},
    ]
    # A change before the period's start or on it cuts nothing; it gives the piece its complexity.
    late = periods_frame(period("t1", "y1", "w1", D(2025, 3, 1), D(2025, 6, 1)))
    (only,) = split_at_complexity_changes(late, Y1_REVISED).to_dict("records")
    assert (only["start"], only["end"], only["complexity"]) == (D(2025, 3, 1), D(2025, 6, 1), "complex")


def test_point_in_time_uses_the_complexity_of_that_day():
    split = split_at_complexity_changes(PERIODS, Y1_REVISED)
    # 28 February: licht, 40 * 1.0 = 40 h/yr; 1 March: complex, 40 * 2.0 = 80 h/yr.
    assert worker(on_date(split, D(2025, 2, 28), settings=SETTINGS), "w1")["expected_hours"] == 40.0
    assert worker(on_date(split, D(2025, 3, 1), settings=SETTINGS), "w1")["expected_hours"] == 80.0


def test_period_mode_splits_the_overlap_at_the_change():
    split = split_at_complexity_changes(PERIODS, Y1_REVISED)
    # February (28 days, all licht): 40 * 28 / 365 = 3.068 -> 3.1.
    assert worker(for_period(split, D(2025, 2, 1), D(2025, 3, 1), settings=SETTINGS), "w1")["expected_hours"] == 3.1
    # February + March: 40 * 28 / 365 + 80 * 31 / 365 = 3.068 + 6.795 = 9.863 -> 9.9 (not 80 * 59 / 365 = 12.9).
    document = for_period(split, D(2025, 2, 1), D(2025, 4, 1), settings=SETTINGS)
    assert worker(document, "w1")["expected_hours"] == 9.9
    # One youth, however many pieces.
    assert worker(document, "w1")["youths_total"] == 1


def test_a_dated_change_without_a_start_entry_keeps_the_periods_own_complexity_before_it():
    split = split_at_complexity_changes(PERIODS, changes(("y1", D(2025, 3, 1), "meervoudig")))
    assert list(split["complexity"]) == ["licht", "meervoudig"]


def test_the_pieces_keep_a_role_run_in_one_piece():
    # Long in role counts the run from 1 January, not from the cut: the flags are the same as unsplit.
    split = split_at_complexity_changes(PERIODS, Y1_REVISED)
    # 1 January 2025 + 274 days = 2 October 2025: flagged, although the complex piece began 1 March.
    for day in (D(2025, 10, 1), D(2025, 10, 2)):
        expected = worker(on_date(PERIODS, day), "w1")["long_in_role_youths"]
        assert worker(on_date(split, day), "w1")["long_in_role_youths"] == expected
    assert worker(on_date(split, D(2025, 10, 2)), "w1")["long_in_role_youths"] == 1


import pytest  # noqa: E402

from tests.factories import (  # noqa: E402
    ApproachFactory,
    FtePeriodFactory,
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TrajectoryFactory,
    WorkerFactory,
    YouthFactory,
)


@pytest.mark.django_db
def test_the_chart_projects_from_what_was_known_on_its_day():
    # Coaching from 1 September 2024, open; complex (x2) from 1 March 2025. Seen from 15 February
    # 2025 the run is projected to end at 1.5 x 182 days as if nothing changed later: the months
    # after February are the same as without the change (the change was not known on that day).
    from caseload import selectors
    from cases.models import ComplexityChange

    organisation = OrganisationFactory(name="Projectiestad", factor_complex=2)
    team = TeamFactory(organisation=organisation)
    worker = WorkerFactory(team=team)
    FtePeriodFactory(worker=worker, start_date=D(2024, 1, 1), fte=1)
    youth = YouthFactory(organisation=organisation, complexity="licht")
    trajectory = TrajectoryFactory(
        youth=youth, worker=worker, approach=ApproachFactory(organisation=organisation), start_date=D(2024, 9, 1)
    )
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2024, 9, 1))
    day = D(2025, 2, 15)
    scope = selectors.CaseloadScope(team_ids=(team.pk,))
    window = selectors.chart_window(day)

    def chart():
        inputs = selectors.caseload_inputs(scope, window_from=window[0], window_to=window[1])
        return [(m.month, round(m.expected_hours, 6)) for m in selectors.team_load_by_month(inputs, day=day)]

    without = chart()
    ComplexityChange.objects.create(youth=youth, valid_from=None, complexity="licht")
    ComplexityChange.objects.create(youth=youth, valid_from=D(2025, 3, 1), complexity="complex")
    assert chart() == without
