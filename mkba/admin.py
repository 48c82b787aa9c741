"""Admin for MKBA data: read-only. Parameter sets are versioned data (an edit is a new version,
made with validation by mkba.services through the Kengetallen pages or the API); the reference
approaches are the source study's printed figures, loaded by a data migration."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mkba.models import ParameterSet, ReferenceApproach


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ParameterSet)
class ParameterSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "organisation", "is_indicative", "created_at", "created_by"]
    list_filter = ["organisation", "is_indicative"]
    list_select_related = ["organisation", "created_by"]
    search_fields = ["name"]
    readonly_fields = [field.name for field in ParameterSet._meta.fields]


@admin.register(ReferenceApproach)
class ReferenceApproachAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "type", "target_group", "total_costs", "total_benefits", "social_ratio"]
    readonly_fields = [field.name for field in ReferenceApproach._meta.fields]
