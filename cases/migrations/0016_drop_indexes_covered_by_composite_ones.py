"""Drop indexes that composite ones cover (issue 16): every index costs each imported row.

- cases_timeentry: worker_id (time_entry_worker_date leads with it), trajectory_id
  (time_entry_trajectory_date), and on PostgreSQL the varchar_pattern_ops copy of the unique
  import_key index (nothing searches import keys with LIKE);
- cases_trajectory: youth_id (trajectory_youth_approach), approach_id (trajectory_approach_start),
  organisation_id (trajectory_unique_key_per_organisation);
- cases_period: trajectory_id (period_unique_start_per_trajectory);
- cases_youth: organisation_id (youth_unique_key_per_organisation).

The model state says db_index=False; the database drops each index by its Django name. Not an
AlterField in the database: SQLite would rebuild the tables and lose the triggers of 0003 and 0012.
"""

import django.db.models.deletion
from django.db import migrations, models

# (model, field) whose single-column foreign-key index goes.
COVERED = [
    ("timeentry", "worker"),
    ("timeentry", "trajectory"),
    ("trajectory", "youth"),
    ("trajectory", "approach"),
    ("trajectory", "organisation"),
    ("period", "trajectory"),
    ("youth", "organisation"),
]


def _indexes(apps, schema_editor):
    """(table, column, index name, opclass) of every index this migration drops."""
    indexes = []
    for model_name, field_name in COVERED:
        model = apps.get_model("cases", model_name)
        column = model._meta.get_field(field_name).column
        table = model._meta.db_table
        indexes.append((table, column, schema_editor._create_index_name(table, [column], suffix=""), ""))
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("cases", "timeentry")._meta.db_table
        indexes.append(
            (
                table,
                "import_key",
                schema_editor._create_index_name(table, ["import_key"], suffix="_like"),
                " varchar_pattern_ops",
            )
        )
    return indexes


def indexes_drop(apps, schema_editor):
    quote = schema_editor.quote_name
    for _table, _column, name, _opclass in _indexes(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def indexes_create(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column, name, opclass in _indexes(apps, schema_editor):
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(column)}{opclass})")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_complexity_history_and_next_action"),
        ("core", "0008_organisation_accountability_settings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="period",
                    name="trajectory",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="periods",
                        to="cases.trajectory",
                        verbose_name="traject",
                    ),
                ),
                migrations.AlterField(
                    model_name="timeentry",
                    name="trajectory",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="time_entries",
                        to="cases.trajectory",
                        verbose_name="traject",
                    ),
                ),
                migrations.AlterField(
                    model_name="timeentry",
                    name="worker",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="time_entries",
                        to="core.worker",
                        verbose_name="begeleider",
                    ),
                ),
                migrations.AlterField(
                    model_name="trajectory",
                    name="approach",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="trajectories",
                        to="cases.approach",
                        verbose_name="aanpak",
                    ),
                ),
                migrations.AlterField(
                    model_name="trajectory",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organisation",
                        verbose_name="organisatie",
                    ),
                ),
                migrations.AlterField(
                    model_name="trajectory",
                    name="youth",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="trajectories",
                        to="cases.youth",
                        verbose_name="jongere",
                    ),
                ),
                migrations.AlterField(
                    model_name="youth",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="youths",
                        to="core.organisation",
                        verbose_name="organisatie",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(indexes_drop, indexes_create)],
        ),
    ]
