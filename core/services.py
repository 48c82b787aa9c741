"""Writes shared by every app: the audit log and the worker heartbeat."""

import datetime
import time
from collections.abc import Iterable
from typing import Any, Protocol, cast

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.models import AuditLogEntry, Notification, Organisation, User, WorkerHeartbeat
from core.selectors import version_key


class AuditedPerson(Protocol):
    """What the audit log reads of a youth (cases.models.Youth), named here so that core needs no
    import of the apps above it."""

    pk: Any
    external_id: str
    organisation: Organisation


# Audit actions that change nothing (the rest do: create, update, import, anonymise).
_READS = frozenset({AuditLogEntry.Action.VIEW, AuditLogEntry.Action.EXPORT})
# Audited objects that no caseload figure reads: a change of one leaves the cached figures standing.
# (Everything else counts as case data, so a new kind of record errs on the side of fresh figures.)
_NOT_CASE_DATA = frozenset({"auditlog", "cost_item", "own_scenario", "parameter_set", "report", "schedule"})


def _actor(user: User | None) -> tuple[User | None, str]:
    """The user as stored on an audit row, and their name as text (kept if the account goes)."""
    if user is None or not user.is_authenticated:
        return None, ""
    return user, (user.get_full_name() or user.username)[:300]


def audit_log_record(
    *,
    user: User | None,
    action: str,
    object_type: str,
    object_id: object,
    youth_key: str = "",
    organisation: Organisation | None = None,
    detail: str = "",
) -> AuditLogEntry:
    """SPEC §8: every read and change of a youth's record is logged (who, what, when); a change
    makes the organisation's cached figures stale (``case_data_changed``)."""
    actor, actor_name = _actor(user)
    if action not in _READS and object_type not in _NOT_CASE_DATA:
        case_data_changed(organisation_id=organisation.pk if organisation is not None else None)
    return AuditLogEntry.objects.create(
        user=actor,
        actor_name=actor_name,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        youth_key=youth_key,
        detail=detail[:500],
    )


def case_data_changed(*, organisation_id: int | None) -> None:
    """Case data of this organisation changed (None: of any): once the transaction commits, the
    figures cached for it are stale (``core.selectors.case_data_version`` moves on).

    ``audit_log_record`` calls this for every change it records (SPEC §8 has every change of case
    data logged), so a writer cannot change a record and forget it; writes the audit log does not
    see (overhead time, the admin's configuration, the demo) call it themselves."""
    key = version_key(organisation_id)

    def bump() -> None:
        try:
            cache.incr(key)
            cache.touch(key, None)  # the database cache's incr sets the default timeout again
        except ValueError:  # never set, or evicted: a fresh start no cached figure can carry
            cache.set(key, time.time_ns(), timeout=None)

    transaction.on_commit(bump)


def audit_log_youth(*, user: User | None, youth: AuditedPerson, action: str, detail: str = "") -> AuditLogEntry:
    """A read or change of one youth's record, in the audit log (SPEC §8)."""
    return audit_log_record(
        user=user,
        action=action,
        object_type="youth",
        object_id=youth.pk,
        youth_key=youth.external_id,
        organisation=youth.organisation,
        detail=detail,
    )


@transaction.atomic
def worker_heartbeat_record(*, token: str, hostname: str) -> WorkerHeartbeat:
    """Idempotent: a redelivered heartbeat task finds its row and writes nothing new."""
    heartbeat, _created = WorkerHeartbeat.objects.get_or_create(token=token, defaults={"hostname": hostname})
    return heartbeat


def notification_send(*, users: Iterable[User], text: str, url: str = "", email: bool = True) -> list[Notification]:
    """Tell users something in the application, and by e-mail where they have an address and the
    deployment has mail configured (SPEC §5: report makers and team leads are notified)."""
    recipients = {user.pk: user for user in users if user is not None}.values()
    notifications = Notification.objects.bulk_create(Notification(user=user, text=text, url=url) for user in recipients)
    if email and settings.CASELOAD_SEND_EMAIL:
        for user in recipients:
            if user.email:
                link = f"{settings.CASELOAD_BASE_URL.rstrip('/')}{url}" if url else ""
                send_mail(subject=text, message=f"{text}\n{link}".strip(), from_email=None, recipient_list=[user.email])
    return notifications


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def audit_log_read(
    *,
    user: User | None,
    youth_keys: Iterable[str],
    organisation_id: int | None,
    object_type: str,
    detail: str = "",
) -> AuditLogEntry | None:
    """SPEC §8 for reads that show several youths (a list page, an API list, an export): one row
    per request naming every youth shown (sorted, in ``youth_keys``; ``youth_key`` too when it is
    one youth); none when the request showed no youth."""
    keys = AuditLogEntry.youth_keys_text(youth_keys)
    if not keys:
        return None
    actor, actor_name = _actor(user)
    named = keys.strip(AuditLogEntry.KEY_SEPARATOR).split(AuditLogEntry.KEY_SEPARATOR)
    return AuditLogEntry.objects.create(
        user=actor,
        actor_name=actor_name,
        organisation_id=organisation_id,
        action=AuditLogEntry.Action.VIEW,
        object_type=object_type,
        object_id="",
        youth_key=named[0] if len(named) == 1 else "",
        youth_keys=keys,
        detail=detail[:500],
    )


def audit_log_delete_expired(*, now: datetime.datetime) -> int:
    """SPEC §8 retention of the audit trail: remove each organisation's audit rows written before
    the day that lies ``audit_retention_months`` months before ``now`` (rows without an
    organisation: the model's default term). Idempotent; the database triggers refuse any row
    that is not yet expired, so this is the only deletion the log allows. Returns rows deleted."""
    today = timezone.localdate(now)
    default_months = cast(int, Organisation._meta.get_field("audit_retention_months").default)
    terms: list[tuple[int | None, int]] = [
        *Organisation.objects.values_list("pk", "audit_retention_months"),
        (None, default_months),
    ]
    deleted = 0
    for organisation_id, months in terms:
        cutoff_day = today - relativedelta(months=months)
        before = datetime.datetime.combine(cutoff_day, datetime.time.min, tzinfo=timezone.get_current_timezone())
        with transaction.atomic():
            deleted += AuditLogEntry.objects.delete_expired(organisation_id=organisation_id, before=before)
    return deleted
