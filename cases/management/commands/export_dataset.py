"""`manage.py export_dataset DIR [--organisation O]` (SPEC §6): a thin wrapper around
cases.dataset.exporting.dataset_export."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.dataset.exporting import DatasetExportRefused, dataset_export


class Command(BaseCommand):
    help = (
        "Export the dataset (SPEC §6) as the CSV files import_dataset reads, optional files included, "
        "into DIR (created when missing; files of the same name are replaced). Without --organisation "
        "every organisation is exported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="folder for the CSV files")
        parser.add_argument("--organisation", help="export only this organisation (by name)")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")
        try:
            counts = dataset_export(directory=directory, organisation=options["organisation"])
        except DatasetExportRefused as error:
            raise CommandError(str(error)) from error
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} rows")
