"""Schemas of the caseload endpoints, for the OpenAPI document only: the views return the engine's
JSON document as it is (SPEC.md 3 fixes its field names and rounding), nothing is serialized here."""

import math
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from caseload import calculations as calc
from core.api.schema import ErrorSerializer as CoreErrorSerializer
from core.api.serializers import FromToMixin
from core.forms import day_validators


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


class CaseloadQuerySerializer(serializers.Serializer[Any]):
    """The query of ``GET /api/v1/caseload/``: a date, or a period [from, to) with ``to``
    exclusive, optionally one team by id or name (SPEC §3, §6)."""

    date = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"], default=None, validators=day_validators()
    )
    date_from = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"], default=None, validators=day_validators()
    )
    date_to = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"], default=None, validators=day_validators()
    )
    team = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # The query names are the command's (--from, --to), which Python keeps for itself.
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        fields["to"] = fields.pop("date_to")
        return fields

    def to_internal_value(self, data: Any) -> Any:
        # An empty parameter is an absent one (?date=&from=...), as a form would send it.
        present = {key: value for key, value in data.items() if value != ""}
        return super().to_internal_value(present)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        day, date_from, date_to = attrs.get("date"), attrs.get("from"), attrs.get("to")
        if day is not None and (date_from is not None or date_to is not None):
            raise serializers.ValidationError({"detail": _("Geef óf date, óf from en to; niet allebei.")})
        if day is None and (date_from is None or date_to is None):
            raise serializers.ValidationError(
                {"detail": _("Geef date=JJJJ-MM-DD, of from=JJJJ-MM-DD en to=JJJJ-MM-DD.")}
            )
        if date_from is not None and date_to is not None and date_to <= date_from:
            message = _("to moet na from liggen (to is exclusief).")
            raise serializers.ValidationError({"detail": message, "to": [message]})
        return attrs


class CapacityPlanQuerySerializer(serializers.Serializer[Any]):
    """The query of ``GET /api/v1/caseload/plan/``: per role ``YOUTHSxHOURS``, and an optional fte
    (decimal point or comma)."""

    coaching = serializers.CharField(required=False, allow_blank=True, default="")
    uitvoering = serializers.CharField(required=False, allow_blank=True, default="")
    regie = serializers.CharField(required=False, allow_blank=True, default="")
    monitoring = serializers.CharField(required=False, allow_blank=True, default="")
    fte = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_fte(self, value: str) -> float | None:
        if not value:
            return None
        try:
            fte = float(value.replace(",", "."))
        except ValueError:
            raise serializers.ValidationError(_("Een getal.")) from None
        if not math.isfinite(fte):
            raise serializers.ValidationError(_("Een getal."))
        if fte < 0:
            raise serializers.ValidationError(_("0 of meer."))
        return fte

    def role_lines(self) -> list[str]:
        """The mix in the command's ``--role`` form (``coaching=50x20``), for planning_mix_parse."""
        return [f"{role}={self.validated_data[role]}" for role in calc.ROLES if self.validated_data[role]]


class NormQuerySerializer(FromToMixin, serializers.Serializer[Any]):
    """The query of ``GET /api/v1/caseload/norms/``: a period [from, to), optionally one team."""

    date_from = serializers.DateField(input_formats=["%Y-%m-%d"])
    date_to = serializers.DateField(input_formats=["%Y-%m-%d"])
    team = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["date_to"] <= attrs["date_from"]:
            message = _("to moet na from liggen (to is exclusief).")
            raise serializers.ValidationError({"detail": message, "to": [message]})
        return attrs


class NormEstimateSerializer(serializers.Serializer[Any]):
    current = serializers.FloatField(allow_null=True, help_text="De norm die nu geldt (uur per jongere per jaar).")
    estimate = serializers.FloatField(allow_null=True, help_text="Geschat uit de geregistreerde cliënturen.")
    low = serializers.FloatField(allow_null=True, help_text="2,5e percentiel van de bootstrap.")
    high = serializers.FloatField(allow_null=True, help_text="97,5e percentiel van de bootstrap.")


class NormRolesSerializer(serializers.Serializer[Any]):
    coaching = NormEstimateSerializer()
    uitvoering = NormEstimateSerializer()
    regie = NormEstimateSerializer()
    monitoring = NormEstimateSerializer()


class NormCalibrationSerializer(serializers.Serializer[Any]):
    worker_months = serializers.IntegerField()
    norms = NormRolesSerializer()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {"from": serializers.DateField(), "to": serializers.DateField(), **super().get_fields()}


class StepDownSerializer(serializers.Serializer[Any]):
    trajectory = serializers.IntegerField()
    youth_key = serializers.CharField()
    worker_id = serializers.CharField(help_text="De sleutel van de begeleider.")
    role = serializers.CharField()
    direct_hours = serializers.FloatField(help_text="Directe cliënturen in de laatste 8 weken.")
    monitoring_hours = serializers.FloatField(help_text="Wat monitoring in 8 weken vraagt.")
    hours_freed_per_year = serializers.FloatField()


class MoveSerializer(serializers.Serializer[Any]):
    trajectory = serializers.IntegerField()
    youth_key = serializers.CharField()
    from_worker = serializers.CharField(help_text="De sleutel van de begeleider.")
    to_worker = serializers.CharField(help_text="De sleutel van de collega.")
    role = serializers.CharField()
    hours_per_year = serializers.FloatField()


class TeamAdviceSerializer(serializers.Serializer[Any]):
    team = serializers.CharField()
    date = serializers.DateField()
    step_down = StepDownSerializer(many=True)
    moves = MoveSerializer(many=True)
    hours_outside_band_before = serializers.FloatField()
    hours_outside_band_after = serializers.FloatField()


class NormHoursSerializer(serializers.Serializer[Any]):
    """Hours per youth per year for each role."""

    coaching = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, coerce_to_string=False)
    uitvoering = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, coerce_to_string=False)
    regie = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, coerce_to_string=False)
    monitoring = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, coerce_to_string=False)


class NormChangeInputSerializer(serializers.Serializer[Any]):
    """``POST /api/v1/caseload/norm-changes/``: adopt norms from a day on (issue 17, item 1)."""

    valid_from = serializers.DateField(input_formats=["%Y-%m-%d"], help_text="De eerste dag waarop de norm geldt.")
    approach = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Id van een aanpak; leeg: de hele organisatie."
    )
    norms = NormHoursSerializer()
    source = serializers.CharField(max_length=300, help_text="Waar de cijfers vandaan komen.")  # type: ignore[assignment]


class NormChangeSerializer(serializers.Serializer[Any]):
    """An adopted norm, as ``GET /api/v1/caseload/norm-changes/`` lists it."""

    id = serializers.IntegerField(source="pk")
    valid_from = serializers.DateField()
    approach = serializers.IntegerField(source="approach_id", allow_null=True, help_text="null: de hele organisatie")
    approach_name = serializers.CharField(source="approach.name", allow_null=True, default=None)
    norms = serializers.SerializerMethodField()
    source = serializers.CharField()  # type: ignore[assignment]
    recorded_at = serializers.DateTimeField()
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", allow_null=True, default=None)

    def get_norms(self, change: Any) -> dict[str, float]:
        return {role: float(getattr(change, f"norm_{role}_hours")) for role in calc.ROLES}


class ForecastQuerySerializer(serializers.Serializer[Any]):
    """The query of ``GET /api/v1/caseload/forecast/``: a team, a day, weeks, and the what-ifs."""

    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    date = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"], default=None, validators=day_validators()
    )
    weeks = serializers.IntegerField(required=False, min_value=4, max_value=26, default=13)
    extra_month = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m"], default=None, validators=day_validators()
    )
    extra_meldingen = serializers.IntegerField(required=False, min_value=0, max_value=10_000, default=0)
    worker = serializers.CharField(required=False, allow_blank=True, default="")
    worker_fte = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=2, default=None)
    worker_from = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"], default=None, validators=day_validators()
    )
    norm_coaching = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=9999.9, default=None)
    norm_uitvoering = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=9999.9, default=None
    )
    norm_regie = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=9999.9, default=None)
    norm_monitoring = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=9999.9, default=None
    )

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value({key: value for key, value in data.items() if value != ""})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A what-if that misses its other half is an error, not silently no what-if at all.
        errors: dict[str, list[str]] = {}
        if attrs["worker"] and attrs["worker_fte"] is None:
            errors["worker_fte"] = [_("Geef de nieuwe fte van de begeleider (0: vertrekt).")]
        if attrs["worker_fte"] is not None and not attrs["worker"]:
            errors["worker"] = [_("Geef de begeleider (extern id) van wie de fte verandert.")]
        if attrs["extra_meldingen"] and attrs["extra_month"] is None:
            errors["extra_month"] = [_("Geef de maand (JJJJ-MM) van de extra meldingen.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def norms(self) -> dict[str, float]:
        return {
            role: float(self.validated_data[f"norm_{role}"])
            for role in calc.ROLES
            if self.validated_data.get(f"norm_{role}") is not None
        }


class ForecastWeekSerializer(serializers.Serializer[Any]):
    expected_hours = serializers.FloatField(help_text="verwachte uren in de week")
    low = serializers.FloatField(help_text="10e percentiel")
    high = serializers.FloatField(help_text="90e percentiel")
    capacity_hours = serializers.FloatField()
    utilisation = serializers.FloatField(allow_null=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "from": serializers.DateField(),
            "to": serializers.DateField(help_text="exclusief"),
            **super().get_fields(),
        }


class ForecastMonthSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="JJJJ-MM")
    expected = serializers.FloatField(help_text="verwachte meldingen binnen de prognose")


class ForecastTeamSerializer(serializers.Serializer[Any]):
    team = serializers.CharField()
    expected_hours_today = serializers.FloatField(help_text="uur per jaar op de peildatum")
    weeks = ForecastWeekSerializer(many=True)
    meldingen = ForecastMonthSerializer(many=True)


class ForecastWorkerSerializer(serializers.Serializer[Any]):
    worker_id = serializers.CharField()
    team = serializers.CharField()
    expected_hours_today = serializers.FloatField()
    weeks = ForecastWeekSerializer(many=True)


class ForecastStaySerializer(serializers.Serializer[Any]):
    approach = serializers.CharField()
    phase = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    median_days = serializers.IntegerField(allow_null=True, help_text="Kaplan-Meier: helft vertrokken na")
    finished = serializers.IntegerField()
    running = serializers.IntegerField()
    leaves_care = serializers.FloatField(allow_null=True)


class ForecastDocumentSerializer(serializers.Serializer[Any]):
    team = serializers.CharField()
    date = serializers.DateField()
    weeks = serializers.IntegerField()
    band = serializers.CharField(help_text="p10-p90")
    teams = ForecastTeamSerializer(many=True)
    workers = ForecastWorkerSerializer(many=True)
    seasonal_factors = serializers.ListField(child=serializers.FloatField(), help_text="januari .. december")
    stays = ForecastStaySerializer(many=True)
