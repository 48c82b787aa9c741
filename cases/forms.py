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


class PeriodChangeForm(PageForm):
    date = forms.DateField(label=_("Met ingang van"), initial=today, widget=DateInput())
    phase = forms.ChoiceField(label=_("Fase"), choices=Phase.choices)
    role = forms.ChoiceField(label=_("Rol"), choices=ROLE_CHOICES, required=False)


class OutcomeForm(PageForm):
    date = forms.DateField(label=_("Datum"), initial=today, widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Resultaat"), choices=OutcomeType.choices, help_text=IMPROVED_POSITION_EXPLANATION
    )
    note = forms.CharField(label=_("Notitie"), max_length=500, required=False)


class HandoverForm(PageForm):
    to_worker = forms.ModelChoiceField(label=_("Naar collega"), queryset=Worker.objects.none())
    date = forms.DateField(label=_("Datum overdracht"), initial=today, widget=DateInput())
    met_together_on = forms.DateField(label=_("Samen met de jongere gesproken op"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Overdrachtsnotitie"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, workers: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if workers is not None:
            self.fields["to_worker"].queryset = workers  # type: ignore[attr-defined]


class DateForm(PageForm):
    date = forms.DateField(label=_("Datum"), initial=today, widget=DateInput())


class ResumeForm(PeriodChangeForm):
    pass


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
