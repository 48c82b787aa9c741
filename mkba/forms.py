"""Forms of the MKBA pages. They parse input (dates, choices, a JSON document); mkba.services
validates the parameters and writes."""

import datetime
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Approach, CostLine, OutcomeType, Trajectory
from core.formats import date_text
from core.forms import DecimalCommaField
from core.models import Team
from mkba import calculations, own_scenarios, selectors, services
from mkba.models import BenefitLine, ParameterSet, ReferenceApproach

MAX_UPLOAD_BYTES = 1_000_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _year_start() -> datetime.date:
    return timezone.localdate().replace(month=1, day=1)


def _previous_year_start() -> datetime.date:
    return _year_start().replace(year=_year_start().year - 1)


class ParameterSetChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        parameter_set: ParameterSet = obj
        scope = _("gedeeld") if parameter_set.is_shared else parameter_set.organisation
        indicative = f" · {_('indicatief')}" if parameter_set.is_indicative else ""
        return f"{parameter_set.name} v{parameter_set.version} ({scope}{indicative})"


class MkbaReportForm(forms.Form):
    """The cohort of an MKBA report: approach, [van, tot), meetdatum, optionally team and set."""

    approach = forms.ModelChoiceField(label=_("Aanpak"), queryset=Approach.objects.none())
    date_from = forms.DateField(label=_("Cohort: gestart vanaf"), initial=_previous_year_start, widget=DateInput())
    date_to = forms.DateField(
        label=_("tot (exclusief)"), initial=_year_start, widget=DateInput(), help_text=_("Deze dag telt niet mee.")
    )
    measured_at = forms.DateField(label=_("Meetdatum"), initial=timezone.localdate, widget=DateInput())
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("alle teams")
    )
    parameter_set = ParameterSetChoiceField(
        label=_("Kengetallen"),
        queryset=ParameterSet.objects.none(),
        required=False,
        empty_label=_("die van de aanpak (of de standaardset)"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].queryset = selectors.approaches_for_mkba(user)  # type: ignore[attr-defined]
        self.fields["team"].queryset = selectors.teams_for_mkba(user)  # type: ignore[attr-defined]
        self.fields["parameter_set"].queryset = selectors.parameter_sets_visible_to(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from >= date_to:
            self.add_error("date_to", _("Moet na de begindatum liggen (de einddatum telt niet mee)."))
        measured_at = cleaned.get("measured_at")
        if date_from and measured_at and measured_at < date_from:
            self.add_error("measured_at", _("De meetdatum ligt vóór het begin van het cohort."))
        return cleaned


class ScenarioForm(forms.Form):
    reference = forms.TypedChoiceField(label=_("Referentieaanpak"), coerce=int, choices=())
    participants = forms.IntegerField(
        label=_("Deelnemers"), min_value=0, required=False, help_text=_("Leeg: het aantal van de aanpak zelf.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].choices = [  # type: ignore[attr-defined]
            (reference.number, str(reference)) for reference in ReferenceApproach.objects.order_by("number")
        ]


def _json_document(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("Geen geldige JSON: regel %(line)s, kolom %(column)s: %(message)s"),
            params={"line": error.lineno, "column": error.colno, "message": error.msg},
        ) from error
    if not isinstance(document, dict):
        raise ValidationError(_("De kengetallen moeten een JSON-object {…} zijn."))
    return document


# SPEC.md 4b, "Durability in the MKBA" (``calculations.DURABILITIES``).
DURABILITY_CHOICES = [
    ("none", _("geen: elk geregistreerd resultaat telt (SPEC §4)")),
    ("answered", _("beantwoorde checks: alleen wie er op de meetdatum nog is")),
]


class ParameterSetEditForm(forms.Form):
    """Edit a parameter set: the key fields as form fields, everything else in the JSON. A key
    field overrides the same key in the JSON. Saving makes a new version."""

    hourly_rate = forms.DecimalField(label=_("Uurtarief (euro)"), decimal_places=2, max_digits=8)
    productive_hours_per_fte = forms.DecimalField(
        label=_("Productieve uren per fte per jaar"), decimal_places=1, max_digits=6
    )
    discount_rate = forms.DecimalField(
        label=_("Discontovoet"), decimal_places=4, max_digits=5, help_text=_("Als fractie: 0,0225 = 2,25%.")
    )
    cost_basis = forms.ChoiceField(
        label=_("Kostengrondslag"),
        choices=[("hours", _("uren (cliëntgebonden uren x uurtarief)")), ("fte", _("fte (ingezette fte-jaren)"))],
    )
    main_outcome = forms.ChoiceField(label=_("Hoofduitkomst (voor break-even)"), choices=OutcomeType.choices)
    durability = forms.ChoiceField(
        label=_("Duurzaamheid"),
        choices=DURABILITY_CHOICES,
        required=False,  # not posted: the JSON's value stands (default none)
        help_text=_(
            "Met beantwoorde checks tellen werk, gesubsidieerd werk, verbeterde arbeidsmarktpositie en school "
            "alleen mee als de jongere er op de meetdatum volgens de duurzaamheidschecks nog is (SPEC §4b)."
        ),
    )
    is_indicative = forms.BooleanField(label=_("Indicatief (afgeleide of aangenomen waarden)"), required=False)
    notes = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    document = forms.CharField(
        label=_("Kengetallen (JSON, SPEC §6)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "Kostendragers, immateriële aandelen en per uitkomst nulalternatief (baseline), conjunctuur, "
            "attributie en waardestromen met bron."
        ),
    )

    KEY_FIELDS = (
        "hourly_rate",
        "productive_hours_per_fte",
        "discount_rate",
        "cost_basis",
        "main_outcome",
        "durability",
    )

    @classmethod
    def initial_for(cls, parameter_set: ParameterSet) -> dict[str, Any]:
        data = parameter_set.data
        return {
            "hourly_rate": data.get("hourly_rate"),
            "productive_hours_per_fte": data.get("productive_hours_per_fte"),
            "discount_rate": data.get("discount_rate", calculations.DEFAULT_DISCOUNT_RATE),
            "cost_basis": data.get("cost_basis", calculations.DEFAULT_COST_BASIS),
            "main_outcome": data.get("main_outcome", calculations.DEFAULT_MAIN_OUTCOME),
            "durability": data.get("durability", calculations.DEFAULT_DURABILITY),
            "is_indicative": parameter_set.is_indicative,
            "notes": parameter_set.notes,
            "document": json.dumps(data, ensure_ascii=False, indent=2),
        }

    def clean_document(self) -> dict[str, Any]:
        return _json_document(self.cleaned_data["document"])

    def parameters(self) -> dict[str, Any]:
        """The JSON document with the key fields written into it (call after ``is_valid``)."""
        data = dict(self.cleaned_data["document"])
        for key in ("name", "version", "notes", "description"):
            data.pop(key, None)
        for key in self.KEY_FIELDS:
            value = self.cleaned_data[key]
            if key == "durability" and not value:
                continue
            data[key] = _plain_number(value) if isinstance(value, Decimal) else value
        return data

    def field_for_path(self, path: str) -> str | None:
        """The form field that shows an error at a JSON path, if it is a key field."""
        key = path.removeprefix("$.")
        return key if key in self.KEY_FIELDS else None


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class ParameterSetImportForm(forms.Form):
    file = forms.FileField(label=_("Kengetallen-bestand (JSON)"))
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        required=False,
        help_text=_("Leeg: de naam in het bestand. Een bestaande naam wordt de volgende versie van die set."),
    )
    is_indicative = forms.BooleanField(label=_("Indicatief (afgeleide of aangenomen waarden)"), required=False)

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Het bestand is groter dan 1 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("Het bestand is geen UTF-8-tekst.")) from error
        return _json_document(text)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        document = cleaned.get("file")
        if isinstance(document, dict) and not (cleaned.get("name") or "").strip():
            name = document.get("name")
            if isinstance(name, str) and name.strip():
                cleaned["name"] = name.strip()
            else:
                self.add_error("name", _("Het bestand noemt geen naam: geef er een op."))
        return cleaned


class ApproachAssignForm(forms.Form):
    approach = forms.ModelChoiceField(label=_("Aanpak"), queryset=Approach.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].queryset = selectors.approaches_for_mkba(user)  # type: ignore[attr-defined]


# --- Costs (SPEC §4 cost lines 1b, 1c, 2, 3) ---------------------------------------------------------


class AmountField(DecimalCommaField):
    """An amount in euro with a decimal comma (``1.234,50``); see ``core.forms.decimal_parse``."""

    places = 2
    message = _("Geef een bedrag in euro, bijvoorbeeld 1.234,50.")


class CostTrajectoryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A trajectory by its pseudonymous keys and start, never by the youth's name (SPEC §8)."""

    def label_from_instance(self, obj: Any) -> str:
        trajectory: Trajectory = obj
        return _("traject %(trajectory)s · jongere %(youth)s · vanaf %(start)s") % {
            "trajectory": trajectory.external_id or trajectory.pk,
            "youth": trajectory.youth.external_id,
            "start": date_text(trajectory.start_date),
        }


def _entered_line_choices(current_line: str | None = None) -> list[tuple[str, Any]]:
    lines = [line for line in CostLine if line in services.ENTERED_COST_LINES or line == current_line]
    return [(line.value, line.label) for line in lines]


class CostItemForm(forms.Form):
    """A cost item on an approach as a whole or on one of its trajectories (mkba.services validates)."""

    approach = forms.ModelChoiceField(label=_("Aanpak"), queryset=Approach.objects.none())
    trajectory = CostTrajectoryChoiceField(
        label=_("Traject"),
        queryset=Trajectory.objects.none(),
        required=False,
        empty_label=_("geen: de aanpak als geheel"),
        help_text=_("Op een traject: de kosten van die jongere, binnen de looptijd van het traject."),
    )
    line = forms.ChoiceField(label=_("Kostenpost"), choices=())
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    amount = AmountField(label=_("Bedrag (euro)"), help_text=_("Bijvoorbeeld 1.234,50 of 1234,50."))
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=services.DESCRIPTION_MAX,
        required=False,
        help_text=_("Waarvoor (bijvoorbeeld “scholingsbudget”); geen namen of andere persoonsgegevens."),
    )

    def __init__(
        self, *args: Any, user: Any, approach: Approach | None = None, current_line: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].queryset = selectors.cost_approaches_for(user)  # type: ignore[attr-defined]
        # The page chooses the approach first (its trajectories fill the list); the form carries it.
        self.fields["approach"].widget = forms.HiddenInput()
        trajectories = selectors.cost_trajectories_for(user).order_by("external_id", "pk")
        if approach is not None:
            trajectories = trajectories.filter(approach=approach)
        self.fields["trajectory"].queryset = trajectories  # type: ignore[attr-defined]
        if not selectors.user_may_enter_approach_costs(user):
            self.fields["trajectory"].required = True
            self.fields["trajectory"].empty_label = None  # type: ignore[attr-defined]
            self.fields["trajectory"].help_text = _(
                "Kosten op de aanpak als geheel tellen voor elk team; die voert een beleidsmedewerker in."
            )
        self.fields["line"].choices = _entered_line_choices(current_line)  # type: ignore[attr-defined]


class CostFilterForm(forms.Form):
    """Which cost items the cost page lists: one approach, optionally a line and dates [van, tot)."""

    approach = forms.ModelChoiceField(label=_("Aanpak"), queryset=Approach.objects.none(), empty_label=None)
    line = forms.ChoiceField(label=_("Kostenpost"), choices=(), required=False)
    date_from = forms.DateField(label=_("Datum vanaf"), widget=DateInput(), required=False)
    date_to = forms.DateField(
        label=_("tot (exclusief)"), widget=DateInput(), required=False, help_text=_("Deze dag telt niet mee.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].queryset = selectors.cost_approaches_for(user)  # type: ignore[attr-defined]
        self.fields["line"].choices = [("", _("alle kostenposten")), *CostLine.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from >= date_to:
            self.add_error("date_to", _("Moet na de begindatum liggen (de einddatum telt niet mee)."))
        return cleaned


# --- Own ex-ante scenarios (issue 17, item 6) ------------------------------------------------------

START_EMPTY, START_REFERENCE, START_COHORT = "empty", "reference", "cohort"


class OwnScenarioCreateForm(forms.Form):
    """A new own scenario: a name and where it starts (every line at 0, a reference approach's
    lines, or the lines of an approach's cohort)."""

    name = forms.CharField(label=_("Naam"), max_length=200)
    start = forms.ChoiceField(
        label=_("Beginnen met"),
        choices=[
            (START_REFERENCE, _("de regels van een referentieaanpak")),
            (START_COHORT, _("de uitkomst per deelnemer van het cohort van een aanpak")),
            (START_EMPTY, _("een leeg scenario")),
        ],
        initial=START_REFERENCE,
        widget=forms.RadioSelect,
    )
    reference = forms.TypedChoiceField(label=_("Referentieaanpak"), coerce=int, choices=(), required=False)
    approach = forms.ModelChoiceField(
        label=_("Aanpak"),
        queryset=Approach.objects.none(),
        required=False,
        empty_label=_("nog geen"),
        help_text=_("De aanpak waarvoor het scenario een plan is; nodig om bij een cohort te beginnen."),
    )
    date_from = forms.DateField(
        label=_("Cohort: gestart vanaf"), initial=_previous_year_start, widget=DateInput(), required=False
    )
    date_to = forms.DateField(label=_("tot (exclusief)"), initial=_year_start, widget=DateInput(), required=False)
    measured_at = forms.DateField(label=_("Meetdatum"), initial=timezone.localdate, widget=DateInput(), required=False)
    participants = forms.IntegerField(
        label=_("Deelnemers"),
        min_value=1,
        required=False,
        help_text=_("Leeg: het aantal van de referentieaanpak of het cohort (bij een leeg scenario 1)."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].choices = [  # type: ignore[attr-defined]
            (reference.number, str(reference)) for reference in selectors.reference_approaches_list()
        ]
        self.fields["approach"].queryset = selectors.approaches_for_mkba(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        start = cleaned.get("start")
        if start == START_REFERENCE and not cleaned.get("reference"):
            self.add_error("reference", _("Kies een referentieaanpak."))
        if start == START_COHORT:
            if cleaned.get("approach") is None:
                self.add_error("approach", _("Kies de aanpak van het cohort."))
            for name in ("date_from", "date_to", "measured_at"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Nodig om bij een cohort te beginnen."))
            date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
            if date_from and date_to and date_from >= date_to:
                self.add_error("date_to", _("Moet na de begindatum liggen (de einddatum telt niet mee)."))
        return cleaned


def _scenario_line_choices() -> list[tuple[Any, Any]]:
    # An empty first choice, so an unused extra row is unchanged (and skipped), not a row of 1a.
    return [
        ("", "—"),
        (_("Kosten"), [(line.value, line.label) for line in CostLine]),
        (_("Baten"), [(line.value, line.label) for line in BenefitLine]),
    ]


class OwnScenarioForm(forms.Form):
    """What a new version of an own scenario says besides its rows."""

    participants = forms.IntegerField(label=_("Deelnemers"), min_value=1)
    approach = forms.ModelChoiceField(
        label=_("Aanpak"), queryset=Approach.objects.none(), required=False, empty_label=_("nog geen")
    )
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].queryset = selectors.approaches_for_mkba(user)  # type: ignore[attr-defined]


class OwnScenarioLineForm(forms.Form):
    """One row: a cost or benefit line (the two sets of names do not overlap, so the line says
    which), a stakeholder, euro per participant and an optional range, with decimal commas."""

    line = forms.ChoiceField(label=_("Post"), choices=_scenario_line_choices)
    stakeholder = forms.CharField(
        label=_("Belanghebbende"), max_length=own_scenarios.STAKEHOLDER_MAX_LENGTH, initial=calculations.GEMEENTE
    )
    amount = AmountField(label=_("Bedrag per deelnemer"))
    low = AmountField(label=_("Ondergrens"), required=False)
    high = AmountField(label=_("Bovengrens"), required=False)

    def row(self) -> dict[str, Any]:
        """The row as mkba.services takes it (``own_scenarios``' stored form)."""
        data = self.cleaned_data
        kind = own_scenarios.COST if data["line"] in calculations.COST_LINES else own_scenarios.BENEFIT
        return {
            "kind": kind,
            "line": data["line"],
            "stakeholder": data["stakeholder"],
            "amount": data["amount"],
            "low": data.get("low"),
            "high": data.get("high"),
        }

    @staticmethod
    def initial_for(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "line": row["line"],
            "stakeholder": row["stakeholder"],
            "amount": Decimal(row["amount"]),
            "low": None if row.get("low") is None else Decimal(row["low"]),
            "high": None if row.get("high") is None else Decimal(row["high"]),
        }


OwnScenarioLineFormSet = forms.formset_factory(OwnScenarioLineForm, extra=2, can_delete=True, max_num=100)
