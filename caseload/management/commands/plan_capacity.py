"""``manage.py plan_capacity --role coaching=50x20 --role regie=25x6 --role monitoring=25x4``
``[--fte F] [--productive-hours 1200] [--format json|table]`` (SPEC.md 3 planning calculator, 6).

JSON: exactly ``total_hours, youths, hours_per_youth, fte_needed`` (fte to 0.001); with ``--fte``
also ``fte`` and ``youths_that_fit`` (how many youths a year fit in that fte with the same mix).
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseload import calculations as calc
from caseload.services import capacity_plan_document, planning_mix_parse


class Command(BaseCommand):
    help = "Planning calculator: fte needed for youths x hours per role, and how many youths fit in an fte."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            metavar="ROLE=YOUTHSxHOURS",
            help="youths a year in a role times hours per youth, e.g. coaching=50x20; repeat per role",
        )
        parser.add_argument("--fte", type=float, help="fte available: also tell how many youths fit")
        parser.add_argument(
            "--productive-hours",
            type=float,
            default=calc.DEFAULT_SETTINGS.productive_hours_per_fte,
            help="productive hours per fte per year (default 1200)",
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mix = planning_mix_parse(options["role"])
        except ValueError as error:
            raise CommandError(f"--role: {error}") from None
        if options["productive_hours"] <= 0:
            raise CommandError("--productive-hours must be positive")
        if options["fte"] is not None and options["fte"] < 0:
            raise CommandError("--fte must be 0 or more")
        settings = calc.CaseloadSettings(productive_hours_per_fte=options["productive_hours"])
        document = capacity_plan_document(mix, settings=settings, fte=options["fte"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(document))
            return
        rows = [
            (role, line.youths, line.hours_per_youth, line.youths * line.hours_per_youth) for role, line in mix.items()
        ]
        lines = [f"{'role':<12}{'youths':>10}{'h/youth':>10}{'hours':>10}"]
        lines += [f"{role:<12}{youths:>10g}{hours:>10g}{total:>10g}" for role, youths, hours, total in rows]
        lines += [
            "",
            f"total hours        {document['total_hours']}",
            f"youths             {document['youths']}",
            f"hours per youth    {document['hours_per_youth'] if document['hours_per_youth'] is not None else '-'}",
            f"fte needed         {document['fte_needed']}  (at {options['productive_hours']:g} productive hours per fte)",
        ]
        if "youths_that_fit" in document:
            fitting = document["youths_that_fit"]
            lines.append(
                f"youths that fit    {fitting if fitting is not None else 'any number'}  (in {document['fte']} fte)"
            )
        self.stdout.write("\n".join(lines))
