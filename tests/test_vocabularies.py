"""The pure engines (caseload, mkba, accountability calculations) and the dataset import spell their
vocabularies as plain strings, so they run without Django; the models spell the same words as
choices. These tests tie each copy to the models, so a word added or renamed on one side cannot
silently miss the other."""

from accountability import calculations as accountability
from caseload import calculations as caseload
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
)
from cases.services import FOLLOW_UP_MONTHS
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
    assert accountability.FOLLOW_UP_MONTHS == FOLLOW_UP_MONTHS
    assert set(OutcomeType.values) >= accountability.UNKNOWN_OUTCOMES
    assert FOLLOW_UP_OUTCOMES <= accountability.FOLLOW_UP_TYPES


def test_the_dataset_import_speaks_the_models_words():
    assert tuple(Phase.values) == dataset.PHASES
    assert tuple(Role.values) == dataset.ROLES
    assert tuple(TimeCategory.values) == dataset.TIME_CATEGORIES
    assert tuple(OutcomeType.values) == dataset.OUTCOMES
    assert tuple(Complexity.values) == dataset.COMPLEXITIES
    assert tuple(EducationLevel.values) == dataset.EDUCATION_LEVELS
    assert tuple(ReferralRoute.values) == dataset.REFERRAL_ROUTES
    assert tuple(CostLine.values) == dataset.COST_LINES
