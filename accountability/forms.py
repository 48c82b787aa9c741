"""Forms of the accountability pages: they parse the period, scope and rule; the selectors read."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Approach, TargetGroup
from core import selectors as core_selectors
from core.models import Team
from mkba.forms import DateInput, _previous_year_start, _year_start


class PeriodForm(forms.Form):
    """[van, tot) with an optional measurement date, approach and team (the user's scope)."""

    date_from = forms.DateField(label=_("Van"), initial=_previous_year_start, widget=DateInput())
    date_to = forms.DateField(
        label=_("tot (exclusief)"), initial=_year_start, widget=DateInput(), help_text=_("Deze dag telt niet mee.")
    )
    measured_at = forms.DateField(
        label=_("Meetdatum"), required=False, widget=DateInput(), help_text=_("Leeg: vandaag.")
    )
    approach = forms.ModelChoiceField(
        label=_("Aanpak"), queryset=Approach.objects.none(), required=False, empty_label=_("alle aanpakken")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("alle teams")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].queryset = Approach.objects.filter(  # type: ignore[attr-defined]
            organisation_id=user.organisation_id
        ).order_by("name")
        self.fields["team"].queryset = core_selectors.teams_visible_to(user).order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from >= date_to:
            self.add_error("date_to", _("Moet na de begindatum liggen (de einddatum telt niet mee)."))
        return cleaned


class VcvForm(PeriodForm):
    """The VCV run: the period, a team, and the rule where the run names it."""

    max_age = forms.IntegerField(
        label=_("Maximumleeftijd"), required=False, min_value=1, help_text=_("Leeg: die van uw organisatie.")
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Doelgroepen"),
        queryset=TargetGroup.objects.none(),
        required=False,
        help_text=_("Geen gekozen: die van uw organisatie."),
    )
    flat_rate = forms.BooleanField(label=_("40% opslag"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["measured_at"]
        del self.fields["approach"]
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(  # type: ignore[attr-defined]
            organisation_id=user.organisation_id
        ).order_by("name")
