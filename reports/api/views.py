"""Stored-report endpoints (SPEC §5): ``POST /api/v1/mkba/reports/`` starts an MKBA report made by
a background job and returns its status URL; the list, the status, and for a finished report the
contract JSON, its PDF and its CSV.

Querysets and access come from reports.selectors (core.access decides, through ``CanReadMkba``);
writes from reports.services. An id in a request body outside the user's scope is a 400 on that
field; a service's ApplicationError is a 400 with its field errors.
"""

import json
from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability.reports import KINDS as ACCOUNTABILITY_KINDS
from cases.models import Approach
from core import access
from core import selectors as core_selectors
from core.access import CaseScope
from core.api.ids import ID_SCHEMA, IdFilter, IdLookupMixin, is_id
from core.models import Organisation, User
from core.spreadsheets import XLSX_CONTENT_TYPE
from mkba import reports as mkba_reports
from mkba import selectors as mkba_selectors
from mkba.api.permissions import CanReadMkba
from mkba.api.serializers import MkbaErrorSerializer, MkbaPreviewInputSerializer
from reports import documents, selectors, services
from reports.api.serializers import (
    AccountabilityReportInputSerializer,
    ReportListSerializer,
    ReportRequestedSerializer,
    ReportSerializer,
    report_result_schema,
)
from reports.models import Report

INVALID = OpenApiResponse(MkbaErrorSerializer, description="Ongeldige invoer; bij kengetallen fouten per JSON-pad.")


def _user(request: Request) -> User:
    return cast(User, request.user)


def _organisation(user: User) -> Organisation:
    # CanReadMkba lets only users with an organisation through.
    if user.organisation is None:
        raise PermissionDenied
    return user.organisation


def _approach_in_scope(user: Any, value: str) -> Any:
    """An approach named by id or by name (``mkba.selectors.approaches_named``), among those the user may
    see MKBA figures of."""
    matches = mkba_selectors.approaches_named(mkba_selectors.approaches_for_mkba(user), value)
    if not matches:
        raise ValidationError({"approach": ["Onbekend of niet zichtbaar voor u."]})
    if len(matches) > 1:
        ids = ", ".join(str(approach.pk) for approach in matches)
        raise ValidationError({"approach": [f"Deze naam is niet eenduidig; geef het id ({ids})."]})
    return matches[0]


def _in_scope(queryset: QuerySet[Any], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: ["Onbekend of niet zichtbaar voor u."]})
    return found


# --- Stored reports (SPEC §5) ------------------------------------------------------------------------


class _FileRenderer(BaseRenderer):
    """Lets a client ask for the file type (``Accept: application/pdf``); an error is still JSON."""

    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class PdfRenderer(_FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class CsvRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(_FileRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


NOT_DONE = OpenApiResponse(description="Onbekend, niet zichtbaar voor u, of (nog) niet klaar.")


class ReportFilter(django_filters.FilterSet):
    # Ids as bounded integers: a model-choice filter looked a huge id up and failed with a 500.
    approach = IdFilter(field_name="approach_id")
    team = IdFilter(field_name="team_id")

    class Meta:
        model = Report
        fields = ["kind", "status", "approach", "team"]


@extend_schema_view(
    list=extend_schema(
        summary="Opgeslagen rapporten",
        description="De rapporten van de eigen organisatie die u mag zien (teamleiders: die van hele aanpakken "
        "en van hun eigen teams), nieuwste eerst, zonder resultaat.",
        responses={200: ReportListSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="Status, voortgang en resultaat van een rapport",
        description="Het statusadres van een aangevraagd rapport. ``result`` is leeg (null) tot de status ``done`` "
        "is; een mislukt rapport noemt zijn fout.",
        responses={200: ReportSerializer},
    ),
)
class ReportViewSet(IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Report]):
    permission_classes = [IsAuthenticated, CanReadMkba]
    filterset_class = ReportFilter
    ordering_fields = ["created_at", "period_start", "finished_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Report]:
        user = _user(self.request)
        if self.action == "list":
            return selectors.report_list_for(user)
        return selectors.reports_visible_to(user)

    def get_serializer_class(self) -> type[ReportListSerializer]:
        return ReportListSerializer if self.action == "list" else ReportSerializer

    @extend_schema(
        summary="MKBA-rapport aanvragen (achtergrondtaak)",
        description="Start het maken van een opgeslagen MKBA-rapport voor het cohort van een aanpak (trajecten "
        "gestart in [from, to), resultaten tot en met measured_at, standaard vandaag; kengetallen standaard die "
        "van de aanpak). Antwoord 202 met het id en het statusadres; 200 met het bestaande rapport als hetzelfde "
        "rapport (aanpak, team, periode, meetdatum, versie van de kengetallen) al bestaat: een rapport wordt "
        "eenmaal gemaakt.",
        request=MkbaPreviewInputSerializer,
        responses={202: ReportRequestedSerializer, 200: ReportRequestedSerializer, 400: INVALID},
    )
    def create(self, request: Request) -> Response:
        serializer = MkbaPreviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _user(request)
        report, created = services.report_request(
            kind=mkba_reports.ON_DEMAND.value,
            organisation=_organisation(user),
            approach=_approach_in_scope(user, data["approach"]),
            team=_in_scope(mkba_selectors.teams_for_mkba(user), data["team"], "team"),
            period_start=data["date_from"],
            period_end=data["date_to"],
            measured_at=data["measured_at"] or timezone.localdate(),
            parameter_set=_in_scope(
                mkba_selectors.parameter_sets_visible_to(user), data["parameter_set"], "parameter_set"
            ),
            requested_by=user,
            made_by=f"api:{user.username}",
        )
        return self._requested(request, report, created)

    @extend_schema(
        summary="Verantwoordingsrapport aanvragen (achtergrondtaak)",
        description="Start het maken van een opgeslagen rapport van SPEC §4b (resultaatindicatoren, VCV, tijd tot "
        "eerste contact, werkzame elementen of de monitor) voor een team of een aanpak over [from, to). "
        "Teamleiders vragen het aan voor een eigen team. Antwoord 202 met het statusadres; 200 met het bestaande "
        "rapport als hetzelfde rapport al bestaat.",
        request=AccountabilityReportInputSerializer,
        responses={202: ReportRequestedSerializer, 200: ReportRequestedSerializer, 400: INVALID},
    )
    @action(detail=False, methods=["post"], url_path="accountability")
    def accountability(self, request: Request) -> Response:
        serializer = AccountabilityReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _user(request)
        organisation = _organisation(user)
        kind = next(kind for kind in ACCOUNTABILITY_KINDS if kind.value == data["kind"])  # a valid choice
        team = _in_scope(core_selectors.teams_visible_to(user), data["team"], "team")
        approach = _in_scope(Approach.objects.filter(organisation=organisation), data["approach"], "approach")
        if team is None and access.case_scope(user) == CaseScope.LED_TEAMS:
            raise ValidationError({"team": ["Kies een van uw teams."]})
        report, created = services.report_request(
            kind=kind.value,
            organisation=organisation,
            approach=approach,
            team=team,
            period_start=data["date_from"],
            period_end=data["date_to"],
            measured_at=(data["measured_at"] or timezone.localdate()) if kind.measured else None,
            requested_by=user,
            made_by=f"api:{user.username}",
        )
        return self._requested(request, report, created)

    def _requested(self, request: Request, report: Report, created: bool) -> Response:
        status_url = request.build_absolute_uri(reverse("mkba-report-detail", args=[report.pk]))
        body = {"id": report.pk, "status": report.status, "status_url": status_url, "created": created}
        response = Response(
            ReportRequestedSerializer(body).data, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        )
        response["Location"] = status_url
        return response

    def _done(self) -> Report:
        report = self.get_object()
        if report.status != Report.Status.DONE or report.result is None:
            raise Http404
        return report

    @extend_schema(
        summary="Het resultaat van een rapport",
        description="Precies de MKBA-JSON van SPEC §4 (voor een caseloadrapport: de caseload-JSON van SPEC §3); "
        "404 zolang het rapport niet klaar is.",
        responses={200: report_result_schema(), 404: NOT_DONE},
    )
    @action(detail=True, methods=["get"])
    def result(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._done().result)

    @extend_schema(
        summary="Het rapport als PDF",
        description="De pagina van het rapport met grafieken, als PDF (gemaakt door de achtergrondtaak).",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_DONE},
    )
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer, JSONRenderer])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self._done()
        pdf = selectors.report_pdf_bytes(report) or documents.report_pdf(report)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="rapport-{report.pk}.pdf"'
        return response

    @extend_schema(
        summary="De cijfers van het rapport als CSV",
        description="Eén regel per cijfer: section,key,value (UTF-8, komma als scheidingsteken, kopregel).",
        responses={(200, "text/csv"): OpenApiTypes.STR, 404: NOT_DONE},
    )
    @action(detail=True, methods=["get"], renderer_classes=[CsvRenderer, JSONRenderer])
    def csv(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self._done()
        figures = documents.report_csv(report.result or {}, list_item_keys=report.kind_spec.csv_list_item_keys)
        response = HttpResponse(figures, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rapport-{report.pk}.csv"'
        return response

    @extend_schema(
        summary="Het rapport als Excel-bestand",
        description="Alle cijfers onder Nederlandse kopjes, getallen als getallen; bij een VCV-rapport eerst "
        "het blad van de einddeclaratie.",
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY, 404: NOT_DONE},
    )
    @action(detail=True, methods=["get"], renderer_classes=[XlsxRenderer, JSONRenderer])
    def xlsx(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self._done()
        response = HttpResponse(documents.report_xlsx(report), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="rapport-{report.pk}.xlsx"'
        return response


# --- An own scenario beside a stored report (issue 17, item 6) -------------------------------------


class OwnScenarioCompareView(APIView):
    """Here and not in mkba.api: the stored reports are this app's (mkba does not import it)."""

    permission_classes = [IsAuthenticated, CanReadMkba]

    @extend_schema(
        summary="Eigen scenario (vooraf) naast een MKBA-rapport (achteraf), regel voor regel",
        description="Per kosten- en batenpost, per belanghebbende en voor de totalen het bedrag per deelnemer vooraf "
        "(het scenario) en achteraf (een afgerond MKBA-rapport van de aanpak van het scenario) en het verschil "
        "(achteraf min vooraf), in hele euro; de drie verhoudingen met hun verschil. Zonder ``report``: het "
        "nieuwste afgeronde rapport van de aanpak.",
        parameters=[
            OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH, description="Id van een versie van het scenario."),
            OpenApiParameter("report", ID_SCHEMA, description="Id van een afgerond MKBA-rapport van de aanpak."),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="De vergelijking."), 400: INVALID},
    )
    def get(self, request: Request, pk: str) -> Response:
        # The route takes any segment, so an id no row can have is this JSON 404 (core.api.ids).
        if not is_id(pk):
            raise Http404
        user = _user(request)
        scenario = mkba_selectors.own_scenarios_visible_to(user).filter(pk=int(pk)).first()
        if scenario is None:
            raise Http404
        reports = selectors.mkba_reports_for_scenario(user, scenario.approach_id)
        wanted = request.query_params.get("report", "")
        if wanted:
            if not is_id(wanted):
                raise ValidationError({"report": ["Geef het id van een rapport."]})
            reports = reports.filter(pk=int(wanted))
        report = reports.first()
        if report is None or report.result is None:
            raise ValidationError({"report": ["Geen afgerond MKBA-rapport van de aanpak van dit scenario."]})
        return Response(
            {
                "scenario": {"id": scenario.pk, "name": scenario.name, "version": scenario.version},
                "report": {"id": report.pk, "period_start": report.period_start, "period_end": report.period_end},
                **mkba_selectors.own_scenario_comparison(scenario, report.result),
            }
        )
