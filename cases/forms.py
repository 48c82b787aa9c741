"""Forms of the worker's pages. They only parse input; the services decide and write."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    IMPROVED_POSITION_EXPLANATION,
    Approach,
    Benefit,
    Complexity,
    EducationLevel,
    FollowUp,
    LifeDomain,
    OutcomeType,
    Phase,
    ReferralRoute,
    Role,
    TargetGroup,
    TimeCategory,
    Trajectory,
)
from core.models import Worker


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


def today() -> datetime.date:
    return timezone.localdate()


ROLE_CHOICES = [("", _("— geen rol —")), *Role.choices]


class PageForm(forms.Form):
    """A form that may appear several times on one page (per trajectory, per caseload row): no
    generated ids, so none collide; templates wrap each input in its label instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)


class TimeEntryForm(PageForm):
    date = forms.DateField(label=_("Datum"), initial=today, widget=DateInput())
    minutes = forms.IntegerField(label=_("Minuten"), min_value=1, max_value=24 * 60, initial=30)
    category = forms.ChoiceField(label=_("Soort"), choices=TimeCategory.choices, initial=TimeCategory.CLIENT_DIRECT)
    note = forms.CharField(label=_("Notitie"), max_length=500, required=False)


# Time-out and closing have their own actions (and a time-out no role): not offered as a phase here.
CHANGE_PHASE_CHOICES = [
    (value, label) for value, label in Phase.choices if value not in (Phase.TIME_OUT, Phase.AFGESLOTEN)
]


class PeriodChangeForm(PageForm):
    """A change of phase and/or role; it opens on the running period's phase and role, so changing
    only the role keeps the phase. A second change on the same day corrects that day's."""

    date = forms.DateField(label=_("Met ingang van"), initial=today, widget=DateInput())
    phase = forms.ChoiceField(label=_("Fase"), choices=CHANGE_PHASE_CHOICES)
    role = forms.ChoiceField(label=_("Rol"), choices=ROLE_CHOICES, required=False)

    @classmethod
    def opened_on(cls, phase: str | None, role: str | None) -> "PeriodChangeForm":
        """The form as it opens beside a running period of this phase and role."""
        initial = {}
        if phase in dict(CHANGE_PHASE_CHOICES):
            initial = {"phase": phase, "role": role or ""}
        return cls(initial=initial)


class OutcomeForm(PageForm):
    date = forms.DateField(label=_("Datum"), initial=today, widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Resultaat"), choices=OutcomeType.choices, help_text=IMPROVED_POSITION_EXPLANATION
    )
    note = forms.CharField(label=_("Notitie"), max_length=500, required=False)


class HandoverForm(PageForm):
    """To a colleague (own team first), or to another organisation: then the trajectory closes here."""

    to_worker = forms.ModelChoiceField(
        label=_("Naar collega"),
        queryset=Worker.objects.none(),
        required=False,
        empty_label=_("— kies een collega —"),
    )
    to_organisation = forms.CharField(
        label=_("Of naar een andere organisatie"),
        max_length=200,
        required=False,
        help_text=_("Het traject wordt dan hier afgesloten op de overdrachtsdatum."),
    )
    date = forms.DateField(label=_("Datum overdracht"), initial=today, widget=DateInput())
    met_together_on = forms.DateField(label=_("Samen met de jongere gesproken op"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Overdrachtsnotitie"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, workers: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if workers is not None:
            self.fields["to_worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["to_worker"].label_from_instance = lambda worker: (  # type: ignore[attr-defined]
            f"{worker.name} ({_('team')} {worker.team.name})"
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("to_worker") is None and not (cleaned.get("to_organisation") or "").strip():
            self.add_error("to_worker", _("Kies een collega of vul een andere organisatie in."))
        elif cleaned.get("to_worker") is not None and (cleaned.get("to_organisation") or "").strip():
            self.add_error("to_organisation", _("Kies één van beide: een collega of een andere organisatie."))
        return cleaned


class DateForm(PageForm):
    date = forms.DateField(label=_("Datum"), initial=today, widget=DateInput())


class ResumeForm(PeriodChangeForm):
    """Resume after a time-out; it opens on the phase and role from before the time-out."""


class NextActionForm(PageForm):
    next_action = forms.CharField(label=_("Volgende actie"), max_length=200, required=False)
    next_action_on = forms.DateField(label=_("Op"), required=False, widget=DateInput())


class YouthProfileForm(PageForm):
    """What a worker keeps up to date of a youth; the complexity with the day it holds from."""

    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Adres"), max_length=300, required=False)
    target_group = forms.ModelChoiceField(label=_("Doelgroep"), queryset=TargetGroup.objects.none(), required=False)
    education_level = forms.ChoiceField(
        label=_("Hoogst genoten opleiding"), choices=[("", "—"), *EducationLevel.choices], required=False
    )
    has_startkwalificatie = forms.NullBooleanField(label=_("Startkwalificatie"), required=False)
    benefit = forms.ChoiceField(label=_("Uitkering"), choices=Benefit.choices)
    life_domains = forms.MultipleChoiceField(
        label=_("Leefgebieden met problemen"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complexity = forms.ChoiceField(label=_("Complexiteit"), choices=Complexity.choices)
    complexity_from = forms.DateField(
        label=_("Complexiteit geldt vanaf"),
        initial=today,
        widget=DateInput(),
        required=False,
        help_text=_("Vanaf deze dag geldt de gekozen complexiteit; de dagen ervoor houden de oude."),
    )

    def __init__(self, *args: object, target_groups: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if target_groups is not None:
            self.fields["target_group"].queryset = target_groups  # type: ignore[attr-defined]

    def profile_data(self) -> dict[str, object]:
        data = {key: value for key, value in self.cleaned_data.items() if key not in ("complexity", "complexity_from")}
        data["education_level"] = data["education_level"] or ""
        return data


class FollowUpAnswerForm(PageForm):
    answer = forms.ChoiceField(label=_("Antwoord"), choices=FollowUp.Answer.choices)


class WorkingElementsForm(PageForm):
    """The werkzame elementen ticked on one trajectory, from the organisation's list."""

    working_elements = forms.MultipleChoiceField(
        label=_("Gebruikte werkzame elementen"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, names: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["working_elements"].choices = [(name, name) for name in names or []]  # type: ignore[attr-defined]


class TrajectoryStartForm(PageForm):
    approach = forms.ModelChoiceField(label=_("Aanpak"), queryset=Approach.objects.none())
    worker = forms.ModelChoiceField(label=_("Begeleider"), queryset=Worker.objects.none())
    start_date = forms.DateField(label=_("Startdatum"), initial=today, widget=DateInput())
    phase = forms.ChoiceField(label=_("Fase"), choices=Phase.choices, initial=Phase.INTAKE)
    role = forms.ChoiceField(label=_("Rol"), choices=ROLE_CHOICES, required=False)
    funding_source = forms.ChoiceField(
        label=_("Financieringsbron"),
        choices=Trajectory.FundingSource.choices,
        initial=Trajectory.FundingSource.MUNICIPALITY,
    )

    def __init__(self, *args: object, approaches: object = None, workers: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if approaches is not None:
            self.fields["approach"].queryset = approaches  # type: ignore[attr-defined]
        if workers is not None:
            self.fields["worker"].queryset = workers  # type: ignore[attr-defined]


class YouthRegisterForm(PageForm):
    external_id = forms.CharField(label=_("Sleutel (bijv. BSN-pseudoniem of dossiernummer)"), max_length=100)
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100)
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=DateInput())
    phone = forms.CharField(label=_("Telefoon"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    target_group = forms.ModelChoiceField(label=_("Doelgroep"), queryset=TargetGroup.objects.none(), required=False)
    education_level = forms.ChoiceField(
        label=_("Hoogst genoten opleiding"), choices=[("", "—"), *EducationLevel.choices], required=False
    )
    has_startkwalificatie = forms.NullBooleanField(label=_("Startkwalificatie"), required=False)
    benefit = forms.ChoiceField(label=_("Uitkering"), choices=Benefit.choices, initial=Benefit.NONE)
    life_domains = forms.MultipleChoiceField(
        label=_("Leefgebieden met problemen"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complexity = forms.ChoiceField(label=_("Complexiteit"), choices=Complexity.choices, initial=Complexity.LICHT)
    referral_route = forms.ChoiceField(
        label=_("Aanmeldroute"), choices=[("", "—"), *ReferralRoute.choices], required=False
    )
    reported_on = forms.DateField(label=_("Datum melding"), required=False, widget=DateInput())
    confirm_new = forms.BooleanField(label=_("Toch als nieuwe jongere registreren"), required=False)

    def __init__(self, *args: object, target_groups: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if target_groups is not None:
            self.fields["target_group"].queryset = target_groups  # type: ignore[attr-defined]

    def youth_data(self) -> dict[str, object]:
        data = {key: value for key, value in self.cleaned_data.items() if key != "confirm_new"}
        for key in ("education_level", "referral_route"):
            data[key] = data[key] or ""
        return data


class InzageRequestForm(forms.Form):
    """The date the youth asked for inzage, printed on the cover page (default: today)."""

    verzoekdatum = forms.DateField(label=_("Datum van het verzoek"), required=False, widget=DateInput())


class InzageLookupForm(forms.Form):
    """The privacy officer finds a youth by the key the organisation knows them by."""

    key = forms.CharField(
        label=_("Sleutel van de jongere (bijv. BSN-pseudoniem of dossiernummer)"),
        max_length=100,
        strip=True,
        error_messages={"required": _("Vul de sleutel van de jongere in.")},
    )
