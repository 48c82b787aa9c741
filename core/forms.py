"""Forms shared by every app: the login form with its password-spray and address counters, and the
one way a service's error lands on a form (``form_errors_from``), and numbers with a decimal comma
(``DecimalCommaField``)."""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import BaseForm
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from core.auth import login_attempt_refused, login_failure_record
from core.exceptions import ApplicationError


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a sprayed password or a busy address before authenticating.

    The refusal says nothing about the account (it is decided before any account is looked up)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Te veel mislukte inlogpogingen. Wacht even en probeer het daarna opnieuw."),
    }

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        password = self.cleaned_data.get("password")
        if self.request is None or not password:
            return super().clean()
        if login_attempt_refused(request=self.request, password=password):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                login_failure_record(request=self.request, password=password)
            raise


def form_errors_from(
    form: BaseForm,
    error: ApplicationError,
    *,
    field_for_path: Callable[[str], str | None] | None = None,
    unplaced: Literal["form", "return"] = "form",
    summary: bool = True,
) -> list[tuple[str, str]]:
    """Put a service's ``ApplicationError`` on the form, the one way every page does it.

    - An error without fields: its message as a form error.
    - Each message of ``error.fields``: on the form field its key names (``field_for_path(key)``
      first, e.g. a JSON path, else the key itself when the form has that field). A message no field
      takes goes on the form as "key: message" (``unplaced="form"``), or is returned as
      (key, message) for a list of its own (``unplaced="return"``).
    - ``summary``: with field errors, the error's message also once as a form error.
    """
    returned: list[tuple[str, str]] = []
    if not error.fields:
        form.add_error(None, error.message)
        return returned
    for key, field_messages in error.fields.items():
        field = field_for_path(key) if field_for_path else None
        if field is None and key in form.fields:
            field = key
        for message in field_messages:
            if field is not None:
                form.add_error(field, message)
            elif unplaced == "return":
                returned.append((key, message))
            else:
                form.add_error(None, f"{key}: {message}")
    if summary and error.message not in str(form.non_field_errors()):
        form.add_error(None, error.message)
    return returned


# --- Numbers as Dutch people type them --------------------------------------------------------

_GROUPED_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def decimal_parse(text: str) -> Decimal:
    """A number as people type it: ``1234,50``, ``1.234,50``, ``€ 1.234``, ``12,5``, ``12.5``.

    A comma is the decimal sign and dots then group thousands; without a comma a dot is a decimal
    point unless it only groups thousands (``1.234`` is 1234, ``12.50`` is 12.5). Raises
    ValueError when it is not a number. Callers decide what values are allowed."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if "," in cleaned:
        if cleaned.count(",") > 1:
            raise ValueError(text)
        whole, _comma, cents = cleaned.partition(",")
        if "." in whole and not _GROUPED_THOUSANDS.match(whole):
            raise ValueError(text)
        cleaned = f"{whole.replace('.', '')}.{cents}"
    elif _GROUPED_THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error


# The days a page or the API takes: far enough for any trajectory, near enough that the months and
# years the figures look around them are still dates (9999-12-31 plus a month is not one).
DAY_FIRST = datetime.date(1900, 1, 1)
DAY_LAST = datetime.date(2199, 12, 31)


def day_validators() -> list[Callable[[Any], None]]:
    """Validators of a date field (form or API) that keep it within ``DAY_FIRST .. DAY_LAST``."""
    return [
        MinValueValidator(DAY_FIRST, message=_("Kies een datum vanaf 1 januari 1900.")),
        MaxValueValidator(DAY_LAST, message=_("Kies een datum vóór 2200.")),
    ]


class DecimalCommaField(forms.CharField):
    """A number with a decimal comma in a text input (``12,5``; a dot is understood too, see
    ``decimal_parse``), shown back with a comma and at most ``places`` decimals (trailing zeros
    dropped when ``places`` is None). ``min_value``/``max_value`` bound it."""

    places: int | None = None
    message = _("Geef een getal, bijvoorbeeld 12,5.")

    def __init__(self, *, min_value: Decimal | None = None, max_value: Decimal | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            number = decimal_parse(str(text))
        except ValueError as error:
            raise ValidationError(self.message) from error
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(_("Minstens %(value)s.") % {"value": decimal_text(self.min_value)})
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(_("Hoogstens %(value)s.") % {"value": decimal_text(self.max_value)})
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return decimal_text(Decimal(str(value)), self.places)
        return value


def decimal_text(value: Decimal, places: int | None = None) -> str:
    """``12.50`` as ``12,5`` (or ``12,50`` with ``places=2``): the comma a Dutch reader expects."""
    text = f"{value:.{places}f}" if places is not None else format(value.normalize(), "f")
    return text.replace(".", ",")
