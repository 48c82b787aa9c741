from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The stored-report pipeline: it asks core.report_kinds, the apps below register the kinds."""

    name = "reports"
    verbose_name = _("Rapporten")
