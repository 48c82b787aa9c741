"""API rate limits, counted in the shared cache (settings.CACHES), with a Dutch answer.

DRF's own classes read their rates once, at import; these read them per request from the settings
(so a deployment, or a test, can change them), and a rate of None switches a throttle off.
DRF's Dutch translation of its throttle message is unusable ("Aanvraag was verstikt"), so a
refusal is raised here with our own text; the status stays 429 with a Retry-After header.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import throttling
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.auth import client_ip


class TooManyRequests(Throttled):
    # Lazy strings: DRF formats them (str.format) when the refusal is made, in the request's language.
    default_detail = _("Te veel verzoeken.")  # type: ignore[assignment]
    extra_detail_singular = _("Probeer het over {wait} seconde opnieuw.")  # type: ignore[assignment]
    extra_detail_plural = _("Probeer het over {wait} seconden opnieuw.")  # type: ignore[assignment]


class _SettingsRateMixin:
    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(getattr(self, "scope", ""))
        return None if rate is None else str(rate)

    def get_ident(self, request: Request) -> str:
        # DRF would believe any X-Forwarded-For a client sends; only configured proxies count here.
        return client_ip(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        if super().allow_request(request, view):  # type: ignore[misc]
            return True
        raise TooManyRequests(wait=self.wait())  # type: ignore[attr-defined]


class AnonymousRateThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    """Requests without a login, per client address: counted by AnonymousThrottleAuthentication,
    never listed among the throttle classes (it would count signed-in users too)."""

    def get_cache_key(self, request: Request, view: Any) -> str:
        # Asked while authentication is still running: must not touch request.user.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    """Requests of a signed-in user, per user (over all their processes and sessions)."""


class AnonymousThrottleAuthentication(BaseAuthentication):
    """The last authentication class: reached only by a request that no other class authenticated
    (no session, no credentials), which it counts against the anonymous rate.

    DRF checks permissions before throttles, and every endpoint needs a login, so an anonymous
    request is refused (403) before any throttle class sees it: AnonRateThrottle among the throttle
    classes would never count. Counting here, during authentication, comes before that refusal."""

    def authenticate(self, request: Request) -> None:
        view = (request.parser_context or {}).get("view")
        if getattr(view, "swagger_fake_view", False):
            return None  # drf-spectacular's schema generation, not a caller
        AnonymousRateThrottle().allow_request(request, view)  # raises TooManyRequests past the rate
        return None
