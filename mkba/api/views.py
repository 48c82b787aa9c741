"""MKBA endpoints (SPEC §6): parameter sets (read, import, new version, export), the reference
approaches, a scenario, a synchronous report preview, cost items (SPEC §4 lines 1b, 1c, 2, 3) and
own ex-ante scenarios (issue 17, item 6: list, create, one version with its result, a new version;
their comparison with a stored report is reports.api's). (Stored reports, ``/api/v1/mkba/reports/``:
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

from cases.models import CostItem, CostLine
from core.access import Capability
from core.api.ids import IdFilter, IdLookupMixin
from core.api.permissions import HasCapability
from core.models import Organisation, User
from mkba import selectors, services
from mkba.api.permissions import CanEditOwnScenariosOrReadOnly, CanEditParameterSetsOrReadOnly, CanReadMkba
from mkba.api.serializers import (
    CostItemInputSerializer,
    CostItemSerializer,
    MkbaErrorSerializer,
    MkbaPreviewInputSerializer,
    MkbaResultSerializer,
    OwnScenarioCreateInputSerializer,
    OwnScenarioDetailSerializer,
    OwnScenarioSerializer,
    OwnScenarioVersionInputSerializer,
    ParameterSetAssignInputSerializer,
    ParameterSetCreateInputSerializer,
    ParameterSetSerializer,
    ParameterSetVersionInputSerializer,
    ReferenceApproachSerializer,
    ScenarioInputSerializer,
)
from mkba.models import OwnScenario, ParameterSet, ReferenceApproach

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


class CostItemFilter(django_filters.FilterSet):
    approach = IdFilter(field_name="approach_id")
    trajectory = IdFilter(field_name="trajectory_id")
    line = django_filters.ChoiceFilter(choices=CostLine.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="Vanaf (inclusief).")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Tot en met.")
    approach_level = django_filters.BooleanFilter(
        field_name="trajectory",
        lookup_expr="isnull",
        help_text="Alleen posten op de aanpak als geheel (true) of op trajecten (false).",
    )

    class Meta:
        model = CostItem
        fields = ["approach", "trajectory", "line", "date_from", "date_to", "approach_level"]


@extend_schema_view(
    list=extend_schema(summary="Kostenposten (1b, 1c, 2, 3) van aanpakken en trajecten binnen uw bereik"),
    retrieve=extend_schema(summary="Eén kostenpost"),
)
class CostItemViewSet(
    IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[CostItem]
):
    """Cost items for whoever may enter costs (``Capability.ENTER_COSTS``: analysts, team leads);
    which items is ``selectors.cost_items_visible_to`` (outside it a 404), changing them
    ``cost_items_writable_by`` (a team lead reads approach-level items but gets a 403 on a change).
    An approach or trajectory id in the body outside the scope is a 400 on that field."""

    serializer_class = CostItemSerializer
    permission_classes = [IsAuthenticated, HasCapability]
    capabilities = {"read": Capability.ENTER_COSTS, "write": Capability.ENTER_COSTS}
    filterset_class = CostItemFilter
    ordering_fields = ["date", "amount", "line"]
    ordering = ["-date", "-id"]

    def get_queryset(self) -> QuerySet[CostItem]:
        return selectors.cost_items_visible_to(_user(self.request))

    def _input(self, request: Request) -> dict[str, Any]:
        """The body, its ids resolved within the user's scope (else a 400 on that field)."""
        user = _user(request)
        serializer = CostItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        trajectory = _in_scope(selectors.cost_trajectories_for(user), data["trajectory"], "trajectory")
        approach = _in_scope(selectors.cost_approaches_for(user), data["approach"], "approach")
        if approach is None:
            if trajectory is None:
                raise ValidationError({"approach": ["Geef een aanpak of een traject."]})
            approach = trajectory.approach
        data.update(approach=approach, trajectory=trajectory)
        return data

    def _writable(self) -> CostItem:
        cost_item = cast(CostItem, self.get_object())
        if not selectors.cost_items_writable_by(_user(self.request)).filter(pk=cost_item.pk).exists():
            raise PermissionDenied(
                "Kosten op de aanpak als geheel tellen voor elk team; die wijzigt een beleidsmedewerker."
            )
        return cost_item

    @extend_schema(
        summary="Kostenpost invoeren",
        description="Een bedrag in kostenpost 1b, 1c, 2 of 3 op een traject (binnen de looptijd) of op een aanpak als "
        "geheel (alleen beleidsmedewerkers). Bedrag in euro, niet negatief, hoogstens twee decimalen. Bij een fout "
        "(400) wordt niets opgeslagen. Elke wijziging komt in het auditlog.",
        request=CostItemInputSerializer,
        responses={201: CostItemSerializer, 400: INVALID},
    )
    def create(self, request: Request) -> Response:
        cost_item = services.cost_item_create(user=_user(request), **self._input(request))
        return Response(CostItemSerializer(cost_item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Kostenpost wijzigen",
        description="Dezelfde regels als bij invoeren; alle velden opnieuw.",
        request=CostItemInputSerializer,
        responses={200: CostItemSerializer, 400: INVALID},
    )
    def update(self, request: Request, pk: str | None = None) -> Response:
        cost_item = self._writable()
        updated = services.cost_item_update(user=_user(request), cost_item=cost_item, **self._input(request))
        return Response(CostItemSerializer(updated).data)

    @extend_schema(summary="Kostenpost verwijderen", responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.cost_item_delete(user=_user(request), cost_item=self._writable())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Own ex-ante scenarios (issue 17, item 6) -----------------------------------------------------


class OwnScenarioFilter(django_filters.FilterSet):
    # By plain id, as every foreign key of the API: another organisation's approach answers as an
    # unknown one (an empty list), so the answer tells nothing of which ids exist elsewhere.
    approach = IdFilter(field_name="approach_id")
    version = IdFilter(help_text="Versienummer (1, 2, ...).")

    class Meta:
        model = OwnScenario
        fields = ["name", "version", "approach"]


@extend_schema_view(
    list=extend_schema(summary="Eigen scenario's: alle versies van de eigen organisatie"),
    retrieve=extend_schema(
        summary="Eén versie van een eigen scenario met zijn uitkomst",
        description="De regels en de MKBA-JSON (SPEC §4, scenariomodus) met de tien referentieaanpakken ernaast en "
        "de onzekerheid van de bandbreedtes van de regels (seeded Monte Carlo).",
    ),
)
class OwnScenarioViewSet(
    IdLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[OwnScenario]
):
    serializer_class = OwnScenarioSerializer
    permission_classes = [IsAuthenticated, CanReadMkba, CanEditOwnScenariosOrReadOnly]
    filterset_class = OwnScenarioFilter
    ordering_fields = ["name", "version", "created_at"]
    ordering = ["name", "-version", "id"]

    def get_queryset(self) -> QuerySet[OwnScenario]:
        return selectors.own_scenarios_visible_to(_user(self.request))

    @extend_schema(responses={200: OwnScenarioDetailSerializer})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        scenario = self.get_object()
        result = selectors.own_scenario_output(scenario)
        return Response(OwnScenarioDetailSerializer(scenario, context={"result": result}).data)

    @extend_schema(
        summary="Eigen scenario maken",
        description="Versie 1 van een nieuw scenario: met de gegeven regels, gestart bij referentieaanpak K (de regels "
        "en gedrukte totalen van de factsheet), bij het cohort van een aanpak (de regels per deelnemer en per "
        "belanghebbende van de ex-post uitkomst) of leeg (elke post op 0 voor de gemeente).",
        request=OwnScenarioCreateInputSerializer,
        responses={201: OwnScenarioSerializer, 400: INVALID},
    )
    def create(self, request: Request) -> Response:
        serializer = OwnScenarioCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _user(request)
        organisation = _organisation(user)
        approach = _in_scope(selectors.approaches_for_mkba(user), data["approach"], "approach")
        scenario = services.own_scenario_start(
            organisation=organisation,
            name=data["name"],
            description=data["description"],
            created_by=user,
            approach=approach,
            participants=data["participants"],
            reference_number=data["reference"],
            cohort=services.CohortWindow(**data["cohort"]) if data["cohort"] is not None else None,
            lines=data["lines"],
        )
        return Response(OwnScenarioSerializer(scenario).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Nieuwe versie van een eigen scenario",
        description="Een wijziging maakt altijd een nieuwe versie (hoogste versie + 1); de vorige versie en haar "
        "cijfers blijven leesbaar. Gedrukte totalen van een referentieaanpak blijven alleen bij ongewijzigde regels.",
        request=OwnScenarioVersionInputSerializer,
        responses={201: OwnScenarioSerializer, 400: INVALID},
    )
    @action(detail=True, methods=["post"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        base = self.get_object()
        serializer = OwnScenarioVersionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _user(request)
        approach = (
            _in_scope(selectors.approaches_for_mkba(user), data["approach"], "approach")
            if "approach" in data
            else base.approach
        )
        scenario = services.own_scenario_version_create(
            scenario=base,
            organisation=_organisation(user),
            lines=data["lines"],
            participants=data["participants"],
            description=data["description"],
            approach=approach,
            created_by=user,
        )
        return Response(OwnScenarioSerializer(scenario).data, status=status.HTTP_201_CREATED)
