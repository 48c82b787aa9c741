from django.http import HttpRequest

from core.models import Notification


def notifications(request: HttpRequest) -> dict[str, int]:
    """The unread count for the top bar: one COUNT query per page, whatever the page."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=request.user, read_at__isnull=True).count()}
