"""Celery tasks of the caseload app: thin wrappers around services."""

from celery import Task, shared_task

from mkba import services as report_services
from mkba.tasks import RETRY_OPTIONS, day_or_today, schedule_name


@shared_task(bind=True, name="caseload.reports_monthly", **RETRY_OPTIONS)
def reports_monthly(self: Task, today: str | None = None) -> list[int]:  # type: ignore[type-arg]
    """The monthly caseload report of every team over the previous month (SPEC §5). Stored
    reports live in the mkba app (``mkba.models.Report``); idempotent through its services."""
    reports = report_services.reports_schedule_caseload_monthly(today=day_or_today(today), made_by=schedule_name(self))
    return [report.pk for report in reports]
