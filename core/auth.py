"""Login protection beyond django-axes (SPEC.md section 8, login throttling).

django-axes locks one *account* after repeated failures. Two attacks pass under that: one password
sprayed over many accounts (each account sees one failure), and one address trying many accounts.
Both are counted here, in the shared cache, per fixed window:
- per password: a keyed hash of it (HMAC-SHA256 with SECRET_KEY), never the password itself;
- per client address, as read behind the configured trusted proxies (``client_ip``).
Past a limit, further attempts with that password, or from that address, are refused without
asking the database, with the same answer whether or not the account exists.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.CASELOAD_TRUSTED_PROXIES)


def client_ip(request: HttpRequest | Any) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy (CASELOAD_TRUSTED_PROXIES).

    Behind trusted proxies, X-Forwarded-For is read from the right (each proxy appends the address
    it saw) and the first address that is not a trusted proxy is the client; what a client writes
    into the header itself lies further left and is never believed. Also axes' AXES_CLIENT_IP_CALLABLE
    and the API's throttle identity (DRF requests are unwrapped by attribute access)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if not settings.CASELOAD_TRUSTED_PROXIES or not _is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _is_trusted_proxy(address):
            return address
    return remote


def _window_seconds() -> int:
    return int(settings.CASELOAD_LOGIN_SPRAY_WINDOW_MINUTES) * 60


def _counter_keys(*, request: HttpRequest, password: str) -> dict[str, int]:
    """The cache keys of this attempt's counters in the current window, with their limits."""
    bucket = int(time.time()) // _window_seconds()
    password_digest = salted_hmac("core.auth.login-password", password, algorithm="sha256").hexdigest()
    return {
        f"login-failures:password:{password_digest}:{bucket}": settings.CASELOAD_LOGIN_PASSWORD_FAILURE_LIMIT,
        f"login-failures:address:{client_ip(request)}:{bucket}": settings.CASELOAD_LOGIN_ADDRESS_FAILURE_LIMIT,
    }


def login_attempt_refused(*, request: HttpRequest, password: str) -> bool:
    """True when this password, or this client address, has failed too often in this window."""
    keys = _counter_keys(request=request, password=password)
    counts = cache.get_many(list(keys))
    return any(counts.get(key, 0) >= limit for key, limit in keys.items())


def login_failure_record(*, request: HttpRequest, password: str) -> None:
    """Count one failed login against its password and its client address."""
    window = _window_seconds()
    for key in _counter_keys(request=request, password=password):
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
        # The database cache's incr rewrites the entry with the default timeout: restore it.
        cache.touch(key, timeout=window)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, in Dutch: Django 6's Dutch catalogue misses its reworded message."""

    def get_error_message(self) -> str:
        return ngettext(
            "Het wachtwoord is te kort. Het moet ten minste %(min_length)d teken bevatten.",
            "Het wachtwoord is te kort. Het moet ten minste %(min_length)d tekens bevatten.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Het wachtwoord moet ten minste %(min_length)d teken bevatten.",
            "Het wachtwoord moet ten minste %(min_length)d tekens bevatten.",
            self.min_length,
        ) % {"min_length": self.min_length}
