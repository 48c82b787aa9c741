from celery import shared_task
from django.utils import timezone

from cases.services import youths_anonymise_expired


@shared_task(name="cases.anonymise_expired_youths")
def anonymise_expired_youths() -> int:
    """Daily retention job (SPEC §8); idempotent, so a re-delivery does no harm."""
    return youths_anonymise_expired(today=timezone.localdate())
