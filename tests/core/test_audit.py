"""The audit trail's storage (SPEC §8): the actor kept as text, one row per multi-youth read with
its keys in their own field, append-only in the application, and the retention job."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core import selectors, services, tasks
from core.models import AuditLogAppendOnlyError, AuditLogEntry
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _written_at(moment: datetime.datetime, **kwargs) -> AuditLogEntry:  # type: ignore[no-untyped-def]
    with time_machine.travel(moment, tick=False):
        return services.audit_log_record(**kwargs)


def test_the_actors_name_and_id_survive_the_deletion_of_the_user():
    organisation = OrganisationFactory()
    user = UserFactory(username="anna", first_name="Anna", last_name="de Boer", organisation=organisation)
    user_id = user.pk
    entry = services.audit_log_record(
        user=user, action="view", object_type="youth", object_id=7, youth_key="J-1", organisation=organisation
    )

    user.delete()

    assert AuditLogEntry.objects.filter(pk=entry.pk).values_list("actor_name", "user_id", "youth_key").get() == (
        "Anna de Boer",
        user_id,
        "J-1",
    )
    assert [
        row.actor_name for row in selectors.audit_entries_for_youth(organisation_id=organisation.pk, youth_key="J-1")
    ] == ["Anna de Boer"]


def test_a_user_without_a_full_name_is_kept_by_username_and_anonymous_by_nothing():
    user = UserFactory(username="piet", first_name="", last_name="")

    named = services.audit_log_record(user=user, action="view", object_type="youth", object_id=1)
    system = services.audit_log_record(user=None, action="anonymise", object_type="youth", object_id=1)

    assert (named.actor_name, named.user_id) == ("piet", user.pk)
    assert (system.actor_name, system.user_id) == ("", None)


def test_a_read_of_several_youths_is_one_row_naming_the_sorted_keys():
    organisation = OrganisationFactory()
    user = UserFactory(first_name="Tessa", last_name="Teamleider", organisation=organisation)

    entry = services.audit_log_read(
        user=user,
        youth_keys=["J-2", "J-10", "", "J-1", "J-2"],
        organisation_id=organisation.pk,
        object_type="youth",
        detail="lijst",
    )

    assert AuditLogEntry.objects.count() == 1
    assert entry is not None
    entry.refresh_from_db()
    assert (entry.youth_key, entry.youth_keys, entry.detail, entry.object_id, entry.action) == (
        "",
        "\nJ-1\nJ-10\nJ-2\n",
        "lijst",
        "",
        "view",
    )
    assert entry.youth_key_list == ["J-1", "J-10", "J-2"]
    assert (entry.actor_name, entry.organisation_id) == ("Tessa Teamleider", organisation.pk)


def test_a_read_of_one_youth_also_fills_youth_key_and_a_read_of_none_writes_nothing():
    organisation = OrganisationFactory()

    assert (
        services.audit_log_read(user=None, youth_keys=[], organisation_id=organisation.pk, object_type="youth") is None
    )
    assert (
        services.audit_log_read(user=None, youth_keys=["", ""], organisation_id=organisation.pk, object_type="youth")
        is None
    )
    assert AuditLogEntry.objects.count() == 0

    entry = services.audit_log_read(
        user=None, youth_keys=["J-1"], organisation_id=organisation.pk, object_type="period"
    )

    assert entry is not None
    assert (entry.youth_key, entry.youth_keys, entry.youth_key_list) == ("J-1", "\nJ-1\n", ["J-1"])


def test_a_long_list_of_keys_is_one_row_with_every_key():
    organisation = OrganisationFactory()
    keys = [f"JONGERE-{number:04d}" for number in range(200)]

    entry = services.audit_log_read(user=None, youth_keys=keys, organisation_id=organisation.pk, object_type="youth")

    assert entry is not None
    entry.refresh_from_db()
    assert entry.youth_key_list == keys


def test_the_trail_of_a_youth_holds_exactly_the_rows_that_name_that_youth():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    own = _written_at(
        start, user=None, action="view", object_type="youth", object_id=1, youth_key="J-1", organisation=organisation
    )
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        listed = services.audit_log_read(
            user=None, youth_keys=["J-1", "J-2"], organisation_id=organisation.pk, object_type="youth"
        )
        services.audit_log_read(
            user=None, youth_keys=["J-10", "J-2"], organisation_id=organisation.pk, object_type="youth"
        )
        services.audit_log_read(user=None, youth_keys=["j-1"], organisation_id=organisation.pk, object_type="youth")
        services.audit_log_read(user=None, youth_keys=["J-1"], organisation_id=other.pk, object_type="youth")
        services.audit_log_record(
            user=None, action="view", object_type="youth", object_id=2, youth_key="J-11", organisation=organisation
        )

    trail = selectors.audit_entries_for_youth(organisation_id=organisation.pk, youth_key="J-1")

    assert listed is not None
    assert [entry.pk for entry in trail] == [own.pk, listed.pk]


def test_rows_are_not_changed_or_deleted_through_the_application():
    entry = services.audit_log_record(user=None, action="view", object_type="youth", object_id=1, youth_key="J-1")

    entry.detail = "herschreven"
    with pytest.raises(AuditLogAppendOnlyError):
        entry.save()
    with pytest.raises(AuditLogAppendOnlyError):
        entry.delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditLogEntry.objects.filter(pk=entry.pk).update(detail="herschreven")
    with pytest.raises(AuditLogAppendOnlyError):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditLogEntry.objects.all().delete()

    assert AuditLogEntry.objects.values_list("pk", "detail").get() == (entry.pk, "")


def test_the_retention_job_deletes_only_expired_rows_each_by_its_own_organisations_term():
    default_term = OrganisationFactory()  # 84 months
    short_term = OrganisationFactory(audit_retention_months=36)
    now = timezone.now()

    def row(organisation, months_ago: int, days: int) -> int:  # type: ignore[no-untyped-def]
        moment = now - relativedelta(months=months_ago) + datetime.timedelta(days=days)
        return _written_at(
            moment, user=None, action="view", object_type="youth", object_id=1, organisation=organisation
        ).pk

    expired = {
        row(default_term, 84, -2),
        row(short_term, 36, -2),
        row(None, 84, -2),
    }
    kept = {
        row(default_term, 84, 2),
        row(default_term, 40, 0),  # past the other organisation's term, not its own
        row(short_term, 36, 2),
        row(None, 84, 2),
        row(short_term, 0, 0),
    }

    assert services.audit_log_delete_expired(now=now) == 3
    assert set(AuditLogEntry.objects.values_list("pk", flat=True)) == kept
    assert not expired & kept
    assert services.audit_log_delete_expired(now=now) == 0


def test_the_daily_task_runs_the_retention_service():
    organisation = OrganisationFactory(audit_retention_months=36)
    _written_at(
        timezone.now() - relativedelta(months=37),
        user=None,
        action="view",
        object_type="youth",
        object_id=1,
        organisation=organisation,
    )

    assert tasks.audit_log_delete_expired() == 1
    assert AuditLogEntry.objects.count() == 0


def test_the_audit_retention_is_longer_than_the_case_retention():
    from django.core.exceptions import ValidationError

    organisation = OrganisationFactory.build(name="Kort", retention_months=24, audit_retention_months=24)

    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()

    assert "langer" in str(refused.value)
    assert OrganisationFactory.build(name="Standaard").audit_retention_months == 84


def test_the_backfill_reads_the_keys_that_multi_youth_reads_wrote_into_the_detail():
    from importlib import import_module
    from types import SimpleNamespace

    backfill = import_module("core.migrations.0006_auditlog_backfill_actor_name_and_youth_keys")

    def keys(action: str, object_id: str, detail: str) -> list[str]:
        return backfill._keys_from_detail(SimpleNamespace(action=action, object_id=object_id, detail=detail))

    assert keys("view", "list", "list: J-2,J-1") == ["J-2", "J-1"]  # the API's youth list
    assert keys("view", "", "caseload: J-1 J-3") == ["J-1", "J-3"]  # audit_log_read before 0004
    assert keys("view", "", "J-1 J-3") == ["J-1", "J-3"]
    assert keys("view", "7", "dossier") == []  # a read of one youth keeps its youth_key only
    assert keys("update", "", "caseload: J-1") == []
    assert backfill._keys_text(["J-3", "J-1", "", "J-1"]) == "\nJ-1\nJ-3\n"
