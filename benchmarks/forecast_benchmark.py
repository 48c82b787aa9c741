"""Benchmark of the load forecast with intake (issue 17) for a large region, on PostgreSQL. Not a test.

    python -m benchmarks.forecast_benchmark --workers 2000 --youths 200000 --periods 600000 \\
        --time-entries 5000000

Uses the server of DATABASE_URL (PostgreSQL only) and a database of its own (``--database``,
default ``caseload_bench``), created, migrated and filled with the region of
``benchmarks/region.py`` once per set of sizes (the caseload benchmark's region). Then, best of
``--repeat`` runs each, on 2025-07-01 with two years of history:

- team:   one team's forecast for 26 weeks (``caseload.selectors.team_forecast``: the page's and the
          API's path, JSON document included);
- chart:  the team dashboard's chart of that team (``/team/grafiek/``: 15 months, the 3 ahead
          from the forecast);
- region: every worker of the region for 26 weeks, organisation by organisation (the same queries
          and maths, all teams at once: the history is the organisation's either way).

It prints the times with their split into queries and maths. Goal of issue 17: under 5 seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from benchmarks.common import best_of, region_arguments, region_open

DAY = dt.date(2025, 7, 1)
WEEKS = 26
GOAL_SECONDS = 5.0


def team_run() -> tuple[int, dict[str, float]]:
    from caseload import selectors
    from core.models import Team

    team = Team.objects.order_by("pk").first()
    assert team is not None
    started = time.perf_counter()
    result = selectors.team_forecast(team=team, day=DAY, weeks=WEEKS)
    return len(result.document["workers"]), {"total": time.perf_counter() - started}


def chart_run() -> tuple[int, dict[str, float]]:
    """The team dashboard's chart (``/team/grafiek/``): 15 months, the last 3 from the forecast."""
    from caseload import selectors
    from core.models import Team

    team = Team.objects.order_by("pk").first()
    assert team is not None
    started = time.perf_counter()
    first, end = selectors.chart_window(DAY)
    inputs = selectors.caseload_inputs(selectors.CaseloadScope(team_ids=(team.pk,)), window_from=first, window_to=end)
    months = selectors.team_load_by_month(inputs, day=DAY)
    return len(months), {"total": time.perf_counter() - started}


def region_run() -> tuple[int, dict[str, float]]:
    from caseload import forecast, selectors

    steps: dict[str, float] = {}
    started = time.perf_counter()
    scope = selectors.caseload_scope_all()
    horizon = 7 * WEEKS
    inputs = selectors.forecast_inputs(scope, day=DAY, horizon=horizon)
    team_of_worker = inputs.workers.set_index("worker_id")["team_id"]
    steps["workers and fte"] = time.perf_counter() - started
    workers = 0
    for org in inputs.organisations:
        begun = time.perf_counter()
        history_from = DAY - dt.timedelta(days=forecast.HISTORY_DAYS)
        periods = selectors._history_periods_frame(org.settings.organisation_id, history_from, DAY)
        starts = selectors._starts_frame(org.settings.organisation_id, history_from, DAY)
        steps["history queries"] = steps.get("history queries", 0.0) + time.perf_counter() - begun
        begun = time.perf_counter()
        result = forecast.load_forecast(
            periods=periods,
            starts=starts,
            workers=org.workers.assign(team=team_of_worker.reindex(org.workers["worker_id"]).to_numpy()),
            fte_periods=org.fte_periods,
            day=DAY,
            horizon=horizon,
            settings=org.settings.caseload,
            history_from=history_from,
        )
        document = forecast.forecast_json(result, WEEKS)
        steps["maths and JSON"] = steps.get("maths and JSON", 0.0) + time.perf_counter() - begun
        rows = document["workers"]
        assert isinstance(rows, list)
        workers += len(rows)
    steps["total"] = time.perf_counter() - started
    return workers, steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    region_arguments(parser)
    args = parser.parse_args(argv)

    region_open(args)

    print()
    print(f"{'run':<34}{'seconds':>9}   workers; split of the best run")
    failures = []
    for label, run, unit in (
        (f"team, {WEEKS} weeks from {DAY}", team_run, "workers"),
        ("team dashboard chart (15 months)", chart_run, "months"),
        (f"region, {WEEKS} weeks from {DAY}", region_run, "workers"),
    ):
        seconds, (workers, steps) = best_of(args.repeat, run)
        print(
            f"{label:<34}{seconds:>9.3f}   {workers} {unit}; " + ", ".join(f"{k} {v:.3f} s" for k, v in steps.items())
        )
        if seconds > GOAL_SECONDS:
            failures.append(f"{label}: {seconds:.1f} s, above the goal of {GOAL_SECONDS:g} s")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
