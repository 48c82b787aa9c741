"""MKBA endpoints (SPEC §6): parameter sets (read, import, new version, export), the reference
approaches, a scenario and a synchronous report preview. (Stored reports, ``/api/v1/mkba/reports/``:
reports.api.)

Querysets, access and the on-demand MKBA come from mkba.selectors; writes from mkba.services. An id in a
request body outside the user's scope is a 400 on that field; a service's ApplicationError is a
400 with its field errors (for a parameter set: per JSON path).
"""

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.ids import IdFilter, IdLookupMixin
from core.models import Organisation, User
from mkba import selectors, services
from mkba.api.permissions import CanEditParameterSetsOrReadOnly, CanReadMkba
from mkba.api.serializers import (
    MkbaErrorSerializer,
    MkbaPreviewInputSerializer,
    MkbaResultSerializer,
    ParameterSetAssignInputSerializer,
    ParameterSetCreateInputSerializer,
    ParameterSetSerializer,
    ParameterSetVersionInputSerializer,
    ReferenceApproachSerializer,
    ScenarioInputSerializer,
)
from mkba.models import ParameterSet, ReferenceApproach

INVALID = OpenApiResponse(MkbaErrorSerializer, description="Ongeldige invoer; bij kengetallen fouten per JSON-pad.")


def _user(request: Request) -> User:
    return cast(User, request.user)


def _organisation(user: User) -> Organisation:
    # CanReadMkba lets only users with an organisation through.
    if user.organisation is None:
        raise PermissionDenied
    return user.organisation


def _approach_in_scope(user: Any, value: str) -> Any:
    """An approach named by id or by name (``selectors.approaches_named``), among those the user may
    see MKBA figures of."""
    matches = selectors.approaches_named(selectors.approaches_for_mkba(user), value)
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


class ParameterSetFilter(django_filters.FilterSet):
    version = IdFilter(help_text="Versienummer (1, 2, ...).")

    class Meta:
        model = ParameterSet
        fields = ["name", "version", "is_indicative"]


@extend_schema_view(
    list=extend_schema(summary="Kengetallensets: die van de eigen organisatie en de gedeelde sets"),
    retrieve=extend_schema(summary="Eén versie van een kengetallenset"),
)
class ParameterSetViewSet(
    IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ParameterSet]
):
    serializer_class = ParameterSetSerializer
    permission_classes = [IsAuthenticated, CanReadMkba, CanEditParameterSetsOrReadOnly]
    filterset_class = ParameterSetFilter
    ordering_fields = ["name", "version", "created_at"]
    ordering = ["name", "-version", "id"]

    def get_queryset(self) -> QuerySet[ParameterSet]:
        return selectors.parameter_sets_visible_to(_user(self.request))

    @extend_schema(
        summary="Kengetallenset importeren",
        description="Slaat een kengetallen-JSON (SPEC §6) op in de eigen organisatie, na validatie. Een bestaande "
        "naam wordt de volgende versie van die set. Bij fouten (400) wordt niets opgeslagen.",
        request=ParameterSetCreateInputSerializer,
        responses={201: ParameterSetSerializer, 400: INVALID},
    )
    def create(self, request: Request) -> Response:
        serializer = ParameterSetCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _user(request)
        parameter_set = services.parameter_set_create(
            organisation=_organisation(user),
            created_by=user,
            **serializer.validated_data,
        )
        return Response(ParameterSetSerializer(parameter_set).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Nieuwe versie van een kengetallenset",
        description="Bewerken maakt altijd een nieuwe versie (hoogste versie + 1), nooit een wijziging. Een gedeelde "
        "set wordt zo een eigen versie van de organisatie. Aanpakken met een oudere versie van deze set gaan mee.",
        request=ParameterSetVersionInputSerializer,
        responses={201: ParameterSetSerializer, 400: INVALID},
    )
    @action(detail=True, methods=["post"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        base = self.get_object()
        serializer = ParameterSetVersionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _user(request)
        parameter_set = services.parameter_set_version_create(
            parameter_set=base,
            organisation=_organisation(user),
            created_by=user,
            **serializer.validated_data,
        )
        return Response(ParameterSetSerializer(parameter_set).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Kengetallenset exporteren als JSON (SPEC §6)",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="De kengetallen-JSON van SPEC §6.")},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> Response:
        parameter_set = self.get_object()
        response = Response(selectors.parameter_set_export(parameter_set))
        response["Content-Disposition"] = (
            f'attachment; filename="kengetallen-{parameter_set.pk}-v{parameter_set.version}.json"'
        )
        return response

    @extend_schema(
        summary="Aanpak deze kengetallenset laten gebruiken",
        request=ParameterSetAssignInputSerializer,
        responses={200: ParameterSetSerializer, 400: INVALID},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        parameter_set = self.get_object()
        serializer = ParameterSetAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _user(request)
        approach = _in_scope(selectors.approaches_for_mkba(user), serializer.validated_data["approach"], "approach")
        services.approach_parameter_set_assign(approach=approach, parameter_set=parameter_set, user=user)
        return Response(ParameterSetSerializer(parameter_set).data)


@extend_schema_view(
    list=extend_schema(summary="De tien referentieaanpakken uit de meta-analyse (per deelnemer, zoals gedrukt)"),
    retrieve=extend_schema(summary="Eén referentieaanpak"),
)
class ReferenceApproachViewSet(
    IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ReferenceApproach]
):
    """Published figures of the source study: every logged-in user may read them."""

    serializer_class = ReferenceApproachSerializer
    lookup_field = "number"
    pagination_class = None
    ordering = ["number"]

    def get_queryset(self) -> QuerySet[ReferenceApproach]:
        return selectors.reference_approaches_list()


class MkbaScenarioView(APIView):
    """Scenario mode with a reference approach; asks what the Rendement page asks (MKBA readers)."""

    permission_classes = [IsAuthenticated, CanReadMkba]

    @extend_schema(
        summary="MKBA in scenariomodus met referentieaanpak K",
        description="Kosten en baten per deelnemer van referentieaanpak K (1-10) maal N; dezelfde JSON als een "
        "MKBA-rapport (SPEC §4), met de tien referentieaanpakken ernaast.",
        request=ScenarioInputSerializer,
        responses={200: MkbaResultSerializer, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        serializer = ScenarioInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        output = selectors.mkba_scenario_generate(
            reference_number=serializer.validated_data["reference"],
            participants=serializer.validated_data["participants"],
        )
        return Response(output)


class MkbaPreviewView(APIView):
    permission_classes = [IsAuthenticated, CanReadMkba]

    @extend_schema(
        summary="MKBA-rapport direct berekenen (niet opgeslagen)",
        description="Berekent het MKBA-rapport (SPEC §4) voor het cohort van een aanpak: trajecten gestart in "
        "[from, to), resultaten tot en met measured_at. Slaat niets op; een opgeslagen rapport maakt de "
        "achtergrondtaak (POST /api/v1/mkba/reports/).",
        request=MkbaPreviewInputSerializer,
        responses={200: MkbaResultSerializer, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        serializer = MkbaPreviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _user(request)
        output = selectors.mkba_report_generate(
            approach=_approach_in_scope(user, data["approach"]),
            date_from=data["date_from"],
            date_to=data["date_to"],
            measured_at=data["measured_at"] or timezone.localdate(),
            parameter_set=_in_scope(selectors.parameter_sets_visible_to(user), data["parameter_set"], "parameter_set"),
            team=_in_scope(selectors.teams_for_mkba(user), data["team"], "team"),
        )
        return Response(output)
