"""``manage.py first_contact --from A --to B [--measured-at D] [--team T] [--format json|table]``
(SPEC.md 4b): time to first contact of the youths reported in [A, B), per team and referral route."""

from typing import Any

from accountability import selectors
from accountability.management.commands._common import PeriodCommand, cell, table

FIELDS = ["reported", "contacted", "waiting", "median_days", "p90_days", "within_7_days"]


def render(document: dict[str, Any]) -> list[str]:
    rows = [["total", *(cell(document[key]) for key in FIELDS)]]
    for breakdown, groups in document["breakdowns"].items():
        rows += [[f"{breakdown}: {key}", *(cell(figures[key]) for key in FIELDS)] for key, figures in groups.items()]
    title = f"Time to first contact, reported {document['from']} to {document['to']} (exclusive), measured at {document['measured_at']}"
    return [title, "", *table(["group", *FIELDS], rows)]


class Command(PeriodCommand):
    help = "Time to first contact (SPEC.md 4b) of the youths reported in [--from, --to)."

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = self.period(options)
        document = selectors.first_contact_document(
            self.scope(options), date_from=start, date_to=end, measured_at=self.measured_at(options)
        )
        self.output(document, options, render)
