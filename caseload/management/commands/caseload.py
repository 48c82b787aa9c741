"""``manage.py caseload --date D | --from A --to B [--team T] [--format json|table]`` (SPEC.md 6).

All workers of all organisations, or of team T (by id, or by name when only one organisation has
a team of that name). ``--format json`` prints exactly section 3's document on standard output and
nothing else; ``table`` an aligned table per worker and per team. The figures come from the same
selector and engine as ``GET /api/v1/caseload/`` and the team dashboard.
"""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseload import calculations as calc
from caseload.selectors import (
    CaseloadScope,
    TeamAmbiguous,
    TeamNotVisible,
    caseload_for_scope,
    caseload_scope_all,
)


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date, no time
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date YYYY-MM-DD") from None


def scope_of_team_option(team: str | None) -> CaseloadScope:
    """``--team``: all workers of all organisations, or of one team by id or name; a clear error
    for an unknown or ambiguous team."""
    try:
        return caseload_scope_all(team=team)
    except TeamNotVisible:
        raise CommandError(f"unknown team {team!r}") from None
    except TeamAmbiguous as error:
        raise CommandError(f"several organisations have a team {team!r}; give its id, one of: {error}") from None


def _cell(value: object, places: int | None = None, percent: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and percent:
        # A machine-facing table: a dot decimal whatever the language (not core.formats.percent_text).
        return f"{value * 100:.1f}%"
    if isinstance(value, float) and places is not None:
        return f"{value:.{places}f}"
    return str(value)


def _row(item: dict[str, Any], first: list[str]) -> list[str]:
    roles = item["youths_by_role"]
    logged = item["logged_hours"] or {}
    return [
        *first,
        _cell(item["fte"], 3),
        _cell(item["capacity_hours"], 1),
        _cell(item["expected_hours"], 1),
        _cell(item["utilisation"], percent=True),
        *(str(roles[role]) for role in calc.ROLES),
        str(item["youths_total"]),
        _cell(item["youths_per_fte_year"], 3),
        *(_cell(logged.get(category), 1) for category in calc.CATEGORIES),
        _cell(item["overhead_share"], percent=True),
        str(item["long_in_role_youths"]),
        ", ".join(item["flags"]) or "-",
    ]


_FIGURE_HEADERS = [
    "fte",
    "capacity h",
    "expected h",
    "utilisation",
    "coaching",
    "uitvoering",
    "regie",
    "monitoring",
    "youths",
    "youths/fte-yr",
    "direct h",
    "indirect h",
    "overhead h",
    "overhead",
    "long in role",
    "flags",
]


def _aligned(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    numeric = [index not in (0, 1, len(headers) - 1) for index in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = (
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        )
        return "  ".join(padded).rstrip()

    return [line(headers), "  ".join("-" * width for width in widths), *(line(row) for row in rows)]


def caseload_table(document: dict[str, Any]) -> str:
    """A readable, aligned rendering of the caseload document: workers, then team totals."""
    if document["mode"] == "date":
        title = f"Caseload on {document['date']} (expected and capacity in hours per year)"
    else:
        title = f"Caseload from {document['from']} to {document['to']} (exclusive; hours in the period)"
    lines = [title, "", "Workers"]
    lines += _aligned(
        ["worker", "team", *_FIGURE_HEADERS],
        [_row(item, [str(item["worker_id"]), str(item["team"] or "-")]) for item in document["workers"]],
    )
    lines += ["", "Teams"]
    lines += _aligned(
        ["team", "", *_FIGURE_HEADERS], [_row(item, [str(item["team"]), ""]) for item in document["teams"]]
    )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Caseload per worker and team at a date (--date) or over a period (--from/--to, to exclusive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="point in time, YYYY-MM-DD")
        parser.add_argument("--from", dest="date_from", help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="day after the period (exclusive), YYYY-MM-DD")
        parser.add_argument("--team", help="only this team: its id, or its name")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        day, date_from, date_to = options["date"], options["date_from"], options["date_to"]
        if day is not None and (date_from is not None or date_to is not None):
            raise CommandError("give either --date, or --from and --to, not both")
        if day is None and (date_from is None or date_to is None):
            raise CommandError("give --date YYYY-MM-DD, or --from YYYY-MM-DD and --to YYYY-MM-DD")
        scope = scope_of_team_option(options["team"])
        if day is not None:
            document = caseload_for_scope(scope=scope, day=parse_date(day, "--date"))
        else:
            start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
            if end <= start:
                raise CommandError(f"--to {date_to} must be after --from {date_from} (--to is exclusive)")
            document = caseload_for_scope(scope=scope, date_from=start, date_to=end)
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(caseload_table(document))
