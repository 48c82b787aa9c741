"""Norms learned from the organisation's own hours (issue 17, item 1). Pure: frames in, figures out.

The norm hours per role (SPEC.md section 3: coaching 40, uitvoering 40, regie 12, monitoring 8 per
youth per year) are the study's guesses. Here they are estimated from what the workers logged:

- per worker and calendar month (the part of the month inside ``[from, to)``), the *client hours*
  ``(client_direct + client_indirect minutes) / 60`` logged in it;
- per worker, month and role the *youth-years*: the load-bearing youth-days of that worker's
  periods of that role inside the month (SPEC.md section 3's load-bearing rule and effective worker),
  each weighted with the complexity factor ``f(complexity)`` as the engine weighs them, ``/ 365``;
- the model ``client_hours ≈ Σ_role h(role) × youth_years(role)`` fitted with non-negative least
  squares (scipy's NNLS) over all worker-months, so each estimate is hours per youth per year;
- an interval per norm: the 2.5th and 97.5th percentile of the estimates over ``resamples``
  bootstrap resamples of the worker-months (seeded: the same data give the same interval).

A role without any youth-years in the data has no estimate (None). Rounding only in the JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from scipy.optimize import nnls  # type: ignore[import-untyped, unused-ignore]

from caseload.calculations import (
    DAYS_PER_YEAR,
    ROLES,
    CaseloadSettings,
    complexity_factor,
    day_number,
    day_numbers,
    is_load_bearing,
    round_half_up,
)

CLIENT_CATEGORIES: Final = ("client_direct", "client_indirect")
RESAMPLES: Final = 500
SEED: Final = 20260101
LOW_PERCENTILE, HIGH_PERCENTILE = 2.5, 97.5

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class NormEstimate:
    """One role's norm: the one in use, the estimate and its interval (hours per youth per year)."""

    current: float | None
    estimate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Calibration:
    date_from: dt.date
    date_to: dt.date
    worker_months: int
    norms: Mapping[str, NormEstimate]


def month_windows(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months overlapping ``[date_from, date_to)``, each cut to that window:
    ``[(start, end), ...]`` with ``end`` exclusive. [15 Jan, 10 Mar) gives [15 Jan, 1 Feb),
    [1 Feb, 1 Mar), [1 Mar, 10 Mar)."""
    if date_to <= date_from:
        raise ValueError("the period is empty: 'to' must be after 'from'")
    windows = []
    start = date_from
    while start < date_to:
        next_month = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        end = min(next_month, date_to)
        windows.append((start, end))
        start = end
    return windows


def youth_years(
    periods: pd.DataFrame, months: list[tuple[dt.date, dt.date]], settings: CaseloadSettings
) -> pd.DataFrame:
    """Youth-years per (worker_id, month index) and role: the load-bearing days of each period of
    that role inside the month, times ``f(complexity)``, / 365. ``periods`` has the engine's
    columns (``worker_id`` is the effective worker). Rows: only worker-months with any."""
    load = is_load_bearing(periods["phase"], periods["role"])
    chosen = periods.loc[load]
    if chosen.empty:
        return pd.DataFrame(columns=list(ROLES), index=pd.MultiIndex.from_tuples([], names=["worker_id", "month"]))
    start = day_numbers(chosen["start"], column="start", open_allowed=False)
    end = day_numbers(chosen["end"], column="end", open_allowed=True)
    factor = complexity_factor(chosen["complexity"], settings)
    month_start = np.array([day_number(first) for first, _ in months], dtype=np.int64)
    month_end = np.array([day_number(last) for _, last in months], dtype=np.int64)
    # periods x months overlap in days
    overlap = np.clip(
        np.minimum(end[:, None], month_end[None, :]) - np.maximum(start[:, None], month_start[None, :]), 0, None
    )
    weighted = overlap * factor[:, None] / DAYS_PER_YEAR
    period_index, month_index = np.nonzero(overlap)
    frame = pd.DataFrame(
        {
            "worker_id": chosen["worker_id"].to_numpy()[period_index],
            "month": month_index.astype(np.int64),
            "role": chosen["role"].astype(str).to_numpy()[period_index],
            "years": weighted[period_index, month_index],
        }
    )
    table = frame.pivot_table(index=["worker_id", "month"], columns="role", values="years", aggfunc="sum")
    return table.reindex(columns=list(ROLES), fill_value=0.0).fillna(0.0)


def client_hours(logged: pd.DataFrame, months: list[tuple[dt.date, dt.date]]) -> pd.Series:
    """Client hours per (worker_id, month index): ``logged`` has ``worker_id, date, category,
    minutes`` (dates inside the window; summed per day or not); direct + indirect minutes / 60."""
    if logged.empty:
        return pd.Series(dtype=np.float64, index=pd.MultiIndex.from_tuples([], names=["worker_id", "month"]))
    client = logged.loc[logged["category"].isin(CLIENT_CATEGORIES)]
    month_start = np.array([day_number(first) for first, _ in months], dtype=np.int64)
    days = day_numbers(client["date"], column="date", open_allowed=False)
    month = np.searchsorted(month_start, days, side="right") - 1
    frame = pd.DataFrame({"worker_id": client["worker_id"].to_numpy(), "month": month, "hours": client["minutes"] / 60})
    return frame.groupby(["worker_id", "month"])["hours"].sum()


def norms_fit(design: FloatArray, hours: FloatArray) -> FloatArray:
    """Non-negative least squares: the ``h >= 0`` minimising ``|design · h - hours|``."""
    solution, _residual = nnls(design, hours)
    return np.asarray(solution, dtype=np.float64)


def norms_fit_weighted(design: FloatArray, hours: FloatArray, weights: FloatArray) -> FloatArray:
    """``norms_fit`` of the rows repeated ``weights`` times (a bootstrap resample), on the 4 x 4
    normal equations instead of the rows: with ``G = Xᵀ W X = Rᵀ R`` (Cholesky) and ``Rᵀ d = Xᵀ W y``,
    ``|R h - d|² = |W½ (X h - y)|² - const``, so NNLS on ``(R, d)`` has the same minimiser at a
    fraction of the cost. Columns without youth-years in the resample stay 0; where ``G`` is not
    positive definite (collinear columns) the rows themselves are fitted."""
    weighted = design * weights[:, None]
    gram = weighted.T @ design
    moment = weighted.T @ hours
    active = np.diag(gram) > 0
    solution = np.zeros(design.shape[1], dtype=np.float64)
    if not active.any():
        return solution
    try:
        lower = np.linalg.cholesky(gram[np.ix_(active, active)])
    except np.linalg.LinAlgError:
        root = np.sqrt(weights)
        return norms_fit(design * root[:, None], hours * root)
    d = np.linalg.solve(lower, moment[active])
    solution[active] = norms_fit(np.asarray(lower.T, dtype=np.float64), np.asarray(d, dtype=np.float64))
    return solution


def norms_calibrate(
    design: FloatArray,
    hours: FloatArray,
    current: Mapping[str, float | None],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> dict[str, NormEstimate]:
    """The estimate per role (columns of ``design`` in ``ROLES`` order) and its bootstrap interval:
    ``resamples`` draws of the rows with replacement (numpy's generator seeded with ``seed``), a
    fit on each (``norms_fit_weighted``), the 2.5th and 97.5th percentile. A role whose column is all
    zero: no estimate."""
    informative = design.sum(axis=0) > 0
    estimate = norms_fit(design, hours) if len(hours) else np.zeros(len(ROLES))
    low = high = np.full(len(ROLES), np.nan)
    if len(hours) and resamples > 0:
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, len(hours), size=(resamples, len(hours)))
        fits = np.array(
            [
                norms_fit_weighted(design, hours, np.bincount(rows, minlength=len(hours)).astype(np.float64))
                for rows in draws
            ]
        )
        low = np.percentile(fits, LOW_PERCENTILE, axis=0)
        high = np.percentile(fits, HIGH_PERCENTILE, axis=0)
    return {
        role: NormEstimate(
            current=current.get(role),
            estimate=float(estimate[index]) if informative[index] else None,
            low=float(low[index]) if informative[index] and not np.isnan(low[index]) else None,
            high=float(high[index]) if informative[index] and not np.isnan(high[index]) else None,
        )
        for index, role in enumerate(ROLES)
    }


def calibrate(
    *,
    periods: pd.DataFrame,
    logged: pd.DataFrame,
    date_from: dt.date,
    date_to: dt.date,
    settings: CaseloadSettings,
    current: Mapping[str, float | None],
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Calibration:
    """The whole rule of this module over ``[date_from, date_to)``: worker-months with any
    youth-years or any client hours, the fit and the intervals."""
    months = month_windows(date_from, date_to)
    years = youth_years(periods, months, settings)
    hours = client_hours(logged, months)
    index = years.index.union(hours.index)
    design = years.reindex(index, fill_value=0.0).to_numpy(dtype=np.float64)
    target = hours.reindex(index, fill_value=0.0).to_numpy(dtype=np.float64)
    norms = norms_calibrate(design, target, current, resamples=resamples, seed=seed)
    return Calibration(date_from, date_to, len(index), norms)


def _one(value: float | None) -> float | None:
    return None if value is None else round_half_up(value, 1)


def calibration_json(result: Calibration) -> dict[str, object]:
    """``{from, to, worker_months, norms {coaching, uitvoering, regie, monitoring: {current,
    estimate, low, high}}}`` in hours per youth per year, to 0.1."""
    return {
        "from": result.date_from.isoformat(),
        "to": result.date_to.isoformat(),
        "worker_months": result.worker_months,
        "norms": {
            role: {
                "current": _one(norm.current),
                "estimate": _one(norm.estimate),
                "low": _one(norm.low),
                "high": _one(norm.high),
            }
            for role, norm in result.norms.items()
        },
    }
