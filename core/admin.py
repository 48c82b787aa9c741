from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import AuditLogEntry, FtePeriod, Organisation, Team, User, Worker


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "productive_hours_per_fte", "hourly_rate"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    filter_horizontal = ["leads"]
    search_fields = ["name"]


class FtePeriodInline(admin.TabularInline):
    model = FtePeriod
    extra = 0


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "team", "function", "is_active"]
    list_filter = ["team__organisation", "team", "function", "is_active"]
    list_select_related = ["team"]
    search_fields = ["name", "external_id"]
    inlines = [FtePeriodInline]
    raw_id_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    list_select_related = ["organisation"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Caseload"), {"fields": ("role", "organisation")}))  # type: ignore[misc]


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited is no audit log."""

    list_display = ["at", "user", "action", "object_type", "object_id", "youth_key", "detail"]
    list_filter = ["action", "object_type", "organisation"]
    search_fields = ["youth_key", "object_id", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
