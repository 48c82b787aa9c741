"""What both benchmarks need: a PostgreSQL database of their own, generation in timed SQL steps
(with the youths both generate), and best-of-N timing."""

from __future__ import annotations

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
