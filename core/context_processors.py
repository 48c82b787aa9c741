from django.http import HttpRequest

from core import access as access_rules
from core.models import Notification


def notifications(request: HttpRequest) -> dict[str, int]:
    """The unread count for the top bar: one COUNT query per page, whatever the page."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=request.user, read_at__isnull=True).count()}


def access(request: HttpRequest) -> dict[str, dict[str, bool]]:
    """The menu items this user's capabilities allow (core.access decides; no query)."""
    return {"nav": access_rules.navigation(request.user)}
