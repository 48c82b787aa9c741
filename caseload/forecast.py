"""A load forecast that knows intake (issue 17, item 2): pure maths, no Django and no ORM.

The question: how many hours will the caseload of each worker and team ask over the next 4 to 26
weeks, against their capacity, when youths leave and new meldingen arrive as they did before?

The model, each step one function below:

1. **States and runs.** A youth's trajectory moves through states, a state being a (phase, role)
   pair of its periods within one approach. A *run* is a chain of back-to-back periods of one
   trajectory in one state (a handover or a complexity change does not end it). Afgesloten ends
   the trajectory: it is no state but an exit (``state_runs``).
2. **How long youths stay** in each state of each approach: a Kaplan-Meier estimate over the runs
   that began in the history window, finished ones as events and running ones censored on the
   forecast day, so that running runs count for the time they have lasted (``kaplan_meier``).
3. **Where they go next**: the share of the finished runs of a state followed by each other state
   (back to back on the same trajectory); the rest leaves care (``transition_probabilities``).
4. **How many meldingen arrive**: new trajectories per day per team and approach over the history
   window, times a factor for the calendar month (the school-year peak) estimated from the
   organisation's history and shrunk towards 1 when there is little of it (``seasonal_factors``).
5. **The expected load of one youth**, in hours per year, on each day after entering a state
   (``load_kernel``: a semi-Markov renewal over the states, weights ``h(role) * f(complexity)`` as
   the caseload engine computes them, SPEC.md 3; states that bear no load weigh 0).
6. **The forecast**: each youth in care today goes on from its current state and the days it has
   been in it (``current_youths_load``), and the meldingen of each future day start like the new
   trajectories of the history (``intake_load``). Per worker: their own youths, and the team's
   intake in proportion to their fte on that day. Capacity is ``fte(d) * productive_hours_per_fte``
   per year as in SPEC.md 3, so a forecast day's figures read like the engine's date mode.

The band (``band``): the 10th and 90th percentile of a normal approximation of the load on a day,
whose variance adds (a) the Poisson variance of the intake (the meldingen of a day are a Poisson
count; each new youth's load is random in where it is on the day) and (b) the variance of each
youth in care (which state it is in on the day, or gone). It does *not* include the estimation
uncertainty of the stay curves and the intake rates themselves; with little history the band is
too narrow, which the page says.

Decisions (each pinned by a test):

- Days are integers; day 0 of the forecast is the forecast day itself (today's load, no intake),
  meldingen arrive from day 1 on. A run that covers the forecast day has lasted ``day - start + 1``
  days so far and is censored there (it lasts at least that long); a run that ended on or before
  the day is an event of length ``end - start``.
- Beyond the longest observed run, a stay curve stays flat (Kaplan-Meier's convention): a youth
  longer in a state than anyone before is assumed to stay as the tail says. A youth for whom the
  curve is already 0 (a state nobody in the history window stayed in that long) leaves it the day
  after the forecast day, as the dashboard's old projection did, and goes on like a finished run.
- What-if: extra meldingen in a month are spread evenly over its days, over the team's approaches
  in the proportions of its intake; a worker who leaves (fte 0 from a day) hands their youths over
  to the colleagues of the team in proportion to their fte from that day on, and gets no intake; a
  different norm replaces h(role) for that role for every approach.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from caseload import calculations as calc
from core import disclosure

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

EXIT_PHASE: Final = "afgesloten"
HISTORY_DAYS: Final = 730  # two years: both school-year peaks seen twice
SEASON_PRIOR: Final = 20.0  # meldingen a month's factor weighs at 1 before the data speak
BAND_Z: Final = 1.2815515655446004  # the 90th percentile of the standard normal
MIN_WEEKS, MAX_WEEKS = 4, 26


# --- 1. States and runs ------------------------------------------------------------------------


def state_of(phase: pd.Series, role: pd.Series) -> pd.Categorical:
    """Each period's state ``"phase|role"`` (role empty for none), the unit the stays are estimated
    in, as a Categorical: built from the distinct (phase, role) pairs, not a string per period."""
    phases = pd.Categorical(phase)
    roles = pd.Categorical(role)
    width = len(roles.categories) + 1
    combined = phases.codes.astype(np.int64) * width + roles.codes.astype(np.int64) + 1
    unique, inverse = np.unique(combined, return_inverse=True)
    labels = [
        f"{phases.categories[code // width]}|{roles.categories[code % width - 1] if code % width else ''}"
        for code in unique.tolist()
    ]
    # A blank role and no role are the same state ("phase|"): labels that coincide are merged.
    codes_of_label, distinct = pd.factorize(np.array(labels, dtype=object))
    return pd.Categorical.from_codes(codes_of_label[inverse.ravel()], categories=list(distinct))


def state_runs(periods: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Step 1: the runs of the periods that started on or before ``day``.

    ``periods`` has the engine's period columns (``calculations.PERIOD_COLUMNS``). Periods in
    afgesloten are left out (the exit), and so are those starting after ``day`` (not yet known).
    A run chains periods with the same trajectory and state where the next starts on the previous
    one's end. Returns one row per run: ``trajectory_id, approach_id, state, start_day, end_day``
    (``OPEN_END`` when open), ``worker_id, complexity`` of its last period, ``covers_day``,
    ``event`` (ended on or before ``day``), ``duration`` (days: ``end - start`` for an event,
    ``day - start + 1`` otherwise) and ``next_state`` (the state of the run that begins on its
    end, None when none: the youth left care or it has not ended). Vectorised: no groupby, no
    string per period (600,000 periods of a region).
    """
    day_no = calc.day_number(day)
    start = calc.day_numbers(periods["start"], column="start", open_allowed=False)
    end = calc.day_numbers(periods["end"], column="end", open_allowed=True)
    states = state_of(periods["phase"], periods["role"])
    exit_codes = [code for code, label in enumerate(states.categories) if label.split("|", 1)[0] == EXIT_PHASE]
    state_code = np.asarray(states.codes, dtype=np.int64)
    keep = ~np.isin(state_code, exit_codes) & (start <= day_no) & (end > start)
    positions = np.flatnonzero(keep)
    trajectory_all = periods["trajectory_id"].to_numpy()
    positions = positions[np.lexsort((start[positions], trajectory_all[positions]))]
    trajectory, state = trajectory_all[positions], state_code[positions]
    starts, ends = start[positions], end[positions]
    back_to_back = np.zeros(len(positions), dtype=bool)
    back_to_back[1:] = (trajectory[1:] == trajectory[:-1]) & (starts[1:] == ends[:-1])
    continues = back_to_back.copy()
    continues[1:] &= state[1:] == state[:-1]
    first_rows = np.flatnonzero(~continues)
    last_rows = np.append(first_rows[1:] - 1, len(positions) - 1) if len(positions) else first_rows
    labels = np.array(list(states.categories), dtype=object)
    run_state = labels[state[first_rows]] if len(labels) else np.array([], dtype=object)
    run_start, run_end = starts[first_rows], ends[last_rows]
    # The run that follows back to back on the same trajectory (the first period of the next run).
    followed = np.zeros(len(first_rows), dtype=bool)
    followed[:-1] = back_to_back[first_rows[1:]]
    event = run_end <= day_no
    next_state = np.full(len(first_rows), None, dtype=object)
    next_state[:-1] = np.where(followed[:-1] & event[:-1], run_state[1:], np.array(None, dtype=object))
    last_positions = positions[last_rows]
    return pd.DataFrame(
        {
            "trajectory_id": trajectory[first_rows],
            "approach_id": periods["approach_id"].to_numpy()[positions[first_rows]],
            "state": pd.Series(run_state, dtype=object),
            "start_day": run_start,
            "end_day": run_end,
            "worker_id": periods["worker_id"].to_numpy()[last_positions],
            "complexity": pd.Series(periods["complexity"].iloc[last_positions].to_numpy(), dtype=object),
            "covers_day": (run_start <= day_no) & (day_no < run_end),
            "event": event,
            "duration": np.where(event, run_end - run_start, day_no - run_start + 1),
            "next_state": pd.Series(next_state, dtype=object),
        }
    )


# --- 2. How long youths stay -------------------------------------------------------------------


def kaplan_meier(durations: npt.ArrayLike, events: npt.ArrayLike, length: int) -> FloatArray:
    """Step 2: ``S[d] = P(stay > d days)`` for ``d = 0 .. length - 1``, Kaplan-Meier.

    ``S[d] = prod over u <= d of (1 - deaths(u) / at_risk(u))`` where ``deaths(u)`` counts the
    events of duration ``u`` and ``at_risk(u)`` every run that lasted at least ``u`` days (events
    of duration >= u, and censored runs of observed duration >= u: a running run is at risk on its
    last observed day). Durations are whole days >= 1, so ``S[0] = 1``. No run at all: ``S = 1``.
    """
    duration = np.asarray(durations, dtype=np.int64)
    event = np.asarray(events, dtype=bool)
    size = max(length, int(duration.max(initial=0)) + 1)
    deaths = np.bincount(duration[event], minlength=size).astype(np.float64)
    leaving = np.bincount(duration, minlength=size).astype(np.float64)  # last day at risk
    at_risk = leaving[::-1].cumsum()[::-1]  # at_risk[u] = runs with duration >= u
    hazard = np.divide(deaths, at_risk, out=np.zeros(size), where=at_risk > 0)
    return np.asarray(np.cumprod(1.0 - hazard)[:length], dtype=np.float64)


# --- 3. Where they go next ---------------------------------------------------------------------


def transition_probabilities(runs: pd.DataFrame, states: Sequence[str]) -> FloatArray:
    """Step 3: ``P[i, j]`` = finished runs in ``states[i]`` followed by ``states[j]`` / finished
    runs in ``states[i]``; a row's remainder is the share that left care. Rows without a finished
    run are 0 (nobody has been seen to move on)."""
    index = pd.Index(list(states))
    matrix = np.zeros((len(states), len(states)))
    finished = runs.loc[runs["event"].to_numpy(dtype=bool)]
    if finished.empty:
        return matrix
    origin = index.get_indexer(finished["state"].to_numpy())
    target = index.get_indexer(finished["next_state"].to_numpy())
    totals = np.bincount(origin, minlength=len(states)).astype(np.float64)
    moved = target >= 0
    np.add.at(matrix, (origin[moved], target[moved]), 1.0)
    return np.asarray(np.divide(matrix, totals[:, None], out=np.zeros_like(matrix), where=totals[:, None] > 0))


# --- 4. How many meldingen arrive ----------------------------------------------------------------


def days_per_calendar_month(first: dt.date, end: dt.date) -> FloatArray:
    """The days of ``[first, end)`` in each calendar month (index 0 = January)."""
    days = pd.date_range(first, end - dt.timedelta(days=1), freq="D")
    return np.bincount(days.month.to_numpy() - 1, minlength=12).astype(np.float64)


def seasonal_factors(counts: npt.ArrayLike, days: npt.ArrayLike, prior: float = SEASON_PRIOR) -> FloatArray:
    """Step 4: a factor per calendar month on the average intake rate (the school-year peak).

    ``counts[m]``: meldingen in calendar month ``m`` over the history; ``days[m]``: the history's
    days in that month. With the rate ``r = sum(counts) / sum(days)`` per day, a month expects
    ``e[m] = r * days[m]``; its factor is ``(counts[m] + prior) / (e[m] + prior)``: the observed
    ratio ``counts / e`` when there are many meldingen, shrunk towards 1 when there are few (the
    prior weighs as ``prior`` meldingen at the average rate). No history: all 1.
    """
    count = np.asarray(counts, dtype=np.float64)
    day_count = np.asarray(days, dtype=np.float64)
    total_days = day_count.sum()
    rate = count.sum() / total_days if total_days > 0 else 0.0
    expected = rate * day_count
    return np.asarray((count + prior) / (expected + prior), dtype=np.float64)


def daily_intake(
    rate_per_day: float, factors: FloatArray, day: dt.date, horizon: int, extra: Mapping[dt.date, float] | None = None
) -> FloatArray:
    """Expected meldingen on each forecast day ``t = 0 .. horizon - 1``: ``rate * factor[month]``
    from day 1 on (day 0 is today: its meldingen are in the data), plus ``extra[month]`` meldingen
    of a month (keyed by its first day) spread evenly over its days."""
    dates = pd.date_range(day, periods=horizon, freq="D")
    months = dates.month.to_numpy() - 1
    intake = rate_per_day * factors[months]
    for month, count in (extra or {}).items():
        in_month = (dates.year.to_numpy() == month.year) & (dates.month.to_numpy() == month.month)
        intake = intake + np.where(in_month, count / calendar.monthrange(month.year, month.month)[1], 0.0)
    intake[:1] = 0.0
    return np.asarray(intake, dtype=np.float64)


# --- 5. The load of one youth ------------------------------------------------------------------


def exit_density(survival: FloatArray) -> FloatArray:
    """``x[k] = S[k - 1] - S[k]``: the probability that a stay lasts exactly ``k`` days (x[0] = 0),
    along the last axis (one curve per row)."""
    density = np.zeros_like(survival)
    density[..., 1:] = survival[..., :-1] - survival[..., 1:]
    return density


def load_kernel(survival: FloatArray, transitions: FloatArray, weights: FloatArray, horizon: int) -> FloatArray:
    """Step 5: ``R[s, j]``, the expected weight of a youth ``j`` days after entering state ``s``.

    ``R[s, j] = w[s] * S_s[j] + sum over k = 1 .. j of x_s[k] * sum over s' of P[s, s'] * R[s', j - k]``:
    still in ``s`` on day ``j`` (weight ``w[s]``), or left it after ``k`` days into ``s'`` and
    ``j - k`` days into that. ``survival`` is states x days (at least ``horizon``), ``weights``
    the load per state (hours per year; 0 for a state without load), or several weight vectors as
    rows of a 2-D array (the second moment uses ``w**2``: a youth is in one state at a time).
    """
    weight = np.atleast_2d(np.asarray(weights, dtype=np.float64))  # (vectors, states)
    states = survival.shape[0]
    surv = survival[:, :horizon]
    exits = exit_density(surv)
    kernel = np.zeros((weight.shape[0], states, horizon))
    moved = np.zeros((weight.shape[0], states, horizon))  # moved[:, s, m] = sum_s' P[s, s'] R[s', m]
    for j in range(horizon):
        value = weight[:, :, None] * surv[None, :, j : j + 1]
        if j:
            value = value + (exits[None, :, 1 : j + 1] * moved[:, :, :j][:, :, ::-1]).sum(axis=2, keepdims=True)
        kernel[:, :, j] = value[:, :, 0]
        moved[:, :, j] = kernel[:, :, j] @ transitions.T
    return kernel if np.ndim(weights) > 1 else kernel[0]


# --- 6. The forecast ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FteChange:
    """What-if: ``worker_id`` works ``fte`` from ``from_date`` on (0: leaves the team)."""

    worker_id: Hashable
    from_date: dt.date
    fte: float


@dataclass(frozen=True)
class WhatIf:
    """The page's what-ifs: extra meldingen per month (first day -> count, for every team of the
    forecast), fte changes, and norms that replace h(role) for every approach."""

    extra_meldingen: Mapping[dt.date, float] = field(default_factory=dict)
    fte_changes: tuple[FteChange, ...] = ()
    norm_hours: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class StateStay:
    """A state of an approach: its stay curve, where runs go next, and what the estimate rests on."""

    approach_id: Hashable
    state: str
    survival: FloatArray
    finished: int
    running: int
    leaves_care: float  # share of finished runs after which the youth left care

    @property
    def median_days(self) -> int | None:
        """The first day on which half of the youths have left the state; None if never seen."""
        below = np.flatnonzero(self.survival <= 0.5)
        return int(below[0]) if below.size else None


@dataclass(frozen=True)
class Forecast:
    """The forecast of one organisation's workers, unrounded, day by day from ``day``.

    ``workers``: ``worker_id, team`` in the order of the arrays' rows. Per worker and day ``t``:
    ``expected[w, t]`` and ``variance[w, t]`` in hours per year (load on that day), ``fte[w, t]``.
    ``intake_per_day[team]``: expected meldingen per day; ``stays``: the estimated states.
    """

    day: dt.date
    workers: pd.DataFrame
    expected: FloatArray
    variance: FloatArray
    fte: FloatArray
    settings: calc.CaseloadSettings  # those of the day (capacity: its productive hours per fte)
    intake_per_day: Mapping[Hashable, FloatArray]
    seasonal: FloatArray
    stays: tuple[StateStay, ...]

    @property
    def horizon(self) -> int:
        return int(self.expected.shape[1])


def band(expected: npt.ArrayLike, variance: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The 10th and 90th percentile of a normal approximation: ``mean -/+ 1.2816 * sqrt(var)``,
    the low end not below 0."""
    mean = np.asarray(expected, dtype=np.float64)
    spread = BAND_Z * np.sqrt(np.maximum(np.asarray(variance, dtype=np.float64), 0.0))
    return np.asarray(np.maximum(mean - spread, 0.0)), np.asarray(mean + spread)


def state_weights(states: Sequence[str], approach_id: Hashable, settings: calc.CaseloadSettings) -> FloatArray:
    """``h(role)`` of each state for this approach (SPEC.md 3, the engine's own lookup), 0 for a
    state that bears no load (phase aanmelding/time-out, or no role)."""
    phase = pd.Series([state.split("|", 1)[0] for state in states], dtype=object)
    role = pd.Series([state.split("|", 1)[1] or None for state in states], dtype=object)
    load = calc.is_load_bearing(phase, role)
    hours = calc.norm_hours_per_year(role, pd.Series([approach_id] * len(states), dtype=object), settings)
    return np.asarray(np.where(load, np.nan_to_num(hours), 0.0), dtype=np.float64)


def with_norms(settings: calc.CaseloadSettings, norms: Mapping[str, float]) -> calc.CaseloadSettings:
    """What-if "a different norm": ``norms`` replace h(role) of the organisation and of every approach."""
    if not norms:
        return settings
    overrides = {
        approach: replace(
            override, norm_hours={role: hours for role, hours in override.norm_hours.items() if role not in norms}
        )
        for approach, override in settings.approach_overrides.items()
    }
    # ``replace`` keeps every other field of the settings as it is.
    return replace(settings, norm_hours={**settings.norm_hours, **norms}, approach_overrides=overrides)


def daily_fte(fte_periods: pd.DataFrame, worker_ids: Sequence[Hashable], day: dt.date, horizon: int) -> FloatArray:
    """``fte(d)`` (SPEC.md 3: the latest fte period starting on or before ``d``, 0 before the first)
    of each worker on each forecast day, workers x days."""
    result = np.zeros((len(worker_ids), horizon))
    if fte_periods.empty or not len(worker_ids):
        return result
    table = pd.DataFrame(
        {
            "row": pd.Index(list(worker_ids)).get_indexer(fte_periods["worker_id"].to_numpy()),
            "start": calc.day_numbers(fte_periods["start"], column="start", open_allowed=False) - calc.day_number(day),
            "fte": fte_periods["fte"].to_numpy(dtype=np.float64),
        }
    )
    table = table.loc[table["row"] >= 0].sort_values(["row", "start"], kind="stable")
    rows, starts, ftes = table["row"].to_numpy(), table["start"].to_numpy(), table["fte"].to_numpy()
    for row, start, fte in zip(rows.tolist(), starts.tolist(), ftes.tolist(), strict=True):
        result[row, max(start, 0) :] = fte  # later periods of a worker overwrite earlier ones
    return result


def current_youths_load(
    runs: pd.DataFrame,
    state_index: pd.Index,
    survival: FloatArray,
    moved: FloatArray,
    weights: FloatArray,
    factors: FloatArray,
    worker_rows: IntArray,
    workers: int,
    horizon: int,
) -> tuple[FloatArray, FloatArray]:
    """Step 6a: the expected load and its variance of the youths in care, per worker and day.

    A youth in state ``s`` for ``e`` days on the forecast day (``e = duration - 1``, day 0 being
    the ``e``-th day of its run) is still there on day ``t`` with ``S_s[e + t] / S_s[e]``, and
    leaves on day ``k`` with ``x_s[e + k] / S_s[e]`` into what ``moved[s]`` says (the transitions
    times the kernel). Its load: ``f * (w[s] * stay[t] + sum over k <= t of leave[k] * moved[s, t - k])``;
    the second moment likewise with ``f**2`` and the kernel of ``w**2``. ``runs`` are the covering
    runs, ``survival`` states x days (long enough for the oldest run plus the horizon), ``moved``
    2 x states x horizon (mean, second moment), ``factors`` f(complexity) per run, ``worker_rows``
    the row of each run's worker (-1: out of scope).
    """
    mean = np.zeros((workers, horizon))
    variance = np.zeros((workers, horizon))
    inside = worker_rows >= 0
    if not inside.any():
        return mean, variance
    state = state_index.get_indexer(runs["state"].to_numpy()[inside])
    elapsed = np.minimum(runs["duration"].to_numpy(dtype=np.int64)[inside] - 1, survival.shape[1] - horizon - 1)
    frame = pd.DataFrame(
        {
            "worker": worker_rows[inside],
            "state": state,
            "elapsed": elapsed,
            "f": factors[inside],
            "f2": factors[inside] ** 2,
        }
    )
    summed = frame.groupby(["worker", "state", "elapsed"], sort=True, as_index=False)[["f", "f2"]].sum()
    groups = summed.drop_duplicates(["state", "elapsed"])[["state", "elapsed"]].reset_index(drop=True)
    group_of = pd.MultiIndex.from_frame(groups).get_indexer(pd.MultiIndex.from_frame(summed[["state", "elapsed"]]))
    days = np.arange(horizon)
    g_state, g_elapsed = groups["state"].to_numpy(), groups["elapsed"].to_numpy()
    now = survival[g_state, g_elapsed]
    gone = now <= 0  # nobody stayed this long: leaves the day after the forecast day
    later = survival[g_state[:, None], g_elapsed[:, None] + days[None, :]]
    stay = np.divide(later, now[:, None], out=np.zeros_like(later), where=~gone[:, None])
    stay[:, 0] = 1.0
    leave = np.zeros_like(stay)
    leave[:, 1:] = stay[:, :-1] - stay[:, 1:]
    group_mean = weights[g_state][:, None] * stay
    group_second = (weights[g_state] ** 2)[:, None] * stay
    lag = days[None, :] - days[:, None]  # lag[k, t] = t - k
    for s in np.unique(g_state).tolist():
        chosen = g_state == s
        for target, vector in ((group_mean, moved[0, s]), (group_second, moved[1, s])):
            toeplitz = np.where(lag >= 0, vector[np.clip(lag, 0, None)], 0.0)
            target[chosen] += leave[chosen] @ toeplitz
    spread = group_second - group_mean**2
    worker = summed["worker"].to_numpy()
    np.add.at(mean, worker, summed["f"].to_numpy()[:, None] * group_mean[group_of])
    np.add.at(variance, worker, summed["f2"].to_numpy()[:, None] * spread[group_of])
    return mean, variance


def intake_load(
    intake: FloatArray, kernel_mean: FloatArray, kernel_second: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Step 6b: the load of the meldingen to come, ``sum over u <= t of intake[u] * K[t - u]``, and
    its variance ``sum over u <= t of intake[u] * K2[t - u]`` (a Poisson count of youths per day,
    each with load mean ``K`` and second moment ``K2`` at its age)."""
    horizon = len(intake)
    return (
        np.asarray(np.convolve(intake, kernel_mean)[:horizon], dtype=np.float64),
        np.asarray(np.convolve(intake, kernel_second)[:horizon], dtype=np.float64),
    )


def _fte_with_changes(fte: FloatArray, worker_ids: pd.Index, changes: Sequence[FteChange], day: dt.date) -> FloatArray:
    changed = fte.copy()
    for change in changes:
        row = worker_ids.get_indexer([change.worker_id])[0]
        if row >= 0:
            changed[row, max((change.from_date - day).days, 0) :] = change.fte
    return changed


def _hand_over(
    mean: FloatArray,
    variance: FloatArray,
    fte: FloatArray,
    teams: npt.NDArray[np.object_],
    leavers: Sequence[FteChange],
    day: dt.date,
    worker_ids: pd.Index,
) -> None:
    """A leaver's youths go to the team's other workers in proportion to their fte, from the day
    the leaver's fte is 0 (in place)."""
    for change in leavers:
        row = worker_ids.get_indexer([change.worker_id])[0]
        if row < 0 or change.fte > 0:
            continue
        first = max((change.from_date - day).days, 0)
        colleagues = (teams == teams[row]) & (np.arange(len(teams)) != row)
        weight = fte[colleagues, first:]
        total = weight.sum(axis=0)
        count = int(colleagues.sum())
        if not count:
            continue
        share = np.where(total > 0, np.divide(weight, total, out=np.zeros_like(weight), where=total > 0), 1.0 / count)
        mean[colleagues, first:] += share * mean[row, first:]
        variance[colleagues, first:] += share * variance[row, first:]
        mean[row, first:] = 0.0
        variance[row, first:] = 0.0


@dataclass(frozen=True)
class _Model:
    """The estimated states of one organisation (rows over all approaches' states)."""

    row_of_run: IntArray  # each run's row
    survival: FloatArray  # rows x days
    weights: FloatArray  # h(role) per row
    moved: FloatArray  # 2 x rows x horizon: transitions times the kernel (mean, second moment)
    kernels: dict[Hashable, tuple[FloatArray, FloatArray, IntArray]]  # approach: (R, R2, rows)
    stays: tuple[StateStay, ...]


def _estimate(runs: pd.DataFrame, history_from: dt.date, horizon: int, settings: calc.CaseloadSettings) -> _Model:
    """Steps 2, 3 and 5 for every (approach, state) the runs know; one row per pair, ordered by
    approach, then state. Runs are grouped by integer codes (one sort), not by comparing strings."""
    approach_codes, approaches = pd.factorize(runs["approach_id"], sort=True)
    state_codes, state_names = pd.factorize(runs["state"], sort=True)
    width = max(len(state_names), 1)
    pair = approach_codes.astype(np.int64) * width + state_codes.astype(np.int64)
    pairs, row_of_run = np.unique(pair, return_inverse=True)
    row_of_run = row_of_run.ravel().astype(np.int64)
    longest = int(runs["duration"].max()) if len(runs) else 0
    length = longest + horizon + 2
    survival = np.ones((len(pairs), length))
    weights = np.zeros(len(pairs))
    moved = np.zeros((2, len(pairs), horizon))
    kernels: dict[Hashable, tuple[FloatArray, FloatArray, IntArray]] = {}
    stays: list[StateStay] = []
    in_window = runs["start_day"].to_numpy() >= calc.day_number(history_from)
    durations = runs["duration"].to_numpy(dtype=np.int64)
    events = runs["event"].to_numpy(dtype=bool)
    order = np.argsort(np.where(in_window, row_of_run, len(pairs)), kind="stable")
    bounds = np.searchsorted(np.where(in_window, row_of_run, len(pairs))[order], np.arange(len(pairs) + 1))
    for code, approach in enumerate(approaches.tolist()):
        rows = np.flatnonzero(pairs // width == code).astype(np.int64)
        names = [str(state_names[pair_code % width]) for pair_code in pairs[rows].tolist()]
        for row in rows.tolist():
            chosen = order[bounds[row] : bounds[row + 1]]
            survival[row] = kaplan_meier(durations[chosen], events[chosen], length)
        mine = runs.iloc[order[bounds[rows[0]] : bounds[rows[-1] + 1]]]
        transitions = transition_probabilities(mine, names)
        weights[rows] = state_weights(names, approach, settings)
        kernel = load_kernel(survival[rows], transitions, np.vstack([weights[rows], weights[rows] ** 2]), horizon)
        moved[:, rows, :] = np.einsum("st,vtm->vsm", transitions, kernel)
        kernels[approach] = (kernel[0], kernel[1], rows)
        for position, (row, name) in enumerate(zip(rows.tolist(), names, strict=True)):
            chosen = order[bounds[row] : bounds[row + 1]]
            finished = int(events[chosen].sum())
            stays.append(
                StateStay(
                    approach_id=approach,
                    state=name,
                    survival=survival[row, : longest + 1].copy(),
                    finished=finished,
                    running=int(len(chosen) - finished),
                    leaves_care=float(1.0 - transitions[position].sum()) if finished else float("nan"),
                )
            )
    return _Model(row_of_run, survival, weights, moved, kernels, tuple(stays))


def _entry(
    runs: pd.DataFrame, starts: pd.DataFrame, model: _Model, settings: calc.CaseloadSettings
) -> dict[Hashable, tuple[FloatArray, float, float]]:
    """Per approach: the share of its new trajectories that begin in each state (over the
    approach's kernel rows), and the mean ``f`` and ``f**2`` of their complexity."""
    started = np.flatnonzero(runs["trajectory_id"].isin(starts["trajectory_id"]).to_numpy())
    trajectory = runs["trajectory_id"].to_numpy()[started]
    order = np.lexsort((runs["start_day"].to_numpy()[started], trajectory))
    first = started[order][np.r_[True, trajectory[order][1:] != trajectory[order][:-1]]] if started.size else started
    global_rows = model.row_of_run[first]
    first_approach = runs["approach_id"].to_numpy()[first]
    result: dict[Hashable, tuple[FloatArray, float, float]] = {}
    factors = calc.complexity_factor(pd.Series(starts["complexity"].to_numpy(), dtype=object), settings)
    start_approach = starts["approach_id"].to_numpy()
    for approach, (_, _, rows) in model.kernels.items():
        local = pd.Index(rows).get_indexer(global_rows[first_approach == approach])
        local = local[local >= 0]
        mine = factors[start_approach == approach]
        if not local.size or not mine.size:
            continue
        shares = np.bincount(local, minlength=len(rows)) / local.size
        result[approach] = (shares.astype(np.float64), float(mine.mean()), float((mine**2).mean()))
    return result


def load_forecast(
    *,
    periods: pd.DataFrame,
    starts: pd.DataFrame,
    workers: pd.DataFrame,
    fte_periods: pd.DataFrame,
    day: dt.date,
    horizon: int,
    settings: calc.CaseloadSettings,
    history_from: dt.date | None = None,
    what_if: WhatIf | None = None,
    seasonal_starts: pd.DataFrame | None = None,
) -> Forecast:
    """Steps 1-6 for one organisation: the load of ``workers`` on each day ``day .. day + horizon - 1``.

    ``periods``: the organisation's periods (all phases, engine columns, the effective worker),
    at least those of the trajectories alive since ``history_from`` (default: ``HISTORY_DAYS``
    before ``day``), split at the complexity changes known on ``day``. ``starts``: the trajectories
    (meldingen) that started in ``[history_from, day)``: ``trajectory_id, approach_id, team, start,
    complexity`` (``team`` of the responsible worker; every team of the organisation, so that the
    entry states rest on all of them). ``seasonal_starts``: the starts the month factors are
    estimated from (default: those of ``starts`` in ``[history_from, day)``). ``workers``: ``worker_id, team`` of the scope;
    ``fte_periods`` theirs (future ones count).
    """
    if horizon < 1:
        raise ValueError("horizon must be at least one day")
    # A norm adopted from a day inside the horizon weighs the days from then (issue 17 item 1): a
    # day's load is linear in the weights of that day's norms, so each stretch takes its days from a
    # run with the norms that hold in it (mean and variance exact).
    ahead = sorted(
        {
            change.valid_from
            for change in settings.norm_changes
            if day < change.valid_from < day + dt.timedelta(days=horizon)
        }
    )
    if ahead:
        arguments: dict[str, Any] = {
            "periods": periods,
            "starts": starts,
            "workers": workers,
            "fte_periods": fte_periods,
            "day": day,
            "horizon": horizon,
            "history_from": history_from,
            "what_if": what_if,
            "seasonal_starts": seasonal_starts,
        }
        result = load_forecast(**arguments, settings=calc.settings_on(settings, day))
        for change_day in ahead:
            later = load_forecast(**arguments, settings=calc.settings_on(settings, change_day))
            offset = (change_day - day).days
            result.expected[:, offset:] = later.expected[:, offset:]
            result.variance[:, offset:] = later.variance[:, offset:]
        return result
    what_if = what_if or WhatIf()
    # The norms that hold on the day (an adopted norm, issue 17 item 1), then the what-if's.
    settings = with_norms(calc.settings_on(settings, day), what_if.norm_hours)
    history_from = history_from or day - dt.timedelta(days=HISTORY_DAYS)
    window_days = max((day - history_from).days, 1)
    runs = state_runs(periods, day)
    model = _estimate(runs, history_from, horizon, settings)

    scope = workers.loc[:, ["worker_id", "team"]].reset_index(drop=True)
    worker_ids = pd.Index(scope["worker_id"])
    teams = scope["team"].to_numpy(dtype=object)
    fte = _fte_with_changes(
        daily_fte(fte_periods, list(worker_ids), day, horizon), worker_ids, what_if.fte_changes, day
    )

    covers = runs["covers_day"].to_numpy(dtype=bool)
    covering = runs.loc[covers]
    factors = calc.complexity_factor(pd.Series(covering["complexity"].to_numpy(), dtype=object), settings)
    mean, variance = current_youths_load(
        covering.assign(state=model.row_of_run[covers]),
        pd.RangeIndex(len(model.weights)),
        model.survival,
        model.moved,
        model.weights,
        factors,
        np.asarray(worker_ids.get_indexer(covering["worker_id"].to_numpy()), dtype=np.int64),
        len(worker_ids),
        horizon,
    )
    _hand_over(mean, variance, fte, teams, [c for c in what_if.fte_changes if c.fte <= 0], day, worker_ids)

    in_window = starts.loc[pd.to_datetime(starts["start"]) >= pd.Timestamp(history_from)]
    season_source = in_window if seasonal_starts is None else seasonal_starts
    months = pd.to_datetime(season_source["start"]).dt.month.to_numpy(dtype=np.int64) - 1
    seasonal = seasonal_factors(np.bincount(months, minlength=12), days_per_calendar_month(history_from, day))
    entry = _entry(runs, in_window, model, settings)
    intake_per_day: dict[Hashable, FloatArray] = {}
    for team in pd.unique(teams).tolist():
        members = teams == team
        team_mean, team_variance, team_intake = np.zeros(horizon), np.zeros(horizon), np.zeros(horizon)
        by_approach = in_window.loc[in_window["team"].to_numpy() == team].groupby("approach_id", sort=True).size()
        total = float(by_approach.sum())
        if total == 0 and what_if.extra_meldingen:
            team_intake += daily_intake(0.0, seasonal, day, horizon, what_if.extra_meldingen)
        for approach, count in by_approach.items():
            extra = {month: value * count / total for month, value in what_if.extra_meldingen.items()}
            intake = daily_intake(count / window_days, seasonal, day, horizon, extra)
            team_intake += intake
            if approach not in entry:
                continue
            shares, mean_f, mean_f2 = entry[approach]
            kernel_mean, kernel_second, _ = model.kernels[approach]
            add_mean, add_variance = intake_load(
                intake, mean_f * (shares @ kernel_mean), mean_f2 * (shares @ kernel_second)
            )
            team_mean += add_mean
            team_variance += add_variance
        intake_per_day[team] = team_intake
        team_fte = fte[members]
        total_fte = team_fte.sum(axis=0)
        share = np.where(
            total_fte > 0,
            np.divide(team_fte, total_fte, out=np.zeros_like(team_fte), where=total_fte > 0),
            1.0 / max(int(members.sum()), 1),
        )
        mean[members] += share * team_mean
        variance[members] += share * team_variance

    return Forecast(
        day=day,
        workers=scope,
        expected=mean,
        variance=variance,
        fte=fte,
        settings=settings,
        intake_per_day=intake_per_day,
        seasonal=seasonal,
        stays=model.stays,
    )


# --- Output --------------------------------------------------------------------------------------


def week_bounds(day: dt.date, weeks: int) -> list[tuple[dt.date, dt.date]]:
    """The forecast's weeks ``[day + 7i, day + 7i + 7)``, ``i = 0 .. weeks - 1``."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must lie in {MIN_WEEKS} .. {MAX_WEEKS}")
    return [(day + dt.timedelta(days=7 * i), day + dt.timedelta(days=7 * i + 7)) for i in range(weeks)]


@dataclass(frozen=True)
class WindowFigures:
    """Hours in each window (rows x windows), unrounded: expected, its band, capacity."""

    expected: FloatArray
    low: FloatArray
    high: FloatArray
    capacity: FloatArray

    @property
    def utilisation(self) -> FloatArray:
        return calc.utilisation(self.expected, self.capacity)


def window_figures(
    forecast: Forecast, windows: Sequence[tuple[dt.date, dt.date]], groups: npt.ArrayLike | None = None
) -> WindowFigures:
    """Expected hours, band and capacity in each window ``[a, b)`` (inside the horizon), per row.

    Rows are the workers, or with ``groups`` (a group label per worker) the groups, summed (the
    variances too: youths of different workers move independently). In a window: expected hours
    ``sum over its days of load / 365`` and capacity ``sum of fte(d) * productive_hours_per_fte / 365``
    as in SPEC.md 3's period mode; the band is ``band`` of the window's mean load with the variance
    of its middle day, times ``days / 365`` (a youth's stay is longer than a week: the days of a
    window move together, so their variances do not average out).
    """
    expected, variance, fte = forecast.expected, forecast.variance, forecast.fte
    if groups is not None:
        labels = np.asarray(groups, dtype=object)
        order = list(pd.unique(labels))
        matrix = (labels[None, :] == np.array(order, dtype=object)[:, None]).astype(np.float64)
        expected, variance, fte = matrix @ expected, matrix @ variance, matrix @ fte
    columns = []
    for first, end in windows:
        a, b = (first - forecast.day).days, (end - forecast.day).days
        if a < 0 or b > forecast.horizon or b <= a:
            raise ValueError(f"the window {first} .. {end} lies outside the forecast")
        days = b - a
        mean_load = expected[:, a:b].mean(axis=1)
        low, high = band(mean_load, variance[:, a + (days - 1) // 2])
        one_day = np.ones(days, dtype=np.int64)
        columns.append(
            (
                # The engine's own rules (SPEC.md 3, period mode): each day's load for one day, and
                # capacity from the fte-days.
                calc.expected_hours_in_period(expected[:, a:b], one_day).sum(axis=1),
                calc.expected_hours_in_period(low, np.full(len(low), days, dtype=np.int64)),
                calc.expected_hours_in_period(high, np.full(len(high), days, dtype=np.int64)),
                calc.capacity_hours_for_period(fte[:, a:b].sum(axis=1), forecast.settings),
            )
        )
    if not columns:
        empty = np.zeros((expected.shape[0], 0))
        return WindowFigures(empty, empty, empty, empty)
    stacked = [np.column_stack([column[i] for column in columns]) for i in range(4)]
    return WindowFigures(*stacked)


def monthly_intake(forecast: Forecast, team: Hashable) -> list[tuple[dt.date, float]]:
    """Expected meldingen of a team per calendar month inside the horizon (first day, count)."""
    intake = forecast.intake_per_day.get(team, np.zeros(forecast.horizon))
    dates = pd.date_range(forecast.day, periods=forecast.horizon, freq="D")
    frame = pd.DataFrame({"month": dates.to_period("M"), "intake": intake})
    summed = frame.groupby("month", sort=True)["intake"].sum()
    return [(period.start_time.date(), float(value)) for period, value in summed.items()]


def _week_rows(figures: WindowFigures, windows: Sequence[tuple[dt.date, dt.date]]) -> list[list[dict[str, object]]]:
    """Per row of ``figures``, its weeks as JSON, rounded half up column by column (vectorised: a
    Decimal per value cost over a second for 2,000 workers)."""
    hours = calc.HOURS_PLACES
    shape = figures.expected.shape
    columns = {
        "expected_hours": calc.round_half_up_array(figures.expected.ravel(), hours),
        "low": calc.round_half_up_array(figures.low.ravel(), hours),
        "high": calc.round_half_up_array(figures.high.ravel(), hours),
        "capacity_hours": calc.round_half_up_array(figures.capacity.ravel(), hours),
        "utilisation": calc.round_half_up_array(figures.utilisation.ravel(), calc.RATIO_PLACES),
    }
    bounds = [(first.isoformat(), end.isoformat()) for first, end in windows]
    return [
        [
            {"from": bounds[i][0], "to": bounds[i][1]}
            | {name: values[row * shape[1] + i] for name, values in columns.items()}
            for i in range(shape[1])
        ]
        for row in range(shape[0])
    ]


def forecast_json(
    forecast: Forecast,
    weeks: int,
    *,
    worker_keys: Mapping[Hashable, str] | None = None,
    approach_names: Mapping[Hashable, str] | None = None,
    team_names: Mapping[Hashable, str] | None = None,
) -> dict[str, object]:
    """The forecast's document (the API's and the page's figures), rounded only here: hours to 0.1,
    ratios to 0.001, half up, as the caseload JSON. Per team and worker: today's load in hours per
    year and, per week, expected hours in that week with the band (10th-90th percentile) and the
    capacity of the week; per team the meldingen expected per month; the stays per approach."""
    windows = week_bounds(forecast.day, weeks)
    keys = worker_keys or {}
    names = approach_names or {}
    teams = list(pd.unique(forecast.workers["team"].to_numpy(dtype=object)))
    team_figures = window_figures(forecast, windows, forecast.workers["team"].to_numpy(dtype=object))
    worker_figures = window_figures(forecast, windows)
    team_today = [
        float(forecast.expected[forecast.workers["team"].to_numpy(dtype=object) == team, 0].sum()) for team in teams
    ]
    months = {team: monthly_intake(forecast, team) for team in teams}
    team_weeks, worker_weeks = _week_rows(team_figures, windows), _week_rows(worker_figures, windows)
    return {
        "date": forecast.day.isoformat(),
        "weeks": weeks,
        "band": "p10-p90",
        "teams": [
            {
                "team": (team_names or {}).get(team, team),
                "expected_hours_today": calc.round_half_up(team_today[row], calc.HOURS_PLACES),
                "weeks": team_weeks[row],
                "meldingen": [
                    {"month": month.isoformat()[:7], "expected": calc.round_half_up(count, 1)}
                    for month, count in months[team]
                ],
            }
            for row, team in enumerate(teams)
        ],
        "workers": [
            {
                "worker_id": keys.get(worker_id, str(worker_id)),
                "team": (team_names or {}).get(team, team),
                "expected_hours_today": calc.round_half_up(float(forecast.expected[row, 0]), calc.HOURS_PLACES),
                "weeks": worker_weeks[row],
            }
            for row, (worker_id, team) in enumerate(
                zip(forecast.workers["worker_id"].tolist(), forecast.workers["team"].tolist(), strict=True)
            )
        ],
        "seasonal_factors": [calc.round_half_up(float(value), calc.RATIO_PLACES) for value in forecast.seasonal],
        # The organisation's stays reach a team lead of any team: a group of fewer than
        # disclosure.SMALL_GROUP youths shows its counts, not its median or share (nearly one
        # youth's own length of stay).
        "stays": [
            {
                "approach": names.get(stay.approach_id, str(stay.approach_id)),
                "phase": stay.state.split("|", 1)[0],
                "role": stay.state.split("|", 1)[1] or None,
                "median_days": None if small else stay.median_days,
                "finished": stay.finished,
                "running": stay.running,
                "leaves_care": None
                if small or np.isnan(stay.leaves_care)
                else calc.round_half_up(stay.leaves_care, calc.RATIO_PLACES),
            }
            for stay in forecast.stays
            for small in (disclosure.is_small_group(stay.finished + stay.running),)
        ],
    }
