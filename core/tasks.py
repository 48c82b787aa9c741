import socket

from celery import shared_task
from django.utils import timezone

from core import services


@shared_task(name="core.worker_heartbeat")
def worker_heartbeat(token: str) -> int:
    """Proves the chain web -> broker -> worker -> database works; returns the heartbeat's id."""
    return services.worker_heartbeat_record(token=token, hostname=socket.gethostname()).pk


@shared_task(name="core.audit_log_delete_expired")
def audit_log_delete_expired() -> int:
    """Daily retention of the audit trail (SPEC §8); idempotent, so a re-delivery does no harm."""
    return services.audit_log_delete_expired(now=timezone.now())
