"""Trajectory.organisation: a copy of the approach's organisation, so that a trajectory key can be
unique per organisation (0011). Filled by 0010, kept by the database from 0012 on."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_youth_key_unique_per_organisation"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="trajectory",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organisation",
                verbose_name="organisatie",
            ),
        ),
    ]
