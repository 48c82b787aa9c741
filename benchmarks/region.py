"""A generated large region for the benchmarks, written by SQL inside PostgreSQL (not row by row).

One organisation "Regio Benchmark" with ten approaches (some with their own norms and expected
duration), teams of 20 workers, and:

- ``youths`` youths, one trajectory each, starting over 2023-01-01 .. 2025-09-27;
- ``periods`` periods over those trajectories (back to back: intake/regie, then begeleiding in
  coaching or uitvoering, then nazorg/monitoring; every 15th trajectory coaches for 300 days, so
  long-in-role flags occur); a trajectory whose last period ends after 2025-07-01 is mostly still
  running (open end); every 25th trajectory was handed over to the next worker before its last
  period (its earlier periods name the old worker, the trajectory the new one);
- ``time_entries`` time entries over 2023-01-01 .. 2025-12-31, 60% client direct, 20% client
  indirect, 20% overhead, client time on a trajectory of the same worker;
- one fte period per worker from 2022-01-01, and a change on 2025-03-01 for every fourth worker.

Everything is deterministic (arithmetic on the row number, no random), so two runs of the same
sizes hold the same data. ``region_ensure`` is idempotent: a table ``benchmark_region`` records the
sizes generated; the same sizes again skip the generation, other sizes replace the data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import connection, transaction

from benchmarks.common import YOUTHS_SQL, execute, step

TEAM_SIZE = 20
BASE_DAY = "2023-01-01"
# Approaches: (name, expected duration in days, coaching norm, uitvoering norm); None = the organisation's.
APPROACHES = [
    ("Jongerenadviseurs + werktraject", 182, None, None),
    ("Intensieve begeleiding", 240, Decimal("60"), None),
    ("Leer-werktraject", 300, None, Decimal("50")),
    ("Integrale aanpak", 365, Decimal("50"), Decimal("50")),
    ("Jobcoaching", 120, None, None),
    ("IPS", 270, Decimal("45"), None),
    ("Schuldhulp + werk", 182, None, None),
    ("Re-integratie mbo", 200, None, None),
    ("Nazorg vsv", 150, Decimal("30"), None),
    ("Straatwerk", 182, None, None),
]


@dataclass(frozen=True)
class RegionSize:
    workers: int
    youths: int
    periods: int
    time_entries: int

    def __post_init__(self) -> None:
        if min(self.workers, self.youths, self.periods, self.time_entries) < 1:
            raise ValueError("every size must be at least 1")
        if self.youths < self.workers:
            raise ValueError("give at least as many youths as workers")
        if self.periods < self.youths:
            raise ValueError("give at least one period per youth (trajectory)")


def _generated_sizes() -> dict[str, int] | None:
    execute("CREATE TABLE IF NOT EXISTS benchmark_region (sizes jsonb NOT NULL, generated_at timestamptz NOT NULL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sizes FROM benchmark_region ORDER BY generated_at DESC LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    sizes = row[0]
    return json.loads(sizes) if isinstance(sizes, str) else dict(sizes)


def region_ensure(size: RegionSize) -> bool:
    """Generate the region unless these sizes are there already; True when it was generated."""
    if _generated_sizes() == asdict(size):
        return False
    with transaction.atomic():
        _generate(size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


def _generate(size: RegionSize) -> None:
    from cases.models import Approach
    from core.models import Organisation, Team, Worker

    print(f"Generating {size} ...", flush=True)
    execute(
        "TRUNCATE core_organisation, core_team, core_worker, core_fteperiod, cases_approach, cases_youth, "
        "cases_trajectory, cases_period, cases_timeentry, benchmark_region RESTART IDENTITY CASCADE"
    )
    organisation = Organisation.objects.create(name="Regio Benchmark")
    teams = Team.objects.bulk_create(
        Team(organisation=organisation, name=f"Team {n + 1:03d}") for n in range(-(-size.workers // TEAM_SIZE))
    )
    Approach.objects.bulk_create(
        Approach(
            organisation=organisation,
            name=name,
            expected_duration_days=duration,
            norm_coaching_hours=coaching,
            norm_uitvoering_hours=uitvoering,
        )
        for name, duration, coaching, uitvoering in APPROACHES
    )
    workers = Worker.objects.bulk_create(
        Worker(external_id=f"W{n + 1:05d}", name=f"Begeleider {n + 1}", team=teams[n // TEAM_SIZE])
        for n in range(size.workers)
    )
    # Fresh identities: workers 1..W, approaches 1..10. The SQL below relies on it.
    assert [w.pk for w in workers] == list(range(1, size.workers + 1)), "worker ids are not 1..W"
    params: dict[str, object] = {
        "workers": size.workers,
        "youths": size.youths,
        "periods": size.periods,
        "time_entries": size.time_entries,
        "organisation": organisation.pk,
        "base": BASE_DAY,
        "approaches": len(APPROACHES),
    }
    step(
        "fte periods",
        """
        INSERT INTO core_fteperiod (worker_id, start_date, fte)
        SELECT w, DATE '2022-01-01', (ARRAY[1.0, 0.8, 0.9, 0.6, 1.0])[1 + w %% 5] FROM generate_series(1, %(workers)s) w
        UNION ALL
        SELECT w, DATE '2025-03-01', (ARRAY[0.5, 1.0, 0.7])[1 + w %% 3] FROM generate_series(4, %(workers)s, 4) w
        """,
        params,
    )
    step("youths", YOUTHS_SQL, params)
    # Periods first in a temporary table (one row per trajectory and period number), so the
    # trajectories can take their dates from them.
    step(
        "period plan",
        """
        CREATE TEMPORARY TABLE bench_period ON COMMIT DROP AS
        WITH numbered AS (
            SELECT t, k,
                   %(periods)s / %(youths)s + CASE WHEN t <= %(periods)s %% %(youths)s THEN 1 ELSE 0 END AS n,
                   DATE %(base)s + (t::bigint * 7919 %% 1000)::int AS trajectory_start
            FROM generate_series(1, %(youths)s) t,
                 LATERAL generate_series(0, %(periods)s / %(youths)s
                     - CASE WHEN t <= %(periods)s %% %(youths)s THEN 0 ELSE 1 END) k
        ), lengths AS (
            SELECT *, CASE WHEN k = 1 AND t %% 15 = 0 THEN 300 ELSE 40 + ((t * 31 + k * 17) %% 90) END AS length
            FROM numbered
        ), placed AS (
            SELECT *, trajectory_start + (SUM(length) OVER (PARTITION BY t ORDER BY k) - length)::int AS start_date
            FROM lengths
        )
        SELECT t, k, n, trajectory_start, start_date,
               CASE WHEN k = n - 1 AND start_date + length > DATE '2025-07-01' AND t %% 3 <> 0 THEN NULL
                    ELSE start_date + length END AS end_date,
               CASE WHEN n > 1 AND k = 0 THEN 'intake' WHEN n > 2 AND k = n - 1 THEN 'nazorg' ELSE 'begeleiding' END
                   AS phase,
               CASE WHEN n > 1 AND k = 0 THEN 'regie' WHEN n > 2 AND k = n - 1 THEN 'monitoring'
                    WHEN t %% 4 = 0 THEN 'uitvoering' ELSE 'coaching' END AS role
        FROM placed
        """,
        params,
    )
    step(
        "trajectories",
        """
        INSERT INTO cases_trajectory (id, created_at, updated_at, external_id, youth_id, approach_id, worker_id,
            start_date, end_date, funding_source)
        SELECT t, now(), now(), 'T' || t, t, 1 + t %% %(approaches)s,
               -- handed over (every 25th): the trajectory's worker is the new one
               CASE WHEN t %% 25 = 0 THEN 1 + t %% %(workers)s ELSE 1 + (t - 1) %% %(workers)s END,
               MIN(start_date), CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE MAX(end_date) END, 'gemeente'
        FROM bench_period GROUP BY t
        """,
        params,
    )
    step(
        "periods",
        """
        INSERT INTO cases_period (id, trajectory_id, phase, role, start_date, end_date, worker_id)
        SELECT row_number() OVER (ORDER BY t, k), t, phase, role, start_date, end_date,
               -- before a handover the earlier periods name the old worker; the last one follows the trajectory
               CASE WHEN t %% 25 = 0 AND k < n - 1 THEN 1 + (t - 1) %% %(workers)s END
        FROM bench_period
        """,
        params,
    )
    step(
        "time entries",
        """
        INSERT INTO cases_timeentry (id, worker_id, date, minutes, category, trajectory_id, note, created_at)
        SELECT e, 1 + e %% %(workers)s, DATE %(base)s + (e::bigint * 7919 %% 1095)::int, 15 + (e * 37) %% 226,
               CASE WHEN e %% 10 < 6 THEN 'client_direct' WHEN e %% 10 < 8 THEN 'client_indirect' ELSE 'overhead' END,
               CASE WHEN e %% 10 < 8
                    THEN 1 + e %% %(workers)s + %(workers)s * ((e / %(workers)s) %% (%(youths)s / %(workers)s)) END,
               '', now()
        FROM generate_series(1, %(time_entries)s) e
        """,
        params,
    )
    for table in ("cases_youth", "cases_trajectory", "cases_period", "cases_timeentry"):
        execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    execute(
        "INSERT INTO benchmark_region (sizes, generated_at) VALUES (%(sizes)s::jsonb, now())",
        {"sizes": json.dumps(asdict(size))},
    )
