"""MKBA services (SPEC §6): the writes of versioned parameter sets (import, new version, an
approach's assignment), validated first and audited.

The MKBA on demand (a report or a scenario as the contract JSON of SPEC §4) reads and computes and
stores nothing: it lives in ``mkba.selectors`` (``mkba_report_generate``).

Stored reports (SPEC §5) are written here only: ``report_request`` (get-or-create on the report's
unique key, then enqueue the job), ``report_generate`` (what the job runs: claim, compute with
progress, finish once, notify), ``report_retry`` and the schedule services that the periodic tasks
call. See the section "Stored reports" below for how exactly-once is kept.
"""

import dataclasses
import datetime
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from caseload import calculations as caseload_calculations
from caseload import selectors as caseload_selectors
from cases.models import Approach
from core import access
from core.access import Capability
from core.exceptions import ApplicationError
from core.models import AuditLogEntry, Organisation, Team, User
from core.services import audit_log_record, notification_send
from mkba import calculations, documents, selectors
from mkba.models import ParameterSet, Report

logger = logging.getLogger(__name__)

# Keys of the parameter-set JSON (SPEC §6) that describe the set rather than parameterise it: on
# import they go to the columns, on export they come back from the columns.
META_KEYS = ("name", "version", "notes", "description")

# The engine's validation messages (mkba.calculations, English) in Dutch, for the pages and the
# API. Patterns are tried in order; a message without a pattern is shown as it is.
_MESSAGES_NL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^required key is missing$", "verplicht veld ontbreekt"),
        (r"^unknown key \(allowed: (.*)\)$", r"onbekend veld (toegestaan: \1)"),
        (r"^must be a number \(got (.*)\)$", r"moet een getal zijn (nu \1)"),
        (r"^must not be negative \(got (.*)\)$", r"mag niet negatief zijn (nu \1)"),
        (r"^must be at least (.*) \(got (.*)\)$", r"moet minstens \1 zijn (nu \2)"),
        (r"^must be greater than (.*) \(got (.*)\)$", r"moet groter zijn dan \1 (nu \2)"),
        (r"^must be at most (.*) \(got (.*)\)$", r"mag hoogstens \1 zijn (nu \2)"),
        (r"^must be less than (.*) \(got (.*)\)$", r"moet kleiner zijn dan \1 (nu \2)"),
        (r"^must be a whole number \(got (.*)\)$", r"moet een geheel getal zijn (nu \1)"),
        (r"^must be a non-empty string \(got (.*)\)$", r"moet een niet-lege tekst zijn (nu \1)"),
        (r"^must be a string or a list of strings$", "moet een tekst of een lijst van teksten zijn"),
        (r"^must be a string or a whole number \(got (.*)\)$", r"moet een tekst of een geheel getal zijn (nu \1)"),
        (
            r"^must be a list \[low, high\] of two numbers \(got (.*)\)$",
            r"moet [laag, hoog] zijn: twee getallen (nu \1)",
        ),
        (r"^low (.*) is greater than high (.*)$", r"laag \1 is groter dan hoog \2"),
        (r"^the value (.*) lies outside the range (.*)$", r"de waarde \1 ligt buiten de band \2"),
        (r"^unknown cost basis (.*) \(allowed: (.*)\)$", r"onbekende kostengrondslag \1 (toegestaan: \2)"),
        (r"^unknown outcome (.*) \(allowed: (.*)\)$", r"onbekende uitkomst \1 (toegestaan: \2)"),
        (r"^unknown cost line (.*) \(allowed: (.*)\)$", r"onbekende kostenregel \1 (toegestaan: \2)"),
        (r"^unknown benefit line (.*) \(allowed: (.*)\)$", r"onbekende batenregel \1 (toegestaan: \2)"),
        (r"^shares add up to (.*), not 1$", r"de aandelen tellen op tot \1 in plaats van 1"),
        (r"^a stakeholder name must not be empty$", "een belanghebbende moet een naam hebben"),
        (r"^must be a list of streams$", "moet een lijst van waardestromen zijn"),
        (
            r"^must be a non-empty object \{stakeholder: share\}$",
            "moet een niet-leeg object {belanghebbende: aandeel} zijn",
        ),
        (r"^must be an object (.*)$", r"moet een object \1 zijn"),
        (r"^a parameter set must be a JSON object$", "een kengetallenset moet een JSON-object zijn"),
    )
)
# Fields that are shares or rates: a value outside 0..1 gets one clear message.
_SHARE_FIELD = re.compile(r"\.(baseline|attribution)$|^\$\.(cost_bearers|immaterial_shares)\.")
_OUT_OF_RANGE = re.compile(r"^(must not be negative|must be at most 1) \(got (.*)\)$")
_SHARE_NAMES = {"baseline": "het nulalternatief (baseline)", "attribution": "de attributie"}


def _message_nl(path: str, message: str) -> str:
    out_of_range = _OUT_OF_RANGE.match(message)
    share = _SHARE_FIELD.search(path)
    if out_of_range and share:
        subject = _SHARE_NAMES.get(share.group(1) or "", "een aandeel")
        return f"{subject} moet tussen 0 en 1 liggen (nu {out_of_range.group(2)})"
    for pattern, replacement in _MESSAGES_NL:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


def parameter_set_errors(data: object) -> dict[str, list[str]]:
    """Validate a parameter-set document (``calculations.parameter_set_validate``) and return the
    errors by JSON path (``$.outcomes.work.baseline``), in Dutch; empty when valid."""
    errors: dict[str, list[str]] = {}
    for error in calculations.parameter_set_validate(data):
        path, _separator, message = error.partition(": ")
        errors.setdefault(path, []).append(_message_nl(path, message))
    return errors


def parameter_set_document_split(document: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a parameter-set JSON document (SPEC §6) into its description (name, version, notes,
    description) and its parameters (what ``ParameterSet.data`` holds)."""
    meta = {key: document[key] for key in META_KEYS if key in document}
    data = {key: value for key, value in document.items() if key not in META_KEYS}
    return meta, data


def parameter_set_notes_from_document(meta: Mapping[str, Any]) -> str:
    """A document's ``description`` and ``notes`` (a text or a list of texts) as one text."""
    parts: list[str] = []
    for key in ("description", "notes"):
        value = meta.get(key)
        if isinstance(value, list):
            parts.extend(str(item) for item in value)
        elif value:
            parts.append(str(value))
    return "\n\n".join(parts)


def _validated(document: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate a parameter-set document; return its parameters and its description (name,
    version, notes) apart. Raises ApplicationError with the errors by JSON path."""
    errors = parameter_set_errors(document)
    if errors:
        count = sum(len(messages) for messages in errors.values())
        raise ApplicationError(
            f"De kengetallen zijn ongeldig ({count} {'fout' if count == 1 else 'fouten'}).", fields=errors
        )
    # parameter_set_validate checked that it is an object. A JSON round trip: the stored data is
    # plain JSON (no Decimal), exactly what the export gives back.
    plain = cast(dict[str, Any], json.loads(json.dumps(document, default=_json_number)))
    meta, data = parameter_set_document_split(plain)
    return data, meta


def _json_number(value: object) -> float | int:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON: {value!r}")


def _next_version(*, name: str, organisation: Organisation | None) -> int:
    lineage = selectors.parameter_set_lineage(name=name, organisation=organisation)
    # Lock the versions seen, so two concurrent edits queue (the unique constraint is the backstop).
    list(lineage.select_for_update().values_list("pk", flat=True))
    highest = lineage.aggregate(highest=Max("version"))["highest"]
    return int(highest or 0) + 1


def _parameter_set_save(parameter_set: ParameterSet) -> ParameterSet:
    parameter_set.full_clean()
    try:
        with transaction.atomic():
            parameter_set.save()
    except IntegrityError as error:
        raise ApplicationError(
            "Deze versie is zojuist door iemand anders gemaakt; laad de set opnieuw en probeer het nog eens."
        ) from error
    return parameter_set


@transaction.atomic
def parameter_set_create(
    *,
    organisation: Organisation,
    name: str = "",
    data: object,
    notes: str = "",
    is_indicative: bool = False,
    created_by: User | None = None,
) -> ParameterSet:
    """Store a parameter set (an import, SPEC §6) in an organisation, validated first; nothing is
    written when it is invalid. ``data`` is the JSON document: its name (when ``name`` is empty)
    and its description and notes (when ``notes`` is empty) describe the set, its version is
    ignored (the database numbers versions). A set with a name that already exists (the
    organisation's own or a shared one) becomes that set's next version."""
    validated, meta = _validated(data)
    name = (name or str(meta.get("name") or "")).strip()
    if not name:
        raise ApplicationError("Geef de kengetallenset een naam.", fields={"name": ["Verplicht."]})
    notes = notes or parameter_set_notes_from_document(meta)
    based_on = selectors.parameter_set_latest(name=name, organisation=organisation)
    parameter_set = _parameter_set_save(
        ParameterSet(
            organisation=organisation,
            name=name,
            version=_next_version(name=name, organisation=organisation),
            based_on=based_on,
            data=validated,
            notes=notes,
            is_indicative=is_indicative,
            created_by=created_by,
        )
    )
    _audit(parameter_set, user=created_by, action=AuditLogEntry.Action.IMPORT)
    return parameter_set


@transaction.atomic
def parameter_set_version_create(
    *,
    parameter_set: ParameterSet,
    organisation: Organisation,
    data: object,
    notes: str | None = None,
    is_indicative: bool | None = None,
    created_by: User | None = None,
) -> ParameterSet:
    """Edit a parameter set: a new version (the highest version of its name + 1), never an update
    (SPEC §2: a report stores the exact version it used).

    - A shared set (no organisation) is edited by making the organisation's own next version of
      it; the shared set stays as it is for everyone else.
    - ``notes`` and ``is_indicative`` default to the base version's.
    - The organisation's approaches that use an older version of this set move to the new version
      (an approach follows its set; reports already made keep naming the version they used).
    """
    if parameter_set.organisation_id not in (None, organisation.pk):
        raise ApplicationError("Deze kengetallenset hoort bij een andere organisatie.")
    validated, meta = _validated(data)
    if notes is None and ("notes" in meta or "description" in meta):
        notes = parameter_set_notes_from_document(meta)
    new_version = _parameter_set_save(
        ParameterSet(
            organisation=organisation,
            name=parameter_set.name,
            version=_next_version(name=parameter_set.name, organisation=organisation),
            based_on=parameter_set,
            data=validated,
            notes=parameter_set.notes if notes is None else notes,
            is_indicative=parameter_set.is_indicative if is_indicative is None else is_indicative,
            created_by=created_by,
        )
    )
    Approach.objects.filter(
        organisation=organisation,
        parameter_set__in=selectors.parameter_set_lineage(name=parameter_set.name, organisation=organisation)
        .exclude(pk=new_version.pk)
        .values("pk"),
    ).update(parameter_set=new_version)
    _audit(
        new_version, user=created_by, action=AuditLogEntry.Action.CREATE, detail=f"nieuwe versie van {parameter_set}"
    )
    return new_version


@transaction.atomic
def approach_parameter_set_assign(
    *, approach: Approach, parameter_set: ParameterSet | None, user: User | None = None
) -> Approach:
    """Let an approach use a parameter set (or, with ``None``, its organisation's default)."""
    if parameter_set is not None:
        selectors.parameter_set_check_usable(parameter_set, approach.organisation_id)
    approach.parameter_set = parameter_set
    approach.save(update_fields=["parameter_set", "updated_at"])
    audit_log_record(
        user=user,
        action=AuditLogEntry.Action.UPDATE,
        object_type="approach",
        object_id=approach.pk,
        organisation=approach.organisation,
        detail=f"MKBA-kengetallen: {parameter_set or 'standaard'}",
    )
    return approach


def _audit(parameter_set: ParameterSet, *, user: User | None, action: str, detail: str = "") -> None:
    audit_log_record(
        user=user,
        action=action,
        object_type="parameter_set",
        object_id=parameter_set.pk,
        organisation=parameter_set.organisation,
        detail=detail or str(parameter_set),
    )


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

RETRYABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)

# Progress of a report job: (percent, step) in the order the job runs them.
STEP_STARTED = (5, "Gestart")
STEP_INPUTS = (15, "Gegevens ophalen")
STEP_CALCULATE = (45, "Berekenen")
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
    if kind not in Report.Kind.values:
        raise ApplicationError(f"Onbekende soort rapport: {kind}.", fields={"kind": ["Onbekend."]})
    if team is not None and team.organisation_id != organisation.pk:
        raise ApplicationError("Dit team hoort bij een andere organisatie.", fields={"team": ["Niet beschikbaar."]})
    if kind == Report.Kind.CASELOAD_MONTHLY:
        if team is None or approach is not None or parameter_set is not None or measured_at is not None:
            raise ValueError("a caseload report covers one team, without approach, parameters or measurement date")
        if period_start >= period_end:
            raise ApplicationError("De periode is leeg: 'van' moet vóór 'tot' liggen.", fields={"to": ["Na 'van'."]})
        return
    if approach is None or measured_at is None or parameter_set is None:
        raise ValueError("an MKBA report needs an approach, a measurement date and a parameter set")
    if approach.organisation_id != organisation.pk:
        raise ApplicationError(
            "Deze aanpak hoort bij een andere organisatie.", fields={"approach": ["Niet beschikbaar."]}
        )
    selectors.parameter_set_check_usable(parameter_set, organisation.pk)
    selectors.check_cohort(
        approach=approach, date_from=period_start, date_to=period_end, measured_at=measured_at, team=team
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

    An MKBA report without ``parameter_set`` takes the approach's (``selectors.
    parameter_set_for_approach``), so its key names the exact version. A failed report asked for
    again is sent again (``created`` stays False). Raises ``ApplicationError`` for a bad scope or
    period; nothing is written then.
    """
    if kind in Report.MKBA_KINDS and approach is not None and parameter_set is None:
        parameter_set = selectors.parameter_set_for_approach(approach)
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
    from mkba.tasks import report_generate as report_generate_task  # the tasks module imports this one

    options = {"queue": settings.CASELOAD_REPORT_QUEUE} if settings.CASELOAD_REPORT_QUEUE else {}
    try:
        report_generate_task.apply_async(args=[report_id], **options)
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
    """Make a stored report (what the job ``mkba.report_generate`` runs); idempotent.

    1. A done report is returned as it is. Otherwise claim it: one conditional UPDATE from pending,
       failed or running (a redelivered job after its worker died) to running, attempts + 1.
    2. Compute with the same services as the pages (``mkba_report_generate``'s two halves, or the
       caseload selectors' period run for a team), writing the progress in short transactions of
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
                    text=_("Rapport mislukt: %(title)s") % {"title": report_title(report)},
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
                text=_("Rapport klaar: %(title)s") % {"title": report_title(report)},
            )
    return bool(updated)


def report_title(report: Report) -> str:
    """``MKBA-rapport per kwartaal — Aanpak (team Noord), 1 januari 2024 t/m 31 maart 2024``."""
    scope = report.approach.name if report.approach is not None else ""
    if report.team is not None:
        scope = f"{scope} (team {report.team.name})" if scope else f"team {report.team.name}"
    last_day = report.period_end - datetime.timedelta(days=1)
    period = f"{formats.date_format(report.period_start, 'j F Y')} t/m {formats.date_format(last_day, 'j F Y')}"
    return f"{report.get_kind_display()} — {scope}, {period}"


def report_recipients(report: Report) -> list[User]:
    """Who is told that a report is ready (SPEC §5: its makers; issue 7: and the team lead):

    - the user who asked for it;
    - the leads of its team (a caseload report, or an MKBA report narrowed to a team); for an MKBA
      report of a whole approach, the leads of the teams whose workers are responsible for
      trajectories in the cohort (their teams' work is what the report judges);
    - a scheduled report has no requester: then also the analysts (beleidsmedewerkers) of the
      organisation, who use the periodic MKBA reports (SPEC §1): an audience, not an access rule.
    Active users of the report's organisation only, and only those who may open a report
    (``core.access``: ``Capability.SEE_AGGREGATES``), so nobody is sent a link they cannot open
    (a requester since made privacy officer, say); one query.
    """
    condition = Q(pk=report.requested_by_id) if report.requested_by_id is not None else Q()
    if report.team_id is not None:
        condition |= Q(led_teams=report.team_id)
    elif report.approach_id is not None:
        cohort = selectors.cohort_trajectories(
            approach_id=report.approach_id, date_from=report.period_start, date_to=report.period_end
        )
        condition |= Q(led_teams__workers__trajectories__in=cohort.values("pk"))
    if report.requested_by_id is None and report.is_mkba:
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


Progress = Callable[[int, str], None]


def _report_compute(report: Report, *, progress: Progress) -> ReportMade:
    """The result JSON, the fingerprint of its inputs and the PDF of a report."""

    report = Report.objects.select_related("approach__organisation", "team", "parameter_set", "organisation").get(
        pk=report.pk
    )
    if report.is_mkba:
        result, inputs_document = _mkba_report_compute(report, progress=progress)
    else:
        result, inputs_document = _caseload_report_compute(report, progress=progress)
    fingerprint = report_fingerprint(report, inputs=inputs_document)
    progress(*STEP_DOCUMENT)
    # The PDF shows the report as it will be stored: done, with this fingerprint (and made now).
    report.status, report.fingerprint, report.finished_at = Report.Status.DONE, fingerprint, timezone.now()
    pdf = documents.report_pdf(report, result)
    return ReportMade(result=result, fingerprint=fingerprint, pdf=pdf)


def _mkba_report_compute(report: Report, *, progress: Progress) -> tuple[dict[str, Any], dict[str, Any]]:
    approach, parameter_set, measured_at = report.approach, report.parameter_set, report.measured_at
    if approach is None or parameter_set is None or measured_at is None:
        raise ValueError(f"MKBA report {report.pk} lacks its approach, parameter set or measurement date")
    progress(*STEP_INPUTS)
    parameters = calculations.parameter_set_from_dict(
        parameter_set.data, name=parameter_set.name, version=parameter_set.version
    )
    start, end = report.period_start, report.period_end
    inputs = selectors.mkba_report_inputs(
        approach=approach,
        date_from=start,
        date_to=end,
        measured_at=measured_at,
        parameters=parameters,
        team=report.team,
    )
    progress(*STEP_CALCULATE)
    result = selectors.mkba_report_from_inputs(
        approach=approach, date_from=start, date_to=end, measured_at=measured_at, parameters=parameters, inputs=inputs
    )
    return result, {"approach": approach.name, "cohort": _cohort_inputs_document(inputs)}


def _caseload_report_compute(report: Report, *, progress: Progress) -> tuple[dict[str, Any], dict[str, Any]]:
    """A team's caseload over the report's period (SPEC §3, period mode): the same run as
    ``caseload_selectors.caseload_for_scope(scope=..., date_from=..., date_to=...)``, in its two
    halves so the inputs can be fingerprinted (tests/mkba/test_reports.py holds them equal)."""
    if report.team_id is None:
        raise ValueError(f"caseload report {report.pk} has no team")
    progress(*STEP_INPUTS)
    scope = caseload_selectors.CaseloadScope(team_ids=(report.team_id,))
    start, end = report.period_start, report.period_end
    inputs = caseload_selectors.caseload_inputs(
        scope, window_from=start, window_to=end, logged_from=start, logged_to=end
    )
    progress(*STEP_CALCULATE)
    result = caseload_calculations.caseload_json(caseload_selectors.caseload_result_for_period(inputs, start, end))
    return result, _caseload_inputs_document(inputs)


def _decimal_text(value: Decimal | int | float) -> str:
    return format(Decimal(value).normalize(), "f")


def _cohort_inputs_document(inputs: selectors.CohortInputs) -> dict[str, Any]:
    return {
        "participants": inputs.participants,
        "approach_participants": inputs.approach_participants,
        "client_hours": _decimal_text(inputs.client_hours),
        "fte_years": _decimal_text(inputs.fte_years),
        "cost_items": [[line, _decimal_text(amount)] for line, amount in inputs.cost_items],
        "outcome_records": [[pk, outcome, day.isoformat()] for pk, outcome, day in inputs.outcome_records],
    }


def _caseload_inputs_document(inputs: caseload_selectors.CaseloadInputs) -> dict[str, Any]:
    def frame_text(frame: Any) -> str:
        return "" if frame is None else str(frame.to_csv(index=False, date_format="%Y-%m-%d"))

    return {
        "workers": frame_text(inputs.workers),
        "organisations": [
            {
                "settings": _canonical(organisation.settings),
                "workers": frame_text(organisation.workers),
                "periods": frame_text(organisation.periods),
                "fte_periods": frame_text(organisation.fte_periods),
                "logged_minutes": frame_text(organisation.logged_minutes),
            }
            for organisation in inputs.organisations
        ],
    }


def _canonical(value: Any) -> Any:
    """A settings object as plain JSON data (dataclasses and mappings as objects, sorted when dumped)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _canonical(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [_canonical(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, frozenset | set) else items
    return value


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
    """The last whole month, quarter or year before ``today``: ``[start, end)``."""
    if kind == Report.Kind.CASELOAD_MONTHLY:
        end = today.replace(day=1)
        return end - relativedelta(months=1), end
    if kind == Report.Kind.MKBA_QUARTERLY:
        end = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return end - relativedelta(months=3), end
    if kind == Report.Kind.MKBA_YEARLY:
        end = datetime.date(today.year, 1, 1)
        return end.replace(year=today.year - 1), end
    raise ValueError(f"{kind} has no schedule")


def reports_schedule_mkba(*, kind: str, today: datetime.date, made_by: str, per_team: bool = False) -> list[Report]:
    """The quarterly or yearly MKBA reports (SPEC §5): for every approach of every organisation
    whose cohort (trajectories started in the previous quarter or year) is not empty, one report
    on the approach's parameter set, measured on the last day of the period (so the key does not
    depend on when the job runs); with ``per_team`` also one per team with trajectories in the
    cohort. Only ``report_request`` calls: a schedule that fires twice makes nothing twice.
    An approach whose report cannot be asked for (no parameter set) is logged and skipped."""
    if kind not in (Report.Kind.MKBA_QUARTERLY, Report.Kind.MKBA_YEARLY):
        raise ValueError(f"{kind} is not a scheduled MKBA report")
    start, end = previous_period(kind, today)
    measured_at = end - datetime.timedelta(days=1)
    cohort_teams = selectors.cohort_teams_by_approach(date_from=start, date_to=end)
    approaches = (
        Approach.objects.filter(pk__in=list(cohort_teams))
        .select_related("organisation", "parameter_set")
        .order_by("organisation_id", "pk")
    )
    teams_by_id = Team.objects.in_bulk(sorted(set().union(*cohort_teams.values()))) if per_team and cohort_teams else {}
    reports = []
    for approach in approaches:
        teams: list[Team | None] = [None]
        if per_team:
            teams += [teams_by_id[team_id] for team_id in sorted(cohort_teams[approach.pk])]
        for team in teams:
            try:
                report, _created = report_request(
                    kind=kind,
                    organisation=approach.organisation,
                    approach=approach,
                    team=team,
                    period_start=start,
                    period_end=end,
                    measured_at=measured_at,
                    made_by=made_by,
                )
            except (ApplicationError, ParameterSet.DoesNotExist) as error:
                logger.error("no %s report for approach %s (team %s): %s", kind, approach.pk, team, error)
                continue
            reports.append(report)
    return reports


def reports_schedule_caseload_monthly(*, today: datetime.date, made_by: str) -> list[Report]:
    """The monthly caseload reports (SPEC §5): one per team that has workers, over the previous
    calendar month. Only ``report_request`` calls, so a schedule that fires twice is harmless."""
    start, end = previous_period(Report.Kind.CASELOAD_MONTHLY, today)
    teams = Team.objects.filter(workers__isnull=False).distinct().select_related("organisation").order_by("pk")
    return [
        report_request(
            kind=Report.Kind.CASELOAD_MONTHLY,
            organisation=team.organisation,
            team=team,
            period_start=start,
            period_end=end,
            made_by=made_by,
        )[0]
        for team in teams
    ]


# --- The schedules in the database (django-celery-beat) ------------------------------------------


@dataclasses.dataclass(frozen=True)
class ScheduleDefault:
    name: str
    task: str
    crontab: dict[str, str]
    kwargs: dict[str, Any]
    description: str


SCHEDULE_DEFAULTS = (
    ScheduleDefault(
        name="Caseloadrapport per team (maandelijks)",
        task="caseload.reports_monthly",
        crontab={"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        description="De 1e van de maand om 06:00: de caseload van elk team over de vorige maand.",
    ),
    ScheduleDefault(
        name="MKBA-rapport per aanpak (per kwartaal)",
        task="mkba.reports_quarterly",
        crontab={"minute": "30", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10", "day_of_week": "*"},
        kwargs={"per_team": False},
        description="De 1e van januari, april, juli en oktober om 06:30: het MKBA-rapport van elke aanpak voor het "
        "cohort van het vorige kwartaal. Zet per_team op true voor ook een rapport per team.",
    ),
    ScheduleDefault(
        name="MKBA-rapport per aanpak (per jaar)",
        task="mkba.reports_yearly",
        crontab={"minute": "0", "hour": "7", "day_of_month": "2", "month_of_year": "1", "day_of_week": "*"},
        kwargs={"per_team": False},
        description="2 januari om 07:00: het MKBA-rapport van elke aanpak voor het cohort van het vorige jaar.",
    ),
    ScheduleDefault(
        name="Bewaartermijn: jongeren anonimiseren (dagelijks)",
        task="cases.anonymise_expired_youths",
        crontab={"minute": "0", "hour": "3", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        description="Elke nacht om 03:00: afgesloten trajecten na de bewaartermijn anonimiseren (SPEC §8).",
    ),
    ScheduleDefault(
        name="Bewaartermijn: auditlog opschonen (dagelijks)",
        task="core.audit_log_delete_expired",
        crontab={"minute": "30", "hour": "3", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        description="Elke nacht om 03:30: auditregels ouder dan de bewaartermijn van het auditlog verwijderen (SPEC §8).",
    ),
    ScheduleDefault(
        name="Rapporten: vastgelopen taken opnieuw versturen",
        task="mkba.reports_requeue_stalled",
        crontab={"minute": "*/15", "hour": "*", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        description="Elk kwartier: rapporten waarvan de taak verloren ging (broker onbereikbaar) opnieuw versturen.",
    ),
)


@transaction.atomic
def schedules_install(*, reset: bool = False) -> list[tuple[str, str]]:
    """Put the periodic tasks of SPEC §5 (and the retention job of §8) in the database, where an
    admin can change them (django-celery-beat). Idempotent: a schedule that exists by name is kept
    as the admin left it, unless ``reset`` puts the defaults back. Returns (name, what happened)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    outcome = []
    for default in SCHEDULE_DEFAULTS:
        crontab = CrontabSchedule.objects.filter(**default.crontab, timezone=settings.TIME_ZONE).first()
        if crontab is None:
            crontab = CrontabSchedule.objects.create(**default.crontab, timezone=settings.TIME_ZONE)
        values = {
            "task": default.task,
            "crontab": crontab,
            "interval": None,
            "clocked": None,
            "solar": None,
            "kwargs": json.dumps(default.kwargs),
            "description": default.description,
            "enabled": True,
            "one_off": False,
        }
        existing = PeriodicTask.objects.filter(name=default.name).first()
        if existing is None:
            PeriodicTask.objects.create(name=default.name, **values)
            outcome.append((default.name, "created"))
        elif reset:
            for field, value in values.items():
                setattr(existing, field, value)
            existing.save()
            outcome.append((default.name, "reset"))
        else:
            outcome.append((default.name, "kept"))
    return outcome
