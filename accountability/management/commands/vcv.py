"""``manage.py vcv --from A --to B [--team T] [--max-age N] [--target-group G]... [--flat-rate]
[--format json|table|csv]`` (SPEC.md 4b): the Vereenvoudigde Caseload Verantwoording per worker,
team and total. The rule is the organisation's unless the run names it. ``csv`` is the
einddeclaratie: Dutch headers, ``;`` and decimal comma."""

import csv
import io
from typing import Any

from django.core.management.base import CommandError, CommandParser

from accountability import calculations as calc
from accountability import selectors
from accountability.management.commands._common import PeriodCommand, cell, table

FIELDS = ["fte", "personnel_costs", "youths", "eligible_youths", "share", "accountable", "flat_rate", "total"]


def render(document: dict[str, Any]) -> list[str]:
    rows = [
        [f"worker {row['worker_id']}", cell(row["team"]), *(cell(row[key]) for key in FIELDS)]
        for row in document["workers"]
    ]
    rows += [[f"team {row['team']}", "", *(cell(row[key]) for key in FIELDS)] for row in document["teams"]]
    rows += [["total", "", *(cell(document["total"][key]) for key in FIELDS)]]
    rule = document["rule"]
    title = (
        f"VCV {document['from']} to {document['to']} (exclusive); max age {rule['max_age']}, "
        f"target groups {', '.join(rule['target_groups']) or 'any'}, flat rate {'yes' if rule['flat_rate'] else 'no'}"
    )
    return [title, "", *table(["row", "team", *FIELDS], rows)]


class Command(PeriodCommand):
    help = "VCV (SPEC.md 4b): accountable personnel costs per worker, team and total over [--from, --to)."
    measured_at_option = False
    formats = ("json", "table", "csv")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-age", dest="max_age", type=int, help="eligible below this age (default: the organisation's, 28)"
        )
        parser.add_argument(
            "--target-group",
            dest="target_groups",
            action="append",
            default=[],
            help="an eligible target group (repeat)",
        )
        parser.add_argument("--flat-rate", dest="flat_rate", action="store_true", help="add the 40%% flat rate")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = self.period(options)
        if options["max_age"] is not None and options["max_age"] < 1:
            raise CommandError("--max-age must be at least 1")
        run = selectors.VcvOptions(
            max_age=options["max_age"], target_groups=tuple(options["target_groups"]), flat_rate=options["flat_rate"]
        )
        result = selectors.vcv_result(self.scope(options), date_from=start, date_to=end, options=run)
        if options["format"] == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=calc.VCV_CSV_COLUMNS, delimiter=";", lineterminator="\n")
            writer.writeheader()
            writer.writerows(calc.vcv_csv_rows(calc.vcv_json(result)))
            self.stdout.write(buffer.getvalue(), ending="")
            return
        self.output(calc.vcv_json(result), options, render)
