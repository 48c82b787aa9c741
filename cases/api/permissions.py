"""Who may write case data through the API. Which objects a user may touch is decided by
cases.selectors (an object outside the scope is a 404 or a 400 on the id field); this only decides
which roles write at all: begeleiders and teamleiders. Analysts and admins read aggregates and
configuration, never change case contents (SPEC §1, §8)."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from core.models import User

CASE_WRITER_ROLES = frozenset({User.Role.WORKER.value, User.Role.TEAM_LEAD.value})


class CanWriteCases(BasePermission):
    message = "Alleen begeleiders en teamleiders kunnen dossiers wijzigen."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(
            user.is_authenticated
            and isinstance(user, User)
            and user.organisation_id is not None
            and user.role in CASE_WRITER_ROLES
        )
