"""``manage.py working_elements --from A --to B [--measured-at D] [--team T] [--format json|table]``
(SPEC.md 4b): per working element, the trajectories ended in [A, B) with and without it and each
group's ``work_or_school_4w`` share ("< 10" below ten trajectories)."""

from typing import Any

from accountability import selectors
from accountability.management.commands._common import PeriodCommand, table


def _group(group: dict[str, Any]) -> list[str]:
    share = "< 10" if group["suppressed"] else ("-" if group["share"] is None else str(group["share"]))
    return [str(group["trajectories"]), share]


def render(document: dict[str, Any]) -> list[str]:
    rows = [[item["element"], *_group(item["with"]), *_group(item["without"])] for item in document["elements"]]
    title = f"Working elements and {document['indicator']}, ended {document['from']} to {document['to']} (exclusive)"
    return [title, "", *table(["element", "with", "share", "without", "share"], rows)]


class Command(PeriodCommand):
    help = "Working elements and the work_or_school_4w share (SPEC.md 4b), trajectories ended in [--from, --to)."

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = self.period(options)
        document = selectors.working_elements_document(
            self.scope(options), date_from=start, date_to=end, measured_at=self.measured_at(options)
        )
        self.output(document, options, render)
