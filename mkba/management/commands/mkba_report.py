"""``manage.py mkba_report`` (SPEC §6): an MKBA report for a cohort of an approach, as the contract
JSON or a factsheet-like table. A thin wrapper around ``mkba.services.mkba_report_generate``, the
code the background report job runs too.

``--parameters FILE.json`` reads a parameter-set JSON file (SPEC §6) for this run only: it is
validated (every error with its JSON path) and not stored, so a trial run leaves no version behind
and a report made from the database never names a set that nobody can look up. Without it the
approach's parameter set applies, else the organisation's default set.
"""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cases.models import Approach, CostLine, OutcomeType
from core.exceptions import ApplicationError
from mkba import calculations, selectors, services
from mkba.models import NULL_REASONS, OUTCOME_PHRASES, BenefitLine


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


# --- Table (a factsheet as text) -----------------------------------------------------------------


def _number(value: float | int | Decimal, decimals: int) -> str:
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"  # 1,234.5
    return text.replace(",", "_").replace(".", ",").replace("_", ".")  # 1.234,5


def _euro(value: float | int | Decimal | None) -> str:
    return "—" if value is None else _number(value, 0)


def _ratio(value: float | None) -> str:
    return "—" if value is None else _number(value, 2)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{_number(Decimal(str(value)) * 100, 1)}%"


def _per_participant(total: int | None, participants: int) -> float | None:
    return None if total is None or participants == 0 else total / participants


def _reason(output: dict[str, Any], key: str) -> str:
    reason = output.get("ratio_notes", {}).get(key)
    return f"  ({NULL_REASONS.get(reason, reason)})" if reason else ""


def break_even_sentence(output: dict[str, Any], main_outcome: str = calculations.DEFAULT_MAIN_OUTCOME) -> str | None:
    """ "bij een netto-effect van 3,2% op werk is de MKBA-verhouding 1" (None without a break-even)."""
    value = output.get("break_even_effect")
    if value is None:
        return None
    phrase = OUTCOME_PHRASES.get(main_outcome, main_outcome)
    return f"bij een netto-effect van {_percent(value)} op {phrase} is de MKBA-verhouding 1"


def mkba_table(output: dict[str, Any], *, main_outcome: str = calculations.DEFAULT_MAIN_OUTCOME) -> str:
    """The contract JSON as a readable factsheet (Dutch labels as in the source study)."""
    n = output["participants"]
    cohort = output["cohort"]
    width = 58
    lines = [f"MKBA  {output['approach']}"]
    if cohort["from"]:
        lines.append(
            f"Cohort: trajecten gestart van {cohort['from']} tot {cohort['to']} (exclusief), gemeten op {cohort['measured_at']}"
        )
    else:
        lines.append("Scenariomodus: kosten en baten per deelnemer zoals in de factsheet")
    parameter_set = output["parameter_set"]
    lines.append(f"Deelnemers (N): {n}    Kengetallen: {parameter_set['name']} (versie {parameter_set['version']})")
    lines.append("")
    header = f"{'':<{width}}{'per deelnemer':>15}{'totaal':>15}"
    lines.append(f"{'KOSTEN':<{width}}{header[width:]}")
    for line, label in CostLine.choices:
        amount = output["costs"][line]
        lines.append(f"{label:<{width}}{_euro(_per_participant(amount, n)):>15}{_euro(amount):>15}")
    per = output["per_participant"]
    lines.append(f"{'Totaal kosten':<{width}}{_euro(per['total_costs']):>15}{_euro(output['total_costs']):>15}")
    lines.append("")
    lines.append("BATEN")
    for line, label in BenefitLine.choices:
        amount = output["benefits"][line]
        lines.append(f"{label:<{width}}{_euro(_per_participant(amount, n)):>15}{_euro(amount):>15}")
    lines.append(f"{'Totaal baten':<{width}}{_euro(per['total_benefits']):>15}{_euro(output['total_benefits']):>15}")
    lines.append(f"{'Saldo (baten - kosten)':<{width}}{_euro(per['balance']):>15}{_euro(output['balance']):>15}")
    lines.append("")
    lines.append(f"Maatschappelijke KB-verhouding: {_ratio(output['social_ratio'])}{_reason(output, 'social_ratio')}")
    lines.append(
        f"Financiële KB-verhouding:       {_ratio(output['financial_ratio'])}{_reason(output, 'financial_ratio')}"
    )
    lines.append(
        f"Gemeentelijke KB-verhouding:    {_ratio(output['municipal_ratio'])}{_reason(output, 'municipal_ratio')}"
    )
    lines.append("")
    lines.append(f"{'BELANGHEBBENDEN':<30}{'kosten':>15}{'baten':>15}{'saldo':>15}")
    for name, row in output["stakeholders"].items():
        lines.append(f"{name:<30}{_euro(row['costs']):>15}{_euro(row['benefits']):>15}{_euro(row['balance']):>15}")
    if output["effects"]:
        lines.append("")
        lines.append(f"{'EFFECTEN':<30}{'waargenomen':>14}{'nulalternatief':>16}{'netto':>10}{'extra':>10}")
        labels = dict(OutcomeType.choices)
        for outcome, effect in output["effects"].items():
            extra = "—" if effect["extra"] is None else _number(effect["extra"], 2)
            lines.append(
                f"{labels.get(outcome, outcome)!s:<30}{_percent(effect['observed']):>14}"
                f"{_percent(effect['baseline']):>16}{_percent(effect['net']):>10}{extra:>10}"
            )
    lines.append("")
    sentence = break_even_sentence(output, main_outcome)
    lines.append(f"Break-even: {sentence}" if sentence else f"Break-even: —{_reason(output, 'break_even_effect')}")
    band = output["sensitivity"]
    lines.append(f"Gevoeligheid (maatschappelijke KB-verhouding): {_ratio(band['low'])} – {_ratio(band['high'])}")
    if output.get("reference_comparison"):
        lines.append("")
        lines.append("VERGELIJKING MET DE TIEN REFERENTIEAANPAKKEN (maatschappelijke KB-verhouding)")
        for reference in output["reference_comparison"]:
            lines.append(
                f"  {reference['number']:>2}. {reference['name']:<50}{_number(reference['social_ratio'], 1):>8}"
            )
        lines.append(f"  ▶  {'dit resultaat':<50}{_ratio(output['social_ratio']):>8}")
    for note in output.get("notes", []):
        lines.append(f"Noot: {note}")
    return "\n".join(lines)


def write_output(command: BaseCommand, output: dict[str, Any], output_format: str, main_outcome: str) -> None:
    if output_format == "json":
        # One JSON document on stdout and nothing else there (SPEC §6).
        command.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
    else:
        command.stdout.write(mkba_table(output, main_outcome=main_outcome))


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

    def handle(self, *args: Any, **options: Any) -> None:
        date_from = iso_date(options["date_from"])
        date_to = iso_date(options["date_to"])
        measured_at = iso_date(options["measured_at"]) if options["measured_at"] else timezone.localdate()
        if date_from >= date_to:
            raise CommandError(f"--from ({date_from}) moet vóór --to ({date_to}) liggen; --to is exclusief")
        approach = approach_find(options["approach"])
        try:
            if options["parameters"] is not None:
                parameters = parameters_from_file(options["parameters"])
                output = services.mkba_report_generate_with_parameters(
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
                output = services.mkba_report_generate(
                    approach=approach,
                    date_from=date_from,
                    date_to=date_to,
                    measured_at=measured_at,
                    parameter_set=parameter_set,
                )
                main_outcome = str(parameter_set.data.get("main_outcome", calculations.DEFAULT_MAIN_OUTCOME))
        except ApplicationError as error:
            raise CommandError(error.message) from error
        write_output(self, output, options["output_format"], main_outcome)
