"""Reads of case data, and the one place that decides who may see which youths (SPEC §8).

Every page and endpoint gets its querysets from here, so no view can forget the scoping. Who
reaches what is decided by ``core.access`` (``case_scope`` and ``has``); this module turns that
decision into queries:
- a worker sees the youths of their own trajectories (and their team's where the organisation allows);
- a team lead sees the youths of their teams;
- an analyst and an admin see no personal data through these selectors (aggregates only);
- a privacy officer sees no case contents either: only ``youths_for_inzage`` reaches their
  organisation's youths, for the inzage export (AVG art. 15);
- nobody sees another organisation's data.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from cases.models import (
    MELDING_ROUTES,
    Approach,
    ComplexityChange,
    CostItem,
    FollowUp,
    Handover,
    Outcome,
    Period,
    TargetGroup,
    TimeCategory,
    TimeEntry,
    Trajectory,
    WorkingElement,
    Youth,
)
from core import access
from core.access import Capability, CaseScope
from core.models import AuditLogEntry, Team, User, Worker
from core.selectors import audit_entries_for_youth, organisation_id_of
from core.selectors import teams_visible_to as teams_visible_to  # decided in core; callers above may ask either
from core.selectors import user_worker as user_worker
from core.selectors import workers_visible_to as workers_visible_to
from core.services import audit_log_youth


def trajectory_worker_choices_for(user: User) -> QuerySet[Worker]:
    """Who may be made responsible for a new trajectory: an active worker the user may see."""
    return workers_visible_to(user).filter(is_active=True)


def handover_candidates_for(user: User) -> QuerySet[Worker]:
    """A youth may be handed over to any active worker of the same organisation, by whoever may
    write case data."""
    if not access.has(user, Capability.WRITE_CASE_DATA):
        return Worker.objects.none()
    return Worker.objects.filter(team__organisation_id=organisation_id_of(user), is_active=True).select_related("team")


def handover_candidates_ordered(candidates: QuerySet[Worker], trajectory: Trajectory) -> QuerySet[Worker]:
    """The colleagues a trajectory can go to: not its current worker, own team first, then by name."""
    own_team = trajectory.worker.team_id
    return (
        candidates.exclude(pk=trajectory.worker_id)
        .annotate(other_team=Case(When(team_id=own_team, then=Value(0)), default=Value(1)))
        .order_by("other_team", "team__name", "name")
    )


def _led_teams_q(user: User) -> Q:
    """Trajectories of the teams the user leads. Through periods only while they run: after a
    handover the old worker's team lets go."""
    led = Team.objects.filter(leads=user, organisation_id=organisation_id_of(user))
    return Q(worker__team__in=led) | Q(periods__worker__team__in=led, periods__end_date__isnull=True)


def _trajectory_scope(user: User) -> Q | None:
    """The condition on Trajectory that grants case access; None: no case access at all.

    ``CaseScope.ORGANISATION`` (the privacy officer) is for the inzage export only, so it grants
    nothing here: the dossier, the lists and the API give a privacy officer no case contents."""
    scope = access.case_scope(user)
    if scope in (CaseScope.NONE, CaseScope.ORGANISATION) or not access.has(user, Capability.SEE_CASE_CONTENTS):
        return None
    in_organisation = Q(approach__organisation_id=user.organisation_id)
    if scope == CaseScope.LED_TEAMS:
        return in_organisation & _led_teams_q(user)
    worker = user_worker(user)
    if worker is None:
        return None
    # A handover hands the youth on: earlier periods that name this worker grant no access.
    mine = Q(worker=worker) | Q(periods__worker=worker, periods__end_date__isnull=True)
    if scope == CaseScope.OWN_AND_TEAM:
        mine |= Q(worker__team_id=worker.team_id) | Q(
            periods__worker__team_id=worker.team_id, periods__end_date__isnull=True
        )
    return in_organisation & mine


def trajectories_visible_to(user: User) -> QuerySet[Trajectory]:
    scope = _trajectory_scope(user)
    if scope is None:
        return Trajectory.objects.none()
    visible_ids = Trajectory.objects.filter(scope).values("pk")
    return Trajectory.objects.filter(pk__in=visible_ids).select_related("youth", "approach", "worker", "worker__team")


def youths_visible_to(user: User) -> QuerySet[Youth]:
    """Youths of the trajectories the user may see, plus, for workers and team leads, their
    organisation's intake queue (meldingen not yet picked up have no trajectory, yet someone must
    pick them up)."""
    scope = _trajectory_scope(user)
    if scope is None:
        return Youth.objects.none()
    youth_ids = Trajectory.objects.filter(scope).values("youth_id")
    queue = Q(organisation_id=user.organisation_id, trajectories__isnull=True)
    return (
        Youth.objects.filter(Q(pk__in=youth_ids) | queue)
        .distinct()
        .select_related("target_group", "municipality", "organisation")
    )


def periods_visible_to(user: User) -> QuerySet[Period]:
    return Period.objects.filter(trajectory__in=trajectories_visible_to(user).values("pk")).select_related(
        "trajectory", "worker"
    )


def outcomes_visible_to(user: User) -> QuerySet[Outcome]:
    return Outcome.objects.filter(trajectory__in=trajectories_visible_to(user).values("pk")).select_related(
        "trajectory"
    )


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    """The durability checks of the outcomes the user may see (SPEC §4b)."""
    return FollowUp.objects.filter(outcome__in=outcomes_visible_to(user).values("pk")).select_related(
        "outcome__trajectory__youth", "outcome__trajectory__approach__organisation"
    )


def working_element_names_for(user: User) -> list[str]:
    """The names of the werkzame elementen of the user's organisation (configuration), by name."""
    if user.organisation_id is None:
        return []
    return list(
        WorkingElement.objects.filter(organisation_id=user.organisation_id)
        .order_by("name")
        .values_list("name", flat=True)
    )


def target_groups_for(user: User) -> QuerySet[TargetGroup]:
    """The target groups of the user's organisation (configuration, not personal data)."""
    if user.organisation_id is None:
        return TargetGroup.objects.none()
    return TargetGroup.objects.filter(organisation_id=user.organisation_id)


def time_entries_visible_to(user: User) -> QuerySet[TimeEntry]:
    """A worker sees their own hours; a team lead their teams' hours; others none."""
    if not access.has(user, Capability.SEE_CASE_CONTENTS):
        return TimeEntry.objects.none()
    entries = TimeEntry.objects.select_related("worker", "trajectory")
    scope = access.case_scope(user)
    if scope == CaseScope.LED_TEAMS:
        return entries.filter(worker__team__leads=user, worker__team__organisation_id=organisation_id_of(user))
    worker = user_worker(user)
    if scope in (CaseScope.OWN, CaseScope.OWN_AND_TEAM) and worker is not None:
        return entries.filter(worker=worker)
    return TimeEntry.objects.none()


def approaches_visible_to(user: User) -> QuerySet[Approach]:
    if not user.is_authenticated or user.organisation_id is None:
        return Approach.objects.none()
    return Approach.objects.filter(organisation_id=user.organisation_id)


def youth_dossier_get(*, user: User, youth_id: int) -> Youth:
    """One youth's dossier with its whole history, logged as a read (SPEC §8). Raises DoesNotExist
    when the youth is outside the user's scope, so a view answers 404 and reveals nothing."""
    trajectories = (
        trajectories_visible_to(user)
        .prefetch_related(
            Prefetch("periods", queryset=Period.objects.select_related("worker").order_by("start_date")),
            Prefetch("outcomes", queryset=Outcome.objects.prefetch_related("follow_ups").order_by("date")),
            "handovers__from_worker",
            "handovers__to_worker",
            "working_elements",
        )
        .order_by("-start_date")
    )
    youth = youths_visible_to(user).prefetch_related(Prefetch("trajectories", queryset=trajectories)).get(pk=youth_id)
    audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.VIEW, detail="dossier")
    return youth


def youths_for_inzage(user: User) -> QuerySet[Youth]:
    """The youths this user may make an inzage export of (AVG art. 15): a team lead the youths of
    the trajectories of the teams they lead, a privacy officer every youth of their organisation,
    nobody else any. Not a list for reading dossiers: the export is itself audited."""
    if not access.has(user, Capability.EXPORT_INZAGE):
        return Youth.objects.none()
    scope = access.case_scope(user)
    in_organisation = Youth.objects.filter(organisation_id=organisation_id_of(user)).select_related("organisation")
    if scope == CaseScope.ORGANISATION:
        return in_organisation
    if scope == CaseScope.LED_TEAMS:
        trajectories = Trajectory.objects.filter(_led_teams_q(user), approach__organisation_id=organisation_id_of(user))
        return in_organisation.filter(pk__in=trajectories.values("youth_id"))
    return Youth.objects.none()


@dataclass(frozen=True)
class InzageSummary:
    """What an inzage export of one youth holds, counted, for its cover page."""

    trajectories: int
    periods: int
    outcomes: int
    follow_ups: int
    handovers: int
    time_entries: int
    time_entries_with_note: int
    working_elements: int
    cost_items: int


def youth_inzage_summary(*, youth: Youth) -> InzageSummary:
    """Counts of everything ``services.youth_data_export`` puts in the export (the audit trail
    apart: ``youth_audit_trail``), in a fixed number of queries."""
    trajectories = Trajectory.objects.filter(youth=youth, approach__organisation_id=youth.organisation_id)
    trajectory_ids = list(trajectories.values_list("pk", flat=True))
    time_entries = TimeEntry.objects.filter(trajectory_id__in=trajectory_ids)
    return InzageSummary(
        trajectories=len(trajectory_ids),
        periods=Period.objects.filter(trajectory_id__in=trajectory_ids).count(),
        outcomes=Outcome.objects.filter(trajectory_id__in=trajectory_ids).count(),
        follow_ups=FollowUp.objects.filter(outcome__trajectory_id__in=trajectory_ids).count(),
        handovers=Handover.objects.filter(trajectory_id__in=trajectory_ids).count(),
        time_entries=time_entries.count(),
        time_entries_with_note=time_entries.exclude(note="").count(),
        working_elements=Trajectory.working_elements.through.objects.filter(trajectory_id__in=trajectory_ids)
        .values("workingelement_id")
        .distinct()
        .count(),
        cost_items=CostItem.objects.filter(trajectory_id__in=trajectory_ids).count(),
    )


@dataclass(frozen=True)
class AuditTrailLine:
    """One read or change of a youth's record, for the inzage export: when, who, what."""

    at: datetime.datetime
    actor: str
    action: str
    action_label: str
    object_type: str
    detail: str


def youth_audit_trail(*, youth: Youth) -> list[AuditTrailLine]:
    """Who read or changed this youth's record, oldest first (AVG art. 15: the recipients).

    A row of a list page names every youth shown; only the page's name goes into this youth's
    trail, so one youth's inzage never shows another youth's key."""
    lines = []
    for entry in audit_entries_for_youth(organisation_id=youth.organisation_id, youth_key=youth.external_id):
        list_row = entry.object_id == "" and ":" in entry.detail  # "page: KEY1 KEY2" (older rows)
        lines.append(
            AuditTrailLine(
                at=entry.at,
                actor=getattr(entry, "actor_name", "") or _user_name(entry.user),
                action=entry.action,
                action_label=str(entry.get_action_display()),
                object_type=entry.object_type,
                detail=entry.detail.split(":")[0].strip() if list_row else entry.detail,
            )
        )
    return lines


def _user_name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def youth_already_known(
    *,
    organisation_id: int,
    external_id: str = "",
    first_name: str = "",
    last_name: str = "",
    birth_date: datetime.date | None,
) -> QuerySet[Youth]:
    """SPEC §7 "already known?": the same external key, or the same birth date and name."""
    condition = Q()
    if external_id:
        condition |= Q(external_id=external_id)
    if birth_date and first_name and last_name:
        condition |= Q(birth_date=birth_date, first_name__iexact=first_name, last_name__iexact=last_name)
    if not condition:
        return Youth.objects.none()
    return (
        Youth.objects.filter(condition, organisation_id=organisation_id)
        .prefetch_related("trajectories__approach", "trajectories__outcomes")
        .distinct()
    )


def youths_already_known_to(
    *, user: User, external_id: str, first_name: str, last_name: str, birth_date: datetime.date | None
) -> list[Youth]:
    """``youth_already_known`` in the user's organisation, for the registration page and the API.

    A match may lie outside the user's own caseload: showing it is a read of that youth's record
    (audited), and callers show only the key and the earlier trajectories, no personal data.
    """
    if not access.has(user, Capability.REGISTER_YOUTH):
        return []  # the answer re-identifies a person: only for who may register, in their organisation
    known = list(
        youth_already_known(
            organisation_id=organisation_id_of(user),
            external_id=external_id,
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
        )
    )
    for youth in known:
        audit_log_youth(user=user, youth=youth, action=AuditLogEntry.Action.VIEW, detail="already-known check")
    return known


def current_period(trajectory: Trajectory, on: datetime.date) -> Period | None:
    """The period of a trajectory covering `on` (start <= on < end), from prefetched periods."""
    for period in trajectory.periods.all():
        if period.start_date <= on and (period.end_date is None or on < period.end_date):
            return period
    return None


def period_effective_worker_id(period: Period) -> int:
    """SPEC §2: a period is the trajectory's worker's unless it names another worker."""
    return period.worker_id or period.trajectory.worker_id


def period_effective_worker() -> Coalesce:
    """``period_effective_worker_id`` as a database expression on Period."""
    return Coalesce(F("worker_id"), F("trajectory__worker_id"))


def periods_of_worker_q(worker_id: int) -> Q:
    """The periods whose effective worker (``period_effective_worker_id``) is this worker."""
    return Q(worker_id=worker_id) | Q(worker__isnull=True, trajectory__worker_id=worker_id)


def complexities_on(youths: Iterable[Youth], day: datetime.date) -> dict[int, str]:
    """The complexity that holds on ``day`` for each youth (SPEC §3): the latest change on or
    before it (a "from the start" change first), else ``Youth.complexity``; one query."""
    shown = list(youths)
    holding: dict[int, tuple[datetime.date, str]] = {}
    for youth_id, valid_from, complexity in ComplexityChange.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), youth_id__in=[youth.pk for youth in shown]
    ).values_list("youth_id", "valid_from", "complexity"):
        since = valid_from or datetime.date.min
        if youth_id not in holding or since > holding[youth_id][0]:
            holding[youth_id] = (since, complexity)
    return {youth.pk: holding[youth.pk][1] if youth.pk in holding else youth.complexity for youth in shown}


def intake_queue(*, user: User, on: datetime.date, query: str = "") -> list[tuple[Youth, int]]:
    """SPEC §7: youths registered from a melding, waiting to be picked up, oldest first, with days
    waiting; ``query`` narrows to a name or key."""
    if not access.has(user, Capability.SEE_CASE_CONTENTS):
        return []
    youths = Youth.objects.filter(
        organisation_id=organisation_id_of(user),
        referral_route__in=MELDING_ROUTES,
        reported_on__isnull=False,
        first_contact_on__isnull=True,
        trajectories__isnull=True,
        anonymised_at__isnull=True,
    ).order_by("reported_on", "external_id")
    if query:
        youths = youths.filter(
            Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(external_id__icontains=query)
        )
    return [(youth, (on - youth.reported_on).days) for youth in youths if youth.reported_on]


def week_hours(*, worker: Worker, week_start: datetime.date) -> dict[str, object]:
    """A worker's logged minutes per day and category for one week (Monday..Sunday), one query."""
    days = [week_start + datetime.timedelta(days=i) for i in range(7)]
    totals = {day: {category.value: 0 for category in TimeCategory} for day in days}
    for entry in TimeEntry.objects.filter(worker=worker, date__gte=days[0], date__lte=days[-1]).values(
        "date", "category", "minutes"
    ):
        totals[entry["date"]][entry["category"]] += entry["minutes"]
    per_category = {category.value: sum(totals[day][category.value] for day in days) for category in TimeCategory}
    return {
        "days": days,
        "totals": totals,
        "per_category": per_category,
        "total": sum(per_category.values()),
        "categories": TimeCategory.choices,
    }
