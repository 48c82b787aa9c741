"""The pure engines (caseload, mkba, accountability calculations) and the dataset import spell their
vocabularies as plain strings, so they run without Django; the models spell the same words as
choices. These tests tie each copy to the models, so a word added or renamed on one side cannot
silently miss the other."""

import datetime as dt

from accountability import calculations as accountability
from caseload import calculations as caseload
from cases import calculations as cases
from cases.dataset import reading as dataset
from cases.models import (
    FOLLOW_UP_OUTCOMES,
    Complexity,
    CostLine,
    EducationLevel,
    FollowUp,
    OutcomeType,
    Phase,
    ReferralRoute,
    Role,
    TimeCategory,
    Trajectory,
)
from core.models import Organisation, default_follow_up_months
from mkba import calculations as mkba
from mkba.models import BenefitLine


def test_the_caseload_engine_speaks_the_models_words():
    assert tuple(Role.values) == caseload.ROLES
    assert tuple(TimeCategory.values) == caseload.CATEGORIES
    assert tuple(Complexity.values) == caseload.COMPLEXITIES
    assert set(Phase.values) >= caseload.NO_LOAD_PHASES
    assert set(caseload.LONG_IN_ROLE_ROLES) <= set(Role.values)


def test_the_mkba_engine_speaks_the_models_words():
    assert tuple(OutcomeType.values) == mkba.OUTCOMES
    assert tuple(CostLine.values) == mkba.COST_LINES
    assert tuple(BenefitLine.values) == mkba.BENEFIT_LINES


def test_the_accountability_engine_speaks_the_models_words():
    assert set(accountability.ANSWERS) == set(FollowUp.Answer.values)
    assert accountability.FOLLOW_UP_MONTHS == cases.FOLLOW_UP_MONTHS == tuple(default_follow_up_months())
    assert Organisation._meta.get_field("follow_up_months").get_default() == [1, 6, 12]
    assert set(OutcomeType.values) >= accountability.UNKNOWN_OUTCOMES
    assert FOLLOW_UP_OUTCOMES == accountability.FOLLOW_UP_TYPES
    assert set(OutcomeType.values) >= accountability.WORK
    assert set(OutcomeType.values) >= accountability.WORK_OR_SCHOOL
    assert OutcomeType.IMPROVED_POSITION in accountability.WORK


def test_the_accountability_engine_plans_checks_on_the_cases_due_dates():
    # One due-date rule (SPEC 4b): the accountability figures use the case data's own function.
    assert accountability.add_calendar_months is cases.add_calendar_months
    assert accountability.follow_up_due_dates is cases.follow_up_due_dates
    assert cases.follow_up_due_dates(dt.date(2024, 1, 31)) == {
        1: dt.date(2024, 2, 29),
        6: dt.date(2024, 7, 31),
        12: dt.date(2025, 1, 31),
    }


def test_funding_sources_are_one_vocabulary():
    assert Trajectory.FundingSource.values == ["gemeente", "esf", "rmc", "school", "overig"]
    field = Organisation._meta.get_field("vcv_funding_source")
    assert [value for value, _label in field.choices] == Trajectory.FundingSource.values


def test_the_dataset_import_speaks_the_models_words():
    assert tuple(Phase.values) == dataset.PHASES
    assert tuple(Role.values) == dataset.ROLES
    assert tuple(TimeCategory.values) == dataset.TIME_CATEGORIES
    assert tuple(OutcomeType.values) == dataset.OUTCOMES
    assert tuple(Complexity.values) == dataset.COMPLEXITIES
    assert tuple(EducationLevel.values) == dataset.EDUCATION_LEVELS
    assert tuple(ReferralRoute.values) == dataset.REFERRAL_ROUTES
    assert tuple(CostLine.values) == dataset.COST_LINES
    assert tuple(Trajectory.FundingSource.values) == dataset.FUNDING_SOURCES
    assert tuple(FollowUp.Answer.values) == dataset.ANSWERS
    assert tuple(accountability.ANSWERS) == dataset.ANSWERS
