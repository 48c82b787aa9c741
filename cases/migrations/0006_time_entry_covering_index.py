from django.db import migrations, models


class Migration(migrations.Migration):
    """An index-only path for the caseload's logged minutes per worker and category over a period."""

    dependencies = [
        ("cases", "0005_trajectory_youth_approach_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(fields=["date", "worker", "category", "minutes"], name="time_entry_date_covering"),
        ),
    ]
