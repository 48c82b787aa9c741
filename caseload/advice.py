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

from caseload.calculations import DAYS_PER_YEAR, CaseloadSettings

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


def _norm(role: str, approach_id: Any, settings: CaseloadSettings) -> float:
    override = settings.approach_overrides.get(approach_id)
    if override is not None and role in override.norm_hours:
        return float(override.norm_hours[role])
    return float(settings.norm_hours[role])


def step_down_candidates(rows: Iterable[RunningRole], day: dt.date, settings: CaseloadSettings) -> list[StepDown]:
    """The candidates of the module's rule on ``day``, most hours freed first."""
    window_start = day - dt.timedelta(days=WINDOW_DAYS)
    found = []
    for row in rows:
        if row.role not in STEP_DOWN_ROLES or row.role_since > window_start:
            continue
        factor = float(settings.complexity_factors.get(row.complexity or "", 1.0))
        monitoring = _norm("monitoring", row.approach_id, settings) * factor
        allowed = monitoring * WINDOW_DAYS / DAYS_PER_YEAR
        direct = row.direct_minutes / 60
        if direct > allowed:
            continue
        freed = _norm(row.role, row.approach_id, settings) * factor - monitoring
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
