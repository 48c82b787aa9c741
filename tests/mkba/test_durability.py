"""SPEC.md 4b, "Durability in the MKBA": the parameter set's ``durability: answered``.

Pure tests on the cohort of tests/mkba/test_calculations.py (N = 20, work baseline 0.30,
conjunctuur 0.05, attribution 0.8; measured 2024-12-31; T1..T12 in work on 2024-06-01), then the
selector on the database cohort of tests/mkba/conftest.py. Expected values by hand.
"""

import datetime
from decimal import Decimal

import pytest

from cases.models import OutcomeType
from mkba import selectors
from mkba.calculations import (
    ParameterErrorCode,
    mkba_report_calculate,
    observed_rates,
    parameter_set_from_dict,
    parameter_set_issues,
)
from mkba.parameter_set_messages import issue_nl
from tests.factories import FollowUpFactory, OutcomeFactory, TrajectoryFactory
from tests.mkba.conftest import FROM, MEASURED_AT, TO
from tests.mkba.factories import parameters_data
from tests.mkba.test_calculations import cohort_parameters, cohort_rows

D = datetime.date
WORK_DAY = D(2024, 6, 1)
SIX_MONTHS = D(2024, 12, 1)  # 2024-06-01 + 6 calendar months, before the measurement date


def report(durability, checks=(), extra_rows=()):
    return mkba_report_calculate(
        approach="Jongerenadviseurs",
        cohort_from=D(2024, 1, 1),
        cohort_to=D(2024, 7, 1),
        measured_at=MEASURED_AT,
        participants=20,
        parameters=parameter_set_from_dict(cohort_parameters(durability=durability)),
        outcome_records=cohort_rows() + list(extra_rows),
        client_hours=300,
        trajectory_starts={f"T{number}": D(2024, 1, 1) for number in range(1, 21)},
        check_records=checks,
    )


NOT_THERE_T2 = ("T2", "work", SIX_MONTHS, "not_there")


def test_a_not_there_check_before_the_measurement_date_drops_r_work_by_one_in_n():
    # answered: T2's 6-month check says not_there on 2024-12-01: 11 of 20 -> r = 0.55,
    # e = (0.55 - 0.30 - 0.05) * 0.8 = 0.16, X = 3.2
    answered = report("answered", [NOT_THERE_T2])
    assert answered.effects["work"].observed == Decimal("0.55")
    assert answered.effects["work"].net == Decimal("0.16")
    assert answered.effects["work"].extra == Decimal("3.2")
    # none: SPEC 4's rule unchanged, 12 of 20
    assert report("none", [NOT_THERE_T2]).effects["work"].observed == Decimal("0.6")
    # school (4 of 20) has no checks here: the same under both
    assert answered.effects["school"].observed == Decimal("0.2")


def test_an_unanswered_check_changes_nothing():
    unanswered = [("T3", "work", SIX_MONTHS, ""), ("T4", "work", SIX_MONTHS, None)]
    assert report("answered", unanswered).effects["work"].observed == Decimal("0.6")
    assert report("answered").effects["work"].observed == Decimal("0.6")


def test_out_of_sight_after_work_makes_it_unknown_not_positive():
    later = [("T4", "out_of_sight", D(2024, 10, 1))]
    assert report("answered", extra_rows=later).effects["work"].observed == Decimal("0.55")  # 11/20
    assert report("none", extra_rows=later).effects["work"].observed == Decimal("0.6")


def test_still_there_a_check_after_the_measurement_date_and_work_again_after_not_there():
    checks = [
        ("T5", "work", SIX_MONTHS, "still_there"),  # positive
        ("T6", "work", D(2025, 1, 1), "not_there"),  # due after the measurement date: no event
        ("T1", "work", D(2024, 7, 1), "not_there"),  # T1 found work again on 2024-09-01: positive
        ("T7", "school", SIX_MONTHS, "not_there"),  # a check of another type: not for {work}
    ]
    assert report("answered", checks).effects["work"].observed == Decimal("0.6")


def test_all_three_together():
    # T2 not_there, T3 unanswered, T4 out of sight: 10 of 20
    checks = [NOT_THERE_T2, ("T3", "work", SIX_MONTHS, "")]
    later = [("T4", "out_of_sight", D(2024, 10, 1))]
    assert report("answered", checks, later).effects["work"].observed == Decimal("0.5")


def test_events_before_the_trajectory_start_do_not_count():
    rows = [("A", "work", D(2024, 2, 1))]
    rates = observed_rates(
        rows,
        participants=2,
        measured_at=MEASURED_AT,
        outcomes=["work"],
        durability="answered",
        trajectory_starts={"A": D(2024, 3, 1)},
    )
    assert rates == {"work": Decimal(0)}


def test_a_type_without_checks_is_never_filtered():
    rows = [("A", "startkwalificatie", D(2024, 2, 1)), ("A", "out_of_sight", D(2024, 5, 1))]
    rates = observed_rates(
        rows, participants=2, measured_at=MEASURED_AT, outcomes=["startkwalificatie"], durability="answered"
    )
    assert rates == {"startkwalificatie": Decimal("0.5")}


def test_durability_is_validated_with_a_code_and_a_dutch_text():
    assert parameter_set_from_dict(cohort_parameters()).durability == "none"
    assert parameter_set_from_dict(cohort_parameters(durability="answered")).durability == "answered"
    issues = parameter_set_issues(cohort_parameters(durability="always"))
    assert [(issue.path, issue.code) for issue in issues] == [("$.durability", ParameterErrorCode.UNKNOWN_DURABILITY)]
    assert issue_nl(issues[0]) == "onbekende duurzaamheidsregel 'always' (toegestaan: none, answered)"


# --- The selector, on the database cohort of conftest.py (N = 4: T1 work 2024-05-01 and
# 2024-09-01; T3 school 2024-08-01; T4 school 2024-12-31; work baseline 0.1) ----------------------


def generate(cohort, durability):
    return selectors.mkba_report_generate_with_parameters(
        approach=cohort.approach,
        date_from=FROM,
        date_to=TO,
        measured_at=MEASURED_AT,
        parameters=parameter_set_from_dict(parameters_data(durability=durability)),
    )


@pytest.mark.django_db
def test_selector_feeds_the_checks_only_with_answered(cohort):
    first_work = cohort.t1.outcomes.get(date=D(2024, 5, 1))
    # 6 months after 2024-05-01: 2024-11-01, after T1's second work (2024-09-01): negative wins
    FollowUpFactory(outcome=first_work, months_after=6, due_date=D(2024, 11, 1), answer="not_there")
    FollowUpFactory(outcome=first_work, months_after=1, due_date=D(2024, 6, 1), answer="")  # unanswered
    assert generate(cohort, "none")["effects"]["work"]["observed"] == 0.25  # 1 of 4
    assert generate(cohort, "answered")["effects"]["work"]["observed"] == 0.0  # 0 of 4
    # T3's school: out of sight after it -> unknown; T4's school stays: 1 of 4
    OutcomeFactory(trajectory=cohort.t3, outcome=OutcomeType.OUT_OF_SIGHT, date=D(2024, 10, 1))
    assert generate(cohort, "none")["effects"]["school"]["observed"] == 0.5
    assert generate(cohort, "answered")["effects"]["school"]["observed"] == 0.25


def _grow(cohort, count):
    for number in range(count):
        trajectory = TrajectoryFactory(approach=cohort.approach, worker=cohort.worker, start_date=D(2024, 2, 1))
        outcome = OutcomeFactory(trajectory=trajectory, outcome=OutcomeType.WORK, date=D(2024, 3, number % 28 + 1))
        FollowUpFactory(outcome=outcome, months_after=6, due_date=D(2024, 9, number % 28 + 1), answer="still_there")


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 15])
def test_cohort_inputs_with_checks_take_a_bounded_number_of_queries(cohort, extra, django_assert_max_num_queries):
    _grow(cohort, extra)
    with django_assert_max_num_queries(6):  # N, hours, costs, outcomes, starts, checks
        inputs = selectors.mkba_cohort_inputs(
            approach=cohort.approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT, include_checks=True
        )
    assert len(inputs.trajectory_starts) == 4 + extra
    assert len(inputs.check_records) == extra
    with django_assert_max_num_queries(4):  # without checks: as before
        plain = selectors.mkba_cohort_inputs(
            approach=cohort.approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT
        )
    assert plain.trajectory_starts == () and plain.check_records == ()


@pytest.mark.django_db
def test_the_kengetallen_pages_show_and_edit_durability(cohort, client):
    from tests.mkba.test_views import edit_form

    client.force_login(cohort.analyst)
    page = client.get(f"/kengetallen/{cohort.parameter_set.pk}/").content.decode()
    assert "Duurzaamheid" in page and "geen: elk geregistreerd resultaat telt" in page
    assert 'name="durability"' in client.get(f"/kengetallen/{cohort.parameter_set.pk}/bewerken/").content.decode()
    response = client.post(
        f"/kengetallen/{cohort.parameter_set.pk}/bewerken/", edit_form(cohort.parameter_set, durability="answered")
    )
    assert response.status_code == 302
    newest = type(cohort.parameter_set).objects.filter(name=cohort.parameter_set.name).order_by("-version").first()
    assert newest.data["durability"] == "answered"
    assert (
        "alleen als de jongere er op de meetdatum nog is" in client.get(f"/kengetallen/{newest.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_durability_goes_out_with_the_export_and_back_in_with_the_import(cohort):
    from core.exceptions import ApplicationError
    from mkba import services

    created = services.parameter_set_create(
        organisation=cohort.organisation, name="Met duurzaamheid", data=parameters_data(durability="answered")
    )
    exported = selectors.parameter_set_export(created)
    assert exported["durability"] == "answered"
    again = services.parameter_set_create(organisation=cohort.organisation, data=exported)
    assert (again.name, again.version, again.data["durability"]) == ("Met duurzaamheid", 2, "answered")
    with pytest.raises(ApplicationError):
        services.parameter_set_create(
            organisation=cohort.organisation, name="Fout", data=parameters_data(durability="sometimes")
        )
