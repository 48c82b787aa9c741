# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Checks across files and against the database: references, ambiguous keys, overlaps, the
organisations a dataset names; `dataset_validate` runs every check."""

from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Model, Q, QuerySet

from cases.dataset.reading import (
    CHECK_SHARE,
    COLUMNS,
    COMPLEXITY_CHANGES_CSV,
    COST_ITEMS_CSV,
    FOLLOW_UPS_CSV,
    IN_CHUNK_MAX,
    OPTIONAL_FILES,
    OUTCOMES_CSV,
    PERIODS_CSV,
    READ_SHARE,
    TIME_ENTRIES_CSV,
    TRAJECTORIES_CSV,
    WORKERS_CSV,
    WORKING_ELEMENTS_CSV,
    YOUTHS_CSV,
    _csv_file_read,
    _CsvFile,
    _Errors,
    _Progress,
    _Reference,
)
from cases.dataset.time_entries import _TimeEntriesStaged, time_entries_stage
from cases.dataset.validation import (
    _ComplexityChangesFile,
    _content_key,
    _CostItemRow,
    _CostItemsFile,
    _FollowUpRow,
    _FollowUpsFile,
    _OutcomesFile,
    _PeriodsFile,
    _span_text,
    _TrajectoriesFile,
    _WorkersFile,
    _WorkingElementsFile,
    _YouthsFile,
    complexity_changes_validate,
    cost_items_validate,
    follow_ups_validate,
    outcomes_validate,
    periods_validate,
    trajectories_validate,
    workers_validate,
    working_elements_validate,
    youths_validate,
)
from cases.models import (
    Approach,
    Outcome,
    Period,
    Trajectory,
    Youth,
)
from core.models import Organisation, Worker

# --- what the database already holds --------------------------------------------------------------

# Rows of a large read fetched at a time (a server-side cursor on PostgreSQL): the client never
# holds a whole result of tens of thousands of rows, whose memory the process would keep.
STREAM_ROWS = 5000
_T = TypeVar("_T")
_M = TypeVar("_M", bound=Model)
_R = TypeVar("_R")
_KeyedModel = TypeVar("_KeyedModel", "_StoredYouth", "_StoredTrajectory")


class _EqualsAny(Lookup):  # type: ignore[type-arg]
    """`column = ANY(%s)` with the values as one array parameter (PostgreSQL): no statement with
    thousands of placeholders for the client to build and the server to parse."""

    lookup_name = "equals_any"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def _among(queryset: "QuerySet[_M, _R]", field: str, values: Iterable[object]) -> "Iterator[QuerySet[_M, _R]]":
    """`queryset` limited to rows whose `field` is one of `values`: one query with an array on
    PostgreSQL, slices of `IN (...)` under the variable limit elsewhere; no query without values."""
    items = list(values)
    if not items:
        return
    if connection.vendor == "postgresql":
        yield queryset.filter(_EqualsAny(F(field), items))
        return
    for chunk in _chunks(items):
        yield queryset.filter(**{f"{field}__in": chunk})


def _chunks(values: Iterable[_T]) -> Iterator[list[_T]]:
    """Slices small enough for one `IN (...)` under the backend's variable limit (SQLite)."""
    limit = connection.features.max_query_params
    size = min(IN_CHUNK_MAX, limit - 10) if limit else IN_CHUNK_MAX
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class _Existing:
    """Records imported earlier that the dataset names or touches, loaded in a few queries.

    Youth and trajectory keys are unique per organisation only, so they are looked up among the
    organisations of the dataset (`scope`: those of its workers; all organisations when it names no
    worker). Within one dataset a key names one record: a key that exists in more than one of those
    organisations is in `ambiguous` (key -> organisation names) and an error wherever the dataset names it.
    """

    organisation_names: dict[int, str]
    workers: dict[str, Worker]
    youths: dict[str, "_StoredYouth"]
    trajectories: dict[str, "_StoredTrajectory"]  # referenced ones plus all trajectories of the dataset's youths
    loaded_trajectories: list["_StoredTrajectory"]  # the above plus those whose key is ambiguous
    periods: dict[str, list["_StoredPeriod"]]  # by trajectory external id, for those named in periods.csv
    approach_organisations: dict[str, set[str]]  # approach name -> organisation names, for cost items
    ambiguous: dict[str, dict[str, list[str]]]  # "youth_id"/"trajectory_id" -> key -> organisation names

    def worker_organisation(self, worker_id: str) -> str:
        return self.organisation_names[self.workers[worker_id].team.organisation_id]

    def trajectory_organisation(self, trajectory_id: str) -> str:
        return self.organisation_names[_organisation_pk(self.trajectories[trajectory_id])]


@dataclass(slots=True)
class _StoredPeriod:
    """A period imported earlier, as plain values: a re-import compares many of them and writes few
    (the writer makes model instances of the changed ones only)."""

    id: int
    trajectory_id: int
    phase: str
    role: str
    start_date: date
    end_date: date | None
    worker_id: int | None

    def instance(self) -> Period:
        return Period(
            pk=self.id,
            trajectory_id=self.trajectory_id,
            phase=self.phase,
            role=self.role,
            start_date=self.start_date,
            end_date=self.end_date,
            worker_id=self.worker_id,
        )


# Youths and trajectories imported earlier, as plain values like periods: a re-import of a region
# compares tens of thousands of them and writes few (a model instance each cost ~1 KB and ~20 µs).
_YOUTH_VALUES = (
    "birth_date",
    "target_group_id",
    "education_level",
    "has_startkwalificatie",
    "complexity",
    "municipality_id",
    "referral_route",
    "reported_on",
    "first_contact_on",
)


@dataclass(slots=True)
class _StoredYouth:
    pk: int
    external_id: str
    organisation_id: int
    birth_date: date | None
    target_group_id: int | None
    education_level: str
    has_startkwalificatie: bool | None
    complexity: str
    municipality_id: int | None
    referral_route: str
    reported_on: date | None
    first_contact_on: date | None
    updated_at: datetime | None = None

    def instance(self) -> Youth:
        """A model instance with the values here, for bulk_update (which writes only named fields)."""
        youth = Youth(pk=self.pk, external_id=self.external_id, organisation_id=self.organisation_id)
        for name in _YOUTH_VALUES:
            setattr(youth, name, getattr(self, name))
        if self.updated_at is not None:
            youth.updated_at = self.updated_at
        return youth


_TRAJECTORY_VALUES = ("youth_id", "approach_id", "worker_id", "start_date", "end_date", "funding_source")


@dataclass(slots=True)
class _StoredTrajectory:
    pk: int
    external_id: str
    organisation_id: int  # the approach's, kept by the database (cases migration 0012); never null
    youth_id: int
    approach_id: int
    worker_id: int
    start_date: date
    end_date: date | None
    funding_source: str
    youth_key: str  # the youth's external id
    approach_name: str
    updated_at: datetime | None = None

    def instance(self) -> Trajectory:
        trajectory = Trajectory(pk=self.pk, external_id=self.external_id, organisation_id=self.organisation_id)
        for name in _TRAJECTORY_VALUES:
            setattr(trajectory, name, getattr(self, name))
        if self.updated_at is not None:
            trajectory.updated_at = self.updated_at
        return trajectory


def _organisation_pk(trajectory: _StoredTrajectory) -> int:
    return trajectory.organisation_id


def _youth_key(trajectory: _StoredTrajectory) -> str:
    return trajectory.youth_key


def _approach_name(trajectory: _StoredTrajectory) -> str:
    return trajectory.approach_name


def _by_key(
    records: Iterable[_KeyedModel], organisation_of: Callable[[_KeyedModel], str]
) -> tuple[dict[str, _KeyedModel], dict[str, list[str]]]:
    """Records by external key, and the keys that several organisations use (with their names)."""
    found: dict[str, list[_KeyedModel]] = {}
    for record in records:
        found.setdefault(record.external_id, []).append(record)
    unique = {key: records_of_key[0] for key, records_of_key in found.items() if len(records_of_key) == 1}
    ambiguous = {
        key: sorted(organisation_of(record) for record in records_of_key)
        for key, records_of_key in found.items()
        if len(records_of_key) > 1
    }
    return unique, ambiguous


def _existing_load(
    *,
    organisations: set[str],
    worker_ids: set[str],
    youth_ids: set[str],
    trajectory_ids: set[str],
    period_trajectory_ids: set[str],
    cost_approach_names: set[str],
) -> _Existing:
    organisation_names = dict(Organisation.objects.values_list("id", "name"))
    workers: dict[str, Worker] = {}
    for worker_rows in _among(Worker.objects.select_related("team"), "external_id", sorted(worker_ids)):
        workers.update((w.external_id, w) for w in worker_rows)
    # The dataset's organisations: named in workers.csv, or those of the workers it names.
    in_dataset = organisations | {organisation_names[w.team.organisation_id] for w in workers.values()}
    in_scope = (
        Q(organisation_id__in=sorted(pk for pk, name in organisation_names.items() if name in in_dataset))
        if in_dataset
        else Q()
    )
    found_youths: list[_StoredYouth] = []
    youth_columns = ("pk", "external_id", "organisation_id", *_YOUTH_VALUES)
    for youth_rows in _among(Youth.objects.filter(in_scope), "external_id", sorted(youth_ids)):
        found_youths += (
            _StoredYouth(*values) for values in youth_rows.values_list(*youth_columns).iterator(STREAM_ROWS)
        )
    youths, ambiguous_youths = _by_key(found_youths, lambda y: organisation_names[y.organisation_id])
    found_trajectories: dict[int, _StoredTrajectory] = {}
    # The youth key and approach name as columns, not as related instances.
    keyed = Trajectory.objects.annotate(youth_key=F("youth__external_id"), approach_name=F("approach__name"))
    trajectory_columns = ("pk", "external_id", "organisation_id", *_TRAJECTORY_VALUES, "youth_key", "approach_name")

    def stored(rows: "QuerySet[Any, Any]") -> Iterator[tuple[int, _StoredTrajectory]]:
        for values in rows.values_list(*trajectory_columns).iterator(STREAM_ROWS):
            trajectory = _StoredTrajectory(*values)
            yield trajectory.pk, trajectory

    for trajectories_of_youths in _among(keyed, "youth_id", sorted(youth.pk for youth in youths.values())):
        found_trajectories.update(stored(trajectories_of_youths))
    # In one organisation a key names one trajectory: those of the dataset's youths need no second look.
    known_keys = {t.external_id for t in found_trajectories.values()} if len(in_dataset) == 1 else set()
    for trajectory_rows in _among(keyed.filter(in_scope), "external_id", sorted(trajectory_ids - known_keys)):
        found_trajectories.update(stored(trajectory_rows))
    loaded_trajectories = sorted(found_trajectories.values(), key=lambda t: t.pk)
    # Trajectory.organisation is the approach's, kept by the database (cases migration 0012).
    trajectories, ambiguous_trajectories = _by_key(
        loaded_trajectories, lambda t: organisation_names[_organisation_pk(t)]
    )
    periods: dict[str, list[_StoredPeriod]] = {}
    external_ids = {t.pk: t.external_id for t in trajectories.values()}
    period_trajectory_pks = [trajectories[t].pk for t in sorted(period_trajectory_ids) if t in trajectories]
    for period_rows in _among(Period.objects.all(), "trajectory_id", period_trajectory_pks):
        for values in period_rows.values_list(*_StoredPeriod.__slots__).iterator(STREAM_ROWS):
            period = _StoredPeriod(*values)
            periods.setdefault(external_ids[period.trajectory_id], []).append(period)
    approach_organisations: dict[str, set[str]] = {}
    for approach_rows in _among(Approach.objects.all(), "name", sorted(cost_approach_names)):
        for organisation_id, name in approach_rows.values_list("organisation_id", "name"):
            approach_organisations.setdefault(name, set()).add(organisation_names[organisation_id])
    return _Existing(
        organisation_names,
        workers,
        youths,
        trajectories,
        loaded_trajectories,
        periods,
        approach_organisations,
        ambiguous={"youth_id": ambiguous_youths, "trajectory_id": ambiguous_trajectories},
    )


# --- checks across files and against the database ------------------------------------------------


def _references_check(
    references: Iterable[_Reference],
    *,
    time_entries: _TimeEntriesStaged,
    known: dict[str, tuple[set[str], Container[str], str, bool]],
    errors: _Errors,
) -> None:
    """Every id names a row of the dataset or a record imported earlier."""

    def unknown(column: str, value: str) -> str | None:
        ids_in_file, existing, source, source_usable = known[column]
        if value in ids_in_file or value in existing or not source_usable:
            return None
        return f"{value!r} is not in {source} and was not imported earlier"

    for reference in references:
        message = unknown(reference.column, reference.value)
        if message:
            errors.add(reference.file, reference.line, reference.column, message)
    # time_entries.csv: each id is looked up once, and the lines are asked for the unknown ones only.
    for column in ("worker_id", "trajectory_id"):
        messages = {value: message for value in time_entries.referenced(column) if (message := unknown(column, value))}
        lines_of = time_entries.reference_lines(column, messages.keys())
        for value in sorted(messages):
            for line in lines_of.get(value, ()):
                errors.add(TIME_ENTRIES_CSV, line, column, messages[value])


def _ambiguous_keys_check(
    youths: _YouthsFile,
    trajectories: _TrajectoriesFile,
    references: Iterable[_Reference],
    time_entries: _TimeEntriesStaged,
    existing: _Existing,
    errors: _Errors,
) -> None:
    """Within one dataset a key names one record, so it cannot name a key that several of the
    dataset's organisations use (each organisation's records can be imported on their own)."""
    named = [
        *((YOUTHS_CSV, row.line, "youth_id", row.youth_id) for row in youths.youths),
        *((TRAJECTORIES_CSV, row.line, "trajectory_id", row.trajectory_id) for row in trajectories.trajectories),
        *((r.file, r.line, r.column, r.value) for r in references if r.column in existing.ambiguous),
        *(
            (TIME_ENTRIES_CSV, line, "trajectory_id", key)
            for key, lines in sorted(
                time_entries.reference_lines(
                    "trajectory_id",
                    [
                        key
                        for key in time_entries.referenced("trajectory_id")
                        if key in existing.ambiguous["trajectory_id"]
                    ],
                ).items()
            )
            for line in lines
        ),
    ]
    for file, line, column, key in named:
        organisations = existing.ambiguous[column].get(key)
        if organisations:
            errors.add(
                file,
                line,
                column,
                f"{column.removesuffix('_id')} {key!r} exists in several organisations of this dataset "
                f"({', '.join(organisations)}); import the records of each organisation on their own",
            )


def _workers_check(workers: _WorkersFile, existing: _Existing, errors: _Errors) -> None:
    """An imported worker keeps their organisation (tenant boundary)."""
    for worker_id, row in workers.workers.items():
        if worker_id in existing.workers:
            current = existing.worker_organisation(worker_id)
            if current != row.organisation:
                errors.add(
                    WORKERS_CSV,
                    row.line,
                    "organisation",
                    f"worker {worker_id!r} belongs to {current!r}; an import does not move a worker to another organisation",
                )


@dataclass(frozen=True, slots=True)
class _Span:
    """[start, end) of a row in a file (line) or of a record imported earlier (line None)."""

    start: date
    end: date | None
    line: int | None
    label: str


def _overlapping_pairs(spans: Iterable[_Span]) -> list[tuple[_Span, _Span]]:
    """Pairs of overlapping spans: each span with the earlier-starting span that reaches furthest."""
    pairs: list[tuple[_Span, _Span]] = []
    furthest: _Span | None = None
    for span in sorted(spans, key=lambda s: (s.start, s.line or 0)):
        if furthest is not None and (furthest.end is None or span.start < furthest.end):
            pairs.append((furthest, span))
        if furthest is None or (furthest.end is not None and (span.end is None or span.end > furthest.end)):
            furthest = span
    return pairs


def _overlaps_report(spans: Iterable[_Span], *, file: str, context: str, errors: _Errors) -> None:
    """An overlap is an error of the row in the file (of the later line when both are in the file)."""
    for pair in _overlapping_pairs(spans):
        rows = sorted((span.line, span) for span in pair if span.line is not None)
        if not rows:
            continue  # two records of the database: not this dataset's doing
        line, row = rows[-1]
        other = pair[0] if row is pair[1] else pair[1]
        where = f"on line {other.line}" if other.line is not None else "imported earlier"
        errors.add(
            file,
            line,
            "start_date",
            f"{row.label} {_span_text(row.start, row.end)} overlaps "
            f"{other.label} {_span_text(other.start, other.end)} {where}{context}",
        )


@dataclass(frozen=True)
class _Organisations:
    """Organisation names the validation resolved, used again by the writer."""

    of_worker: dict[str, str]
    of_trajectory: dict[str, str]
    of_youth: dict[str, str]
    of_dataset: set[str]


def _organisations_resolve(
    workers: _WorkersFile,
    youths: _YouthsFile,
    trajectories: _TrajectoriesFile,
    existing: _Existing,
    errors: _Errors,
    *,
    complete: bool,
) -> _Organisations:
    """A youth and an approach belong to the organisation of the worker(s) of their trajectories; an
    imported youth keeps its organisation. `complete`: workers.csv and trajectories.csv were readable
    (otherwise an organisation that cannot be found is not reported: the header error says why)."""
    of_worker = {worker_id: row.organisation for worker_id, row in workers.workers.items()}
    # An imported worker stays in their organisation (_workers_check reports a file that says otherwise).
    of_worker.update((worker_id, existing.worker_organisation(worker_id)) for worker_id in existing.workers)
    of_trajectory = {t: existing.trajectory_organisation(t) for t in existing.trajectories}
    trajectory_organisations: dict[str, dict[str, int]] = {}  # youth -> organisation -> first line
    for row in trajectories.trajectories:
        organisation = of_worker.get(row.worker_id)
        if organisation is None:
            of_trajectory.pop(row.trajectory_id, None)
            continue
        of_trajectory[row.trajectory_id] = organisation
        trajectory_organisations.setdefault(row.youth_id, {}).setdefault(organisation, row.line)
        youth = existing.youths.get(row.youth_id)
        if youth is not None and existing.organisation_names[youth.organisation_id] != organisation:
            errors.add(
                TRAJECTORIES_CSV,
                row.line,
                "worker_id",
                f"worker {row.worker_id!r} belongs to {organisation!r}, but youth {row.youth_id!r} "
                f"belongs to {existing.organisation_names[youth.organisation_id]!r}",
            )
    of_dataset = {of_worker[w] for w in workers.workers} | {
        of_worker[t.worker_id] for t in trajectories.trajectories if t.worker_id in of_worker
    }
    of_youth: dict[str, str] = {}
    for youth_id, youth in existing.youths.items():
        of_youth[youth_id] = existing.organisation_names[youth.organisation_id]
    for youth_row in youths.youths:
        if youth_row.youth_id in existing.youths:
            continue
        organisations = trajectory_organisations.get(youth_row.youth_id, {})
        if len(organisations) == 1:
            of_youth[youth_row.youth_id] = next(iter(organisations))
        elif organisations:
            errors.add(
                YOUTHS_CSV,
                youth_row.line,
                "youth_id",
                f"youth {youth_row.youth_id!r} has trajectories in several organisations "
                f"({', '.join(sorted(organisations))}); a youth belongs to one organisation",
            )
        elif len(of_dataset) == 1:
            of_youth[youth_row.youth_id] = next(iter(of_dataset))
        elif complete:
            which = f"several organisations ({', '.join(sorted(of_dataset))})" if of_dataset else "no organisation"
            errors.add(
                YOUTHS_CSV,
                youth_row.line,
                "youth_id",
                f"youth {youth_row.youth_id!r} has no trajectory in this dataset, which has {which}: "
                "its organisation is unknown",
            )
    return _Organisations(of_worker, of_trajectory, of_youth, of_dataset)


def _trajectory_overlaps_check(
    trajectories: _TrajectoriesFile, organisations: _Organisations, existing: _Existing, errors: _Errors
) -> None:
    """A youth is never twice at the same time in one approach (SPEC §2), in the file or with the database."""
    groups: dict[tuple[str, str, str], list[_Span]] = {}
    for row in trajectories.trajectories:
        organisation = organisations.of_trajectory.get(row.trajectory_id)
        if organisation is None or row.start_date == row.end_date:
            continue  # unknown worker (reported), or a trajectory of no days
        label = f"trajectory {row.trajectory_id!r}"
        groups.setdefault((row.youth_id, organisation, row.approach), []).append(
            _Span(row.start_date, row.end_date, row.line, label)
        )
    in_file = trajectories.ids
    for trajectory in existing.loaded_trajectories:
        organisation = existing.organisation_names[_organisation_pk(trajectory)]
        group = groups.get((_youth_key(trajectory), organisation, _approach_name(trajectory)))
        # A trajectory the file restates is compared as in the file (an ambiguous key is reported as such).
        restated = trajectory.external_id in in_file and (
            trajectory.external_id in existing.ambiguous["trajectory_id"]
            or existing.trajectories[trajectory.external_id].pk == trajectory.pk
        )
        if group is None or restated or trajectory.start_date == trajectory.end_date:
            continue
        group.append(_Span(trajectory.start_date, trajectory.end_date, None, f"trajectory {trajectory.external_id!r}"))
    for (youth_id, _organisation, approach), spans in groups.items():
        context = f": youth {youth_id!r} would be twice in approach {approach!r} at once"
        _overlaps_report(spans, file=TRAJECTORIES_CSV, context=context, errors=errors)


def _periods_check(periods: _PeriodsFile, organisations: _Organisations, existing: _Existing, errors: _Errors) -> None:
    """A period's worker is in the trajectory's organisation; periods of a trajectory never overlap."""
    groups: dict[str, list[_Span]] = {}
    for row in periods.periods:
        organisation = organisations.of_trajectory.get(row.trajectory_id)
        worker_organisation = organisations.of_worker.get(row.worker_id) if row.worker_id else None
        if organisation and worker_organisation and organisation != worker_organisation:
            errors.add(
                PERIODS_CSV,
                row.line,
                "worker_id",
                f"worker {row.worker_id!r} belongs to {worker_organisation!r}, "
                f"trajectory {row.trajectory_id!r} to {organisation!r}",
            )
        groups.setdefault(row.trajectory_id, []).append(_Span(row.start_date, row.end_date, row.line, "period"))
    for trajectory_id, spans in groups.items():
        for period in existing.periods.get(trajectory_id, []):
            if (trajectory_id, period.start_date) not in periods.keys:
                spans.append(_Span(period.start_date, period.end_date, None, "period"))
        _overlaps_report(spans, file=PERIODS_CSV, context=f" (trajectory {trajectory_id!r})", errors=errors)


def _time_entries_check(entries: _TimeEntriesStaged, organisations: _Organisations, errors: _Errors) -> None:
    """A time entry on a trajectory is by a worker of the trajectory's organisation (checked once
    per worker and trajectory, reported on every line of the pair)."""
    mismatched: dict[tuple[str, str], tuple[str, str]] = {}
    for worker_id, trajectory_id in entries.pair_keys():
        organisation = organisations.of_trajectory.get(trajectory_id)
        worker_organisation = organisations.of_worker.get(worker_id)
        if organisation and worker_organisation and organisation != worker_organisation:
            mismatched[(worker_id, trajectory_id)] = (organisation, worker_organisation)
    for (worker_id, trajectory_id), lines in sorted(entries.pair_lines(mismatched.keys()).items()):
        organisation, worker_organisation = mismatched[(worker_id, trajectory_id)]
        for line in lines:
            errors.add(
                TIME_ENTRIES_CSV,
                line,
                "trajectory_id",
                f"trajectory {trajectory_id!r} belongs to {organisation!r}, "
                f"worker {worker_id!r} to {worker_organisation!r}",
            )


@dataclass(frozen=True, slots=True)
class _ResolvedCostItem:
    row: _CostItemRow
    organisation: str
    approach: str
    import_key: str


def _cost_items_resolve(
    cost_items: _CostItemsFile,
    trajectories: _TrajectoriesFile,
    organisations: _Organisations,
    existing: _Existing,
    errors: _Errors,
    *,
    complete: bool,
) -> list[_ResolvedCostItem]:
    """The approach of a cost item: its trajectory's, or the named one in the dataset's organisation."""
    approach_of = {t.trajectory_id: t.approach for t in trajectories.trajectories}
    for trajectory_id, trajectory in existing.trajectories.items():
        approach_of.setdefault(trajectory_id, _approach_name(trajectory))
    in_dataset: dict[str, set[str]] = {}
    for trajectory_row in trajectories.trajectories:
        if trajectory_row.trajectory_id in organisations.of_trajectory:
            organisation_name = organisations.of_trajectory[trajectory_row.trajectory_id]
            in_dataset.setdefault(trajectory_row.approach, set()).add(organisation_name)
    resolved: list[_ResolvedCostItem] = []
    occurrences: dict[tuple[str, ...], int] = {}
    for row in cost_items.cost_items:
        if row.trajectory_id:
            organisation = organisations.of_trajectory.get(row.trajectory_id)
            approach = approach_of.get(row.trajectory_id)
            if organisation is None or approach is None:
                continue  # unknown trajectory: reported as such
            if row.approach and row.approach != approach:
                errors.add(
                    COST_ITEMS_CSV,
                    row.line,
                    "approach",
                    f"{row.approach!r} is not the approach of trajectory {row.trajectory_id!r} ({approach!r})",
                )
                continue
        else:
            approach = row.approach
            candidates = in_dataset.get(approach, set()) | {
                organisation
                for organisation in existing.approach_organisations.get(approach, set())
                if not organisations.of_dataset or organisation in organisations.of_dataset
            }
            if len(candidates) == 1:
                organisation = next(iter(candidates))
            elif not candidates and len(organisations.of_dataset) == 1:
                organisation = next(iter(organisations.of_dataset))
            elif not complete:
                continue  # the organisations are not known: workers.csv or trajectories.csv is unreadable
            elif candidates:
                errors.add(
                    COST_ITEMS_CSV,
                    row.line,
                    "approach",
                    f"approach {approach!r} exists in several organisations ({', '.join(sorted(candidates))}); "
                    "give a trajectory_id",
                )
                continue
            else:
                errors.add(
                    COST_ITEMS_CSV,
                    row.line,
                    "approach",
                    f"approach {approach!r} has no trajectory in this dataset and was not imported earlier; "
                    "with several organisations in the dataset its organisation is unknown",
                )
                continue
        # The organisation is part of the key: two organisations may use the same trajectory key.
        content = (
            row.trajectory_id,
            row.approach,
            organisation,
            row.date.isoformat(),
            row.cost_line,
            str(row.amount.quantize(Decimal("0.01"))),
        )
        occurrence = occurrences[content] = occurrences.get(content, 0) + 1
        resolved.append(_ResolvedCostItem(row, organisation, approach, _content_key("cost_item", content, occurrence)))
    return resolved


def _youth_dates_check(youths: _YouthsFile, existing: _Existing, errors: _Errors) -> None:
    """First contact is never before the melding (a database constraint), also when the file gives
    one of the two dates and the other is the one imported earlier."""
    has_reported = "reported_on" in youths.columns
    has_contact = "first_contact_on" in youths.columns
    if has_reported == has_contact:
        return  # both in the file (checked per row) or neither (nothing changes)
    for row in youths.youths:
        youth = existing.youths.get(row.youth_id)
        if youth is None:
            continue
        reported = row.reported_on if has_reported else youth.reported_on
        contacted = row.first_contact_on if has_contact else youth.first_contact_on
        if reported and contacted and contacted < reported:
            if has_reported:
                message = f"{reported} is after first_contact_on {contacted} (imported earlier)"
            else:
                message = f"{contacted} is before reported_on {reported} (imported earlier)"
            errors.add(YOUTHS_CSV, row.line, "reported_on" if has_reported else "first_contact_on", message)


def _follow_ups_check(
    follow_ups: _FollowUpsFile,
    outcomes: _OutcomesFile,
    trajectories: _TrajectoriesFile,
    existing: _Existing,
    errors: _Errors,
    *,
    outcomes_usable: bool,
) -> list[_FollowUpRow]:
    """A check refers to an outcome of that type and date on that trajectory, in outcomes.csv or
    imported earlier. Returns the checks that do (an unknown trajectory is reported as such)."""
    known = {(row.trajectory_id, row.outcome, row.date) for row in outcomes.outcomes}
    named = sorted({row.trajectory_id for row in follow_ups.follow_ups if row.trajectory_id in existing.trajectories})
    external_ids = {existing.trajectories[key].pk: key for key in named}
    for outcome_rows in _among(Outcome.objects.all(), "trajectory_id", sorted(external_ids)):
        for trajectory_pk, outcome, day in outcome_rows.values_list("trajectory_id", "outcome", "date"):
            known.add((external_ids[trajectory_pk], outcome, day))
    resolved = []
    for row in follow_ups.follow_ups:
        if (row.trajectory_id, row.outcome, row.outcome_date) in known:
            resolved.append(row)
        elif outcomes_usable and (row.trajectory_id in existing.trajectories or row.trajectory_id in trajectories.ids):
            errors.add(
                FOLLOW_UPS_CSV,
                row.line,
                "outcome",
                f"trajectory {row.trajectory_id!r} has no outcome {row.outcome!r} on {row.outcome_date} "
                "in outcomes.csv and none was imported earlier",
            )
    return resolved


@dataclass(frozen=True)
class _Dataset:
    """A dataset that passed validation, with what the writer needs."""

    directory: Path
    workers: _WorkersFile
    youths: _YouthsFile
    trajectories: _TrajectoriesFile
    periods: _PeriodsFile
    time_entries: _TimeEntriesStaged
    outcomes: _OutcomesFile
    cost_items: list[_ResolvedCostItem]
    cost_items_present: bool
    organisations: _Organisations
    existing: _Existing
    follow_ups: list[_FollowUpRow]
    working_elements: _WorkingElementsFile
    complexity_changes: _ComplexityChangesFile
    optional_present: frozenset[str]


def _organisation_only_check(
    allowed: str,
    workers: _WorkersFile,
    trajectories: _TrajectoriesFile,
    time_entries: _TimeEntriesStaged,
    cost_items: list["_ResolvedCostItem"],
    organisations: "_Organisations",
    errors: _Errors,
) -> None:
    """An import into one organisation (the import page: the beheerder's own) names no other one."""
    message = f"belongs to another organisation than {allowed!r}, the only one this import may write"
    for worker_id, row in workers.workers.items():
        if row.organisation != allowed:
            errors.add(WORKERS_CSV, row.line, "organisation", f"{row.organisation!r} {message}")
        elif organisations.of_worker.get(worker_id, allowed) != allowed:
            errors.add(WORKERS_CSV, row.line, "worker_id", f"worker {worker_id!r} {message}")
    for trajectory in trajectories.trajectories:
        if organisations.of_worker.get(trajectory.worker_id, allowed) != allowed:
            errors.add(TRAJECTORIES_CSV, trajectory.line, "worker_id", f"worker {trajectory.worker_id!r} {message}")
    others = [w for w in time_entries.referenced("worker_id") if organisations.of_worker.get(w, allowed) != allowed]
    for worker_id, lines in sorted(time_entries.reference_lines("worker_id", others).items()):
        for line in lines:
            errors.add(TIME_ENTRIES_CSV, line, "worker_id", f"worker {worker_id!r} {message}")
    for item in cost_items:
        if item.organisation != allowed:
            errors.add(COST_ITEMS_CSV, item.row.line, "approach", f"approach {item.approach!r} {message}")


def dataset_validate(
    *, directory: Path, errors: _Errors, progress: _Progress | None = None, organisation: str | None = None
) -> _Dataset:
    """Check every file and every rule of SPEC §6, collecting all errors (none is raised here)."""
    progress = progress or _Progress(None)
    sizes = {name: (directory / name).stat().st_size if (directory / name).is_file() else 0 for name in COLUMNS}
    total = sum(sizes.values()) or 1
    done = 0

    files: dict[str, _CsvFile] = {}
    _Validated = TypeVar("_Validated")

    def validated(name: str, validate: Callable[[_CsvFile, _Errors], _Validated]) -> _Validated:
        """Read one file, validate it, and let its raw rows go: the typed rows are what stays, so
        the rows of all files are never in memory at once."""
        nonlocal done
        progress(READ_SHARE * done / total, name)
        file = files[name] = _csv_file_read(directory, name, errors)
        result = validate(file, errors)
        file.rows.clear()
        file.malformed_rows.clear()
        done += sizes[name]
        return result

    workers = validated(WORKERS_CSV, workers_validate)
    youths = validated(YOUTHS_CSV, youths_validate)
    trajectories = validated(TRAJECTORIES_CSV, trajectories_validate)
    periods = validated(PERIODS_CSV, periods_validate)
    # time_entries.csv, most of a dataset's rows, is streamed into a staging table (time_entries.py).
    time_entries = time_entries_stage(
        directory,
        errors,
        progress=lambda position: progress(READ_SHARE * (done + position) / total, TIME_ENTRIES_CSV),
    )
    done += sizes[TIME_ENTRIES_CSV]
    outcomes = validated(OUTCOMES_CSV, outcomes_validate)
    cost_items = validated(COST_ITEMS_CSV, cost_items_validate)
    follow_ups = validated(FOLLOW_UPS_CSV, follow_ups_validate)
    working_elements = validated(WORKING_ELEMENTS_CSV, working_elements_validate)
    complexity_changes = validated(COMPLEXITY_CHANGES_CSV, complexity_changes_validate)
    progress(READ_SHARE, "controles over de bestanden")

    references = [
        *trajectories.references,
        *periods.references,
        *outcomes.references,
        *cost_items.references,
        *follow_ups.references,
        *working_elements.references,
        *complexity_changes.references,
    ]

    def referenced(column: str) -> set[str]:
        return {reference.value for reference in references if reference.column == column} | (
            time_entries.referenced(column)
        )

    existing = _existing_load(
        organisations={row.organisation for row in workers.workers.values()},
        worker_ids=workers.ids | referenced("worker_id"),
        youth_ids=youths.ids | referenced("youth_id"),
        trajectory_ids=trajectories.ids | referenced("trajectory_id"),
        period_trajectory_ids={row.trajectory_id for row in periods.periods},
        cost_approach_names={row.approach for row in cost_items.cost_items if not row.trajectory_id},
    )
    _references_check(
        references,
        time_entries=time_entries,
        known={
            "worker_id": (workers.ids, existing.workers, WORKERS_CSV, files[WORKERS_CSV].usable),
            "youth_id": (
                youths.ids,
                existing.youths.keys() | existing.ambiguous["youth_id"].keys(),
                YOUTHS_CSV,
                files[YOUTHS_CSV].usable,
            ),
            "trajectory_id": (
                trajectories.ids,
                existing.trajectories.keys() | existing.ambiguous["trajectory_id"].keys(),
                TRAJECTORIES_CSV,
                files[TRAJECTORIES_CSV].usable,
            ),
        },
        errors=errors,
    )
    _ambiguous_keys_check(youths, trajectories, references, time_entries, existing, errors)
    _workers_check(workers, existing, errors)
    complete = files[WORKERS_CSV].usable and files[TRAJECTORIES_CSV].usable
    organisations = _organisations_resolve(workers, youths, trajectories, existing, errors, complete=complete)
    _trajectory_overlaps_check(trajectories, organisations, existing, errors)
    _periods_check(periods, organisations, existing, errors)
    _time_entries_check(time_entries, organisations, errors)
    resolved_cost_items = _cost_items_resolve(
        cost_items, trajectories, organisations, existing, errors, complete=complete
    )
    if organisation is not None:
        _organisation_only_check(
            organisation, workers, trajectories, time_entries, resolved_cost_items, organisations, errors
        )
    _youth_dates_check(youths, existing, errors)
    resolved_follow_ups = _follow_ups_check(
        follow_ups, outcomes, trajectories, existing, errors, outcomes_usable=files[OUTCOMES_CSV].usable
    )
    progress(READ_SHARE + CHECK_SHARE, "opslaan")
    return _Dataset(
        directory=directory,
        workers=workers,
        youths=youths,
        trajectories=trajectories,
        periods=periods,
        time_entries=time_entries,
        outcomes=outcomes,
        cost_items=resolved_cost_items,
        cost_items_present=files[COST_ITEMS_CSV].present,
        organisations=organisations,
        existing=existing,
        follow_ups=resolved_follow_ups,
        working_elements=working_elements,
        complexity_changes=complexity_changes,
        optional_present=frozenset(name for name in OPTIONAL_FILES if files[name].present),
    )
