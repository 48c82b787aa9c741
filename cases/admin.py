"""Admin for the configuration of cases: approaches, working elements, target groups, places of
residence, and the cost items of an approach as a whole.

Case contents are not here: youths, trajectories, periods, time entries, outcomes, follow-ups and
handovers are read and written through the services and selectors (scoped and audited), never in
the admin (SPEC §8). For the same reason a cost item on one trajectory is case data and stays out.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cases.models import Approach, CostItem, Municipality, TargetGroup, WorkingElement
from core.admin import ConfigurationAdmin


@admin.register(Approach)
class ApproachAdmin(ConfigurationAdmin):
    list_display = ["name", "organisation", "type", "reference_number", "expected_duration_days"]
    list_filter = ["organisation", "type"]
    list_select_related = ["organisation"]
    search_fields = ["name"]
    filter_horizontal = ["working_elements"]


@admin.register(CostItem)
class CostItemAdmin(ConfigurationAdmin):
    """Costs of an approach as a whole (the trajectory's own costs are case data)."""

    organisation_path = "approach__organisation"
    list_display = ["approach", "line", "amount", "date", "description"]
    list_filter = ["line", "approach"]
    list_select_related = ["approach"]
    exclude = ["trajectory"]

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().scope_queryset(request, queryset).filter(trajectory__isnull=True)


@admin.register(TargetGroup)
class TargetGroupAdmin(ConfigurationAdmin):
    list_display = ["name", "organisation", "vcv_eligible"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(WorkingElement)
class WorkingElementAdmin(ConfigurationAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(ConfigurationAdmin):
    """One list of places for every organisation: a beheerder reads it, an operator keeps it."""

    organisation_path = None
    search_fields = ["name"]
