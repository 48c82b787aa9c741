"""A youth's complexity history (SPEC §3) and a trajectory's next action (SPEC §1).

On SQLite adding the next-action columns rebuilds cases_trajectory: the triggers of 0012 (one of
them on cases_approach names cases_trajectory and makes the rebuild fail) are dropped first and
made again after, with the overlap triggers of 0003 on cases_trajectory (as 0011 does).
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _sqlite_triggers_drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in importlib.import_module(
        "cases.migrations.0012_trajectory_organisation_kept_by_database"
    ).SQLITE_BACKWARD:
        schema_editor.execute(statement)


def _sqlite_triggers_make(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    overlap = importlib.import_module("cases.migrations.0003_overlap_constraints").SQLITE_FORWARD
    organisation = importlib.import_module(
        "cases.migrations.0012_trajectory_organisation_kept_by_database"
    ).SQLITE_FORWARD
    for statement in [*(s for s in overlap if "ON cases_trajectory" in s), *organisation]:
        schema_editor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_outcome_improved_position_and_target_group_vcv_eligible"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_sqlite_triggers_drop, _sqlite_triggers_make),
        migrations.AddField(
            model_name="trajectory",
            name="next_action",
            field=models.CharField(blank=True, max_length=200, verbose_name="volgende actie"),
        ),
        migrations.AddField(
            model_name="trajectory",
            name="next_action_on",
            field=models.DateField(blank=True, null=True, verbose_name="volgende actie op"),
        ),
        migrations.RunPython(_sqlite_triggers_make, _sqlite_triggers_drop),
        migrations.CreateModel(
            name="ComplexityChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "valid_from",
                    models.DateField(
                        blank=True, help_text="Leeg: vanaf het begin.", null=True, verbose_name="geldt vanaf"
                    ),
                ),
                (
                    "complexity",
                    models.CharField(
                        choices=[("licht", "Licht"), ("meervoudig", "Meervoudig"), ("complex", "Complex")],
                        max_length=20,
                        verbose_name="complexiteit",
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="vastgelegd op")),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="vastgelegd door",
                    ),
                ),
                (
                    "youth",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="complexity_changes",
                        to="cases.youth",
                        verbose_name="jongere",
                    ),
                ),
            ],
            options={
                "verbose_name": "wijziging van de complexiteit",
                "verbose_name_plural": "wijzigingen van de complexiteit",
                "ordering": ["youth", "valid_from"],
                "constraints": [
                    models.UniqueConstraint(fields=("youth", "valid_from"), name="complexity_change_one_per_day"),
                    models.UniqueConstraint(
                        condition=models.Q(("valid_from__isnull", True)),
                        fields=("youth",),
                        name="complexity_change_one_start",
                    ),
                ],
            },
        ),
    ]
