"""`manage.py import_dataset DIR` (SPEC §6): a thin wrapper around cases.dataset.dataset_import."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.dataset import COLUMNS, OPTIONAL_FILES, DatasetInvalid, ImportResult, RecordCounts, dataset_import

# Which kinds of record each file holds, in the order of the summary.
_FILE_RECORDS = {
    "workers.csv": ("workers", "fte_periods"),
    "youths.csv": ("youths",),
    "trajectories.csv": ("trajectories",),
    "periods.csv": ("periods",),
    "time_entries.csv": ("time_entries",),
    "outcomes.csv": ("outcomes",),
    "cost_items.csv": ("cost_items",),
    "follow_ups.csv": ("follow_ups",),
    "working_elements.csv": ("trajectory_working_elements",),
}


def _counts_text(counts: RecordCounts) -> str:
    return f"{counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"


def summary_lines(result: ImportResult) -> list[str]:
    """Per file: created / updated / unchanged; then the names (organisations, teams, ...) created."""
    lines = []
    for file, kinds in _FILE_RECORDS.items():
        if file in OPTIONAL_FILES and file not in result.optional_present:
            lines.append(f"{file}: not present")
        elif len(kinds) == 1:
            lines.append(f"{file}: {_counts_text(result.records[kinds[0]])}")
        else:
            parts = [f"{kind.replace('_', ' ')} {_counts_text(result.records[kind])}" for kind in kinds]
            lines.append(f"{file}: " + "; ".join(parts))
    names = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in result.names_created.items())
    lines.append(f"new names: {names}")
    return lines


class Command(BaseCommand):
    help = (
        "Import a CSV dataset (SPEC §6) from DIR: "
        + ", ".join(COLUMNS)
        + " (cost_items.csv, follow_ups.csv and working_elements.csv optional). "
        "Everything is validated first; a bad dataset is rejected whole with every error as "
        "'file:line: column: message' and nothing is written. Re-importing the same files changes nothing. "
        "youth_id and trajectory_id name a record within its organisation (that of the dataset's workers)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="folder with the CSV files")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")
        try:
            result = dataset_import(directory=directory)
        except DatasetInvalid as error:
            # Standard error holds the error lines only, each `file:line: column: message`.
            for line in error.errors:
                self.stderr.write(line)
            self.stdout.write(f"dataset rejected: {len(error.errors)} error(s), nothing was written")
            raise SystemExit(1) from None
        for line in summary_lines(result):
            self.stdout.write(line)
