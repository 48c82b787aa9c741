"""The database keeps Trajectory.organisation equal to the organisation of the trajectory's approach.

Every writer of trajectories (the services, the import, the demo, the benchmarks' raw SQL, the test
factories) gets it right without knowing the column exists, and no writer can set it wrongly:
- on insert, and on an update of approach_id or organisation_id, the copy is taken from the approach;
- when an approach moves to another organisation, its trajectories move with it.
PostgreSQL: BEFORE row triggers that set NEW.organisation_id (COPY fires them too). SQLite, the
embedded default: AFTER triggers that correct the row (SQLite cannot change NEW); a clash with the
per-organisation key (0011) then fails the statement all the same.

SQLite caveat for later migrations: a change that makes Django rebuild cases_trajectory or
cases_approach (most AlterField/RemoveField there) fails on these triggers ("no such table" while
renaming the rebuilt table), and a rebuild of cases_trajectory would drop its own triggers silently.
Such a migration drops SQLITE_BACKWARD first and runs SQLITE_FORWARD again after (as 0011 does for
the overlap triggers of 0003).
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """CREATE FUNCTION cases_trajectory_organisation_of_approach() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           SELECT a.organisation_id INTO NEW.organisation_id FROM cases_approach a WHERE a.id = NEW.approach_id;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER trajectory_organisation_of_approach
       BEFORE INSERT OR UPDATE OF approach_id, organisation_id ON cases_trajectory
       FOR EACH ROW EXECUTE FUNCTION cases_trajectory_organisation_of_approach()""",
    """CREATE FUNCTION cases_approach_organisation_to_trajectories() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           UPDATE cases_trajectory SET organisation_id = NEW.organisation_id WHERE approach_id = NEW.id;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER approach_organisation_to_trajectories
       AFTER UPDATE OF organisation_id ON cases_approach
       FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
       EXECUTE FUNCTION cases_approach_organisation_to_trajectories()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS approach_organisation_to_trajectories ON cases_approach",
    "DROP FUNCTION IF EXISTS cases_approach_organisation_to_trajectories()",
    "DROP TRIGGER IF EXISTS trajectory_organisation_of_approach ON cases_trajectory",
    "DROP FUNCTION IF EXISTS cases_trajectory_organisation_of_approach()",
]

SQLITE_FORWARD = [
    """CREATE TRIGGER trajectory_organisation_of_approach_INSERT AFTER INSERT ON cases_trajectory
        BEGIN UPDATE cases_trajectory SET organisation_id = (SELECT a.organisation_id FROM cases_approach a WHERE a.id = NEW.approach_id) WHERE id = NEW.id; END""",
    """CREATE TRIGGER trajectory_organisation_of_approach_UPDATE
        AFTER UPDATE OF approach_id, organisation_id ON cases_trajectory
        WHEN NEW.organisation_id IS NOT (SELECT a.organisation_id FROM cases_approach a WHERE a.id = NEW.approach_id)
        BEGIN UPDATE cases_trajectory SET organisation_id = (SELECT a.organisation_id FROM cases_approach a WHERE a.id = NEW.approach_id) WHERE id = NEW.id; END""",
    """CREATE TRIGGER approach_organisation_to_trajectories AFTER UPDATE OF organisation_id ON cases_approach
       WHEN OLD.organisation_id IS NOT NEW.organisation_id
       BEGIN UPDATE cases_trajectory SET organisation_id = NEW.organisation_id WHERE approach_id = NEW.id; END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS approach_organisation_to_trajectories",
    "DROP TRIGGER IF EXISTS trajectory_organisation_of_approach_UPDATE",
    "DROP TRIGGER IF EXISTS trajectory_organisation_of_approach_INSERT",
]


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_trajectory_key_unique_per_organisation")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
