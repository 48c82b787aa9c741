"""The login page: Django's LoginView with the spray-aware form; a refused attempt answers 429."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from core.forms import LoginForm


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.has_error("__all__", code="throttled"):
            response.status_code = 429
        return response
