"""``manage.py schedules_install [--reset]``: the periodic report jobs (SPEC §5) and the daily
retention job (SPEC §8) as django-celery-beat schedules in the database, editable in the admin.
Idempotent: existing schedules are kept as an admin left them; ``--reset`` restores the defaults.
A thin wrapper around ``reports.schedules.schedules_install``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports import schedules

WORDS = {"created": "aangemaakt", "kept": "bestond al, ongewijzigd", "reset": "teruggezet naar de standaard"}


class Command(BaseCommand):
    help = "Zet de periodieke rapporten en de bewaartermijn-taak in de planner (django-celery-beat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Zet bestaande schema's terug naar de standaardtijden."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, outcome in schedules.schedules_install(reset=options["reset"]):
            self.stdout.write(f"{name}: {WORDS[outcome]}")
