# The stored Report moved here from mkba (issue 13): state only, the table mkba_report stays.
# The fields and options are mkba/migrations/0004_report.py's, verbatim, plus db_table.

import datetime

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("mkba", "0005_report_moved_to_reports"),
        ("cases", "0013_cost_item_import_key_with_organisation"),
        ("core", "0007_auditlog_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('caseload_monthly', 'Caseloadrapport per maand'), ('mkba_quarterly', 'MKBA-rapport per kwartaal'), ('mkba_yearly', 'MKBA-rapport per jaar'), ('mkba_on_demand', 'MKBA-rapport op verzoek')], max_length=20, verbose_name='soort')),
                        ('scope_key', models.CharField(max_length=100, verbose_name='reikwijdte')),
                        ('period_start', models.DateField(verbose_name='periode vanaf')),
                        ('period_end', models.DateField(verbose_name='periode tot (exclusief)')),
                        ('measured_at', models.DateField(blank=True, null=True, verbose_name='meetdatum')),
                        ('parameter_version', models.PositiveIntegerField(default=0, verbose_name='versie kengetallen')),
                        ('status', models.CharField(choices=[('pending', 'in de wachtrij'), ('running', 'wordt gemaakt'), ('done', 'klaar'), ('failed', 'mislukt')], default='pending', max_length=10, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='voortgang (%)')),
                        ('progress_text', models.CharField(blank=True, max_length=200, verbose_name='stap')),
                        ('result_json', models.TextField(blank=True, editable=False, verbose_name='resultaat (JSON)')),
                        ('pdf', models.BinaryField(blank=True, null=True, verbose_name='PDF')),
                        ('fingerprint', models.CharField(blank=True, max_length=64, verbose_name='vingerafdruk van de invoer')),
                        ('error', models.TextField(blank=True, verbose_name='fout')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='pogingen')),
                        ('made_by', models.CharField(help_text='schedule:<naam>, demand:<gebruiker> of api:<gebruiker>', max_length=200, verbose_name='aanleiding')),
                        ('task_id', models.CharField(blank=True, max_length=64, verbose_name='taak-id')),
                        ('worker_hostname', models.CharField(blank=True, max_length=200, verbose_name='gemaakt op')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='aangevraagd op')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='gestart op')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='klaar op')),
                        ('approach', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='cases.approach', verbose_name='aanpak')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='core.organisation', verbose_name='organisatie')),
                        ('parameter_set', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='mkba.parameterset', verbose_name='kengetallen')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='requested_reports', to=settings.AUTH_USER_MODEL, verbose_name='aangevraagd door')),
                        ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='core.team', verbose_name='team')),
                    ],
                    options={
                        'verbose_name': 'rapport',
                        'verbose_name_plural': 'rapporten',
                        'db_table': 'mkba_report',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['organisation', 'status'], name='report_organisation_status')],
                        'constraints': [models.UniqueConstraint(models.F('kind'), models.F('scope_key'), models.F('period_start'), models.F('period_end'), django.db.models.functions.comparison.Coalesce(models.F('measured_at'), models.Value(datetime.date(1, 1, 1)), output_field=models.DateField()), django.db.models.functions.comparison.Coalesce(models.F('parameter_set'), models.Value(0), output_field=models.BigIntegerField()), name='report_once_per_kind_scope_period_parameters'), models.CheckConstraint(condition=models.Q(('period_start__lt', models.F('period_end'))), name='report_period_not_empty'), models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='report_progress_at_most_100'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), models.Q(('result_json', ''), _negated=True), _connector='OR'), name='report_done_has_a_result')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
