"""Reads that feed the caseload engine (SPEC.md section 3), and who may see which figures.

The engine (``caseload.calculations``) is pure; this module fetches its inputs with a fixed number of
aggregate queries, whatever the number of workers:

1. the organisations of the scope (their settings),
2. their approaches (per-approach norms and expected duration),
3. the workers of the scope with their team,
4. their fte periods,
5. the load-bearing periods that can matter, with the effective worker
   ``COALESCE(period.worker_id, trajectory.worker_id)``, youth, approach and complexity, and the
   complexity changes of the organisations' youths (a period is split at a change, SPEC §3),
6. in period mode: the logged minutes of [from, to) summed per worker and category (one GROUP BY).

Which periods can matter: the load-bearing periods overlapping the window, of trajectories that
have an in-scope one among them, give expected hours and youths; before the window, the earlier
coaching/uitvoering periods of a trajectory with a period of that role covering the window's
first day give the role runs that ``long_in_role`` needs (a run is a chain of back-to-back
load-bearing periods with one role on one trajectory, possibly begun with a worker outside the
scope, see ``calculations.role_runs_on``; a run that goes on from before the window into it
passes through such a period). Other periods are left out in SQL: they carry no load in the
window and change no long-in-role flag, so the figures are the same.

Who sees what (SPEC.md section 8: ``core.access`` decides who sees aggregates, and
``core.selectors.teams_visible_to`` which teams):

- with ``Capability.SEE_AGGREGATES``: a team lead the teams they lead; an analyst or admin every
  team of their organisation;
- anyone else with a worker record (a worker): only their own figures (one worker row, no team
  totals), because a team total would show colleagues' figures that section 8 does not give a
  worker; without one (a privacy officer): nothing;
- nobody sees another organisation's teams; ``team=`` naming a team outside the scope is
  ``TeamNotVisible`` (the API and pages answer 404, revealing nothing).

Output ids: ``worker_id`` in the JSON is the worker's external id (the ``worker_id`` of
``workers.csv``, SPEC.md section 6), ``team`` the team's name, so the figures line up with the
imported dataset.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Final, TypeVar, cast

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Exists, F, Func, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from caseload import advice, calibration, forecast
from caseload import calculations as calc
from cases.models import (
    Approach,
    ComplexityChange,
    FollowUp,
    NormChange,
    Period,
    Phase,
    TimeCategory,
    TimeEntry,
    Trajectory,
)
from cases.selectors import (
    complexities_on,
    current_period,
    period_effective_worker,
    period_effective_worker_id,
    trajectories_visible_to,
)
from core import access
from core.access import Capability
from core.exceptions import ApplicationError
from core.models import FtePeriod, Organisation, Team, User, Worker
from core.selectors import case_data_version, teams_visible_to, user_worker


class TeamNotVisible(Exception):
    """The named team does not exist or lies outside the user's scope (answered as a 404)."""


class TeamAmbiguous(Exception):
    """A team name that several organisations use; the caller should name the team by id."""


# --- Scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadScope:
    """Whose figures a run shows.

    ``team_ids``: the teams whose workers are in scope. ``worker_ids``: when set, only these
    workers (a worker seeing their own figures). ``whole_database``: every worker of every
    organisation (the command without ``--team``), so the queries need no worker filter.
    ``show_teams``: whether team totals are part of the output.
    """

    team_ids: tuple[int, ...]
    worker_ids: tuple[int, ...] | None = None
    whole_database: bool = False
    show_teams: bool = True

    @property
    def is_empty(self) -> bool:
        return not self.whole_database and (not self.team_ids or self.worker_ids == ())


def _team_matching(teams: QuerySet[Team], team: str) -> list[Team]:
    """Teams of ``teams`` named by id (digits) or else by name (case-insensitive)."""
    text = team.strip()
    if text.isdigit():
        by_id = list(teams.filter(pk=int(text)))
        if by_id:
            return by_id
    return list(teams.filter(name__iexact=text))


def caseload_scope_for(user: User, *, team: str | None = None) -> CaseloadScope:
    """The scope of a logged-in user (see the module docstring), optionally narrowed to one team.

    Raises ``TeamNotVisible`` when ``team`` names no team the user may see.
    """
    teams = teams_visible_to(user)
    if team:
        matches = _team_matching(teams, team)
        if not matches:
            raise TeamNotVisible(team)
        team_ids = tuple(sorted(t.pk for t in matches))
    else:
        team_ids = tuple(sorted(teams.values_list("pk", flat=True)))
    if access.has(user, Capability.SEE_AGGREGATES):  # team figures: of the teams ``teams_visible_to`` gives
        return CaseloadScope(team_ids=team_ids)
    worker = user_worker(user)
    if worker is None or worker.team_id not in team_ids:
        return CaseloadScope(team_ids=(), worker_ids=(), show_teams=False)
    return CaseloadScope(team_ids=(worker.team_id,), worker_ids=(worker.pk,), show_teams=False)


def caseload_scope_all(*, team: str | None = None) -> CaseloadScope:
    """Every worker of every organisation (``manage.py caseload``), or of one team by id or name.

    Raises ``TeamNotVisible`` for an unknown team and ``TeamAmbiguous`` for a name that several
    organisations use (then the team must be named by id).
    """
    if not team:
        return CaseloadScope(
            team_ids=tuple(Team.objects.order_by("pk").values_list("pk", flat=True)), whole_database=True
        )
    matches = _team_matching(Team.objects.all(), team)
    if not matches:
        raise TeamNotVisible(team)
    if len(matches) > 1:
        raise TeamAmbiguous(", ".join(f"{t.pk} ({t.organisation_id})" for t in matches))
    return CaseloadScope(team_ids=(matches[0].pk,))


def teams_for_dashboard(user: User) -> QuerySet[Team]:
    """The teams a user may open on the team dashboard: for those who see aggregates (core.access),
    the teams ``core.selectors.teams_visible_to`` gives them (a team lead: the teams they lead)."""
    if not access.has(user, Capability.SEE_AGGREGATES):
        return Team.objects.none()
    return teams_visible_to(user).select_related("organisation").order_by("name", "pk")


def team_chosen(teams: Sequence[Team], requested: object) -> Team | None:
    """Of ``teams`` (``teams_for_dashboard``), the one ``requested`` names by id, or the first when
    none is named; None for a team outside them (the caller answers 404: unknown or not yours)."""
    if requested is None or requested == "":
        return teams[0] if teams else None
    return next((team for team in teams if str(team.pk) == str(requested)), None)


# --- Settings -------------------------------------------------------------------------------

_ORGANISATION_FIELDS = (
    "pk",
    "productive_hours_per_fte",
    "contract_hours_per_fte",
    "hourly_rate",
    "norm_coaching_hours",
    "norm_uitvoering_hours",
    "norm_regie_hours",
    "norm_monitoring_hours",
    "factor_licht",
    "factor_meervoudig",
    "factor_complex",
    "overload_threshold",
    "underload_threshold",
    "overhead_threshold",
    "long_in_role_factor",
)
_APPROACH_FIELDS = (
    "pk",
    "organisation_id",
    "expected_duration_days",
    "norm_coaching_hours",
    "norm_uitvoering_hours",
    "norm_regie_hours",
    "norm_monitoring_hours",
)
_NORM_CHANGE_FIELDS = (
    "organisation_id",
    "approach_id",
    "valid_from",
    "norm_coaching_hours",
    "norm_uitvoering_hours",
    "norm_regie_hours",
    "norm_monitoring_hours",
)


@dataclass(frozen=True)
class OrganisationSettings:
    """An organisation's caseload settings plus the money and contract figures of section 2."""

    organisation_id: int
    caseload: calc.CaseloadSettings
    contract_hours_per_fte: float = 1872.0
    hourly_rate: float = 65.0


def _float(value: Decimal | float | int) -> float:
    return float(value)


def _settings_from_rows(
    organisation: dict[str, object],
    approaches: Iterable[dict[str, object]],
    norm_changes: Iterable[dict[str, Any]] = (),
) -> OrganisationSettings:
    """SPEC.md 3: an organisation's norms, factors and thresholds, overridden per approach, with
    the norms adopted from a day on (issue 17, item 1)."""

    def number(row: dict[str, object], name: str) -> float:
        value = row[name]
        if not isinstance(value, Decimal | float | int):
            raise TypeError(f"{name} is not a number")
        return _float(value)

    overrides = {}
    for approach in approaches:
        norms = {
            role: number(approach, f"norm_{role}_hours")
            for role in calc.ROLES
            if approach[f"norm_{role}_hours"] is not None
        }
        overrides[approach["pk"]] = calc.ApproachOverride(
            norm_hours=norms, expected_duration_days=number(approach, "expected_duration_days")
        )
    settings = calc.CaseloadSettings(
        productive_hours_per_fte=number(organisation, "productive_hours_per_fte"),
        norm_hours={role: number(organisation, f"norm_{role}_hours") for role in calc.ROLES},
        complexity_factors={
            complexity: number(organisation, f"factor_{complexity}") for complexity in calc.COMPLEXITIES
        },
        overload_threshold=number(organisation, "overload_threshold"),
        underload_threshold=number(organisation, "underload_threshold"),
        overhead_threshold=number(organisation, "overhead_threshold"),
        long_in_role_factor=number(organisation, "long_in_role_factor"),
        approach_overrides=overrides,
        norm_changes=tuple(
            calc.NormChange(
                valid_from=change["valid_from"],
                norm_hours={role: number(change, f"norm_{role}_hours") for role in calc.ROLES},
                approach_id=change["approach_id"],
            )
            for change in norm_changes
        ),
    )
    organisation_id = organisation["pk"]
    if not isinstance(organisation_id, int):
        raise TypeError("organisation pk is not an int")
    return OrganisationSettings(
        organisation_id=organisation_id,
        caseload=settings,
        contract_hours_per_fte=number(organisation, "contract_hours_per_fte"),
        hourly_rate=number(organisation, "hourly_rate"),
    )


def organisation_settings(organisation_ids: Iterable[int]) -> dict[int, OrganisationSettings]:
    """The settings of these organisations, in three queries (organisations, approaches, adopted norms)."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("pk").values(*_ORGANISATION_FIELDS))
    approaches: dict[int, list[dict[str, object]]] = {}
    for approach in Approach.objects.filter(organisation_id__in=ids).order_by("pk").values(*_APPROACH_FIELDS):
        approaches.setdefault(approach["organisation_id"], []).append(approach)
    changes: dict[int, list[dict[str, Any]]] = {}
    for change in NormChange.objects.filter(organisation_id__in=ids).values(*_NORM_CHANGE_FIELDS):
        changes.setdefault(change["organisation_id"], []).append(change)
    return {
        row["pk"]: _settings_from_rows(row, approaches.get(row["pk"], []), changes.get(row["pk"], []))
        for row in organisations
    }


def settings_for_user(user: User) -> OrganisationSettings:
    """The user's organisation's settings; the defaults of the spec for a user without one."""
    if user.organisation_id is None:
        return OrganisationSettings(organisation_id=0, caseload=calc.DEFAULT_SETTINGS)
    found = organisation_settings([user.organisation_id])
    return found.get(user.organisation_id) or OrganisationSettings(organisation_id=0, caseload=calc.DEFAULT_SETTINGS)


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationInputs:
    """One organisation's share of the engine's inputs (column names as ``calculations`` wants)."""

    settings: OrganisationSettings
    workers: pd.DataFrame  # worker_id (pk), team (name)
    periods: pd.DataFrame  # split at the complexity changes (SPEC §3)
    fte_periods: pd.DataFrame
    logged_minutes: pd.DataFrame | None
    # The periods as stored and the changes, for a projection from a day before a change.
    unsplit_periods: pd.DataFrame | None = None
    complexity_changes: pd.DataFrame | None = None

    def periods_as_of(self, day: dt.date) -> pd.DataFrame:
        """The periods split only at the changes that hold by ``day``: what was known on that day
        (the chart projects the months after ``day`` from it)."""
        if self.unsplit_periods is None or self.complexity_changes is None or self.complexity_changes.empty:
            return self.periods
        known = self.complexity_changes["valid_from"].isna() | (
            pd.to_datetime(self.complexity_changes["valid_from"]) <= pd.Timestamp(day)
        )
        return calc.split_at_complexity_changes(self.unsplit_periods, self.complexity_changes.loc[known])


@dataclass(frozen=True)
class CaseloadInputs:
    """Everything a run needs for the days of ``[window_from, window_to)``.

    ``workers`` has ``worker_id`` (pk), ``external_id, name, team_id, team, organisation_id``.
    ``logged_from``/``logged_to``: the period the logged minutes were summed over (None: none).
    """

    scope: CaseloadScope
    window_from: dt.date
    window_to: dt.date
    logged_from: dt.date | None
    logged_to: dt.date | None
    workers: pd.DataFrame
    organisations: tuple[OrganisationInputs, ...] = field(default_factory=tuple)


def _worker_queryset(scope: CaseloadScope) -> QuerySet[Worker]:
    workers = Worker.objects.all() if scope.whole_database else Worker.objects.filter(team_id__in=scope.team_ids)
    if scope.worker_ids is not None:
        workers = workers.filter(pk__in=scope.worker_ids)
    return workers


def _restrict_to_scope(queryset: QuerySet, scope: CaseloadScope, worker_field: str) -> QuerySet:  # type: ignore[type-arg]
    """Filter ``worker_field`` to the scope's workers, by a subquery (no list of ids in Python)."""
    if scope.whole_database and scope.worker_ids is None:
        return queryset
    return queryset.filter(**{f"{worker_field}__in": _worker_queryset(scope).values("pk")})


def _load_bearing_q() -> Q:
    """SQL pre-filter mirroring ``calculations.is_load_bearing`` (the engine applies the rule itself)."""
    return Q(role__in=calc.ROLES) & ~Q(phase__in=calc.NO_LOAD_PHASES)


class DayNumber(Func):
    """A date column as its day number (days since 1970-01-01), computed by the database.

    Integers cross from the database to numpy far faster than date objects; ``_dates`` turns them
    into datetime64 for the engine. NULL stays NULL (an open end).
    """

    output_field = IntegerField()
    template = "(%(expressions)s - DATE '1970-01-01')"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra_context
        )


def _fetch(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """All rows of a ``values_list`` queryset in one ``fetchall``, skipping Django's per-row
    converters (the columns here are ints, strings and numbers that need none; fte is turned into
    float by the caller). On ~300,000 periods this halves the time from the database to numpy."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. ``pk__in=[]``: Django knows there is nothing without asking
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch_ints(queryset: QuerySet[Any, Any], columns: Sequence[str]) -> npt.NDArray[np.int64]:
    """All rows of a ``values_list`` queryset of non-null integer ``columns`` as an int64 array.

    On PostgreSQL the server packs the rows into one bytea (8 bytes big-endian per value, in the
    order of ``columns``) that numpy reads as it is: ~250,000 periods of nine ints as Python tuples
    cost ~0.3-0.5 s from the driver to numpy, this ~0.05 s. A NULL would drop its row from the
    packing, so the row count comes along and a mismatch is an error. Other databases: ``_fetch``.
    """
    if connection.vendor != "postgresql":
        return np.array(_fetch(queryset), dtype=np.int64).reshape(-1, len(columns))
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return np.empty((0, len(columns)), dtype=np.int64)
    packed = " || ".join(f"int8send({connection.ops.quote_name(column)}::int8)" for column in columns)
    with connection.cursor() as cursor:
        # Column names are our constants, quoted; values stay parameters.
        cursor.execute(f"SELECT COUNT(*), string_agg({packed}, ''::bytea) FROM ({sql}) AS rows", params)  # noqa: S608
        count, data = cursor.fetchone()
    table = np.frombuffer(data or b"", dtype=">i8").astype(np.int64).reshape(-1, len(columns))
    if len(table) != count:
        raise ValueError(f"{count - len(table)} row(s) with an empty value among {list(columns)}")
    return table


PHASES: tuple[str, ...] = tuple(Phase.values)
_UNKNOWN_CODE = 99


def _code(field: str, values: Sequence[str], *, blank_allowed: bool = False) -> Case:
    """A text column as its index in ``values``, computed by the database: -1 for blank (where
    allowed), 99 for anything else. The engine gets categorical columns, which it handles several
    times faster than strings (and no string crosses from the database)."""
    whens = [When(**{field: value}, then=Value(index)) for index, value in enumerate(values)]
    if blank_allowed:
        whens += [When(**{f"{field}__isnull": True}, then=Value(-1)), When(**{field: ""}, then=Value(-1))]
    return Case(*whens, default=Value(_UNKNOWN_CODE), output_field=IntegerField())


def _categorical(codes: npt.ArrayLike, values: Sequence[str], name: str) -> pd.Categorical:
    """Codes of ``_code`` as a pandas Categorical (blank = NaN); an unknown value is an error, as in
    the engine."""
    array = np.array(codes, dtype=np.int64)
    if (array == _UNKNOWN_CODE).any():
        raise ValueError(f"{int((array == _UNKNOWN_CODE).sum())} period(s) with an unknown {name}")
    return pd.Categorical.from_codes(array, categories=list(values))


OPEN = -999_999  # the day number of an open end as the period query returns it (no real date: year -768)


def _dates(day_numbers: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """Day numbers (``OPEN`` or None = open end) as datetime64[D], the engine's date columns."""
    values = np.asarray(day_numbers)
    if values.dtype == object:
        values = np.array([OPEN if day is None else day for day in values], dtype=np.int64)
    values = values.astype(np.int64)
    dates = values.astype("datetime64[D]")
    dates[values == OPEN] = np.datetime64("NaT")
    return dates


_PERIOD_COLUMNS = (
    "trajectory_id",
    "trajectory__youth_id",
    "effective_worker_id",
    "trajectory__approach_id",
    "phase_code",
    "role_code",
    "start_day",
    "end_day",
    "complexity_code",
)


def _period_rows(condition: Q) -> QuerySet[Period, tuple[int, ...]]:
    """The periods matching ``condition`` as rows of ints in the order of ``_PERIOD_COLUMNS``."""
    return (
        Period.objects.filter(condition)
        .annotate(
            effective_worker_id=period_effective_worker(),
            start_day=DayNumber("start_date"),
            end_day=Coalesce(DayNumber("end_date"), Value(OPEN)),
            phase_code=_code("phase", PHASES),
            role_code=_code("role", calc.ROLES),
            complexity_code=_code("trajectory__youth__complexity", calc.COMPLEXITIES, blank_allowed=True),
        )
        .order_by()
        .values_list(*_PERIOD_COLUMNS)
    )


def _periods_table_frame(table: npt.NDArray[np.int64]) -> pd.DataFrame:
    """The engine's periods frame from the integer columns of ``_PERIOD_COLUMNS`` (codes and day numbers)."""
    return pd.DataFrame(
        {
            "trajectory_id": table[:, 0],
            "youth_id": table[:, 1],
            "worker_id": table[:, 2],
            "approach_id": table[:, 3],
            "phase": _categorical(table[:, 4], PHASES, "phase"),
            "role": _categorical(table[:, 5], calc.ROLES, "role"),
            "start": _dates(table[:, 6]),
            "end": _dates(table[:, 7]),
            "complexity": _categorical(table[:, 8], calc.COMPLEXITIES, "complexity"),
        }
    )


def _periods_frame(scope: CaseloadScope, window_from: dt.date, window_to: dt.date) -> pd.DataFrame:
    """Query 5: the load-bearing periods that can matter for ``[window_from, window_to)``.

    Two parts, one statement (UNION ALL):

    - the periods overlapping the window, of trajectories with an in-scope one among them (with
      the whole database in scope: simply all of them, which halves the query's time at scale);
    - before the window, the coaching/uitvoering periods that may begin a role run still going
      on in it: those of a trajectory with a period of the same role (and among the fetched ones)
      covering the window's first day. A run (long in role) chains back-to-back periods of one
      role, and only runs of these two roles are flagged, on a day in the window; a run that goes
      on before the window passes through a period covering its first day. The partial index
      ``period_long_role_run_end`` serves both sides, so the history costs about a tenth of the
      statement instead of a second pass over the whole table.
    """
    load_bearing = _load_bearing_q()
    overlapping = Q(start_date__lt=window_to) & (Q(end_date__isnull=True) | Q(end_date__gt=window_from))
    in_scope = Period.objects.filter(load_bearing, overlapping)
    whole_database = scope.whole_database and scope.worker_ids is None
    if not whole_database:
        in_scope = _restrict_to_scope(
            in_scope.annotate(effective_worker_id=period_effective_worker()),
            scope,
            "effective_worker_id",
        )
    current = load_bearing & overlapping
    # A period covering the window's first day, same trajectory and role as the earlier period.
    run_goes_on = Period.objects.filter(
        load_bearing,
        Q(end_date__isnull=True) | Q(end_date__gt=window_from),
        role__in=calc.LONG_IN_ROLE_ROLES,
        start_date__lte=window_from,
        trajectory_id=OuterRef("trajectory_id"),
        role=OuterRef("role"),
    )
    if not whole_database:
        current &= Q(trajectory_id__in=in_scope.values("trajectory_id"))
        run_goes_on = run_goes_on.filter(trajectory_id__in=in_scope.values("trajectory_id"))
    history = load_bearing & Q(role__in=calc.LONG_IN_ROLE_ROLES, end_date__lte=window_from) & Q(Exists(run_goes_on))
    table = _fetch_ints(_period_rows(current).union(_period_rows(history), all=True), _PERIOD_COLUMNS)
    return _periods_table_frame(table)


def _complexity_changes_frame(organisation_ids: Iterable[int]) -> pd.DataFrame:
    """Query 5b: the complexity changes of the youths of these organisations (SPEC §3), few: only
    youths re-rated after registration have any."""
    rows = list(
        ComplexityChange.objects.filter(youth__organisation_id__in=list(organisation_ids))
        .order_by()
        .values_list("youth_id", "valid_from", "complexity")
    )
    return pd.DataFrame(rows, columns=list(calc.COMPLEXITY_CHANGE_COLUMNS))


def _fte_frame(scope: CaseloadScope, window_to: dt.date) -> pd.DataFrame:
    """Query 4: the fte periods of the scope's workers that start before the window's end."""
    rows = _fetch(
        _restrict_to_scope(FtePeriod.objects.filter(start_date__lt=window_to), scope, "worker_id")
        .order_by()
        .annotate(start_day=DayNumber("start_date"))
        .values_list("worker_id", "start_day", "fte")
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 3
    return pd.DataFrame(
        {
            "worker_id": np.array(columns[0], dtype=np.int64),
            "start": _dates(columns[1]),
            "fte": np.array([float(value) for value in columns[2]], dtype=np.float64),
        }
    )


def _logged_frame(scope: CaseloadScope, date_from: dt.date, date_to: dt.date) -> pd.DataFrame:
    """Query 6: minutes of the time entries dated in ``[from, to)``, one GROUP BY worker, category."""
    rows = _fetch(
        _restrict_to_scope(TimeEntry.objects.filter(date__gte=date_from, date__lt=date_to), scope, "worker_id")
        .order_by()
        .values("worker_id", "category")
        .annotate(total=Sum("minutes"))
        .values_list("worker_id", "category", "total")
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 3
    return pd.DataFrame(
        {
            "worker_id": np.array(columns[0], dtype=np.int64),
            "category": pd.Series(columns[1], dtype=object),
            "minutes": np.array(columns[2], dtype=np.float64),
        }
    )


def _workers_frame(scope: CaseloadScope) -> pd.DataFrame:
    """Query 3: the scope's workers with their team and organisation."""
    rows = _fetch(
        _worker_queryset(scope)
        .order_by("pk")
        .values_list("pk", "external_id", "name", "team_id", "team__name", "team__organisation_id")
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    return pd.DataFrame(
        {
            "worker_id": np.array(columns[0], dtype=np.int64),
            "external_id": pd.Series(columns[1], dtype=object),
            "name": pd.Series(columns[2], dtype=object),
            "team_id": np.array(columns[3], dtype=np.int64),
            "team": pd.Series(columns[4], dtype=object),
            "organisation_id": np.array(columns[5], dtype=np.int64),
        }
    )


def caseload_inputs(
    scope: CaseloadScope,
    *,
    window_from: dt.date,
    window_to: dt.date,
    logged_from: dt.date | None = None,
    logged_to: dt.date | None = None,
) -> CaseloadInputs:
    """Fetch the engine's inputs for the days of ``[window_from, window_to)`` in at most eight queries.

    ``logged_from``/``logged_to``: also sum the logged minutes of that period (period mode).
    """
    if window_to <= window_from:
        raise ValueError("the window is empty: 'to' must be after 'from'")
    if (logged_from is None) != (logged_to is None):
        raise ValueError("give both logged_from and logged_to, or neither")
    if scope.is_empty:
        return CaseloadInputs(scope, window_from, window_to, logged_from, logged_to, _workers_frame(scope))
    workers = _workers_frame(scope)
    if workers.empty:
        return CaseloadInputs(scope, window_from, window_to, logged_from, logged_to, workers)
    settings = organisation_settings(int(value) for value in workers["organisation_id"].unique())
    unsplit = _periods_frame(scope, window_from, window_to)
    changes = _complexity_changes_frame(settings)
    periods = calc.split_at_complexity_changes(unsplit, changes)
    fte_periods = _fte_frame(scope, window_to)
    logged = _logged_frame(scope, logged_from, logged_to) if logged_from and logged_to else None

    per_organisation = []
    for organisation_id, org_settings in sorted(settings.items()):
        org_workers = workers.loc[workers["organisation_id"] == organisation_id, ["worker_id", "team"]]
        worker_ids = org_workers["worker_id"].to_numpy()
        # A period belongs to its approach's organisation (a run may begin with a worker out of scope).
        approach_ids = np.fromiter(org_settings.caseload.approach_overrides, dtype=np.int64)
        org_periods = periods.loc[np.isin(periods["approach_id"].to_numpy(), approach_ids)]
        org_unsplit = unsplit.loc[np.isin(unsplit["approach_id"].to_numpy(), approach_ids)]
        org_fte = fte_periods.loc[np.isin(fte_periods["worker_id"].to_numpy(), worker_ids)]
        org_logged = None if logged is None else logged.loc[np.isin(logged["worker_id"].to_numpy(), worker_ids)]
        per_organisation.append(
            OrganisationInputs(
                settings=org_settings,
                workers=org_workers.reset_index(drop=True),
                periods=org_periods.reset_index(drop=True),
                fte_periods=org_fte.reset_index(drop=True),
                logged_minutes=None if org_logged is None else org_logged.reset_index(drop=True),
                unsplit_periods=org_unsplit.reset_index(drop=True),
                complexity_changes=changes,
            )
        )
    return CaseloadInputs(scope, window_from, window_to, logged_from, logged_to, workers, tuple(per_organisation))


# --- Runs -----------------------------------------------------------------------------------


def _combined(
    results: list[calc.CaseloadResult], inputs: CaseloadInputs, template: calc.CaseloadResult
) -> calc.CaseloadResult:
    """One result over all organisations, with the external worker ids of the JSON contract."""
    worker_frames = [result.workers for result in results]
    team_frames = [result.teams for result in results]
    workers = pd.concat(worker_frames, ignore_index=True) if worker_frames else template.workers
    teams = pd.concat(team_frames, ignore_index=True) if team_frames else template.teams
    external = inputs.workers.set_index("worker_id")["external_id"]
    workers = workers.assign(worker_id=workers["worker_id"].map(external))
    if not inputs.scope.show_teams:
        teams = teams.iloc[0:0]
    return replace(template, workers=workers, teams=teams)


def _empty_result(mode: str, date_from: dt.date, date_to: dt.date | None) -> calc.CaseloadResult:
    columns = ["worker_id", "team", *calc.RESULT_COLUMNS]
    return calc.CaseloadResult(
        "date" if mode == "date" else "period",
        date_from,
        date_to,
        pd.DataFrame(columns=columns),
        pd.DataFrame(columns=["team", *calc.RESULT_COLUMNS]),
    )


def caseload_result_on_date(inputs: CaseloadInputs, day: dt.date) -> calc.CaseloadResult:
    """SPEC.md 3, point in time at ``day``, over every organisation of the inputs (unrounded)."""
    if not inputs.window_from <= day < inputs.window_to:
        raise ValueError(f"{day} lies outside the fetched window")
    results = [
        calc.caseload_on_date(
            periods=org.periods,
            fte_periods=org.fte_periods,
            workers=org.workers,
            day=day,
            settings=org.settings.caseload,
        )
        for org in inputs.organisations
    ]
    return _combined(results, inputs, _empty_result("date", day, None))


def caseload_result_for_period(inputs: CaseloadInputs, date_from: dt.date, date_to: dt.date) -> calc.CaseloadResult:
    """SPEC.md 3, period ``[date_from, date_to)``, over every organisation of the inputs (unrounded)."""
    if date_to <= date_from:
        raise ValueError("the period is empty: 'to' must be after 'from'")
    if date_from < inputs.window_from or date_to > inputs.window_to:
        raise ValueError("the period lies outside the fetched window")
    if (inputs.logged_from, inputs.logged_to) != (date_from, date_to):
        raise ValueError("the logged minutes were fetched for another period")
    results = [
        calc.caseload_for_period(
            periods=org.periods,
            fte_periods=org.fte_periods,
            logged_minutes=org.logged_minutes,
            workers=org.workers,
            date_from=date_from,
            date_to=date_to,
            settings=org.settings.caseload,
        )
        for org in inputs.organisations
    ]
    return _combined(results, inputs, _empty_result("period", date_from, date_to))


def caseload_for_scope(
    *,
    scope: CaseloadScope,
    day: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, object]:
    """SPEC.md 3, the caseload JSON document of a scope: at ``day``, or over ``[date_from, date_to)``.

    The one path behind ``manage.py caseload`` and ``GET /api/v1/caseload/``; the team dashboard
    runs both modes on one ``caseload_inputs``.
    """
    if (day is None) == (date_from is None and date_to is None) or (date_from is None) != (date_to is None):
        raise ValueError("give either day, or date_from and date_to")
    if day is not None:
        inputs = caseload_inputs(scope, window_from=day, window_to=day + dt.timedelta(days=1))
        return calc.caseload_json(caseload_result_on_date(inputs, day))
    if date_from is None or date_to is None:  # for the type checker; excluded above
        raise ValueError("give either day, or date_from and date_to")
    if date_to <= date_from:
        raise ValueError("the period is empty: 'to' must be after 'from'")
    inputs = caseload_inputs(scope, window_from=date_from, window_to=date_to, logged_from=date_from, logged_to=date_to)
    return calc.caseload_json(caseload_result_for_period(inputs, date_from, date_to))


# --- Figures from the shared cache (issue 16) --------------------------------------------------

# A safety net only: every change of case data moves the version the keys carry (``core.services.
# case_data_changed``), so a cached figure is never served after a change it did not see.
CACHE_SECONDS: Final = 600

_T = TypeVar("_T")


def cached_for_organisation(
    organisation_id: int | None, name: str, parts: tuple[object, ...], compute: Callable[[], _T]
) -> _T:
    """``compute()``, kept in the shared cache under the organisation's case-data version: a team
    lead's repeated views cost a cache read, and a change of the organisation's data makes the
    next view compute afresh. The version is read before computing, so a change that commits
    meanwhile leaves the result under a key no one asks for again. None: not cached."""
    if organisation_id is None:
        return compute()
    version = case_data_version(organisation_id)
    key = f"caseload:{name}:{organisation_id}:{version}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    found = cache.get(key)
    if found is not None:
        return cast(_T, found)
    value = compute()
    cache.set(key, value, CACHE_SECONDS)
    return value


def caseload_for_user(
    *,
    user: User,
    scope: CaseloadScope,
    day: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, object]:
    """``caseload_for_scope`` of a user's scope (their organisation only), from the shared cache."""
    return cached_for_organisation(
        user.organisation_id,
        "document",
        (scope, day, date_from, date_to),
        lambda: caseload_for_scope(scope=scope, day=day, date_from=date_from, date_to=date_to),
    )


@dataclass(frozen=True)
class TeamFigures:
    """The team dashboard's figures (aggregates only): the caseload JSON at the reference day and
    over the logged-hours period, and each worker's pk and name by external id."""

    at_day: dict[str, object]
    over_period: dict[str, object]
    people: dict[str, tuple[int, str]]


def team_figures(*, team: Team, day: dt.date, date_from: dt.date, date_to: dt.date) -> TeamFigures:
    """The team's caseload at ``day`` and over ``[date_from, date_to)`` from one ``caseload_inputs``,
    from the shared cache (a team lead's repeated views cost a cache read)."""

    def compute() -> TeamFigures:
        inputs = caseload_inputs(
            CaseloadScope(team_ids=(team.pk,)),
            window_from=date_from,
            window_to=date_to,
            logged_from=date_from,
            logged_to=date_to,
        )
        return TeamFigures(
            at_day=calc.caseload_json(caseload_result_on_date(inputs, day)),
            over_period=calc.caseload_json(caseload_result_for_period(inputs, date_from, date_to)),
            people={
                str(row.external_id): (int(row.worker_id), str(row.name))
                for row in inputs.workers.loc[:, ["worker_id", "external_id", "name"]].itertuples()
            },
        )

    return cached_for_organisation(team.organisation_id, "team", (team.pk, day, date_from, date_to), compute)


def team_chart_months(*, team: Team, day: dt.date) -> list[MonthLoad]:
    """``team_load_by_month`` of one team around ``day`` (the dashboard's chart), from the shared cache."""

    def compute() -> list[MonthLoad]:
        chart_from, chart_to = chart_window(day)
        inputs = caseload_inputs(CaseloadScope(team_ids=(team.pk,)), window_from=chart_from, window_to=chart_to)
        return team_load_by_month(inputs, day=day)

    return cached_for_organisation(team.organisation_id, "chart", (team.pk, day), compute)


# --- The team's load per month (dashboard chart) ---------------------------------------------


@dataclass(frozen=True)
class MonthLoad:
    """The team's expected hours and capacity in one calendar month (unrounded)."""

    month: dt.date  # the first day of the month
    expected_hours: float
    capacity_hours: float
    projected: bool  # the month lies (partly) after the reference day


def chart_window(day: dt.date, *, months_back: int = 12, months_ahead: int = 3) -> tuple[dt.date, dt.date]:
    """``[first day of the month months_back - 1 before day's, first day after months_ahead)``.

    With the defaults: the 12 months up to and including the day's month, and the next 3.
    """
    this_month = day.replace(day=1)
    return this_month - relativedelta(months=months_back - 1), this_month + relativedelta(months=months_ahead + 1)


def team_load_by_month(
    inputs: CaseloadInputs, *, day: dt.date, months_back: int = 12, months_ahead: int = 3
) -> list[MonthLoad]:
    """Expected hours against capacity of all workers of the inputs, per calendar month.

    Per month ``[m, next m)``: expected hours and capacity as in SPEC.md 3's period mode (the
    engine's own functions), summed over the scope's workers. The rest of ``day``'s month uses
    ``calculations.projected_periods`` (running periods end at the approach's expected duration);
    the months after it the load forecast with intake (``caseload.forecast``, from the
    organisation's own stays and meldingen). The inputs' window must cover the chart window.
    """
    first, end = chart_window(day, months_back=months_back, months_ahead=months_ahead)
    if first < inputs.window_from or end > inputs.window_to:
        raise ValueError("the chart window lies outside the fetched window")
    months = [first + relativedelta(months=i) for i in range(months_back + months_ahead)]
    bounds = [*months, end]
    expected = np.zeros(len(months))
    capacity = np.zeros(len(months))
    for org in inputs.organisations:
        settings = org.settings.caseload
        # The projection starts from what was known on ``day`` (a change dated later would cut a
        # running role run in two and make its open piece look new).
        load_bearing = calc.load_bearing_periods(org.periods_as_of(day), settings)
        load_bearing = calc.projected_periods(load_bearing, day, settings)
        mine = load_bearing.loc[load_bearing["worker_id"].isin(org.workers["worker_id"])]
        starts, ends = mine["start_day"].to_numpy(), mine["end_day"].to_numpy()
        hours = mine["hours_per_year"].to_numpy(dtype=np.float64)
        fte = org.fte_periods.loc[org.fte_periods["worker_id"].isin(org.workers["worker_id"])]
        for index, (month_from, month_to) in enumerate(itertools.pairwise(bounds)):
            days = calc.overlap_days(starts, ends, calc.day_number(month_from), calc.day_number(month_to))
            expected[index] += float(calc.expected_hours_in_period(hours, days).sum())
        # Capacity is linear in the fte-days: the months' totals at once.
        capacity += calc.capacity_hours_for_period(calc.fte_days_in_windows(fte, bounds), settings)
    this_month = day.replace(day=1)
    # The months after the day's month: the forecast with intake (issue 17) instead of the
    # projection above, which lets every youth leave and nobody arrive.
    future = [index for index, month in enumerate(months) if month > this_month]
    if future:
        windows = [(months[index], bounds[index + 1]) for index in future]
        team_of_worker = inputs.workers.set_index("worker_id")["team_id"]
        expected[future] = 0.0
        for org in inputs.organisations:
            result = _forecast_for_organisation(org, team_of_worker, day=day, horizon=(end - day).days)
            figures = forecast.window_figures(result, windows, np.zeros(len(result.workers), dtype=object))
            if len(figures.expected):
                expected[future] += figures.expected[0]
    return [
        MonthLoad(month=month, expected_hours=float(e), capacity_hours=float(c), projected=month > this_month)
        for month, e, c in zip(months, expected, capacity, strict=True)
    ]


# --- The dashboard's "move a youth" choices ---------------------------------------------------


@dataclass(frozen=True)
class MovableYouth:
    """A youth a team lead may move: the trajectory and its load-bearing period covering the day."""

    trajectory: Trajectory
    worker_id: int
    role: str


def movable_youths(*, user: User, worker_ids: Iterable[int], day: dt.date) -> list[MovableYouth]:
    """Youths of these workers with a load-bearing period covering ``day``, visible to ``user``.

    One query; only for a user who may move youths (core.access), and only trajectories they may
    see (a team lead: their teams'). The names these give are a read of case contents: the page
    that shows them logs it (``caseload.services.team_dashboard_read_log``).
    """
    ids = sorted(set(worker_ids))
    if not ids or not access.has(user, Capability.MOVE_YOUTHS):
        return []
    periods = (
        Period.objects.filter(_load_bearing_q(), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .filter(trajectory__in=trajectories_visible_to(user).values("pk"))
        .annotate(effective_worker_id=period_effective_worker())
        .filter(effective_worker_id__in=ids)
        .select_related("trajectory__youth", "trajectory__approach")
        .order_by("trajectory__youth__last_name", "trajectory__youth__first_name", "trajectory_id")
    )
    return [
        MovableYouth(trajectory=period.trajectory, worker_id=period.effective_worker_id, role=period.role)  # type: ignore[attr-defined]
        for period in periods
    ]


# --- "Mijn caseload": the caseload engine applied to one worker's trajectories -------------------


@dataclass(frozen=True)
class CaseloadRow:
    """One line of "Mijn caseload"."""

    trajectory: Trajectory
    period: Period | None
    role_since: dt.date | None
    days_in_role: int | None
    last_contact: dt.date | None
    open_follow_ups: int
    long_in_role: bool
    # The open durability checks themselves (due, unanswered), oldest first, to answer inline.
    open_checks: tuple[FollowUp, ...] = ()
    # The worker's next step is due: today or overdue (SPEC §1 "next action").
    next_action_due: bool = False


def _role_runs(
    trajectories: list[Trajectory], on: dt.date, settings: calc.CaseloadSettings
) -> dict[int, tuple[dt.date, int, bool]]:
    """Per trajectory: (run start, days in role, long in role) on `on`, by the caseload engine's
    own rule (SPEC §3 long_in_role), from the prefetched periods; no query."""
    rows = [
        {
            "trajectory_id": trajectory.pk,
            "youth_id": trajectory.youth_id,
            "worker_id": period_effective_worker_id(period),
            "approach_id": trajectory.approach_id,
            "phase": period.phase,
            "role": period.role,
            "start": period.start_date,
            "end": period.end_date,
            "complexity": trajectory.youth.complexity,
        }
        for trajectory in trajectories
        for period in trajectory.periods.all()
    ]
    if not rows:
        return {}
    runs = calc.role_runs_on(calc.load_bearing_periods(pd.DataFrame(rows), settings), on, settings)
    return {
        int(trajectory_id): (calc.date_of_day_number(start), int(days), bool(long))
        for trajectory_id, start, days, long in zip(
            runs["trajectory_id"], runs["run_start_day"], runs["days_in_role"], runs["long_in_role"], strict=True
        )
    }


def worker_caseload_rows(*, worker: Worker, on: dt.date, settings: calc.CaseloadSettings) -> list[CaseloadRow]:
    """The worker's open trajectories on `on` with phase, role, days in role, last contact and
    open follow-ups, in a bounded number of queries whatever the caseload size. `settings` are the
    worker's organisation's (norms, expected durations per approach, the long-in-role factor)."""
    # The trajectories with a period of this worker covering ``on`` (two index scans: periods that
    # name the worker, and periods that follow a trajectory of the worker), and the worker's own
    # trajectories without any period; no join that fans out, no DISTINCT, no per-row subquery.
    covering = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))
    named = Period.objects.filter(covering, worker_id=worker.pk).values("trajectory_id")
    followed = Period.objects.filter(covering, worker__isnull=True, trajectory__worker_id=worker.pk).values(
        "trajectory_id"
    )
    without_periods = Q(worker_id=worker.pk) & ~Exists(Period.objects.filter(trajectory_id=OuterRef("pk")))
    trajectories = list(
        Trajectory.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)
        .filter(Q(pk__in=named) | Q(pk__in=followed) | without_periods)
        .select_related("youth", "approach", "worker")
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("start_date")))
    )
    ids = [trajectory.pk for trajectory in trajectories]
    # Last direct contact per trajectory: one GROUP BY over the time entries of these trajectories.
    last_contacts = dict(
        TimeEntry.objects.filter(trajectory_id__in=ids, category=TimeCategory.CLIENT_DIRECT, date__lte=on)
        .order_by()
        .values("trajectory_id")
        .annotate(last=Max("date"))
        .values_list("trajectory_id", "last")
    )
    open_checks: dict[int, list[FollowUp]] = {}
    for check in (
        FollowUp.objects.filter(outcome__trajectory__in=ids, answer="", due_date__lte=on)
        .select_related("outcome")
        .order_by("due_date", "pk")
    ):
        open_checks.setdefault(check.outcome.trajectory_id, []).append(check)
    runs = _role_runs(trajectories, on, settings)
    rows = []
    for trajectory in trajectories:
        period = current_period(trajectory, on)
        role_since, days, long_in_role = runs.get(trajectory.pk, (None, None, False))
        rows.append(
            CaseloadRow(
                trajectory=trajectory,
                period=period,
                role_since=role_since,
                days_in_role=days,
                last_contact=last_contacts.get(trajectory.pk),
                open_follow_ups=len(open_checks.get(trajectory.pk, ())),
                long_in_role=long_in_role,
                open_checks=tuple(open_checks.get(trajectory.pk, ())),
                next_action_due=bool(trajectory.next_action)
                and trajectory.next_action_on is not None
                and trajectory.next_action_on <= on,
            )
        )
    return rows


# --- Norms learned from the hours (issue 17) --------------------------------------------------------


def _client_minutes_by_month(scope: CaseloadScope, date_from: dt.date, date_to: dt.date) -> pd.DataFrame:
    """Client minutes of the scope's workers in ``[from, to)``, one GROUP BY worker, month, category;
    ``date`` is the month's first day inside the window."""
    rows = list(
        _restrict_to_scope(
            TimeEntry.objects.filter(
                date__gte=date_from, date__lt=date_to, category__in=list(calibration.CLIENT_CATEGORIES)
            ),
            scope,
            "worker_id",
        )
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("worker_id", "month", "category")
        .annotate(total=Sum("minutes"))
        .values_list("worker_id", "month", "category", "total")
    )
    return pd.DataFrame(
        [(worker, max(month, date_from), category, total) for worker, month, category, total in rows],
        columns=["worker_id", "date", "category", "minutes"],
    )


def norms_calibration_for_scope(
    *,
    scope: CaseloadScope,
    date_from: dt.date,
    date_to: dt.date,
    resamples: int = calibration.RESAMPLES,
    organisation_id: int | None = None,
) -> dict[str, object]:
    """``calibrate_norms``' JSON (issue 17): the norms estimated from the scope's logged client hours
    and youth-years over ``[date_from, date_to)``, beside the norms in use (of the organisation, when
    the scope has one; null otherwise)."""
    inputs = caseload_inputs(scope, window_from=date_from, window_to=date_to)
    organisations = inputs.organisations
    settings = organisations[0].settings.caseload if organisations else calc.DEFAULT_SETTINGS
    current: dict[str, float | None] = dict.fromkeys(calc.ROLES)
    if not organisations and organisation_id is not None:  # a scope without workers: the user's norms
        settings = organisation_settings([organisation_id])[organisation_id].caseload
    if len(organisations) == 1 or (not organisations and organisation_id is not None):
        # The norms in use on the window's last day (a norm adopted later is not yet "current").
        in_use = calc.settings_on(settings, date_to - dt.timedelta(days=1))
        current = {role: float(in_use.norm_hours[role]) for role in calc.ROLES}
    # Only the scope's workers: a trajectory handed over to another team brings that team's periods.
    periods = (
        pd.concat(
            [org.periods.loc[org.periods["worker_id"].isin(org.workers["worker_id"])] for org in organisations],
            ignore_index=True,
        )
        if organisations
        else pd.DataFrame()
    )
    if periods.empty:
        periods = pd.DataFrame(columns=list(calc.PERIOD_COLUMNS))
    result = calibration.calibrate(
        periods=periods,
        logged=_client_minutes_by_month(scope, date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        settings=settings,
        current=current,
        resamples=resamples,
    )
    return calibration.calibration_json(result)


def norm_changes_for(user: User) -> QuerySet[NormChange]:
    """The norms adopted in the user's organisation (issue 17, item 1), newest first."""
    if user.organisation_id is None:
        return NormChange.objects.none()
    return (
        NormChange.objects.filter(organisation_id=user.organisation_id)
        .select_related("approach", "recorded_by")
        # The organisation's own norm first on every database (PostgreSQL sorts NULL last).
        .order_by("-valid_from", F("approach__name").asc(nulls_first=True), "-pk")
    )


# --- Stepping down on time (issue 17) ----------------------------------------------------------------


@dataclass(frozen=True)
class StepDownRow:
    """A step-down candidate with its trajectory (youth, worker, approach selected) for the page."""

    trajectory: Trajectory
    candidate: advice.StepDown
    role_since: dt.date
    role_label: str


def step_down_for_team(*, team_id: int, day: dt.date, settings: calc.CaseloadSettings) -> list[StepDownRow]:
    """The team's youths whose running coaching/uitvoering period looks like monitoring in the
    logged direct time of the last 8 weeks (``caseload.advice``); three queries whatever the size.
    The window counts from the running period's start (after a handover: from the handover)."""
    covering = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))
    periods = list(
        Period.objects.filter(covering, _load_bearing_q(), role__in=advice.STEP_DOWN_ROLES)
        .filter(start_date__lte=day - dt.timedelta(days=advice.WINDOW_DAYS))
        .filter(Q(worker__team_id=team_id) | Q(worker__isnull=True, trajectory__worker__team_id=team_id))
        .select_related("trajectory__youth", "trajectory__worker", "trajectory__approach", "worker")
    )
    ids = [period.trajectory_id for period in periods]
    direct = dict(
        TimeEntry.objects.filter(
            trajectory_id__in=ids,
            category=TimeCategory.CLIENT_DIRECT,
            date__gte=day - dt.timedelta(days=advice.WINDOW_DAYS),
            date__lt=day,
        )
        .order_by()
        .values("trajectory_id")
        .annotate(total=Sum("minutes"))
        .values_list("trajectory_id", "total")
    )
    by_trajectory = {period.trajectory_id: period for period in periods}
    complexity = complexities_on([period.trajectory.youth for period in periods], day)
    candidates = advice.step_down_candidates(
        (
            advice.RunningRole(
                trajectory_id=period.trajectory_id,
                worker_id=period_effective_worker_id(period),
                approach_id=period.trajectory.approach_id,
                role=period.role,
                role_since=period.start_date,
                complexity=complexity[period.trajectory.youth_id],
                direct_minutes=int(direct.get(period.trajectory_id, 0)),
            )
            for period in periods
        ),
        day,
        settings,
    )
    return [
        StepDownRow(
            trajectory=by_trajectory[item.trajectory_id].trajectory,
            candidate=item,
            role_since=by_trajectory[item.trajectory_id].start_date,
            role_label=by_trajectory[item.trajectory_id].get_role_display(),
        )
        for item in candidates
    ]


# --- Rebalancing advice (issue 17) -------------------------------------------------------------------

FIXED_WORKER_ELEMENT = "vaste begeleider"  # the werkzaam element that ties a youth to their worker


@dataclass(frozen=True)
class RebalanceAdvice:
    moves: list[advice.Move]
    trajectories: dict[int, Trajectory]
    workers: dict[int, Worker]
    outside_before: float  # the team's hours per year outside the band, before and after
    outside_after: float


def rebalance_advice_for_team(*, user: User, team: Team, day: dt.date) -> RebalanceAdvice:
    """Moves that bring the team's workers closest to the band (``caseload.advice.rebalance``), from
    the engine's figures at ``day`` and the youths the team lead may move; a bounded number of
    queries. A youth with the werkzaam element "vaste begeleider" counts as having a fixed worker."""
    settings = organisation_settings([team.organisation_id])[team.organisation_id].caseload
    scope = CaseloadScope(team_ids=(team.pk,))
    document = calc.caseload_json(
        caseload_result_on_date(caseload_inputs(scope, window_from=day, window_to=day + dt.timedelta(days=1)), day)
    )
    workers = {worker.external_id: worker for worker in Worker.objects.filter(team=team)}
    loads = [
        advice.WorkerLoad(
            workers[row["worker_id"]].pk, float(row["capacity_hours"] or 0), float(row["expected_hours"] or 0)
        )
        for row in cast(list[dict[str, Any]], document["workers"])
        if row["worker_id"] in workers
    ]
    movable = movable_youths(user=user, worker_ids=[load.worker_id for load in loads], day=day)
    fixed = set(
        Trajectory.working_elements.through.objects.filter(
            trajectory_id__in=[youth.trajectory.pk for youth in movable],
            workingelement__name__iexact=FIXED_WORKER_ELEMENT,
        ).values_list("trajectory_id", flat=True)
    )
    complexity = complexities_on([youth.trajectory.youth for youth in movable], day)
    settings = calc.settings_on(settings, day)  # the norms that hold on the day
    youths = [
        advice.YouthLoad(
            trajectory_id=youth.trajectory.pk,
            worker_id=youth.worker_id,
            role=youth.role,
            hours_per_year=advice.norm_hours(youth.role, youth.trajectory.approach_id, settings)
            * advice.complexity_weight(complexity[youth.trajectory.youth_id], settings),
            fixed=youth.trajectory.pk in fixed,
        )
        for youth in movable
    ]
    low, high = settings.underload_threshold, settings.overload_threshold
    moves = advice.rebalance(loads, youths, low=low, high=high)
    after = {load.worker_id: load.expected_hours for load in loads}
    for move in moves:
        after[move.from_worker] -= move.hours_per_year
        after[move.to_worker] += move.hours_per_year
    return RebalanceAdvice(
        moves=moves,
        trajectories={youth.trajectory.pk: youth.trajectory for youth in movable},
        workers={worker.pk: worker for worker in workers.values()},
        outside_before=sum(advice.hours_outside_band(w.expected_hours, w.capacity_hours, low, high) for w in loads),
        outside_after=sum(advice.hours_outside_band(after[w.worker_id], w.capacity_hours, low, high) for w in loads),
    )


def team_advice_document(*, user: User, team: Team, day: dt.date) -> dict[str, Any]:
    """``GET /api/v1/caseload/advice/``: the team's step-down candidates and rebalancing moves on
    ``day`` by keys (youths, workers), hours rounded as the caseload JSON (half up). The caller logs
    the read: it names youths."""
    settings = organisation_settings([team.organisation_id])[team.organisation_id].caseload
    step_down = step_down_for_team(team_id=team.pk, day=day, settings=settings)
    advice_ = rebalance_advice_for_team(user=user, team=team, day=day)
    keys = {worker.pk: worker.external_id for worker in advice_.workers.values()}
    return {
        "team": team.name,
        "date": day.isoformat(),
        "step_down": [
            {
                "trajectory": item.trajectory.pk,
                "youth_key": item.trajectory.youth.external_id,
                "worker_id": keys.get(item.candidate.worker_id, str(item.candidate.worker_id)),
                "role": item.candidate.role,
                "direct_hours": calc.round_half_up(item.candidate.direct_hours, 2),
                "monitoring_hours": calc.round_half_up(item.candidate.monitoring_hours, 2),
                "hours_freed_per_year": calc.round_half_up(item.candidate.hours_freed_per_year, 1),
            }
            for item in step_down
        ],
        "moves": [
            {
                "trajectory": move.trajectory_id,
                "youth_key": advice_.trajectories[move.trajectory_id].youth.external_id,
                "from_worker": keys[move.from_worker],
                "to_worker": keys[move.to_worker],
                "role": move.role,
                "hours_per_year": calc.round_half_up(move.hours_per_year, 1),
            }
            for move in advice_.moves
        ],
        "hours_outside_band_before": calc.round_half_up(advice_.outside_before, 1),
        "hours_outside_band_after": calc.round_half_up(advice_.outside_after, 1),
    }


# --- A load forecast that knows intake (issue 17) ------------------------------------------------


def _history_periods_frame(organisation_id: int, history_from: dt.date, day: dt.date) -> pd.DataFrame:
    """The periods of every phase (afgesloten too: it ends a trajectory) of the organisation's
    trajectories alive in ``[history_from, day]``, started on or before ``day``, in one query."""
    condition = Q(trajectory__organisation_id=organisation_id, trajectory__start_date__lte=day, start_date__lte=day) & (
        Q(trajectory__end_date__isnull=True) | Q(trajectory__end_date__gte=history_from)
    )
    queryset = (
        Period.objects.filter(condition)
        .annotate(
            effective_worker_id=period_effective_worker(),
            start_day=DayNumber("start_date"),
            end_day=Coalesce(DayNumber("end_date"), Value(OPEN)),
            phase_code=_code("phase", PHASES),
            role_code=_code("role", calc.ROLES, blank_allowed=True),
            complexity_code=_code("trajectory__youth__complexity", calc.COMPLEXITIES, blank_allowed=True),
        )
        .order_by()
        .values_list(*_PERIOD_COLUMNS)
    )
    table = _fetch_ints(queryset, _PERIOD_COLUMNS)
    return _periods_table_frame(table)


_START_COLUMNS = ("pk", "approach_id", "worker__team_id", "start_day", "complexity_code")


def _starts_frame(organisation_id: int, history_from: dt.date, day: dt.date) -> pd.DataFrame:
    """The meldingen: the organisation's trajectories started in ``[history_from, day)``, with the
    team of their responsible worker, in one query."""
    table = _fetch_ints(
        Trajectory.objects.filter(organisation_id=organisation_id, start_date__gte=history_from, start_date__lt=day)
        .annotate(
            start_day=DayNumber("start_date"),
            complexity_code=_code("youth__complexity", calc.COMPLEXITIES, blank_allowed=True),
        )
        .order_by()
        .values_list(*_START_COLUMNS),
        _START_COLUMNS,
    )
    return pd.DataFrame(
        {
            "trajectory_id": table[:, 0],
            "approach_id": table[:, 1],
            "team": table[:, 2],
            "start": _dates(table[:, 3]),
            "complexity": _categorical(table[:, 4], calc.COMPLEXITIES, "complexity"),
        }
    )


def _forecast_for_organisation(
    org: OrganisationInputs,
    team_of_worker: pd.Series,
    *,
    day: dt.date,
    horizon: int,
    what_if: forecast.WhatIf | None = None,
) -> forecast.Forecast:
    """``forecast.load_forecast`` for the scope's workers of one organisation (``org`` of
    ``caseload_inputs``, whose window reaches ``day + horizon`` for the fte periods), with the
    organisation's history: two queries (periods, meldingen). Teams are labelled by id."""
    history_from = day - dt.timedelta(days=forecast.HISTORY_DAYS)
    organisation_id = org.settings.organisation_id
    changes = org.complexity_changes
    periods = _history_periods_frame(organisation_id, history_from, day)
    if changes is not None and not changes.empty:
        known = changes["valid_from"].isna() | (pd.to_datetime(changes["valid_from"]) <= pd.Timestamp(day))
        periods = calc.split_at_complexity_changes(periods, changes.loc[known])
    workers = pd.DataFrame(
        {
            "worker_id": org.workers["worker_id"].to_numpy(),
            "team": team_of_worker.reindex(org.workers["worker_id"].to_numpy()).to_numpy(),
        }
    )
    return forecast.load_forecast(
        periods=periods,
        starts=_starts_frame(organisation_id, history_from, day),
        workers=workers,
        fte_periods=org.fte_periods,
        day=day,
        horizon=horizon,
        settings=org.settings.caseload,
        history_from=history_from,
        what_if=what_if,
    )


def forecast_inputs(scope: CaseloadScope, *, day: dt.date, horizon: int) -> CaseloadInputs:
    """What the forecast needs besides the history, per organisation: the scope's workers, their
    fte periods up to the horizon, the settings and the complexity changes (six queries; not the
    load-bearing periods of ``caseload_inputs``: the history holds them)."""
    workers = _workers_frame(scope)
    window_to = day + dt.timedelta(days=horizon)
    if scope.is_empty or workers.empty:
        return CaseloadInputs(scope, day, window_to, None, None, workers)
    settings = organisation_settings(int(value) for value in workers["organisation_id"].unique())
    fte_periods = _fte_frame(scope, window_to)
    changes = _complexity_changes_frame(settings)
    no_periods = pd.DataFrame(columns=list(calc.PERIOD_COLUMNS))
    per_organisation = []
    for organisation_id, org_settings in sorted(settings.items()):
        org_workers = workers.loc[workers["organisation_id"] == organisation_id, ["worker_id", "team"]]
        per_organisation.append(
            OrganisationInputs(
                settings=org_settings,
                workers=org_workers.reset_index(drop=True),
                periods=no_periods,
                fte_periods=fte_periods.loc[fte_periods["worker_id"].isin(org_workers["worker_id"])].reset_index(
                    drop=True
                ),
                logged_minutes=None,
                complexity_changes=changes,
            )
        )
    return CaseloadInputs(scope, day, window_to, None, None, workers, tuple(per_organisation))


@dataclass(frozen=True)
class TeamForecast:
    """A team's forecast with what the page needs to name its rows."""

    team: Team
    forecast: forecast.Forecast
    document: dict[str, Any]
    worker_names: dict[str, str]  # external id: name
    approach_names: dict[Hashable, str]


def team_forecast(*, team: Team, day: dt.date, weeks: int, what_if: forecast.WhatIf | None = None) -> TeamForecast:
    """The load forecast of one team (issue 17): its workers' and its own expected hours per week
    against capacity for ``weeks`` weeks from ``day``, with the stays and meldingen behind it, as
    ``forecast.forecast_json`` (workers by external id, the team and approaches by name). Aggregates
    only: it names no youth. A bounded number of queries whatever the team's or history's size."""
    horizon = 7 * weeks
    inputs = forecast_inputs(CaseloadScope(team_ids=(team.pk,)), day=day, horizon=horizon)
    team_of_worker = inputs.workers.set_index("worker_id")["team_id"]
    approach_names: dict[Hashable, str] = dict(
        Approach.objects.filter(organisation_id=team.organisation_id).values_list("pk", "name")
    )
    if inputs.organisations:
        result = _forecast_for_organisation(
            inputs.organisations[0], team_of_worker, day=day, horizon=horizon, what_if=what_if
        )
    else:  # a team without workers: nothing in care, no capacity
        settings = organisation_settings([team.organisation_id])[team.organisation_id].caseload
        result = forecast.load_forecast(
            periods=pd.DataFrame(columns=list(calc.PERIOD_COLUMNS)),
            starts=pd.DataFrame(columns=["trajectory_id", "approach_id", "team", "start", "complexity"]),
            workers=pd.DataFrame({"worker_id": [], "team": []}),
            fte_periods=pd.DataFrame({"worker_id": [], "start": [], "fte": []}),
            day=day,
            horizon=horizon,
            settings=settings,
            what_if=what_if,
        )
    keys = dict(zip(inputs.workers["worker_id"].tolist(), inputs.workers["external_id"].tolist(), strict=True))
    document = forecast.forecast_json(
        result, weeks, worker_keys=keys, approach_names=approach_names, team_names={team.pk: team.name}
    )
    document["team"] = team.name
    return TeamForecast(
        team=team,
        forecast=result,
        document=document,
        worker_names=dict(zip(inputs.workers["external_id"].tolist(), inputs.workers["name"].tolist(), strict=True)),
        approach_names=approach_names,
    )


def team_workers(team: Team) -> list[Worker]:
    """The team's workers by name, for the what-if "a worker leaves or changes fte"."""
    return list(Worker.objects.filter(team=team).order_by("name", "pk"))


def forecast_what_if(
    *,
    team: Team,
    extra_month: dt.date | None = None,
    extra_meldingen: float = 0,
    worker_key: str = "",
    worker_fte: float | None = None,
    worker_from: dt.date | None = None,
    norm_hours: dict[str, float] | None = None,
) -> forecast.WhatIf:
    """The page's and the API's what-ifs as ``forecast.WhatIf``: extra meldingen in a month, a
    worker of the team (by external id) at another fte from a day (0: leaves), other norms.
    A worker outside the team is an error on ``worker`` (one query only when a worker is named)."""
    changes: tuple[forecast.FteChange, ...] = ()
    if worker_key and worker_fte is not None and worker_from is not None:
        worker = Worker.objects.filter(team=team, external_id=worker_key).first()
        if worker is None:
            raise ApplicationError(_("Onbekende begeleider."), fields={"worker": [_("Geen begeleider van dit team.")]})
        changes = (forecast.FteChange(worker.pk, worker_from, float(worker_fte)),)
    extra = {extra_month.replace(day=1): float(extra_meldingen)} if extra_month and extra_meldingen else {}
    return forecast.WhatIf(extra_meldingen=extra, fte_changes=changes, norm_hours=dict(norm_hours or {}))
