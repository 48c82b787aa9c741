"""The periodic jobs in the database (django-celery-beat): the report schedules of SPEC §5 and the
retention jobs of SPEC §8, as defaults an admin may change afterwards (``manage.py schedules_install``).
"""

import dataclasses
import datetime
import enum
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError
from core.models import AuditLogEntry, User
from core.services import audit_log_record


@dataclasses.dataclass(frozen=True)
class ScheduleDefault:
    """A default periodic task. ``purpose`` is what it does, in plain Dutch (the schedules page
    shows it beside when it runs, so it names no time: that can change); ``admin_hint`` tells an
    operator in the admin which arguments there are. Both together are the stored description."""

    name: str
    task: str
    crontab: dict[str, str]
    kwargs: dict[str, Any]
    purpose: str
    admin_hint: str = ""

    @property
    def description(self) -> str:
        return f"{self.purpose} {self.admin_hint}".strip()


SCHEDULE_DEFAULTS = (
    ScheduleDefault(
        name="Caseloadrapport per team (maandelijks)",
        task="caseload.reports_monthly",
        crontab={"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        purpose="De caseload van elk team over de vorige maand.",
    ),
    ScheduleDefault(
        name="MKBA-rapport per aanpak (per kwartaal)",
        task="mkba.reports_quarterly",
        crontab={"minute": "30", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10", "day_of_week": "*"},
        kwargs={"per_team": False},
        purpose="Het MKBA-rapport van elke aanpak voor het cohort van het vorige kwartaal.",
        admin_hint="Zet per_team op true voor ook een rapport per team.",
    ),
    ScheduleDefault(
        name="MKBA-rapport per aanpak (per jaar)",
        task="mkba.reports_yearly",
        crontab={"minute": "0", "hour": "7", "day_of_month": "2", "month_of_year": "1", "day_of_week": "*"},
        kwargs={"per_team": False},
        purpose="Het MKBA-rapport van elke aanpak voor het cohort van het vorige jaar.",
    ),
    ScheduleDefault(
        name="Verantwoordingsrapporten per team (per jaar)",
        task="accountability.reports_yearly",
        crontab={"minute": "30", "hour": "7", "day_of_month": "2", "month_of_year": "1", "day_of_week": "*"},
        kwargs={},
        purpose="Per team de resultaatindicatoren, VCV, tijd tot eerste contact, werkzame elementen en de monitor "
        "over het vorige kalenderjaar, gemeten op 31 december.",
        admin_hint='Zet kinds op een lijst (bijvoorbeeld ["vcv"]) voor alleen die soorten.',
    ),
    ScheduleDefault(
        name="Bewaartermijn: jongeren anonimiseren (dagelijks)",
        task="cases.anonymise_expired_youths",
        crontab={"minute": "0", "hour": "3", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        purpose="Afgesloten trajecten na de bewaartermijn anonimiseren (SPEC §8).",
    ),
    ScheduleDefault(
        name="Bewaartermijn: auditlog opschonen (dagelijks)",
        task="core.audit_log_delete_expired",
        crontab={"minute": "30", "hour": "3", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        purpose="Auditregels ouder dan de bewaartermijn van het auditlog verwijderen (SPEC §8).",
    ),
    ScheduleDefault(
        name="Rapporten: vastgelopen taken opnieuw versturen",
        task="mkba.reports_requeue_stalled",
        crontab={"minute": "*/15", "hour": "*", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        kwargs={},
        purpose="Rapporten waarvan de taak verloren ging (de wachtrij was onbereikbaar) opnieuw versturen.",
    ),
)

# Periodic tasks that Celery itself adds, by task: a Dutch name and purpose for the schedules page.
BUILT_IN_TASKS = {
    "celery.backend_cleanup": (
        "Onderhoud: oude taakresultaten opruimen",
        "Technisch onderhoud van de achtergrondverwerker (Celery).",
    ),
}


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


# --- the schedules page (the beheerder's, in Dutch) --------------------------------------------------

MONTH_NAMES = (
    gettext_lazy("januari"),
    gettext_lazy("februari"),
    gettext_lazy("maart"),
    gettext_lazy("april"),
    gettext_lazy("mei"),
    gettext_lazy("juni"),
    gettext_lazy("juli"),
    gettext_lazy("augustus"),
    gettext_lazy("september"),
    gettext_lazy("oktober"),
    gettext_lazy("november"),
    gettext_lazy("december"),
)
# Cron counts the days of the week from Sunday (0) and accepts 7 for Sunday too.
WEEKDAY_NAMES = (
    gettext_lazy("zondag"),
    gettext_lazy("maandag"),
    gettext_lazy("dinsdag"),
    gettext_lazy("woensdag"),
    gettext_lazy("donderdag"),
    gettext_lazy("vrijdag"),
    gettext_lazy("zaterdag"),
)
# A day that every month has: a schedule on the 29th-31st would skip months without one.
LAST_DAY_OF_MONTH = 28


class ScheduleErrorCode(enum.StrEnum):
    NOT_FOUND = "not_found"
    DAY_OUT_OF_RANGE = "day_out_of_range"
    HOUR_OUT_OF_RANGE = "hour_out_of_range"
    MINUTE_OUT_OF_RANGE = "minute_out_of_range"
    NOT_ADJUSTABLE = "not_adjustable"


def schedule_error_message(code: ScheduleErrorCode) -> str:
    """The Dutch text of an error, by its code."""
    messages = {
        ScheduleErrorCode.NOT_FOUND: _("Deze planning bestaat niet (meer)."),
        ScheduleErrorCode.DAY_OUT_OF_RANGE: _(
            "Kies een dag van 1 tot en met %(last)d, zodat de taak elke maand een keer draait."
        )
        % {"last": LAST_DAY_OF_MONTH},
        ScheduleErrorCode.HOUR_OUT_OF_RANGE: _("Kies een uur van 0 tot en met 23."),
        ScheduleErrorCode.MINUTE_OUT_OF_RANGE: _("Kies een minuut van 0 tot en met 59."),
        ScheduleErrorCode.NOT_ADJUSTABLE: _("Dit deel van de planning ligt vast en kan hier niet worden gewijzigd."),
    }
    return str(messages[code])


def _number(value: str) -> int | None:
    """A crontab field that is one plain number (``"6"``), else None (``"*"``, ``"*/15"``, ``"1,4"``)."""
    return int(value) if value.isdigit() else None


def _numbers(value: str) -> list[int] | None:
    """A crontab field that is a list of plain numbers (``"1,4,7,10"``), else None."""
    parts = value.split(",")
    return [int(part) for part in parts] if all(part.isdigit() for part in parts) else None


def _joined(words: list[str]) -> str:
    """'januari, april, juli en oktober'."""
    if len(words) == 1:
        return words[0]
    return _("%(first)s en %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def crontab_in_words(*, minute: str, hour: str, day_of_month: str, month_of_year: str, day_of_week: str) -> str:
    """When a crontab runs, in Dutch: "de 1e van de maand om 06:00", "2 januari om 07:00",
    "elke dag om 03:00", "elk kwartier". A pattern this does not know is shown as it is."""
    every_day = day_of_month == "*" and month_of_year == "*" and day_of_week == "*"
    fixed_minute, fixed_hour = _number(minute), _number(hour)
    if fixed_minute is not None and fixed_hour is not None:
        at = _("om %(time)s") % {"time": f"{fixed_hour:02d}:{fixed_minute:02d}"}
    elif every_day and hour == "*" and minute.startswith("*/") and minute[2:].isdigit():
        step = int(minute[2:])
        return str(_("elk kwartier") if step == 15 else _("elke %(step)d minuten") % {"step": step})
    else:
        at = ""

    day, months, weekdays = _number(day_of_month), _numbers(month_of_year), _numbers(day_of_week)
    if not at:
        when = ""
    elif every_day:
        when = _("elke dag")
    elif day is not None and month_of_year == "*" and day_of_week == "*":
        when = _("de %(day)de van de maand") % {"day": day}
    elif day is not None and months is not None and day_of_week == "*" and all(1 <= m <= 12 for m in months):
        names = [str(MONTH_NAMES[m - 1]) for m in months]
        when = (
            f"{day} {names[0]}"
            if len(names) == 1
            else _("de %(day)de van %(months)s")
            % {
                "day": day,
                "months": _joined(names),
            }
        )
    elif day_of_month == "*" and month_of_year == "*" and weekdays is not None and all(0 <= d <= 7 for d in weekdays):
        when = _("elke %(days)s") % {"days": _joined([str(WEEKDAY_NAMES[d % 7]) for d in weekdays])}
    else:
        when = ""
    if not when:
        return _("volgens het schema %(crontab)s (minuut, uur, dag, maand, weekdag)") % {
            "crontab": f"{minute} {hour} {day_of_month} {month_of_year} {day_of_week}"
        }
    return f"{when} {at}"


def _schedule_in_words(task: Any) -> str:
    if task.crontab is not None:
        crontab = task.crontab
        return crontab_in_words(
            minute=crontab.minute,
            hour=crontab.hour,
            day_of_month=crontab.day_of_month,
            month_of_year=crontab.month_of_year,
            day_of_week=crontab.day_of_week,
        )
    if task.interval is not None:
        periods = {
            "days": _("dagen"),
            "hours": _("uur"),
            "minutes": _("minuten"),
            "seconds": _("seconden"),
            "microseconds": _("microseconden"),
        }
        return _("elke %(every)d %(period)s") % {
            "every": task.interval.every,
            "period": periods.get(task.interval.period, task.interval.period),
        }
    if task.clocked is not None:
        return _("eenmalig op %(moment)s") % {
            "moment": formats.date_format(timezone.localtime(task.clocked.clocked_time), "j F Y H:i")
        }
    return _("volgens de stand van de zon")


@dataclasses.dataclass(frozen=True)
class ScheduleRow:
    """One periodic task as the schedules page shows it. ``day_of_month``, ``hour`` and ``minute``
    are set where the schedule has one fixed value there, which the page then lets the beheerder
    change; the months, weekdays and intervals stay as they are."""

    pk: int
    name: str
    description: str
    when: str
    enabled: bool
    last_run_at: datetime.datetime | None
    is_default: bool
    day_of_month: int | None
    hour: int | None
    minute: int | None

    @property
    def time_adjustable(self) -> bool:
        return self.hour is not None and self.minute is not None


def _row(task: Any) -> ScheduleRow:
    crontab = task.crontab
    hour = _number(crontab.hour) if crontab else None
    minute = _number(crontab.minute) if crontab else None
    default = next((default for default in SCHEDULE_DEFAULTS if default.name == task.name), None)
    name, description = BUILT_IN_TASKS.get(task.task, (task.name, task.description))
    return ScheduleRow(
        pk=task.pk,
        name=name,
        # A default's purpose from the code: the stored description of an older version named the time.
        description=default.purpose if default is not None else description,
        when=_schedule_in_words(task),
        enabled=task.enabled,
        last_run_at=task.last_run_at,
        is_default=default is not None,
        day_of_month=_number(crontab.day_of_month) if crontab else None,
        # Hour and minute change together (one time of day), so both must be fixed.
        hour=hour if minute is not None else None,
        minute=minute if hour is not None else None,
    )


def schedules_for_page() -> list[ScheduleRow]:
    """Every periodic task, the defaults first in their order of SCHEDULE_DEFAULTS, then any others
    by name (one query)."""
    from django_celery_beat.models import PeriodicTask

    default_order = {default.name: index for index, default in enumerate(SCHEDULE_DEFAULTS)}
    tasks = PeriodicTask.objects.select_related("crontab", "interval", "clocked", "solar")
    rows = [_row(task) for task in tasks]
    return sorted(rows, key=lambda row: (default_order.get(row.name, len(default_order)), row.name))


@transaction.atomic
def schedule_change(
    *,
    periodic_task_id: int,
    enabled: bool,
    day_of_month: int | None = None,
    hour: int | None = None,
    minute: int | None = None,
    user: User | None = None,
) -> ScheduleRow:
    """Change when a periodic task runs and whether it runs at all (SPEC §5: schedules are in the
    database, editable by an admin). Only the parts that hold one fixed value can change (the day
    of the month, the time of day); the task, its arguments, its months and weekdays stay. A value
    left None stays as it is. Logged in the audit log. Raises ApplicationError with the fields."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    task = (
        PeriodicTask.objects.select_for_update(of=("self",))
        .select_related("crontab")
        .filter(pk=periodic_task_id)
        .first()
    )
    if task is None:
        raise ApplicationError(
            schedule_error_message(ScheduleErrorCode.NOT_FOUND), extra={"code": ScheduleErrorCode.NOT_FOUND}
        )
    current = _row(task)
    errors: dict[str, list[str]] = {}
    codes: list[ScheduleErrorCode] = []

    def refuse(field: str, code: ScheduleErrorCode) -> None:
        errors.setdefault(field, []).append(schedule_error_message(code))
        codes.append(code)

    checks = (
        ("day_of_month", day_of_month, current.day_of_month, 1, LAST_DAY_OF_MONTH, ScheduleErrorCode.DAY_OUT_OF_RANGE),
        ("hour", hour, current.hour, 0, 23, ScheduleErrorCode.HOUR_OUT_OF_RANGE),
        ("minute", minute, current.minute, 0, 59, ScheduleErrorCode.MINUTE_OUT_OF_RANGE),
    )
    for field, value, fixed, lowest, highest, out_of_range in checks:
        if value is None:
            continue
        if fixed is None:
            refuse(field, ScheduleErrorCode.NOT_ADJUSTABLE)
        elif not lowest <= value <= highest:
            refuse(field, out_of_range)
    if errors:
        raise ApplicationError(
            _("De planning is niet gewijzigd: controleer de gemarkeerde velden."),
            fields=errors,
            extra={"codes": codes},
        )

    update_fields = ["enabled", "last_run_at", "date_changed"]
    if task.crontab is not None and (day_of_month, hour, minute) != (None, None, None):
        old = task.crontab
        values = {
            "minute": str(minute) if minute is not None else old.minute,
            "hour": str(hour) if hour is not None else old.hour,
            "day_of_month": str(day_of_month) if day_of_month is not None else old.day_of_month,
            "month_of_year": old.month_of_year,
            "day_of_week": old.day_of_week,
        }
        crontab = CrontabSchedule.objects.filter(**values, timezone=old.timezone).first()
        if crontab is None:
            crontab = CrontabSchedule.objects.create(**values, timezone=old.timezone)
        task.crontab = crontab
        update_fields.append("crontab")
    task.enabled = enabled
    task.save(update_fields=update_fields)  # django-celery-beat's save tells the scheduler to reload
    row = _row(task)
    audit_log_record(
        user=user,
        action=AuditLogEntry.Action.UPDATE,
        object_type="schedule",
        object_id=task.pk,
        organisation=user.organisation if user is not None else None,
        detail=f"{task.name}: {row.when}, {_('aan') if task.enabled else _('uit')}",
    )
    return row


@transaction.atomic
def schedules_reset(*, user: User | None = None) -> list[tuple[str, str]]:
    """Put the default schedules back (times, on), as ``schedules_install --reset``; logged in the
    audit log. Other periodic tasks stay as they are."""
    outcome = schedules_install(reset=True)
    audit_log_record(
        user=user,
        action=AuditLogEntry.Action.UPDATE,
        object_type="schedule",
        object_id="",
        organisation=user.organisation if user is not None else None,
        detail=str(_("Standaardplanning teruggezet")),
    )
    return outcome
