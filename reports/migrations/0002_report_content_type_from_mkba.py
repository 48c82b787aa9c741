# Admin log entries and permissions point at the content type of the moved Report: rename it.

from django.db import migrations


def content_type_forwards(apps, schema_editor):
    """Admin log entries and permissions point at the content type; renaming it keeps them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="mkba", model="report").first()
    if old is None:
        return  # fresh database: post_migrate makes reports.report
    new = ContentType.objects.filter(app_label="reports", model="report").first()
    if new is None:
        ContentType.objects.filter(pk=old.pk).update(app_label="reports")
        return
    # Both exist (post_migrate ran between 0001 and 0002 on some server): re-point, then drop the old.
    apps.get_model("admin", "LogEntry").objects.filter(content_type=old).update(content_type=new)
    apps.get_model("auth", "Permission").objects.filter(content_type=old).delete()  # same codenames on new
    old.delete()


def content_type_backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reports", model="report").update(app_label="mkba")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_report_from_mkba"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(content_type_forwards, content_type_backwards)]
