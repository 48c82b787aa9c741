# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Export of a dataset (SPEC §6 `export_dataset DIR [--organisation O]`): the CSV files that
`import_dataset` reads, optional files and columns included, so that importing them into an empty
database gives the same figures (SPEC §3, §4, §4b).

Rows are streamed from the database (`values_list(...).iterator()`), so memory does not grow with
the data. What the CSV contract has no column for is not exported: notes, handovers (their effect,
the worker of each period, is), a youth's complexity history (youths.csv holds the current
complexity), personal fields other than the birth date, and the configuration of approaches
(norms, expected duration, MKBA parameters), teams and organisations.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import Count, F, Q

from cases.dataset.reading import (
    COLUMNS,
    COMPLEXITY_CHANGES_CSV,
    COST_ITEMS_CSV,
    FOLLOW_UPS_CSV,
    OPTIONAL_COLUMNS,
    OUTCOMES_CSV,
    PERIODS_CSV,
    TIME_ENTRIES_CSV,
    TRAJECTORIES_CSV,
    WORKERS_CSV,
    WORKING_ELEMENTS_CSV,
    YOUTHS_CSV,
)
from cases.models import ComplexityChange, CostItem, FollowUp, Outcome, Period, TimeEntry, Trajectory, Youth
from core.exceptions import ApplicationError
from core.models import FtePeriod, Organisation, Worker

ITERATOR_CHUNK = 5000


class DatasetExportRefused(ApplicationError):
    """The export cannot be made as asked (an unknown organisation, keys that would clash)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass(frozen=True)
class _Scope:
    """Which organisations' data is exported."""

    organisation_pks: list[int]

    def q(self, path: str) -> Q:
        return Q(**{f"{path}__in": self.organisation_pks})


def _scope(organisation: str | None) -> _Scope:
    if organisation is not None:
        pks = list(Organisation.objects.filter(name=organisation).values_list("pk", flat=True))
        if not pks:
            raise DatasetExportRefused(f"no organisation named {organisation!r}")
        return _Scope(pks)
    scope = _Scope(list(Organisation.objects.values_list("pk", flat=True)))
    # Youth and trajectory keys are unique per organisation only: one file cannot tell two apart.
    for model in (Youth, Trajectory):
        clash = (
            model.objects.order_by("external_id")
            .values("external_id")
            .annotate(n=Count("organisation", distinct=True))
            .filter(n__gt=1)
            .first()
        )
        if clash:
            raise DatasetExportRefused(
                f"{model._meta.model_name} key {clash['external_id']!r} is used by several organisations; "
                "export one organisation at a time (--organisation)"
            )
    return scope


def _worker_key(external_id: str, pk: int) -> str:
    return external_id or f"worker-{pk}"


def _rows(scope: _Scope) -> dict[str, Iterable[Iterable[object]]]:
    """The rows of every file, as lazy iterables in the order of each file's columns."""

    def workers() -> Iterator[tuple[object, ...]]:
        fte_periods: dict[int, list[tuple[Decimal | None, date | None]]] = {}
        for worker_pk, fte, start in (
            FtePeriod.objects.filter(scope.q("worker__team__organisation"))
            .order_by("worker_id", "start_date")
            .values_list("worker_id", "fte", "start_date")
            .iterator(ITERATOR_CHUNK)
        ):
            fte_periods.setdefault(worker_pk, []).append((fte, start))
        for pk, external_id, name, organisation, team in (
            Worker.objects.filter(scope.q("team__organisation"))
            .order_by("external_id", "pk")
            .values_list("pk", "external_id", "name", "team__organisation__name", "team__name")
            .iterator(ITERATOR_CHUNK)
        ):
            key = _worker_key(external_id, pk)
            for fte_value, fte_from in fte_periods.get(pk) or [(None, None)]:
                yield (key, name, organisation, team, fte_value, fte_from)

    def youths() -> Iterator[tuple[object, ...]]:
        return (
            Youth.objects.filter(scope.q("organisation"))
            .order_by("organisation_id", "external_id")
            .values_list(
                "external_id",
                "birth_date",
                "target_group__name",
                "education_level",
                "has_startkwalificatie",
                "complexity",
                "municipality__name",
                "referral_route",
                "reported_on",
                "first_contact_on",
            )
            .iterator(ITERATOR_CHUNK)
        )

    def trajectories() -> Iterator[tuple[object, ...]]:
        for external_id, youth, worker_key, worker_pk, approach, start, end, funding in (
            Trajectory.objects.filter(scope.q("approach__organisation"))
            .order_by("approach__organisation_id", "external_id")
            .values_list(
                "external_id",
                "youth__external_id",
                "worker__external_id",
                "worker_id",
                "approach__name",
                "start_date",
                "end_date",
                "funding_source",
            )
            .iterator(ITERATOR_CHUNK)
        ):
            yield (external_id, youth, _worker_key(worker_key, worker_pk), approach, start, end, funding)

    def periods() -> Iterator[tuple[object, ...]]:
        for trajectory, phase, role, start, end, worker_key, worker_pk in (
            Period.objects.filter(scope.q("trajectory__approach__organisation"))
            .order_by("trajectory_id", "start_date")
            .values_list(
                "trajectory__external_id", "phase", "role", "start_date", "end_date", "worker__external_id", "worker_id"
            )
            .iterator(ITERATOR_CHUNK)
        ):
            yield (trajectory, phase, role, start, end, _worker_key(worker_key, worker_pk) if worker_pk else None)

    def time_entries() -> Iterator[tuple[object, ...]]:
        # An entry without trajectory (overhead) belongs to its worker's organisation.
        for worker_key, worker_pk, day, minutes, category, trajectory in (
            TimeEntry.objects.filter(scope.q("worker__team__organisation"))
            .order_by("pk")
            .values_list("worker__external_id", "worker_id", "date", "minutes", "category", "trajectory__external_id")
            .iterator(ITERATOR_CHUNK)
        ):
            yield (_worker_key(worker_key, worker_pk), day, minutes, category, trajectory)

    def outcomes() -> Iterator[tuple[object, ...]]:
        return (
            Outcome.objects.filter(scope.q("trajectory__approach__organisation"))
            .order_by("pk")
            .values_list("trajectory__external_id", "date", "outcome")
            .iterator(ITERATOR_CHUNK)
        )

    def cost_items() -> Iterator[tuple[object, ...]]:
        # The approach only where there is no trajectory (a trajectory's item has its approach): an
        # item's import key includes both cells, and files usually leave the implied one empty.
        for trajectory, approach, day, line, amount in (
            CostItem.objects.filter(scope.q("approach__organisation"))
            .order_by("pk")
            .values_list("trajectory__external_id", "approach__name", "date", "line", "amount")
            .iterator(ITERATOR_CHUNK)
        ):
            yield (trajectory, "" if trajectory else approach, day, line, amount)

    def follow_ups() -> Iterator[tuple[object, ...]]:
        return (
            FollowUp.objects.filter(scope.q("outcome__trajectory__approach__organisation"))
            .order_by("pk")
            .values_list(
                "outcome__trajectory__external_id", "outcome__outcome", "outcome__date", "months_after", "answer"
            )
            .iterator(ITERATOR_CHUNK)
        )

    def working_elements() -> Iterator[tuple[object, ...]]:
        through = Trajectory.working_elements.through
        return (
            through.objects.filter(scope.q("trajectory__approach__organisation"))
            .order_by("trajectory_id", "workingelement__name")
            .values_list("trajectory__external_id", "workingelement__name")
            .iterator(ITERATOR_CHUNK)
        )

    def complexity_changes() -> Iterator[tuple[object, ...]]:
        return (
            ComplexityChange.objects.filter(scope.q("youth__organisation"))
            .order_by("youth__external_id", F("valid_from").asc(nulls_first=True))
            .values_list("youth__external_id", "valid_from", "complexity")
            .iterator(ITERATOR_CHUNK)
        )

    return {
        WORKERS_CSV: workers(),
        YOUTHS_CSV: youths(),
        TRAJECTORIES_CSV: trajectories(),
        PERIODS_CSV: periods(),
        TIME_ENTRIES_CSV: time_entries(),
        OUTCOMES_CSV: outcomes(),
        COST_ITEMS_CSV: cost_items(),
        FOLLOW_UPS_CSV: follow_ups(),
        WORKING_ELEMENTS_CSV: working_elements(),
        COMPLEXITY_CHANGES_CSV: complexity_changes(),
    }


def _write(handle: IO[str], name: str, rows: Iterable[Iterable[object]]) -> int:
    out = csv.writer(handle, lineterminator="\n")
    out.writerow([*COLUMNS[name], *OPTIONAL_COLUMNS.get(name, ())])
    count = 0
    for row in rows:
        out.writerow([_cell(value) for value in row])
        count += 1
    return count


def _export(scope: _Scope, open_file: Callable[[str], AbstractContextManager[IO[str]]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, rows in _rows(scope).items():
        with open_file(name) as handle:
            counts[name] = _write(handle, name, rows)
    return counts


def dataset_export(*, directory: Path, organisation: str | None = None) -> dict[str, int]:
    """SPEC §6 `export_dataset DIR [--organisation O]`: write every file of the dataset (the optional
    ones too) into `directory`; returns the number of rows per file. Without an organisation every
    organisation is exported, unless two of them use the same youth or trajectory key."""
    scope = _scope(organisation)
    directory.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def open_file(name: str) -> Iterator[IO[str]]:
        with (directory / name).open("w", newline="", encoding="utf-8") as handle:
            yield handle

    return _export(scope, open_file)


def dataset_export_zip(*, target: IO[bytes], organisation: str | None = None) -> dict[str, int]:
    """The same files in one zip archive (the export page's download)."""
    scope = _scope(organisation)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        @contextmanager
        def open_file(name: str) -> Iterator[IO[str]]:
            with (
                archive.open(name, "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as handle,
            ):
                yield handle

        return _export(scope, open_file)
