"""Forms of the team dashboard and the planning page (the interface is Dutch)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload import calculations as calc
from caseload import forecast
from cases.models import Approach, Role
from core import formats
from core.forms import DecimalCommaField, day_validators
from core.models import Team, Worker

ROLE_LABELS = dict(Role.choices)

# The period over which the dashboard shows logged hours; each ends with the reference day.
PERIODS = {
    "4w": _("laatste 4 weken"),
    "maand": _("deze maand"),
    "kwartaal": _("dit kwartaal"),
    "jaar": _("dit jaar"),
}


def period_bounds(key: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """``[from, to)`` of a dashboard period ending with ``day`` (to = the day after ``day``)."""
    end = day + dt.timedelta(days=1)
    if key == "maand":
        return day.replace(day=1), end
    if key == "kwartaal":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1), end
    if key == "jaar":
        return day.replace(month=1, day=1), end
    return day - dt.timedelta(days=27), end


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DashboardForm(forms.Form):
    """The dashboard's filters: team, reference day and the period of the logged hours."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False)
    datum = forms.DateField(label=_("Peildatum"), required=False, widget=DateInput(), validators=day_validators())
    periode = forms.ChoiceField(
        label=_("Geregistreerde uren over"), choices=list(PERIODS.items()), required=False, initial="4w"
    )

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(team.pk, team.name) for team in teams]  # type: ignore[attr-defined]


def _year_ago_month_start() -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - 1, day=1)


def _month_start() -> dt.date:
    return timezone.localdate().replace(day=1)


class NormForm(forms.Form):
    """The norms learned from the hours (issue 17): a team and the months [van, tot)."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    van = forms.DateField(label=_("Van"), initial=_year_ago_month_start, widget=DateInput())
    tot = forms.DateField(
        label=_("tot (exclusief)"), initial=_month_start, widget=DateInput(), help_text=_("Deze dag telt niet mee.")
    )

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("alle teams")), *((team.pk, team.name) for team in teams)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("van") and cleaned.get("tot") and cleaned["tot"] <= cleaned["van"]:
            self.add_error("tot", _("Moet na de begindatum liggen (de einddatum telt niet mee)."))
        return cleaned


def _next_month_start() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


class NormAdoptForm(forms.Form):
    """Adopt norms from a day on (issue 17, item 1), for the organisation or one approach."""

    aanpak = forms.TypedChoiceField(
        label=_("Voor"), coerce=int, required=False, empty_value=None, help_text=_("Leeg: de hele organisatie.")
    )
    geldt_vanaf = forms.DateField(
        label=_("Geldt vanaf"),
        initial=_next_month_start,
        widget=DateInput(),
        help_text=_("Eerdere dagen houden de oude norm."),
    )
    coaching = DecimalCommaField(label=_("Coaching"), min_value=Decimal(0), max_value=Decimal("9999.9"))
    uitvoering = DecimalCommaField(label=_("Uitvoering"), min_value=Decimal(0), max_value=Decimal("9999.9"))
    regie = DecimalCommaField(label=_("Regie"), min_value=Decimal(0), max_value=Decimal("9999.9"))
    monitoring = DecimalCommaField(label=_("Monitoring"), min_value=Decimal(0), max_value=Decimal("9999.9"))
    bron = forms.CharField(
        label=_("Bron"),
        max_length=300,
        help_text=_("Waar de cijfers vandaan komen, bijvoorbeeld de schatting van welke periode."),
    )

    def __init__(self, *args: Any, approaches: list[Approach], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aanpak"].choices = [  # type: ignore[attr-defined]
            ("", _("de hele organisatie")),
            *((approach.pk, approach.name) for approach in approaches),
        ]

    def norm_hours(self) -> dict[str, Decimal]:
        return {role: formats.round_half_up(self.cleaned_data[role], 1) for role in calc.ROLES}


class MoveYouthForm(forms.Form):
    """Move a youth of an overloaded worker to a colleague with room (a warme overdracht)."""

    trajectory = forms.IntegerField(label=_("Jongere"))
    to_worker = forms.IntegerField(label=_("Naar collega"))
    date = forms.DateField(label=_("Datum overdracht"), initial=timezone.localdate, widget=DateInput())
    note = forms.CharField(
        label=_("Overdrachtsnotitie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Een warme overdracht heeft een notitie.")},
    )
    # Where to return: the dashboard as it was shown.
    team = forms.IntegerField(required=False, widget=forms.HiddenInput())
    datum = forms.DateField(required=False, widget=forms.HiddenInput())
    periode = forms.ChoiceField(choices=list(PERIODS.items()), required=False, widget=forms.HiddenInput())


def _decimal_field(label: Any, initial: str, *, max_value: str = "100000") -> DecimalCommaField:
    """A number with a decimal comma (``12,5``; a dot is understood too), 0 to ``max_value``."""
    return DecimalCommaField(
        label=label,
        initial=Decimal(initial),
        min_value=Decimal("0"),
        max_value=Decimal(max_value),
        required=False,
    )


class PlanningForm(forms.Form):
    """The planning calculator, prefilled with the study's example (SPEC.md 3)."""

    MIX = "mix"
    COMPOSITION = "samenstelling"

    mode = forms.ChoiceField(
        label=_("Invoer"),
        choices=[
            (MIX, _("jongeren per jaar en uren per jongere, per rol")),
            (COMPOSITION, _("samenstelling op een moment en doorlooptijd")),
        ],
        initial=MIX,
        widget=forms.RadioSelect,
    )
    fte = _decimal_field(_("Beschikbare fte"), "1.0", max_value="10000")
    throughput_months = _decimal_field(_("Doorlooptijd (maanden)"), "6", max_value="120")
    approach = forms.TypedChoiceField(label=_("Normen van aanpak"), coerce=int, required=False, empty_value=None)

    # The study's example: 50 coaching x 20 h + 25 regie x 6 h + 25 monitoring x 4 h.
    EXAMPLE_MIX = {"coaching": ("50", "20"), "uitvoering": ("0", "20"), "regie": ("25", "6"), "monitoring": ("25", "4")}
    # The same at a point in time with a throughput of 6 months: half of the youths a year.
    EXAMPLE_COMPOSITION = {"coaching": "25", "uitvoering": "0", "regie": "12.5", "monitoring": "12.5"}

    def __init__(self, *args: Any, approaches: list[Approach], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role in calc.ROLES:
            youths, hours = self.EXAMPLE_MIX[role]
            self.fields[f"youths_{role}"] = _decimal_field(_("jongeren per jaar"), youths)
            self.fields[f"hours_{role}"] = _decimal_field(_("uren per jongere"), hours, max_value="10000")
            self.fields[f"now_{role}"] = _decimal_field(_("jongeren nu"), self.EXAMPLE_COMPOSITION[role])
        self.fields["approach"].choices = [("", _("organisatie (standaard)"))] + [  # type: ignore[attr-defined]
            (approach.pk, approach.name) for approach in approaches
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mode") == self.COMPOSITION and cleaned.get("throughput_months") == 0:
            self.add_error("throughput_months", _("De doorlooptijd moet groter dan 0 zijn."))
        return cleaned

    def role_rows(self) -> list[dict[str, Any]]:
        """The per-role input fields for the template."""
        return [
            {
                "role": role,
                "label": ROLE_LABELS[role],
                "youths": self[f"youths_{role}"],
                "hours": self[f"hours_{role}"],
                "now": self[f"now_{role}"],
            }
            for role in calc.ROLES
        ]


class ForecastForm(forms.Form):
    """The forecast page's query and what-ifs (GET: bookmarkable, nothing is written)."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False)
    datum = forms.DateField(label=_("Prognose vanaf"), required=False, widget=DateInput(), validators=day_validators())
    weken = forms.IntegerField(
        label=_("Weken vooruit"), min_value=forecast.MIN_WEEKS, max_value=forecast.MAX_WEEKS, initial=13
    )
    extra_maand = forms.DateField(
        label=_("Extra meldingen in de maand van"),
        required=False,
        widget=DateInput(),
        help_text=_("Een dag in die maand."),
        validators=day_validators(),
    )
    extra_aantal = forms.IntegerField(label=_("Aantal extra meldingen"), required=False, min_value=0, max_value=10_000)
    begeleider = forms.ChoiceField(label=_("Begeleider"), required=False)
    begeleider_fte = DecimalCommaField(
        label=_("Nieuwe fte (0 = vertrekt)"), required=False, min_value=Decimal("0"), max_value=Decimal("2")
    )
    begeleider_vanaf = forms.DateField(
        label=_("Met ingang van"),
        required=False,
        widget=DateInput(),
        help_text=_("Leeg: vanaf de eerste dag."),
        validators=day_validators(),
    )
    norm_coaching = DecimalCommaField(
        label=_("Norm coaching"), required=False, min_value=Decimal("0"), max_value=Decimal("9999.9")
    )
    norm_uitvoering = DecimalCommaField(
        label=_("Norm uitvoering"), required=False, min_value=Decimal("0"), max_value=Decimal("9999.9")
    )
    norm_regie = DecimalCommaField(
        label=_("Norm regie"), required=False, min_value=Decimal("0"), max_value=Decimal("9999.9")
    )
    norm_monitoring = DecimalCommaField(
        label=_("Norm monitoring"), required=False, min_value=Decimal("0"), max_value=Decimal("9999.9")
    )

    def __init__(self, *args: Any, teams: list[Team], workers: list[Worker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(team.pk, team.name) for team in teams]  # type: ignore[attr-defined]
        self.fields["begeleider"].choices = [("", _("— geen —")), *((w.external_id, w.name) for w in workers)]  # type: ignore[attr-defined]

    def norms(self) -> dict[str, float]:
        return {
            role: float(self.cleaned_data[f"norm_{role}"])
            for role in calc.ROLES
            if self.cleaned_data.get(f"norm_{role}") is not None
        }
