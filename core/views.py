from collections.abc import Iterable
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core import access, selectors
from core.access import Capability
from core.audit_documents import audit_csv
from core.audit_forms import AuditFilterForm
from core.models import AuditLogEntry, Notification, User
from core.services import AuditedPerson, audit_log_read, audit_log_record, notifications_mark_read

# Where each role starts its day (SPEC §1), by what core.access lets the user do: the first
# capability the user holds decides. The team lead (who also sees case contents) starts on the
# team dashboard, the admin in the admin, the privacy officer on the audit page.
START_PAGES: list[tuple[Capability, str]] = [
    (Capability.MOVE_YOUTHS, "caseload:team_dashboard"),
    (Capability.SEE_CASE_CONTENTS, "cases:my_caseload"),
    (Capability.CONFIGURE, "admin:index"),
    (Capability.READ_AUDIT_LOG, "audit_log"),
    (Capability.SEE_AGGREGATES, "mkba:report"),
]
AUDIT_ROWS_PER_PAGE = 50


def audit_list(request: HttpRequest, youths: Iterable[AuditedPerson], page: str) -> None:
    """One audit row for a page that shows youths' names, naming every youth shown (SPEC §8).
    For the list pages of every app (cases, caseload)."""
    user = cast(User, request.user)
    audit_log_read(
        user=user,
        youth_keys=[youth.external_id for youth in youths],
        organisation_id=user.organisation_id,
        object_type="youth",
        detail=page,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    for capability, page in START_PAGES:
        if access.has(request.user, capability):
            return redirect(page)
    if access.navigation(request.user)["admin"]:  # an operator's superuser, outside any organisation
        return redirect("admin:index")
    return render(request, "core/home.html")


def _audit_filter_form(request: HttpRequest, organisation_id: int) -> AuditFilterForm:
    form = AuditFilterForm(
        request.GET or None, object_types=selectors.audit_object_types(organisation_id=organisation_id)
    )
    if form.is_bound:
        form.is_valid()
    return form


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The organisation's audit trail for its privacy officer (SPEC §8): filters, newest first."""
    user = access.require(request.user, Capability.READ_AUDIT_LOG)
    organisation_id: int = user.organisation_id  # type: ignore[assignment]
    form = _audit_filter_form(request, organisation_id)
    entries = selectors.audit_entries_for_organisation(organisation_id=organisation_id, filters=form.filters())
    page = Paginator(entries, AUDIT_ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "core/audit_log.html", {"form": form, "page": page, "entries": page.object_list})


@login_required
@require_GET
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    """The filtered rows as CSV; the download itself is a row of the audit trail."""
    user = access.require(request.user, Capability.READ_AUDIT_LOG)
    organisation_id: int = user.organisation_id  # type: ignore[assignment]
    form = _audit_filter_form(request, organisation_id)
    if form.is_bound and form.errors:
        return render(request, "core/audit_log.html", {"form": form, "page": None, "entries": []}, status=400)
    entries = list(selectors.audit_entries_for_organisation(organisation_id=organisation_id, filters=form.filters()))
    audit_log_record(
        user=user,
        action=AuditLogEntry.Action.EXPORT,
        object_type="auditlog",
        object_id="",
        organisation=user.organisation,
        detail=f"CSV, {len(entries)} regels; filters: {request.GET.urlencode() or '-'}",
    )
    filename = f"auditlog-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(audit_csv(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
