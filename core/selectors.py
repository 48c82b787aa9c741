"""Reads shared by every app: the audit trail."""

from django.db.models import Q, QuerySet

from core.models import AuditLogEntry


def audit_entries_for_youth(*, organisation_id: int, youth_key: str) -> QuerySet[AuditLogEntry]:
    """Who read or changed this youth's record, oldest first (for the inzage export, AVG art. 15)."""
    return (
        AuditLogEntry.objects.filter(organisation_id=organisation_id)
        .filter(Q(youth_key=youth_key) | Q(detail__contains=youth_key))
        .select_related("user")
        .order_by("at", "pk")
    )
