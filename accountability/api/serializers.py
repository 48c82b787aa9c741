"""Schemas of the accountability endpoints, for the OpenAPI document only: the views return the
calculations' JSON documents as they are (SPEC.md 4b fixes their field names and rounding)."""

from typing import Any

from rest_framework import serializers

from accountability import calculations as calc


class IndicatorSerializer(serializers.Serializer[Any]):
    ended = serializers.IntegerField()
    positive = serializers.IntegerField()
    negative = serializers.IntegerField()
    unknown = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="positive / (positive + negative), op 0,001")
    provisional = serializers.IntegerField(help_text="trajecten waarvan het meetmoment na de meetdatum ligt")


class IndicatorSetSerializer(serializers.Serializer[Any]):
    work_4w = IndicatorSerializer()
    work_12m = IndicatorSerializer()
    work_or_school_4w = IndicatorSerializer()
    work_or_school_12m = IndicatorSerializer()


class BreakdownsSerializer(serializers.Serializer[Any]):
    age_band = serializers.DictField(child=IndicatorSetSerializer())
    target_group = serializers.DictField(child=IndicatorSetSerializer())
    approach = serializers.DictField(child=IndicatorSetSerializer())
    team = serializers.DictField(child=IndicatorSetSerializer())


class PeriodDocumentSerializer(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField(help_text="exclusief")
        return fields


class ResultIndicatorsSerializer(PeriodDocumentSerializer):
    measured_at = serializers.DateField()
    indicators = IndicatorSetSerializer()
    breakdowns = BreakdownsSerializer()


class VcvRuleSerializer(serializers.Serializer[Any]):
    max_age = serializers.IntegerField()
    target_groups = serializers.ListField(child=serializers.CharField())
    flat_rate = serializers.BooleanField()
    funding_sources = serializers.ListField(child=serializers.CharField(), required=False)


class VcvFiguresSerializer(serializers.Serializer[Any]):
    fte = serializers.FloatField()
    personnel_costs = serializers.FloatField()
    youths = serializers.IntegerField()
    eligible_youths = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    accountable = serializers.FloatField()
    flat_rate = serializers.FloatField()
    total = serializers.FloatField()


class VcvWorkerSerializer(VcvFiguresSerializer):
    worker_id = serializers.CharField()
    team = serializers.CharField(allow_null=True)


class VcvTeamSerializer(VcvFiguresSerializer):
    team = serializers.CharField()


class VcvSerializer(PeriodDocumentSerializer):
    rule = VcvRuleSerializer()
    workers = VcvWorkerSerializer(many=True)
    teams = VcvTeamSerializer(many=True)
    total = VcvFiguresSerializer()


class ContactFiguresSerializer(serializers.Serializer[Any]):
    reported = serializers.IntegerField()
    contacted = serializers.IntegerField()
    waiting = serializers.IntegerField()
    median_days = serializers.IntegerField(allow_null=True)
    p90_days = serializers.IntegerField(allow_null=True)
    within_7_days = serializers.FloatField(allow_null=True)


class ContactBreakdownsSerializer(serializers.Serializer[Any]):
    team = serializers.DictField(child=ContactFiguresSerializer())
    referral_route = serializers.DictField(child=ContactFiguresSerializer())


class FirstContactSerializer(PeriodDocumentSerializer, ContactFiguresSerializer):
    measured_at = serializers.DateField()
    breakdowns = ContactBreakdownsSerializer()


class ElementGroupSerializer(serializers.Serializer[Any]):
    trajectories = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text=f"null onder {calc.SMALL_GROUP} trajecten")
    suppressed = serializers.BooleanField()


class ElementSerializer(serializers.Serializer[Any]):
    element = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["with"] = ElementGroupSerializer()
        fields["without"] = ElementGroupSerializer()
        return fields


class WorkingElementsSerializer(PeriodDocumentSerializer):
    measured_at = serializers.DateField()
    indicator = serializers.CharField()
    elements = ElementSerializer(many=True)
