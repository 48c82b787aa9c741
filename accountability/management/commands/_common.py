"""What the accountability commands share: dates, the scope by --team/--approach, output."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accountability import selectors


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad(value, option)
    except ValueError:
        return _bad(value, option)


def _bad(value: str, option: str) -> dt.date:
    raise CommandError(f"{option} {value!r} is not a date YYYY-MM-DD")


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """An aligned text table: the first column left, the others right."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), "  ".join("-" * width for width in widths), *(line(row) for row in rows)]


def cell(value: object) -> str:
    return "-" if value is None else str(value)


class PeriodCommand(BaseCommand):
    """--from, --to (exclusive), --team, and --format json|table; ``document`` and ``render``."""

    measured_at_option = True
    approach_option = False
    formats: tuple[str, ...] = ("json", "table")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="day after the period (exclusive)")
        if self.measured_at_option:
            parser.add_argument("--measured-at", dest="measured_at", help="measurement date (default today)")
        if self.approach_option:
            parser.add_argument("--approach", help="only this approach: its id, or its name")
        parser.add_argument("--team", help="only this team: its id, or its name")
        parser.add_argument("--format", choices=self.formats, default="table")

    def period(self, options: dict[str, Any]) -> tuple[dt.date, dt.date]:
        start, end = parse_date(options["date_from"], "--from"), parse_date(options["date_to"], "--to")
        if end <= start:
            raise CommandError(f"--to {end} must be after --from {start} (--to is exclusive)")
        return start, end

    def measured_at(self, options: dict[str, Any]) -> dt.date:
        value = options.get("measured_at")
        return parse_date(value, "--measured-at") if value else timezone.localdate()

    def scope(self, options: dict[str, Any]) -> selectors.Scope:
        try:
            return selectors.scope_all(team=options.get("team"), approach=options.get("approach"))
        except selectors.NotVisible as error:
            raise CommandError(f"unknown team or approach {error}") from None
        except selectors.Ambiguous as error:
            raise CommandError(f"several organisations use that name; give its id, one of: {error}") from None

    def output(self, document: dict[str, Any], options: dict[str, Any], render: Any) -> None:
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(render(document)))
