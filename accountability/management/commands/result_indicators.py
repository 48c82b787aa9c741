"""``manage.py result_indicators --from A --to B [--measured-at D] [--approach A] [--team T]
[--format json|table]`` (SPEC.md 4b): the ESF result indicators of the trajectories ended in
[A, B). ``--format json`` prints exactly section 4b's document and nothing else."""

from typing import Any

from accountability import calculations as calc
from accountability import selectors
from accountability.management.commands._common import PeriodCommand, cell, table


def render(document: dict[str, Any]) -> list[str]:
    headers = ["indicator", "ended", "positive", "negative", "unknown", "share", "provisional"]

    def rows(indicators: dict[str, Any]) -> list[list[str]]:
        return [[name, *(cell(indicators[name][key]) for key in headers[1:])] for name in calc.INDICATORS]

    lines = [
        f"Result indicators, trajectories ended {document['from']} to {document['to']} (exclusive), "
        f"measured at {document['measured_at']}",
        "",
    ]
    lines += table(headers, rows(document["indicators"]))
    for breakdown, groups in document["breakdowns"].items():
        for key, indicators in groups.items():
            lines += ["", f"{breakdown}: {key}", *table(headers, rows(indicators))]
    return lines


class Command(PeriodCommand):
    help = "ESF result indicators (SPEC.md 4b) of the trajectories ended in [--from, --to)."
    approach_option = True

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = self.period(options)
        document = selectors.result_indicators_document(
            self.scope(options), date_from=start, date_to=end, measured_at=self.measured_at(options)
        )
        self.output(document, options, render)
