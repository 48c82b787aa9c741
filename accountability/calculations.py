"""Accountability figures: SPEC.md section 4b as pure functions (no Django, no ORM).

Durability follow-ups (due dates), the position rule, the result indicators, the VCV (with its
einddeclaratie CSV rows), time to first contact and working elements. Selectors fetch plain
records with a bounded number of queries and pass them in; every function here returns frozen
dataclasses with exact values, and the ``*_json`` builders turn those into the JSON documents of
section 4b (the contract), rounding only there.

Numbers
-------
Counts are ints. Money is ``Decimal`` from input to result: fte values and the annual cost per
fte are converted at the edge with ``mkba.calculations.to_decimal`` (floats through ``str``), and
nothing is rounded before summing. Output rounding is ``mkba.calculations.rounded`` (the product's
one half-up rounding, ``core.formats.round_half_up``): shares and fte to 0.001, euro amounts to 0.01
(floats in JSON).

Inputs (field names are the contract with the future selectors)
---------------------------------------------------------------
- ``OutcomeRecord(outcome, date)`` and ``CheckRecord(outcome, due_date, answer)``: a trajectory's
  outcomes and the durability checks of its outcomes (``outcome`` of a check is the type of the
  outcome it checks; ``answer`` None or "" = not answered).
- ``TrajectoryRecord``: one trajectory with its youth's birth date and target group, the names of
  its approach and team (the team as SPEC.md 4b defines it, resolved by the selector), its outcomes,
  checks and working elements. Used by the result indicators and working elements.
- ``VcvWorker`` (worker, team, fte periods) and ``VcvPeriod`` (one period with the effective
  worker and the fields of its trajectory and youth that eligibility needs) for the VCV. The
  selector may already leave out periods that are not load-bearing or do not overlap the run:
  the engine filters them again, so passing more is harmless.
- ``ReportedYouth`` for time to first contact.

Choices where SPEC.md is silent (each is pinned by a test)
----------------------------------------------------------
- Age is in completed years: the birthday itself counts (a youth born on 29 February has their
  birthday on 1 March in other years). A youth without a birth date is in age band
  ``"unknown"`` and never eligible for the VCV (the age cannot be shown to be below the maximum).
- A breakdown lists only the values that occur in the population. An empty target group, team,
  approach or referral route is keyed ``"unknown"``.
- Working elements: each group shows ``{trajectories, share, suppressed}``; with fewer than 10
  trajectories ``share`` is null and ``suppressed`` true. Elements are listed in the order given
  (the organisation's list), then any other element found, alphabetically.
- Time to first contact: ``within_7_days`` counts ``days <= 7``; a youth without a melding date
  is not in the population; first contact after the measurement date counts as waiting.
- VCV: a worker without a team is listed and counted in the total, but in no team row; the team
  and total ``fte`` is the sum of their workers' (as section 3's team totals). The rule may name
  funding sources (the issue: "funding source where the organisation sets one"); the JSON's
  ``rule`` shows ``funding_sources`` only when it does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

from caseload.calculations import DAYS_PER_YEAR, NO_LOAD_PHASES, ROLES
from cases.calculations import FOLLOW_UP_MONTHS as FOLLOW_UP_MONTHS
from cases.calculations import add_calendar_months as add_calendar_months
from cases.calculations import follow_up_due_dates as follow_up_due_dates
from core import disclosure
from mkba.calculations import Number, rounded, to_decimal

# The position rule lives in mkba.positions (the MKBA's ``durability`` option uses it too);
# ``X as X`` re-exports a name that callers know from this module.
from mkba.positions import ANSWERS as ANSWERS
from mkba.positions import FOLLOW_UP_TYPES as FOLLOW_UP_TYPES
from mkba.positions import (
    NEGATIVE,
    POSITIVE,
    UNKNOWN,
    CheckRecord,
    OutcomeRecord,
    Position,
    position_decide,
    position_events,
)
from mkba.positions import UNKNOWN_OUTCOMES as UNKNOWN_OUTCOMES
from mkba.positions import position as position

# --- Vocabulary (SPEC.md 2 and 4b) -------------------------------------------------------------


WORK: Final = frozenset({"work", "work_subsidised", "improved_position"})
WORK_OR_SCHOOL: Final = WORK | frozenset({"school", "startkwalificatie"})
SETS: Final[Mapping[str, frozenset[str]]] = MappingProxyType({"work": WORK, "work_or_school": WORK_OR_SCHOOL})
# The moments of the result indicators: M = end + this many days.
MOMENTS: Final[Mapping[str, int]] = MappingProxyType({"4w": 28, "12m": 365})
INDICATORS: Final = tuple(f"{name}_{moment}" for name in SETS for moment in MOMENTS)
BREAKDOWNS: Final = ("age_band", "target_group", "approach", "team")
AGE_BAND_LIMIT: Final = 23
YOUNG: Final = "<23"
OLDER: Final = "23+"
# The key of a breakdown or group value that is not known (no birth date, no team, ...).
UNKNOWN_KEY: Final = "unknown"

DEFAULT_MAX_AGE: Final = 28
FLAT_RATE: Final = Decimal("0.40")
# productive_hours_per_fte (1200) * hourly_rate (65 euro), SPEC.md 2 and 4b.
DEFAULT_ANNUAL_COST_PER_FTE: Final = Decimal(78000)

WITHIN_DAYS: Final = 7
SMALL_GROUP: Final = disclosure.SMALL_GROUP

SHARE: Final = "0.001"
EURO: Final = "0.01"
_ZERO: Final = Decimal(0)


def _key(value: str | None) -> str:
    return value if value else UNKNOWN_KEY


def _share(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator, exact enough to round (28 digits); None when the denominator is 0."""
    return Decimal(numerator) / Decimal(denominator) if denominator else None


# --- Durability follow-ups -----------------------------------------------------------------------


# The due-date rule is the case data's (cases.calculations), imported above: one rule.


# --- The position rule -----------------------------------------------------------------------------
# ``position`` (SPEC.md 4b, "Position of a trajectory"), ``OutcomeRecord`` and ``CheckRecord`` are
# ``mkba.positions``'s, re-exported here.


# --- Result indicators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrajectoryRecord:
    """A trajectory as the result indicators and working elements need it."""

    trajectory_id: Hashable
    start: dt.date
    end: dt.date | None
    birth_date: dt.date | None = None
    target_group: str | None = None
    approach: str | None = None
    team: str | None = None
    outcomes: tuple[OutcomeRecord, ...] = ()
    checks: tuple[CheckRecord, ...] = ()
    working_elements: frozenset[str] = field(default_factory=frozenset)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in completed years on ``day``: the birthday itself counts (born 29 Feb: 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: dt.date | None, end: dt.date) -> str:
    """SPEC.md 4b: "age_band (age on the end date: <23, 23+)"; a youth who turns 23 on the end
    date is 23+. No birth date: ``"unknown"``."""
    if birth_date is None:
        return UNKNOWN_KEY
    return OLDER if age_on(birth_date, end) >= AGE_BAND_LIMIT else YOUNG


def indicator_moment(end: dt.date, moment: str) -> dt.date:
    """SPEC.md 4b: "4w: M = end + 28 days; 12m: M = end + 365 days"."""
    return end + dt.timedelta(days=MOMENTS[moment])


def indicator_share(positive: int, negative: int) -> Decimal | None:
    """SPEC.md 4b: "share = positive / (positive + negative), to 0.001, null when that is 0
    (unknowns are left out of the denominator and counted apart, as ESF does)". Unrounded."""
    return _share(positive, positive + negative)


@dataclass(frozen=True)
class Indicator:
    """One indicator ``{ended, positive, negative, unknown, share, provisional}`` (exact)."""

    ended: int = 0
    positive: int = 0
    negative: int = 0
    unknown: int = 0
    provisional: int = 0

    @property
    def share(self) -> Decimal | None:
        return indicator_share(self.positive, self.negative)


@dataclass(frozen=True)
class TrajectoryPosition:
    """One trajectory's position and provisional flag for one indicator."""

    value: Position
    provisional: bool


def trajectory_positions(trajectory: TrajectoryRecord, measured_at: dt.date) -> dict[str, TrajectoryPosition]:
    """The trajectory's position for each indicator ``S_moment`` (SPEC.md 4b, result indicators):
    the position for S on M as known on m, and whether "M lies after m" (provisional)."""
    if trajectory.end is None:
        raise ValueError(f"trajectory {trajectory.trajectory_id!r} has no end date")
    result: dict[str, TrajectoryPosition] = {}
    for name, types in SETS.items():
        # ``position`` for each moment, with the set's events gathered once.
        events = position_events(trajectory.outcomes, trajectory.checks, types)
        for moment in MOMENTS:
            day = indicator_moment(trajectory.end, moment)
            value = position_decide(events, start=trajectory.start, last=min(day, measured_at))
            result[f"{name}_{moment}"] = TrajectoryPosition(value, provisional=day > measured_at)
    return result


def ended_in(trajectories: Iterable[TrajectoryRecord], date_from: dt.date, date_to: dt.date) -> list[TrajectoryRecord]:
    """SPEC.md 4b: "The population: trajectories with an end date in [A, B)"."""
    _check_period(date_from, date_to)
    return [t for t in trajectories if t.end is not None and date_from <= t.end < date_to]


def _check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_to <= date_from:
        raise ValueError(f"the period [{date_from}, {date_to}) is empty: 'to' must lie after 'from'")


IndicatorSet = Mapping[str, Indicator]


def count_indicator(positions: Sequence[TrajectoryPosition]) -> Indicator:
    """SPEC.md 4b: an indicator is the "counts of the population by position on M" and
    ``provisional``, "the number of trajectories whose M lies after m"."""
    values = Counter(found.value for found in positions)
    return Indicator(
        ended=len(positions),
        positive=values[POSITIVE],
        negative=values[NEGATIVE],
        unknown=values[UNKNOWN],
        provisional=sum(found.provisional for found in positions),
    )


def count_indicators(positions: Sequence[Mapping[str, TrajectoryPosition]]) -> IndicatorSet:
    """The four indicators of a group, from each trajectory's ``trajectory_positions``."""
    return MappingProxyType({name: count_indicator([found[name] for found in positions]) for name in INDICATORS})


@dataclass(frozen=True)
class ResultIndicators:
    """SPEC.md 4b result indicators, exact; ``result_indicators_json`` rounds."""

    date_from: dt.date
    date_to: dt.date
    measured_at: dt.date
    indicators: IndicatorSet
    breakdowns: Mapping[str, Mapping[str, IndicatorSet]]


def breakdown_keys(trajectory: TrajectoryRecord) -> dict[str, str]:
    """The trajectory's value in each breakdown: age band on the end date, target group,
    approach and team, keyed by name (``"unknown"`` when empty)."""
    if trajectory.end is None:
        raise ValueError(f"trajectory {trajectory.trajectory_id!r} has no end date")
    return {
        "age_band": age_band(trajectory.birth_date, trajectory.end),
        "target_group": _key(trajectory.target_group),
        "approach": _key(trajectory.approach),
        "team": _key(trajectory.team),
    }


def result_indicators(
    trajectories: Iterable[TrajectoryRecord], *, date_from: dt.date, date_to: dt.date, measured_at: dt.date
) -> ResultIndicators:
    """SPEC.md 4b, result indicators: over the trajectories ended in [A, B), for each set S in
    (work, work_or_school) and moment (4w, 12m) "counts of the population by position on M",
    the share and ``provisional`` = "the number of trajectories whose M lies after m"; the same
    per age band, target group, approach and team ("each a map from value to the four
    indicators")."""
    everyone: list[Mapping[str, TrajectoryPosition]] = []
    groups: dict[str, dict[str, list[Mapping[str, TrajectoryPosition]]]] = {name: {} for name in BREAKDOWNS}
    for trajectory in ended_in(trajectories, date_from, date_to):
        positions = trajectory_positions(trajectory, measured_at)
        everyone.append(positions)
        for name, key in breakdown_keys(trajectory).items():
            groups[name].setdefault(key, []).append(positions)
    return ResultIndicators(
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        indicators=count_indicators(everyone),
        breakdowns=MappingProxyType(
            {
                name: MappingProxyType({key: count_indicators(values[key]) for key in sorted(values)})
                for name, values in groups.items()
            }
        ),
    )


def indicator_json(indicator: Indicator) -> dict[str, object]:
    """``{ended, positive, negative, unknown, share, provisional}``, the share to 0.001."""
    return {
        "ended": indicator.ended,
        "positive": indicator.positive,
        "negative": indicator.negative,
        "unknown": indicator.unknown,
        "share": rounded(indicator.share, SHARE),
        "provisional": indicator.provisional,
    }


def _indicators_json(indicators: IndicatorSet) -> dict[str, object]:
    return {name: indicator_json(indicators[name]) for name in INDICATORS}


def result_indicators_json(result: ResultIndicators) -> dict[str, object]:
    """SPEC.md 4b JSON: ``{from, to, measured_at, indicators {work_4w, work_12m,
    work_or_school_4w, work_or_school_12m}, breakdowns {age_band, target_group, approach, team}}``
    with ISO dates; breakdown values sorted by key."""
    return {
        "from": result.date_from.isoformat(),
        "to": result.date_to.isoformat(),
        "measured_at": result.measured_at.isoformat(),
        "indicators": _indicators_json(result.indicators),
        "breakdowns": {
            name: {key: _indicators_json(values) for key, values in result.breakdowns[name].items()}
            for name in BREAKDOWNS
        },
    }


# --- VCV -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FtePeriod:
    """An fte period of a worker: ``fte`` from ``start`` until the worker's next period starts."""

    start: dt.date
    fte: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "fte", to_decimal(self.fte))
        if self.fte < 0:
            raise ValueError("fte must be >= 0")


@dataclass(frozen=True)
class VcvWorker:
    """A worker in the scope of a VCV run (a row even without youths)."""

    worker_id: Hashable
    team: str | None
    fte_periods: tuple[FtePeriod, ...] = ()

    def __post_init__(self) -> None:
        starts = [period.start for period in self.fte_periods]
        if len(set(starts)) != len(starts):
            raise ValueError(f"worker {self.worker_id!r}: two fte periods start on the same day")


@dataclass(frozen=True)
class VcvPeriod:
    """A period (SPEC.md 2) with its effective worker (its own, else the trajectory's) and what
    eligibility needs of its trajectory and youth."""

    worker_id: Hashable
    youth_id: Hashable
    trajectory_id: Hashable
    phase: str
    role: str | None
    start: dt.date
    end: dt.date | None  # None = open
    trajectory_start: dt.date
    birth_date: dt.date | None
    target_group: str | None = None
    funding_source: str | None = None


@dataclass(frozen=True)
class VcvRule:
    """The eligibility rule of a run: maximum age, target groups and funding sources (empty: any),
    and whether the 40% flat rate applies."""

    max_age: int = DEFAULT_MAX_AGE
    target_groups: tuple[str, ...] = ()
    flat_rate: bool = False
    funding_sources: tuple[str, ...] = ()


def is_load_bearing(phase: str, role: str | None) -> bool:
    """SPEC.md 3: "A period is load-bearing when it has a role and its phase is neither
    aanmelding nor afgesloten" (and, as in the caseload engine, a time-out has no role).
    Raises ValueError on a role that is neither empty nor one of section 3's roles."""
    if not role or not role.strip():
        return False
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {ROLES} or empty")
    return phase not in NO_LOAD_PHASES


def overlaps(start: dt.date, end: dt.date | None, date_from: dt.date, date_to: dt.date) -> bool:
    """A period ``[start, end)`` (open end: None) shares at least one day with ``[from, to)``."""
    return start < date_to and (end is None or end > max(start, date_from))


def is_eligible(
    rule: VcvRule,
    *,
    birth_date: dt.date | None,
    trajectory_start: dt.date,
    date_from: dt.date,
    target_group: str | None,
    funding_source: str | None = None,
) -> bool:
    """SPEC.md 4b: "A trajectory is eligible when the youth's age on the later of the trajectory's
    start and A is below max_age (default 28) and, where the rule names target groups, the
    youth's target group is one of them" (and, where it names funding sources, the trajectory's
    funding source is one of them)."""
    if birth_date is None or age_on(birth_date, max(trajectory_start, date_from)) >= rule.max_age:
        return False
    if rule.target_groups and target_group not in rule.target_groups:
        return False
    return not (rule.funding_sources and funding_source not in rule.funding_sources)


def fte_on(fte_periods: Iterable[FtePeriod], day: dt.date) -> Decimal:
    """SPEC.md 3: "fte(d) is the fte of the latest fte period starting on or before d, 0 before
    the first"."""
    started = [period for period in fte_periods if period.start <= day]
    return max(started, key=lambda period: period.start).fte if started else _ZERO


def fte_days(fte_periods: Iterable[FtePeriod], date_from: dt.date, date_to: dt.date) -> Decimal:
    """Sum over the days of [from, to) of fte(day), exact: each fte period holds from its start
    until the next one starts, so its days in the run are an intersection, not a walk."""
    ordered = sorted(fte_periods, key=lambda period: period.start)
    total = _ZERO
    for index, period in enumerate(ordered):
        until = ordered[index + 1].start if index + 1 < len(ordered) else date_to
        days = (min(until, date_to) - max(period.start, date_from)).days
        if days > 0:
            total += period.fte * days
    return total


def personnel_costs(fte_day_sum: Decimal, annual_cost_per_fte: Decimal) -> Decimal:
    """SPEC.md 4b: "personnel_costs = sum over the days of [A, B) of fte(day) *
    annual_cost_per_fte / 365" (``fte_day_sum`` is the sum of fte(day))."""
    return fte_day_sum * annual_cost_per_fte / DAYS_PER_YEAR


def accountable_costs(costs: Decimal, youths: int, eligible_youths: int) -> Decimal:
    """SPEC.md 4b: "share = eligible_youths / youths ...; accountable = personnel_costs * share
    with the unrounded share (0 when no youths)"."""
    return costs * eligible_youths / youths if youths else _ZERO


def flat_rate_amount(accountable: Decimal, *, flat_rate: bool) -> Decimal:
    """SPEC.md 4b: "flat_rate = 0.40 * accountable with --flat-rate, else 0"."""
    return FLAT_RATE * accountable if flat_rate else _ZERO


@dataclass(frozen=True)
class VcvFigures:
    """The figures of a VCV row (worker, team or total), exact; ``total = accountable + flat_rate``."""

    fte: Decimal
    personnel_costs: Decimal
    youths: int
    eligible_youths: int
    accountable: Decimal
    flat_rate: Decimal

    @property
    def share(self) -> Decimal | None:
        """SPEC.md 4b: "share = eligible_youths / youths (...; null when no youths)"."""
        return _share(self.eligible_youths, self.youths)

    @property
    def total(self) -> Decimal:
        """SPEC.md 4b: "total = accountable + flat_rate"."""
        return self.accountable + self.flat_rate


@dataclass(frozen=True)
class VcvRow:
    """A worker's row (``worker_id`` and ``team``), a team's (``team`` only) or the total (neither)."""

    figures: VcvFigures
    worker_id: Hashable | None = None
    team: str | None = None


@dataclass(frozen=True)
class VcvResult:
    date_from: dt.date
    date_to: dt.date
    rule: VcvRule
    workers: tuple[VcvRow, ...]
    teams: tuple[VcvRow, ...]
    total: VcvRow


def _id_order(value: Hashable) -> tuple[bool, int, str]:
    """Sort ids as the caseload JSON does: numbers numerically, then anything else as text."""
    number = isinstance(value, int) and not isinstance(value, bool)
    return (not number, value if isinstance(value, int) and number else 0, str(value))


def _distinct(groups: Iterable[set[Hashable]]) -> set[Hashable]:
    result: set[Hashable] = set()
    for group in groups:
        result |= group
    return result


def _summed(rows: Sequence[VcvFigures], youths: set[Hashable], eligible: set[Hashable]) -> VcvFigures:
    """A team's or the run's figures: "euro amounts are the sums of their workers'; their youths
    and eligible_youths are counted distinct" (fte summed, as section 3's team totals)."""
    return VcvFigures(
        fte=sum((row.fte for row in rows), _ZERO),
        personnel_costs=sum((row.personnel_costs for row in rows), _ZERO),
        youths=len(youths),
        eligible_youths=len(eligible),
        accountable=sum((row.accountable for row in rows), _ZERO),
        flat_rate=sum((row.flat_rate for row in rows), _ZERO),
    )


def vcv(
    *,
    workers: Iterable[VcvWorker],
    periods: Iterable[VcvPeriod],
    date_from: dt.date,
    date_to: dt.date,
    rule: VcvRule | None = None,
    annual_cost_per_fte: Number = DEFAULT_ANNUAL_COST_PER_FTE,
) -> VcvResult:
    """SPEC.md 4b, VCV, per worker w and period [A, B):
    "youths: the distinct youths with a load-bearing period of w overlapping [A, B) (section 3's
    youths_served); eligible_youths: those of them with at least one such period on an eligible
    trajectory", personnel costs, share, accountable, flat rate and total as the functions above;
    "One row per worker in scope, also a worker without youths"; teams and the total from the
    workers' sums with distinct youths. ``fte`` is section 3's period fte, the average
    ``sum of fte(day) / days``. Periods of workers outside ``workers`` are ignored.
    """
    _check_period(date_from, date_to)
    rule = rule or VcvRule()
    cost = to_decimal(annual_cost_per_fte)
    scope = sorted(workers, key=lambda worker: _id_order(worker.worker_id))
    ids = [worker.worker_id for worker in scope]
    if len(set(ids)) != len(ids):
        raise ValueError("workers: a worker_id occurs twice")
    youths: dict[Hashable, set[Hashable]] = {worker_id: set() for worker_id in ids}
    eligible: dict[Hashable, set[Hashable]] = {worker_id: set() for worker_id in ids}
    for period in periods:
        if period.worker_id not in youths or not is_load_bearing(period.phase, period.role):
            continue
        if not overlaps(period.start, period.end, date_from, date_to):
            continue
        youths[period.worker_id].add(period.youth_id)
        if is_eligible(
            rule,
            birth_date=period.birth_date,
            trajectory_start=period.trajectory_start,
            date_from=date_from,
            target_group=period.target_group,
            funding_source=period.funding_source,
        ):
            eligible[period.worker_id].add(period.youth_id)

    days = (date_to - date_from).days
    worker_rows: list[VcvRow] = []
    for worker in scope:
        fte_sum = fte_days(worker.fte_periods, date_from, date_to)
        costs = personnel_costs(fte_sum, cost)
        count, eligible_count = len(youths[worker.worker_id]), len(eligible[worker.worker_id])
        accountable = accountable_costs(costs, count, eligible_count)
        figures = VcvFigures(
            fte=fte_sum / days,
            personnel_costs=costs,
            youths=count,
            eligible_youths=eligible_count,
            accountable=accountable,
            flat_rate=flat_rate_amount(accountable, flat_rate=rule.flat_rate),
        )
        worker_rows.append(VcvRow(figures=figures, worker_id=worker.worker_id, team=worker.team))

    team_rows: list[VcvRow] = []
    for team in sorted({worker.team for worker in scope if worker.team is not None}):
        members = [row for row in worker_rows if row.team == team]
        team_youths = _distinct(youths[row.worker_id] for row in members)
        team_eligible = _distinct(eligible[row.worker_id] for row in members)
        team_rows.append(
            VcvRow(figures=_summed([row.figures for row in members], team_youths, team_eligible), team=team)
        )
    total = _summed([row.figures for row in worker_rows], _distinct(youths.values()), _distinct(eligible.values()))
    return VcvResult(
        date_from=date_from,
        date_to=date_to,
        rule=rule,
        workers=tuple(worker_rows),
        teams=tuple(team_rows),
        total=VcvRow(figures=total),
    )


def _vcv_figures_json(figures: VcvFigures) -> dict[str, object]:
    return {
        "fte": rounded(figures.fte, SHARE),
        "personnel_costs": rounded(figures.personnel_costs, EURO),
        "youths": figures.youths,
        "eligible_youths": figures.eligible_youths,
        "share": rounded(figures.share, SHARE),
        "accountable": rounded(figures.accountable, EURO),
        "flat_rate": rounded(figures.flat_rate, EURO),
        "total": rounded(figures.total, EURO),
    }


def vcv_rule_json(rule: VcvRule) -> dict[str, object]:
    """``{max_age, target_groups, flat_rate}`` (plus ``funding_sources`` only when the rule names some)."""
    document: dict[str, object] = {
        "max_age": rule.max_age,
        "target_groups": list(rule.target_groups),
        "flat_rate": rule.flat_rate,
    }
    if rule.funding_sources:
        document["funding_sources"] = list(rule.funding_sources)
    return document


def vcv_json(result: VcvResult) -> dict[str, object]:
    """SPEC.md 4b JSON: ``{from, to, rule {max_age, target_groups, flat_rate}, workers
    [{worker_id, team, fte, personnel_costs, youths, eligible_youths, share, accountable,
    flat_rate, total}], teams [{team, ...}], total {...}}``; euro to 0.01, share and fte to 0.001."""
    return {
        "from": result.date_from.isoformat(),
        "to": result.date_to.isoformat(),
        "rule": vcv_rule_json(result.rule),
        "workers": [
            {"worker_id": row.worker_id, "team": row.team} | _vcv_figures_json(row.figures) for row in result.workers
        ],
        "teams": [{"team": row.team} | _vcv_figures_json(row.figures) for row in result.teams],
        "total": _vcv_figures_json(result.total.figures),
    }


# The einddeclaratie CSV (SPEC.md 4b): Dutch column names; the caller writes them with ";".
VCV_CSV_COLUMNS: Final = (
    "Regel",
    "Medewerker",
    "Team",
    "Fte",
    "Personeelskosten",
    "Jongeren",
    "Subsidiabele jongeren",
    "Aandeel subsidiabel",
    "Toe te rekenen kosten",
    "Opslag 40%",
    "Totaal",
)
VCV_CSV_KINDS: Final = MappingProxyType({"worker": "medewerker", "team": "team", "total": "totaal"})


def decimal_comma(value: float | None, places: int) -> str:
    """A rounded number as Dutch CSV text: ``places`` decimals, decimal comma, no thousands
    separator; empty for null."""
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


# Decimals per column of VCV_CSV_COLUMNS: None for a text, 0 for a count.
VCV_COLUMN_PLACES: Final = (None, None, None, 3, 2, 0, 0, 3, 2, 2, 2)


_VCV_FIGURE_KEYS: Final = (
    "fte",
    "personnel_costs",
    "youths",
    "eligible_youths",
    "share",
    "accountable",
    "flat_rate",
    "total",
)
VcvLine = tuple[str | int | float | None, ...]


def vcv_table(document: Mapping[str, Any]) -> list[VcvLine]:
    """SPEC.md 4b: "one row per worker, then the team and total rows", in the columns of
    ``VCV_CSV_COLUMNS``, from the VCV JSON (``vcv_json``: numbers already rounded), for the CSV
    and the spreadsheet of the page and of a stored report."""

    def line(kind: str, worker: Any, team: Any, figures: Mapping[str, Any]) -> VcvLine:
        worker_text = "" if worker is None else str(worker)
        return (VCV_CSV_KINDS[kind], worker_text, team or "", *(figures[key] for key in _VCV_FIGURE_KEYS))

    return (
        [line("worker", row["worker_id"], row["team"], row) for row in document["workers"]]
        + [line("team", None, row["team"], row) for row in document["teams"]]
        + [line("total", None, None, document["total"])]
    )


def _csv_text(value: str | int | float | None, places: int | None) -> str:
    if places is None or value is None or isinstance(value, str):
        return "" if value is None else str(value)
    return str(value) if places == 0 else decimal_comma(float(value), places)


def vcv_csv_rows(document: Mapping[str, Any]) -> list[dict[str, str]]:
    """SPEC.md 4b: "The CSV export is what an einddeclaratie needs: one row per worker, then the
    team and total rows, Dutch column names, ; separator and decimal comma". Rows keyed by
    ``VCV_CSV_COLUMNS`` (for ``csv.DictWriter(..., delimiter=";")``), rounded as the JSON."""
    return [
        dict(
            zip(
                VCV_CSV_COLUMNS,
                (_csv_text(value, places) for value, places in zip(values, VCV_COLUMN_PLACES, strict=True)),
                strict=True,
            )
        )
        for values in vcv_table(document)
    ]


# --- Time to first contact -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportedYouth:
    """A youth's melding date and first contact, with the team and referral route to group by."""

    youth_id: Hashable
    reported_on: dt.date | None
    first_contact_on: dt.date | None
    team: str | None = None
    referral_route: str | None = None


def nearest_rank(values: Sequence[int], percentile: int) -> int | None:
    """The nearest-rank percentile: sort the n values ascending and take the one at 1-based rank
    ``ceil(percentile / 100 * n)`` (at least 1), computed in integers. None for no values.
    Median: rank ceil(n / 2), so the lower middle of an even count ([1, 2, 3, 4] -> 2);
    p90 of ten values is the ninth."""
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile must lie in (0, 100], got {percentile}")
    if not values:
        return None
    rank = max(1, -(-percentile * len(values) // 100))
    return sorted(values)[rank - 1]


@dataclass(frozen=True)
class ContactFigures:
    """Time to first contact of one group (exact; ``within_7_days`` unrounded)."""

    reported: int
    contacted: int
    waiting: int
    median_days: int | None
    p90_days: int | None
    within_7_days: Decimal | None


def contact_figures(youths: Sequence[ReportedYouth], measured_at: dt.date) -> ContactFigures:
    """SPEC.md 4b, time to first contact, for youths already selected by melding date:
    "reported, contacted (first contact on or before the measurement date), waiting (the rest),
    and over the contacted: days = first_contact_on - reported_on, median_days and p90_days
    (nearest-rank percentiles), within_7_days (share ...)" with ``days <= 7``."""
    days = [
        (youth.first_contact_on - youth.reported_on).days
        for youth in youths
        if youth.reported_on is not None
        and youth.first_contact_on is not None
        and youth.first_contact_on <= measured_at
    ]
    if any(value < 0 for value in days):
        raise ValueError("a first contact lies before its melding date")
    return ContactFigures(
        reported=len(youths),
        contacted=len(days),
        waiting=len(youths) - len(days),
        median_days=nearest_rank(days, 50),
        p90_days=nearest_rank(days, 90),
        within_7_days=_share(sum(value <= WITHIN_DAYS for value in days), len(days)),
    )


@dataclass(frozen=True)
class FirstContact:
    date_from: dt.date
    date_to: dt.date
    measured_at: dt.date
    total: ContactFigures
    by_team: Mapping[str, ContactFigures]
    by_referral_route: Mapping[str, ContactFigures]


def first_contact(
    youths: Iterable[ReportedYouth], *, date_from: dt.date, date_to: dt.date, measured_at: dt.date
) -> FirstContact:
    """SPEC.md 4b: "For youths reported (melding date, reported_on) in [A, B)" the figures of
    ``contact_figures``, in total and "Per team and referral route"."""
    _check_period(date_from, date_to)
    reported = [y for y in youths if y.reported_on is not None and date_from <= y.reported_on < date_to]
    teams: dict[str, list[ReportedYouth]] = defaultdict(list)
    routes: dict[str, list[ReportedYouth]] = defaultdict(list)
    for youth in reported:
        teams[_key(youth.team)].append(youth)
        routes[_key(youth.referral_route)].append(youth)
    return FirstContact(
        date_from=date_from,
        date_to=date_to,
        measured_at=measured_at,
        total=contact_figures(reported, measured_at),
        by_team=MappingProxyType({key: contact_figures(teams[key], measured_at) for key in sorted(teams)}),
        by_referral_route=MappingProxyType({key: contact_figures(routes[key], measured_at) for key in sorted(routes)}),
    )


def contact_figures_json(figures: ContactFigures) -> dict[str, object]:
    """``{reported, contacted, waiting, median_days, p90_days, within_7_days}``, the share to 0.001."""
    return {
        "reported": figures.reported,
        "contacted": figures.contacted,
        "waiting": figures.waiting,
        "median_days": figures.median_days,
        "p90_days": figures.p90_days,
        "within_7_days": rounded(figures.within_7_days, SHARE),
    }


def first_contact_json(result: FirstContact) -> dict[str, object]:
    """``{from, to, measured_at, <the total's figures>, breakdowns {team, referral_route}}``, each
    breakdown a map from value to the same figures."""
    return {
        "from": result.date_from.isoformat(),
        "to": result.date_to.isoformat(),
        "measured_at": result.measured_at.isoformat(),
        **contact_figures_json(result.total),
        "breakdowns": {
            "team": {key: contact_figures_json(value) for key, value in result.by_team.items()},
            "referral_route": {key: contact_figures_json(value) for key, value in result.by_referral_route.items()},
        },
    }


# --- Working elements --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementGroup:
    """The trajectories with (or without) an element and their ``work_or_school_4w`` indicator."""

    indicator: Indicator

    @property
    def trajectories(self) -> int:
        return self.indicator.ended

    @property
    def suppressed(self) -> bool:
        """SPEC.md 4b: "A group of fewer than 10 trajectories shows no share ("< 10")"."""
        return self.indicator.ended < SMALL_GROUP

    @property
    def share(self) -> Decimal | None:
        return None if self.suppressed else self.indicator.share


@dataclass(frozen=True)
class ElementFigures:
    element: str
    with_element: ElementGroup
    without_element: ElementGroup


@dataclass(frozen=True)
class WorkingElements:
    date_from: dt.date
    date_to: dt.date
    measured_at: dt.date
    elements: tuple[ElementFigures, ...]


WORKING_ELEMENT_INDICATOR: Final = "work_or_school_4w"


def working_elements(
    trajectories: Iterable[TrajectoryRecord],
    *,
    date_from: dt.date,
    date_to: dt.date,
    measured_at: dt.date,
    elements: Sequence[str] = (),
) -> WorkingElements:
    """SPEC.md 4b, working elements and outcomes: "Per working element, over the trajectories
    ended in [A, B): how many had the element and how many not, and for each group the
    work_or_school_4w share. A group of fewer than 10 trajectories shows no share". ``elements``
    is the organisation's list (shown even when unused); elements found only on trajectories
    follow, alphabetically."""
    population = ended_in(trajectories, date_from, date_to)
    positions = [trajectory_positions(t, measured_at)[WORKING_ELEMENT_INDICATOR] for t in population]
    others = sorted({element for t in population for element in t.working_elements} - set(elements))
    figures: list[ElementFigures] = []
    for element in [*dict.fromkeys(elements), *others]:
        groups: dict[bool, list[TrajectoryPosition]] = {True: [], False: []}
        for trajectory, spot in zip(population, positions, strict=True):
            groups[element in trajectory.working_elements].append(spot)
        figures.append(
            ElementFigures(
                element, ElementGroup(count_indicator(groups[True])), ElementGroup(count_indicator(groups[False]))
            )
        )
    return WorkingElements(date_from=date_from, date_to=date_to, measured_at=measured_at, elements=tuple(figures))


def element_group_json(group: ElementGroup) -> dict[str, object]:
    """``{trajectories, share, suppressed}``: the share to 0.001, null (page: "< 10") when suppressed."""
    return {"trajectories": group.trajectories, "share": rounded(group.share, SHARE), "suppressed": group.suppressed}


def working_elements_json(result: WorkingElements) -> dict[str, object]:
    """``{from, to, measured_at, indicator, elements [{element, with {...}, without {...}}]}``."""
    return {
        "from": result.date_from.isoformat(),
        "to": result.date_to.isoformat(),
        "measured_at": result.measured_at.isoformat(),
        "indicator": WORKING_ELEMENT_INDICATOR,
        "elements": [
            {
                "element": figures.element,
                "with": element_group_json(figures.with_element),
                "without": element_group_json(figures.without_element),
            }
            for figures in result.elements
        ],
    }
