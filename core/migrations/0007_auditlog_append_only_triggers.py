"""The audit log is append-only in the database too (SPEC §8, BIO 12.4.2: logging is protected
against change), so not even the application's own database role can rewrite who read what:

- UPDATE of a row is refused, always;
- DELETE of a row is refused unless the row is older than its organisation's
  ``audit_retention_months`` (84 for a row without an organisation): only the retention job
  (``core.services.audit_log_delete_expired``) deletes, and only expired rows.

PostgreSQL: one PL/pgSQL trigger function. TRUNCATE is not row-level and stays possible (Django's
``flush`` and the test runner use it); production should not grant TRUNCATE to the application role.
SQLite (the embedded default): two triggers; DELETE is also allowed when no organisation exists at
all, so ``manage.py flush`` (which deletes core_organisation before this table) can empty a
development database. Other databases get no trigger (the model still refuses).

On SQLite a migration that alters core_auditlogentry rebuilds the table and loses these triggers:
such a migration must run ``triggers_install`` of this module again (tests/core/test_audit_append_only.py
fails if the triggers are missing)."""

from django.db import migrations

DEFAULT_RETENTION_MONTHS = 84

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION core_auditlogentry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    months integer;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit log rows cannot be changed (append-only)'
            USING ERRCODE = 'restrict_violation';
    END IF;
    SELECT audit_retention_months INTO months FROM core_organisation WHERE id = OLD.organisation_id;
    IF OLD.at < now() - make_interval(months => COALESCE(months, {DEFAULT_RETENTION_MONTHS})) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit log row % is within its retention term and cannot be deleted', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER core_auditlogentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION core_auditlogentry_append_only();
"""

POSTGRESQL_REMOVE = """
DROP TRIGGER IF EXISTS core_auditlogentry_append_only ON core_auditlogentry;
DROP FUNCTION IF EXISTS core_auditlogentry_append_only();
"""

SQLITE_INSTALL = [
    """
    CREATE TRIGGER core_auditlogentry_no_update BEFORE UPDATE ON core_auditlogentry
    BEGIN
        SELECT RAISE(ABORT, 'audit log rows cannot be changed (append-only)');
    END;
    """,
    f"""
    CREATE TRIGGER core_auditlogentry_no_delete BEFORE DELETE ON core_auditlogentry
    WHEN EXISTS (SELECT 1 FROM core_organisation)
        AND OLD.at >= datetime(
            'now',
            '-' || COALESCE(
                (SELECT audit_retention_months FROM core_organisation WHERE id = OLD.organisation_id),
                {DEFAULT_RETENTION_MONTHS}
            ) || ' months'
        )
    BEGIN
        SELECT RAISE(ABORT, 'audit log row is within its retention term and cannot be deleted');
    END;
    """,
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditlogentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditlogentry_no_delete;",
]


def triggers_install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INSTALL, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement, params=None)


def triggers_remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REMOVE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_auditlog_backfill_actor_name_and_youth_keys"),
    ]

    operations = [
        migrations.RunPython(triggers_install, triggers_remove),
    ]
