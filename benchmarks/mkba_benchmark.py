"""Benchmark of a stored MKBA report over a large cohort (issue 7), end to end in a real worker,
against one raw SQL aggregate over the same rows, on PostgreSQL. Not a test.

    python -m benchmarks.mkba_benchmark --trajectories 100000 --time-entries 5000000

Uses the server of DATABASE_URL (PostgreSQL only) and a database of its own (``--database``,
default ``caseload_mkba_bench``), created and migrated when missing. The cohort is generated there
by SQL (``INSERT ... SELECT`` over ``generate_series``), once per set of sizes:

- one organisation with teams of 20 workers (one worker per 50 trajectories) and one fte period each;
- approach "Benchmark-aanpak": ``trajectories`` trajectories started in 2024 (the cohort), plus a
  tenth more outside it (started in 2023, or in a second approach), one youth each;
- ``time_entries`` time entries over 2024-2025: 60% client direct, 20% client indirect, 20%
  overhead (no trajectory); client time on the trajectories, some of it after the measurement date;
- outcomes (work on every third trajectory, school on every fifth, a startkwalificatie on every
  seventh, some recorded twice or after the measurement date) and cost items (on every fourth
  trajectory, and twelve approach-level items).

Then, best of ``--repeat`` runs each:

- report: the real path of ``POST /api/v1/mkba/reports/``: ``reports.services.report_request`` sends
  the job through the broker (Redis when REDIS_URL is set, else the embedded one) to a separately
  started worker, which reads the cohort, computes, renders the PDF and stores the report; the
  clock stops when the stored report is done (the report of the previous run is deleted first,
  since a report is made once per key);
- raw: the same inputs by one SQL statement: N, client minutes, cost sums per line, trajectories
  per outcome type.

It prints both, their ratio, where the worker's time went (measured in this process on the same
path), and checks that the report's figures agree with the raw aggregate (exit 1 if not).
Goal of issue 7: under 10 seconds, and within 3x of the raw aggregate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import YOUTHS_SQL, best_of, database_create, database_url, execute, step

PROJECT_DIR = Path(__file__).resolve().parent.parent
COHORT_FROM, COHORT_TO, MEASURED_AT = dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 30)
GOAL_SECONDS, GOAL_RATIO = 10.0, 3.0
TEAM_SIZE, TRAJECTORIES_PER_WORKER = 20, 50
APPROACH_NAME = "Benchmark-aanpak"
MADE_BY = "benchmark"

# NOT MATERIALIZED: a CTE used four times is materialised by default, and a scan of a materialised
# CTE cannot run in parallel (12.9 s instead of 2.5 s at full size); inlined, each part gets the
# parallel hash join the report's own queries get.
RAW_SQL = """
WITH cohort AS NOT MATERIALIZED (
    SELECT id FROM cases_trajectory
    WHERE approach_id = %(approach)s AND start_date >= %(from)s AND start_date < %(to)s
)
SELECT
    (SELECT COUNT(*) FROM cohort),
    (SELECT COALESCE(SUM(minutes), 0) FROM cases_timeentry
     WHERE trajectory_id IN (SELECT id FROM cohort)
       AND category IN ('client_direct', 'client_indirect') AND date <= %(measured_at)s),
    (SELECT COALESCE(json_object_agg(line, total), '{}'::json) FROM (
        SELECT line, SUM(amount) AS total FROM cases_costitem
        WHERE (trajectory_id IN (SELECT id FROM cohort) AND date <= %(measured_at)s)
           OR (approach_id = %(approach)s AND trajectory_id IS NULL AND date >= %(from)s AND date < %(to)s)
        GROUP BY line) AS lines),
    (SELECT COALESCE(json_object_agg(outcome, trajectories), '{}'::json) FROM (
        SELECT outcome, COUNT(DISTINCT trajectory_id) AS trajectories FROM cases_outcome
        WHERE trajectory_id IN (SELECT id FROM cohort) AND date <= %(measured_at)s
        GROUP BY outcome) AS outcomes)
"""


# --- Database --------------------------------------------------------------------------------------


def _setup_django(url: str, queue: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["CASELOAD_REPORT_QUEUE"] = queue  # report_request sends the job to our worker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- The cohort ------------------------------------------------------------------------------------


def cohort_ensure(trajectories: int, time_entries: int) -> bool:
    """Generate the cohort unless these sizes are there already; True when it was generated."""
    from django.db import connection, transaction

    sizes = {"trajectories": trajectories, "time_entries": time_entries, "generator": 2}
    execute("CREATE TABLE IF NOT EXISTS benchmark_mkba (sizes jsonb NOT NULL, generated_at timestamptz NOT NULL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sizes FROM benchmark_mkba ORDER BY generated_at DESC LIMIT 1")
        row = cursor.fetchone()
    if row is not None and (json.loads(row[0]) if isinstance(row[0], str) else row[0]) == sizes:
        return False
    with transaction.atomic():
        _generate(trajectories, time_entries)
        execute(
            "INSERT INTO benchmark_mkba (sizes, generated_at) VALUES (%(sizes)s::jsonb, now())",
            {"sizes": json.dumps(sizes)},
        )
    execute("ANALYZE")
    return True


def _generate(trajectories: int, time_entries: int) -> None:
    from cases.models import Approach
    from core.models import Organisation, Team, Worker

    print(f"Generating {trajectories:,} trajectories in the cohort and {time_entries:,} time entries ...", flush=True)
    execute(
        "TRUNCATE mkba_report, cases_costitem, cases_outcome, cases_timeentry, cases_period, cases_trajectory, "
        "cases_youth, core_fteperiod, core_worker, cases_approach, core_team, core_organisation, benchmark_mkba "
        "RESTART IDENTITY CASCADE"
    )
    # TRUNCATE ... CASCADE empties the parameter sets too (they reference organisations): load the
    # shipped default set again with its own (idempotent) migration loader.
    from importlib import import_module

    from django.apps import apps

    import_module("mkba.migrations.0003_load_default_parameter_set").default_parameter_set_load(apps, None)
    organisation = Organisation.objects.create(name="Regio MKBA-benchmark")
    workers = max(1, trajectories // TRAJECTORIES_PER_WORKER)
    teams = Team.objects.bulk_create(
        Team(organisation=organisation, name=f"Team {n + 1:03d}") for n in range(-(-workers // TEAM_SIZE))
    )
    approach, _other = Approach.objects.bulk_create(
        [Approach(organisation=organisation, name=APPROACH_NAME), Approach(organisation=organisation, name="Andere")]
    )
    created = Worker.objects.bulk_create(
        Worker(external_id=f"W{n + 1:05d}", name=f"Begeleider {n + 1}", team=teams[n // TEAM_SIZE])
        for n in range(workers)
    )
    assert [w.pk for w in created] == list(range(1, workers + 1)), "worker ids are not 1..W"
    assert approach.pk == 1, "approach ids are not 1, 2"
    total = trajectories + max(1, trajectories // 10)
    params: dict[str, object] = {
        "workers": workers,
        "cohort": trajectories,
        "total": total,
        "time_entries": time_entries,
        "organisation": organisation.pk,
    }
    step(
        "fte periods",
        "INSERT INTO core_fteperiod (worker_id, start_date, fte) "
        "SELECT w, DATE '2023-01-01', (ARRAY[1.0, 0.8, 0.9])[1 + w %% 3] FROM generate_series(1, %(workers)s) w",
        params,
    )
    step("youths", YOUTHS_SQL, {**params, "youths": total})
    # 1..cohort: the cohort (approach 1, started in 2024); then every other one started in 2023
    # in approach 1, or in 2024 in approach 2: not in the cohort.
    step(
        "trajectories",
        """
        INSERT INTO cases_trajectory (id, created_at, updated_at, external_id, youth_id, approach_id, worker_id,
            start_date, end_date, funding_source)
        SELECT t, now(), now(), 'T' || t, t,
               CASE WHEN t > %(cohort)s AND t %% 2 = 0 THEN 2 ELSE 1 END,
               1 + (t - 1) %% %(workers)s,
               CASE WHEN t > %(cohort)s AND t %% 2 = 1 THEN DATE '2023-01-01' + (t::bigint * 7919 %% 365)::int
                    ELSE DATE '2024-01-01' + (t::bigint * 7919 %% 366)::int END,
               NULL, 'gemeente'
        FROM generate_series(1, %(total)s) t
        """,
        params,
    )
    step(
        "time entries",
        """
        INSERT INTO cases_timeentry (id, worker_id, date, minutes, category, trajectory_id, note, created_at)
        SELECT e, 1 + (t - 1) %% %(workers)s, DATE '2024-01-01' + (e::bigint * 7919 %% 730)::int, 15 + (e * 37) %% 106,
               CASE WHEN e %% 10 < 6 THEN 'client_direct' WHEN e %% 10 < 8 THEN 'client_indirect' ELSE 'overhead' END,
               CASE WHEN e %% 10 < 8 THEN t END, '', now()
        FROM (SELECT e, 1 + (e::bigint * 104729 %% %(total)s)::int AS t
              FROM generate_series(1, %(time_entries)s) e) AS entries
        """,
        params,
    )
    step(
        "outcomes",
        """
        INSERT INTO cases_outcome (trajectory_id, date, outcome, note, created_at)
        SELECT t, start_date + offset_days, outcome, '', now()
        FROM (SELECT id AS t, start_date FROM cases_trajectory) AS trajectories,
             LATERAL (VALUES ('work', 120, t %% 3 = 0), ('work', 300, t %% 33 = 0), ('school', 60, t %% 5 = 0),
                             ('startkwalificatie', 400, t %% 7 = 0), ('stabilised', 30, t %% 4 = 0))
                 AS kinds(outcome, offset_days, applies)
        WHERE applies
        """,
        params,
    )
    step(
        "cost items",
        """
        INSERT INTO cases_costitem (approach_id, trajectory_id, date, line, amount, description)
        SELECT approach_id, id, start_date + 30, CASE WHEN id %% 8 = 0 THEN 'extra_zorg' ELSE 'overige_interventie' END,
               250 + id %% 100, ''
        FROM cases_trajectory WHERE id %% 4 = 0
        UNION ALL
        SELECT 1, NULL, (DATE '2024-01-15' + make_interval(months => m))::date, 'loon_vergoedingen', 10000, ''
        FROM generate_series(0, 11) m
        """,
        params,
    )
    for table in ("cases_youth", "cases_trajectory", "cases_timeentry"):
        execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


# --- The worker --------------------------------------------------------------------------------------


def start_worker(url: str, queue: str, log_path: Path) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "DATABASE_URL": url, "CASELOAD_REPORT_QUEUE": queue}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1"]
    command += ["--without-gossip", "--without-mingle", "-Q", queue, "-n", f"{queue}@localhost", "--loglevel=INFO"]
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=environment, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while " ready." not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    return process


# --- Runs ----------------------------------------------------------------------------------------------


def report_run(approach: Any, parameter_set: Any) -> Any:
    """Request the report and wait until the worker stored it (the previous run's is deleted)."""
    from mkba import reports as mkba_reports
    from reports import services
    from reports.models import Report

    Report.objects.filter(made_by=MADE_BY).delete()
    started = time.perf_counter()
    report, created = services.report_request(
        kind=mkba_reports.ON_DEMAND.value,
        organisation=approach.organisation,
        approach=approach,
        period_start=COHORT_FROM,
        period_end=COHORT_TO,
        measured_at=MEASURED_AT,
        parameter_set=parameter_set,
        made_by=MADE_BY,
    )
    assert created
    while True:
        row = Report.objects.filter(pk=report.pk).values("status", "error").get()
        if row["status"] == Report.Status.DONE:
            break
        if row["status"] == Report.Status.FAILED:
            raise SystemExit(f"the report failed: {row['error']}")
        if time.perf_counter() - started > 600:
            raise SystemExit("the report was not done within 10 minutes")
        time.sleep(0.02)
    return Report.objects.defer("pdf").get(pk=report.pk)


def raw_run(approach_id: int) -> tuple[int, int, dict[str, Decimal], dict[str, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            RAW_SQL, {"approach": approach_id, "from": COHORT_FROM, "to": COHORT_TO, "measured_at": MEASURED_AT}
        )
        participants, minutes, costs, outcomes = cursor.fetchone()
    costs = json.loads(costs) if isinstance(costs, str) else costs
    outcomes = json.loads(outcomes) if isinstance(outcomes, str) else outcomes
    return int(participants), int(minutes), {k: Decimal(str(v)) for k, v in costs.items()}, outcomes


def worker_split(approach: Any, parameter_set: Any) -> dict[str, float]:
    """Where the worker's time goes: the same steps as the job, timed in this process."""
    from mkba import calculations, selectors
    from mkba.reports import cohort_inputs_document
    from reports import documents, services
    from reports.models import Report

    parameters = calculations.parameter_set_from_dict(
        parameter_set.data, name=parameter_set.name, version=parameter_set.version
    )
    cohort = {"approach": approach, "date_from": COHORT_FROM, "date_to": COHORT_TO, "measured_at": MEASURED_AT}
    steps: dict[str, float] = {}
    started = time.perf_counter()
    inputs = selectors.mkba_report_inputs(**cohort, parameters=parameters)
    steps["inputs (4 queries)"] = time.perf_counter() - started
    mark = time.perf_counter()
    result = selectors.mkba_report_from_inputs(**cohort, parameters=parameters, inputs=inputs)
    steps["engine + JSON"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report = Report.objects.filter(made_by=MADE_BY).select_related("approach", "parameter_set").get()
    services.report_fingerprint(report, inputs={"cohort": cohort_inputs_document(inputs)})
    steps["fingerprint"] = time.perf_counter() - mark
    documents.report_pdf(report, result)  # once to warm up (imports, fonts), as in a running worker
    mark = time.perf_counter()
    documents.report_pdf(report, result)
    steps["PDF (WeasyPrint)"] = time.perf_counter() - mark
    return steps


def _euro(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compare(report: Any, raw: tuple[int, int, dict[str, Decimal], dict[str, int]], hourly_rate: Decimal) -> list[str]:
    """The report's figures against the raw aggregate: N, begeleiding (client hours x rate), the
    other cost lines, and the observed rates (trajectories with the outcome / N)."""
    participants, minutes, costs, outcomes = raw
    result = report.result
    problems = []
    if result["participants"] != participants:
        problems.append(f"participants {result['participants']} != {participants}")
    expected_costs = {line: _euro(amount) for line, amount in costs.items()}
    expected_costs["begeleiding"] = _euro(Decimal(minutes) / 60 * hourly_rate)
    for line, amount in expected_costs.items():
        if result["costs"].get(line) != amount:
            problems.append(f"costs.{line} {result['costs'].get(line)} != {amount}")
    for outcome, effect in result["effects"].items():
        if effect["observed"] is None or not participants:
            continue
        # The JSON rounds rates half up to 0.001: 115 / 2,000 = 0.0575 is 0.058.
        observed = float((Decimal(outcomes.get(outcome, 0)) / participants).quantize(Decimal("0.001"), ROUND_HALF_UP))
        if effect["observed"] != observed:
            problems.append(f"effects.{outcome}.observed {effect['observed']} != {observed}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trajectories", type=int, default=10_000, help="trajectories in the cohort")
    parser.add_argument("--time-entries", type=int, default=500_000)
    parser.add_argument("--database", default="caseload_mkba_bench", help="database name on the DATABASE_URL server")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)
    if args.trajectories < 1 or args.time_entries < 1:
        parser.error("sizes must be at least 1")

    url = database_url(os.environ.get("DATABASE_URL", ""), args.database)
    database_create(url)
    queue = f"mkba-benchmark-{uuid.uuid4().hex[:8]}"
    _setup_django(url, queue)

    started = time.perf_counter()
    if cohort_ensure(args.trajectories, args.time_entries):
        print(f"Generated in {time.perf_counter() - started:.1f} s")
    else:
        print(f"Cohort of {args.trajectories:,} trajectories and {args.time_entries:,} time entries already there.")

    from django.conf import settings

    from cases.models import Approach
    from mkba import selectors

    approach = Approach.objects.select_related("organisation").get(name=APPROACH_NAME)
    parameter_set = selectors.parameter_set_for_approach(approach)
    broker = "Redis" if settings.REDIS_URL else "the embedded (filesystem) broker"
    log_path = Path(tempfile.gettempdir()) / f"{queue}.log"
    worker = start_worker(url, queue, log_path)
    try:
        print(f"Worker started (log {log_path}); broker: {broker}.")
        report_seconds, report = best_of(args.repeat, lambda: report_run(approach, parameter_set))
        raw_seconds, raw = best_of(args.repeat, lambda: raw_run(approach.pk))
        split = worker_split(approach, parameter_set)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    ratio = report_seconds / raw_seconds if raw_seconds else float("inf")
    participants, minutes, _costs, outcomes = raw
    print()
    print(
        f"cohort: {participants:,} trajectories, {minutes / 60:,.0f} client hours, {sum(outcomes.values()):,} outcomes"
    )
    print(f"{'report (request -> worker -> stored, PDF included)':<55}{report_seconds:>9.3f} s")
    print(f"{'raw SQL aggregate (N, minutes, costs, outcomes)':<55}{raw_seconds:>9.3f} s")
    print(f"{'ratio':<55}{ratio:>9.2f} x")
    waited = (report.started_at - report.created_at).total_seconds()
    worked = (report.finished_at - report.started_at).total_seconds()
    print(f"last report: queued {waited:.3f} s, in the worker {worked:.3f} s (fingerprint {report.fingerprint[:12]})")
    print("the worker's steps, timed in this process: " + ", ".join(f"{k} {v:.3f} s" for k, v in split.items()))
    if report_seconds > GOAL_SECONDS:
        print(f"note: above the goal of {GOAL_SECONDS:g} s")
    if ratio > GOAL_RATIO:
        print(f"note: above the goal of {GOAL_RATIO:g}x the raw aggregate")
    problems = compare(report, raw, Decimal(str(parameter_set.data["hourly_rate"])))
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
