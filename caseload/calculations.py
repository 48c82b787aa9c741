"""The caseload engine: pure functions for SPEC.md section 3, "Caseload and productive hours".

No Django and no ORM here: selectors feed plain DataFrames in, the engine hands DataFrames and
JSON-ready dicts back. Everything is vectorised over periods (numpy/pandas), so one run over
~2,000 workers and ~600,000 periods has no Python loop per period; the only Python loops run once
per worker or team (flags, JSON).

Inputs (column names are the contract with the selectors):

- ``periods``: ``trajectory_id, youth_id, worker_id, approach_id, phase, role, start, end,
  complexity``. ``worker_id`` is the *effective* worker (the period's own worker, else the
  trajectory's worker; the caller resolves that). ``role`` None/NaN/"" means no role. ``start`` and
  ``end`` are dates (``datetime.date``, datetime64 or ISO strings); ``end`` None/NaT means open.
  ``complexity`` is the youth's complexity (licht, meervoudig, complex; None = unknown).
- ``fte_periods``: ``worker_id, start, fte`` (one row per fte period).
- ``logged_minutes``: ``worker_id, category, minutes``: the time entries dated in [from, to),
  already summed by the SQL caller (several rows per worker and category are summed again here).
- ``workers``: ``worker_id, team`` (team name or id; None = in no team). This frame is the scope
  of a run: rows of the other inputs whose worker is not in it are ignored, so ``--team T`` is a
  matter of passing that team's workers. The one exception is on purpose: a long-in-role run may
  have started with a worker outside the scope (a handover from another team) and still counts.

Settings: one ``CaseloadSettings`` per call, that is one organisation's configuration (its norms,
factors, thresholds and per-approach overrides). Callers with workers of several organisations
call the engine once per organisation.

Decisions where SPEC.md is silent (each is pinned by a test):

- Days are calendar days; a year has 365 days for every rate "per year" (also in leap years),
  exactly as the formulas in section 3 are written.
- Periods whose end is on or before their start cover no day and are dropped.
- A period in phase "time-out" never carries load, even if the data gives it a role: section 2
  says a time-out has no role. With valid data this is the same as the plain rule.
- Unknown complexity (None/"") weighs with factor 1.0; an unknown code is an error.
- A long-in-role run is built from load-bearing periods only (a period in aanmelding/afgesloten,
  without a role or in time-out interrupts it); the run goes on across a handover (the youth stays
  in the same role on the same trajectory) and is counted for the worker whose load-bearing period
  covers the evaluation day. ``days_in_role = evaluation day - run start`` in whole days: the run's
  first day counts as day 0, so the evaluation day itself is not counted. The flag needs
  ``days_in_role > long_in_role_factor * expected_duration_days`` (default 1.5 * 182 = 273): a run
  that starts on 2025-01-01 has 273 days on 2025-10-01 (not flagged) and 274 on 2025-10-02
  (flagged). In period mode the evaluation day is the period's last day, ``to - 1 day``.
- ``youths_per_fte_year`` in date mode uses the same formula with that mode's capacity, which is
  ``youths_served / fte(d)``.
- Rounding happens only in the JSON builders, with round-half-up on the decimal representation of
  the float (``round_half_up``): 0.15 becomes 0.2 where Python's ``round`` gives 0.1. Flags are
  evaluated on unrounded values.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from core import formats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ROLES: Final = ("coaching", "uitvoering", "regie", "monitoring")
CATEGORIES: Final = ("client_direct", "client_indirect", "overhead")
COMPLEXITIES: Final = ("licht", "meervoudig", "complex")
FLAGS: Final = ("overload", "underload", "overhead", "long_in_role")
# Phases that carry no load whatever their role; time-out because it has no role (section 2).
NO_LOAD_PHASES: Final = frozenset({"aanmelding", "afgesloten", "time-out"})
LONG_IN_ROLE_ROLES: Final = ("coaching", "uitvoering")
DAYS_PER_YEAR: Final = 365

# Dates are handled as int64 day numbers (days since 1970-01-01): exact, and fast in numpy.
_EPOCH: Final = dt.date(1970, 1, 1)
# An open end lies after every real day, and is far from int64 overflow in subtractions.
OPEN_END: Final = np.int64(2**62)

HOURS_PLACES: Final = 1
RATIO_PLACES: Final = 3


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


def _default_norms() -> Mapping[str, float]:
    return _frozen({"coaching": 40.0, "uitvoering": 40.0, "regie": 12.0, "monitoring": 8.0})


def _default_complexity_factors() -> Mapping[str, float]:
    return _frozen(dict.fromkeys(COMPLEXITIES, 1.0))


def _no_norms() -> Mapping[str, float]:
    return _frozen({})


def _no_overrides() -> Mapping[Hashable, ApproachOverride]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ApproachOverride:
    """An approach's own norms and expected duration (SPEC.md section 3: "overridable per approach").

    Roles missing from ``norm_hours`` and ``expected_duration_days=None`` fall back to the
    organisation's ``CaseloadSettings``.
    """

    norm_hours: Mapping[str, float] = field(default_factory=_no_norms)
    expected_duration_days: float | None = None

    def __post_init__(self) -> None:
        _check_norms(self.norm_hours, complete=False)
        if self.expected_duration_days is not None and self.expected_duration_days <= 0:
            raise ValueError("expected_duration_days must be positive")
        object.__setattr__(self, "norm_hours", _frozen(self.norm_hours))


@dataclass(frozen=True)
class NormChange:
    """A norm adopted from a day on (issue 17, item 1: "recorded with its date and source, so the
    caseload figures from then on use it and the past keeps its own").

    ``norm_hours`` names all four roles. ``approach_id`` None: the organisation's norm from
    ``valid_from``; else that approach's own norm from ``valid_from`` (it overrides the
    organisation's norm as the approach's fixed norm does)."""

    valid_from: dt.date
    norm_hours: Mapping[str, float]
    approach_id: Hashable | None = None

    def __post_init__(self) -> None:
        _check_norms(self.norm_hours, complete=True)
        object.__setattr__(self, "norm_hours", _frozen(self.norm_hours))


@dataclass(frozen=True)
class CaseloadSettings:
    """One organisation's caseload configuration, with the defaults of SPEC.md sections 2 and 3.

    ``approach_overrides`` maps an approach id (as in the periods' ``approach_id`` column) to its
    ``ApproachOverride``. ``norm_changes``: norms adopted from a day on (``NormChange``);
    ``norm_hours`` and the overrides hold before the first of them (``settings_on``).
    """

    productive_hours_per_fte: float = 1200.0
    norm_hours: Mapping[str, float] = field(default_factory=_default_norms)
    complexity_factors: Mapping[str, float] = field(default_factory=_default_complexity_factors)
    overload_threshold: float = 1.10
    underload_threshold: float = 0.80
    overhead_threshold: float = 0.30
    long_in_role_factor: float = 1.5
    expected_duration_days: float = 182.0
    approach_overrides: Mapping[Hashable, ApproachOverride] = field(default_factory=_no_overrides)
    norm_changes: tuple[NormChange, ...] = ()

    def __post_init__(self) -> None:
        if self.productive_hours_per_fte <= 0:
            raise ValueError("productive_hours_per_fte must be positive")
        if self.expected_duration_days <= 0 or self.long_in_role_factor <= 0:
            raise ValueError("expected_duration_days and long_in_role_factor must be positive")
        _check_norms(self.norm_hours, complete=True)
        unknown = set(self.complexity_factors) - set(COMPLEXITIES)
        missing = set(COMPLEXITIES) - set(self.complexity_factors)
        if unknown or missing or any(v < 0 for v in self.complexity_factors.values()):
            raise ValueError(
                f"complexity_factors needs exactly {COMPLEXITIES} with factors >= 0, "
                f"unknown {sorted(unknown)}, missing {sorted(missing)}"
            )
        # Freeze the mappings too, so a settings object can be shared safely.
        object.__setattr__(self, "norm_hours", _frozen(self.norm_hours))
        object.__setattr__(self, "complexity_factors", _frozen(self.complexity_factors))
        object.__setattr__(self, "approach_overrides", MappingProxyType(dict(self.approach_overrides)))
        object.__setattr__(
            self,
            "norm_changes",
            tuple(sorted(self.norm_changes, key=lambda change: (change.valid_from, change.approach_id is not None))),
        )


def settings_on(settings: CaseloadSettings, day: dt.date) -> CaseloadSettings:
    """The settings whose norms hold on ``day`` (issue 17, item 1), without dated changes.

    The organisation's norm is that of its latest change on or before ``day``, else its fixed
    norm; an approach's own norm is that of the approach's latest change on or before ``day``
    (all four roles), else its fixed override. The approach's norm wins over the organisation's,
    as in ``norm_hours_per_year``. Settings without changes come back as they are."""
    if not settings.norm_changes:
        return settings
    norms = settings.norm_hours
    overrides = dict(settings.approach_overrides)
    for change in settings.norm_changes:  # in date order: a later change wins
        if change.valid_from > day:
            break
        if change.approach_id is None:
            norms = change.norm_hours
        else:
            base = overrides.get(change.approach_id, ApproachOverride())
            overrides[change.approach_id] = replace(base, norm_hours=change.norm_hours)
    return replace(settings, norm_hours=norms, approach_overrides=overrides, norm_changes=())


def _check_norms(norms: Mapping[str, float], *, complete: bool) -> None:
    unknown = set(norms) - set(ROLES)
    missing = set(ROLES) - set(norms) if complete else set()
    if unknown or missing or any(hours < 0 for hours in norms.values()):
        raise ValueError(
            f"norm_hours takes the roles {ROLES} with hours >= 0, unknown {sorted(unknown)}, missing {sorted(missing)}"
        )


DEFAULT_SETTINGS: Final = CaseloadSettings()


# --- Dates ---------------------------------------------------------------------------------


def day_number(day: dt.date) -> int:
    """The day number (days since 1970-01-01) of a date; a datetime counts as its date."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return (day - _EPOCH).days


def date_of_day_number(number: int) -> dt.date:
    """The date of a day number (the inverse of ``day_number``)."""
    return _EPOCH + dt.timedelta(days=int(number))


def day_numbers(values: pd.Series, *, column: str, open_allowed: bool) -> IntArray:
    """Day numbers of a column of dates; missing values become ``OPEN_END`` where allowed."""
    days = pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    missing: BoolArray = np.isnat(days)
    numbers: IntArray = days.astype(np.int64)
    if missing.any():
        if not open_allowed:
            raise ValueError(f"column {column!r} has {int(missing.sum())} empty dates")
        numbers = np.where(missing, OPEN_END, numbers)
    return numbers


# --- Periods: load, coverage, overlap, norms -------------------------------------------------


def is_load_bearing(phase: pd.Series, role: pd.Series) -> BoolArray:
    """SPEC.md 3, load-bearing: the period has a role and its phase is not aanmelding/afgesloten.

    A time-out never carries load (section 2: a time-out has no role). Raises ValueError on a
    role that is neither empty nor one of ``ROLES``.
    """
    has_role = role.isin(ROLES).to_numpy(dtype=bool)
    others = role[~has_role]
    blank = others.isna() | (others.astype(str).str.strip() == "")
    if not blank.all():
        unknown = sorted({str(value) for value in others[~blank]})
        raise ValueError(f"unknown role(s) {unknown}; expected one of {ROLES} or empty")
    no_load_phase = phase.isin(NO_LOAD_PHASES).to_numpy(dtype=bool)
    return np.asarray(has_role & ~no_load_phase, dtype=np.bool_)


def covers_day(start: IntArray, end: IntArray, day: int) -> BoolArray:
    """SPEC.md 3: a period covers day d when ``start <= d < end`` (an open end is ``OPEN_END``)."""
    return (start <= day) & (day < end)


def overlap_days(start: IntArray, end: IntArray, date_from: int, date_to: int) -> IntArray:
    """SPEC.md 3, period mode: the days of ``[max(start, a), min(end, b))``, 0 when disjoint."""
    days = np.minimum(end, date_to) - np.maximum(start, date_from)
    return np.asarray(np.maximum(days, 0), dtype=np.int64)


def _role_codes(role: pd.Series) -> IntArray:
    """Each role's index in ``ROLES`` (-1 for no role); categorical and string columns alike."""
    return np.asarray(pd.Categorical(role, categories=ROLES).codes, dtype=np.int64)


def norm_hours_per_year(role: pd.Series, approach_id: pd.Series, settings: CaseloadSettings) -> FloatArray:
    """SPEC.md 3, norm intensity h(role) in hours per youth per year.

    The organisation's norm, overridden by the approach's own norm for that role where one is
    set. Rows without a role get NaN (they carry no load). Looked up by integer codes (role x
    approach), not by a MultiIndex: this runs once per period.
    """
    roles = _role_codes(role)
    has_role = roles >= 0
    norms = np.array([settings.norm_hours[name] for name in ROLES], dtype=np.float64)
    hours = np.where(has_role, norms[np.maximum(roles, 0)], np.nan)
    if settings.approach_overrides:
        approaches = pd.Index(list(settings.approach_overrides))
        table = np.array(
            [
                [override.norm_hours.get(name, np.nan) for name in ROLES]
                for override in settings.approach_overrides.values()
            ],
            dtype=np.float64,
        )
        codes = approaches.get_indexer(approach_id.to_numpy())
        chosen = has_role & (codes >= 0)
        overridden = np.full(len(hours), np.nan)
        overridden[chosen] = table[codes[chosen], roles[chosen]]
        hours = np.where(np.isnan(overridden), hours, overridden)
    return np.asarray(hours, dtype=np.float64)


def complexity_factor(complexity: pd.Series, settings: CaseloadSettings) -> FloatArray:
    """SPEC.md 3, complexity factor f(complexity); an unknown (empty) complexity weighs 1.0."""
    factors = complexity.map(settings.complexity_factors)
    # Only the rows without a factor can be blank or unknown; turning just those into strings keeps
    # this cheap on ~300,000 periods (as in ``is_load_bearing``).
    unmatched = factors.isna().to_numpy(dtype=bool)
    others = complexity[unmatched]
    blank = others.isna() | (others.astype(str).str.strip() == "")
    if not blank.all():
        unknown = sorted({str(value) for value in others[~blank]})
        raise ValueError(f"unknown complexity {unknown}; expected one of {COMPLEXITIES}")
    return np.asarray(factors.fillna(1.0).to_numpy(dtype=np.float64), dtype=np.float64)


def expected_hours_in_period(hours_per_year: FloatArray, days: IntArray) -> FloatArray:
    """SPEC.md 3, period mode: ``h(role) * f(complexity) * overlap_days / 365`` per period."""
    return np.asarray(hours_per_year * days / DAYS_PER_YEAR, dtype=np.float64)


PERIOD_COLUMNS: Final = (
    "trajectory_id",
    "youth_id",
    "worker_id",
    "approach_id",
    "phase",
    "role",
    "start",
    "end",
    "complexity",
)


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}")


def _require_values(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    for column in columns:
        empty = int(frame[column].isna().sum())
        if empty:
            raise ValueError(f"{name}: column {column!r} has {empty} empty value(s)")


COMPLEXITY_CHANGE_COLUMNS: Final = ("youth_id", "valid_from", "complexity")


def split_at_complexity_changes(periods: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """SPEC.md 3: "A youth's complexity can change: each change is recorded with the day from which
    it holds, and a period's load on day d uses the complexity that holds on d (in period mode the
    overlap is split at the change), so re-rating a youth never rewrites the past."

    ``changes`` has ``youth_id, valid_from, complexity``; an empty ``valid_from`` holds from the
    start. A period of a youth with changes is cut at every change day strictly inside it
    (``start < day < end``, an open end is open); each piece keeps the period's other columns and
    weighs with the complexity of the latest change on or before its first day, or the period's
    own complexity before the first dated change when none holds from the start. The pieces are
    back to back, so a role run (``role_runs_on``) chains through them as through the period. Youths
    without changes keep their periods as they are (same rows, same order, first)."""
    _require_columns(changes, COMPLEXITY_CHANGE_COLUMNS, "complexity changes")
    if changes.empty or periods.empty:
        return periods
    affected = periods["youth_id"].isin(changes["youth_id"]).to_numpy(dtype=bool)
    if not affected.any():
        return periods
    from_days = day_numbers(changes["valid_from"], column="valid_from", open_allowed=True)
    history: dict[Any, list[tuple[int, str]]] = {}
    for youth_id, day, complexity in zip(changes["youth_id"], from_days, changes["complexity"], strict=True):
        # "From the start" sorts first.
        history.setdefault(youth_id, []).append((-int(OPEN_END) if day == OPEN_END else int(day), str(complexity)))
    for entries in history.values():
        entries.sort()
    chosen = periods.loc[affected]
    starts = day_numbers(chosen["start"], column="start", open_allowed=False)
    ends = day_numbers(chosen["end"], column="end", open_allowed=True)
    pieces: list[dict[str, Any]] = []
    for record, start, end in zip(chosen.to_dict("records"), starts, ends, strict=True):
        entries = history[record["youth_id"]]
        cuts = [day for day, _ in entries if start < day < end]
        bounds = [int(start), *cuts, int(end)]
        for first, after in itertools.pairwise(bounds):
            holding = [complexity for day, complexity in entries if day <= first]
            pieces.append(
                record
                | {
                    "start": date_of_day_number(first),
                    "end": None if after == OPEN_END else date_of_day_number(after),
                    "complexity": holding[-1] if holding else record["complexity"],
                }
            )
    split = pd.DataFrame(pieces, columns=periods.columns)
    for column in ("start", "end"):
        if np.issubdtype(periods[column].dtype, np.datetime64):
            split[column] = pd.to_datetime(split[column]).astype(periods[column].dtype)
    for column in periods.columns:
        if isinstance(periods[column].dtype, pd.CategoricalDtype):
            split[column] = split[column].astype(periods[column].dtype)
    return pd.concat([periods.loc[~affected], split], ignore_index=True)


def load_bearing_periods(periods: pd.DataFrame, settings: CaseloadSettings) -> pd.DataFrame:
    """The load-bearing periods (SPEC.md 3) with their day numbers and ``hours_per_year``.

    Returns columns ``trajectory_id, youth_id, worker_id, approach_id, role, start_day,
    end_day, hours_per_year`` where ``hours_per_year = h(role) * f(complexity)`` is the load
    while the period covers a day. Periods that cover no day (end <= start) are dropped.
    """
    _require_columns(periods, PERIOD_COLUMNS, "periods")
    _require_values(periods, ("trajectory_id", "youth_id", "worker_id", "start"), "periods")
    load = is_load_bearing(periods["phase"], periods["role"])
    chosen = periods.loc[load]
    start = day_numbers(chosen["start"], column="start", open_allowed=False)
    end = day_numbers(chosen["end"], column="end", open_allowed=True)
    if settings.norm_changes:
        rows, start, end = _cut_at_norm_changes(chosen["approach_id"].to_numpy(), start, end, settings)
        chosen = chosen.iloc[rows]
    frame = chosen[["trajectory_id", "youth_id", "worker_id", "approach_id", "role"]]
    hours = _norm_hours_by_start(chosen["role"], chosen["approach_id"], start, settings)
    factor = complexity_factor(chosen["complexity"], settings)
    frame = frame.assign(start_day=start, end_day=end, hours_per_year=hours * factor)
    return frame.loc[end > start].reset_index(drop=True)


def _cut_at_norm_changes(
    approach_id: npt.NDArray[Any], start: IntArray, end: IntArray, settings: CaseloadSettings
) -> tuple[IntArray, IntArray, IntArray]:
    """Issue 17, item 1: a period is cut at every day strictly inside it from which a norm that
    weighs it changes (the organisation's for every period, an approach's for that approach's),
    as ``split_at_complexity_changes`` cuts at a re-rating: the pieces are back to back, so a role
    run chains through them. Returns the row of each piece in the input and the pieces' days."""
    rows = np.arange(len(start), dtype=np.int64)
    for change in settings.norm_changes:
        day = day_number(change.valid_from)
        cut = (start < day) & (day < end)
        if change.approach_id is not None:
            cut &= approach_id[rows] == change.approach_id
        if not cut.any():
            continue
        rows = np.concatenate([rows, rows[cut]])
        start = np.concatenate([start, np.full(int(cut.sum()), day, dtype=np.int64)])
        end = np.concatenate([np.where(cut, day, end), end[cut]])
    return rows, start, end


def _norm_hours_by_start(
    role: pd.Series, approach_id: pd.Series, start: IntArray, settings: CaseloadSettings
) -> FloatArray:
    """h(role) of each (piece of a) period by the norms that hold on its first day (``settings_on``);
    ``_cut_at_norm_changes`` has cut the periods so that one norm holds on all their days."""
    if not settings.norm_changes:
        return norm_hours_per_year(role, approach_id, settings)
    days = np.unique([day_number(change.valid_from) for change in settings.norm_changes])
    regime = np.searchsorted(days, start, side="right")  # 0: before the first change
    hours = np.full(len(start), np.nan)
    for number in np.unique(regime):
        here = regime == number
        on = settings_on(settings, date_of_day_number(int(days[number - 1])) if number else dt.date.min)
        hours[here] = norm_hours_per_year(role.iloc[here], approach_id.iloc[here], on)
    return hours


# --- fte and capacity -----------------------------------------------------------------------


def _fte_table(fte_periods: pd.DataFrame) -> pd.DataFrame:
    """fte periods validated and ordered by worker, then start: ``worker_id, start_day, fte``."""
    _require_columns(fte_periods, ("worker_id", "start", "fte"), "fte_periods")
    _require_values(fte_periods, ("worker_id", "start", "fte"), "fte_periods")
    table = pd.DataFrame(
        {
            "worker_id": fte_periods["worker_id"].to_numpy(),
            "start_day": day_numbers(fte_periods["start"], column="start", open_allowed=False),
            "fte": fte_periods["fte"].to_numpy(dtype=np.float64),
        }
    )
    if (table["fte"] < 0).any():
        raise ValueError("fte_periods: fte must be >= 0")
    if table.duplicated(["worker_id", "start_day"]).any():
        raise ValueError("fte_periods: two fte periods of one worker start on the same day")
    codes, _ = pd.factorize(table["worker_id"])
    order = np.lexsort((table["start_day"].to_numpy(), codes))
    return table.iloc[order].reset_index(drop=True)


def _fte_segments(table: pd.DataFrame) -> tuple[IntArray, IntArray]:
    """Each fte period's first day and the first day of the worker's next one (open: ``OPEN_END``):
    an fte period runs until the next one of the same worker starts."""
    workers = table["worker_id"].to_numpy()
    start = table["start_day"].to_numpy(dtype=np.int64)
    next_start = np.full(len(table), OPEN_END, dtype=np.int64)
    if len(table) > 1:
        same_worker = workers[1:] == workers[:-1]
        next_start[:-1] = np.where(same_worker, start[1:], OPEN_END)
    return start, next_start


def fte_on_date(fte_periods: pd.DataFrame, day: dt.date) -> pd.Series:
    """SPEC.md 3: fte(d), the fte of the latest fte period starting on or before d.

    Returns a float Series indexed by worker_id; workers without such a period are absent
    (their fte is 0).
    """
    table = _fte_table(fte_periods)
    started = table.loc[table["start_day"] <= day_number(day)]
    # The table is ordered by start within a worker, so the last row is the latest period.
    return started.groupby("worker_id", sort=False)["fte"].last()


def fte_days_between(fte_periods: pd.DataFrame, date_from: dt.date, date_to: dt.date) -> pd.Series:
    """Sum over the days of ``[date_from, date_to)`` of fte(day) (SPEC.md 3, period capacity).

    Each fte period runs until the next one of the same worker starts; its days inside the
    period are found by intersecting, not by walking the days. Returns a float Series indexed by
    worker_id (workers without fte periods are absent: 0).
    """
    table = _fte_table(fte_periods)
    start, next_start = _fte_segments(table)
    days = overlap_days(start, next_start, day_number(date_from), day_number(date_to))
    weighted = table.assign(fte_days=table["fte"].to_numpy() * days)
    return weighted.groupby("worker_id", sort=False)["fte_days"].sum()


def fte_days_in_windows(fte_periods: pd.DataFrame, bounds: list[dt.date]) -> FloatArray:
    """``fte_days_between`` summed over all workers, for each window ``[bounds[i], bounds[i+1])``
    at once (the team chart's months): one fte table, one overlap matrix of fte periods x windows."""
    if len(bounds) < 2:
        return np.zeros(0)
    table = _fte_table(fte_periods)
    start, next_start = _fte_segments(table)
    edges = np.array([day_number(day) for day in bounds], dtype=np.int64)
    overlap = np.clip(
        np.minimum(next_start[:, None], edges[None, 1:]) - np.maximum(start[:, None], edges[None, :-1]), 0, None
    )
    return np.asarray((table["fte"].to_numpy(dtype=np.float64)[:, None] * overlap).sum(axis=0), dtype=np.float64)


def capacity_hours_on_date(fte: FloatArray, settings: CaseloadSettings) -> FloatArray:
    """SPEC.md 3, point in time: ``capacity_hours = fte(d) * productive_hours_per_fte``."""
    return np.asarray(fte * settings.productive_hours_per_fte, dtype=np.float64)


def capacity_hours_for_period(fte_days: FloatArray, settings: CaseloadSettings) -> FloatArray:
    """SPEC.md 3, period: ``sum over the days of fte(day) * productive_hours_per_fte / 365``."""
    return np.asarray(fte_days * settings.productive_hours_per_fte / DAYS_PER_YEAR, dtype=np.float64)


# --- Ratios and flags -----------------------------------------------------------------------


def _ratio(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    """numerator / denominator, NaN (null in JSON) where the denominator is 0."""
    top = np.asarray(numerator, dtype=np.float64)
    bottom = np.asarray(denominator, dtype=np.float64)
    result = np.full(np.broadcast(top, bottom).shape, np.nan, dtype=np.float64)
    np.divide(top, bottom, out=result, where=bottom > 0)
    return result


def utilisation(expected_hours: npt.ArrayLike, capacity_hours: npt.ArrayLike) -> FloatArray:
    """SPEC.md 3: ``utilisation = expected_hours / capacity_hours`` (null when capacity is 0)."""
    return _ratio(expected_hours, capacity_hours)


def overhead_share(client_direct: npt.ArrayLike, client_indirect: npt.ArrayLike, overhead: npt.ArrayLike) -> FloatArray:
    """SPEC.md 3: ``overhead / (client_direct + client_indirect + overhead)``, null if none."""
    direct = np.asarray(client_direct, dtype=np.float64)
    indirect = np.asarray(client_indirect, dtype=np.float64)
    over = np.asarray(overhead, dtype=np.float64)
    return _ratio(over, direct + indirect + over)


def youths_per_fte_year(
    youths_served: npt.ArrayLike, capacity_hours: npt.ArrayLike, settings: CaseloadSettings
) -> FloatArray:
    """SPEC.md 3: ``youths_served / (capacity_hours / productive_hours_per_fte)``, null at 0."""
    fte_years = np.asarray(capacity_hours, dtype=np.float64) / settings.productive_hours_per_fte
    return _ratio(youths_served, fte_years)


def caseload_flags(
    utilisation_values: npt.ArrayLike,
    overhead_share_values: npt.ArrayLike,
    long_in_role_youths: npt.ArrayLike,
    settings: CaseloadSettings,
) -> list[list[str]]:
    """SPEC.md 3, flags, in the fixed order overload, underload, overhead, long_in_role.

    Thresholds are strict (a value exactly on its threshold raises nothing); a null ratio (NaN)
    raises nothing, so there is no underload when capacity is 0.
    """
    used = np.asarray(utilisation_values, dtype=np.float64)
    share = np.asarray(overhead_share_values, dtype=np.float64)
    long_youths = np.asarray(long_in_role_youths, dtype=np.float64)
    raised = np.column_stack(
        [
            used > settings.overload_threshold,
            used < settings.underload_threshold,
            share > settings.overhead_threshold,
            long_youths > 0,
        ]
    )
    return [[flag for flag, on in zip(FLAGS, row, strict=True) if on] for row in raised.tolist()]


# --- Long in role ---------------------------------------------------------------------------


def expected_duration_days(approach_id: pd.Series, settings: CaseloadSettings) -> FloatArray:
    """The approach's expected duration in days (its override, else the organisation's)."""
    durations = {
        approach: override.expected_duration_days
        for approach, override in settings.approach_overrides.items()
        if override.expected_duration_days is not None
    }
    looked = approach_id.map(durations) if durations else pd.Series(np.nan, index=approach_id.index)
    filled = looked.fillna(settings.expected_duration_days)
    return np.asarray(filled.to_numpy(dtype=np.float64), dtype=np.float64)


def role_runs_on(load_bearing: pd.DataFrame, day: dt.date, settings: CaseloadSettings) -> pd.DataFrame:
    """SPEC.md 3, long_in_role: the role run of every load-bearing period covering ``day``.

    ``load_bearing`` is the output of ``load_bearing_periods`` (all workers: a run goes on across
    a handover). A run is a chain of back-to-back periods (next start == previous end) with the
    same role on the same trajectory. Returns the covering periods with ``run_start_day``,
    ``days_in_role = day - run_start_day`` (the evaluation day itself not counted),
    ``limit_days = long_in_role_factor * expected duration`` and ``long_in_role`` (coaching or
    uitvoering and ``days_in_role > limit_days``).
    """
    trajectory_codes, _ = pd.factorize(load_bearing["trajectory_id"])
    chain_key = trajectory_codes.astype(np.int64) * len(ROLES) + _role_codes(load_bearing["role"])
    start = load_bearing["start_day"].to_numpy(dtype=np.int64)
    end = load_bearing["end_day"].to_numpy(dtype=np.int64)
    # Ordered by (trajectory, role), then start: one int64 key sorts several times faster than a
    # lexsort of the columns (codes < 4 * periods, days within one span: no overflow).
    first = int(start.min(initial=0))
    span = int(start.max(initial=0)) - first + 1
    order = np.argsort(chain_key * span + (start - first), kind="stable")
    chain_key, start, end = chain_key[order], start[order], end[order]

    continues = np.zeros(len(order), dtype=bool)
    continues[1:] = (chain_key[1:] == chain_key[:-1]) & (start[1:] == end[:-1])
    run_number = np.cumsum(~continues) - 1
    run_start = start[~continues][run_number]

    evaluated = day_number(day)
    covering = covers_day(start, end, evaluated)
    runs = load_bearing.iloc[order[covering]].reset_index(drop=True)
    days_in_role = evaluated - run_start[covering]
    limit = settings.long_in_role_factor * expected_duration_days(runs["approach_id"], settings)
    long_in_role = runs["role"].isin(LONG_IN_ROLE_ROLES).to_numpy(dtype=bool) & (days_in_role > limit)
    return runs.assign(
        run_start_day=run_start[covering],
        days_in_role=days_in_role,
        limit_days=limit,
        long_in_role=long_in_role,
    )


def projected_periods(load_bearing: pd.DataFrame, day: dt.date, settings: CaseloadSettings) -> pd.DataFrame:
    """The projection rule of the dashboard chart (SPEC.md is silent; pinned by tests).

    Periods with an end date keep it. A running (open) period is assumed to end when its role run
    reaches the approach's expected duration: ``run start + expected_duration_days``, where the
    run is the one ``role_runs_on`` finds on ``day`` (for an open period that starts
    after ``day``, its own start). A run already past its expected duration on ``day`` is assumed
    to end the day after ``day``. No new intake is projected. ``load_bearing`` is the output of
    ``load_bearing_periods``; the result has the same rows with ``end_day`` replaced.
    """
    open_end = load_bearing["end_day"].to_numpy() == OPEN_END
    if not open_end.any():
        return load_bearing
    runs = role_runs_on(load_bearing, day, settings)
    run_start = pd.Series(
        runs["run_start_day"].to_numpy(),
        index=pd.MultiIndex.from_arrays([runs["trajectory_id"].to_numpy(), runs["start_day"].to_numpy()]),
    )
    keys = pd.MultiIndex.from_arrays([load_bearing["trajectory_id"].to_numpy(), load_bearing["start_day"].to_numpy()])
    starts = run_start.reindex(keys).to_numpy(dtype=np.float64)
    starts = np.where(np.isnan(starts), load_bearing["start_day"].to_numpy(dtype=np.float64), starts)
    duration = expected_duration_days(load_bearing["approach_id"], settings)
    projected_end = np.maximum(np.ceil(starts + duration), day_number(day) + 1).astype(np.int64)
    end_day = np.where(open_end, projected_end, load_bearing["end_day"].to_numpy())
    return load_bearing.assign(end_day=end_day)


# --- Whole runs -----------------------------------------------------------------------------

_YOUTH_COLUMNS: Final = tuple(f"youths_{role}" for role in ROLES)
_LOGGED_COLUMNS: Final = tuple(f"logged_{category}" for category in CATEGORIES)
_SUMMED_COLUMNS: Final = ("fte", "capacity_hours", "expected_hours", *_LOGGED_COLUMNS)
RESULT_COLUMNS: Final = (
    "fte",
    "capacity_hours",
    "expected_hours",
    "utilisation",
    *_YOUTH_COLUMNS,
    "youths_total",
    "youths_served",
    "youths_per_fte_year",
    *_LOGGED_COLUMNS,
    "overhead_share",
    "long_in_role_youths",
    "flags",
)


@dataclass(frozen=True)
class CaseloadResult:
    """The unrounded caseload of one run; ``caseload_json`` turns it into section 3's JSON.

    ``workers`` has ``worker_id, team`` and ``RESULT_COLUMNS`` (one row per worker in scope,
    sorted by worker_id); ``teams`` has ``team`` and ``RESULT_COLUMNS`` (sorted by team). Null
    values are NaN; ``youths_<role>`` hold ``youths_by_role``, ``logged_<category>`` hold
    ``logged_hours`` (NaN in date mode).
    """

    mode: Literal["date", "period"]
    date_from: dt.date
    date_to: dt.date | None  # None in date mode, where date_from is the day d
    workers: pd.DataFrame
    teams: pd.DataFrame


def _scope(workers: pd.DataFrame) -> pd.DataFrame:
    _require_columns(workers, ("worker_id", "team"), "workers")
    _require_values(workers, ("worker_id",), "workers")
    scope = workers.loc[:, ["worker_id", "team"]]
    if scope["worker_id"].duplicated().any():
        raise ValueError("workers: a worker_id occurs twice")
    return scope.sort_values("worker_id", kind="stable").reset_index(drop=True)


def _per(values: pd.Series, index: pd.Index) -> FloatArray:
    """A Series keyed by worker_id or team, aligned to ``index`` with 0 for absent keys."""
    return np.asarray(values.reindex(index, fill_value=0).to_numpy(dtype=np.float64))


def _distinct_youths(groups: IntArray, youths: IntArray, youth_count: int, size: int) -> FloatArray:
    """Distinct youths per group code ``0 .. size - 1``; rows with a negative code count nowhere.

    ``youths`` are youth codes ``0 .. youth_count - 1``. One hash pass over (group, youth) pairs
    instead of a pandas ``nunique`` per group: the counts run over every counted period of a
    whole region.
    """
    valid = groups >= 0
    if not valid.any():
        return np.zeros(size, dtype=np.float64)
    pairs = pd.unique(groups[valid].astype(np.int64) * youth_count + youths[valid])
    return np.bincount(pairs // youth_count, minlength=size).astype(np.float64)


def _youth_counts(
    keys: IntArray, roles: IntArray, youths: IntArray, long_keys: IntArray, long_youths: IntArray, size: int
) -> dict[str, FloatArray]:
    """Distinct youths per key code (a worker's or a team's row): per role, in total, long in role.

    ``keys``/``roles``/``youths`` describe the counted periods, ``long_keys``/``long_youths``
    the youths long in role (youths as codes of one factorisation); a key code of -1 (no team)
    counts nowhere.
    """
    youth_count = int(max(youths.max(initial=-1), long_youths.max(initial=-1))) + 1
    by_role = np.where(keys >= 0, keys * len(ROLES) + roles, -1)
    per_role = _distinct_youths(by_role, youths, youth_count, size * len(ROLES)).reshape(size, len(ROLES))
    counts = {column: per_role[:, index] for index, column in enumerate(_YOUTH_COLUMNS)}
    total = _distinct_youths(keys, youths, youth_count, size)
    counts["youths_total"] = total
    counts["youths_served"] = total  # SPEC.md 3: youths_served equals youths_total
    counts["long_in_role_youths"] = _distinct_youths(long_keys, long_youths, youth_count, size)
    return counts


def _with_ratios_and_flags(frame: pd.DataFrame, settings: CaseloadSettings) -> pd.DataFrame:
    """The ratios and flags of section 3 from a frame's (summed, unrounded) columns."""
    used = utilisation(frame["expected_hours"], frame["capacity_hours"])
    share = overhead_share(frame["logged_client_direct"], frame["logged_client_indirect"], frame["logged_overhead"])
    result = frame.assign(
        utilisation=used,
        youths_per_fte_year=youths_per_fte_year(frame["youths_served"], frame["capacity_hours"], settings),
        overhead_share=share,
    )
    result["flags"] = caseload_flags(used, share, frame["long_in_role_youths"], settings)
    return result


def _summarise(
    *,
    scope: pd.DataFrame,
    counted: pd.DataFrame,
    long_youths: pd.DataFrame,
    fte: FloatArray,
    capacity: FloatArray,
    logged: dict[str, FloatArray] | None,
    settings: CaseloadSettings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Worker rows and team totals (SPEC.md 3, "Team totals") from one mode's inputs.

    ``counted`` has one row per in-scope load-bearing period that counts in this mode
    (``worker_id, youth_id, role, expected_hours``); ``long_youths`` has ``worker_id, youth_id``.
    Team hours and fte are sums of the unrounded worker values, team youths are distinct over the
    team, and the ratios and flags are computed from those sums with the same functions.
    """
    worker_index = pd.Index(scope["worker_id"])
    worker_codes = worker_index.get_indexer(counted["worker_id"].to_numpy())
    long_worker_codes = worker_index.get_indexer(long_youths["worker_id"].to_numpy())
    roles = _role_codes(counted["role"])
    # Youth ids as codes of one factorisation, shared by the worker and team counts.
    youth_codes, _ = pd.factorize(np.concatenate([counted["youth_id"].to_numpy(), long_youths["youth_id"].to_numpy()]))
    youths, long_ids = youth_codes[: len(counted)], youth_codes[len(counted) :]

    no_log = np.full(len(scope), np.nan)
    workers = scope.assign(
        fte=fte,
        capacity_hours=capacity,
        expected_hours=np.bincount(
            worker_codes, weights=counted["expected_hours"].to_numpy(dtype=np.float64), minlength=len(scope)
        ),
        **{
            column: (logged[category] if logged is not None else no_log)
            for column, category in zip(_LOGGED_COLUMNS, CATEGORIES, strict=True)
        },
        **_youth_counts(worker_codes, roles, youths, long_worker_codes, long_ids, len(scope)),
    )

    # Workers without a team are listed but belong to no team total.
    team_sums = workers.loc[workers["team"].notna()].groupby("team", sort=True)[list(_SUMMED_COLUMNS)]
    teams = team_sums.sum(min_count=1).reset_index()  # min_count keeps date mode's NaN logs
    # A worker's team as a row of ``teams`` (-1: no team), then a period's team through its worker.
    team_of_worker = pd.Index(teams["team"]).get_indexer(scope["team"].to_numpy())
    teams = teams.assign(
        **_youth_counts(
            team_of_worker[worker_codes], roles, youths, team_of_worker[long_worker_codes], long_ids, len(teams)
        )
    )

    workers = _with_ratios_and_flags(workers, settings)
    teams = _with_ratios_and_flags(teams, settings)
    return (
        workers.loc[:, ["worker_id", "team", *RESULT_COLUMNS]],
        teams.loc[:, ["team", *RESULT_COLUMNS]],
    )


def _in_scope(frame: pd.DataFrame, scope: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[frame["worker_id"].isin(scope["worker_id"])]


def _long_in_role_youths(
    load_bearing: pd.DataFrame, day: dt.date, scope: pd.DataFrame, settings: CaseloadSettings
) -> pd.DataFrame:
    runs = role_runs_on(load_bearing, day, settings)
    return _in_scope(runs.loc[runs["long_in_role"], ["worker_id", "youth_id"]], scope)


def caseload_on_date(
    *,
    periods: pd.DataFrame,
    fte_periods: pd.DataFrame,
    workers: pd.DataFrame,
    day: dt.date,
    settings: CaseloadSettings = DEFAULT_SETTINGS,
) -> CaseloadResult:
    """SPEC.md 3, "Point in time" (``--date d``) for the workers in ``workers`` and their teams.

    Counts the load-bearing periods covering d: ``expected_hours`` is the sum of
    ``h(role) * f(complexity)`` over them (hours per year), ``capacity_hours = fte(d) *
    productive_hours_per_fte``; logged hours and overhead share are null.
    """
    scope = _scope(workers)
    load_bearing = load_bearing_periods(periods, settings)
    d = day_number(day)
    covering = load_bearing.loc[covers_day(load_bearing["start_day"].to_numpy(), load_bearing["end_day"].to_numpy(), d)]
    counted = _in_scope(covering, scope).assign(expected_hours=lambda f: f["hours_per_year"])
    fte = _per(fte_on_date(fte_periods, day), pd.Index(scope["worker_id"]))
    worker_rows, team_rows = _summarise(
        scope=scope,
        counted=counted,
        long_youths=_long_in_role_youths(load_bearing, day, scope, settings),
        fte=fte,
        capacity=capacity_hours_on_date(fte, settings),
        logged=None,
        settings=settings,
    )
    return CaseloadResult("date", _as_date(day), None, worker_rows, team_rows)


def logged_hours_by_category(logged_minutes: pd.DataFrame, workers: pd.Index) -> dict[str, FloatArray]:
    """SPEC.md 3, period mode: ``logged_hours`` per category = minutes / 60, per worker.

    ``logged_minutes`` holds the minutes of the time entries dated in [from, to), summed per
    worker and category by the caller; rows are summed again here. Aligned to ``workers``.
    """
    _require_columns(logged_minutes, ("worker_id", "category", "minutes"), "logged_minutes")
    _require_values(logged_minutes, ("worker_id", "category", "minutes"), "logged_minutes")
    unknown = set(logged_minutes["category"]) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown time entry categories {sorted(unknown)}")
    minutes = logged_minutes.groupby(["category", "worker_id"])["minutes"].sum()
    return {
        category: (
            _per(minutes.xs(category, level="category"), workers) / 60
            if category in minutes.index.get_level_values("category")
            else np.zeros(len(workers))
        )
        for category in CATEGORIES
    }


def caseload_for_period(
    *,
    periods: pd.DataFrame,
    fte_periods: pd.DataFrame,
    logged_minutes: pd.DataFrame | None,
    workers: pd.DataFrame,
    date_from: dt.date,
    date_to: dt.date,
    settings: CaseloadSettings = DEFAULT_SETTINGS,
) -> CaseloadResult:
    """SPEC.md 3, "Period [a, b)" (``--from a --to b``, b exclusive) for ``workers`` and teams.

    ``expected_hours`` sums ``h(role) * f(complexity) * overlap_days / 365``; capacity sums fte
    over the days; ``fte`` is the average fte over those days; ``long_in_role`` is evaluated on
    the last day of the period (b - 1 day). ``logged_minutes`` None means nothing was logged.
    """
    if date_to <= date_from:
        raise ValueError("the period is empty: 'to' must be after 'from'")
    scope = _scope(workers)
    worker_index = pd.Index(scope["worker_id"])
    load_bearing = load_bearing_periods(periods, settings)
    a, b = day_number(date_from), day_number(date_to)
    days = overlap_days(load_bearing["start_day"].to_numpy(), load_bearing["end_day"].to_numpy(), a, b)
    overlapping = load_bearing.assign(
        expected_hours=expected_hours_in_period(load_bearing["hours_per_year"].to_numpy(dtype=np.float64), days)
    ).loc[days > 0]
    fte_days = _per(fte_days_between(fte_periods, date_from, date_to), worker_index)
    if logged_minutes is None:
        logged_minutes = pd.DataFrame({"worker_id": [], "category": [], "minutes": []})
    worker_rows, team_rows = _summarise(
        scope=scope,
        counted=_in_scope(overlapping, scope),
        long_youths=_long_in_role_youths(load_bearing, date_to - dt.timedelta(days=1), scope, settings),
        fte=fte_days / (b - a),
        capacity=capacity_hours_for_period(fte_days, settings),
        logged=logged_hours_by_category(_in_scope(logged_minutes, scope), worker_index),
        settings=settings,
    )
    return CaseloadResult("period", _as_date(date_from), _as_date(date_to), worker_rows, team_rows)


def _as_date(day: dt.date) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day


# --- JSON -----------------------------------------------------------------------------------


def round_half_up(value: float, places: int) -> float:
    """Round to ``places`` decimals, halves away from zero, on the float's shortest decimal form.

    ``round_half_up(0.15, 1) == 0.2`` and ``round_half_up(1.0416666, 3) == 1.042``; Python's
    ``round`` would give 0.1 for the first (binary 0.15 lies just below the half).
    """
    return float(formats.round_half_up(float(value), places))


# Below this many units of the last place, float arithmetic cannot tell on which side of a half a
# value's decimal form lies; see ``round_half_up_array``.
_NEAR_HALF: Final = 1e-6
_FAST_ROUNDING_LIMIT: Final = 1e9


def round_half_up_array(values: npt.ArrayLike, places: int) -> list[float | None]:
    """``round_half_up`` of every value (None for NaN), as a list, without a Decimal per value.

    Identical results, proven by a test against ``round_half_up``: for ``|value| * 10**places``
    below 1e9, the float's shortest decimal form and the float product both lie within 2.3e-7
    units of the last place of the exact scaled value, so ``floor(scaled + 0.5)`` picks the same
    integer as the Decimal unless the scaled value lies within ``_NEAR_HALF`` of a half. Those
    values, larger ones and non-finite ones go through ``round_half_up`` itself. ``n / 10**places``
    is correctly rounded in IEEE arithmetic, as is the Decimal's conversion to float.
    """
    numbers = np.asarray(values, dtype=np.float64)
    missing = np.isnan(numbers)
    if places < 0:  # 10**places is no exact float; rare enough to do the slow way
        exact = ~missing
        rounded = numbers
    else:
        scale = 10.0**places
        with np.errstate(invalid="ignore", over="ignore"):
            scaled = np.abs(numbers) * scale
            fraction = scaled - np.floor(scaled)
            rounded = np.copysign(np.floor(scaled + 0.5), numbers) / scale
            exact = ~missing & (
                ~np.isfinite(scaled) | (scaled >= _FAST_ROUNDING_LIMIT) | (np.abs(fraction - 0.5) < _NEAR_HALF)
            )
    result: list[float | None] = rounded.tolist()
    for index in np.flatnonzero(exact).tolist():
        result[index] = round_half_up(float(numbers[index]), places)
    for index in np.flatnonzero(missing).tolist():
        result[index] = None
    return result


def _plain(value: object) -> object:
    """A JSON-ready Python value: numpy scalars unwrapped, NaN/NA/None as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _rounded(value: object, places: int) -> float | None:
    plain = _plain(value)
    if plain is None:
        return None
    if not isinstance(plain, int | float):
        raise TypeError(f"expected a number, got {plain!r}")
    return round_half_up(float(plain), places)


def _count(value: object) -> int:
    plain = _plain(value)
    if not isinstance(plain, int | float):
        raise TypeError(f"expected a count, got {plain!r}")
    return int(plain)


def _is_numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_float_dtype(column) or pd.api.types.is_integer_dtype(column))


def _rounded_column(column: pd.Series, places: int) -> list[float | None]:
    """``_rounded`` of every value; numeric columns (all the engine makes) in one vectorised pass."""
    if _is_numeric(column):
        return round_half_up_array(column.to_numpy(dtype=np.float64, na_value=np.nan), places)
    return [_rounded(value, places) for value in column.tolist()]


def _count_column(column: pd.Series) -> list[int]:
    """``_count`` of every value; numeric columns without NaN in one pass (int() truncates alike)."""
    if _is_numeric(column):
        numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isfinite(numbers).all():
            return [int(value) for value in column.tolist()]
    return [_count(value) for value in column.tolist()]


def _figures(frame: pd.DataFrame, mode: Literal["date", "period"]) -> list[dict[str, object]]:
    """The fields a worker and a team share, per row, in the contract's order, rounded for output.

    Rounded column by column (``_rounded_column``), then assembled row by row: a Decimal per value
    cost 0.1-0.3 s for 2,000 workers.
    """
    hours = {column: _rounded_column(frame[column], HOURS_PLACES) for column in ("capacity_hours", "expected_hours")}
    ratios = {
        column: _rounded_column(frame[column], RATIO_PLACES) for column in ("fte", "utilisation", "youths_per_fte_year")
    }
    counts = {
        column: _count_column(frame[column])
        for column in (*_YOUTH_COLUMNS, "youths_total", "youths_served", "long_in_role_youths")
    }
    # Logged hours and the overhead share exist in period mode only (null in date mode).
    logged_hours: dict[str, list[float | None]] = {}
    if mode == "period":
        logged_hours = {column: _rounded_column(frame[column], HOURS_PLACES) for column in _LOGGED_COLUMNS}
        ratios["overhead_share"] = _rounded_column(frame["overhead_share"], RATIO_PLACES)
    rows: list[dict[str, object]] = []
    for index, flags in enumerate(frame["flags"].tolist()):
        logged: dict[str, float | None] | None = None
        if mode == "period":
            logged = {
                category: logged_hours[column][index]
                for category, column in zip(CATEGORIES, _LOGGED_COLUMNS, strict=True)
            }
        if not isinstance(flags, list):
            raise TypeError("flags must be a list")
        rows.append(
            {
                "fte": ratios["fte"][index],
                "capacity_hours": hours["capacity_hours"][index],
                "expected_hours": hours["expected_hours"][index],
                "utilisation": ratios["utilisation"][index],
                "youths_by_role": {
                    role: counts[column][index] for role, column in zip(ROLES, _YOUTH_COLUMNS, strict=True)
                },
                "youths_total": counts["youths_total"][index],
                "youths_served": counts["youths_served"][index],
                "youths_per_fte_year": ratios["youths_per_fte_year"][index],
                "logged_hours": logged,
                "overhead_share": None if logged is None else ratios["overhead_share"][index],
                "long_in_role_youths": counts["long_in_role_youths"][index],
                "flags": [str(flag) for flag in flags],
            }
        )
    return rows


def caseload_json(result: CaseloadResult) -> dict[str, object]:
    """SPEC.md 3, "Caseload output": the JSON document of one run, rounded only here.

    Hours to 0.1, ratios (fte, utilisation, overhead_share, youths_per_fte_year) to 0.001, with
    ``round_half_up``; workers sorted by worker_id, teams by team.
    """
    document: dict[str, object] = {"mode": result.mode}
    if result.mode == "date":
        document["date"] = result.date_from.isoformat()
    else:
        if result.date_to is None:
            raise ValueError("a period result needs date_to")
        document["from"] = result.date_from.isoformat()
        document["to"] = result.date_to.isoformat()
    workers = result.workers.sort_values("worker_id", kind="stable")
    teams = result.teams.sort_values("team", kind="stable")
    document["workers"] = [
        {"worker_id": _plain(worker_id), "team": _plain(team)} | figures
        for worker_id, team, figures in zip(
            workers["worker_id"].tolist(), workers["team"].tolist(), _figures(workers, result.mode), strict=True
        )
    ]
    document["teams"] = [
        {"team": _plain(team)} | figures
        for team, figures in zip(teams["team"].tolist(), _figures(teams, result.mode), strict=True)
    ]
    return document


# --- Planning calculator --------------------------------------------------------------------


@dataclass(frozen=True)
class PlanningLine:
    """One role of a planning mix: youths per year in that role and hours per youth."""

    youths: float
    hours_per_youth: float

    def __post_init__(self) -> None:
        if self.youths < 0 or self.hours_per_youth < 0:
            raise ValueError("youths and hours_per_youth must be >= 0")


@dataclass(frozen=True)
class CapacityPlan:
    """SPEC.md 3, planning calculator result (unrounded; ``capacity_plan_json`` rounds)."""

    total_hours: float
    youths: float
    hours_per_youth: float | None  # None when the mix has no youths
    fte_needed: float


def _check_mix_roles(roles: Mapping[str, object]) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s) {sorted(unknown)}; expected {ROLES}")


def capacity_plan(mix: Mapping[str, PlanningLine], settings: CaseloadSettings = DEFAULT_SETTINGS) -> CapacityPlan:
    """SPEC.md 3, planning calculator: ``fte_needed = total_hours / productive_hours_per_fte``.

    ``total_hours`` sums youths x hours per youth over the roles; ``hours_per_youth`` is
    ``total_hours / youths``. The study: 50 x 20 + 25 x 6 + 25 x 4 = 1,250 h = 1.042 fte.
    """
    _check_mix_roles(mix)
    total_hours = sum(line.youths * line.hours_per_youth for line in mix.values())
    youths = sum(line.youths for line in mix.values())
    return CapacityPlan(
        total_hours=total_hours,
        youths=youths,
        hours_per_youth=total_hours / youths if youths else None,
        fte_needed=total_hours / settings.productive_hours_per_fte,
    )


def youths_that_fit(
    fte: float, mix: Mapping[str, PlanningLine], settings: CaseloadSettings = DEFAULT_SETTINGS
) -> float | None:
    """SPEC.md 3, planning calculator reversed: youths per year that fit in ``fte`` with ``mix``.

    ``fte * productive_hours_per_fte / hours_per_youth`` of the mix (the mix's role shares stay
    the same); None when the mix needs no hours per youth (any number fits).
    """
    if fte < 0:
        raise ValueError("fte must be >= 0")
    hours_per_youth = capacity_plan(mix, settings).hours_per_youth
    if not hours_per_youth:
        return None
    return fte * settings.productive_hours_per_fte / hours_per_youth


def mix_from_composition(
    point_in_time: Mapping[str, float],
    throughput_months: float,
    settings: CaseloadSettings = DEFAULT_SETTINGS,
    approach_id: Hashable | None = None,
) -> dict[str, PlanningLine]:
    """SPEC.md 3, planning calculator from a point-in-time composition and throughput time.

    Per role: youths per year = youths at a point in time x 12 / throughput months; hours per
    youth = norm h(role) per year x throughput months / 12 (the approach's norm where
    ``approach_id`` has an override). Feed the result to ``capacity_plan``.
    """
    _check_mix_roles(point_in_time)
    if throughput_months <= 0:
        raise ValueError("throughput_months must be positive")
    override = settings.approach_overrides.get(approach_id) if approach_id is not None else None
    norms = {**settings.norm_hours, **(override.norm_hours if override else {})}
    return {
        role: PlanningLine(
            youths=count * 12 / throughput_months,
            hours_per_youth=norms[role] * throughput_months / 12,
        )
        for role, count in point_in_time.items()
    }


@dataclass(frozen=True)
class PlanCosts:
    """What a capacity plan means for the budget (unrounded): the planning page's figures."""

    cost: float  # total hours x hourly rate
    contract_hours: float  # fte needed x contract hours per fte
    fte_gap: float  # fte needed - fte available (negative: room left)


def capacity_plan_costs(
    plan: CapacityPlan, *, hourly_rate: float, contract_hours_per_fte: float, fte_available: float
) -> PlanCosts:
    """The budget side of a plan (SPEC.md 2: hourly rate, contract hours per fte)."""
    return PlanCosts(
        cost=plan.total_hours * hourly_rate,
        contract_hours=plan.fte_needed * contract_hours_per_fte,
        fte_gap=plan.fte_needed - fte_available,
    )


def youths_output(youths: float) -> int | float:
    """A number of youths for output: an integer when whole, else to 0.1 (round half up)."""
    return int(youths) if float(youths).is_integer() else round_half_up(youths, 1)


def capacity_plan_json(plan: CapacityPlan) -> dict[str, object]:
    """SPEC.md 6, ``plan_capacity`` JSON: ``total_hours, youths, hours_per_youth, fte_needed``.

    Hours to 0.1, fte to 0.001 (round half up); youths as an integer when whole, else to 0.1.
    """
    return {
        "total_hours": round_half_up(plan.total_hours, HOURS_PLACES),
        "youths": youths_output(plan.youths),
        "hours_per_youth": (
            None if plan.hours_per_youth is None else round_half_up(plan.hours_per_youth, HOURS_PLACES)
        ),
        "fte_needed": round_half_up(plan.fte_needed, RATIO_PLACES),
    }
