"""The audit log is append-only in the database itself (SPEC §8): raw SQL, as the application's own
database role would send it, cannot change a row or delete one that is within its retention term.
Runs on the configured database (SQLite by default); the integration-marked twin insists on PostgreSQL."""

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core import services
from core.models import AuditLogEntry
from tests.factories import OrganisationFactory


def _refused(sql: str, params: list[object]) -> str:
    with pytest.raises(IntegrityError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refused.value)


def _check_raw_sql_is_refused() -> None:
    organisation = OrganisationFactory(audit_retention_months=36)
    recent = services.audit_log_record(
        user=None, action="view", object_type="youth", object_id=1, youth_key="J-1", organisation=organisation
    )
    with time_machine.travel(timezone.now() - relativedelta(months=37), tick=False):
        expired = services.audit_log_record(
            user=None, action="view", object_type="youth", object_id=2, youth_key="J-2", organisation=organisation
        )
    table = AuditLogEntry._meta.db_table

    assert "append-only" in _refused(f"UPDATE {table} SET detail = %s WHERE id = %s", ["herschreven", recent.pk])  # noqa: S608
    assert "append-only" in _refused(f"UPDATE {table} SET user_id = NULL WHERE id = %s", [expired.pk])  # noqa: S608
    assert "retention" in _refused(f"DELETE FROM {table} WHERE id = %s", [recent.pk])  # noqa: S608
    assert "retention" in _refused(f"DELETE FROM {table}", [])  # noqa: S608
    assert set(AuditLogEntry.objects.values_list("pk", "detail")) == {(recent.pk, ""), (expired.pk, "")}

    # Past its organisation's term a row may go: that is what the retention job does.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [expired.pk])  # noqa: S608
        assert cursor.rowcount == 1
    assert list(AuditLogEntry.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_raw_sql_cannot_update_or_delete_unexpired_rows():
    _check_raw_sql_is_refused()


@pytest.mark.integration
@pytest.mark.django_db
def test_raw_sql_cannot_update_or_delete_unexpired_rows_on_postgresql():
    assert connection.vendor == "postgresql"
    _check_raw_sql_is_refused()


@pytest.mark.django_db(transaction=True)
def test_a_flush_still_empties_a_development_database():
    """SQLite lets the rows go once no organisation exists (flush deletes those first); PostgreSQL's
    flush truncates. Either way tests and ``manage.py flush`` keep working."""
    organisation = OrganisationFactory()
    services.audit_log_record(user=None, action="view", object_type="youth", object_id=1, organisation=organisation)

    call_command("flush", "--no-input", verbosity=0)

    assert AuditLogEntry.objects.count() == 0
