"""The admin is for configuration: who may open it is decided by core.access."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from core import access


class CaseloadAdminSite(admin.AdminSite):
    site_header = _("Caseload beheer")
    site_title = _("Caseload beheer")
    index_title = _("Configuratie")

    # A model that moved to another app keeps its admin address and its place in the index:
    # "<old app>/<model>/" -> the model (reports.admin puts "mkba/report/" -> Report here).
    legacy_paths: dict[str, type[Model]] = {}

    def has_permission(self, request: HttpRequest) -> bool:
        # A beheerder (their own organisation's configuration) or an operator's superuser; each
        # admin of core.admin.ConfigurationAdmin then scopes its rows to the organisation.
        return access.may_configure(request.user)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super().get_urls()
        aliases = [
            path(prefix, include(self._registry[model].urls))
            for prefix, model in self.legacy_paths.items()
            if model in self._registry
        ]
        if self.final_catch_all_view:  # the aliases go before the catch-all pattern
            return [*urls[:-1], *aliases, urls[-1]]
        return [*urls, *aliases]

    def _build_app_dict(self, request: HttpRequest, label: Any = None) -> Any:
        """The index as before a model moved: it is listed (with its old address) under its old app."""
        if label is not None:
            apps = super()._build_app_dict(request)
            return self._with_legacy_places(apps).get(label)
        return self._with_legacy_places(super()._build_app_dict(request))

    def _with_legacy_places(self, apps: dict[str, Any]) -> dict[str, Any]:
        for prefix, model in self.legacy_paths.items():
            old_label = prefix.split("/")[0]
            new = apps.get(model._meta.app_label)
            if new is None or old_label not in apps:
                continue
            for entry in [entry for entry in new["models"] if entry.get("model") is model]:
                new["models"].remove(entry)
                for key in ("admin_url", "add_url"):
                    if entry.get(key):
                        entry[key] = entry[key].replace(
                            f"/{model._meta.app_label}/{model._meta.model_name}/", f"/{prefix}", 1
                        )
                apps[old_label]["models"].append(entry)
            if not new["models"]:
                del apps[model._meta.app_label]
        return apps
