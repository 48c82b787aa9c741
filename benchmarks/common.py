"""What both benchmarks need: a PostgreSQL database of their own, generation in timed SQL steps
(with the youths both generate), and best-of-N timing."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlparse, urlunparse

T = TypeVar("T")


def database_url(base: str, name: str) -> str:
    parsed = urlparse(base)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit(
            "The benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            f"(now {parsed.scheme or 'unset'}, which means SQLite)."
        )
    return urlunparse(parsed._replace(path=f"/{name}"))


def database_create(url: str) -> None:
    """CREATE DATABASE if missing, through the server's maintenance database ``postgres``."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    maintenance = urlunparse(parsed._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            print(f"Creating database {name}", flush=True)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


def execute(sql: str, params: dict[str, object] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})


def step(label: str, sql: str, params: dict[str, object]) -> None:
    """One generation step, printed with its time."""
    started = time.perf_counter()
    execute(sql, params)
    print(f"  {label:<24} {time.perf_counter() - started:7.1f} s", flush=True)


# Youths 1..%(youths)s of organisation %(organisation)s, complexity 60% licht, 30% meervoudig, 10% complex.
YOUTHS_SQL = """
INSERT INTO cases_youth (id, created_at, updated_at, external_id, organisation_id, first_name, last_name,
    birth_date, phone, email, address, education_level, has_startkwalificatie, benefit, life_domains,
    complexity, referral_route)
SELECT y, now(), now(), 'Y' || y, %(organisation)s, '', '', DATE '2000-01-01' + (y * 37) %% 3650, '', '',
    '', '', false, 'none', '[]'::jsonb,
    CASE WHEN y %% 10 < 6 THEN 'licht' WHEN y %% 10 < 9 THEN 'meervoudig' ELSE 'complex' END, ''
FROM generate_series(1, %(youths)s) y
"""


def region_arguments(
    parser: argparse.ArgumentParser,
    *,
    workers: int = 200,
    youths: int = 20_000,
    periods: int = 60_000,
    time_entries: int = 500_000,
    database: str = "caseload_bench",
    repeat: int = 3,
    repeat_help: str = "best of this many runs",
) -> None:
    """The options of a benchmark on the generated region (benchmarks/region.py): its sizes, the
    database it lives in, and how many runs to take the best of."""
    parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--youths", type=int, default=youths)
    parser.add_argument("--periods", type=int, default=periods)
    parser.add_argument("--time-entries", type=int, default=time_entries)
    parser.add_argument("--database", default=database, help="database name on the DATABASE_URL server")
    parser.add_argument("--repeat", type=int, default=repeat, help=repeat_help)


def region_open(args: argparse.Namespace) -> None:
    """The database of ``--database`` created and migrated when missing, Django set up on it, the
    region of the sizes generated unless it is there, and its tables vacuumed."""
    from benchmarks.caseload_benchmark import _setup_django, _vacuum  # they import this module

    url = database_url(os.environ.get("DATABASE_URL", ""), args.database)
    database_create(url)
    _setup_django(url)

    from benchmarks.region import RegionSize, region_ensure

    size = RegionSize(args.workers, args.youths, args.periods, args.time_entries)
    started = time.perf_counter()
    if region_ensure(size):
        print(f"Generated in {time.perf_counter() - started:.1f} s")
    else:
        print(f"Region {size} already there; not generated again.")
    _vacuum()
