"""Reads for the MKBA (SPEC §4): who may see MKBA figures and parameter sets, which parameter set
applies, the reference approaches, and the cohort inputs of a report in a bounded number of queries.

Access (SPEC §1, §8): who may is ``core.access``'s answer, which records is decided here:
- MKBA figures are aggregates without personal data. Those who see aggregates
  (``Capability.SEE_AGGREGATES``: analysts (beleidsmedewerkers), team leads and admins) read them
  for their organisation's approaches; workers and the privacy officer do not: the MKBA is a
  management instrument (SPEC §1), and for a small cohort an aggregate such as "1 of 1 in work"
  would tell a worker about a colleague's youth.
- A team lead may narrow a report to a team they lead; an analyst or admin to any team of the
  organisation.
- Parameter sets: the organisation's own plus the shared ones (organisation empty). Editing and
  importing: ``Capability.EDIT_PARAMETER_SETS`` (admins and analysts).
- Cost items (SPEC §4 lines 1b, 1c, 2, 3; ``Capability.ENTER_COSTS``, ``access.cost_scope``): an
  analyst every item of the organisation, the trajectories by their pseudonymous keys (never
  names); a team lead the items on the trajectories of the teams they lead, and the approach-level
  items of the organisation read-only; a worker, where the organisation allows it, the items on the
  trajectories they may see (nothing approach-level). Admins and the privacy officer none.
- The reference approaches are the source study's published figures: every logged-in user.
- Stored reports (SPEC §5) are the reports app's (``reports.selectors``), which asks
  ``user_may_read_mkba``.
- Own ex-ante scenarios (issue 17, item 6): read by MKBA readers of the organisation, written
  (a new scenario, a new version) by those who edit parameter sets (analysts and admins): the
  same people, the same capability, as for the kengetallen.
- Nobody sees another organisation's approaches, parameter sets or own scenarios.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum

from caseload import calculations as caseload_calculations
from cases import selectors as cases_selectors
from cases.models import Approach, CostItem, CostLine, FollowUp, Outcome, TimeCategory, TimeEntry, Trajectory
from core import access
from core import selectors as core_selectors
from core.access import Capability, CostScope
from core.exceptions import ApplicationError
from core.models import FtePeriod, Organisation, Team
from mkba import calculations, own_scenarios, uncertainty
from mkba.models import DEFAULT_PARAMETER_SET_NAME, OwnScenario, ParameterSet, ReferenceApproach

DAYS_PER_YEAR = Decimal(365)


# --- Access (core.access decides; the pages and mkba.api.permissions ask through these) ----------


def user_may_read_mkba(user: Any) -> bool:
    """MKBA figures, stored reports and parameter sets: ``Capability.SEE_AGGREGATES``."""
    return access.has(user, Capability.SEE_AGGREGATES)


def user_may_edit_parameter_sets(user: Any) -> bool:
    """New versions, imports and assignments of parameter sets: ``Capability.EDIT_PARAMETER_SETS``."""
    return user_may_read_mkba(user) and access.has(user, Capability.EDIT_PARAMETER_SETS)


def approaches_for_mkba(user: Any) -> QuerySet[Approach]:
    """The approaches whose MKBA the user may see: their organisation's, for MKBA readers."""
    if not user_may_read_mkba(user):
        return Approach.objects.none()
    return cases_selectors.approaches_visible_to(user).select_related("parameter_set", "organisation")


def approaches_named(approaches: QuerySet[Approach], value: str) -> list[Approach]:
    """The approaches among ``approaches`` that ``value`` names, as the command line's and the API's
    ``approach`` take it: an id (all digits) of one of them, else a name, case-insensitive and
    without surrounding spaces. A name is unique within an organisation only as written: more than
    one match (other organisations, or another case) means the caller must ask for the id; none
    means unknown (or not visible)."""
    if value.strip().isdigit():
        by_id = list(approaches.filter(pk=int(value)))
        if by_id:
            return by_id
    return list(approaches.filter(name__iexact=value.strip()).order_by("pk"))


def teams_for_mkba(user: Any) -> QuerySet[Team]:
    """The teams a user may narrow an MKBA report to (core.selectors decides which teams)."""
    if not user_may_read_mkba(user):
        return Team.objects.none()
    return core_selectors.teams_visible_to(user)


def parameter_sets_visible_to(user: Any) -> QuerySet[ParameterSet]:
    """The organisation's own parameter sets plus the shared ones, for MKBA readers."""
    if not user_may_read_mkba(user):
        return ParameterSet.objects.none()
    return ParameterSet.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(organisation__isnull=True)
    ).select_related("organisation", "created_by", "based_on")


def parameter_set_lineage(*, name: str, organisation: Organisation | None) -> QuerySet[ParameterSet]:
    """All versions of a set as an organisation sees them: its own versions with that name plus
    the shared ones it was derived from (they share one version sequence)."""
    scope = Q(organisation__isnull=True)
    if organisation is not None:
        scope |= Q(organisation=organisation)
    return ParameterSet.objects.filter(scope, name=name)


def parameter_set_latest(*, name: str, organisation: Organisation | None) -> ParameterSet | None:
    """The newest version of a set for an organisation: its own newest, else the shared newest."""
    lineage = parameter_set_lineage(name=name, organisation=organisation)
    if organisation is not None:
        own = lineage.filter(organisation=organisation).order_by("-version").first()
        if own is not None:
            return own
    return lineage.filter(organisation__isnull=True).order_by("-version").first()


def parameter_set_default(organisation: Organisation | None) -> ParameterSet:
    """The default parameter set of an organisation: its own newest version of the shipped
    default, else the shipped default itself (loaded by migration 0003)."""
    default = parameter_set_latest(name=DEFAULT_PARAMETER_SET_NAME, organisation=organisation)
    if default is None:
        raise ParameterSet.DoesNotExist(
            f"the default parameter set {DEFAULT_PARAMETER_SET_NAME!r} is missing: run the migrations"
        )
    return default


def parameter_set_for_approach(approach: Approach) -> ParameterSet:
    """SPEC §2: the approach's own parameter set, else its organisation's default."""
    if approach.parameter_set_id is not None:
        return approach.parameter_set  # type: ignore[return-value]
    return parameter_set_default(approach.organisation)


def parameter_set_check_usable(parameter_set: ParameterSet, organisation_id: int) -> None:
    """A set is usable by an organisation when it is shared (no organisation) or its own; raises
    ``ApplicationError`` otherwise."""
    if parameter_set.organisation_id not in (None, organisation_id):
        raise ApplicationError(
            "Deze kengetallenset hoort bij een andere organisatie.", fields={"parameter_set": ["Niet beschikbaar."]}
        )


def parameter_set_export(parameter_set: ParameterSet) -> dict[str, Any]:
    """The parameter-set JSON of SPEC §6 for a stored version: name, version and notes from the
    record, then its parameters. Importing it gives the same parameters back."""
    document: dict[str, Any] = {"name": parameter_set.name, "version": parameter_set.version}
    if parameter_set.notes:
        document["notes"] = parameter_set.notes
    document.update(parameter_set.data)
    return document


# --- Cost items (SPEC §4 cost lines 1b, 1c, 2, 3) -------------------------------------------------


def user_may_enter_costs(user: Any) -> bool:
    """The cost page and endpoints: ``Capability.ENTER_COSTS``."""
    return access.has(user, Capability.ENTER_COSTS)


def user_may_enter_approach_costs(user: Any) -> bool:
    """Items on an approach as a whole (no trajectory) count for every team: ``CostScope.ORGANISATION``."""
    return access.cost_scope(user) == CostScope.ORGANISATION


def cost_approaches_for(user: Any) -> QuerySet[Approach]:
    """The approaches whose costs the user reads: their organisation's."""
    if not user_may_enter_costs(user):
        return Approach.objects.none()
    return Approach.objects.filter(organisation_id=user.organisation_id).order_by("name", "pk")


def cost_trajectories_for(user: Any) -> QuerySet[Trajectory]:
    """The trajectories the user may put costs on: every trajectory of the organisation for an
    analyst; their case scope for a team lead (the teams they lead) and for a worker where the
    organisation lets workers enter costs (their own, or their team's where that is allowed too)."""
    scope = access.cost_scope(user)
    if scope == CostScope.NONE:
        return Trajectory.objects.none()
    if scope in (CostScope.LED_TEAMS, CostScope.CASE_TRAJECTORIES):
        ids = cases_selectors.trajectories_visible_to(user).values("pk")
        trajectories = Trajectory.objects.filter(pk__in=ids, approach__organisation_id=user.organisation_id)
    else:
        trajectories = Trajectory.objects.filter(approach__organisation_id=user.organisation_id)
    return trajectories.select_related("youth", "approach")


def cost_items_visible_to(user: Any) -> QuerySet[CostItem]:
    """The cost items the user reads (see the module docstring); never another organisation's."""
    scope = access.cost_scope(user)
    if scope == CostScope.NONE:
        return CostItem.objects.none()
    items = CostItem.objects.filter(approach__organisation_id=user.organisation_id)
    if scope == CostScope.LED_TEAMS:
        items = items.filter(Q(trajectory__isnull=True) | Q(trajectory__in=cost_trajectories_for(user).values("pk")))
    elif scope == CostScope.CASE_TRAJECTORIES:
        items = items.filter(trajectory__in=cost_trajectories_for(user).values("pk"))
    return items.select_related("approach", "trajectory", "trajectory__youth")


def cost_items_writable_by(user: Any) -> QuerySet[CostItem]:
    """The cost items the user may change or delete: those they read, less the approach-level ones
    for anyone but an analyst."""
    items = cost_items_visible_to(user)
    if not user_may_enter_approach_costs(user):
        items = items.filter(trajectory__isnull=False)
    return items


def cost_items_filter(
    items: QuerySet[CostItem],
    *,
    approach: Approach | None = None,
    trajectory: Trajectory | None = None,
    line: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[CostItem]:
    """Narrow cost items to an approach, a trajectory, a line and the dates ``[from, to)``."""
    if approach is not None:
        items = items.filter(approach=approach)
    if trajectory is not None:
        items = items.filter(trajectory=trajectory)
    if line:
        items = items.filter(line=line)
    if date_from is not None:
        items = items.filter(date__gte=date_from)
    if date_to is not None:
        items = items.filter(date__lt=date_to)
    return items


@dataclass(frozen=True)
class CostLineTotal:
    line: str
    approach_level: Decimal
    on_trajectories: Decimal
    count: int

    @property
    def total(self) -> Decimal:
        return self.approach_level + self.on_trajectories


def cost_line_totals(items: QuerySet[CostItem]) -> list[CostLineTotal]:
    """Totals per cost line (SPEC order), split by approach level and trajectories: one GROUP BY."""
    rows = {
        row["line"]: row
        for row in items.order_by()
        .values("line")
        .annotate(
            approach_level=Sum("amount", filter=Q(trajectory__isnull=True)),
            on_trajectories=Sum("amount", filter=Q(trajectory__isnull=False)),
            count=Count("pk"),
        )
    }
    return [
        CostLineTotal(
            line=line,
            approach_level=Decimal(rows[line]["approach_level"] or 0),
            on_trajectories=Decimal(rows[line]["on_trajectories"] or 0),
            count=int(rows[line]["count"]),
        )
        for line in CostLine.values
        if line in rows
    ]


# --- Reference approaches ------------------------------------------------------------------------


def reference_approach_as_calculation(reference: ReferenceApproach) -> calculations.ReferenceApproach:
    """A stored reference approach as the engine's dataclass (same shape as the data file)."""
    return calculations.reference_approaches_from_dict(
        {
            "approaches": [
                {
                    "number": reference.number,
                    "name": reference.name,
                    "type": reference.type,
                    "target_group": reference.target_group,
                    "model": reference.model,
                    "participants": reference.participants,
                    "costs": reference.costs,
                    "benefits": reference.benefits,
                    "total_costs": reference.total_costs,
                    "total_benefits": reference.total_benefits,
                    "balance": reference.balance,
                    "social_ratio": reference.social_ratio,
                    "financial_ratio": reference.financial_ratio,
                    "municipal_ratio": reference.municipal_ratio,
                    "immaterial_shares": reference.immaterial_shares,
                }
            ]
        }
    )[0]


def reference_approaches_list() -> QuerySet[ReferenceApproach]:
    return ReferenceApproach.objects.order_by("number")


def reference_approaches_for_comparison() -> tuple[calculations.ReferenceApproach, ...]:
    """The ten reference approaches from the database (never from ../shared), for the comparison
    every report shows (one query)."""
    return tuple(reference_approach_as_calculation(reference) for reference in reference_approaches_list())


# --- Cohort inputs of a report (SPEC §4) ---------------------------------------------------------


@dataclass(frozen=True)
class CohortInputs:
    """What ``calculations.mkba_report_calculate`` needs about a cohort, from the database.

    ``participants`` is N of the (scoped) cohort; ``approach_participants`` N of the approach's
    whole cohort (the same unless a team narrows it). ``outcome_records`` holds
    one row per trajectory and outcome type: its first date on or before the measurement date;
    with ``include_checks`` (the parameter set's ``durability: answered``, SPEC §4b) one row per
    trajectory, outcome type and date instead (the position rule needs the latest events too),
    ``trajectory_starts`` the cohort's ``(trajectory_id, start_date)`` and ``check_records`` its
    answered checks due on or before the measurement date; both empty otherwise.
    """

    participants: int
    approach_participants: int
    client_hours: Decimal
    fte_years: Decimal
    cost_items: tuple[tuple[str, Decimal], ...]
    outcome_records: tuple[tuple[int, str, datetime.date], ...]
    trajectory_starts: tuple[tuple[int, datetime.date], ...] = ()
    check_records: tuple[tuple[int, str, datetime.date, str], ...] = ()


def _started_in(date_from: datetime.date, date_to: datetime.date) -> Q:
    return Q(start_date__gte=date_from, start_date__lt=date_to)


def cohort_trajectories(*, approach_id: int, date_from: datetime.date, date_to: datetime.date) -> QuerySet[Trajectory]:
    """SPEC §4, the cohort: trajectories of the approach that started in ``[from, to)``."""
    return Trajectory.objects.filter(_started_in(date_from, date_to), approach_id=approach_id)


def cohort_teams_by_approach(*, date_from: datetime.date, date_to: datetime.date) -> dict[int, set[int]]:
    """Every approach with a non-empty cohort in ``[from, to)``, with the teams of the cohort's
    responsible workers (for the scheduled reports, per approach and per team); one query."""
    teams: dict[int, set[int]] = {}
    for approach_id, team_id in (
        Trajectory.objects.filter(_started_in(date_from, date_to))
        .values_list("approach_id", "worker__team_id")
        .distinct()
    ):
        found = teams.setdefault(approach_id, set())
        if team_id is not None:
            found.add(team_id)
    return teams


def _team_condition(team: Team | None) -> Q:
    """A team narrows the cohort to the trajectories whose responsible worker is in that team."""
    return Q() if team is None else Q(worker__team=team)


def mkba_cohort_inputs(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    team: Team | None = None,
    include_fte_years: bool = False,
    include_checks: bool = False,
) -> CohortInputs:
    """The inputs of an MKBA report for a cohort (SPEC §4), in four queries whatever the cohort's
    size (six with ``include_fte_years``):

    1. N: the cohort's trajectories (and the approach's whole cohort, for the share below);
    2. client hours: direct + indirect minutes / 60 of time entries on the cohort's trajectories
       dated on or before ``measured_at`` (one aggregate);
    3. cost items per line (one GROUP BY): items on the cohort's trajectories dated on or before
       ``measured_at``, plus approach-level items (no trajectory) of the approach dated in
       ``[from, to)``. When a team narrows the cohort, approach-level items are
       not the team's alone: they count for the share ``N / N of the whole cohort`` (so the team
       reports of an approach add up to its whole report; nothing when the whole cohort is empty);
    4. outcomes: per trajectory and outcome type the first date on or before ``measured_at``
       (a trajectory counts once per outcome however often it is recorded);
    5. and 6. fte-years, see ``_fte_years_on_approach``;
    7. and 8. with ``include_checks`` (``durability: answered``, SPEC §4b): the trajectories'
       start dates and their answered durability checks due on or before ``measured_at``
       (outcome rows are then one per trajectory, type and date: see ``CohortInputs``).
    """
    scope = _team_condition(team)
    scoped = bool(scope)
    cohort = cohort_trajectories(approach_id=approach.pk, date_from=date_from, date_to=date_to)
    counts = cohort.aggregate(whole=Count("pk"), scoped=Count("pk", filter=scope) if scoped else Count("pk"))
    participants = int(counts["scoped"])
    approach_participants = int(counts["whole"])
    cohort_ids = cohort.filter(scope).values("pk")

    minutes = TimeEntry.objects.filter(
        trajectory__in=cohort_ids,
        category__in=[TimeCategory.CLIENT_DIRECT, TimeCategory.CLIENT_INDIRECT],
        date__lte=measured_at,
    ).aggregate(total=Sum("minutes"))["total"]
    client_hours = Decimal(minutes or 0) / Decimal(60)

    cost_rows = (
        CostItem.objects.filter(
            Q(trajectory__in=cohort_ids, date__lte=measured_at)
            | Q(approach=approach, trajectory__isnull=True, date__gte=date_from, date__lt=date_to)
        )
        .values("line")
        .annotate(
            on_trajectories=Sum("amount", filter=Q(trajectory__isnull=False)),
            on_approach=Sum("amount", filter=Q(trajectory__isnull=True)),
        )
        .order_by("line")
    )
    approach_share = _approach_level_share(
        scoped=scoped, participants=participants, approach_participants=approach_participants
    )
    cost_items = tuple(
        (
            row["line"],
            Decimal(row["on_trajectories"] or 0) + Decimal(row["on_approach"] or 0) * approach_share,
        )
        for row in cost_rows
    )

    outcomes = Outcome.objects.filter(trajectory__in=cohort_ids, date__lte=measured_at)
    if include_checks:
        outcome_records = tuple(
            outcomes.values_list("trajectory_id", "outcome", "date")
            .distinct()
            .order_by("trajectory_id", "outcome", "date")
        )
    else:
        outcome_rows = (
            outcomes.values("trajectory_id", "outcome")
            .annotate(first_date=Min("date"))
            .order_by("trajectory_id", "outcome")
        )
        outcome_records = tuple((row["trajectory_id"], row["outcome"], row["first_date"]) for row in outcome_rows)
    trajectory_starts: tuple[tuple[int, datetime.date], ...] = ()
    check_records: tuple[tuple[int, str, datetime.date, str], ...] = ()
    if include_checks:
        trajectory_starts = tuple(cohort.filter(scope).values_list("pk", "start_date").order_by("pk"))
        check_records = tuple(
            FollowUp.objects.filter(outcome__trajectory__in=cohort_ids, due_date__lte=measured_at)
            .exclude(answer="")
            .values_list("outcome__trajectory_id", "outcome__outcome", "due_date", "answer")
            .order_by("outcome__trajectory_id", "due_date", "outcome__outcome", "answer")
        )

    fte_years = (
        _fte_years_on_approach(approach=approach, date_from=date_from, date_to=date_to, team=team)
        if include_fte_years
        else Decimal(0)
    )
    return CohortInputs(
        participants=participants,
        approach_participants=approach_participants,
        client_hours=client_hours,
        fte_years=fte_years,
        cost_items=cost_items,
        outcome_records=outcome_records,
        trajectory_starts=trajectory_starts,
        check_records=check_records,
    )


def _approach_level_share(*, scoped: bool, participants: int, approach_participants: int) -> Decimal:
    if not scoped:
        return Decimal(1)
    if approach_participants == 0:
        return Decimal(0)
    return Decimal(participants) / Decimal(approach_participants)


def _fte_years_on_approach(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    team: Team | None,
) -> Decimal:
    """Fte-years deployed on the approach in ``[from, to)``, for cost basis ``fte`` (SPEC §4: "fte-years
    deployed on the approach x productive_hours_per_fte x hourly_rate, shared over the cohort").

    The rule (SPEC is silent on it), in two queries:
    - the approach's workers are the responsible workers of its trajectories that were running in
      ``[from, to)`` (start before ``to``, no end or an end after ``from``), within the team when
      one is given;
    - a worker's fte-years are the sum over the days of ``[from, to)`` of ``fte(day) / 365``, with
      ``fte(day)`` as in SPEC §3 (the latest fte period starting on or before the day; 0 before
      the first);
    - a worker who also runs trajectories of other approaches counts for the share of their running
      trajectories that belong to this approach.
    The fte deployed in the cohort's period is charged to the cohort that started in it, as the
    source study's factsheets do (a year's fte cost over the year's participants).
    """
    running = Trajectory.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=date_from),
        start_date__lt=date_to,
        worker__in=Trajectory.objects.filter(
            _team_condition(team),
            approach=approach,
            start_date__lt=date_to,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=date_from))
        .values("worker_id"),
    )
    shares = {
        row["worker_id"]: Decimal(row["on_approach"]) / Decimal(row["total"])
        for row in running.values("worker_id").annotate(
            total=Count("pk"), on_approach=Count("pk", filter=Q(approach=approach))
        )
        if row["total"]
    }
    if not shares:
        return Decimal(0)
    fte_periods = pd.DataFrame(
        list(
            FtePeriod.objects.filter(worker_id__in=list(shares), start_date__lt=date_to).values_list(
                "worker_id", "start_date", "fte"
            )
        ),
        columns=["worker_id", "start", "fte"],
    ).astype({"fte": float})
    # fte(day) summed over the days: the caseload engine's rule (SPEC §3). An fte has at most three
    # decimals, so fte-days do too; rounding to six takes the float sum back to its exact value.
    fte_days = caseload_calculations.fte_days_between(fte_periods, date_from, date_to)
    return sum(
        (
            Decimal(str(round(float(fte_days.get(worker_id, 0.0)), 6))) / DAYS_PER_YEAR * share
            for worker_id, share in shares.items()
        ),
        start=Decimal(0),
    )


# --- The MKBA on demand (SPEC §4): reads and the engine, stores nothing -------------------------------
#
# Like caseload.selectors.caseload_for_scope: the command, the API preview, the Rendement page and
# the stored-report kinds (mkba.reports) read the cohort and run the engine through these.


def check_cohort(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    team: Team | None,
) -> None:
    """A cohort that can be reported on: a non-empty period, measured on or after its start, and a
    team (if any) of the approach's organisation; raises ``ApplicationError`` otherwise."""
    if date_from >= date_to:
        raise ApplicationError(
            "De cohortperiode is leeg: 'van' moet vóór 'tot' liggen (tot is exclusief).",
            fields={"to": ["Moet na 'van' liggen."]},
        )
    if measured_at < date_from:
        raise ApplicationError(
            "De meetdatum ligt vóór het begin van het cohort.",
            fields={"measured_at": ["Moet op of na 'van' liggen."]},
        )
    if team is not None and team.organisation_id != approach.organisation_id:
        raise ApplicationError(
            "Dit team hoort niet bij de organisatie van de aanpak.", fields={"team": ["Niet beschikbaar."]}
        )


def mkba_report_generate(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    parameter_set: ParameterSet | None = None,
    team: Team | None = None,
) -> dict[str, Any]:
    """An MKBA report for a cohort (SPEC §4): the contract JSON, with the ten reference
    approaches beside it. ``parameter_set`` defaults to the approach's
    (``parameter_set_for_approach``); the JSON's ``parameter_set`` names the stored version used.
    Raises ``ApplicationError`` for a bad period or team. Stores nothing."""
    parameters = _parameters_for(approach, parameter_set)
    return mkba_report_generate_with_parameters(
        approach=approach,
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        parameters=parameters,
        team=team,
    )


def _parameters_for(approach: Approach, parameter_set: ParameterSet | None = None) -> calculations.ParameterSet:
    """The parameters of ``parameter_set``, by default the approach's (``parameter_set_for_approach``),
    after checking the organisation may use it."""
    if parameter_set is None:
        parameter_set = parameter_set_for_approach(approach)
    parameter_set_check_usable(parameter_set, approach.organisation_id)
    return calculations.parameter_set_from_dict(
        parameter_set.data, name=parameter_set.name, version=parameter_set.version
    )


def mkba_report_generate_with_parameters(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    parameters: calculations.ParameterSet,
    team: Team | None = None,
) -> dict[str, Any]:
    """``mkba_report_generate`` with parameters that need not be stored (``mkba_report
    --parameters FILE.json``): selectors for the cohort, the engine for the maths."""
    inputs = mkba_report_inputs(
        approach=approach,
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        parameters=parameters,
        team=team,
    )
    return mkba_report_from_inputs(
        approach=approach,
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        parameters=parameters,
        inputs=inputs,
    )


def mkba_report_inputs(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    parameters: calculations.ParameterSet,
    team: Team | None = None,
) -> CohortInputs:
    """The cohort's inputs of a report (SPEC §4), after checking the cohort; the first half of
    ``mkba_report_generate_with_parameters`` (the stored-report job shows progress in between)."""
    check_cohort(approach=approach, date_from=date_from, date_to=date_to, measured_at=measured_at, team=team)
    return mkba_cohort_inputs(
        approach=approach,
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        team=team,
        include_fte_years=parameters.cost_basis == "fte",
        include_checks=parameters.durability == "answered",
    )


def mkba_report_from_inputs(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    parameters: calculations.ParameterSet,
    inputs: CohortInputs,
) -> dict[str, Any]:
    """The contract JSON of SPEC §4 from a cohort's inputs: the engine and the reference comparison."""
    result = mkba_result_from_inputs(
        approach=approach,
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        parameters=parameters,
        inputs=inputs,
    )
    return calculations.mkba_output(result, references=reference_approaches_for_comparison())


def mkba_result_from_inputs(
    *,
    approach: Approach,
    date_from: datetime.date,
    date_to: datetime.date,
    measured_at: datetime.date,
    parameters: calculations.ParameterSet,
    inputs: CohortInputs,
) -> calculations.MkbaResult:
    """The engine's exact result (SPEC §4) of a cohort's inputs, before rounding into the JSON."""
    return calculations.mkba_report_calculate(
        approach=approach.name,
        cohort_from=date_from,
        cohort_to=date_to,
        measured_at=measured_at,
        participants=inputs.participants,
        parameters=parameters,
        outcome_records=inputs.outcome_records,
        client_hours=inputs.client_hours,
        fte_years=inputs.fte_years,
        cost_items=inputs.cost_items,
        trajectory_starts=dict(inputs.trajectory_starts),
        check_records=inputs.check_records,
    )


def mkba_scenario_generate(*, reference_number: int, participants: int | None = None) -> dict[str, Any]:
    """Scenario mode (SPEC §4) loaded with reference approach K from the database: the same JSON as
    a report, with the ten reference approaches beside it. ``participants`` defaults to the
    approach's own number (1 where the source gives none)."""
    if participants is not None and participants < 0:
        raise ApplicationError("Het aantal deelnemers mag niet negatief zijn.", fields={"participants": ["≥ 0"]})
    references = reference_approaches_for_comparison()
    reference = reference_approach_by_number(reference_number, references=references)
    scenario = calculations.scenario_from_reference(reference, participants=participants)
    return calculations.mkba_output(calculations.mkba_scenario_calculate(scenario), references=references)


# --- Own ex-ante scenarios (issue 17, item 6) -----------------------------------------------------


def user_may_edit_own_scenarios(user: Any) -> bool:
    """A new own scenario or a new version of one: ``Capability.EDIT_PARAMETER_SETS``, as the
    kengetallen (the policy officers who write the MKBA's assumptions)."""
    return user_may_edit_parameter_sets(user)


def own_scenarios_visible_to(user: Any) -> QuerySet[OwnScenario]:
    """Every version of the organisation's own scenarios, for MKBA readers."""
    if not user_may_read_mkba(user):
        return OwnScenario.objects.none()
    return OwnScenario.objects.filter(organisation_id=user.organisation_id).select_related(
        "approach", "created_by", "based_on"
    )


def own_scenarios_latest(user: Any) -> QuerySet[OwnScenario]:
    """The newest version of each of the organisation's own scenarios, by name (the list)."""
    visible = own_scenarios_visible_to(user)
    newer = OwnScenario.objects.filter(
        organisation_id=OuterRef("organisation_id"), name=OuterRef("name"), version__gt=OuterRef("version")
    )
    return visible.filter(~Exists(newer)).order_by("name")


def own_scenario_lineage(scenario: OwnScenario) -> QuerySet[OwnScenario]:
    """All versions of a scenario (the same organisation and name), newest first."""
    return OwnScenario.objects.filter(organisation_id=scenario.organisation_id, name=scenario.name).order_by("-version")


def own_scenario_lines(scenario: OwnScenario) -> tuple[own_scenarios.ScenarioLine, ...]:
    return own_scenarios.lines_from_data(scenario.lines)


def own_scenario_result(scenario: OwnScenario) -> calculations.MkbaResult:
    """The exact result of one version: its rows as scenario mode (SPEC §4) times its participants;
    no municipal ratio while some benefit is "onverdeeld"."""
    result = calculations.mkba_scenario_calculate(
        own_scenarios.scenario_input(
            approach=scenario.approach.name if scenario.approach is not None else scenario.name,
            name=scenario.name,
            version=scenario.version,
            participants=scenario.participants,
            lines=own_scenario_lines(scenario),
            immaterial_shares={
                line: calculations.to_decimal(share) for line, share in scenario.immaterial_shares.items()
            },
            printed=own_scenarios.PrintedTotals.from_data(scenario.printed_totals),
        )
    )
    return own_scenarios.split_unknown_where_unallocated(result)


def own_scenario_output(scenario: OwnScenario) -> dict[str, Any]:
    """One version as the contract JSON of SPEC §4 (scenario mode), with the ten reference
    approaches beside it and the seeded uncertainty of its rows' ranges
    (``uncertainty.scenario_lines_uncertainty``, the runs and seed of the current context)."""
    runs, seed = uncertainty.monte_carlo_current()
    simulated = uncertainty.scenario_lines_uncertainty(
        own_scenarios.uncertainty_lines(
            own_scenario_lines(scenario), own_scenarios.PrintedTotals.from_data(scenario.printed_totals)
        ),
        runs=runs,
        seed=seed,
    )
    return calculations.mkba_output(
        own_scenario_result(scenario), references=reference_approaches_for_comparison(), simulated=simulated
    )


def reference_approach_by_number(
    number: int, *, references: Sequence[calculations.ReferenceApproach] | None = None
) -> calculations.ReferenceApproach:
    """One reference approach (from ``references``, else the database); ``ApplicationError`` for an
    unknown number, naming the numbers there are."""
    if references is None:
        references = reference_approaches_for_comparison()
    reference = next((item for item in references if item.number == number), None)
    if reference is None:
        numbers = sorted(item.number for item in references)
        raise ApplicationError(
            f"Onbekende referentieaanpak {number}: kies uit {numbers[0]}-{numbers[-1]}."
            if numbers
            else "Er zijn geen referentieaanpakken geladen: voer de migraties uit.",
            fields={"reference": [f"Kies 1-{len(numbers) or 10}."]},
        )
    return reference


def mkba_cohort_result(
    *, approach: Approach, date_from: datetime.date, date_to: datetime.date, measured_at: datetime.date
) -> tuple[calculations.MkbaResult, calculations.ParameterSet]:
    """The exact ex-post result of an approach's cohort on its parameter set (what
    ``mkba_report_generate`` rounds into the JSON), with the parameters, for a scenario started
    from the cohort. ``ApplicationError`` for a bad period."""
    parameters = _parameters_for(approach)
    inputs = mkba_report_inputs(
        approach=approach, date_from=date_from, date_to=date_to, measured_at=measured_at, parameters=parameters
    )
    result = mkba_result_from_inputs(
        approach=approach,
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        parameters=parameters,
        inputs=inputs,
    )
    return result, parameters


def own_scenario_comparison(scenario: OwnScenario, report_result: dict[str, Any]) -> dict[str, Any]:
    """A version beside an ex-post MKBA report's JSON (``own_scenarios.comparison``); the stored
    report is read by the reports app, which calls this (mkba does not know stored reports)."""
    return own_scenarios.comparison(own_scenario_output(scenario), report_result)
