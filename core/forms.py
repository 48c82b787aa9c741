"""Forms shared by every app: the login form with its password-spray and address counters."""

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from core.auth import login_attempt_refused, login_failure_record


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
