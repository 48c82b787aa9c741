"""Overlap rules a CHECK constraint cannot express, enforced by the database itself.

- no two periods of one trajectory overlap ([start, end), an empty end is open);
- a youth is never in two trajectories of one approach at the same time.

PostgreSQL: exclusion constraints over date ranges (btree_gist). SQLite, the embedded default:
triggers that abort the insert or update. Both raise an IntegrityError.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE cases_period ADD CONSTRAINT period_no_overlap_per_trajectory
       EXCLUDE USING gist (trajectory_id WITH =, daterange(start_date, end_date, '[)') WITH &&)""",
    """ALTER TABLE cases_trajectory ADD CONSTRAINT trajectory_no_overlap_per_youth_and_approach
       EXCLUDE USING gist (youth_id WITH =, approach_id WITH =, daterange(start_date, end_date, '[)') WITH &&)""",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE cases_period DROP CONSTRAINT IF EXISTS period_no_overlap_per_trajectory",
    "ALTER TABLE cases_trajectory DROP CONSTRAINT IF EXISTS trajectory_no_overlap_per_youth_and_approach",
]

# One trigger per table and event; `{exclude_self}` keeps an update from clashing with its own row.
_PERIOD_OVERLAP = """
CREATE TRIGGER period_no_overlap_per_trajectory_{event} BEFORE {event} ON cases_period
WHEN EXISTS (
    SELECT 1 FROM cases_period p
    WHERE p.trajectory_id = NEW.trajectory_id {exclude_self}
      AND (NEW.end_date IS NULL OR p.start_date < NEW.end_date)
      AND (p.end_date IS NULL OR NEW.start_date < p.end_date)
)
BEGIN SELECT RAISE(ABORT, 'period_no_overlap_per_trajectory'); END
"""
_TRAJECTORY_OVERLAP = """
CREATE TRIGGER trajectory_no_overlap_per_youth_and_approach_{event} BEFORE {event} ON cases_trajectory
WHEN NEW.start_date <> COALESCE(NEW.end_date, '9999-12-31') AND EXISTS (
    SELECT 1 FROM cases_trajectory t
    WHERE t.youth_id = NEW.youth_id AND t.approach_id = NEW.approach_id {exclude_self}
      AND t.start_date <> COALESCE(t.end_date, '9999-12-31')
      AND (NEW.end_date IS NULL OR t.start_date < NEW.end_date)
      AND (t.end_date IS NULL OR NEW.start_date < t.end_date)
)
BEGIN SELECT RAISE(ABORT, 'trajectory_no_overlap_per_youth_and_approach'); END
"""
SQLITE_FORWARD = [
    _PERIOD_OVERLAP.format(event="INSERT", exclude_self=""),
    _PERIOD_OVERLAP.format(event="UPDATE", exclude_self="AND p.id <> NEW.id"),
    _TRAJECTORY_OVERLAP.format(event="INSERT", exclude_self=""),
    _TRAJECTORY_OVERLAP.format(event="UPDATE", exclude_self="AND t.id <> NEW.id"),
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS period_no_overlap_per_trajectory_INSERT",
    "DROP TRIGGER IF EXISTS period_no_overlap_per_trajectory_UPDATE",
    "DROP TRIGGER IF EXISTS trajectory_no_overlap_per_youth_and_approach_INSERT",
    "DROP TRIGGER IF EXISTS trajectory_no_overlap_per_youth_and_approach_UPDATE",
]


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
