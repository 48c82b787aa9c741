"""The MKBA report from the database (SPEC §4), end to end: factories -> selectors -> engine ->
contract JSON. Every expected value is computed by hand in the comments (see conftest.py for the
cohort), none is copied from the code's output."""

import datetime
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseload.calculations import fte_days_between
from core.exceptions import ApplicationError
from mkba import calculations, selectors, services
from tests.factories import ApproachFactory, CostItemFactory, OutcomeFactory, TimeEntryFactory, TrajectoryFactory
from tests.mkba.conftest import FROM, MEASURED_AT, TO
from tests.mkba.factories import ParameterSetFactory, parameters_data

pytestmark = pytest.mark.django_db


def report(cohort, **changes):
    arguments = {
        "approach": cohort.approach,
        "date_from": FROM,
        "date_to": TO,
        "measured_at": MEASURED_AT,
        "parameter_set": cohort.parameter_set,
    }
    arguments.update(changes)
    return selectors.mkba_report_generate(**arguments)


# By hand, for the cohort of conftest.py with parameters_data() (discount rate 0.25):
# N = 4 (T1..T4; T5 starts before `from`, T6 on the exclusive `to`, T7 is another approach)
# client minutes 120 + 60 + 90 + 45 = 315 -> 5.25 h x 60 = 315 euro (begeleiding)
# cost items: T1 overige_interventie 1000; T2 extra_zorg 400 (on measured_at); approach-level
#   loon_vergoedingen 3000 (on `from`); not: T3 200 (after measured_at), approach-level 500 (on
#   `to`) and 700 (before `from`), T5 5000, approach B 9999
# costs 315 + 1000 + 3000 + 400 = 4715; gemeente 315 + 1000 + 3000 + 400 x 0.5 = 4515; zorgverzekeraar 200
# work: T1 (twice, counted once); T2's is after measured_at -> r = 1/4 = 0.25, b = 0.1, e = 0.15, X = 0.6
# school: T3, T4 -> r = 2/4 = 0.5, b = 0.6, alpha = 0.8 -> e = (0.5 - 0.6) x 0.8 = -0.08, X = -0.32
# PV werk stream 10000 + 10000 / 1.25 = 18000; QoL stream 2000 / 1.25 = 1600; school stream 5000
# benefits: werk 0.6 x 18000 = 10800 (gemeente); kwaliteit_van_leven 0.6 x 1600 = 960 (jongere);
#           startkwalificaties -0.32 x 5000 = -1600 (jongere); total 10160
# balance 10160 - 4715 = 5445; per participant 1178.75 -> 1179, 2540, 1361.25 -> 1361
# social 10160 / 4715 = 2.1548; financial (10160 - 960) / 4715 = 1.9512; municipal 10800 / 4515 = 2.3920
# break-even: (4715 - (10160 - 0.6 x 19600)) / (4 x 19600) = 6315 / 78400 = 0.08055
def test_report_for_a_cohort_from_the_database(cohort):
    output = report(cohort)
    assert output["approach"] == "Jongerenadviseurs + werktraject"
    assert output["cohort"] == {"from": "2024-01-01", "to": "2024-07-01", "measured_at": "2024-12-31"}
    assert output["participants"] == 4
    assert output["parameter_set"] == {"name": "Testkengetallen", "version": 1}
    assert output["costs"] == {
        "begeleiding": 315,
        "overige_interventie": 1000,
        "loon_vergoedingen": 3000,
        "extra_zorg": 400,
        "extra_onderwijs": 0,
    }
    assert output["benefits"] == {
        "taakverlichting": 0,
        "werk": 10800,
        "startkwalificaties": -1600,
        "zorgkosten": 0,
        "kwaliteit_van_leven": 960,
        "criminaliteit_overlast": 0,
    }
    assert output["total_costs"] == 4715
    assert output["total_benefits"] == 10160
    assert output["balance"] == 5445
    assert output["per_participant"] == {"total_costs": 1179, "total_benefits": 2540, "balance": 1361}
    assert output["social_ratio"] == 2.15
    assert output["financial_ratio"] == 1.95
    assert output["municipal_ratio"] == 2.39
    assert output["stakeholders"] == {
        "gemeente": {"costs": 4515, "benefits": 10800, "balance": 6285},
        "jongere": {"costs": 0, "benefits": -640, "balance": -640},
        "zorgverzekeraar": {"costs": 200, "benefits": 0, "balance": -200},
    }
    assert output["effects"] == {
        "work": {"observed": 0.25, "baseline": 0.1, "net": 0.15, "extra": 0.6},
        "school": {"observed": 0.5, "baseline": 0.6, "net": -0.08, "extra": -0.32},  # a negative net effect
    }
    assert output["break_even_effect"] == 0.081
    assert output["sensitivity"] == {"low": 2.15, "high": 2.15}  # no ranges in this set
    assert output["ratio_notes"] == {}
    assert [row["number"] for row in output["reference_comparison"]] == list(range(1, 11))
    assert output["reference_comparison"][3]["social_ratio"] == 3.7  # approach 4 as printed


def test_cohort_inputs_select_exactly_the_cohort(cohort):
    inputs = selectors.mkba_cohort_inputs(approach=cohort.approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT)
    assert inputs.participants == 4
    assert inputs.client_hours == Decimal(315) / 60
    assert dict(inputs.cost_items) == {
        "extra_zorg": Decimal(400),
        "loon_vergoedingen": Decimal(3000),
        "overige_interventie": Decimal(1000),
    }
    # one row per trajectory and outcome, the first date; nothing after the measurement date
    assert sorted(inputs.outcome_records) == sorted(
        [
            (cohort.t1.pk, "work", datetime.date(2024, 5, 1)),
            (cohort.t3.pk, "school", datetime.date(2024, 8, 1)),
            (cohort.t4.pk, "school", datetime.date(2024, 12, 31)),
        ]
    )


def test_team_scope_shares_approach_level_costs_pro_rata(cohort):
    output = report(cohort, team=cohort.team)
    # Noord: T1, T2 -> N = 2 of 4; client minutes 120 + 60 + 90 = 270 -> 4.5 h x 60 = 270
    # approach-level loon_vergoedingen 3000 x 2/4 = 1500; T1 1000; T2 extra_zorg 400 -> costs 3170
    # work r = 1/2 = 0.5, e = 0.4, X = 0.8 -> werk 14400, QoL 1280; school r = 0 -> e = -0.48, X = -0.96 -> -4800
    # benefits 14400 + 1280 - 4800 = 10880; social 10880 / 3170 = 3.4322
    assert output["participants"] == 2
    assert output["costs"] == {
        "begeleiding": 270,
        "overige_interventie": 1000,
        "loon_vergoedingen": 1500,
        "extra_zorg": 400,
        "extra_onderwijs": 0,
    }
    assert output["total_benefits"] == 10880
    assert output["effects"]["school"] == {"observed": 0.0, "baseline": 0.6, "net": -0.48, "extra": -0.96}
    assert output["social_ratio"] == 3.43


def test_team_reports_add_up_to_the_whole_report(cohort):
    whole = report(cohort)
    north = report(cohort, team=cohort.team)
    south = report(cohort, team=cohort.other_team)
    for line in calculations.COST_LINES:
        assert north["costs"][line] + south["costs"][line] == whole["costs"][line]
    assert north["participants"] + south["participants"] == whole["participants"]


def test_fte_cost_basis(cohort):
    fte_set = ParameterSetFactory(organisation=cohort.organisation, data=parameters_data(cost_basis="fte"))
    output = report(cohort, parameter_set=fte_set)
    # [2024-01-01, 2024-07-01) = 182 days (2024 is a leap year)
    # Anna: 0.8 fte Jan-Mar (91 days) + 1.0 fte Apr-Jun (91 days) = 163.8 fte-days; her running
    #   trajectories: T1, T2, T5 of this approach and T7 of another (T6 starts on `to`) -> share 3/4
    # Bram: 0.5 fte x 182 days = 91 fte-days; T3, T4 -> share 1
    # fte-years (163.8 x 0.75 + 91) / 365 = 213.85 / 365; x 1200 h x 60 = 15,397,200 / 365 = 42184.11
    assert output["costs"]["begeleiding"] == 42184
    assert output["total_costs"] == 46584  # 42184.11 + 1000 + 3000 + 400


def test_fte_days_follow_the_latest_period():
    # The cost basis 'fte' counts fte-days by the caseload engine's rule (SPEC §3 fte(d)).
    periods = pd.DataFrame(
        {"worker_id": [7, 7], "start": [datetime.date(2024, 1, 11), datetime.date(2024, 1, 1)], "fte": [1.0, 0.5]}
    )
    # Jan 1-10 at 0.5 (5 fte-days) + Jan 11-20 at 1.0 (10): 15; nothing before the first period
    days = fte_days_between(periods, datetime.date(2023, 12, 25), datetime.date(2024, 1, 21))
    assert days.to_dict() == {7: 15.0}


def test_zero_participants(cohort):
    output = report(
        cohort,
        date_from=datetime.date(2030, 1, 1),
        date_to=datetime.date(2030, 2, 1),
        measured_at=datetime.date(2030, 6, 1),
    )
    assert output["participants"] == 0
    assert output["total_costs"] == 0
    assert output["total_benefits"] == 0
    assert output["per_participant"] == {"total_costs": None, "total_benefits": None, "balance": None}
    assert output["social_ratio"] is None
    assert output["financial_ratio"] is None
    assert output["municipal_ratio"] is None
    assert output["break_even_effect"] is None
    assert output["effects"]["work"] == {"observed": None, "baseline": 0.1, "net": None, "extra": 0.0}
    assert output["ratio_notes"]["social_ratio"] == calculations.REASON_NO_COSTS
    assert output["ratio_notes"]["break_even_effect"] == calculations.REASON_NO_PARTICIPANTS


def test_zero_gemeente_costs(cohort):
    bearers = {line: {"rijk": 1.0} for line in calculations.COST_LINES}
    national = ParameterSetFactory(organisation=cohort.organisation, data=parameters_data(cost_bearers=bearers))
    output = report(cohort, parameter_set=national)
    assert output["municipal_ratio"] is None
    assert output["ratio_notes"] == {"municipal_ratio": calculations.REASON_NO_GEMEENTE_COSTS}
    assert output["stakeholders"]["gemeente"] == {"costs": 0, "benefits": 10800, "balance": 10800}
    assert output["stakeholders"]["rijk"] == {"costs": 4715, "benefits": 0, "balance": -4715}
    assert output["social_ratio"] == 2.15  # unchanged


def test_report_uses_the_approach_set_else_the_default(cohort):
    default = selectors.parameter_set_default(cohort.organisation)
    assert default.organisation is None and default.is_indicative and default.version == 1
    output = selectors.mkba_report_generate(
        approach=cohort.approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT
    )
    assert output["parameter_set"] == {"name": default.name, "version": 1}
    services.approach_parameter_set_assign(approach=cohort.approach, parameter_set=cohort.parameter_set)
    cohort.approach.refresh_from_db()
    output = selectors.mkba_report_generate(
        approach=cohort.approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT
    )
    assert output["parameter_set"] == {"name": "Testkengetallen", "version": 1}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_from": TO, "date_to": FROM}, "to"),
        ({"date_to": FROM}, "to"),
        ({"measured_at": datetime.date(2023, 12, 31)}, "measured_at"),
    ],
)
def test_bad_periods_are_refused(cohort, changes, field):
    with pytest.raises(ApplicationError) as raised:
        report(cohort, **changes)
    assert field in raised.value.fields


def test_team_and_set_of_another_organisation_are_refused(cohort):
    with pytest.raises(ApplicationError):
        report(cohort, parameter_set=cohort.foreign_set)
    foreign_team = cohort.foreign_approach.organisation.teams.create(name="Elders")
    with pytest.raises(ApplicationError):
        report(cohort, team=foreign_team)


def _grow(cohort, count):
    for index in range(count):
        trajectory = TrajectoryFactory(
            approach=cohort.approach, worker=cohort.worker, start_date=datetime.date(2024, 2, 1 + index % 27)
        )
        TimeEntryFactory(worker=cohort.worker, trajectory=trajectory, date=datetime.date(2024, 3, 1), minutes=30)
        CostItemFactory(approach=cohort.approach, trajectory=trajectory, date=datetime.date(2024, 3, 1))
        OutcomeFactory(trajectory=trajectory, outcome="work", date=datetime.date(2024, 4, 1))
        OutcomeFactory(trajectory=trajectory, outcome="work", date=datetime.date(2024, 5, 1))


@pytest.mark.parametrize("cost_basis", ["hours", "fte"])
def test_query_count_does_not_depend_on_the_cohort_size(cohort, cost_basis):
    parameter_set = ParameterSetFactory(organisation=cohort.organisation, data=parameters_data(cost_basis=cost_basis))

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            selectors.mkba_cohort_inputs(
                approach=cohort.approach,
                date_from=FROM,
                date_to=TO,
                measured_at=MEASURED_AT,
                include_fte_years=cost_basis == "fte",
            )
        selector_queries = len(context.captured_queries)
        with CaptureQueriesContext(connection) as context:
            report(cohort, parameter_set=parameter_set)
        return selector_queries, len(context.captured_queries)

    small = count_queries()
    _grow(cohort, 40)
    large = count_queries()
    assert small == large
    assert large[0] == (6 if cost_basis == "fte" else 4)
    assert large[1] <= large[0] + 1  # plus the reference approaches


def test_report_is_reusable_by_a_background_job_from_primary_keys(cohort):
    """What the Celery task of the reports issue will do: load by pk, call the service."""
    approach = type(cohort.approach).objects.get(pk=cohort.approach.pk)
    assert report(cohort, approach=approach) == report(cohort)


def test_other_approach_costs_never_leak(cohort):
    other = ApproachFactory(organisation=cohort.organisation, name="Leeg")
    output = report(cohort, approach=other)
    assert output["participants"] == 0
    assert output["total_costs"] == 0
