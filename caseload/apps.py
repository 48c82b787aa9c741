from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = _("Caseload en planning")

    def ready(self) -> None:
        # The caseload's stored-report kind joins the registry the reports pipeline asks (core.report_kinds).
        from caseload import reports
        from core import report_kinds

        report_kinds.register(reports.MONTHLY)
