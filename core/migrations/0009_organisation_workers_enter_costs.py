"""An organisation may let its workers enter MKBA cost items on their trajectories (issue 15).

As in 0008: on SQLite adding the column rebuilds core_organisation, which the audit log's delete
trigger (0007) names, so the two triggers are dropped first and installed again last."""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("core.migrations.0007_auditlog_append_only_triggers")


def sqlite_triggers_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        append_only.triggers_remove(apps, schema_editor)


def sqlite_triggers_install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        append_only.triggers_install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_organisation_accountability_settings"),
    ]

    operations = [
        migrations.RunPython(sqlite_triggers_remove, sqlite_triggers_install),
        migrations.AddField(
            model_name="organisation",
            name="workers_enter_costs",
            field=models.BooleanField(
                default=False,
                help_text="Kostenposten 1b, 1c, 2 en 3 op de trajecten die de begeleider mag zien; kosten op een "
                "aanpak als geheel blijven bij beleidsmedewerkers.",
                verbose_name="begeleiders voeren MKBA-kosten in op hun trajecten",
            ),
        ),
        migrations.RunPython(sqlite_triggers_install, sqlite_triggers_remove),
    ]
