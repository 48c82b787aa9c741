"""Stored reports (SPEC §5) are written here only: ``report_request`` (get-or-create on the
report's unique key, then send the job), ``report_generate`` (what the job runs: claim, compute
with progress, finish once, notify), ``report_retry`` and the schedule service that the periodic
tasks call. See the section "Stored reports" below for how exactly-once is kept.

Nothing here names a kind of report: what a kind checks, computes and schedules is declared by the
app that owns it (caseload/reports.py, mkba/reports.py) in ``core.report_kinds``, asked here.
"""

import dataclasses
import datetime
import hashlib
import json
import logging
import time
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Approach
from core import access, report_kinds
from core.access import Capability
from core.exceptions import ApplicationError
from core.models import AuditLogEntry, Organisation, Team, User
from core.report_kinds import Progress
from core.services import audit_log_record, notification_send
from mkba import selectors as mkba_selectors
from mkba.models import ParameterSet
from reports import documents
from reports.models import Report

logger = logging.getLogger(__name__)


# --- Stored reports (SPEC §5) ---------------------------------------------------------------------
#
# Exactly once per (kind, scope, period, parameter-set version), whatever the scheduler and the
# broker do:
# - ``report_request`` gets or creates the row on that key; the UniqueConstraint
#   ``report_once_per_kind_scope_period_parameters`` is the backstop for two concurrent requests
#   (the loser catches the IntegrityError and takes the winner's row). Only a new row (or a failed
#   one asked for again) sends a job, after the commit.
# - ``report_generate`` claims the row with a conditional UPDATE and finishes it with another
#   (``status != done``), so a retried, duplicated or redelivered job computes at most once more
#   and never writes a second result or changes a done report. A report whose worker died stays
#   "running" until the broker redelivers the job (acks_late), which claims it again.
# - A job that never arrives (the broker was down at the request) leaves the row pending; the
#   sweep job ``reports_requeue_stalled`` sends it again.

# The job that makes a report (reports.tasks.report_generate); the name is older than this app.
REPORT_GENERATE_TASK = "mkba.report_generate"

RETRYABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)

# Progress of a report job: (percent, step) in the order the job runs them.
# The kinds report the two steps of their computation (core.report_kinds STEP_INPUTS, STEP_CALCULATE).
STEP_STARTED = (5, "Gestart")
STEP_INPUTS = report_kinds.STEP_INPUTS
STEP_CALCULATE = report_kinds.STEP_CALCULATE
STEP_DOCUMENT = (70, "PDF met grafieken maken")
STEP_STORE = (95, "Opslaan")


def report_scope_key(*, approach: Approach | None = None, team: Team | None = None) -> str:
    """What a report covers, as a deterministic text for its unique key:
    ``approach:12``, ``approach:12/team:3`` or ``team:3``."""
    parts = []
    if approach is not None:
        parts.append(f"approach:{approach.pk}")
    if team is not None:
        parts.append(f"team:{team.pk}")
    if not parts:
        raise ValueError("a report covers an approach, a team, or both")
    return "/".join(parts)


def _report_check(
    *,
    kind: str,
    organisation: Organisation,
    approach: Approach | None,
    team: Team | None,
    period_start: datetime.date,
    period_end: datetime.date,
    measured_at: datetime.date | None,
    parameter_set: ParameterSet | None,
) -> None:
    spec = report_kinds.kind_get(kind)
    if team is not None and team.organisation_id != organisation.pk:
        raise ApplicationError("Dit team hoort bij een andere organisatie.", fields={"team": ["Niet beschikbaar."]})
    spec.check(
        organisation=organisation,
        approach=approach,
        team=team,
        period_start=period_start,
        period_end=period_end,
        measured_at=measured_at,
        parameter_set=parameter_set,
    )


@transaction.atomic
def report_request(
    *,
    kind: str,
    organisation: Organisation,
    approach: Approach | None = None,
    team: Team | None = None,
    period_start: datetime.date,
    period_end: datetime.date,
    measured_at: datetime.date | None = None,
    parameter_set: ParameterSet | None = None,
    requested_by: User | None = None,
    made_by: str,
) -> tuple[Report, bool]:
    """Ask for a stored report (SPEC §5): the existing report on the same key, or a new one whose
    job is sent after the commit. Returns ``(report, created)``.

    A kind that uses a parameter set takes the approach's default when none is given
    (``parameter_set_default``), so its key names the exact version. A failed report asked for
    again is sent again (``created`` stays False). Raises ``ApplicationError`` for a bad scope or
    period; nothing is written then.
    """
    spec = report_kinds.kind_get(kind)
    if spec.uses_parameter_set and approach is not None and parameter_set is None:
        parameter_set = spec.parameter_set_default(approach=approach)
    _report_check(
        kind=kind,
        organisation=organisation,
        approach=approach,
        team=team,
        period_start=period_start,
        period_end=period_end,
        measured_at=measured_at,
        parameter_set=parameter_set,
    )
    key = {
        "kind": kind,
        "scope_key": report_scope_key(approach=approach, team=team),
        "period_start": period_start,
        "period_end": period_end,
        "measured_at": measured_at,
        "parameter_set": parameter_set,
    }
    existing = Report.objects.filter(**key).first()
    if existing is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    **key,
                    organisation=organisation,
                    approach=approach,
                    team=team,
                    parameter_version=parameter_set.version if parameter_set is not None else 0,
                    requested_by=requested_by,
                    made_by=made_by[:200],
                )
        except IntegrityError:
            # A concurrent request made it first (the unique constraint): that one is the report.
            existing = Report.objects.get(**key)
        else:
            transaction.on_commit(partial(report_enqueue, report.pk))
            return report, True
    if existing.status == Report.Status.FAILED:
        report_retry(report=existing)
        existing.refresh_from_db()
    return existing, False


def report_enqueue(report_id: int) -> None:
    """Send the report's job (after the commit that made it visible). A broker that is down does not
    fail the request: the report stays pending and the sweep job sends it again later."""
    options = {"queue": settings.CASELOAD_REPORT_QUEUE} if settings.CASELOAD_REPORT_QUEUE else {}
    try:
        # by name: reports.tasks imports this module, not the other way round
        current_app.send_task(REPORT_GENERATE_TASK, args=[report_id], **options)
    except Exception:  # kombu raises several types for an unreachable broker
        logger.exception("could not send the job of report %s; the sweep job will send it again", report_id)


@transaction.atomic
def report_retry(*, report: Report, user: User | None = None) -> bool:
    """Run a failed report again (the admin's "retry", or a new request on its key): back to pending
    and a new job. A report that is not failed is left alone (False)."""
    updated = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
        status=Report.Status.PENDING, progress=0, progress_text=""
    )
    if updated:
        transaction.on_commit(partial(report_enqueue, report.pk))
        if user is not None:
            audit_log_record(
                user=user,
                action=AuditLogEntry.Action.UPDATE,
                object_type="report",
                object_id=report.pk,
                organisation=report.organisation,
                detail="opnieuw gestart",
            )
    return bool(updated)


def reports_requeue_stalled(*, now: datetime.datetime | None = None) -> int:
    """Send the jobs again of reports whose job got lost: pending for longer than
    ``CASELOAD_REPORT_STALLED_MINUTES``, or running for longer than the task's hard time limit (its
    worker is gone and the broker did not redeliver). Harmless when the job was merely late: a
    second job finds the report claimed or done. Returns the number sent."""
    now = now or timezone.now()
    pending_before = now - datetime.timedelta(minutes=settings.CASELOAD_REPORT_STALLED_MINUTES)
    running_before = now - datetime.timedelta(seconds=(settings.CELERY_TASK_TIME_LIMIT or 1800) + 60)
    stalled = list(
        Report.objects.filter(
            Q(status=Report.Status.PENDING, created_at__lt=pending_before)
            | Q(status=Report.Status.RUNNING, started_at__lt=running_before)
        ).values_list("pk", flat=True)
    )
    for report_id in stalled:
        report_enqueue(report_id)
    return len(stalled)


# --- Making a report (the job) ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportMade:
    """What the job made, before it is stored."""

    result: dict[str, Any]
    fingerprint: str
    pdf: bytes


def report_generate(*, report_id: int, task_id: str = "", hostname: str = "", retries_left: int = 0) -> Report | None:
    """Make a stored report (what the job ``mkba.report_generate`` runs, reports.tasks); idempotent.

    1. A done report is returned as it is. Otherwise claim it: one conditional UPDATE from pending,
       failed or running (a redelivered job after its worker died) to running, attempts + 1.
    2. Compute with the kind's ``compute`` (core.report_kinds: the same selectors as the pages),
       writing the progress in short transactions of
       their own so the report page can follow it; render the PDF (charts included).
    3. Finish with one conditional UPDATE ``status != done``, and notify in the same transaction.
       Only the execution whose UPDATE changed the row notifies; a duplicate changes nothing.

    Errors: a database error that may pass (``RETRYABLE_ERRORS``) marks the report failed and is
    raised again, for the task to retry with backoff; an ``ApplicationError`` or ``ValueError``
    (bad data: retrying cannot help) marks it failed with the message and returns; anything else
    marks it failed and is raised (a bug: visible in the worker's log and to an admin).
    """
    report = Report.objects.filter(pk=report_id).defer("pdf").first()
    if report is None:
        logger.warning("report %s does not exist (deleted?); nothing to do", report_id)
        return None
    if report.status == Report.Status.DONE:
        return report
    claimed = Report.objects.filter(
        pk=report_id, status__in=[Report.Status.PENDING, Report.Status.FAILED, Report.Status.RUNNING]
    ).update(
        status=Report.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        task_id=task_id[:64],
        worker_hostname=hostname[:200],
        progress=STEP_STARTED[0],
        progress_text=STEP_STARTED[1],
    )
    if not claimed:
        report.refresh_from_db()
        return report
    with translation.override(settings.LANGUAGE_CODE):  # the report's texts are Dutch, whoever runs it
        return _report_make(report, retries_left=retries_left)


def _report_make(report: Report, *, retries_left: int) -> Report:
    progress = partial(_report_progress, report.pk)
    try:
        made = _report_compute(report, progress=progress)
    except RETRYABLE_ERRORS as error:
        _report_fail(report, _error_text(error), final=retries_left <= 0)
        raise
    except (ApplicationError, ValueError) as error:
        _report_fail(report, _error_text(error), final=True)
        report.refresh_from_db()
        return report
    except Exception as error:
        _report_fail(report, _error_text(error), final=True)
        raise
    progress(*STEP_STORE)
    _report_finish(report, made)
    report.refresh_from_db()
    return report


def _error_text(error: BaseException) -> str:
    if isinstance(error, ApplicationError):
        return error.message
    if isinstance(error, ValueError):
        return str(error) or type(error).__name__
    return f"{type(error).__name__}: {error}"[:2000]


def _report_progress(report_id: int, percent: int, text: str) -> None:
    """One step of a running report, committed at once (autocommit) so a page can poll it; then
    the demonstration delay (``CASELOAD_REPORT_STEP_DELAY``, 0 in production)."""
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(progress=percent, progress_text=text)
    if settings.CASELOAD_REPORT_STEP_DELAY:
        time.sleep(settings.CASELOAD_REPORT_STEP_DELAY)


def _report_fail(report: Report, message: str, *, final: bool) -> None:
    """Mark a running report failed with its error; tell the requester when no retry follows.
    Best effort: when the database itself is the problem, this write may fail too (logged)."""
    text = message if final else f"{message} (wordt automatisch opnieuw geprobeerd)"
    try:
        with transaction.atomic():
            updated = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
                status=Report.Status.FAILED, error=text, finished_at=timezone.now()
            )
            if updated and final and report.requested_by_id is not None:
                _report_notify(
                    report,
                    users=User.objects.filter(pk=report.requested_by_id),
                    text=_("Rapport mislukt: %(title)s") % {"title": documents.report_title(report)},
                )
    except Exception:
        logger.exception("could not mark report %s failed (%s)", report.pk, message)


def _report_finish(report: Report, made: ReportMade) -> bool:
    """Store the result once: only a report that is not done yet changes (a duplicate execution
    finds it done and writes nothing). The notifications are part of the same transaction."""
    with transaction.atomic():
        updated = (
            Report.objects.filter(pk=report.pk)
            .exclude(status=Report.Status.DONE)
            .update(
                status=Report.Status.DONE,
                progress=100,
                progress_text="Klaar",
                result_json=json.dumps(made.result, ensure_ascii=False),
                fingerprint=made.fingerprint,
                pdf=made.pdf,
                error="",
                finished_at=timezone.now(),
            )
        )
        if updated:
            _report_notify(
                report,
                users=report_recipients(report),
                text=_("Rapport klaar: %(title)s") % {"title": documents.report_title(report)},
            )
    return bool(updated)


def report_recipients(report: Report) -> list[User]:
    """Who is told that a report is ready (SPEC §5: its makers; issue 7: and the team lead):

    - the user who asked for it;
    - the leads of its team (a caseload report, or an MKBA report narrowed to a team); for an MKBA
      report of a whole approach, the leads of the teams whose workers are responsible for
      trajectories in the cohort (their teams' work is what the report judges);
    - a scheduled report has no requester: then also the analysts (beleidsmedewerkers) of the
      organisation for a kind that tells them (the periodic MKBA reports, SPEC §1): an audience,
      not an access rule.
    Active users of the report's organisation only, and only those who may open a report
    (``core.access``: ``Capability.SEE_AGGREGATES``), so nobody is sent a link they cannot open
    (a requester since made privacy officer, say); one query.
    """
    condition = Q(pk=report.requested_by_id) if report.requested_by_id is not None else Q()
    if report.team_id is not None:
        condition |= Q(led_teams=report.team_id)
    elif report.approach_id is not None:
        cohort = mkba_selectors.cohort_trajectories(
            approach_id=report.approach_id, date_from=report.period_start, date_to=report.period_end
        )
        condition |= Q(led_teams__workers__trajectories__in=cohort.values("pk"))
    if report.requested_by_id is None and report.kind_spec.analysts_told_when_scheduled:
        condition |= Q(role=User.Role.ANALYST)
    if not condition:
        return []
    # the roles core.access gives the capability (its table; a query cannot ask ``has`` per row)
    readers = sorted(role for role, held in access.ROLE_CAPABILITIES.items() if Capability.SEE_AGGREGATES in held)
    return list(
        User.objects.filter(condition, is_active=True, organisation_id=report.organisation_id, role__in=readers)
        .distinct()
        .order_by("pk")
    )


def _report_notify(report: Report, *, users: Iterable[User], text: str) -> None:
    """In-application notifications now (inside the caller's transaction); e-mail, where the
    deployment sends it, only after the commit, so a rolled-back finish sends nothing."""
    recipients = list(users)
    url = reverse("mkba:report_detail", args=[report.pk])
    notification_send(users=recipients, text=text[:300], url=url, email=False)
    if settings.CASELOAD_SEND_EMAIL:
        addresses = [user.email for user in recipients if user.email]
        if addresses:
            transaction.on_commit(partial(_report_email_send, addresses=addresses, text=text, url=url))


def _report_email_send(*, addresses: list[str], text: str, url: str) -> None:
    link = f"{settings.CASELOAD_BASE_URL.rstrip('/')}{url}"
    for address in addresses:
        try:
            send_mail(subject=text[:200], message=f"{text}\n{link}", from_email=None, recipient_list=[address])
        except Exception:  # a mail server that is down must not fail a report that is made
            logger.exception("could not e-mail %s about a report", address)


def _report_compute(report: Report, *, progress: Progress) -> ReportMade:
    """The result JSON, the fingerprint of its inputs and the PDF of a report."""

    report = Report.objects.select_related("approach__organisation", "team", "parameter_set", "organisation").get(
        pk=report.pk
    )
    computed = report.kind_spec.compute(report, progress=progress)
    result = computed.result
    fingerprint = report_fingerprint(report, inputs=computed.inputs)
    progress(*STEP_DOCUMENT)
    # The PDF shows the report as it will be stored: done, with this fingerprint (and made now).
    report.status, report.fingerprint, report.finished_at = Report.Status.DONE, fingerprint, timezone.now()
    pdf = documents.report_pdf(report, result)
    return ReportMade(result=result, fingerprint=fingerprint, pdf=pdf)


def report_fingerprint(report: Report, *, inputs: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of what a report was made from: its scope and period,
    the aggregated inputs its selector fetched and the parameter set's data. The same inputs give
    the same fingerprint; any change that reaches the figures (a new time entry in the cohort, an
    outcome, a parameter) gives another."""
    parameter_set = report.parameter_set
    document = {
        "scope": report.scope_key,
        "period": [report.period_start.isoformat(), report.period_end.isoformat()],
        "measured_at": report.measured_at.isoformat() if report.measured_at else None,
        "parameters": None
        if parameter_set is None
        else {"name": parameter_set.name, "version": parameter_set.version, "data": parameter_set.data},
        "inputs": inputs,
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- Schedules (the periodic tasks call these) ---------------------------------------------------


def previous_period(kind: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last whole period of a scheduled kind before ``today``: ``[start, end)``; a kind
    without a schedule raises ValueError."""
    return report_kinds.kind_get(kind).previous_period(today)


def reports_schedule(*, kind: str, today: datetime.date, made_by: str, **options: Any) -> list[Report]:
    """The scheduled reports of a kind (SPEC §5): the kind says which reports the period before
    ``today`` asks for (``scheduled_requests``, with the task's options such as ``per_team``);
    only ``report_request`` calls, so a schedule that fires twice makes nothing twice. A report
    that cannot be asked for (an approach without a parameter set, say) is logged and skipped."""
    reports = []
    for request in report_kinds.kind_get(kind).scheduled_requests(today=today, **options):
        try:
            report, _created = report_request(
                kind=kind,
                organisation=request.organisation,
                approach=request.approach,
                team=request.team,
                period_start=request.period_start,
                period_end=request.period_end,
                measured_at=request.measured_at,
                made_by=made_by,
            )
        except (ApplicationError, ObjectDoesNotExist) as error:
            logger.error("no %s report for approach %s (team %s): %s", kind, request.approach, request.team, error)
            continue
        reports.append(report)
    return reports
