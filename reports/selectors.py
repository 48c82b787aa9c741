"""Reads of the stored reports (SPEC §5): which reports a user may open, the list, the PDF bytes.

Access (SPEC §1, §8): whether a user may read reports at all is ``core.access``'s answer, asked
through ``mkba.selectors.user_may_read_mkba`` as the Rendement pages ask it. Which reports:
analysts and admins see every report of their organisation; a team lead the reports of the kinds
that are organisation-wide for team leads (the MKBA reports of whole approaches, as on the
Rendement page) and the reports of the teams they lead; workers none. Nobody sees another
organisation's reports.
"""

from typing import Any

from django.db.models import Q, QuerySet

from core import access, report_kinds
from core.access import CaseScope
from core.models import Team
from mkba.selectors import user_may_read_mkba
from reports.models import Report


def reports_visible_to(user: Any) -> QuerySet[Report]:
    """The stored reports a user may open (see the module docstring), with what a list or a page
    shows about them; the PDF bytes are left in the database until downloaded."""
    if not user_may_read_mkba(user):
        return Report.objects.none()
    reports = Report.objects.filter(organisation_id=user.organisation_id)
    if access.case_scope(user) is CaseScope.LED_TEAMS:  # a team lead: the teams they lead
        led = Team.objects.filter(leads=user).values("pk")
        organisation_wide = report_kinds.values_where(organisation_wide_for_team_leads=True)
        reports = reports.filter(Q(team__isnull=True, kind__in=organisation_wide) | Q(team__in=led))
    return reports.select_related("approach", "team", "parameter_set", "requested_by").defer("pdf")


def report_list_for(user: Any) -> QuerySet[Report]:
    """The reports of the list page and the API list: newest first, without the result JSON."""
    return reports_visible_to(user).defer("pdf", "result_json").order_by("-created_at", "-pk")


def report_pdf_bytes(report: Report) -> bytes | None:
    """The stored PDF of a report (one query; the list and page querysets leave it out)."""
    value = Report.objects.filter(pk=report.pk).values_list("pdf", flat=True).first()
    return bytes(value) if value is not None else None


def mkba_reports_for_scenario(user: Any, approach_id: int | None) -> QuerySet[Report]:
    """The finished MKBA reports (any kind: quarter, year, on demand) of an approach that the user
    may open, newest first: the ex-post side of an own scenario's comparison (issue 17, item 6)."""
    if approach_id is None:
        return Report.objects.none()
    mkba_kinds = [Report.Kind.MKBA_QUARTERLY, Report.Kind.MKBA_YEARLY, Report.Kind.MKBA_ON_DEMAND]
    return (
        reports_visible_to(user)
        .filter(approach_id=approach_id, kind__in=mkba_kinds, status=Report.Status.DONE)
        .order_by("-period_end", "-created_at", "-pk")
    )
