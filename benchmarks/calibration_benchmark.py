"""Benchmark of the norms learned from the hours (issue 17, item 1) for a large region: the real
path of ``manage.py calibrate_norms`` (scope, inputs, youth-years per worker-month, the client
minutes by month, the NNLS fit and its bootstrap) against a raw SQL aggregate of the same two
inputs. Not a test.

    python -m benchmarks.calibration_benchmark --workers 2000 --youths 200000 --periods 600000 \\
        --time-entries 5000000

Uses the server of DATABASE_URL (PostgreSQL only) and the region database of the caseload
benchmark (``--database``, default ``caseload_bench``; benchmarks/region.py generates it once per
set of sizes). Best of ``--repeat`` runs each:

- calibration: ``norms_calibration_for_scope`` over the year [2025-01-01, 2026-01-01), all workers,
  with the command's 500 bootstrap resamples;
- raw: one SQL statement that sums the client minutes per worker and month and the load-bearing
  youth-days per worker, month and role (the fit's inputs, without the fit).

Prints both times, their ratio and the worker-months; goal (issue 17): under 5 seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from benchmarks.common import best_of, region_arguments, region_open

DATE_FROM, DATE_TO = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
GOAL_SECONDS = 5.0

# The fit's inputs in SQL: client minutes per worker and month, and load-bearing youth-days per
# worker, month and role (the period's effective worker; the overlap of each period with each month).
RAW_SQL = """
WITH months AS (
    SELECT m::date AS first, (m + interval '1 month')::date AS after
    FROM generate_series(%(from)s::date, %(to)s::date - 1, interval '1 month') m
),
minutes AS (
    SELECT worker_id, date_trunc('month', date) AS month, SUM(minutes) AS minutes
    FROM cases_timeentry
    WHERE date >= %(from)s AND date < %(to)s AND category IN ('client_direct', 'client_indirect')
    GROUP BY 1, 2
),
days AS (
    SELECT COALESCE(p.worker_id, t.worker_id) AS worker_id, m.first AS month, p.role,
           SUM(LEAST(COALESCE(p.end_date, m.after), m.after) - GREATEST(p.start_date, m.first)) AS days
    FROM cases_period p
    JOIN cases_trajectory t ON t.id = p.trajectory_id
    JOIN months m ON p.start_date < m.after AND (p.end_date IS NULL OR p.end_date > m.first)
    WHERE p.role IN ('coaching', 'uitvoering', 'regie', 'monitoring')
      AND p.phase NOT IN ('aanmelding', 'afgesloten', 'time-out')
    GROUP BY 1, 2, 3
)
SELECT (SELECT COUNT(*) FROM minutes), (SELECT COALESCE(SUM(minutes), 0) FROM minutes),
       (SELECT COALESCE(SUM(days), 0) FROM days)
"""


def calibration_run() -> dict[str, object]:
    from caseload import selectors

    return selectors.norms_calibration_for_scope(
        scope=selectors.caseload_scope_all(), date_from=DATE_FROM, date_to=DATE_TO
    )


def raw_run() -> tuple[int, float, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, {"from": DATE_FROM, "to": DATE_TO})
        months, minutes, days = cursor.fetchone()
    return int(months), float(minutes), float(days)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    region_arguments(parser, workers=2000, youths=200_000, periods=600_000, time_entries=5_000_000)
    args = parser.parse_args(argv)

    region_open(args)

    seconds, document = best_of(args.repeat, calibration_run)
    raw_seconds, (worker_months_logged, minutes, days) = best_of(args.repeat, raw_run)
    ratio = seconds / raw_seconds if raw_seconds else float("inf")
    print()
    print(f"{'run':<34}{'seconds':>9}{'ratio':>8}")
    print(f"{'calibration ' + str(DATE_FROM) + ' .. ' + str(DATE_TO):<34}{seconds:>9.3f}{ratio:>8.2f}")
    print(f"{'raw SQL (inputs only)':<34}{raw_seconds:>9.3f}")
    print(
        f"worker-months {document['worker_months']} (with client minutes: {worker_months_logged}); "
        f"client minutes {minutes:,.0f}; load-bearing youth-days {days:,.0f}"
    )
    norms = document["norms"]
    assert isinstance(norms, dict)
    print(
        "estimates: "
        + ", ".join(
            f"{role} {figures['estimate']} [{figures['low']}, {figures['high']}]" for role, figures in norms.items()
        )
    )
    if seconds > GOAL_SECONDS:
        print(f"note: above the goal of {GOAL_SECONDS:g} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
