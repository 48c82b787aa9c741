import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_user_role_privacy_officer'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditlogentry',
            name='actor_name',
            field=models.CharField(blank=True, max_length=300, verbose_name='wie'),
        ),
        migrations.AddField(
            model_name='auditlogentry',
            name='youth_keys',
            field=models.TextField(blank=True, verbose_name='jongeren (sleutels)'),
        ),
        migrations.AlterField(
            model_name='auditlogentry',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='core.organisation', verbose_name='organisatie'),
        ),
        migrations.AlterField(
            model_name='auditlogentry',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker'),
        ),
        migrations.AddIndex(
            model_name='auditlogentry',
            index=models.Index(fields=['organisation', '-at'], name='auditlog_organisation_at'),
        ),
    ]
