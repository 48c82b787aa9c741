from celery import shared_task
from django.utils import timezone

from cases.dataset.jobs import dataset_import_job_run
from cases.services import youths_anonymise_expired


@shared_task(name="cases.anonymise_expired_youths")
def anonymise_expired_youths() -> int:
    """Daily retention job (SPEC §8); idempotent, so a re-delivery does no harm."""
    return youths_anonymise_expired(today=timezone.localdate())


@shared_task(name="cases.dataset_import_job", acks_late=True)
def dataset_import_job_task(job_id: str) -> str:
    """The import page's background import (issue 16). No retries: a rejected dataset stays
    rejected, and a failure is shown on the page; a re-delivery after a lost worker imports again,
    which the import allows (idempotent, all or nothing)."""
    return dataset_import_job_run(job_id=job_id)
