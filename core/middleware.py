"""Response headers that every page needs and no view should have to remember."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` (Django's never_cache) on every response that can hold
    personal data: every response to a signed-in user and every API response, so no browser
    history, shared computer or proxy keeps a copy. Static files are left cacheable (WhiteNoise
    answers them before this middleware; the check on STATIC_URL covers serving them otherwise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        static_prefix = "/" + str(settings.STATIC_URL).lstrip("/")
        if request.path.startswith(static_prefix):
            return response
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
