"""Serializers of the case API (SPEC §6). Output serializers only read; input serializers only check
the shape and types of a request. The rules live in cases.services, the scoping in cases.selectors:
every related-object field of an input serializer starts empty and the view fills its queryset from
a selector (`scoped`), so an id outside the user's scope is "does not exist", a 400 on that field."""

from typing import Any, cast

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import (
    Approach,
    Benefit,
    Complexity,
    EducationLevel,
    FollowUp,
    Handover,
    LifeDomain,
    Municipality,
    Outcome,
    OutcomeType,
    Period,
    Phase,
    ReferralRoute,
    Role,
    TargetGroup,
    TimeCategory,
    TimeEntry,
    Trajectory,
    WorkingElement,
    Youth,
)
from cases.selectors import period_effective_worker_id
from core.models import Worker


def scoped(serializer: serializers.Serializer, **querysets: QuerySet[Any]) -> serializers.Serializer:
    """Give the related-object fields of an input serializer the querysets the user may choose from."""
    for name, queryset in querysets.items():
        field = cast(serializers.PrimaryKeyRelatedField[Model], serializer.fields[name])
        field.queryset = queryset  # type: ignore[arg-type]  # the stubs see a Manager descriptor here
    return serializer


# ---------------------------------------------------------------------------------------------
# Output


class PeriodSerializer(serializers.ModelSerializer[Period]):
    effective_worker = serializers.SerializerMethodField(
        help_text="De begeleider van deze periode: `worker`, of bij leeg de begeleider van het traject."
    )

    class Meta:
        model = Period
        fields = ["id", "trajectory", "phase", "role", "start_date", "end_date", "worker", "effective_worker"]
        read_only_fields = fields

    def get_effective_worker(self, period: Period) -> int:
        return period_effective_worker_id(period)


def _answer_field() -> serializers.ChoiceField:
    # "" until answered: a read-only model field would lose allow_blank, and the schema the "".
    return serializers.ChoiceField(
        choices=FollowUp.Answer.choices, allow_blank=True, read_only=True, help_text="Leeg: nog niet beantwoord."
    )


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    answer = _answer_field()

    class Meta:
        model = FollowUp
        fields = ["id", "outcome", "months_after", "due_date", "answer", "answered_on"]
        read_only_fields = fields


class FollowUpInOutcomeSerializer(serializers.ModelSerializer[FollowUp]):
    answer = _answer_field()

    class Meta:
        model = FollowUp
        fields = ["id", "months_after", "due_date", "answer", "answered_on"]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer[Outcome]):
    follow_ups = FollowUpInOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "trajectory", "date", "outcome", "note", "follow_ups"]
        read_only_fields = fields


class HandoverSerializer(serializers.ModelSerializer[Handover]):
    class Meta:
        model = Handover
        fields = ["id", "trajectory", "from_worker", "to_worker", "to_organisation", "date", "met_together_on", "note"]
        read_only_fields = fields


class TrajectorySerializer(serializers.ModelSerializer[Trajectory]):
    youth_key = serializers.CharField(source="youth.external_id", read_only=True)
    approach_name = serializers.CharField(source="approach.name", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    current_period = serializers.SerializerMethodField(help_text="De lopende periode (zonder einddatum), of null.")
    working_elements: serializers.SlugRelatedField[WorkingElement] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text="De namen van de gebruikte werkzame elementen."
    )

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "external_id",
            "youth",
            "youth_key",
            "approach",
            "approach_name",
            "worker",
            "worker_name",
            "start_date",
            "end_date",
            "funding_source",
            "current_period",
            "working_elements",
            "next_action",
            "next_action_on",
        ]
        read_only_fields = fields

    @extend_schema_field(PeriodSerializer(allow_null=True))
    def get_current_period(self, trajectory: Trajectory) -> dict[str, Any] | None:
        # From the prefetched periods: no query per trajectory.
        running = [period for period in trajectory.periods.all() if period.end_date is None]
        if not running:
            return None
        period = max(running, key=lambda p: p.start_date)
        period.trajectory = trajectory
        # One serializer for all rows: building a ModelSerializer's fields per row cost a list of
        # 50 trajectories 30 ms.
        if self._period_serializer is None:
            self._period_serializer = PeriodSerializer()
        return self._period_serializer.to_representation(period)

    _period_serializer: PeriodSerializer | None = None


class DossierTrajectorySerializer(TrajectorySerializer):
    """A trajectory with its whole history, as prefetched by cases.selectors.youth_dossier_get."""

    periods = PeriodSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    handovers = HandoverSerializer(many=True, read_only=True)

    class Meta(TrajectorySerializer.Meta):
        fields = [*TrajectorySerializer.Meta.fields, "periods", "outcomes", "handovers"]
        read_only_fields = fields


class YouthSerializer(serializers.ModelSerializer[Youth]):
    target_group_name = serializers.CharField(source="target_group.name", read_only=True, allow_null=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True, allow_null=True)
    life_domains = serializers.ListField(child=serializers.ChoiceField(choices=LifeDomain.choices), read_only=True)
    # An e-mail address or "" (not asked): the schema's "email" format would refuse the empty one.
    email = serializers.CharField(read_only=True, help_text="E-mailadres, of leeg.")
    # Blank ("" = not known) as the model allows; read-only model fields would drop that from the schema.
    education_level = serializers.ChoiceField(choices=EducationLevel.choices, allow_blank=True, read_only=True)
    referral_route = serializers.ChoiceField(choices=ReferralRoute.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Youth
        fields = [
            "id",
            "external_id",
            "first_name",
            "last_name",
            "birth_date",
            "phone",
            "email",
            "address",
            "target_group",
            "target_group_name",
            "education_level",
            "has_startkwalificatie",
            "benefit",
            "life_domains",
            "complexity",
            "municipality",
            "municipality_name",
            "referral_route",
            "reported_on",
            "first_contact_on",
            "anonymised_at",
        ]
        read_only_fields = fields


class YouthDossierSerializer(YouthSerializer):
    trajectories = DossierTrajectorySerializer(many=True, read_only=True)

    class Meta(YouthSerializer.Meta):
        fields = [*YouthSerializer.Meta.fields, "trajectories"]
        read_only_fields = fields


class KnownOutcomeSerializer(serializers.ModelSerializer[Outcome]):
    class Meta:
        model = Outcome
        fields = ["date", "outcome"]
        read_only_fields = fields


class KnownTrajectorySerializer(serializers.ModelSerializer[Trajectory]):
    approach_name = serializers.CharField(source="approach.name", read_only=True)
    outcomes = KnownOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Trajectory
        fields = ["approach_name", "start_date", "end_date", "outcomes"]
        read_only_fields = fields


class AlreadyKnownSerializer(serializers.ModelSerializer[Youth]):
    """SPEC §7 "already known?": the pseudonymous key and earlier trajectories with their outcomes,
    no personal data (the match may lie outside the user's own caseload)."""

    trajectories = KnownTrajectorySerializer(many=True, read_only=True)

    class Meta:
        model = Youth
        fields = ["id", "external_id", "trajectories"]
        read_only_fields = fields


class YouthRegisteredSerializer(YouthSerializer):
    already_known = serializers.SerializerMethodField(
        help_text="Bekende jongeren met dezelfde sleutel of naam en geboortedatum (bij confirm_new=true)."
    )

    class Meta(YouthSerializer.Meta):
        fields = [*YouthSerializer.Meta.fields, "already_known"]
        read_only_fields = fields

    @extend_schema_field(AlreadyKnownSerializer(many=True))
    def get_already_known(self, youth: Youth) -> list[dict[str, Any]]:
        return AlreadyKnownSerializer(self.context.get("already_known", []), many=True).data  # type: ignore[return-value]


class AlreadyKnownConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    already_known = AlreadyKnownSerializer(many=True)


class TimeEntrySerializer(serializers.ModelSerializer[TimeEntry]):
    class Meta:
        model = TimeEntry
        fields = ["id", "worker", "date", "minutes", "category", "trajectory", "note"]
        read_only_fields = fields


class WorkingElementSerializer(serializers.ModelSerializer[WorkingElement]):
    class Meta:
        model = WorkingElement
        fields = ["id", "name"]
        read_only_fields = fields


class ApproachSerializer(serializers.ModelSerializer[Approach]):
    working_elements = WorkingElementSerializer(many=True, read_only=True)

    class Meta:
        model = Approach
        fields = [
            "id",
            "name",
            "type",
            "reference_number",
            "expected_duration_days",
            "norm_coaching_hours",
            "norm_uitvoering_hours",
            "norm_regie_hours",
            "norm_monitoring_hours",
            "working_elements",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Input: shapes and types only. Rules (dates in order, minutes 1..1440, time-out without role,
# overlap, ...) are checked by the services, which answer with field errors.


class YouthRegisterInputSerializer(serializers.Serializer[Any]):
    external_id = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    target_group = serializers.PrimaryKeyRelatedField(
        queryset=TargetGroup.objects.none(), required=False, allow_null=True, default=None
    )
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, required=False, allow_blank=True, default=""
    )
    has_startkwalificatie = serializers.BooleanField(required=False, allow_null=True, default=None)
    benefit = serializers.ChoiceField(choices=Benefit.choices, required=False, default=Benefit.NONE)
    life_domains = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeDomain.choices), required=False, default=list
    )
    complexity = serializers.ChoiceField(choices=Complexity.choices, required=False, default=Complexity.LICHT)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True, default=None
    )
    referral_route = serializers.ChoiceField(
        choices=ReferralRoute.choices, required=False, allow_blank=True, default=""
    )
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    confirm_new = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Registreer ook als er al een jongere met dezelfde naam en geboortedatum bekend is.",
    )


class TrajectoryStartInputSerializer(serializers.Serializer[Any]):
    youth = serializers.PrimaryKeyRelatedField(queryset=Youth.objects.none())
    approach = serializers.PrimaryKeyRelatedField(queryset=Approach.objects.none())
    worker = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Leeg: de begeleider van de ingelogde gebruiker.",
    )
    start_date = serializers.DateField()
    phase = serializers.ChoiceField(choices=Phase.choices, required=False, default=Phase.INTAKE)
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True, default="")
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    funding_source = serializers.ChoiceField(
        choices=Trajectory.FundingSource.choices, required=False, default=Trajectory.FundingSource.MUNICIPALITY
    )


class WorkingElementsInputSerializer(serializers.Serializer[Any]):
    working_elements = serializers.ListField(
        child=serializers.CharField(max_length=200),
        allow_empty=True,
        help_text="Alle gebruikte werkzame elementen, op naam (uit de lijst van de organisatie); vervangt de vorige.",
    )


class PhaseChangeInputSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(help_text="Eerste dag van de nieuwe periode; de lopende periode eindigt hier.")
    phase = serializers.ChoiceField(choices=Phase.choices)
    role = serializers.ChoiceField(choices=Role.choices, allow_blank=True, help_text="Leeg bij een time-out.")


class DateInputSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()


class HandoverInputSerializer(serializers.Serializer[Any]):
    to_worker = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(), required=False, allow_null=True, default=None, help_text="Een collega, of:"
    )
    to_organisation = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Een andere organisatie: het traject sluit hier op `date`.",
    )
    date = serializers.DateField()
    note = serializers.CharField()
    met_together_on = serializers.DateField(required=False, allow_null=True, default=None)


class OutcomeInputSerializer(serializers.Serializer[Any]):
    trajectory = serializers.PrimaryKeyRelatedField(queryset=Trajectory.objects.none())
    date = serializers.DateField()
    outcome = serializers.ChoiceField(choices=OutcomeType.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TimeEntryInputSerializer(serializers.Serializer[Any]):
    worker = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Altijd de begeleider van de ingelogde gebruiker; een ander id wordt geweigerd.",
    )
    date = serializers.DateField()
    minutes = serializers.IntegerField(help_text="1 tot en met 1440.")
    category = serializers.ChoiceField(choices=TimeCategory.choices)
    trajectory = serializers.PrimaryKeyRelatedField(
        queryset=Trajectory.objects.none(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class FollowUpAnswerInputSerializer(serializers.Serializer[Any]):
    answer = serializers.ChoiceField(choices=FollowUp.Answer.choices)
    answered_on = serializers.DateField()


class YouthProfileInputSerializer(serializers.Serializer[Any]):
    """The profile fields a worker keeps up to date (PATCH: any of them). The complexity changes
    with a date: ``POST /youths/{id}/complexity-changes/``."""

    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    target_group = serializers.PrimaryKeyRelatedField(
        queryset=TargetGroup.objects.none(), required=False, allow_null=True
    )
    education_level = serializers.ChoiceField(choices=EducationLevel.choices, required=False, allow_blank=True)
    has_startkwalificatie = serializers.BooleanField(required=False, allow_null=True)
    benefit = serializers.ChoiceField(choices=Benefit.choices, required=False)
    life_domains = serializers.ListField(child=serializers.ChoiceField(choices=LifeDomain.choices), required=False)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    referral_route = serializers.ChoiceField(choices=ReferralRoute.choices, required=False, allow_blank=True)


class ComplexityChangeInputSerializer(serializers.Serializer[Any]):
    complexity = serializers.ChoiceField(choices=Complexity.choices)
    valid_from = serializers.DateField(help_text="De dag vanaf welke de complexiteit geldt (uiterlijk vandaag).")


class NextActionInputSerializer(serializers.Serializer[Any]):
    next_action = serializers.CharField(
        max_length=200, allow_blank=True, help_text="Leeg (met next_action_on null): geen."
    )
    next_action_on = serializers.DateField(allow_null=True)
