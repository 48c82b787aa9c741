from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Verantwoording")

    def ready(self) -> None:
        # The accountability report kinds join the registry the reports pipeline asks (core.report_kinds).
        from accountability import reports
        from core import report_kinds

        for kind in reports.KINDS:
            report_kinds.register(kind)
