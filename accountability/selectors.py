"""Reads for the accountability figures (SPEC.md 4b): who may see them, and the plain records the
pure calculations (``accountability.calculations``) need, fetched in a fixed number of queries
whatever the data size.

Access (SPEC.md 8; ``core.access`` decides): the figures are aggregates, so they need
``Capability.SEE_AGGREGATES``: a team lead sees their teams' trajectories, workers and youths; an
analyst or admin their whole organisation; a worker or privacy officer nothing (403). ``team=``
or ``approach=`` naming something outside that scope is ``NotVisible`` (a 404 in the API).

Which team a record belongs to (SPEC.md 4b): a trajectory's team is the team of the worker of its
last period (latest start, then the highest id), or of its own worker when it has no periods. A
VCV row is a worker's, so a worker's team. A youth reported for time to first contact belongs to
the team of the worker of their first trajectory (earliest start); a youth without a trajectory is
in no team ("unknown"), so a team lead does not see them (they belong to nobody's team yet).

Output names: ``worker_id`` is the worker's external id (``workers.csv``), ``team`` and
``approach`` their names, as in the caseload JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accountability import calculations as calc
from cases.models import Approach, FollowUp, Outcome, Period, TargetGroup, Trajectory, WorkingElement, Youth
from core import access
from core import selectors as core_selectors
from core.access import Capability, CaseScope
from core.api.ids import is_id
from core.models import FtePeriod, Organisation, Team, User, Worker
from mkba.selectors import approaches_named

DEFAULT_RESULT_TARGET_WORK = Decimal("0.20")
DEFAULT_RESULT_TARGET_WORK_OR_SCHOOL = Decimal("0.25")


class NotVisible(Exception):
    """A named team or approach that does not exist or lies outside the user's scope (a 404)."""


class Ambiguous(Exception):
    """A name that several organisations use (the command): name it by id."""


# --- Scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose records a run reads. ``organisation_ids`` None: every organisation (the commands);
    ``team_ids`` None: every team of those organisations; ``approach_ids`` None: every approach."""

    organisation_ids: tuple[int, ...] | None
    team_ids: tuple[int, ...] | None = None
    approach_ids: tuple[int, ...] | None = None


def user_may_read(user: Any) -> bool:
    """Accountability figures are aggregates: ``Capability.SEE_AGGREGATES``."""
    return access.has(user, Capability.SEE_AGGREGATES)


def _number_beyond_ids(value: str) -> bool:
    """A number no id can be (SQLite overflows on it): it names nothing."""
    text = value.strip()
    return text.lstrip("-").isdigit() and not is_id(text)


def _named(queryset: QuerySet[Any], value: str) -> list[Any]:
    text = value.strip()
    if _number_beyond_ids(text):
        return []
    if text.isdigit():
        by_id = list(queryset.filter(pk=int(text)))
        if by_id:
            return by_id
    return list(queryset.filter(name__iexact=text).order_by("pk"))


def scope_for(user: User, *, team: str | None = None, approach: str | None = None) -> Scope:
    """The scope of a logged-in reader, optionally narrowed to one team and/or approach.
    PermissionDenied without SEE_AGGREGATES; ``NotVisible`` for a team or approach outside it."""
    if not user_may_read(user):
        raise PermissionDenied
    organisation_id = core_selectors.organisation_id_of(user)
    teams = core_selectors.teams_visible_to(user)
    team_ids: tuple[int, ...] | None = None
    if team:
        matches = _named(teams, team)
        if not matches:
            raise NotVisible(team)
        team_ids = tuple(sorted(match.pk for match in matches))
    elif access.case_scope(user) is CaseScope.LED_TEAMS:
        team_ids = tuple(sorted(teams.values_list("pk", flat=True)))
    approach_ids: tuple[int, ...] | None = None
    if approach:
        found = (
            []
            if _number_beyond_ids(approach)
            else approaches_named(Approach.objects.filter(organisation_id=organisation_id), approach)
        )
        if not found:
            raise NotVisible(approach)
        approach_ids = tuple(sorted(match.pk for match in found))
    return Scope(organisation_ids=(organisation_id,), team_ids=team_ids, approach_ids=approach_ids)


def scope_all(*, team: str | None = None, approach: str | None = None) -> Scope:
    """Every organisation (the management commands), optionally one team and/or approach by id or
    name; ``NotVisible`` when unknown, ``Ambiguous`` when several organisations use the name."""
    team_ids = approach_ids = None
    organisation_ids: set[int] = set()
    if team:
        teams = _named(Team.objects.all(), team)
        if not teams:
            raise NotVisible(team)
        if len(teams) > 1:
            raise Ambiguous(", ".join(str(match.pk) for match in teams))
        team_ids, organisation_ids = (teams[0].pk,), {teams[0].organisation_id}
    if approach:
        approaches = [] if _number_beyond_ids(approach) else approaches_named(Approach.objects.all(), approach)
        if not approaches:
            raise NotVisible(approach)
        if len(approaches) > 1:
            raise Ambiguous(", ".join(str(match.pk) for match in approaches))
        approach_ids = (approaches[0].pk,)
        if organisation_ids and approaches[0].organisation_id not in organisation_ids:
            raise NotVisible(approach)
        organisation_ids = {approaches[0].organisation_id}
    return Scope(organisation_ids=tuple(sorted(organisation_ids)) or None, team_ids=team_ids, approach_ids=approach_ids)


def scope_of_report(*, organisation_id: int, team_id: int | None, approach_id: int | None) -> Scope:
    """The scope of a stored report: its organisation, narrowed to its team and approach."""
    return Scope(
        organisation_ids=(organisation_id,),
        team_ids=(team_id,) if team_id is not None else None,
        approach_ids=(approach_id,) if approach_id is not None else None,
    )


def _in_organisations(queryset: QuerySet[Any], scope: Scope, field: str = "organisation_id") -> QuerySet[Any]:
    if scope.organisation_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": scope.organisation_ids})


def organisations_of(scope: Scope) -> list[Organisation]:
    """The organisations of the scope (one query), by id."""
    return list(_in_organisations(Organisation.objects.all(), scope, "pk").order_by("pk"))


# --- Organisation settings (SPEC.md 4b) ------------------------------------------------------


def annual_cost_per_fte(organisation: Organisation) -> Decimal:
    """SPEC.md 4b: the organisation's ``annual_cost_per_fte``, by default
    ``productive_hours_per_fte * hourly_rate``."""
    if organisation.annual_cost_per_fte is not None:
        return Decimal(organisation.annual_cost_per_fte)
    return Decimal(organisation.productive_hours_per_fte) * Decimal(organisation.hourly_rate)


def result_targets(organisation: Organisation | None) -> dict[str, Decimal]:
    """The ESF target lines of the result indicators: ``work`` and ``work_or_school`` (the
    organisation's; the ESF defaults without one)."""
    if organisation is None:
        return {"work": DEFAULT_RESULT_TARGET_WORK, "work_or_school": DEFAULT_RESULT_TARGET_WORK_OR_SCHOOL}
    return {
        "work": Decimal(organisation.result_target_work),
        "work_or_school": Decimal(organisation.result_target_work_or_school),
    }


# --- Trajectories (result indicators, working elements) ----------------------------------------


def _trajectories_ended(scope: Scope, date_from: dt.date, date_to: dt.date) -> QuerySet[Trajectory]:
    trajectories = _in_organisations(Trajectory.objects.all(), scope).filter(
        end_date__gte=date_from, end_date__lt=date_to
    )
    if scope.approach_ids is not None:
        trajectories = trajectories.filter(approach_id__in=scope.approach_ids)
    if scope.team_ids is not None:
        # A pre-filter: the exact team (of the last period's worker) is decided in Python.
        trajectories = trajectories.filter(
            Q(worker__team_id__in=scope.team_ids) | Q(periods__worker__team_id__in=scope.team_ids)
        ).distinct()
    return trajectories


def trajectory_records(
    scope: Scope, *, date_from: dt.date, date_to: dt.date, working_elements: bool = False
) -> list[calc.TrajectoryRecord]:
    """The trajectories of the scope ended in ``[from, to)`` as ``calc.TrajectoryRecord``s, with
    their outcomes, durability checks (and working elements): four queries (five)."""
    base = _trajectories_ended(scope, date_from, date_to)
    ids = base.values("pk")
    rows = list(
        base.values_list(
            "pk",
            "start_date",
            "end_date",
            "youth__birth_date",
            "youth__target_group__name",
            "approach__name",
            "worker__team_id",
            "worker__team__name",
        ).order_by("pk")
    )
    last_team: dict[int, tuple[int, str]] = {}
    periods = (
        Period.objects.filter(trajectory__in=ids)
        .annotate(
            team_id=Coalesce(F("worker__team_id"), F("trajectory__worker__team_id")),
            team_name=Coalesce(F("worker__team__name"), F("trajectory__worker__team__name")),
        )
        .order_by("trajectory_id", "start_date", "pk")
        .values_list("trajectory_id", "team_id", "team_name")
    )
    for trajectory_id, team_id, team_name in periods:
        last_team[trajectory_id] = (team_id, team_name)  # ordered: the last one stays
    outcomes: dict[int, list[calc.OutcomeRecord]] = defaultdict(list)
    for trajectory_id, outcome, day in Outcome.objects.filter(trajectory__in=ids).values_list(
        "trajectory_id", "outcome", "date"
    ):
        outcomes[trajectory_id].append(calc.OutcomeRecord(outcome, day))
    checks: dict[int, list[calc.CheckRecord]] = defaultdict(list)
    for trajectory_id, outcome, due, answer in FollowUp.objects.filter(outcome__trajectory__in=ids).values_list(
        "outcome__trajectory_id", "outcome__outcome", "due_date", "answer"
    ):
        checks[trajectory_id].append(calc.CheckRecord(outcome, due, answer or None))
    elements: dict[int, set[str]] = defaultdict(set)
    if working_elements:
        through = Trajectory.working_elements.through
        for trajectory_id, name in through.objects.filter(trajectory__in=ids).values_list(
            "trajectory_id", "workingelement__name"
        ):
            elements[trajectory_id].add(name)
    records = []
    for pk, start, end, birth_date, target_group, approach, worker_team_id, worker_team in rows:
        team_id, team = last_team.get(pk, (worker_team_id, worker_team))
        if scope.team_ids is not None and team_id not in scope.team_ids:
            continue
        records.append(
            calc.TrajectoryRecord(
                trajectory_id=pk,
                start=start,
                end=end,
                birth_date=birth_date,
                target_group=target_group,
                approach=approach,
                team=team,
                outcomes=tuple(outcomes[pk]),
                checks=tuple(checks[pk]),
                working_elements=frozenset(elements[pk]),
            )
        )
    return records


def result_indicators_document(
    scope: Scope, *, date_from: dt.date, date_to: dt.date, measured_at: dt.date
) -> dict[str, Any]:
    """SPEC.md 4b result indicators, the contract JSON, for the scope."""
    records = trajectory_records(scope, date_from=date_from, date_to=date_to)
    result = calc.result_indicators(records, date_from=date_from, date_to=date_to, measured_at=measured_at)
    return calc.result_indicators_json(result)


def working_element_names(scope: Scope) -> list[str]:
    """The organisations' working elements, by name (one query)."""
    names = _in_organisations(WorkingElement.objects.all(), scope).order_by("name").values_list("name", flat=True)
    return list(dict.fromkeys(names))


def working_elements_document(
    scope: Scope, *, date_from: dt.date, date_to: dt.date, measured_at: dt.date
) -> dict[str, Any]:
    """SPEC.md 4b working elements and outcomes, the JSON, for the scope."""
    records = trajectory_records(scope, date_from=date_from, date_to=date_to, working_elements=True)
    result = calc.working_elements(
        records,
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        elements=working_element_names(scope),
    )
    return calc.working_elements_json(result)


# --- VCV -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VcvOptions:
    """What a run names of the rule; None / empty: the organisation's setting."""

    max_age: int | None = None
    target_groups: tuple[str, ...] = ()
    flat_rate: bool = False


def _workers(scope: Scope) -> QuerySet[Worker]:
    workers = _in_organisations(Worker.objects.all(), scope, "team__organisation_id")
    if scope.team_ids is not None:
        workers = workers.filter(team_id__in=scope.team_ids)
    return workers


def vcv_rule(organisation: Organisation | None, eligible_groups: Iterable[str], options: VcvOptions) -> calc.VcvRule:
    """The eligibility rule: the organisation's (``vcv_max_age``, the target groups ticked
    ``vcv_eligible``, ``vcv_funding_source``) unless the run names it."""
    max_age = options.max_age
    if max_age is None:
        max_age = organisation.vcv_max_age if organisation is not None else calc.DEFAULT_MAX_AGE
    funding = organisation.vcv_funding_source if organisation is not None else ""
    return calc.VcvRule(
        max_age=max_age,
        target_groups=tuple(options.target_groups) or tuple(sorted(eligible_groups)),
        flat_rate=options.flat_rate,
        funding_sources=(funding,) if funding else (),
    )


def vcv_result(scope: Scope, *, date_from: dt.date, date_to: dt.date, options: VcvOptions) -> calc.VcvResult:
    """SPEC.md 4b VCV for the scope's workers: five queries (organisations, eligible target groups,
    workers, fte periods, load-bearing periods overlapping the run). Organisations with different
    rules or costs are computed apart and put together (their youths never overlap)."""
    organisations = {organisation.pk: organisation for organisation in organisations_of(scope)}
    eligible: dict[int, set[str]] = defaultdict(set)
    groups = _in_organisations(TargetGroup.objects.filter(vcv_eligible=True), scope)
    for organisation_id, name in groups.values_list("organisation_id", "name"):
        eligible[organisation_id].add(name)
    workers = _workers(scope)
    worker_rows = list(workers.values_list("pk", "external_id", "team__name", "team__organisation_id"))
    external = {pk: external_id for pk, external_id, _team, _org in worker_rows}
    fte: dict[int, list[calc.FtePeriod]] = defaultdict(list)
    for worker_id, start, value in FtePeriod.objects.filter(
        worker__in=workers.values("pk"), start_date__lt=date_to
    ).values_list("worker_id", "start_date", "fte"):
        fte[worker_id].append(calc.FtePeriod(start, value))
    periods = (
        Period.objects.annotate(effective_worker=Coalesce(F("worker_id"), F("trajectory__worker_id")))
        .filter(effective_worker__in=workers.values("pk"), role__in=calc.ROLES, start_date__lt=date_to)
        .exclude(phase__in=calc.NO_LOAD_PHASES)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=date_from))
        .values_list(
            "effective_worker",
            "trajectory__youth_id",
            "trajectory_id",
            "phase",
            "role",
            "start_date",
            "end_date",
            "trajectory__start_date",
            "trajectory__youth__birth_date",
            "trajectory__youth__target_group__name",
            "trajectory__funding_source",
        )
    )
    by_organisation: dict[int, list[calc.VcvPeriod]] = defaultdict(list)
    organisation_of = {pk: org for pk, _ext, _team, org in worker_rows}
    for worker_id, youth_id, trajectory_id, phase, role, start, end, t_start, birth, group, funding in periods:
        by_organisation[organisation_of[worker_id]].append(
            calc.VcvPeriod(
                worker_id=external[worker_id],
                youth_id=youth_id,
                trajectory_id=trajectory_id,
                phase=phase,
                role=role,
                start=start,
                end=end,
                trajectory_start=t_start,
                birth_date=birth,
                target_group=group,
                funding_source=funding,
            )
        )
    results = []
    # No worker at all: one empty run (with the scope's organisation's rule, if it has one).
    run_organisations: list[int | None] = [*sorted({org for _pk, _ext, _team, org in worker_rows})] or [
        next(iter(organisations), None)
    ]
    for organisation_id in run_organisations:
        organisation = organisations.get(organisation_id) if organisation_id is not None else None
        members = [
            calc.VcvWorker(worker_id=external_id, team=team, fte_periods=tuple(fte[pk]))
            for pk, external_id, team, org in worker_rows
            if org == organisation_id
        ]
        results.append(
            calc.vcv(
                workers=members,
                periods=by_organisation.get(organisation_id, []) if organisation_id is not None else [],
                date_from=date_from,
                date_to=date_to,
                rule=vcv_rule(
                    organisation, eligible.get(organisation_id, set()) if organisation_id else set(), options
                ),
                annual_cost_per_fte=(
                    annual_cost_per_fte(organisation) if organisation is not None else calc.DEFAULT_ANNUAL_COST_PER_FTE
                ),
            )
        )
    return _vcv_merged(results)


def _vcv_merged(results: list[calc.VcvResult]) -> calc.VcvResult:
    """One run from the runs of several organisations: workers and teams side by side, the total
    the sum (youths are counted distinct, and no youth is in two organisations)."""
    if len(results) == 1:
        return results[0]
    totals = [result.total.figures for result in results]
    total = calc.VcvFigures(
        fte=sum((figures.fte for figures in totals), Decimal(0)),
        personnel_costs=sum((figures.personnel_costs for figures in totals), Decimal(0)),
        youths=sum(figures.youths for figures in totals),
        eligible_youths=sum(figures.eligible_youths for figures in totals),
        accountable=sum((figures.accountable for figures in totals), Decimal(0)),
        flat_rate=sum((figures.flat_rate for figures in totals), Decimal(0)),
    )
    return calc.VcvResult(
        date_from=results[0].date_from,
        date_to=results[0].date_to,
        rule=results[0].rule,
        workers=tuple(sorted((row for r in results for row in r.workers), key=lambda row: str(row.worker_id))),
        teams=tuple(sorted((row for r in results for row in r.teams), key=lambda row: str(row.team))),
        total=calc.VcvRow(figures=total),
    )


def vcv_document(scope: Scope, *, date_from: dt.date, date_to: dt.date, options: VcvOptions) -> dict[str, Any]:
    """SPEC.md 4b VCV, the contract JSON, for the scope."""
    return calc.vcv_json(vcv_result(scope, date_from=date_from, date_to=date_to, options=options))


# --- Time to first contact -------------------------------------------------------------------


def reported_youths(scope: Scope, *, date_from: dt.date, date_to: dt.date) -> list[calc.ReportedYouth]:
    """The youths of the scope reported in ``[from, to)`` with their team (of their first
    trajectory's worker) and referral route: one query."""
    first = Trajectory.objects.filter(youth=OuterRef("pk")).order_by("start_date", "pk")
    youths = (
        _in_organisations(Youth.objects.all(), scope)
        .filter(reported_on__gte=date_from, reported_on__lt=date_to)
        .annotate(
            team_id=Subquery(first.values("worker__team_id")[:1]),
            team_name=Subquery(first.values("worker__team__name")[:1]),
        )
    )
    if scope.team_ids is not None:
        youths = youths.filter(team_id__in=scope.team_ids)
    if scope.approach_ids is not None:
        youths = youths.filter(trajectories__approach_id__in=scope.approach_ids).distinct()
    return [
        calc.ReportedYouth(
            youth_id=pk, reported_on=reported, first_contact_on=contact, team=team, referral_route=route or None
        )
        for pk, reported, contact, team, route in youths.values_list(
            "pk", "reported_on", "first_contact_on", "team_name", "referral_route"
        ).order_by("pk")
    ]


def first_contact_document(
    scope: Scope, *, date_from: dt.date, date_to: dt.date, measured_at: dt.date
) -> dict[str, Any]:
    """SPEC.md 4b time to first contact, the JSON, for the scope."""
    youths = reported_youths(scope, date_from=date_from, date_to=date_to)
    result = calc.first_contact(youths, date_from=date_from, date_to=date_to, measured_at=measured_at)
    return calc.first_contact_json(result)
