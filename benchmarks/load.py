"""The application under load (issue 16): gunicorn on 127.0.0.1, demo users signed in, a bounded
mix of the pages and API calls of a working day, at 1 and at 20 concurrent clients. Not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caseload_load python -m benchmarks.load

- The database of DATABASE_URL (PostgreSQL; the database is created when missing) gets the
  migrations and the demo data (``demo_data``, nothing when already there).
- gunicorn serves ``config.wsgi`` with ``config.settings.run`` (debug off) on 127.0.0.1:``--port``
  with ``--workers`` processes; the API's user rate limit is lifted for the run (a benchmark is
  one user asking far more than a working day).
- Each client signs in as a demo worker or the team lead (round robin) and repeats the mix of
  ``MIX`` until ``--requests`` requests are done or ``--seconds`` have passed; only 127.0.0.1 is
  asked. It prints per concurrency: requests, requests/s, p50 and p95 in ms, errors (a status
  other than 200, or no answer).

Goal (issue 16): at 20 clients at least 50 requests/s, p95 at most 800 ms, no errors.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import database_create, database_url

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the published password of the fictional demo logins (demo/data.py)
CLIENT_LOGINS = ("begeleider", "begeleider2", "teamleider")
MIX = {
    "begeleider": ("/caseload/", "/api/v1/youths/", "/api/v1/trajectories/", "/api/v1/time-entries/", "/jongeren/"),
    "begeleider2": ("/caseload/", "/api/v1/trajectories/", "/api/v1/time-entries/", "/api/v1/caseload/?date={today}"),
    "teamleider": ("/team/", "/api/v1/caseload/?date={today}", "/caseload/?begeleider=", "/api/v1/youths/"),
}


def _environment(url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.run",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CASELOAD_API_RATE_USER": "1000000/hour",
        "CASELOAD_BASE_URL": f"http://127.0.0.1:{port}",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int) -> Iterator[str]:
    """gunicorn serving the application on 127.0.0.1:port until the block ends."""
    binary = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(binary), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/inloggen/", timeout=2)  # noqa: S310 - 127.0.0.1 only
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # still starting
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer on /inloggen/")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


class Client:
    """One signed-in browser: a cookie jar and the CSRF token of the login form."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{base}/inloggen/", timeout=10).read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            f"{base}/inloggen/", data=body.encode(), headers={"Referer": f"{base}/inloggen/"}, method="POST"
        )
        landed = self.opener.open(request, timeout=10)
        if "/inloggen/" in landed.geturl():
            raise SystemExit(f"login of {username} failed (run demo_data first?)")

    def get(self, path: str) -> tuple[float, str]:
        """Seconds and outcome: ``200``, another status, or the error's name."""
        started = time.perf_counter()
        try:
            with self.opener.open(f"{self.base}{path}", timeout=30) as response:
                response.read()
                outcome = str(response.status)
        except urllib.error.HTTPError as error:
            outcome = f"{error.code} {path}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            outcome = type(error).__name__
        return time.perf_counter() - started, outcome


def run(base: str, clients: int, requests: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads share a budget of ``requests`` requests and a deadline of ``seconds``."""
    signed_in = [Client(base, CLIENT_LOGINS[index % len(CLIENT_LOGINS)]) for index in range(clients)]
    lock = threading.Lock()
    budget = [requests]
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds
    today = datetime.date.today().isoformat()

    def work(client: Client) -> None:
        mix = MIX[client.username]
        step = 0
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            elapsed, outcome = client.get(mix[step % len(mix)].format(today=today))
            step += 1
            with lock:
                latencies.append(elapsed)
                if outcome != "200":
                    errors[outcome] = errors.get(outcome, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(work, signed_in))
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "per_second": len(ordered) / wall if wall else 0.0,
        "p50": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000 if ordered else 0.0,
        "errors": sum(errors.values()),
        "kinds": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="caseload_load", help="database name on the DATABASE_URL server")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--requests", type=int, default=1000, help="requests per concurrency level")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per concurrency level")
    parser.add_argument("--clients", default="1,20", help="concurrency levels, comma separated")
    args = parser.parse_args(argv)

    url = database_url(os.environ.get("DATABASE_URL", ""), args.database)
    database_create(url)
    env = _environment(url, args.port)
    _manage(env, "migrate", "--noinput")
    _manage(env, "createcachetable")
    _manage(env, "demo_data")
    _manage(env, "collectstatic", "--noinput")
    print(f"{'clients':>8}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    with gunicorn(env, args.port, args.workers) as base:
        for clients in (int(value) for value in args.clients.split(",")):
            figures = run(base, clients, args.requests, args.seconds)
            print(
                f"{clients:>8}{figures['requests']:>10.0f}{figures['per_second']:>8.1f}"
                f"{figures['p50']:>9.0f}{figures['p95']:>9.0f}{figures['errors']:>8.0f}"
            )
            for kind, count in sorted(figures["kinds"].items()):
                print(f"{'':>8}  {count} x {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
