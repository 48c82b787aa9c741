"""The form that asks for an accountability report (SPEC.md 4b) on the reports page; the MKBA
report keeps its own form (mkba.forms.MkbaReportForm)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.forms import PeriodForm
from accountability.reports import KINDS
from core import access
from core.access import CaseScope
from reports.models import Report


def _kind_choices() -> list[tuple[str, str]]:
    labels = dict(Report.Kind.choices)
    return [(kind.value, str(labels[kind.value])) for kind in KINDS]


class AccountabilityReportForm(PeriodForm):
    """Kind, period, team or approach, and the measurement date (today when left empty; a VCV
    has none). A team lead asks for a report of a team they lead: only those they see."""

    prefix = "verantwoording"
    field_order = ["kind", "team", "approach", "date_from", "date_to", "measured_at"]

    kind = forms.ChoiceField(label=_("Soort"), choices=_kind_choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.team_required = access.case_scope(user) == CaseScope.LED_TEAMS
        self.fields["approach"].empty_label = _("geen (per team)")  # type: ignore[attr-defined]
        self.fields["team"].empty_label = _("geen (per aanpak)")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        kind = next((kind for kind in KINDS if kind.value == cleaned.get("kind")), None)
        if kind is None:
            return cleaned
        if not kind.measured:
            cleaned["measured_at"] = None
        elif cleaned.get("measured_at") is None:
            cleaned["measured_at"] = timezone.localdate()
        if self.team_required and cleaned.get("team") is None:
            self.add_error("team", _("Kies een van uw teams."))
        elif cleaned.get("team") is None and cleaned.get("approach") is None:
            self.add_error("team", _("Kies een team of een aanpak."))
        return cleaned
