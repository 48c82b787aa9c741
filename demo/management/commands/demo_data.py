"""`manage.py demo_data [--logins]` (SPEC §6): a thin wrapper around demo.data.demo_data_load."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from demo.data import DEMO_LOGINS, DEMO_PASSWORD, ORGANISATION_NAME, demo_data_load, demo_reports_make

# Dutch labels for the counts, in the order they are printed.
_LABELS = {
    "teams": "teams",
    "workers": "begeleiders",
    "fte_periods": "fte-periodes",
    "approaches": "aanpakken",
    "youths": "jongeren",
    "intake_queue": "nieuwe meldingen in de intakewachtrij",
    "trajectories": "trajecten",
    "periods": "periodes",
    "handovers": "overdrachten",
    "time_entries": "tijdregistraties",
    "outcomes": "resultaten",
    "follow_ups": "duurzaamheidschecks",
    "cost_items": "kostenposten",
    "parameter_sets": "kengetallensets",
    "users": "gebruikers",
}


class Command(BaseCommand):
    help = (
        f"Maak de fictieve {ORGANISATION_NAME} aan met teams, begeleiders, jongeren in de tien referentie-aanpakken, "
        "tijdregistraties en resultaten (doet niets als die al bestaat). --logins toont alleen de demo-logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--logins", action="store_true", help="toon de demo-gebruikers met rol en wachtwoord; schrijft niets"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            width = max(len(login.username) for login in DEMO_LOGINS)
            self.stdout.write(f"{'gebruikersnaam':<{max(width, 14)}}  {'rol':<36}  wachtwoord")
            for login in DEMO_LOGINS:
                self.stdout.write(f"{login.username:<{max(width, 14)}}  {login.description:<36}  {DEMO_PASSWORD}")
            return
        result = demo_data_load()
        if not result.created:
            self.stdout.write(f"{ORGANISATION_NAME} bestaat al; er is niets gewijzigd.")
            return
        counts = ", ".join(f"{result.counts[key]} {label}" for key, label in _LABELS.items() if key in result.counts)
        self.stdout.write(f"{ORGANISATION_NAME} aangemaakt (peildatum {result.anchor:%Y-%m-%d}): {counts}.")
        # Stored reports of every kind, made here and now (so a new user's report list is not empty).
        reports = demo_reports_make(anchor=result.anchor)
        self.stdout.write(f"{reports} opgeslagen rapporten gemaakt.")
