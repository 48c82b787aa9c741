"""``manage.py calibrate_norms --from A --to B [--team T] [--format json|table]`` (issue 17).

The norm hours per role estimated from the logged client hours (``caseload.calibration``): per
worker and month, client hours (direct + indirect) against youth-years in each role, fitted with
non-negative least squares, with a bootstrap interval per norm. ``--format json`` prints
``{from, to, worker_months, norms {coaching, uitvoering, regie, monitoring: {current, estimate,
low, high}}}`` (hours per youth per year) and nothing else on standard output.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseload.management.commands.caseload import _aligned, parse_date, scope_of_team_option
from caseload.selectors import norms_calibration_for_scope


def calibration_table(document: dict[str, Any]) -> str:
    lines = [
        f"Norms from the logged hours, {document['from']} to {document['to']} (exclusive); "
        f"{document['worker_months']} worker-months; hours per youth per year",
        "",
    ]

    def cell(value: object) -> str:
        return "-" if value is None else f"{value:.1f}"

    rows = [
        [role, *(cell(figures[key]) for key in ("current", "estimate", "low", "high"))]
        for role, figures in document["norms"].items()
    ]
    lines += _aligned(["role", "current", "estimate", "low", "high", ""], [[*row, ""] for row in rows])
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Norm hours per role estimated from the logged client hours over [--from, --to)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="day after the period (exclusive), YYYY-MM-DD")
        parser.add_argument("--team", help="only this team: its id, or its name")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = parse_date(options["date_from"], "--from"), parse_date(options["date_to"], "--to")
        if end <= start:
            raise CommandError(
                f"--to {options['date_to']} must be after --from {options['date_from']} (--to is exclusive)"
            )
        scope = scope_of_team_option(options["team"])
        document = norms_calibration_for_scope(scope=scope, date_from=start, date_to=end)
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(calibration_table(document))
