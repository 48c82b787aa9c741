from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.models import Notification, User
from core.services import notifications_mark_read

# Where each role starts its day (SPEC §1).
START_PAGES = {
    User.Role.WORKER: "cases:my_caseload",
    User.Role.TEAM_LEAD: "caseload:team_dashboard",
    User.Role.ANALYST: "mkba:report",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role in START_PAGES:
        return redirect(START_PAGES[User.Role(user.role)])
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "core/home.html")


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    notifications = Notification.objects.filter(user=user)[:100]
    return render(request, "core/notifications.html", {"notifications": notifications})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    notifications_mark_read(user=user)
    return redirect("notification_list")
