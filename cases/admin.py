from django.contrib import admin

from cases.models import (
    Approach,
    CostItem,
    FollowUp,
    Handover,
    Municipality,
    Outcome,
    Period,
    TargetGroup,
    TimeEntry,
    Trajectory,
    WorkingElement,
    Youth,
)


@admin.register(Approach)
class ApproachAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "type", "reference_number", "expected_duration_days"]
    list_filter = ["organisation", "type"]
    search_fields = ["name"]
    filter_horizontal = ["working_elements"]


@admin.register(Youth)
class YouthAdmin(admin.ModelAdmin):
    list_display = ["external_id", "organisation", "target_group", "complexity", "referral_route", "reported_on"]
    list_filter = ["organisation", "complexity", "referral_route", "education_level"]
    search_fields = ["external_id"]
    list_select_related = ["organisation", "target_group"]


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0
    raw_id_fields = ["worker"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["external_id", "youth", "approach", "worker", "start_date", "end_date"]
    list_filter = ["approach__organisation", "approach"]
    search_fields = ["external_id", "youth__external_id"]
    list_select_related = ["youth", "approach", "worker"]
    raw_id_fields = ["youth", "worker"]
    inlines = [PeriodInline, OutcomeInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "phase", "role", "start_date", "end_date", "worker"]
    list_filter = ["phase", "role"]
    raw_id_fields = ["trajectory", "worker"]


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    list_display = ["worker", "date", "minutes", "category", "trajectory"]
    list_filter = ["category"]
    date_hierarchy = "date"
    raw_id_fields = ["worker", "trajectory"]
    list_select_related = ["worker", "trajectory"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "outcome", "date"]
    list_filter = ["outcome"]
    raw_id_fields = ["trajectory"]


@admin.register(CostItem)
class CostItemAdmin(admin.ModelAdmin):
    list_display = ["approach", "trajectory", "line", "amount", "date"]
    list_filter = ["line", "approach"]
    raw_id_fields = ["trajectory"]


admin.site.register(Handover)
admin.site.register(FollowUp)
admin.site.register(TargetGroup)
admin.site.register(Municipality)
admin.site.register(WorkingElement)
