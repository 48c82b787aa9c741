"""Writes shared by every app: the audit log and the worker heartbeat."""

from django.db import transaction

from core.models import AuditLogEntry, Organisation, User, WorkerHeartbeat


def audit_log_record(
    *,
    user: User | None,
    action: str,
    object_type: str,
    object_id: object,
    youth_key: str = "",
    organisation: Organisation | None = None,
    detail: str = "",
) -> AuditLogEntry:
    """SPEC §8: every read and change of a youth's record is logged (who, what, when)."""
    return AuditLogEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        youth_key=youth_key,
        detail=detail[:500],
    )


@transaction.atomic
def worker_heartbeat_record(*, token: str, hostname: str) -> WorkerHeartbeat:
    """Idempotent: a redelivered heartbeat task finds its row and writes nothing new."""
    heartbeat, _created = WorkerHeartbeat.objects.get_or_create(token=token, defaults={"hostname": hostname})
    return heartbeat
