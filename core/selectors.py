"""Reads shared by every app: the audit trail, and the teams and workers a user reaches (the
answer of ``core.access`` as querysets; cases, caseload and mkba ask here)."""

import datetime
import time
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from core import access
from core.access import Capability, CaseScope
from core.models import AuditLogEntry, Team, User, Worker


def version_key(organisation_id: int | None) -> str:
    """The cache key of the case-data version of an organisation (None: of every organisation)."""
    return f"case-data-version:{'all' if organisation_id is None else organisation_id}"


def case_data_version(organisation_id: int) -> str:
    """A token that changes whenever this organisation's case data changes (``core.services.
    case_data_changed``): part of the key of every figure cached for it, so a change makes them
    unreachable instead of stale. A version not in the cache (never set, or evicted) starts at
    the clock, so it never repeats one an older cached figure was keyed with."""
    keys = [version_key(None), version_key(organisation_id)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return f"{found[keys[0]]}.{found[keys[1]]}"


def _naming_youth(youth_key: str) -> Q:
    """An entry names a youth when it is the entry's one youth or among the keys of a multi-youth
    read. ``StrIndex`` (instr/strpos) is case-sensitive on every database, unlike SQLite's LIKE."""
    separator = AuditLogEntry.KEY_SEPARATOR
    among = GreaterThan(StrIndex("youth_keys", Value(f"{separator}{youth_key}{separator}")), 0)
    return Q(youth_key=youth_key) | Q(among)


def audit_entries_for_youth(*, organisation_id: int, youth_key: str) -> QuerySet[AuditLogEntry]:
    """Who read or changed this youth's record, oldest first (for the inzage export, AVG art. 15)."""
    return (
        AuditLogEntry.objects.filter(organisation_id=organisation_id)
        .filter(_naming_youth(youth_key))
        .select_related("user")
        .order_by("at", "pk")
    )


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page narrows by; empty values narrow nothing. Dates are local (Europe/Amsterdam)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    actor: str = ""
    youth_key: str = ""
    action: str = ""
    object_type: str = ""


def audit_entries_for_organisation(*, organisation_id: int, filters: AuditFilters) -> QuerySet[AuditLogEntry]:
    """The audit page and its CSV (SPEC §8): one organisation's rows, newest first. ``actor``
    matches the name as written (so a deleted user's rows are still found) or the username."""
    entries = AuditLogEntry.objects.filter(organisation_id=organisation_id)
    zone = timezone.get_current_timezone()
    if filters.date_from is not None:
        entries = entries.filter(at__gte=datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=zone))
    if filters.date_to is not None:
        day_after = filters.date_to + datetime.timedelta(days=1)
        entries = entries.filter(at__lt=datetime.datetime.combine(day_after, datetime.time.min, tzinfo=zone))
    if filters.actor:
        entries = entries.filter(Q(actor_name__icontains=filters.actor) | Q(user__username=filters.actor))
    if filters.youth_key:
        entries = entries.filter(_naming_youth(filters.youth_key))
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    return entries.order_by("-at", "-pk")


def audit_object_types(*, organisation_id: int) -> list[str]:
    """The kinds of object this organisation's trail mentions, for the filter's choices."""
    return sorted(
        AuditLogEntry.objects.filter(organisation_id=organisation_id)
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )


def organisation_id_of(user: User) -> int:
    """The organisation of a user whom ``core.access`` granted a capability: access grants none
    to a user without an organisation, so this is never None here."""
    return cast(int, user.organisation_id)


def user_worker(user: User) -> Worker | None:
    """The Worker record linked to this login, if any."""
    return Worker.objects.filter(user=user).select_related("team").first()


def teams_visible_to(user: User) -> QuerySet[Team]:
    """The teams whose figures (and, with case access, whose youths) the user reaches: a team lead
    the teams they lead, a worker their own team, an aggregates-only role every team of the
    organisation; nobody else any."""
    scope = access.case_scope(user)
    if scope == CaseScope.NONE and not access.has(user, Capability.SEE_AGGREGATES):
        return Team.objects.none()
    teams = Team.objects.filter(organisation_id=organisation_id_of(user))
    if scope == CaseScope.LED_TEAMS:
        return teams.filter(leads=user)
    if scope in (CaseScope.OWN, CaseScope.OWN_AND_TEAM):
        worker = user_worker(user)
        return teams.filter(pk=worker.team_id) if worker else Team.objects.none()
    if access.has(user, Capability.SEE_AGGREGATES):
        return teams
    return Team.objects.none()  # the privacy officer: no team figures


def workers_visible_to(user: User) -> QuerySet[Worker]:
    """Colleagues a user may see and hand over to: everyone in their organisation's visible teams."""
    return Worker.objects.filter(team__in=teams_visible_to(user)).select_related("team")
