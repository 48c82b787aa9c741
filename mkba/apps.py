from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MkbaConfig(AppConfig):
    name = "mkba"
    verbose_name = _("Maatschappelijk rendement (MKBA)")

    def ready(self) -> None:
        # The MKBA's stored-report kinds join the registry the reports pipeline asks (core.report_kinds).
        from core import report_kinds
        from mkba import reports

        for kind in reports.KINDS:
            report_kinds.register(kind)
