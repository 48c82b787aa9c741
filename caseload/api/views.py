"""``GET /api/v1/caseload/`` (SPEC.md 3 and 6) and ``GET /api/v1/caseload/plan/``.

The caseload endpoint returns exactly the document of ``manage.py caseload --format json`` for the
user's scope (``caseload.selectors.caseload_scope_for``): a team lead their teams, an analyst or
admin their organisation's teams, a worker only their own row. ``team=`` naming a team outside
that scope answers 404, the same as a team that does not exist, so nothing is revealed.
"""

import datetime as dt
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload import calculations as calc
from caseload.api.serializers import (
    CapacityPlanQuerySerializer,
    CapacityPlanSerializer,
    CaseloadDocumentSerializer,
    CaseloadQuerySerializer,
    ErrorSerializer,
    ForecastDocumentSerializer,
    ForecastQuerySerializer,
    NormCalibrationSerializer,
    NormChangeInputSerializer,
    NormChangeSerializer,
    NormQuerySerializer,
    TeamAdviceSerializer,
)
from caseload.selectors import (
    CaseloadScope,
    TeamNotVisible,
    caseload_for_user,
    caseload_scope_for,
    forecast_what_if,
    norm_changes_for,
    norms_calibration_for_scope,
    settings_for_user,
    team_advice_document,
    team_chosen,
    team_forecast,
    teams_for_dashboard,
)
from caseload.services import capacity_plan_document, norm_adopt, planning_mix_parse, team_dashboard_read_log
from core.access import Capability
from core.api.ids import is_id
from core.api.permissions import HasCapability
from core.exceptions import ApplicationError
from core.models import User


def _scope(request: Request, team: str | None) -> CaseloadScope:
    """The user's scope, narrowed to ``team``; 404 for a team outside it or one that does not exist."""
    try:
        if team is not None and team.lstrip("-").isdigit() and not is_id(team):
            # A number no id can be (SQLite overflows on it): unknown, like any other.
            raise TeamNotVisible
        return caseload_scope_for(cast(User, request.user), team=team)
    except TeamNotVisible:
        raise NotFound(_("Onbekend team, of geen toegang tot dit team.")) from None


class CaseloadView(APIView):
    """Caseload per worker and team at a date, or over a period [from, to)."""

    @extend_schema(
        operation_id="caseload_retrieve",
        summary="Caseload per begeleider en team (SPEC §3)",
        description=(
            "Geef `date` (peildatum) of `from` en `to` (periode, `to` exclusief). Uren op 0,1, verhoudingen op "
            "0,001. Teamleider: eigen teams; analist/beheerder: alle teams van de organisatie; begeleider: alleen "
            "de eigen cijfers (zonder teamtotalen). `team` buiten uw bereik geeft 404."
        ),
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="peildatum JJJJ-MM-DD"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="eerste dag van de periode"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="dag na de periode (exclusief)"),
            OpenApiParameter("team", OpenApiTypes.STR, description="alleen dit team: id of naam"),
        ],
        responses={
            200: CaseloadDocumentSerializer,
            400: OpenApiResponse(ErrorSerializer, description="ontbrekende of ongeldige parameters"),
            404: OpenApiResponse(ErrorSerializer, description="onbekend team, of buiten uw bereik"),
        },
    )
    def get(self, request: Request) -> Response:
        query = CaseloadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day, date_from, date_to = query.validated_data["date"], query.validated_data["from"], query.validated_data["to"]
        scope = _scope(request, query.validated_data["team"] or None)
        user = cast(User, request.user)
        document = caseload_for_user(user=user, scope=scope, day=day, date_from=date_from, date_to=date_to)
        return Response(document)


class CapacityPlanView(APIView):
    """The planning calculator: fte needed for a mix, and how many youths fit in an fte.

    Asks what the planning page asks (``SEE_AGGREGATES``)."""

    permission_classes = [HasCapability]
    capabilities = {"read": Capability.SEE_AGGREGATES}

    @extend_schema(
        operation_id="caseload_plan_retrieve",
        summary="Planningscalculator (SPEC §3, §6 plan_capacity)",
        description=(
            "Per rol `JONGERENxUREN`, bijv. `?coaching=50x20&regie=25x6&monitoring=25x4`; met `fte` ook hoeveel "
            "jongeren erin passen. Productieve uren per fte van uw organisatie (standaard 1200)."
        ),
        parameters=[
            *(
                OpenApiParameter(role, OpenApiTypes.STR, description=f"{role}: jongeren per jaar x uren per jongere")
                for role in calc.ROLES
            ),
            OpenApiParameter("fte", OpenApiTypes.NUMBER, description="beschikbare fte"),
        ],
        responses={200: CapacityPlanSerializer, 400: OpenApiResponse(ErrorSerializer)},
        examples=[
            OpenApiExample(
                "Voorbeeld uit de studie",
                value={"total_hours": 1250.0, "youths": 100, "hours_per_youth": 12.5, "fte_needed": 1.042},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = CapacityPlanQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            mix = planning_mix_parse(query.role_lines())
        except ValueError as error:
            raise ApplicationError(str(error)) from None
        fte: float | None = query.validated_data["fte"]
        settings = settings_for_user(cast(User, request.user)).caseload
        return Response(capacity_plan_document(mix, settings=settings, fte=fte))


class NormCalibrationView(APIView):
    """The norm hours per role learned from the logged hours (issue 17), as ``calibrate_norms``."""

    permission_classes = [HasCapability]
    capabilities = {"read": Capability.SEE_AGGREGATES}

    @extend_schema(
        operation_id="caseload_norms_retrieve",
        summary="Normen geschat uit de geregistreerde uren",
        description=(
            "Per begeleider en maand de cliënturen (direct + indirect) tegen de jongerejaren per rol, met niet-"
            "negatieve kleinste kwadraten geschat, met een bootstrap-interval per norm; naast de norm die nu geldt. "
            "Hetzelfde document als `calibrate_norms --format json`. Teamleider: eigen teams; analist: de "
            "organisatie."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="eerste dag"),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="dag na de periode (exclusief)"),
            OpenApiParameter("team", OpenApiTypes.STR, description="alleen dit team: id of naam"),
        ],
        responses={
            200: NormCalibrationSerializer,
            400: OpenApiResponse(ErrorSerializer, description="ontbrekende of ongeldige parameters"),
            404: OpenApiResponse(ErrorSerializer, description="onbekend team, of buiten uw bereik"),
        },
    )
    def get(self, request: Request) -> Response:
        query = NormQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = _scope(request, query.validated_data["team"] or None)
        return Response(
            norms_calibration_for_scope(
                scope=scope,
                date_from=query.validated_data["date_from"],
                date_to=query.validated_data["date_to"],
                organisation_id=cast(User, request.user).organisation_id,
            )
        )


class NormChangesView(APIView):
    """Norms adopted from a day on (issue 17, item 1): the list, and a beheerder adopts one."""

    permission_classes = [HasCapability]
    capabilities = {"read": Capability.SEE_AGGREGATES, "write": Capability.CONFIGURE}

    @extend_schema(
        operation_id="caseload_norm_changes_list",
        summary="Vastgestelde normen",
        description="De normen die de organisatie vanaf een dag heeft vastgesteld, nieuwste eerst.",
        responses={200: NormChangeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        changes = norm_changes_for(cast(User, request.user))
        return Response(NormChangeSerializer(changes, many=True).data)

    @extend_schema(
        operation_id="caseload_norm_changes_create",
        summary="Een norm vaststellen vanaf een dag",
        description=(
            "Alleen de beheerder. De caseloadcijfers vanaf `valid_from` rekenen met deze normen (uur per jongere "
            "per jaar per rol); eerdere dagen houden de norm die toen gold. Een tweede vaststelling op dezelfde "
            "dag voor dezelfde aanpak (of de organisatie) vervangt de eerste."
        ),
        request=NormChangeInputSerializer,
        responses={
            201: NormChangeSerializer,
            400: OpenApiResponse(ErrorSerializer, description="ongeldige invoer of onbekende aanpak"),
            403: OpenApiResponse(ErrorSerializer, description="geen beheerder"),
        },
    )
    def post(self, request: Request) -> Response:
        data = NormChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = norm_adopt(
            user=cast(User, request.user),
            valid_from=data.validated_data["valid_from"],
            norm_hours=data.validated_data["norms"],
            source=data.validated_data["source"],
            approach_id=data.validated_data["approach"],
        )
        return Response(NormChangeSerializer(change).data, status=201)


class TeamAdviceView(APIView):
    """Afschalen op tijd and rebalancing advice of one team (issue 17), as on the team dashboard."""

    permission_classes = [HasCapability]
    capabilities = {"read": Capability.MOVE_YOUTHS}

    @extend_schema(
        operation_id="caseload_advice_retrieve",
        summary="Advies voor een team: afschalen en herverdelen",
        description=(
            "De jongeren van het team wier coaching of uitvoering in 8 weken niet meer directe tijd kreeg dan "
            "monitoring vraagt (met de uren per jaar die afschalen vrijmaakt), en ten hoogste vijf overdrachten die "
            "de begeleiders het dichtst bij 80-110% van hun capaciteit brengen. Alleen teamleiders, voor hun eigen "
            "teams; audit-gelogd (noemt jongeren)."
        ),
        parameters=[
            OpenApiParameter("team", OpenApiTypes.INT, required=True, description="het team (id)"),
            OpenApiParameter("date", OpenApiTypes.DATE, description="peildatum (standaard vandaag)"),
        ],
        responses={
            200: TeamAdviceSerializer,
            400: OpenApiResponse(ErrorSerializer, description="ongeldige parameters"),
            404: OpenApiResponse(ErrorSerializer, description="onbekend team, of buiten uw bereik"),
        },
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        team_id, day_text = request.query_params.get("team", ""), request.query_params.get("date", "")
        try:
            day = dt.date.fromisoformat(day_text) if day_text else timezone.localdate()
        except ValueError:
            raise ValidationError({"date": [_("Geef een datum JJJJ-MM-DD.")]}) from None
        team = next((t for t in teams_for_dashboard(user) if is_id(team_id) and t.pk == int(team_id)), None)
        if team is None:
            raise NotFound(_("Onbekend team, of geen toegang tot dit team."))
        document = team_advice_document(user=user, team=team, day=day)
        team_dashboard_read_log(
            user=user, youth_keys=[str(row["youth_key"]) for row in (*document["step_down"], *document["moves"])]
        )
        return Response(document)


class ForecastView(APIView):
    """The load forecast with intake of one team (issue 17), as on the page ``/planning/prognose/``."""

    permission_classes = [HasCapability]
    capabilities = {"read": Capability.SEE_AGGREGATES}

    @extend_schema(
        operation_id="caseload_forecast_retrieve",
        summary="Prognose van de belasting met instroom",
        description=(
            "Per week de verwachte uren van het team en elke begeleider tegenover de capaciteit, met een band "
            "(10e-90e percentiel), uit de eigen verblijfsduur per fase en rol (Kaplan-Meier, lopende periodes "
            "gecensureerd) en de meldingen per maand van de organisatie. What-if: `extra_month` en "
            "`extra_meldingen`, `worker` met `worker_fte` vanaf `worker_from` (0 = vertrekt), `norm_<rol>`. "
            "Teamleider: eigen teams; analist/beheerder: de teams van de organisatie. Alleen totalen, geen jongeren."
        ),
        parameters=[
            OpenApiParameter("team", OpenApiTypes.INT, description="het team (id); standaard het eerste"),
            OpenApiParameter("date", OpenApiTypes.DATE, description="vanaf (standaard vandaag)"),
            OpenApiParameter("weeks", OpenApiTypes.INT, description="4 tot en met 26 (standaard 13)"),
            OpenApiParameter("extra_month", OpenApiTypes.STR, description="JJJJ-MM"),
            OpenApiParameter("extra_meldingen", OpenApiTypes.INT),
            OpenApiParameter("worker", OpenApiTypes.STR, description="extern id van een begeleider van het team"),
            OpenApiParameter("worker_fte", OpenApiTypes.NUMBER),
            OpenApiParameter("worker_from", OpenApiTypes.DATE),
            *(OpenApiParameter(f"norm_{role}", OpenApiTypes.NUMBER) for role in calc.ROLES),
        ],
        responses={
            200: ForecastDocumentSerializer,
            400: OpenApiResponse(ErrorSerializer, description="ongeldige parameters"),
            404: OpenApiResponse(ErrorSerializer, description="onbekend team, of buiten uw bereik"),
        },
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        query = ForecastQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        team = team_chosen(list(teams_for_dashboard(user)), values["team"])
        if team is None:
            raise NotFound(_("Onbekend team, of geen toegang tot dit team."))
        day = values["date"] or timezone.localdate()
        what_if = forecast_what_if(
            team=team,
            extra_month=values["extra_month"],
            extra_meldingen=values["extra_meldingen"],
            worker_key=values["worker"],
            worker_fte=values["worker_fte"],
            worker_from=values["worker_from"] or day,
            norm_hours=query.norms(),
        )
        return Response(team_forecast(team=team, day=day, weeks=values["weeks"], what_if=what_if).document)
