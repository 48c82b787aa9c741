"""Admin for the stored reports: read-only (immutable, made by background jobs; a failed one can
be started again with an action), scoped to the beheerder's organisation by
core.admin.ConfigurationAdmin. A report shows its metadata only (its result and PDF are read on
the report pages, by those who may). Its address stays /beheer/mkba/report/ (legacy_paths)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import User
from mkba.admin import ReadOnlyAdmin
from reports import services
from reports.models import Report


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
        "pdf_size"
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return super().get_queryset(request).defer("pdf", "result_json")

    @admin.display(description=_("fout"))
    def short_error(self, report: Report) -> str:
        return report.error[:120]

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


admin.site.legacy_paths["mkba/report/"] = Report  # type: ignore[attr-defined]
