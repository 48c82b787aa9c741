"""API permissions that ask core.access, the one place that decides who may do what (SPEC §8).

A view names the capability each of its actions needs (`capabilities`, keyed by action name, with
`"read"` for the safe methods and `"write"` for the rest as defaults); `HasCapability` asks
``access.has`` for it. Which *records* a user reaches stays with the selectors (an object outside
the scope is a 404, an id in a body a 400 on its field)."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from core import access
from core.access import Capability


def required_capability(request: Request, view: Any) -> Capability | None:
    """The capability the view asks for this request's action, or None when it asks none."""
    capabilities: dict[str, Capability] = getattr(view, "capabilities", {})
    action = getattr(view, "action", None)
    if action in capabilities:
        return capabilities[action]
    return capabilities.get("read" if request.method in SAFE_METHODS else "write")


def _refusal(capability: Capability) -> str:
    messages = {
        Capability.SEE_CASE_CONTENTS: _("Alleen begeleiders en teamleiders zien dossiers."),
        Capability.WRITE_CASE_DATA: _("Alleen begeleiders en teamleiders kunnen dossiers wijzigen."),
        Capability.REGISTER_YOUTH: _("Alleen begeleiders en teamleiders kunnen jongeren registreren."),
        Capability.LOG_OWN_TIME: _("Alleen begeleiders en teamleiders schrijven tijd."),
    }
    return messages.get(capability, _("U heeft geen toegang tot deze handeling."))


class HasCapability(BasePermission):
    """403 unless core.access grants the capability the view names for the action."""

    def has_permission(self, request: Request, view: Any) -> bool:
        capability = required_capability(request, view)
        if capability is None or access.has(request.user, capability):
            return True
        self.message = _refusal(capability)
        return False
