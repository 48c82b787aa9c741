"""The accountability endpoints (SPEC.md 4b): the documents of the commands of the same name, for
the user's scope (``accountability.selectors.scope_for``): a team lead their teams, an analyst or
admin their organisation; workers 403. ``team=`` or ``approach=`` outside the scope is a 404."""

import datetime as dt
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability import selectors
from accountability.api import serializers
from core.access import Capability
from core.api.permissions import HasCapability
from core.api.schema import ErrorSerializer
from core.exceptions import ApplicationError
from core.models import User


def _date(request: Request, name: str, *, required: bool = True) -> dt.date | None:
    value = request.query_params.get(name) or ""
    if not value:
        if required:
            message = _("%(name)s is verplicht (JJJJ-MM-DD).") % {"name": name}
            raise ApplicationError(message, fields={name: [message]})
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    message = _("%(name)s=%(value)s is geen datum (JJJJ-MM-DD).") % {"name": name, "value": value}
    raise ApplicationError(message, fields={name: [message]})


def _period(request: Request) -> tuple[dt.date, dt.date]:
    start, end = cast(dt.date, _date(request, "from")), cast(dt.date, _date(request, "to"))
    if end <= start:
        message = _("to moet na from liggen (to is exclusief).")
        raise ApplicationError(message, fields={"to": [message]})
    return start, end


def _measured_at(request: Request) -> dt.date:
    return _date(request, "measured_at", required=False) or timezone.localdate()


def _scope(request: Request, *, approach: bool = True) -> selectors.Scope:
    try:
        return selectors.scope_for(
            cast(User, request.user),
            team=request.query_params.get("team") or None,
            approach=(request.query_params.get("approach") or None) if approach else None,
        )
    except selectors.NotVisible:
        raise NotFound(_("Onbekend team of onbekende aanpak, of geen toegang.")) from None


PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="eerste dag JJJJ-MM-DD"),
    OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="dag na de periode (exclusief)"),
]
MEASURED_AT = OpenApiParameter("measured_at", OpenApiTypes.DATE, description="meetdatum (standaard vandaag)")
TEAM = OpenApiParameter("team", OpenApiTypes.STR, description="alleen dit team: id of naam")
APPROACH = OpenApiParameter("approach", OpenApiTypes.STR, description="alleen deze aanpak: id of naam")
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="ontbrekende of ongeldige parameters"),
    403: OpenApiResponse(ErrorSerializer, description="geen toegang tot geaggregeerde cijfers"),
    404: OpenApiResponse(ErrorSerializer, description="onbekend team of aanpak, of buiten uw bereik"),
}


class AggregatesView(APIView):
    permission_classes = [HasCapability]
    capabilities = {"read": Capability.SEE_AGGREGATES}


class ResultIndicatorsView(AggregatesView):
    @extend_schema(
        operation_id="indicators_results_retrieve",
        summary="Resultaatindicatoren (SPEC §4b)",
        parameters=[*PERIOD, MEASURED_AT, APPROACH, TEAM],
        responses={200: serializers.ResultIndicatorsSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        start, end = _period(request)
        document = selectors.result_indicators_document(
            _scope(request), date_from=start, date_to=end, measured_at=_measured_at(request)
        )
        return Response(document)


class VcvView(AggregatesView):
    @extend_schema(
        operation_id="vcv_retrieve",
        summary="Vereenvoudigde Caseload Verantwoording (SPEC §4b)",
        parameters=[
            *PERIOD,
            TEAM,
            OpenApiParameter("max_age", OpenApiTypes.INT, description="subsidiabel onder deze leeftijd"),
            OpenApiParameter(
                "target_group", OpenApiTypes.STR, many=True, description="subsidiabele doelgroep (herhaalbaar)"
            ),
            OpenApiParameter("flat_rate", OpenApiTypes.BOOL, description="40% opslag"),
        ],
        responses={200: serializers.VcvSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        start, end = _period(request)
        max_age_text = request.query_params.get("max_age") or ""
        max_age = None
        if max_age_text:
            if not max_age_text.isdigit() or int(max_age_text) < 1 or len(max_age_text) > 3:
                message = _("max_age moet een geheel getal van 1 of meer zijn.")
                raise ApplicationError(message, fields={"max_age": [message]})
            max_age = int(max_age_text)
        flat_rate = (request.query_params.get("flat_rate") or "").lower() in ("1", "true", "yes", "ja")
        options = selectors.VcvOptions(
            max_age=max_age,
            target_groups=tuple(group for group in request.query_params.getlist("target_group") if group),
            flat_rate=flat_rate,
        )
        return Response(
            selectors.vcv_document(_scope(request, approach=False), date_from=start, date_to=end, options=options)
        )


class FirstContactView(AggregatesView):
    @extend_schema(
        operation_id="indicators_first_contact_retrieve",
        summary="Tijd tot eerste contact (SPEC §4b)",
        parameters=[*PERIOD, MEASURED_AT, TEAM],
        responses={200: serializers.FirstContactSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        start, end = _period(request)
        document = selectors.first_contact_document(
            _scope(request, approach=False), date_from=start, date_to=end, measured_at=_measured_at(request)
        )
        return Response(document)


class WorkingElementsView(AggregatesView):
    @extend_schema(
        operation_id="indicators_working_elements_retrieve",
        summary="Werkzame elementen en uitstroom (SPEC §4b)",
        parameters=[*PERIOD, MEASURED_AT, TEAM],
        responses={200: serializers.WorkingElementsSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Any:
        start, end = _period(request)
        document = selectors.working_elements_document(
            _scope(request, approach=False), date_from=start, date_to=end, measured_at=_measured_at(request)
        )
        return Response(document)
