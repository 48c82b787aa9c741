"""A youth's key is unique within its organisation, not over all organisations (issue 12, SPEC §8):
a key in use elsewhere must not answer "already exists" to another organisation."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_period_long_role_run_end_index"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="youth",
            name="external_id",
            field=models.CharField(max_length=100, verbose_name="sleutel"),
        ),
        migrations.AddConstraint(
            model_name="youth",
            constraint=models.UniqueConstraint(
                fields=("organisation", "external_id"),
                name="youth_unique_key_per_organisation",
                violation_error_message="Deze sleutel bestaat al.",
            ),
        ),
    ]
