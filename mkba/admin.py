"""Admin for MKBA data: read-only. Parameter sets are versioned data (an edit is a new version,
made with validation by mkba.services through the Kengetallen pages or the API); the reference
approaches are the source study's printed figures, loaded by a data migration. Each is scoped to
the beheerder's organisation by core.admin.ConfigurationAdmin. (Stored reports: reports.admin.)"""

from django.contrib import admin

from core.admin import ConfigurationAdmin
from mkba.models import ParameterSet, ReferenceApproach


class ReadOnlyAdmin(ConfigurationAdmin):
    read_only = True


@admin.register(ParameterSet)
class ParameterSetAdmin(ReadOnlyAdmin):
    shared_rows_visible = True  # the shipped default set, shared by every organisation
    list_display = ["name", "version", "organisation", "is_indicative", "created_at", "created_by"]
    list_filter = ["organisation", "is_indicative"]
    list_select_related = ["organisation", "created_by"]
    search_fields = ["name"]
    readonly_fields = [field.name for field in ParameterSet._meta.fields]


@admin.register(ReferenceApproach)
class ReferenceApproachAdmin(ReadOnlyAdmin):
    organisation_path = None  # the source study's figures, the same for everyone
    list_display = ["number", "name", "type", "target_group", "total_costs", "total_benefits", "social_ratio"]
    readonly_fields = [field.name for field in ReferenceApproach._meta.fields]
