import socket

from celery import shared_task

from core.services import worker_heartbeat_record


@shared_task(name="core.worker_heartbeat")
def worker_heartbeat(token: str) -> int:
    """Proves the chain web -> broker -> worker -> database works; returns the heartbeat's id."""
    return worker_heartbeat_record(token=token, hostname=socket.gethostname()).pk
