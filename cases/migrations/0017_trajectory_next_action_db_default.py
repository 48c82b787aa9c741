"""The next action has a default in the database as well (PostgreSQL), so that writers that do not
know the column (COPY in the import, the benchmarks' INSERT ... SELECT) can still insert
trajectories. On SQLite only the model state changes: altering a column default there rebuilds
cases_trajectory (and would drop its triggers), and every SQLite writer goes through the ORM,
which always gives the value."""

from django.db import migrations, models


def _postgres(statement):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_drop_indexes_covered_by_composite_ones")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="trajectory",
                    name="next_action",
                    field=models.CharField(
                        blank=True, db_default="", default="", max_length=200, verbose_name="volgende actie"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    _postgres("ALTER TABLE cases_trajectory ALTER COLUMN next_action SET DEFAULT ''"),
                    _postgres("ALTER TABLE cases_trajectory ALTER COLUMN next_action DROP DEFAULT"),
                ),
            ],
        ),
    ]
