"""Rows written before 0004 get the actor's name as text (so deleting the user loses nothing) and
their youth keys in ``youth_keys``, read from where the multi-youth reads put them in ``detail``:
``audit_log_read`` wrote "<detail>: KEY1 KEY2", the API's youth list "list: KEY1,KEY2". The
detail text itself is left as it was written. Runs before 0007 makes the table append-only."""

from django.db import migrations

SEPARATOR = "\n"


def _keys_text(keys):
    unique = sorted({key for key in keys if key})
    return SEPARATOR + SEPARATOR.join(unique) + SEPARATOR if unique else ""


def _keys_from_detail(entry):
    if entry.action != "view":
        return []
    if entry.object_id == "list" and entry.detail.startswith("list: "):
        return entry.detail.removeprefix("list: ").split(",")
    if entry.object_id == "" and entry.detail:
        return entry.detail.rsplit(": ", 1)[-1].split(" ")
    return []


def auditlog_backfill(apps, schema_editor):
    AuditLogEntry = apps.get_model("core", "AuditLogEntry")
    User = apps.get_model("core", "User")
    names = {
        user.pk: f"{user.first_name} {user.last_name}".strip() or user.username
        for user in User.objects.only("pk", "first_name", "last_name", "username")
    }
    changed = []
    for entry in AuditLogEntry.objects.only("pk", "user_id", "action", "object_id", "youth_key", "detail").iterator():
        entry.actor_name = names.get(entry.user_id, "")
        keys = _keys_from_detail(entry)
        entry.youth_keys = _keys_text([*keys, entry.youth_key]) if keys else ""
        if entry.actor_name or entry.youth_keys:
            changed.append(entry)
    AuditLogEntry.objects.bulk_update(changed, ["actor_name", "youth_keys"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_organisation_audit_retention_months"),
    ]

    operations = [
        migrations.RunPython(auditlog_backfill, migrations.RunPython.noop),
    ]
