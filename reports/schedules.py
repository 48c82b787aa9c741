"""The periodic jobs in the database (django-celery-beat): the report schedules of SPEC §5 and the
retention jobs of SPEC §8, as defaults an admin may change afterwards (``manage.py schedules_install``).
"""

import dataclasses
import json
from typing import Any

from django.conf import settings
from django.db import transaction


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
        name="Verantwoordingsrapporten per team (per jaar)",
        task="accountability.reports_yearly",
        crontab={"minute": "30", "hour": "7", "day_of_month": "2", "month_of_year": "1", "day_of_week": "*"},
        kwargs={},
        description="2 januari om 07:30: per team de resultaatindicatoren, VCV, tijd tot eerste contact, werkzame "
        "elementen en de monitor over het vorige kalenderjaar, gemeten op 31 december. Zet kinds op een lijst "
        '(bijvoorbeeld ["vcv"]) voor alleen die soorten.',
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
