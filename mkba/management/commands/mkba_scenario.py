"""``manage.py mkba_scenario`` (SPEC §6): scenario mode loaded with reference approach K (1-10)
from the database (loaded there by a data migration), the same JSON as ``mkba_report``, with its
``--runs``/``--seed`` (the scenario's ``uncertainty`` has no figures yet: nothing to draw)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exceptions import ApplicationError
from mkba import calculations, presentation, selectors
from mkba.management.commands.mkba_report import monte_carlo_arguments, monte_carlo_settings_from


def reference_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError as error:
        raise CommandError(f"--reference {value!r}: geef een nummer van 1 tot en met 10") from error
    if not 1 <= number <= 10:
        raise CommandError(f"--reference {number}: er zijn tien referentieaanpakken, kies 1 tot en met 10")
    return number


class Command(BaseCommand):
    help = "MKBA in scenariomodus met referentieaanpak K (1-10): JSON of tabel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reference", required=True, help="referentieaanpak 1-10")
        parser.add_argument("--participants", type=str, help="aantal deelnemers (standaard: dat van de aanpak)")
        parser.add_argument("--format", dest="output_format", choices=["json", "table"], default="table")
        monte_carlo_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with monte_carlo_settings_from(options):
            self.scenario(options)

    def scenario(self, options: dict[str, Any]) -> None:
        number = reference_number(options["reference"])
        participants = None
        if options["participants"] is not None:
            try:
                participants = int(options["participants"])
            except ValueError as error:
                raise CommandError(f"--participants {options['participants']!r}: geef een geheel getal") from error
            if participants < 0:
                raise CommandError(f"--participants {participants}: mag niet negatief zijn")
        try:
            output = selectors.mkba_scenario_generate(reference_number=number, participants=participants)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            presentation.command_output(
                output, options["output_format"], main_outcome=calculations.DEFAULT_MAIN_OUTCOME
            )
        )
