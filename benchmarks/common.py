"""What both benchmarks need: a PostgreSQL database of their own, and best-of-N timing."""

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
