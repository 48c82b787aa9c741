"""Forms shared by every app: the login form with its password-spray and address counters, and the
one way a service's error lands on a form (``form_errors_from``)."""

from collections.abc import Callable
from typing import Any, Literal

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
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
