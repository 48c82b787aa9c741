"""The selectors that feed the caseload engine: scope, queries and the figures of SPEC.md section 3.

The data is the "Rekenstad" fixture (tests/caseload/conftest.py); every expected number is worked
out by hand in a comment.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseload.selectors import (
    CaseloadScope,
    TeamAmbiguous,
    TeamNotVisible,
    caseload_for_scope,
    caseload_inputs,
    caseload_scope_all,
    caseload_scope_for,
    chart_window,
    movable_youths,
    organisation_settings,
    team_load_by_month,
)
from cases.models import Role, Youth
from tests.factories import (
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TrajectoryFactory,
    YouthFactory,
)

D = dt.date
pytestmark = pytest.mark.django_db


def by_id(document, key="worker_id"):
    rows = document["workers"] if key == "worker_id" else document["teams"]
    return {row[key]: row for row in rows}


# --- Scope ------------------------------------------------------------------------------------


def test_scope_of_team_lead_is_their_team(rekenstad):
    scope = caseload_scope_for(rekenstad.lead_noord)
    assert scope.team_ids == (rekenstad.noord.pk,)
    assert scope.show_teams


def test_scope_of_analyst_is_the_whole_organisation(rekenstad):
    scope = caseload_scope_for(rekenstad.analyst)
    assert set(scope.team_ids) == {rekenstad.noord.pk, rekenstad.zuid.pk}


def test_scope_of_worker_is_only_themselves(rekenstad):
    scope = caseload_scope_for(rekenstad.worker_user)
    assert scope.worker_ids == (rekenstad.w1.pk,)
    assert not scope.show_teams


def test_team_outside_the_scope_is_not_visible(rekenstad):
    with pytest.raises(TeamNotVisible):
        caseload_scope_for(rekenstad.lead_noord, team=str(rekenstad.zuid.pk))
    with pytest.raises(TeamNotVisible):
        caseload_scope_for(rekenstad.lead_noord, team="Oost")
    with pytest.raises(TeamNotVisible):
        caseload_scope_for(rekenstad.analyst, team=str(rekenstad.oost.pk))


def test_team_by_name_or_id(rekenstad):
    assert caseload_scope_for(rekenstad.analyst, team="zuid").team_ids == (rekenstad.zuid.pk,)
    assert caseload_scope_for(rekenstad.analyst, team=str(rekenstad.noord.pk)).team_ids == (rekenstad.noord.pk,)
    assert caseload_scope_all(team="Oost").team_ids == (rekenstad.oost.pk,)


def test_ambiguous_team_name_needs_an_id(rekenstad):
    TeamFactory(organisation=OrganisationFactory(name="Derde gemeente"), name="Noord")
    with pytest.raises(TeamAmbiguous):
        caseload_scope_all(team="Noord")


def test_anonymous_like_user_without_organisation_sees_nothing(rekenstad):
    rekenstad.analyst.organisation = None
    document = caseload_for_scope(scope=caseload_scope_for(rekenstad.analyst), day=D(2025, 3, 1))
    assert document == {"mode": "date", "date": "2025-03-01", "workers": [], "teams": []}


# --- Settings -----------------------------------------------------------------------------------


def test_organisation_settings_with_approach_overrides(rekenstad):
    settings = organisation_settings([rekenstad.organisation.pk])[rekenstad.organisation.pk]
    assert settings.caseload.productive_hours_per_fte == 1200.0
    assert dict(settings.caseload.norm_hours) == {
        "coaching": 40.0,
        "uitvoering": 40.0,
        "regie": 12.0,
        "monitoring": 8.0,
    }
    assert dict(settings.caseload.complexity_factors) == {"licht": 1.0, "meervoudig": 1.0, "complex": 1.5}
    assert settings.caseload.overload_threshold == 1.10
    assert settings.hourly_rate == 65.0
    assert settings.contract_hours_per_fte == 1872.0
    b = rekenstad.trajectories["t3"].approach
    a = rekenstad.trajectories["t1"].approach
    assert dict(settings.caseload.approach_overrides[b.pk].norm_hours) == {"coaching": 80.0}
    assert settings.caseload.approach_overrides[b.pk].expected_duration_days == 100
    assert dict(settings.caseload.approach_overrides[a.pk].norm_hours) == {}
    assert settings.caseload.approach_overrides[a.pk].expected_duration_days == 182


# --- Figures, point in time -------------------------------------------------------------------


def test_team_lead_point_in_time(rekenstad):
    document = caseload_for_scope(scope=caseload_scope_for(rekenstad.lead_noord), day=D(2025, 3, 1))
    assert document["mode"] == "date"
    assert document["date"] == "2025-03-01"
    workers = by_id(document)
    assert set(workers) == {"W-1", "W-2"}
    # w1 on 2025-03-01: t1 coaching 40, t2 regie 12 * 1.5 (complex) = 18, t3 coaching 80 (approach B).
    # 40 + 18 + 80 = 138 hours a year; capacity 0.1 * 1200 = 120; utilisation 138 / 120 = 1.15.
    assert workers["W-1"] == {
        "worker_id": "W-1",
        "team": "Noord",
        "fte": 0.1,
        "capacity_hours": 120.0,
        "expected_hours": 138.0,
        "utilisation": 1.15,
        "youths_by_role": {"coaching": 2, "uitvoering": 0, "regie": 1, "monitoring": 0},
        "youths_total": 3,
        "youths_served": 3,
        "youths_per_fte_year": 30.0,  # 3 / (120 / 1200)
        "logged_hours": None,
        "overhead_share": None,
        # t3: coaching since 2024-01-01, 425 days > 1.5 * 100
        "long_in_role_youths": 1,
        "flags": ["overload", "long_in_role"],
    }
    # w2: t4 monitoring 8 since the handover (t6 is in aanmelding: no load); 0.5 fte = 600 h.
    assert workers["W-2"]["expected_hours"] == 8.0
    assert workers["W-2"]["capacity_hours"] == 600.0
    assert workers["W-2"]["utilisation"] == 0.013  # 8 / 600 = 0.01333
    assert workers["W-2"]["youths_by_role"] == {"coaching": 0, "uitvoering": 0, "regie": 0, "monitoring": 1}
    assert workers["W-2"]["youths_per_fte_year"] == 2.0  # 1 / 0.5
    assert workers["W-2"]["flags"] == ["underload"]
    # Team: 138 + 8 = 146 of 120 + 600 = 720 -> 0.2028; 4 distinct youths / 0.6 fte = 6.667.
    assert document["teams"] == [
        {
            "team": "Noord",
            "fte": 0.6,
            "capacity_hours": 720.0,
            "expected_hours": 146.0,
            "utilisation": 0.203,
            "youths_by_role": {"coaching": 2, "uitvoering": 0, "regie": 1, "monitoring": 1},
            "youths_total": 4,
            "youths_served": 4,
            "youths_per_fte_year": 6.667,
            "logged_hours": None,
            "overhead_share": None,
            "long_in_role_youths": 1,
            "flags": ["underload", "long_in_role"],
        }
    ]


def test_analyst_sees_every_team_of_the_organisation_only(rekenstad):
    document = caseload_for_scope(scope=caseload_scope_for(rekenstad.analyst), day=D(2025, 3, 1))
    assert [row["worker_id"] for row in document["workers"]] == ["W-1", "W-2", "W-3"]
    assert [row["team"] for row in document["teams"]] == ["Noord", "Zuid"]
    w3 = by_id(document)["W-3"]
    # w3 has no fte periods: capacity 0, utilisation null, no underload flag.
    assert (w3["expected_hours"], w3["capacity_hours"], w3["utilisation"], w3["flags"]) == (8.0, 0.0, None, [])


def test_worker_sees_only_their_own_figures(rekenstad):
    document = caseload_for_scope(scope=caseload_scope_for(rekenstad.worker_user), day=D(2025, 3, 1))
    assert [row["worker_id"] for row in document["workers"]] == ["W-1"]
    assert document["teams"] == []


def test_handover_moves_the_later_period_to_the_new_worker(rekenstad):
    # On 2025-02-14 the coaching period of t4 still names w1; from 2025-02-15 w2 has monitoring.
    before = by_id(caseload_for_scope(scope=caseload_scope_for(rekenstad.lead_noord), day=D(2025, 2, 14)))
    after = by_id(caseload_for_scope(scope=caseload_scope_for(rekenstad.lead_noord), day=D(2025, 2, 15)))
    # 2025-02-14: w1 has t1 coaching 40, t2 regie 18, t3 coaching 80, t4 coaching 40 (meervoudig 1.0).
    assert before["W-1"]["expected_hours"] == 178.0
    assert before["W-2"]["expected_hours"] == 0.0
    assert after["W-1"]["expected_hours"] == 138.0
    assert after["W-2"]["expected_hours"] == 8.0


# --- Figures, period -------------------------------------------------------------------------


def test_team_lead_period(rekenstad):
    document = caseload_for_scope(
        scope=caseload_scope_for(rekenstad.lead_noord), date_from=D(2025, 2, 1), date_to=D(2025, 3, 1)
    )
    assert (document["mode"], document["from"], document["to"]) == ("period", "2025-02-01", "2025-03-01")
    workers = by_id(document)
    # 28 days. w1: (40 + 18 + 80) * 28 / 365 for t1, t2, t3, plus t4 coaching 40 * 14 / 365
    # (2025-02-01 .. 2025-02-15) = (3864 + 560) / 365 = 12.12 h. Capacity 0.1 * 28 * 1200 / 365 =
    # 3360 / 365 = 9.21 h. Utilisation 4424 / 3360 = 1.3167. Logged in [02-01, 03-01): direct 90,
    # indirect 30, overhead 120 minutes -> 1.5, 0.5, 2.0 h; overhead share 2 / 4 = 0.5.
    # Youths per fte-year 4 / (0.1 * 28 / 365) = 521.43. Long in role on 2025-02-28: t3 (424 days).
    assert workers["W-1"] == {
        "worker_id": "W-1",
        "team": "Noord",
        "fte": 0.1,
        "capacity_hours": 9.2,
        "expected_hours": 12.1,
        "utilisation": 1.317,
        "youths_by_role": {"coaching": 3, "uitvoering": 0, "regie": 1, "monitoring": 0},
        "youths_total": 4,
        "youths_served": 4,
        "youths_per_fte_year": 521.429,
        "logged_hours": {"client_direct": 1.5, "client_indirect": 0.5, "overhead": 2.0},
        "overhead_share": 0.5,
        "long_in_role_youths": 1,
        "flags": ["overload", "overhead", "long_in_role"],
    }
    # w2: t4 monitoring 8 * 14 / 365 = 0.307 h; capacity 0.5 * 28 * 1200 / 365 = 46.03 h;
    # utilisation 112 / 16800 = 0.00667; 1 youth / (0.5 * 28 / 365) = 26.071; nothing logged.
    assert workers["W-2"]["expected_hours"] == 0.3
    assert workers["W-2"]["capacity_hours"] == 46.0
    assert workers["W-2"]["utilisation"] == 0.007
    assert workers["W-2"]["youths_per_fte_year"] == 26.071
    assert workers["W-2"]["logged_hours"] == {"client_direct": 0.0, "client_indirect": 0.0, "overhead": 0.0}
    assert workers["W-2"]["overhead_share"] is None
    assert workers["W-2"]["flags"] == ["underload"]
    # Team: (4424 + 112) / 365 = 12.43 h of (3360 + 16800) / 365 = 55.23 h -> 4536 / 20160 = 0.225;
    # y1..y4 distinct = 4 youths / (0.6 * 28 / 365) = 86.905.
    team = by_id(document, "team")["Noord"]
    assert team == {
        "team": "Noord",
        "fte": 0.6,
        "capacity_hours": 55.2,
        "expected_hours": 12.4,
        "utilisation": 0.225,
        "youths_by_role": {"coaching": 3, "uitvoering": 0, "regie": 1, "monitoring": 1},
        "youths_total": 4,
        "youths_served": 4,
        "youths_per_fte_year": 86.905,
        "logged_hours": {"client_direct": 1.5, "client_indirect": 0.5, "overhead": 2.0},
        "overhead_share": 0.5,
        "long_in_role_youths": 1,
        "flags": ["underload", "overhead", "long_in_role"],
    }


def test_other_organisation_is_computed_with_its_own_settings(rekenstad):
    document = caseload_for_scope(scope=caseload_scope_all(), date_from=D(2025, 2, 1), date_to=D(2025, 3, 1))
    w9 = by_id(document)["W-9"]
    # w9: coaching 40 * 28 / 365 = 3.07 h; 1.0 fte: 28 * 1200 / 365 = 92.05 h; 600 min overhead.
    assert (w9["expected_hours"], w9["capacity_hours"], w9["overhead_share"]) == (3.1, 92.1, 1.0)
    assert [row["team"] for row in document["teams"]] == ["Noord", "Oost", "Zuid"]


def test_period_inputs_take_a_fixed_number_of_queries(rekenstad):
    scope = caseload_scope_all()
    with CaptureQueriesContext(connection) as queries:
        caseload_inputs(
            scope,
            window_from=D(2025, 2, 1),
            window_to=D(2025, 3, 1),
            logged_from=D(2025, 2, 1),
            logged_to=D(2025, 3, 1),
        )
    # workers, organisations, approaches, adopted norms, periods, complexity changes, fte periods,
    # logged minutes
    assert len(queries) == 8


def test_only_relevant_periods_are_fetched(rekenstad):
    # t7: coaching with w3 (team Zuid) until 2025-01-01, then handed over to w1, coaching on: one run.
    t7 = TrajectoryFactory(
        youth=YouthFactory(organisation=rekenstad.organisation, external_id="y7"),
        approach=rekenstad.trajectories["t1"].approach,
        worker=rekenstad.w1,
        start_date=D(2024, 6, 1),
    )
    PeriodFactory(trajectory=t7, start_date=D(2024, 6, 1), end_date=D(2025, 1, 1), worker=rekenstad.w3)
    PeriodFactory(trajectory=t7, start_date=D(2025, 1, 1))
    inputs = caseload_inputs(
        caseload_scope_for(rekenstad.lead_noord), window_from=D(2025, 3, 1), window_to=D(2025, 3, 2)
    )
    (organisation,) = inputs.organisations
    periods = organisation.periods
    t = rekenstad.trajectories
    # Covering 2025-03-01, of trajectories with an in-scope period then: t1, t2's regie (not its later
    # coaching), t3, t4's monitoring (w2), t7's coaching. Before the window, the coaching/uitvoering
    # periods of trajectories coaching in scope then: t7's earlier coaching with w3 (the run goes on
    # across the handover). Not t4's earlier coaching (t4 is in monitoring now: no run to measure),
    # not t5 (team Zuid), t6 (aanmelding), t9 (other organisation).
    fetched = sorted(zip(periods["trajectory_id"], periods["role"], periods["start"].dt.date, strict=True))
    assert fetched == sorted(
        [
            (t["t1"].pk, "coaching", D(2025, 1, 1)),
            (t["t2"].pk, "regie", D(2025, 2, 1)),
            (t["t3"].pk, "coaching", D(2024, 1, 1)),
            (t["t4"].pk, "monitoring", D(2025, 2, 15)),
            (t7.pk, "coaching", D(2024, 6, 1)),
            (t7.pk, "coaching", D(2025, 1, 1)),
        ]
    )
    # t7's run began on 2024-06-01: 273 days on 2025-03-01 (not more than 1.5 * 182), 274 a day later.
    on_day = caseload_for_scope(scope=caseload_scope_for(rekenstad.lead_noord), day=D(2025, 3, 1))
    next_day = caseload_for_scope(scope=caseload_scope_for(rekenstad.lead_noord), day=D(2025, 3, 2))
    assert by_id(on_day)["W-1"]["long_in_role_youths"] == 1  # t3 only
    assert by_id(next_day)["W-1"]["long_in_role_youths"] == 2  # t3 and t7


def test_history_of_a_run_that_goes_on_into_the_window(rekenstad):
    """The earlier periods of a run are fetched through the run's period on the window's first day,
    even when that period belongs to a worker outside the scope; an earlier period of another role
    is not (it begins no run that goes on)."""
    approach = rekenstad.trajectories["t1"].approach  # expected duration 182 days: limit 273
    w1, w3 = rekenstad.w1, rekenstad.w3
    # t8: coaching with W-3 (team Zuid) from 2024-05-01, on 2024-12-01 a new coaching period with
    # W-3 (a phase change), handed over to W-1 on 2025-03-01: one run from 2024-05-01.
    t8 = TrajectoryFactory(
        youth=YouthFactory(organisation=rekenstad.organisation, external_id="y8"),
        approach=approach,
        worker=w1,
        start_date=D(2024, 5, 1),
    )
    PeriodFactory(trajectory=t8, role=Role.COACHING, start_date=D(2024, 5, 1), end_date=D(2024, 12, 1), worker=w3)
    PeriodFactory(trajectory=t8, role=Role.COACHING, start_date=D(2024, 12, 1), end_date=D(2025, 3, 1), worker=w3)
    PeriodFactory(trajectory=t8, role=Role.COACHING, start_date=D(2025, 3, 1))
    # t10: uitvoering with W-1 until 2024-12-01, then coaching: the coaching run starts 2024-12-01.
    t10 = TrajectoryFactory(
        youth=YouthFactory(organisation=rekenstad.organisation, external_id="y10"),
        approach=approach,
        worker=w1,
        start_date=D(2024, 6, 1),
    )
    PeriodFactory(trajectory=t10, role=Role.UITVOERING, start_date=D(2024, 6, 1), end_date=D(2024, 12, 1))
    PeriodFactory(trajectory=t10, role=Role.COACHING, start_date=D(2024, 12, 1))

    scope = caseload_scope_for(rekenstad.lead_noord)
    inputs = caseload_inputs(scope, window_from=D(2025, 1, 1), window_to=D(2025, 5, 1))
    (organisation,) = inputs.organisations
    periods = organisation.periods
    fetched = set(zip(periods["trajectory_id"], periods["role"], periods["start"].dt.date, strict=True))
    assert (t8.pk, "coaching", D(2024, 5, 1)) in fetched
    assert (t10.pk, "uitvoering", D(2024, 6, 1)) not in fetched

    # On the period's last day, 2025-04-30: t8's run has 364 days (> 273, long in role; from its
    # 2024-12-01 period alone it would be 150), t10's coaching run 150 (not), t3's 485 (> 150 of
    # approach B), t1's 119 and t2's 29 (not). So W-1 has two youths long in role: t3 and t8.
    document = caseload_for_scope(scope=scope, date_from=D(2025, 1, 1), date_to=D(2025, 5, 1))
    assert by_id(document)["W-1"]["long_in_role_youths"] == 2
    assert "long_in_role" in by_id(document)["W-1"]["flags"]


def test_unknown_complexity_is_an_error(rekenstad):
    Youth.objects.filter(external_id="y1").update(complexity="zwaar")
    with pytest.raises(ValueError, match="unknown complexity"):
        caseload_for_scope(scope=caseload_scope_for(rekenstad.lead_noord), day=D(2025, 3, 1))


def test_blank_complexity_weighs_one(rekenstad):
    Youth.objects.filter(external_id="y2").update(complexity="")
    document = caseload_for_scope(scope=caseload_scope_for(rekenstad.lead_noord), day=D(2025, 3, 1))
    # t2 regie 12 * 1.0 instead of * 1.5: 40 + 12 + 80 = 132
    assert by_id(document)["W-1"]["expected_hours"] == 132.0


def test_bad_arguments():
    scope = CaseloadScope(team_ids=())
    with pytest.raises(ValueError, match="either day"):
        caseload_for_scope(scope=scope)
    with pytest.raises(ValueError, match="either day"):
        caseload_for_scope(scope=scope, day=D(2025, 1, 1), date_from=D(2025, 1, 1), date_to=D(2025, 2, 1))
    with pytest.raises(ValueError, match="empty"):
        caseload_for_scope(scope=scope, date_from=D(2025, 2, 1), date_to=D(2025, 2, 1))


# --- Chart ------------------------------------------------------------------------------------


def test_chart_window_is_twelve_months_back_and_three_ahead():
    assert chart_window(D(2025, 3, 15)) == (D(2024, 4, 1), D(2025, 7, 1))


def _zuid_intake_in_june() -> float:
    """The hours in June 2025 of team Zuid's meldingen to come, seen from 2025-03-15, by hand.

    History [2023-03-16, 2025-03-15), 730 days: Zuid had one melding in approach A (t5), so 1/730 a
    day. The organisation's six meldingen fell in January (5) and February (1); a month's factor is
    (count + 20) / (6/730 * its days in the history + 20): March 61 days, April 60, May 62.
    A's new trajectories begin in coaching (t1, t4), regie (t2), monitoring (t5) or aanmelding (t6),
    with mean complexity factor (1 + 1.5 + 1 + 1 + 1) / 5 = 1.1. Coaching: t4 left after 45 days
    (to monitoring), t1 runs 74 days: half stay past day 45; regie and monitoring: nobody left.
    So a new youth weighs 1.1 * (2/5 * 40 + 1/5 * 12 + 1/5 * 8) = 22 h/yr in its first 45 days and
    1.1 * (2/5 * (0.5 * 40 + 0.5 * 8) + 4) = 14.96 after.
    """
    day = D(2025, 3, 15)
    days_in_history = {3: 61, 4: 60, 5: 62, 6: 60}
    factor = {month: 20 / (6 / 730 * days + 20) for month, days in days_in_history.items()}
    hours = 0.0
    for t in range((D(2025, 6, 1) - day).days, (D(2025, 7, 1) - day).days):
        load = sum(
            factor[(day + dt.timedelta(days=u)).month] / 730 * (22 if t - u < 45 else 14.96) for u in range(1, t + 1)
        )
        hours += load / 365
    return hours


def test_team_load_by_month(rekenstad):
    # Team Zuid: w3 without fte, t5 monitoring 8 h/yr open since 2025-01-01. Seen from 2025-03-15:
    # months 2024-04 .. 2025-06; the months after March are the forecast with intake (issue 17):
    # nobody in A has left monitoring yet, so t5 stays (8 h/yr), plus Zuid's meldingen.
    scope = caseload_scope_for(rekenstad.lead_zuid)
    first, end = chart_window(D(2025, 3, 15))
    inputs = caseload_inputs(scope, window_from=first, window_to=end)
    months = team_load_by_month(inputs, day=D(2025, 3, 15))
    assert months[0].month == D(2024, 4, 1)
    assert len(months) == 15
    expected = {m.month: round(m.expected_hours, 6) for m in months}
    assert expected[D(2024, 12, 1)] == 0.0
    assert expected[D(2025, 1, 1)] == round(8 * 31 / 365, 6)
    assert expected[D(2025, 2, 1)] == round(8 * 28 / 365, 6)
    assert expected[D(2025, 6, 1)] == round(8 * 30 / 365 + _zuid_intake_in_june(), 6)
    assert all(m.capacity_hours == 0 for m in months)
    assert [m.projected for m in months] == [False] * 12 + [True] * 3


def test_team_load_by_month_capacity(rekenstad):
    # Team Noord in March 2025: w1 0.1 fte + w2 0.5 fte -> 0.6 * 31 * 1200 / 365; in June w2 is
    # still 0.5 (1.0 from July): the same per day; expected in March: t1 40 + t2 regie 18 + t3 80
    # (projected to end on 2025-03-16, t3 is long past its 100 days) + t4 monitoring 8.
    scope = caseload_scope_for(rekenstad.lead_noord)
    first, end = chart_window(D(2025, 3, 15))
    months = {
        m.month: m
        for m in team_load_by_month(caseload_inputs(scope, window_from=first, window_to=end), day=D(2025, 3, 15))
    }
    march = months[D(2025, 3, 1)]
    assert march.capacity_hours == pytest.approx(0.6 * 31 * 1200 / 365)
    assert march.expected_hours == pytest.approx((40 * 31 + 18 * 31 + 80 * 15 + 8 * 31) / 365)


def test_movable_youths_are_those_the_team_lead_may_see(rekenstad):
    youths = movable_youths(user=rekenstad.lead_noord, worker_ids=[rekenstad.w1.pk, rekenstad.w3.pk], day=D(2025, 3, 1))
    # w3 is in team Zuid: not visible to the lead of Noord.
    assert sorted(y.trajectory.youth.external_id for y in youths) == ["y1", "y2", "y3"]
    assert movable_youths(user=rekenstad.analyst, worker_ids=[rekenstad.w1.pk], day=D(2025, 3, 1)) == []
