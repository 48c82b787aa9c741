"""Serializers of the stored-report endpoints (SPEC §5): a report with its URLs and, once done,
its result (the MKBA JSON of SPEC §4 or the caseload JSON of SPEC §3, described for the schema)."""

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from accountability.reports import KINDS as ACCOUNTABILITY_KINDS
from caseload.api.serializers import CaseloadDocumentSerializer
from core.api.serializers import FromToMixin
from mkba.api.serializers import MkbaResultSerializer
from reports.models import Report

_ACCOUNTABILITY_KINDS = {kind.value for kind in ACCOUNTABILITY_KINDS}
# The kinds an accountability report can be (named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
ACCOUNTABILITY_KIND_CHOICES = [(value, label) for value, label in Report.Kind.choices if value in _ACCOUNTABILITY_KINDS]

# --- Stored reports (SPEC §5) ------------------------------------------------------------------------


class AccountabilityReportInputSerializer(FromToMixin, serializers.Serializer[dict[str, Any]]):
    """An accountability report (SPEC.md 4b) of a team or an approach over [from, to)."""

    kind = serializers.ChoiceField(choices=ACCOUNTABILITY_KIND_CHOICES)
    date_from = serializers.DateField(help_text="Begin van de periode.")
    date_to = serializers.DateField(help_text="Einde van de periode (exclusief).")
    measured_at = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Standaard: vandaag; een VCV heeft geen meetdatum."
    )
    team = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1)
    approach = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1)


class ReportParameterSetSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    version = serializers.IntegerField()


class ReportPeriodSerializer(serializers.Serializer[dict[str, Any]]):
    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[override]
        return {
            "from": serializers.DateField(),
            "to": serializers.DateField(help_text="exclusief"),
        }


def report_result_schema() -> PolymorphicProxySerializer:
    """The result of a stored report: the MKBA JSON of SPEC §4, or for a caseload report the
    caseload JSON of SPEC §3 (period mode)."""
    return PolymorphicProxySerializer(
        component_name="ReportResult",
        serializers=[MkbaResultSerializer, CaseloadDocumentSerializer],
        resource_type_field_name=None,
    )


class ReportListSerializer(serializers.ModelSerializer[Report]):
    """A stored report without its result; the URLs point at the API (session or basic auth)."""

    period = serializers.SerializerMethodField()
    parameter_set = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    result_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "progress_text",
            "error",
            "attempts",
            "approach",
            "team",
            "scope_key",
            "period",
            "measured_at",
            "parameter_set",
            "fingerprint",
            "made_by",
            "created_at",
            "started_at",
            "finished_at",
            "status_url",
            "result_url",
            "pdf_url",
            "csv_url",
            "page_url",
        ]
        read_only_fields = fields

    def _url(self, name: str, report: Report) -> str:
        path = reverse(name, args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(ReportPeriodSerializer)
    def get_period(self, report: Report) -> dict[str, str]:
        return {"from": report.period_start.isoformat(), "to": report.period_end.isoformat()}

    @extend_schema_field(ReportParameterSetSerializer(allow_null=True))
    def get_parameter_set(self, report: Report) -> dict[str, Any] | None:
        parameter_set = report.parameter_set
        if parameter_set is None:
            return None
        return {"id": parameter_set.pk, "name": parameter_set.name, "version": parameter_set.version}

    def get_status_url(self, report: Report) -> str:
        return self._url("mkba-report-detail", report)

    @extend_schema_field(OpenApiTypes.URI)
    def get_result_url(self, report: Report) -> str:
        return self._url("mkba-report-result", report)

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, report: Report) -> str:
        return self._url("mkba-report-pdf", report)

    @extend_schema_field(OpenApiTypes.URI)
    def get_csv_url(self, report: Report) -> str:
        return self._url("mkba-report-csv", report)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, report: Report) -> str:
        return self._url("mkba:report_detail", report)


class ReportSerializer(ReportListSerializer):
    """A stored report with its result: null until it is done."""

    result = serializers.SerializerMethodField()

    class Meta(ReportListSerializer.Meta):
        fields = [*ReportListSerializer.Meta.fields, "result"]
        read_only_fields = fields

    @extend_schema_field(report_result_schema())
    def get_result(self, report: Report) -> dict[str, Any] | None:
        return report.result if report.status == Report.Status.DONE else None


class ReportRequestedSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Report.Status.choices)
    status_url = serializers.URLField(help_text="GET: status, voortgang en (als het klaar is) het resultaat.")
    created = serializers.BooleanField(help_text="false: hetzelfde rapport bestond al (zelfde sleutel).")
