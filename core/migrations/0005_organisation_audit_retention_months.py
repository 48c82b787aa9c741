import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_auditlog_actor_name_and_youth_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='audit_retention_months',
            field=models.PositiveIntegerField(default=84, help_text='Hoe lang de auditregels (wie zag of wijzigde wat) bewaard blijven; daarna verwijdert een dagelijkse taak ze.', validators=[django.core.validators.MinValueValidator(12)], verbose_name='bewaartermijn auditlog (maanden)'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=models.Q(('audit_retention_months__gt', models.F('retention_months'))), name='organisation_audit_retention_longer_than_case_retention', violation_error_message='De bewaartermijn van het auditlog moet langer zijn dan die van afgesloten trajecten.'),
        ),
    ]
