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
        return bool(request.user.is_active and access.navigation(request.user)["admin"])
