from django.db import migrations, models


class Migration(migrations.Migration):
    """A partial index for the caseload's long-in-role history: load-bearing coaching/uitvoering
    periods by end date (see caseload.selectors._periods_frame)."""

    dependencies = [
        ("cases", "0006_time_entry_covering_index"),
        ("core", "0002_notification"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="period",
            index=models.Index(
                condition=models.Q(("role__in", ["coaching", "uitvoering"]))
                & ~models.Q(("phase__in", ["aanmelding", "afgesloten", "time-out"])),
                fields=["end_date"],
                name="period_long_role_run_end",
            ),
        ),
    ]
