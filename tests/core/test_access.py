"""The role x capability table of core.access: every role's capabilities, pinned one by one."""

import pytest

from core import access
from core.access import Capability as C
from core.access import CaseScope, CostScope
from core.models import User
from tests.factories import OrganisationFactory, UserFactory

R = User.Role
# Expected: which roles hold each capability (SPEC.md section 8, core/access.py's docstring).
TABLE = {
    C.SEE_CASE_CONTENTS: {R.WORKER, R.TEAM_LEAD},
    C.WRITE_CASE_DATA: {R.WORKER, R.TEAM_LEAD},
    C.REGISTER_YOUTH: {R.WORKER, R.TEAM_LEAD},
    C.LOG_OWN_TIME: {R.WORKER, R.TEAM_LEAD},
    C.EXPORT_INZAGE: {R.TEAM_LEAD, R.PRIVACY_OFFICER},
    C.SEE_AGGREGATES: {R.TEAM_LEAD, R.ANALYST, R.ADMIN},
    C.MOVE_YOUTHS: {R.TEAM_LEAD},
    C.EDIT_PARAMETER_SETS: {R.ANALYST, R.ADMIN},
    C.CONFIGURE: {R.ADMIN},
    C.READ_AUDIT_LOG: {R.PRIVACY_OFFICER},
    C.ENTER_COSTS: {R.TEAM_LEAD, R.ANALYST},  # issue 15; workers only by the organisation's setting
}
# What an organisation setting adds to a role (issue 15), pinned the same way.
WIDENED = {"workers_enter_costs": {C.ENTER_COSTS: {R.WORKER, R.TEAM_LEAD, R.ANALYST}}}


def test_every_capability_is_in_the_table():
    assert set(TABLE) == set(C)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(R))
@pytest.mark.parametrize("capability", list(C))
def test_role_capability_table(role, capability):
    user = UserFactory(role=role)
    assert access.has(user, capability) is (role in TABLE[capability])


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(R))
@pytest.mark.parametrize("capability", list(C))
def test_role_capability_table_with_workers_entering_costs(role, capability):
    organisation = OrganisationFactory(workers_enter_costs=True)
    user = UserFactory(role=role, organisation=organisation)
    expected = WIDENED["workers_enter_costs"].get(capability, TABLE[capability])
    assert access.has(user, capability) is (role in expected)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(R))
def test_no_capability_without_organisation_or_when_inactive(role):
    homeless = UserFactory(role=role, organisation=None)
    inactive = UserFactory(role=role, is_active=False)
    assert access.capabilities(homeless) == frozenset()
    assert access.capabilities(inactive) == frozenset()


def test_anonymous_has_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert access.capabilities(AnonymousUser()) == frozenset()
    assert access.case_scope(AnonymousUser()) is CaseScope.NONE


@pytest.mark.django_db
def test_case_scope_per_role():
    organisation = OrganisationFactory(workers_see_team_youths=False)
    sharing = OrganisationFactory(workers_see_team_youths=True)
    assert access.case_scope(UserFactory(role=R.WORKER, organisation=organisation)) is CaseScope.OWN
    assert access.case_scope(UserFactory(role=R.WORKER, organisation=sharing)) is CaseScope.OWN_AND_TEAM
    assert access.case_scope(UserFactory(role=R.TEAM_LEAD, organisation=organisation)) is CaseScope.LED_TEAMS
    assert access.case_scope(UserFactory(role=R.PRIVACY_OFFICER, organisation=organisation)) is CaseScope.ORGANISATION
    assert access.case_scope(UserFactory(role=R.ANALYST, organisation=organisation)) is CaseScope.NONE
    assert access.case_scope(UserFactory(role=R.ADMIN, organisation=organisation)) is CaseScope.NONE


@pytest.mark.django_db
def test_cost_scope_per_role():
    organisation = OrganisationFactory(workers_see_team_youths=True)
    expected = {
        R.WORKER: CostScope.NONE,
        R.TEAM_LEAD: CostScope.LED_TEAMS,
        R.ANALYST: CostScope.ORGANISATION,
        R.ADMIN: CostScope.NONE,
        R.PRIVACY_OFFICER: CostScope.NONE,
    }
    assert set(expected) == set(R)
    widened = OrganisationFactory(workers_enter_costs=True)
    assert access.cost_scope(UserFactory(role=R.WORKER, organisation=widened)) is CostScope.CASE_TRAJECTORIES
    assert access.cost_scope(UserFactory(role=R.TEAM_LEAD, organisation=widened)) is CostScope.LED_TEAMS
    assert access.navigation(UserFactory(role=R.WORKER, organisation=widened))["costs"] is True
    for role, scope in expected.items():
        assert access.cost_scope(UserFactory(role=role, organisation=organisation)) is scope
        assert access.cost_scope(UserFactory(role=role, organisation=None)) is CostScope.NONE
        assert access.navigation(UserFactory(role=role, organisation=organisation))["costs"] is (
            scope is not CostScope.NONE
        )


@pytest.mark.django_db
def test_configure_only_own_organisation():
    own, other = OrganisationFactory(), OrganisationFactory()
    admin = UserFactory(role=R.ADMIN, organisation=own)
    analyst = UserFactory(role=R.ANALYST, organisation=own)
    assert access.may_configure_organisation(admin, own.pk) is True
    assert access.may_configure_organisation(admin, other.pk) is False
    assert access.may_configure_organisation(analyst, own.pk) is False
