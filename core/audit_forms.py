"""The audit page's filter form (GET): every field optional, an empty field narrows nothing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import AuditLogEntry
from core.selectors import AuditFilters

# What an audit row is about, in the privacy officer's words (the codes are written by the apps).
OBJECT_TYPE_LABELS = {
    "youth": _("jongere"),
    "trajectory": _("traject"),
    "period": _("periode"),
    "outcome": _("resultaat"),
    "time_entry": _("tijdregistratie"),
    "approach": _("aanpak"),
    "parameter_set": _("kengetallen"),
    "report": _("rapport"),
    "dataset": _("gegevensset (import)"),
    "auditlog": _("auditlog"),
}


def object_type_label(code: str) -> str:
    """The Dutch name of an audit row's object type; an unknown code as it is."""
    return str(OBJECT_TYPE_LABELS.get(code, code))


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("Wie"), required=False, max_length=300)
    youth_key = forms.CharField(label=_("Sleutel jongere"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=_("Actie"), required=False, choices=[("", _("alle")), *AuditLogEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label=_("Soort object"), required=False)

    def __init__(self, *args: object, object_types: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["object_type"].choices = [("", _("alle")), *((kind, object_type_label(kind)) for kind in object_types)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid fields as filters (call after ``is_valid()``; invalid fields narrow nothing)."""
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor=(data.get("actor") or "").strip(),
            youth_key=(data.get("youth_key") or "").strip(),
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
        )
