"""Schemas of the caseload endpoints, for the OpenAPI document only: the views return the engine's
JSON document as it is (SPEC.md 3 fixes its field names and rounding), nothing is serialized here."""

from typing import Any

from rest_framework import serializers

from caseload import calculations as calc
from core.api.schema import ErrorSerializer as CoreErrorSerializer


class YouthsByRoleSerializer(serializers.Serializer[Any]):
    coaching = serializers.IntegerField()
    uitvoering = serializers.IntegerField()
    regie = serializers.IntegerField()
    monitoring = serializers.IntegerField()


class LoggedHoursSerializer(serializers.Serializer[Any]):
    client_direct = serializers.FloatField(help_text="uren, op 0,1")
    client_indirect = serializers.FloatField(help_text="uren, op 0,1")
    overhead = serializers.FloatField(help_text="uren, op 0,1")


class CaseloadFiguresSerializer(serializers.Serializer[Any]):
    fte = serializers.FloatField(help_text="fte op de datum, of het gemiddelde over de periode (op 0,001)")
    capacity_hours = serializers.FloatField()
    expected_hours = serializers.FloatField()
    utilisation = serializers.FloatField(allow_null=True)
    youths_by_role = YouthsByRoleSerializer()
    youths_total = serializers.IntegerField()
    youths_served = serializers.IntegerField()
    youths_per_fte_year = serializers.FloatField(allow_null=True)
    logged_hours = LoggedHoursSerializer(allow_null=True, help_text="null bij een peildatum")
    overhead_share = serializers.FloatField(allow_null=True)
    long_in_role_youths = serializers.IntegerField()
    flags = serializers.ListField(child=serializers.ChoiceField(choices=list(calc.FLAGS)))


class CaseloadWorkerSerializer(CaseloadFiguresSerializer):
    worker_id = serializers.CharField(help_text="extern id van de begeleider (worker_id van workers.csv)")
    team = serializers.CharField(allow_null=True, help_text="naam van het team")


class CaseloadTeamSerializer(CaseloadFiguresSerializer):
    team = serializers.CharField(help_text="naam van het team")


class CaseloadDocumentSerializer(serializers.Serializer[Any]):
    """SPEC.md 3, "Caseload output"; ``date`` in date mode, ``from`` and ``to`` in period mode."""

    mode = serializers.ChoiceField(choices=["date", "period"])
    date = serializers.DateField(required=False)
    workers = CaseloadWorkerSerializer(many=True)
    teams = CaseloadTeamSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a Python keyword, so these two are added here rather than declared above.
        fields["from"] = serializers.DateField(required=False)
        fields["to"] = serializers.DateField(required=False, help_text="exclusief")
        return fields


class CapacityPlanSerializer(serializers.Serializer[Any]):
    """SPEC.md 6, ``plan_capacity`` JSON (plus ``fte`` and ``youths_that_fit`` when fte is given)."""

    total_hours = serializers.FloatField()
    youths = serializers.FloatField()
    hours_per_youth = serializers.FloatField(allow_null=True)
    fte_needed = serializers.FloatField(help_text="op 0,001")
    fte = serializers.FloatField(required=False)
    youths_that_fit = serializers.FloatField(required=False, allow_null=True)


# One error shape for the whole API (core.api.schema), also under this app's old name.
ErrorSerializer = CoreErrorSerializer
