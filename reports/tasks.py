"""Celery tasks of the stored reports (SPEC §5). Thin: they take primary keys (or a day), call
``reports.services`` and own the retries; the services make them idempotent, so a retried,
duplicated or redelivered task does no harm (see "Stored reports" in reports/services.py).

The task names are older than this app (``mkba.*``, ``caseload.reports_monthly``) and stay: beat
rows and messages in flight name them. Which reports a schedule makes is the kind's business
(core.report_kinds); a task only names its kind.

Retries only for errors that can pass (the database was briefly unreachable): with exponential
backoff, at most ``max_retries``. Bad data or a bug fails the report at once, with its error.
"""

import datetime
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from reports import services

RETRY_OPTIONS: dict[str, Any] = {
    "autoretry_for": services.RETRYABLE_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(bind=True, name=services.REPORT_GENERATE_TASK, acks_late=True, reject_on_worker_lost=True, **RETRY_OPTIONS)
def report_generate(self: Task, report_id: int) -> str | None:  # type: ignore[type-arg]
    """Make one stored report; returns its status."""
    report = services.report_generate(
        report_id=report_id,
        task_id=self.request.id or "",
        hostname=self.request.hostname or "",
        retries_left=(self.max_retries or 0) - self.request.retries,
    )
    return None if report is None else report.status


def schedule_name(task: Task) -> str:  # type: ignore[type-arg]
    """``schedule:<name of the PeriodicTask>`` (django-celery-beat sends it as a message header),
    or ``schedule:<task name>`` when the task was sent by hand."""
    request = task.request
    name = getattr(request, "periodic_task_name", None) or (getattr(request, "headers", None) or {}).get(
        "periodic_task_name"
    )
    return f"schedule:{name or task.name}"


def day_or_today(today: str | None) -> datetime.date:
    """The day a scheduled task computes "the previous period" from: today, or a given ISO date
    (an admin may set ``{"today": "2025-01-01"}`` in a schedule's arguments to make past reports)."""
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


def _scheduled(task: Task, kind: str, today: str | None, **options: Any) -> list[int]:  # type: ignore[type-arg]
    reports = services.reports_schedule(kind=kind, today=day_or_today(today), made_by=schedule_name(task), **options)
    return [report.pk for report in reports]


@shared_task(bind=True, name="caseload.reports_monthly", **RETRY_OPTIONS)
def reports_monthly(self: Task, today: str | None = None) -> list[int]:  # type: ignore[type-arg]
    """The monthly caseload report of every team over the previous month (SPEC §5)."""
    return _scheduled(self, "caseload_monthly", today)


@shared_task(bind=True, name="mkba.reports_quarterly", **RETRY_OPTIONS)
def reports_quarterly(self: Task, today: str | None = None, per_team: bool = False) -> list[int]:  # type: ignore[type-arg]
    """The MKBA reports per approach (and per team with ``per_team``) of the previous quarter."""
    return _scheduled(self, "mkba_quarterly", today, per_team=per_team)


@shared_task(bind=True, name="mkba.reports_yearly", **RETRY_OPTIONS)
def reports_yearly(self: Task, today: str | None = None, per_team: bool = False) -> list[int]:  # type: ignore[type-arg]
    """The MKBA reports per approach (and per team with ``per_team``) of the previous year."""
    return _scheduled(self, "mkba_yearly", today, per_team=per_team)


@shared_task(bind=True, name="accountability.reports_yearly", **RETRY_OPTIONS)
def reports_accountability_yearly(self: Task, today: str | None = None, kinds: list[str] | None = None) -> list[int]:  # type: ignore[type-arg]
    """The accountability reports of every team over the previous calendar year (SPEC.md 4b):
    result indicators, VCV, time to first contact, working elements and the monitor, or the
    ``kinds`` an admin names in the schedule's arguments."""
    from accountability.reports import KINDS

    names = kinds if kinds is not None else [kind.value for kind in KINDS]
    return [report_id for kind in names for report_id in _scheduled(self, kind, today)]


@shared_task(name="mkba.reports_requeue_stalled", **RETRY_OPTIONS)
def reports_requeue_stalled() -> int:
    """Send again the jobs of reports that waited too long (their message was lost)."""
    return services.reports_requeue_stalled()
