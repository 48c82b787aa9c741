from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisatie en toegang")


class CaseloadAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site of core.admin_site, whose door core.access keeps."""

    default = False
    default_site = "core.admin_site.CaseloadAdminSite"
