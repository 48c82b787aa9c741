"""The admin is for configuration: who may open it is decided by core.access."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core import access


class CaseloadAdminSite(admin.AdminSite):
    site_header = _("Caseload beheer")
    site_title = _("Caseload beheer")
    index_title = _("Configuratie")

    def has_permission(self, request: HttpRequest) -> bool:
        # A beheerder (their own organisation's configuration) or an operator's superuser; each
        # admin of core.admin.ConfigurationAdmin then scopes its rows to the organisation.
        return access.may_configure(request.user)
