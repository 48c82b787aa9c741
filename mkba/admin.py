"""Admin for MKBA data: read-only. Parameter sets are versioned data (an edit is a new version,
made with validation by mkba.services through the Kengetallen pages or the API); the reference
approaches are the source study's printed figures, loaded by a data migration; stored reports are
immutable and made by background jobs (a failed one can be started again with an action)."""

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import User
from mkba import services
from mkba.models import ParameterSet, ReferenceApproach, Report


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


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Stored reports: status, progress and errors of the jobs, for an admin to follow up."""

    list_display = [
        "id",
        "kind",
        "organisation",
        "scope_key",
        "period_start",
        "period_end",
        "parameter_version",
        "status",
        "progress",
        "attempts",
        "short_error",
        "made_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["scope_key", "made_by", "error", "fingerprint"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]
    readonly_fields = [field.name for field in Report._meta.fields if field.name not in ("pdf", "result_json")] + [
        "result_json",
        "pdf_size",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return super().get_queryset(request).defer("pdf")

    @admin.display(description=_("fout"))
    def short_error(self, report: Report) -> str:
        return report.error[:120]

    @admin.display(description=_("resultaat (JSON)"))
    def result_json(self, report: Report) -> str:
        if report.result is None:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(report.result, ensure_ascii=False, indent=2)[:20000])

    @admin.display(description=_("PDF"))
    def pdf_size(self, report: Report) -> str:
        size = Report.objects.filter(pk=report.pk).values_list("pdf", flat=True).first()
        return f"{len(size):,} bytes" if size else "—"

    @admin.action(description=_("Mislukte rapporten opnieuw starten"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        user = request.user if isinstance(request.user, User) else None
        started = sum(
            services.report_retry(report=report, user=user)
            for report in queryset.filter(status=Report.Status.FAILED).select_related("organisation")
        )
        self.message_user(
            request,
            ngettext("%(n)d rapport opnieuw gestart.", "%(n)d rapporten opnieuw gestart.", started) % {"n": started},
            messages.SUCCESS if started else messages.WARNING,
        )
