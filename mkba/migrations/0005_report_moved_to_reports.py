from django.db import migrations


class Migration(migrations.Migration):
    """The stored Report moved to the reports app (issue 13): state only, the table mkba_report stays."""

    dependencies = [("mkba", "0004_report")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Report")],
            database_operations=[],
        ),
    ]
