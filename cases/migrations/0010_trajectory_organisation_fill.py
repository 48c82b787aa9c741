"""Data: every existing trajectory gets the organisation of its approach."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Approach = apps.get_model("cases", "Approach")
    Trajectory = apps.get_model("cases", "Trajectory")
    organisation_of_approach = Approach.objects.filter(pk=OuterRef("approach_id")).values("organisation_id")[:1]
    Trajectory.objects.update(organisation_id=Subquery(organisation_of_approach))


def empty(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("cases", "Trajectory").objects.update(organisation_id=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_trajectory_organisation")]

    operations = [migrations.RunPython(fill, empty)]
