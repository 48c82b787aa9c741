"""Server time and query count of the pages people open every day (issue 16), on a generated
region in PostgreSQL. Not a test.

    python -m benchmarks.pages_benchmark [--workers 200 --youths 20000 --periods 60000 --time-entries 500000]

The region is benchmarks/region.py's (teams of 20 workers, one organisation), in a database of its
own (``--database``, default ``caseload_pages``). A worker login for the first worker and a team
lead of the first team are made when missing. Then, best of ``--repeat`` runs each, through
Django's test client (the whole request: middleware, view, template, no network), it prints the
milliseconds and the number of queries of:

- ``/caseload/`` (Mijn caseload of the first worker: about youths / workers rows),
- ``/team/`` (the team lead's dashboard of a team of 20 workers),
- ``/jongeren/`` (the worker's youth list, first page),
- ``/caseload/?deel=tabel`` (the HTMX table after a filter).

Goal (issue 16): every page at most 150 ms, and a query count that does not grow with the data
(compare two scales).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from benchmarks.common import best_of, region_arguments, region_open

GOAL_MS = 150.0
PAGES = (
    ("Mijn caseload", "worker", "/caseload/", {}),
    (
        "Mijn caseload, tabel (HTMX)",
        "worker",
        "/caseload/?deel=tabel&sorteer=dagen_in_rol",
        {"HTTP_HX_REQUEST": "true"},
    ),
    ("Jongeren", "worker", "/jongeren/", {}),
    ("Teamdashboard", "lead", "/team/", {}),
)


def _logins() -> dict[str, object]:
    """A login for the region's first worker and a team lead of the first team (made once)."""
    from core.models import Team, User, Worker

    worker = Worker.objects.select_related("team__organisation").order_by("pk").first()
    if worker is None:
        raise SystemExit("the region has no workers")
    organisation = worker.team.organisation
    if worker.user_id is None:
        user = User.objects.create_user("bench-worker", role=User.Role.WORKER, organisation=organisation)
        worker.user = user
        worker.save(update_fields=["user"])
    lead = User.objects.filter(username="bench-lead").first() or User.objects.create_user(
        "bench-lead", role=User.Role.TEAM_LEAD, organisation=organisation
    )
    team = Team.objects.get(pk=worker.team_id)
    team.leads.add(lead)
    return {"worker": worker.user, "lead": lead}


def _page(client: object, url: str, headers: dict[str, str]) -> Callable[[], int]:
    def run() -> int:
        response = client.get(url, **headers)  # type: ignore[attr-defined]
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        return len(response.content)

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    region_arguments(parser, database="caseload_pages", repeat=5, repeat_help="best of this many requests")
    args = parser.parse_args(argv)

    region_open(args)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.test.utils import CaptureQueriesContext

    users = _logins()

    print(f"{'page':<32}{'ms':>8}{'queries':>9}{'kB':>7}")
    over = []
    for label, who, path, headers in PAGES:
        client = Client()
        client.force_login(users[who])  # type: ignore[arg-type]
        run = _page(client, path, headers)
        run()  # warm: caches, template loading
        seconds, size_bytes = best_of(args.repeat, run)
        with CaptureQueriesContext(connection) as queries:
            run()
        milliseconds = seconds * 1000
        print(f"{label:<32}{milliseconds:>8.0f}{len(queries):>9}{size_bytes / 1024:>7.0f}")
        if milliseconds > GOAL_MS:
            over.append(label)
    if over:
        print(f"above the goal of {GOAL_MS:g} ms: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
