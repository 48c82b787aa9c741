"""Stepping down on time (issue 17, item 4). Pure: rows in, candidates out.

The source study found youths kept too long in coaching. A youth is a *step-down candidate* on day
``d`` when:

- the youth's running period (covering ``d``) has role coaching or uitvoering, and that role has
  run for at least the whole window (``WINDOW_DAYS`` = 8 weeks before ``d``), so the hours logged
  in the window belong to it;
- the direct client time logged on the trajectory in ``[d - 56 days, d)`` is at most what the
  monitoring norm asks for that window: ``h(monitoring) × f(complexity) × 56 / 365`` hours. It
  looks like monitoring while the period still says coaching or uitvoering.

The hours it would free: ``(h(role) − h(monitoring)) × f(complexity)`` per year, the difference
the caseload engine (SPEC.md section 3) would count if the period said monitoring; the approach's
own norms where set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from caseload.calculations import (
    DAYS_PER_YEAR,
    CaseloadSettings,
    complexity_factor,
    norm_hours_per_year,
    settings_on,
)

WINDOW_DAYS: Final = 56
STEP_DOWN_ROLES: Final = ("coaching", "uitvoering")


@dataclass(frozen=True)
class RunningRole:
    """A trajectory's running coaching/uitvoering period on the day, with the direct minutes
    logged on it in the window before the day."""

    trajectory_id: Any
    worker_id: Any
    approach_id: Any
    role: str
    role_since: dt.date
    complexity: str | None
    direct_minutes: int


@dataclass(frozen=True)
class StepDown:
    trajectory_id: Any
    worker_id: Any
    role: str
    direct_hours: float  # logged in the window
    monitoring_hours: float  # what monitoring asks for the window
    hours_freed_per_year: float


def norm_hours(role: str, approach_id: Any, settings: CaseloadSettings) -> float:
    """h(role) of one youth: the engine's own rule (``norm_hours_per_year``: the approach's norm
    where set, else the organisation's; SPEC.md section 3)."""
    return float(norm_hours_per_year(pd.Series([role]), pd.Series([approach_id]), settings)[0])


def complexity_weight(complexity: str | None, settings: CaseloadSettings) -> float:
    """f(complexity) of one youth, by the engine's ``complexity_factor`` (unknown: 1.0)."""
    return float(complexity_factor(pd.Series([complexity or ""], dtype=object), settings)[0])


def step_down_candidates(rows: Iterable[RunningRole], day: dt.date, settings: CaseloadSettings) -> list[StepDown]:
    """The candidates of the module's rule on ``day``, most hours freed first."""
    window_start = day - dt.timedelta(days=WINDOW_DAYS)
    settings = settings_on(settings, day)  # the norms that hold on the day
    chosen = [row for row in rows if row.role in STEP_DOWN_ROLES and row.role_since <= window_start]
    if not chosen:
        return []
    # The engine's own lookups, once for all rows (a call per row cost a millisecond each).
    approaches = pd.Series([row.approach_id for row in chosen], dtype=object)
    factors = complexity_factor(pd.Series([row.complexity or "" for row in chosen], dtype=object), settings)
    monitoring_norms = norm_hours_per_year(pd.Series(["monitoring"] * len(chosen)), approaches, settings)
    role_norms = norm_hours_per_year(pd.Series([row.role for row in chosen]), approaches, settings)
    found = []
    for row, factor, monitoring_norm, role_norm in zip(chosen, factors, monitoring_norms, role_norms, strict=True):
        monitoring = float(monitoring_norm * factor)
        allowed = monitoring * WINDOW_DAYS / DAYS_PER_YEAR
        direct = row.direct_minutes / 60
        if direct > allowed:
            continue
        freed = float(role_norm * factor) - monitoring
        if freed <= 0:
            continue
        found.append(StepDown(row.trajectory_id, row.worker_id, row.role, direct, allowed, freed))
    return sorted(found, key=lambda item: (-item.hours_freed_per_year, str(item.trajectory_id)))


def freed_by_worker(candidates: Iterable[StepDown]) -> Mapping[Any, float]:
    """Hours per year each worker would free by stepping their candidates down."""
    totals: dict[Any, float] = {}
    for item in candidates:
        totals[item.worker_id] = totals.get(item.worker_id, 0.0) + item.hours_freed_per_year
    return totals


# --- Rebalancing advice (issue 17, item 3) -----------------------------------------------------------

# "Regie and monitoring before coaching": the order in which roles are moved.
MOVE_ORDER: Final = {"monitoring": 0, "regie": 1, "uitvoering": 2, "coaching": 3}
MAX_MOVES: Final = 5


@dataclass(frozen=True)
class WorkerLoad:
    worker_id: Any
    capacity_hours: float  # per year, fte(d) x productive hours
    expected_hours: float  # per year, SPEC.md section 3 at the day


@dataclass(frozen=True)
class YouthLoad:
    trajectory_id: Any
    worker_id: Any
    role: str
    hours_per_year: float  # h(role) x f(complexity): what moves with the youth
    fixed: bool = False  # a fixed worker (werkzaam element "vaste begeleider"): moved only if needed


@dataclass(frozen=True)
class Move:
    trajectory_id: Any
    from_worker: Any
    to_worker: Any
    role: str
    hours_per_year: float


def hours_outside_band(expected: float, capacity: float, low: float, high: float) -> float:
    """How far a worker's load lies outside ``[low, high] x capacity``, in hours per year (0 inside
    the band); without capacity every expected hour is outside."""
    if capacity <= 0:
        return expected
    return max(0.0, low * capacity - expected) + max(0.0, expected - high * capacity)


def rebalance(
    workers: Iterable[WorkerLoad],
    youths: Iterable[YouthLoad],
    *,
    low: float,
    high: float,
    max_moves: int = MAX_MOVES,
) -> list[Move]:
    """At most ``max_moves`` handovers that bring the team closest to the band, greedily: each step
    takes the move of one youth to one colleague that lowers the team's hours outside the band
    (``hours_outside_band`` summed) the most, looking first at youths without a fixed worker and,
    among those, at monitoring, then regie, then uitvoering, then coaching (the first role with a
    helpful move wins); a youth with a fixed worker only when no other move helps. Stops when no
    move lowers the total. Each youth moves at most once."""
    capacity = {worker.worker_id: worker.capacity_hours for worker in workers}
    load = {worker.worker_id: worker.expected_hours for worker in workers}
    remaining = [youth for youth in youths if youth.worker_id in load]

    def outside(worker: Any, hours: float) -> float:
        return hours_outside_band(hours, capacity[worker], low, high)

    moves: list[Move] = []
    for _ in range(max_moves):
        best: tuple[tuple[int, int, float], YouthLoad, Any] | None = None
        for youth in remaining:
            source = youth.worker_id
            before_source = outside(source, load[source])
            after_source = outside(source, load[source] - youth.hours_per_year)
            for target in load:
                if target == source:
                    continue
                gain = (
                    before_source
                    + outside(target, load[target])
                    - after_source
                    - outside(target, load[target] + youth.hours_per_year)
                )
                if gain <= 1e-9:
                    continue
                key = (int(youth.fixed), MOVE_ORDER.get(youth.role, len(MOVE_ORDER)), -gain)
                if best is None or key < best[0]:
                    best = (key, youth, target)
        if best is None:
            break
        _key, youth, target = best
        load[youth.worker_id] -= youth.hours_per_year
        load[target] += youth.hours_per_year
        moves.append(Move(youth.trajectory_id, youth.worker_id, target, youth.role, youth.hours_per_year))
        remaining = [other for other in remaining if other.trajectory_id != youth.trajectory_id]
    return moves
