"""REST endpoints for case data (SPEC §6): viewsets for reads, and for each write an input
serializer, one service call and an output serializer.

- Every queryset comes from cases.selectors, so an object outside the user's scope is a 404 and a
  list never contains it; an id in a request body outside the scope is a 400 on that field.
- Every write goes through cases.services (validation, atomic write, audit log). A service's
  ApplicationError becomes a 400 with field errors (core.api.exceptions).
- Reads of youths' records are audit-logged (SPEC §8): the dossier by youth_dossier_get, a list
  page with one entry per request naming the keys shown (see `_audit_youth_list`).
"""

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.filters import (
    ApproachFilter,
    OutcomeFilter,
    PeriodFilter,
    TimeEntryFilter,
    TrajectoryFilter,
    YouthFilter,
)
from cases.api.serializers import (
    AlreadyKnownConflictSerializer,
    AlreadyKnownSerializer,
    ApproachSerializer,
    ComplexityChangeInputSerializer,
    DateInputSerializer,
    FollowUpAnswerInputSerializer,
    FollowUpSerializer,
    HandoverInputSerializer,
    HandoverSerializer,
    NextActionInputSerializer,
    OutcomeInputSerializer,
    OutcomeSerializer,
    PeriodSerializer,
    PhaseChangeInputSerializer,
    TimeEntryInputSerializer,
    TimeEntrySerializer,
    TrajectorySerializer,
    TrajectoryStartInputSerializer,
    WorkingElementsInputSerializer,
    YouthDossierSerializer,
    YouthProfileInputSerializer,
    YouthRegisteredSerializer,
    YouthRegisterInputSerializer,
    YouthSerializer,
    scoped,
)
from cases.models import Approach, FollowUp, Outcome, Period, TimeEntry, Trajectory, Youth
from core import access
from core.access import Capability
from core.api.audit import AuditedReadViewSet
from core.api.ids import IdLookupMixin, is_id
from core.api.permissions import HasCapability
from core.exceptions import ApplicationError
from core.models import User, Worker

T = TypeVar("T")
ModelT = TypeVar("ModelT", bound=Model)

BAD_INPUT = OpenApiResponse(
    description="Ongeldige invoer: `detail` en per veld een lijst meldingen; er is niets opgeslagen."
)
NOT_FOUND = OpenApiResponse(description="Bestaat niet, of valt buiten wat u mag zien.")


def _user(request: Request) -> User:
    return cast(User, request.user)


def _service_call(call: Callable[[], T], *, rename: dict[str, str] | None = None) -> T:
    """Run a service; field errors named after a model field are renamed to the request's field."""
    try:
        return call()
    except ApplicationError as error:
        if not rename:
            raise
        fields = {rename.get(name, name): messages for name, messages in error.fields.items()}
        raise ApplicationError(error.message, fields=fields, extra=error.extra) from error


class CaseReadViewSet(AuditedReadViewSet[ModelT]):
    """Reads show case contents only to whom core.access grants them (others get an empty list and
    a 404, as outside their scope); each write action asks its own capability (else a 403)."""

    permission_classes = [IsAuthenticated, HasCapability]
    capabilities: dict[str, Capability] = {"write": Capability.WRITE_CASE_DATA}
    read_capability: Capability | None = Capability.SEE_CASE_CONTENTS

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self.read_capability is not None and not access.has(self.request.user, self.read_capability):
            return queryset.none()
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Jongeren die u mag zien (audit-gelogd)"),
)
class YouthViewSet(CaseReadViewSet[Youth]):
    """Youths in the user's scope. Analysts and admins get none (no personal data)."""

    serializer_class = YouthSerializer
    filterset_class = YouthFilter
    ordering_fields = ["external_id", "last_name", "birth_date", "reported_on", "first_contact_on", "complexity"]
    ordering = ["external_id"]
    capabilities = {"create": Capability.REGISTER_YOUTH, "write": Capability.WRITE_CASE_DATA}
    audit_object_type, audit_resource, audit_youth_key = "youth", "youths", "external_id"

    def get_queryset(self) -> QuerySet[Youth]:
        return selectors.youths_visible_to(_user(self.request))

    @extend_schema(
        summary="Dossier van één jongere (audit-gelogd)", responses={200: YouthDossierSerializer, 404: NOT_FOUND}
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The dossier is audited by its selector (one row naming this youth).
        if not access.has(request.user, Capability.SEE_CASE_CONTENTS) or not is_id(kwargs["pk"]):
            raise Http404
        try:
            youth = selectors.youth_dossier_get(user=_user(request), youth_id=int(kwargs["pk"]))
        except ObjectDoesNotExist as error:
            raise Http404 from error
        return Response(YouthDossierSerializer(youth).data)

    @extend_schema(
        summary="Jongere registreren",
        description=(
            'Eerst de "al bekend?"-check (SPEC §7): een jongere met dezelfde sleutel, of met dezelfde '
            "voornaam, achternaam en geboortedatum. Bij een treffer zonder `confirm_new=true` volgt 409 met "
            "de treffers (sleutel en eerdere trajecten, geen persoonsgegevens) en wordt niets opgeslagen. "
            "Dezelfde sleutel is altijd een 400 op `external_id`."
        ),
        request=YouthRegisterInputSerializer,
        responses={
            201: YouthRegisteredSerializer,
            400: BAD_INPUT,
            409: OpenApiResponse(AlreadyKnownConflictSerializer, description="Al bekend; niets opgeslagen."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _user(request)
        serializer = scoped(
            YouthRegisterInputSerializer(data=request.data),
            # Target groups are configuration of the user's own organisation, not personal data.
            target_group=selectors.target_groups_for(user),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirm_new = data.pop("confirm_new")
        try:
            registration = services.youth_registration(user=user, data=data, confirm_new=confirm_new)
        except services.YouthAlreadyKnown as already_known:
            body = {"already_known": AlreadyKnownSerializer(already_known.known, many=True).data}
            if already_known.same_key:
                return Response(
                    {"detail": already_known.message, **already_known.fields, **body},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            return Response(
                {"detail": _("Deze jongere is mogelijk al bekend. Bevestig met confirm_new=true."), **body},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            YouthRegisteredSerializer(registration.youth, context={"already_known": registration.already_known}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Melding oppakken: datum eerste contact vastleggen",
        request=DateInputSerializer,
        responses={200: YouthSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="pick-up")
    def pick_up(self, request: Request, pk: str | None = None) -> Response:
        youth = self.get_object()
        serializer = DateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        youth = services.youth_pick_up(user=_user(request), youth=youth, date=serializer.validated_data["date"])
        return Response(YouthSerializer(youth).data)

    @extend_schema(
        summary="Profiel van een jongere bijwerken",
        description="Alleen de meegestuurde velden veranderen. De complexiteit verandert met een datum: "
        "`POST /youths/{id}/complexity-changes/`.",
        request=YouthProfileInputSerializer,
        responses={200: YouthSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _user(request)
        youth = self.get_object()
        serializer = scoped(
            YouthProfileInputSerializer(data=request.data, partial=True), target_group=selectors.target_groups_for(user)
        )
        serializer.is_valid(raise_exception=True)
        youth = services.youth_profile_update(user=user, youth=youth, data=dict(serializer.validated_data))
        return Response(YouthSerializer(youth).data)

    @extend_schema(
        summary="Complexiteit wijzigen vanaf een datum",
        description="SPEC §3: de caseload rekent elke dag met de complexiteit die die dag geldt; eerdere dagen "
        "houden de oude. Een tweede wijziging op dezelfde dag vervangt die van die dag.",
        request=ComplexityChangeInputSerializer,
        responses={200: YouthSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="complexity-changes")
    def complexity_changes(self, request: Request, pk: str | None = None) -> Response:
        youth = self.get_object()
        serializer = ComplexityChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        youth = services.youth_complexity_change(user=_user(request), youth=youth, **serializer.validated_data)
        return Response(YouthSerializer(youth).data)


class TrajectoryViewSet(CaseReadViewSet[Trajectory]):
    serializer_class = TrajectorySerializer
    filterset_class = TrajectoryFilter
    ordering_fields = ["start_date", "end_date", "external_id"]
    ordering = ["-start_date", "external_id"]
    audit_object_type, audit_resource, audit_youth_key = "trajectory", "trajectories", "youth__external_id"
    # Field errors the services name after a model field, renamed to the request's field.
    PERIOD_FIELDS = {"start_date": "date"}

    def get_queryset(self) -> QuerySet[Trajectory]:
        trajectories = selectors.trajectories_visible_to(_user(self.request))
        if self.action in ("list", "retrieve"):
            # Actions work on a fresh instance: a stale prefetch would hide the period they change.
            trajectories = trajectories.prefetch_related(
                Prefetch("periods", queryset=Period.objects.order_by("start_date")), "working_elements"
            )
        return trajectories

    def _input(self, serializer_class: type[Any], **querysets: QuerySet[Any]) -> dict[str, Any]:
        serializer = scoped(serializer_class(data=self.request.data), **querysets)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        summary="Traject starten (met de eerste periode)",
        request=TrajectoryStartInputSerializer,
        responses={201: TrajectorySerializer, 400: BAD_INPUT},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _user(request)
        data = self._input(
            TrajectoryStartInputSerializer,
            youth=selectors.youths_visible_to(user),
            approach=selectors.approaches_visible_to(user),
            worker=selectors.trajectory_worker_choices_for(user),
        )
        worker = data.pop("worker") or selectors.user_worker(user)
        if worker is None:
            raise ValidationError(
                {"worker": [_("Kies een begeleider; uw account is niet aan een begeleider gekoppeld.")]}
            )
        trajectory = services.trajectory_start(user=user, worker=worker, **data)
        return Response(TrajectorySerializer(trajectory).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Werkzame elementen van het traject vastleggen",
        description="Vervangt de aangevinkte werkzame elementen door de gegeven namen (uit de lijst van de organisatie).",
        request=WorkingElementsInputSerializer,
        responses={200: TrajectorySerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["put"], url_path="working-elements")
    def working_elements(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        data = self._input(WorkingElementsInputSerializer)
        trajectory = services.trajectory_working_elements_set(
            user=_user(request), trajectory=trajectory, names=data["working_elements"]
        )
        return Response(TrajectorySerializer(trajectory).data)

    @extend_schema(
        summary="Volgende actie van het traject",
        description="Wat en wanneer; beide leeg wist de volgende actie.",
        request=NextActionInputSerializer,
        responses={200: TrajectorySerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["put"], url_path="next-action")
    def next_action(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        data = self._input(NextActionInputSerializer)
        trajectory = services.trajectory_next_action_set(
            user=_user(request), trajectory=trajectory, action=data["next_action"], on=data["next_action_on"]
        )
        return Response(TrajectorySerializer(trajectory).data)

    @extend_schema(
        summary="Fase en/of rol wijzigen",
        description="De lopende periode eindigt op `date` (exclusief); de nieuwe periode begint daar. Een tweede "
        "wijziging op de dag waarop de lopende periode begon, verbetert die periode.",
        request=PhaseChangeInputSerializer,
        responses={201: PeriodSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="phase-changes")
    def phase_changes(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        data = self._input(PhaseChangeInputSerializer)
        period = _service_call(
            lambda: services.period_change(user=_user(request), trajectory=trajectory, **data),
            rename=self.PERIOD_FIELDS,
        )
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Time-out (pauzeren in plaats van afsluiten)",
        request=DateInputSerializer,
        responses={201: PeriodSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        data = self._input(DateInputSerializer)
        period = _service_call(
            lambda: services.trajectory_pause(user=_user(request), trajectory=trajectory, **data),
            rename=self.PERIOD_FIELDS,
        )
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Hervatten na een time-out",
        request=PhaseChangeInputSerializer,
        responses={201: PeriodSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        data = self._input(PhaseChangeInputSerializer)
        period = _service_call(
            lambda: services.trajectory_resume(user=_user(request), trajectory=trajectory, **data),
            rename=self.PERIOD_FIELDS,
        )
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Traject afsluiten",
        description="De lopende periode en het traject eindigen op `date` (exclusief).",
        request=DateInputSerializer,
        responses={200: TrajectorySerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        data = self._input(DateInputSerializer)
        trajectory = _service_call(
            lambda: services.trajectory_close(user=_user(request), trajectory=trajectory, **data),
            rename={"end_date": "date", **self.PERIOD_FIELDS},
        )
        return Response(TrajectorySerializer(trajectory).data)

    @extend_schema(
        summary="Warme overdracht aan een collega of een andere organisatie",
        description="Aan een collega: latere periodes gaan naar de nieuwe begeleider; eerdere blijven de oude "
        "noemen. Aan een andere organisatie: vastgelegd met notitie en datum, en het traject sluit hier.",
        request=HandoverInputSerializer,
        responses={201: HandoverSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def handover(self, request: Request, pk: str | None = None) -> Response:
        user = _user(request)
        trajectory = self.get_object()
        data = self._input(HandoverInputSerializer, to_worker=selectors.handover_candidates_for(user))
        handover = _service_call(
            lambda: services.trajectory_hand_over(user=user, trajectory=trajectory, **data),
            rename=self.PERIOD_FIELDS,
        )
        return Response(HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)


class PeriodViewSet(CaseReadViewSet[Period]):
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["start_date", "end_date"]
    ordering = ["trajectory_id", "start_date"]
    audit_object_type, audit_resource, audit_youth_key = "period", "periods", "trajectory__youth__external_id"

    def get_queryset(self) -> QuerySet[Period]:
        return selectors.periods_visible_to(_user(self.request))


class OutcomeViewSet(CaseReadViewSet[Outcome]):
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter
    ordering_fields = ["date", "outcome"]
    ordering = ["-date", "id"]
    audit_object_type, audit_resource, audit_youth_key = "outcome", "outcomes", "trajectory__youth__external_id"

    def get_queryset(self) -> QuerySet[Outcome]:
        return selectors.outcomes_visible_to(_user(self.request)).prefetch_related("follow_ups")

    @extend_schema(
        summary="Resultaat vastleggen (plant duurzaamheidschecks na werk of school)",
        request=OutcomeInputSerializer,
        responses={201: OutcomeSerializer, 400: BAD_INPUT},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _user(request)
        serializer = scoped(
            OutcomeInputSerializer(data=request.data), trajectory=selectors.trajectories_visible_to(user)
        )
        serializer.is_valid(raise_exception=True)
        outcome = services.outcome_register(user=user, **serializer.validated_data)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


class TimeEntryViewSet(CaseReadViewSet[TimeEntry]):
    """A worker sees their own hours, a team lead their teams' hours. Everyone logs their own time
    only: the worker of a new entry is always the logged-in user's Worker."""

    serializer_class = TimeEntrySerializer
    filterset_class = TimeEntryFilter
    ordering_fields = ["date", "minutes", "category"]
    ordering = ["-date", "id"]
    capabilities = {"create": Capability.LOG_OWN_TIME}
    audit_object_type, audit_resource = "time_entry", "time-entries"
    audit_youth_key = "trajectory__youth__external_id"

    def get_queryset(self) -> QuerySet[TimeEntry]:
        return selectors.time_entries_visible_to(_user(self.request))

    @extend_schema(
        summary="Tijd schrijven (altijd voor uzelf)",
        request=TimeEntryInputSerializer,
        responses={201: TimeEntrySerializer, 400: BAD_INPUT, 403: OpenApiResponse(description="Geen begeleider.")},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _user(request)
        worker = selectors.user_worker(user)
        if worker is None:
            raise PermissionDenied(_("Uw account is niet gekoppeld aan een begeleider."))
        serializer = scoped(
            TimeEntryInputSerializer(data=request.data),
            trajectory=selectors.trajectories_visible_to(user),
            # Nobody logs for someone else, a team lead neither: only one's own worker id is accepted.
            worker=Worker.objects.filter(pk=worker.pk),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("worker")
        entry = services.time_entry_log(user=user, worker=worker, entry=services.TimeEntryInput(**data))
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class ApproachViewSet(CaseReadViewSet[Approach]):
    """The organisation's approaches: configuration, readable by every role of the organisation."""

    serializer_class = ApproachSerializer
    filterset_class = ApproachFilter
    ordering_fields = ["name", "reference_number"]
    ordering = ["name"]
    read_capability = None  # configuration, not case contents

    def get_queryset(self) -> QuerySet[Approach]:
        return selectors.approaches_visible_to(_user(self.request)).prefetch_related("working_elements")


class FollowUpViewSet(IdLookupMixin, viewsets.GenericViewSet[FollowUp]):
    """Only the answer action: the checks themselves are listed with their outcome."""

    serializer_class = FollowUpSerializer
    permission_classes = [IsAuthenticated, HasCapability]
    capabilities = {"write": Capability.WRITE_CASE_DATA}

    def get_queryset(self) -> QuerySet[FollowUp]:
        if not access.has(self.request.user, Capability.SEE_CASE_CONTENTS):
            return FollowUp.objects.none()
        return selectors.follow_ups_visible_to(_user(self.request))

    @extend_schema(
        summary="Duurzaamheidscheck beantwoorden",
        request=FollowUpAnswerInputSerializer,
        responses={200: FollowUpSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        follow_up = self.get_object()
        serializer = FollowUpAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.follow_up_answer(user=_user(request), follow_up=follow_up, **serializer.validated_data)
        return Response(FollowUpSerializer(follow_up).data)
