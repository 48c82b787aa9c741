"""Benchmark of the caseload of a large region (issue 5): the real selector + engine path against
one raw SQL aggregate, on PostgreSQL. Not a test.

    python -m benchmarks.caseload_benchmark --workers 2000 --youths 200000 --periods 600000 \\
        --time-entries 5000000

Uses the server of DATABASE_URL (PostgreSQL only) and a database of its own (``--database``,
default ``caseload_bench``), created and migrated when missing; the region is generated there
once per set of sizes (see benchmarks/region.py). Then, best of ``--repeat`` runs each:

- date:   the caseload of all workers on 2025-07-01 (``manage.py caseload --date``'s path);
- year:   the caseload of all workers over [2025-01-01, 2026-01-01) (``--from``/``--to``'s path);
- raw:    the same totals (sum of expected hours, and of logged minutes) by one SQL aggregate.

It prints the times, their ratio and both totals, and fails (exit 1) when the totals disagree.
Goal: the engine path within 2x of the raw aggregate, and under 2 seconds for the year.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

from benchmarks.common import best_of, region_arguments, region_open

DAY = dt.date(2025, 7, 1)
YEAR_FROM, YEAR_TO = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
GOAL_RATIO, GOAL_YEAR_SECONDS = 2.0, 2.0

# The raw aggregate: SPEC.md 3's expected hours (norm of the role, the approach's own where set,
# times the complexity factor, times the overlap days / 365 in a period) over the load-bearing
# periods of the effective worker, and the minutes logged in the period, in one statement.
RAW_SQL = """
WITH load_bearing AS (
    SELECT p.role, p.start_date, COALESCE(p.end_date, %(to)s) AS end_date, t.approach_id, y.complexity
    FROM cases_period p
    JOIN cases_trajectory t ON t.id = p.trajectory_id
    JOIN cases_youth y ON y.id = t.youth_id
    WHERE p.role IN ('coaching', 'uitvoering', 'regie', 'monitoring')
      AND p.phase NOT IN ('aanmelding', 'afgesloten', 'time-out')
      AND p.start_date < %(to)s AND (p.end_date IS NULL OR p.end_date > %(from)s)
)
SELECT
    (SELECT SUM(
        CASE lb.role
            WHEN 'coaching' THEN COALESCE(a.norm_coaching_hours, o.norm_coaching_hours)
            WHEN 'uitvoering' THEN COALESCE(a.norm_uitvoering_hours, o.norm_uitvoering_hours)
            WHEN 'regie' THEN COALESCE(a.norm_regie_hours, o.norm_regie_hours)
            ELSE COALESCE(a.norm_monitoring_hours, o.norm_monitoring_hours)
        END
        * CASE lb.complexity
            WHEN 'licht' THEN o.factor_licht WHEN 'meervoudig' THEN o.factor_meervoudig
            WHEN 'complex' THEN o.factor_complex ELSE 1
        END
        * CASE WHEN %(per_year)s THEN (LEAST(lb.end_date, %(to)s) - GREATEST(lb.start_date, %(from)s)) / 365.0
               ELSE 1 END)
     FROM load_bearing lb
     JOIN cases_approach a ON a.id = lb.approach_id
     JOIN core_organisation o ON o.id = a.organisation_id),
    (SELECT COALESCE(SUM(minutes), 0) FROM cases_timeentry WHERE %(per_year)s AND date >= %(from)s AND date < %(to)s)
"""


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # Test settings: DEBUG off (no query log), no secrets needed.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _vacuum() -> None:
    """VACUUM (ANALYZE) the tables the runs read, as autovacuum keeps a live database.

    The region is written in bulk; until a vacuum sets the visibility map, an index-only scan
    (the time entries' covering index) still reads every row from the table. Quick when nothing
    changed since the last vacuum. Outside a transaction, as VACUUM needs.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("cases_timeentry", "cases_period", "cases_trajectory", "cases_youth", "core_fteperiod"):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def engine_run(
    *, day: dt.date | None, date_from: dt.date | None, date_to: dt.date | None
) -> tuple[float, float, int, dict[str, float]]:
    """The real path of ``manage.py caseload`` (scope of all workers, inputs, engine, JSON).

    Returns the unrounded sum of expected hours and of logged minutes over the workers, the number
    of workers in the JSON document, and the seconds of each step.
    """
    from django.db import connection

    from caseload import calculations as calc
    from caseload import selectors

    steps: dict[str, float] = {}
    query_seconds: dict[str, float] = {}

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        table = next((name for name in _QUERY_NAMES if f'FROM "{name}"' in sql), "other")
        begun = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            label = _QUERY_NAMES.get(table, "other")
            query_seconds[label] = query_seconds.get(label, 0.0) + time.perf_counter() - begun

    with connection.execute_wrapper(timed):
        return _engine_run(day, date_from, date_to, steps, query_seconds, calc, selectors)


_QUERY_NAMES = {
    "cases_period": "periods SQL",
    "cases_timeentry": "logged SQL",
    "core_fteperiod": "fte SQL",
    "core_worker": "workers SQL",
}


def _engine_run(day, date_from, date_to, steps, query_seconds, calc, selectors):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    scope = selectors.caseload_scope_all()
    if day is not None:
        inputs = selectors.caseload_inputs(scope, window_from=day, window_to=day + dt.timedelta(days=1))
        steps["queries"] = time.perf_counter() - started
        result = selectors.caseload_result_on_date(inputs, day)
    else:
        assert date_from is not None and date_to is not None
        inputs = selectors.caseload_inputs(
            scope, window_from=date_from, window_to=date_to, logged_from=date_from, logged_to=date_to
        )
        steps["queries"] = time.perf_counter() - started
        result = selectors.caseload_result_for_period(inputs, date_from, date_to)
    steps["engine"] = time.perf_counter() - started - steps["queries"]
    document = calc.caseload_json(result)
    steps["json"] = time.perf_counter() - started - steps["queries"] - steps["engine"]
    steps.update({f"  of which {label}": seconds for label, seconds in sorted(query_seconds.items())})
    workers = result.workers
    expected = float(workers["expected_hours"].sum())
    logged = workers[["logged_client_direct", "logged_client_indirect", "logged_overhead"]].sum(min_count=1).sum()
    minutes = float(logged) * 60 if logged == logged else 0.0  # NaN in date mode: nothing logged
    rows = document["workers"]
    assert isinstance(rows, list)
    return expected, minutes, len(rows), steps


def raw_run(*, date_from: dt.date, date_to: dt.date, per_year: bool) -> tuple[float, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, {"from": date_from, "to": date_to, "per_year": per_year})
        expected, minutes = cursor.fetchone()
    return float(expected or 0), float(minutes or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    region_arguments(parser)
    args = parser.parse_args(argv)

    region_open(args)

    failures = []
    print()
    print(f"{'run':<30}{'engine s':>10}{'raw SQL s':>11}{'ratio':>8}   totals (engine / raw SQL)")
    cases = [
        (f"date {DAY}", {"day": DAY, "date_from": None, "date_to": None}, (DAY, DAY + dt.timedelta(days=1), False)),
        (
            f"year {YEAR_FROM} .. {YEAR_TO}",
            {"day": None, "date_from": YEAR_FROM, "date_to": YEAR_TO},
            (YEAR_FROM, YEAR_TO, True),
        ),
    ]
    for label, engine_args, (raw_from, raw_to, per_year) in cases:
        engine_seconds, (expected, minutes, workers, steps) = best_of(
            args.repeat, lambda a=engine_args: engine_run(**a)
        )
        raw_seconds, (raw_expected, raw_minutes) = best_of(
            args.repeat, lambda f=raw_from, t=raw_to, p=per_year: raw_run(date_from=f, date_to=t, per_year=p)
        )
        ratio = engine_seconds / raw_seconds if raw_seconds else float("inf")
        print(
            f"{label:<30}{engine_seconds:>10.3f}{raw_seconds:>11.3f}{ratio:>8.2f}   "
            f"expected h {expected:,.1f} / {raw_expected:,.1f}; logged min {minutes:,.0f} / {raw_minutes:,.0f}"
        )
        print(
            f"{'':<30}{workers} workers; last engine run: "
            + ", ".join(f"{step} {seconds:.3f} s" for step, seconds in steps.items())
        )
        if abs(expected - raw_expected) > 1e-6 * max(1.0, abs(raw_expected)) or abs(minutes - raw_minutes) > 0.5:
            failures.append(f"{label}: totals disagree")
        if ratio > GOAL_RATIO:
            print(f"{'':<30}note: above the goal of {GOAL_RATIO:g}x the raw aggregate")
        if per_year and engine_seconds > GOAL_YEAR_SECONDS:
            print(f"{'':<30}note: above the goal of {GOAL_YEAR_SECONDS:g} s for the year")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
