"""Serializers of the MKBA endpoints: output serializers for reads, input serializers for writes
(they parse; mkba.services validates and writes), and a description of the MKBA contract JSON of
SPEC §4 for the OpenAPI schema (responses are the service's dict as it is)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import CostItem, CostLine
from core.api.ids import ID_MAX, ID_MIN
from core.api.serializers import FromToMixin
from mkba import own_scenarios
from mkba.models import OwnScenario, ParameterSet, ReferenceApproach


class ParameterSetSerializer(serializers.ModelSerializer[ParameterSet]):
    is_shared = serializers.BooleanField(read_only=True)
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ParameterSet
        fields = [
            "id",
            "organisation",
            "is_shared",
            "name",
            "version",
            "based_on",
            "notes",
            "is_indicative",
            "created_at",
            "created_by_name",
            "data",
        ]
        read_only_fields = fields

    def get_created_by_name(self, parameter_set: ParameterSet) -> str:
        user = parameter_set.created_by
        return "" if user is None else (user.get_full_name() or user.username)


class ParameterSetCreateInputSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=200, help_text="Een bestaande naam maakt de volgende versie van die set.")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    is_indicative = serializers.BooleanField(required=False, default=False)
    data = serializers.JSONField(  # type: ignore[assignment]  # the request key, not Serializer.data
        help_text="De kengetallen-JSON van SPEC §6 (hourly_rate ... outcomes)."
    )


class ParameterSetVersionInputSerializer(serializers.Serializer[dict[str, Any]]):
    data = serializers.JSONField(  # type: ignore[assignment]  # the request key, not Serializer.data
        help_text="De kengetallen-JSON van SPEC §6 voor de nieuwe versie."
    )
    notes = serializers.CharField(required=False, allow_blank=True, help_text="Standaard: die van de vorige versie.")
    is_indicative = serializers.BooleanField(required=False, allow_null=True, default=None)


class ParameterSetAssignInputSerializer(serializers.Serializer[dict[str, Any]]):
    approach = serializers.IntegerField(help_text="Id van een aanpak van de eigen organisatie.")


class ReferenceApproachSerializer(serializers.ModelSerializer[ReferenceApproach]):
    class Meta:
        model = ReferenceApproach
        fields = [
            "number",
            "name",
            "type",
            "target_group",
            "model",
            "participants",
            "participants_note",
            "description",
            "costs",
            "benefits",
            "total_costs",
            "total_benefits",
            "balance",
            "social_ratio",
            "financial_ratio",
            "municipal_ratio",
            "immaterial_shares",
            "printed_rounding",
            "notes",
        ]
        read_only_fields = fields


class ScenarioInputSerializer(serializers.Serializer[dict[str, Any]]):
    reference = serializers.IntegerField(min_value=1, max_value=10, help_text="Referentieaanpak 1-10.")
    participants = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None, help_text="Standaard: dat van de aanpak."
    )


class MkbaPreviewInputSerializer(FromToMixin, serializers.Serializer[dict[str, Any]]):
    """The cohort of a report: trajectories of the approach started in [from, to), outcomes up to measured_at."""

    # Id or name, as the command line's --approach takes either.
    approach = serializers.CharField(help_text="Id of naam van een aanpak van de eigen organisatie.")
    date_from = serializers.DateField(help_text="Cohort: trajecten gestart vanaf deze datum.")
    date_to = serializers.DateField(help_text="Cohort: trajecten gestart vóór deze datum (exclusief).")
    measured_at = serializers.DateField(required=False, allow_null=True, default=None, help_text="Standaard: vandaag.")
    parameter_set = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Standaard: de kengetallen van de aanpak."
    )
    team = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Alleen dit team.")


# --- The MKBA contract JSON (SPEC §4), for the schema ----------------------------------------------


class MkbaCohortSerializer(serializers.Serializer[dict[str, Any]]):
    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[override]
        return {
            "from": serializers.DateField(allow_null=True),
            "to": serializers.DateField(allow_null=True),
            "measured_at": serializers.DateField(allow_null=True),
        }


class MkbaParameterSetNameSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    version = serializers.JSONField(help_text="Versienummer van de opgeslagen set (of een tekst in scenariomodus).")


class MkbaPerParticipantSerializer(serializers.Serializer[dict[str, Any]]):
    total_costs = serializers.IntegerField(allow_null=True)
    total_benefits = serializers.IntegerField(allow_null=True)
    balance = serializers.IntegerField(allow_null=True)


class MkbaStakeholderSerializer(serializers.Serializer[dict[str, Any]]):
    costs = serializers.IntegerField()
    benefits = serializers.IntegerField()
    balance = serializers.IntegerField()


class MkbaEffectSerializer(serializers.Serializer[dict[str, Any]]):
    observed = serializers.FloatField(allow_null=True)
    baseline = serializers.FloatField()
    net = serializers.FloatField(allow_null=True)
    extra = serializers.FloatField()


class MkbaSensitivitySerializer(serializers.Serializer[dict[str, Any]]):
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class MkbaReferenceComparisonSerializer(serializers.Serializer[dict[str, Any]]):
    number = serializers.IntegerField()
    name = serializers.CharField()
    social_ratio = serializers.FloatField()
    financial_ratio = serializers.FloatField()
    municipal_ratio = serializers.FloatField()


class MkbaUncertaintySerializer(serializers.Serializer[dict[str, Any]]):
    """The simulated uncertainty of the social ratio (issue 17, item 5; ``mkba.uncertainty``)."""

    runs = serializers.IntegerField(help_text="Aantal trekkingen.")
    seed = serializers.IntegerField(help_text="Startwaarde: dezelfde invoer en startwaarde geven dezelfde cijfers.")
    probability_above_1 = serializers.FloatField(
        allow_null=True, help_text="Aandeel trekkingen met een maatschappelijke ratio boven 1 (op 0,001)."
    )
    social_ratio_p5 = serializers.FloatField(allow_null=True, help_text="5e percentiel van de ratio (op 0,01).")
    social_ratio_p50 = serializers.FloatField(allow_null=True, help_text="Mediaan van de ratio (op 0,01).")
    social_ratio_p95 = serializers.FloatField(allow_null=True, help_text="95e percentiel van de ratio (op 0,01).")
    reason = serializers.CharField(allow_null=True, help_text="Waarom de cijfers leeg zijn (anders null).")


class MkbaResultSerializer(serializers.Serializer[dict[str, Any]]):
    """The MKBA output JSON of SPEC §4 (euro amounts whole, ratios to 0.01), plus the extras
    ``ratio_notes`` (why a figure is null), ``notes``, ``uncertainty``, ``break_even_contribution``
    (issue 17) and ``reference_comparison``."""

    approach = serializers.CharField()
    cohort = MkbaCohortSerializer()
    participants = serializers.IntegerField()
    parameter_set = MkbaParameterSetNameSerializer()
    costs = serializers.DictField(child=serializers.IntegerField())
    benefits = serializers.DictField(child=serializers.IntegerField())
    total_costs = serializers.IntegerField()
    total_benefits = serializers.IntegerField()
    balance = serializers.IntegerField()
    per_participant = MkbaPerParticipantSerializer()
    social_ratio = serializers.FloatField(allow_null=True)
    financial_ratio = serializers.FloatField(allow_null=True)
    municipal_ratio = serializers.FloatField(allow_null=True)
    stakeholders = serializers.DictField(child=MkbaStakeholderSerializer())
    effects = serializers.DictField(child=MkbaEffectSerializer())
    break_even_effect = serializers.FloatField(allow_null=True)
    sensitivity = MkbaSensitivitySerializer()
    ratio_notes = serializers.DictField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    uncertainty = MkbaUncertaintySerializer(required=False)
    break_even_contribution = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        help_text="Per belanghebbende de bijdrage (euro) waarbij de eigen baten die bijdrage precies dekken;"
        " null in scenariomodus zonder verdeling van de baten.",
    )
    reference_comparison = MkbaReferenceComparisonSerializer(many=True)


class MkbaErrorSerializer(serializers.Serializer[dict[str, Any]]):
    """A 400: ``detail`` plus errors per field; for parameter sets per JSON path (``$.outcomes.work.baseline``)."""

    detail = serializers.CharField()


# --- Cost items (SPEC §4 cost lines 1b, 1c, 2, 3) ---------------------------------------------------


class CostItemSerializer(serializers.ModelSerializer[CostItem]):
    """A cost item; its trajectory by id and pseudonymous keys, never a name (SPEC §8)."""

    line_label = serializers.CharField(source="get_line_display", read_only=True)
    trajectory_key = serializers.SerializerMethodField(help_text="De sleutel (extern id) van het traject.")
    youth_key = serializers.SerializerMethodField(help_text="De pseudonieme sleutel van de jongere.")

    class Meta:
        model = CostItem
        fields = [
            "id",
            "approach",
            "trajectory",
            "trajectory_key",
            "youth_key",
            "date",
            "line",
            "line_label",
            "amount",
            "description",
        ]
        read_only_fields = fields

    def get_trajectory_key(self, cost_item: CostItem) -> str | None:
        return None if cost_item.trajectory is None else cost_item.trajectory.external_id

    def get_youth_key(self, cost_item: CostItem) -> str | None:
        return None if cost_item.trajectory is None else cost_item.trajectory.youth.external_id


class CostItemInputSerializer(serializers.Serializer[dict[str, Any]]):
    """Parses a cost item; mkba.services validates it (amount, line, scope, dates) and writes."""

    approach = serializers.IntegerField(
        min_value=ID_MIN,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="Id van een aanpak van de eigen organisatie; mag ontbreken bij een traject (dan die van het traject).",
    )
    trajectory = serializers.IntegerField(
        min_value=ID_MIN,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="Id van een traject binnen uw bereik; leeg: de aanpak als geheel (alleen beleidsmedewerkers).",
    )
    date = serializers.DateField(help_text="Bij een traject: op of na de start en vóór de einddatum.")
    line = serializers.ChoiceField(
        choices=CostLine.choices, help_text="Kostenpost 1b, 1c, 2 of 3 (1a volgt uit de geschreven uren)."
    )
    # Any number: the service answers in Dutch when it is negative or has more than two decimals.
    amount = serializers.DecimalField(
        max_digits=None, decimal_places=None, help_text="Euro, niet negatief, hoogstens twee decimalen."
    )
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


# --- Own ex-ante scenarios (issue 17, item 6) -----------------------------------------------------

ALL_LINES = [*own_scenarios.LINES_OF_KIND[own_scenarios.COST], *own_scenarios.LINES_OF_KIND[own_scenarios.BENEFIT]]


class OwnScenarioLineSerializer(serializers.Serializer[dict[str, Any]]):
    """One row per participant; the rules across rows are mkba.services' (a 400 per ``lines[i].field``)."""

    kind = serializers.ChoiceField(choices=list(own_scenarios.KINDS), help_text="cost of benefit.")
    line = serializers.ChoiceField(choices=ALL_LINES, help_text="Een kosten- of batenpost van SPEC §4.")
    stakeholder = serializers.CharField(max_length=own_scenarios.STAKEHOLDER_MAX_LENGTH)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Euro per deelnemer.")
    low = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)
    high = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)


class OwnScenarioSerializer(serializers.ModelSerializer[OwnScenario]):
    lines = OwnScenarioLineSerializer(many=True, read_only=True)
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = OwnScenario
        fields = [
            "id",
            "name",
            "version",
            "based_on",
            "description",
            "approach",
            "participants",
            "lines",
            "immaterial_shares",
            "printed_totals",
            "source",
            "created_at",
            "created_by_name",
        ]
        read_only_fields = fields

    def get_created_by_name(self, scenario: OwnScenario) -> str:
        user = scenario.created_by
        return "" if user is None else (user.get_full_name() or user.username)


class OwnScenarioDetailSerializer(OwnScenarioSerializer):
    """A version with its result: the MKBA JSON of SPEC §4 in scenario mode, the ten reference
    approaches beside it and the uncertainty of the rows' ranges (given in the context)."""

    result = serializers.SerializerMethodField()

    class Meta(OwnScenarioSerializer.Meta):
        fields = [*OwnScenarioSerializer.Meta.fields, "result"]
        read_only_fields = fields

    @extend_schema_field(MkbaResultSerializer)
    def get_result(self, scenario: OwnScenario) -> dict[str, Any]:
        return dict(self.context["result"])


class OwnScenarioCohortInputSerializer(FromToMixin, serializers.Serializer[dict[str, Any]]):
    date_from = serializers.DateField(help_text="Cohort: trajecten gestart vanaf deze datum.")
    date_to = serializers.DateField(help_text="Cohort: trajecten gestart vóór deze datum (exclusief).")
    measured_at = serializers.DateField(help_text="Resultaten tot en met deze datum.")


class OwnScenarioCreateInputSerializer(serializers.Serializer[dict[str, Any]]):
    """A new scenario: with ``lines``, started from ``reference`` K, from the ``cohort`` of
    ``approach``, or (none of these) every line at 0."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    approach = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Id van de aanpak waarvoor het scenario is."
    )
    participants = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="Standaard: die van de bron, anders 1."
    )
    lines = OwnScenarioLineSerializer(many=True, required=False, allow_null=True, default=None)
    reference = serializers.IntegerField(
        min_value=1, max_value=10, required=False, allow_null=True, default=None, help_text="Start bij aanpak 1-10."
    )
    cohort = OwnScenarioCohortInputSerializer(
        required=False, allow_null=True, default=None, help_text="Start bij het cohort van de aanpak (approach)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = [key for key in ("lines", "reference", "cohort") if attrs.get(key) is not None]
        if len(starts) > 1:
            raise serializers.ValidationError("Geef regels, een referentieaanpak of een cohort, niet meer dan één.")
        if attrs.get("cohort") is not None and attrs.get("approach") is None:
            raise serializers.ValidationError({"approach": ["Een start bij een cohort vraagt een aanpak."]})
        return attrs


class OwnScenarioVersionInputSerializer(serializers.Serializer[dict[str, Any]]):
    lines = OwnScenarioLineSerializer(many=True)
    participants = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="Standaard: die van deze versie."
    )
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default=None, help_text="Standaard: die van deze versie."
    )
    approach = serializers.IntegerField(
        required=False, allow_null=True, help_text="Weglaten: de aanpak van deze versie; null: geen aanpak."
    )
