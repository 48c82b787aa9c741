"""``manage.py mkba_report`` (SPEC §6): an MKBA report for a cohort of an approach, as the contract
JSON or a factsheet-like table. A thin wrapper around ``mkba.selectors.mkba_report_generate``, the
code the background report job runs too.

``--parameters FILE.json`` reads a parameter-set JSON file (SPEC §6) for this run only: it is
validated (every error with its JSON path) and not stored, so a trial run leaves no version behind
and a report made from the database never names a set that nobody can look up. Without it the
approach's parameter set applies, else the organisation's default set.

``--runs N --seed S`` choose the draws of the simulated uncertainty in the JSON's ``uncertainty``
(issue 17, item 5); the same seed gives the same figures.
"""

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cases.models import Approach
from core.exceptions import ApplicationError
from mkba import calculations, presentation, selectors, services, uncertainty


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is geen datum: gebruik YYYY-MM-DD") from error


def approach_find(value: str) -> Approach:
    """An approach by id, or by name (``selectors.approaches_named``; an ambiguous name lists the
    candidates)."""
    approaches = Approach.objects.select_related("organisation", "parameter_set")
    matches = selectors.approaches_named(approaches, value)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(f"{a.pk}: {a.name}" for a in approaches.order_by("pk")[:20]) or "geen"
        raise CommandError(f"onbekende aanpak {value!r} (bekend: {known})")
    candidates = "; ".join(f"{a.pk}: {a.name} ({a.organisation})" for a in matches)
    raise CommandError(f"de naam {value!r} is niet eenduidig, geef het id: {candidates}")


def monte_carlo_arguments(parser: CommandParser) -> None:
    """``--runs N --seed S`` of the simulated uncertainty (issue 17, item 5; ``mkba.uncertainty``)."""
    parser.add_argument(
        "--runs",
        type=int,
        default=uncertainty.DEFAULT_RUNS,
        help=f"trekkingen voor de onzekerheid (standaard {uncertainty.DEFAULT_RUNS})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=uncertainty.DEFAULT_SEED,
        help=f"startwaarde van de trekkingen: dezelfde geeft dezelfde cijfers (standaard {uncertainty.DEFAULT_SEED})",
    )


@contextmanager
def monte_carlo_settings_from(options: dict[str, Any]) -> Iterator[None]:
    """The command's runs and seed for everything the command computes (the selectors take none)."""
    runs, seed = options["runs"], options["seed"]
    if not 1 <= runs <= uncertainty.MAXIMUM_RUNS:
        raise CommandError(f"--runs {runs}: kies 1 tot en met {uncertainty.MAXIMUM_RUNS}")
    if seed < 0:
        raise CommandError(f"--seed {seed}: mag niet negatief zijn")
    with uncertainty.monte_carlo_settings(runs=runs, seed=seed):
        yield


def parameters_from_file(path: Path) -> calculations.ParameterSet:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{path}: kan het bestand niet lezen: {error.strerror or error}") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: geen geldige JSON: regel {error.lineno}, kolom {error.colno}: {error.msg}"
        ) from error
    errors = services.parameter_set_errors(document)
    if errors:
        lines = [f"{path}: {json_path}: {message}" for json_path, messages in errors.items() for message in messages]
        raise CommandError("ongeldige kengetallen:\n" + "\n".join(lines))
    return calculations.parameter_set_from_dict(
        document, name=str(document.get("name") or path.name), version=document.get("version") or "bestand"
    )


class Command(BaseCommand):
    help = "MKBA-rapport voor een cohort van een aanpak (SPEC §4): JSON of tabel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--approach", required=True, help="aanpak: id of naam")
        parser.add_argument("--from", dest="date_from", required=True, type=str, help="cohort vanaf YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, type=str, help="cohort tot YYYY-MM-DD (exclusief)")
        parser.add_argument(
            "--measured-at", dest="measured_at", type=str, help="meetdatum YYYY-MM-DD (standaard: vandaag)"
        )
        parser.add_argument("--parameters", type=Path, help="kengetallen-JSON (SPEC §6), alleen voor deze run")
        parser.add_argument("--format", dest="output_format", choices=["json", "table"], default="table")
        monte_carlo_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with monte_carlo_settings_from(options):
            self.report(options)

    def report(self, options: dict[str, Any]) -> None:
        date_from = iso_date(options["date_from"])
        date_to = iso_date(options["date_to"])
        measured_at = iso_date(options["measured_at"]) if options["measured_at"] else timezone.localdate()
        if date_from >= date_to:
            raise CommandError(f"--from ({date_from}) moet vóór --to ({date_to}) liggen; --to is exclusief")
        approach = approach_find(options["approach"])
        try:
            if options["parameters"] is not None:
                parameters = parameters_from_file(options["parameters"])
                output = selectors.mkba_report_generate_with_parameters(
                    approach=approach,
                    date_from=date_from,
                    date_to=date_to,
                    measured_at=measured_at,
                    parameters=parameters,
                )
                output["notes"].append(f"kengetallen uit bestand {options['parameters'].name}, niet opgeslagen")
                main_outcome = parameters.main_outcome
            else:
                parameter_set = selectors.parameter_set_for_approach(approach)
                output = selectors.mkba_report_generate(
                    approach=approach,
                    date_from=date_from,
                    date_to=date_to,
                    measured_at=measured_at,
                    parameter_set=parameter_set,
                )
                main_outcome = str(parameter_set.data.get("main_outcome", calculations.DEFAULT_MAIN_OUTCOME))
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(presentation.command_output(output, options["output_format"], main_outcome=main_outcome))
