"""A trajectory's key is unique within its organisation, not over all organisations (issue 12):
the API accepts a chosen key, and the default key embeds the youth's key, so a key unique over all
organisations told anyone whether another organisation had that youth in that approach.

On SQLite dropping the column's UNIQUE rebuilds cases_trajectory, which drops the triggers on it:
the overlap triggers of 0003 are made again right after (and again when this is reversed).
"""

import importlib

from django.db import migrations, models


def _overlap_triggers_restore(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    overlap = importlib.import_module("cases.migrations.0003_overlap_constraints")
    for statement in overlap.SQLITE_FORWARD:
        if "ON cases_trajectory" in statement:
            schema_editor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_trajectory_organisation_fill")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _overlap_triggers_restore),
        migrations.AlterField(
            model_name="trajectory",
            name="external_id",
            field=models.CharField(max_length=100, verbose_name="extern id"),
        ),
        migrations.AddConstraint(
            model_name="trajectory",
            constraint=models.UniqueConstraint(
                fields=("organisation", "external_id"),
                name="trajectory_unique_key_per_organisation",
                violation_error_message="Deze sleutel bestaat al.",
            ),
        ),
        migrations.RunPython(_overlap_triggers_restore, migrations.RunPython.noop),
    ]
