"""The case-data version (issue 16): figures cached for an organisation are keyed by a version
that every change of its case data moves on, once the change commits."""

import datetime as dt

import pytest
from django.core.cache import cache

from cases.services import TimeEntryInput, period_change, time_entry_log
from core.models import AuditLogEntry
from core.selectors import case_data_version, version_key
from core.services import audit_log_record, case_data_changed
from tests.factories import (
    OrganisationFactory,
    PeriodFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
    YouthFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_change_moves_the_version_of_its_organisation_only_after_commit(django_capture_on_commit_callbacks):
    here, there = OrganisationFactory(name="Hier"), OrganisationFactory(name="Daar")
    before_here, before_there = case_data_version(here.pk), case_data_version(there.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_data_changed(organisation_id=here.pk)
    assert case_data_version(here.pk) == before_here  # not before the commit
    for callback in callbacks:
        callback()
    assert case_data_version(here.pk) != before_here
    assert case_data_version(there.pk) == before_there


def test_a_change_of_every_organisation_moves_all_versions(django_capture_on_commit_callbacks):
    here, there = OrganisationFactory(name="Hier"), OrganisationFactory(name="Daar")
    before = case_data_version(here.pk), case_data_version(there.pk)
    with django_capture_on_commit_callbacks(execute=True):
        case_data_changed(organisation_id=None)
    after = case_data_version(here.pk), case_data_version(there.pk)
    assert after[0] != before[0] and after[1] != before[1]


def test_an_evicted_version_never_comes_back_as_an_old_one():
    organisation = OrganisationFactory()
    first = case_data_version(organisation.pk)
    cache.delete(version_key(organisation.pk))
    assert case_data_version(organisation.pk) != first


@pytest.mark.parametrize(("action", "moves"), [("view", False), ("export", False), ("update", True), ("import", True)])
def test_every_audited_change_moves_the_version_and_a_read_does_not(django_capture_on_commit_callbacks, action, moves):
    organisation = OrganisationFactory()
    before = case_data_version(organisation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        audit_log_record(user=None, action=action, object_type="youth", object_id=1, organisation=organisation)
    assert (case_data_version(organisation.pk) != before) is moves


def test_a_period_change_and_overhead_time_move_the_version(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    worker = WorkerFactory(team=TeamFactory(organisation=organisation))
    user = UserFactory(organisation=organisation, role="team_lead")
    trajectory = TrajectoryFactory(youth=YouthFactory(organisation=organisation), worker=worker)
    PeriodFactory(trajectory=trajectory, phase="begeleiding", role="coaching", start_date=D(2025, 1, 1))
    versions = [case_data_version(organisation.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        period_change(user=user, trajectory=trajectory, date=D(2025, 3, 1), phase="begeleiding", role="regie")
    versions.append(case_data_version(organisation.pk))
    with django_capture_on_commit_callbacks(execute=True):  # overhead names no youth: no audit row
        time_entry_log(
            user=user, worker=worker, entry=TimeEntryInput(date=D(2025, 3, 2), minutes=60, category="overhead")
        )
    versions.append(case_data_version(organisation.pk))
    assert len(set(versions)) == 3
    assert not AuditLogEntry.objects.filter(detail__contains="overhead").exists()


def test_a_change_in_the_admin_moves_the_version(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    team = TeamFactory(organisation=organisation, name="Noord")
    beheerder = UserFactory(organisation=organisation, role="admin")
    client.force_login(beheerder)
    before = case_data_version(organisation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/core/team/{team.pk}/change/", {"name": "Noord-West"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert case_data_version(organisation.pk) != before


@pytest.mark.parametrize(("object_type", "moves"), [("report", False), ("parameter_set", False), ("trajectory", True)])
def test_a_change_of_what_no_figure_reads_leaves_the_version(django_capture_on_commit_callbacks, object_type, moves):
    organisation = OrganisationFactory()
    before = case_data_version(organisation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        audit_log_record(user=None, action="update", object_type=object_type, object_id=1, organisation=organisation)
    assert (case_data_version(organisation.pk) != before) is moves


def test_an_operators_change_in_the_admin_moves_every_version(client, django_capture_on_commit_callbacks):
    # The review's finding: an operator who also belongs to organisation A deleted a worker of B,
    # and only A's version moved. An operator may change any organisation's configuration.
    here, there = OrganisationFactory(name="Hier"), OrganisationFactory(name="Daar")
    worker = WorkerFactory(team=TeamFactory(organisation=there))
    operator = UserFactory(organisation=here, role="admin", is_superuser=True, is_staff=True)
    client.force_login(operator)
    before = case_data_version(there.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/core/worker/{worker.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert case_data_version(there.pk) != before
