"""Who may use the MKBA endpoints; which objects is decided by mkba.selectors (see its docstring)."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from mkba import selectors


class CanReadMkba(BasePermission):
    message = "Alleen beleidsmedewerkers, teamleiders en beheerders van een organisatie zien MKBA-cijfers."

    def has_permission(self, request: Request, view: Any) -> bool:
        return selectors.user_may_read_mkba(request.user)


class CanEditParameterSetsOrReadOnly(BasePermission):
    message = "Alleen beheerders en beleidsmedewerkers kunnen kengetallen wijzigen of importeren."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return selectors.user_may_edit_parameter_sets(request.user)


class CanEditOwnScenariosOrReadOnly(BasePermission):
    message = "Alleen beheerders en beleidsmedewerkers maken eigen scenario's en nieuwe versies ervan."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return selectors.user_may_edit_own_scenarios(request.user)
