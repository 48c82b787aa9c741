# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Import of a CSV dataset (SPEC §6): every file is validated whole before anything is written.

`dataset_import(directory=...)` reads workers.csv, youths.csv, trajectories.csv, periods.csv,
time_entries.csv, outcomes.csv (required) and cost_items.csv (optional). Every problem in any file is
collected as `file:line: column: message` (line = the physical line in the file, the header is line 1)
and raised together as `DatasetInvalid`; only a clean dataset is written, in one transaction, with
bulk operations and a bounded number of queries whatever the number of rows.

Ids are external keys, so importing the same files again changes nothing:
- workers by `worker_id` (Worker.external_id), their fte periods by (worker, fte_from);
- youths by `youth_id`, trajectories by `trajectory_id`, each within its organisation (two
  organisations may use the same key, SPEC §8): a key is looked up among the organisations of the
  dataset's workers, and one dataset cannot name a key that several of its organisations use;
  periods by (trajectory, start_date), outcomes by (trajectory, outcome, date);
- time entries and cost items have no id: they are keyed by a hash of their content plus their
  occurrence number in the file (`import_key`), so two identical rows stay two rows; a cost item's
  content includes its organisation, a time entry's its worker (whose key is unique over all).
An unchanged row writes nothing (no `updated_at` churn); a changed row with the same key updates the
record. The import adds and updates, it never deletes.

Decisions where SPEC.md is silent:
- Missing or duplicate header columns make a file unusable: its rows are not checked and ids that
  point into it are not reported as unknown (that would only repeat the header error).
- An empty `complexity` means the model default (licht, factor 1.0); other empty cells clear the field.
- A worker keeps their organisation: moving an imported worker to another organisation is an error
  (their youths and trajectories would silently change tenant). A period's worker and a time entry's
  worker must belong to the organisation of the trajectory.
- A cost item with only an approach belongs to that approach in the dataset's organisation; when the
  dataset has several organisations the approach name must be unambiguous among them.
- Trajectories cover [start_date, end_date) for the "never twice in one approach at once" rule, like
  the database constraint: a trajectory that ends on day d and one that starts on day d may follow on.
"""

import csv
import hashlib
import io
import re
from collections.abc import Callable, Container, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import DateField, DateTimeField, DecimalField, Field, Model, Q
from django.utils import timezone

from cases.models import (
    Approach,
    Complexity,
    CostItem,
    CostLine,
    EducationLevel,
    Municipality,
    Outcome,
    OutcomeType,
    Period,
    Phase,
    ReferralRoute,
    Role,
    TargetGroup,
    TimeCategory,
    TimeEntry,
    Trajectory,
    Youth,
)
from core.exceptions import ApplicationError
from core.models import AuditLogEntry, FtePeriod, Organisation, Team, Worker
from core.services import audit_log_record

WORKERS_CSV = "workers.csv"
YOUTHS_CSV = "youths.csv"
TRAJECTORIES_CSV = "trajectories.csv"
PERIODS_CSV = "periods.csv"
TIME_ENTRIES_CSV = "time_entries.csv"
OUTCOMES_CSV = "outcomes.csv"
COST_ITEMS_CSV = "cost_items.csv"

# The contract of SPEC §6, in the order errors are reported.
COLUMNS: dict[str, tuple[str, ...]] = {
    WORKERS_CSV: ("worker_id", "name", "organisation", "team", "fte", "fte_from"),
    YOUTHS_CSV: (
        "youth_id",
        "birth_date",
        "target_group",
        "education_level",
        "has_startkwalificatie",
        "complexity",
        "municipality",
        "referral_route",
    ),
    TRAJECTORIES_CSV: ("trajectory_id", "youth_id", "worker_id", "approach", "start_date", "end_date"),
    PERIODS_CSV: ("trajectory_id", "phase", "role", "start_date", "end_date", "worker_id"),
    TIME_ENTRIES_CSV: ("worker_id", "date", "minutes", "category", "trajectory_id"),
    OUTCOMES_CSV: ("trajectory_id", "date", "outcome"),
    COST_ITEMS_CSV: ("trajectory_id", "approach", "date", "line", "amount"),
}
OPTIONAL_FILES = frozenset({COST_ITEMS_CSV})
_FILE_RANK = {name: rank for rank, name in enumerate(COLUMNS)}

# Kinds of record, as counted in ImportResult.records.
RECORD_KINDS = (
    "workers",
    "fte_periods",
    "youths",
    "trajectories",
    "periods",
    "time_entries",
    "outcomes",
    "cost_items",
)
NAME_KINDS = ("organisations", "teams", "approaches", "target_groups", "municipalities")

# The codes of SPEC §6, computed once (the enums compute `.values` anew on every access).
PHASES = tuple(Phase.values)
ROLES = tuple(Role.values)
TIME_CATEGORIES = tuple(TimeCategory.values)
OUTCOMES = tuple(OutcomeType.values)
COMPLEXITIES = tuple(Complexity.values)
EDUCATION_LEVELS = tuple(EducationLevel.values)
REFERRAL_ROUTES = tuple(ReferralRoute.values)
COST_LINES = tuple(CostLine.values)

NO_COLUMN = "-"  # the column of an error that concerns a whole row or file
ID_MAX_LENGTH = 100
NAME_MAX_LENGTH = 200
FTE_MAX = Decimal("1.5")
MINUTES_MAX = 24 * 60
AMOUNT_LIMIT = Decimal(10) ** 10  # CostItem.amount: 12 digits, 2 of them decimals

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"-?[0-9]+")

# bulk_create lets the backend lower this to its variable limit (SQLite); bulk_update builds one
# CASE per field and row, which gets slow in long statements, so its batches stay smaller.
CREATE_BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 500
IN_CHUNK_MAX = 10000
INSERT_ROWS_PER_STATEMENT = 1000
SQLITE_CACHE_KIB = 64 * 1024


class DatasetInvalid(ApplicationError):
    """The dataset breaks the contract of SPEC §6. `errors` lists every problem; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(
            f"Dataset rejected with {len(errors)} error(s); nothing was written.", extra={"errors": errors}
        )
        self.errors = errors


@dataclass(frozen=True)
class RecordCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What one import did: per kind of record (RECORD_KINDS) and the names (NAME_KINDS) it created."""

    records: dict[str, RecordCounts]
    names_created: dict[str, int]
    cost_items_present: bool

    @property
    def changed(self) -> bool:
        """Whether the import created or updated anything."""
        return any(c.created or c.updated for c in self.records.values()) or any(self.names_created.values())

    def detail(self) -> str:
        """One line for the audit log: created/updated/unchanged per kind, then new names."""
        parts = [f"{kind} {c.created}/{c.updated}/{c.unchanged}" for kind, c in self.records.items()]
        names = [f"{kind} {count}" for kind, count in self.names_created.items()]
        return "created/updated/unchanged: " + ", ".join(parts) + "; new names: " + ", ".join(names)


# --- errors and raw files ---------------------------------------------------------------------


class _Errors:
    """Collects errors as `file:line: column: message`; reported sorted by file, line and arrival."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, int, str]] = []

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self._items.append((_FILE_RANK[file], line, len(self._items), f"{file}:{line}: {column}: {message}"))

    def add_file(self, file: str, message: str) -> None:
        """An error of a whole file (e.g. missing), placed on line 1 where its header should be,
        so every error keeps the `file:line: column: message` shape."""
        self._items.append((_FILE_RANK[file], 0, len(self._items), f"{file}:1: {NO_COLUMN}: {message}"))

    def __bool__(self) -> bool:
        return bool(self._items)

    def texts(self) -> list[str]:
        return [item[3] for item in sorted(self._items)]


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class _CsvFile:
    name: str
    present: bool
    # Present with every column of the contract: its rows are read and the ids in it are known.
    usable: bool
    rows: list[_Row]
    # Rows with too few or too many cells (reported): not checked further, but their ids count as known.
    malformed_rows: list[_Row] = field(default_factory=list)

    def malformed_ids(self, column: str) -> set[str]:
        return {row.cells[column] for row in self.malformed_rows if row.cells.get(column)}


def _csv_file_read(directory: Path, name: str, errors: _Errors) -> _CsvFile:
    """Read one file of the dataset: UTF-8 (a BOM is fine), a header row, comma separated."""
    path = directory / name
    if not path.is_file():
        if name not in OPTIONAL_FILES:
            errors.add_file(name, f"required file is missing (no {name} in {directory})")
        return _CsvFile(name=name, present=False, usable=False, rows=[])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        errors.add(name, line, NO_COLUMN, f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8")
        return _CsvFile(name=name, present=True, usable=False, rows=[])

    expected = COLUMNS[name]
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[_Row] = []
    malformed_rows: list[_Row] = []
    usable = True
    end_of_previous = 0
    try:
        for cells in reader:
            line = end_of_previous + 1  # a quoted cell may span lines: a row starts after the previous one
            end_of_previous = reader.line_num
            if header is None:
                header = [cell.strip() for cell in cells]
                usable = _header_check(name, header, errors)
                if not usable:
                    break  # rows cannot be read against this header; the header errors say why
                continue
            if not any(cell.strip() for cell in cells):
                continue  # blank lines carry nothing
            if len(cells) != len(header):
                errors.add(name, line, NO_COLUMN, f"{len(cells)} cells, but the header has {len(header)} columns")
                malformed_rows.append(_Row(line=line, cells=dict(zip(header, map(str.strip, cells), strict=False))))
                continue
            rows.append(_Row(line=line, cells=dict(zip(header, map(str.strip, cells), strict=True))))
    except csv.Error as error:
        errors.add(name, end_of_previous + 1, NO_COLUMN, f"not readable as CSV: {error}")
        return _CsvFile(name=name, present=True, usable=False, rows=[])
    if header is None:
        errors.add(name, 1, NO_COLUMN, f"empty file; expected the header {','.join(expected)}")
        return _CsvFile(name=name, present=True, usable=False, rows=[])
    if not usable:
        return _CsvFile(name=name, present=True, usable=False, rows=[])
    return _CsvFile(name=name, present=True, usable=True, rows=rows, malformed_rows=malformed_rows)


def _header_check(name: str, header: list[str], errors: _Errors) -> bool:
    """Missing and unknown columns are errors of line 1; the file stays usable when none is missing."""
    expected = COLUMNS[name]
    usable = True
    seen: set[str] = set()
    for position, column in enumerate(header, start=1):
        if not column:
            errors.add(name, 1, NO_COLUMN, f"column {position} has no name")
        elif column in seen:
            errors.add(name, 1, column, "duplicate column")
            usable = False
        elif column not in expected:
            errors.add(name, 1, column, f"unknown column (expected {', '.join(expected)})")
        seen.add(column)
    for column in expected:
        if column not in seen:
            errors.add(name, 1, column, "missing column")
            usable = False
    return usable


class _Cells:
    """Typed access to the cells of one row; every problem is an error of this file, line and column."""

    def __init__(self, file: str, row: _Row, errors: _Errors) -> None:
        self.file = file
        self.line = row.line
        self._cells = row.cells
        self._errors = errors
        self.valid = True

    def error(self, column: str, message: str) -> None:
        self.valid = False
        self._errors.add(self.file, self.line, column, message)

    def raw(self, column: str) -> str:
        return self._cells.get(column, "")

    def references(self, **ids: str) -> list["_Reference"]:
        """The non-empty ids of this row that must name a dataset row or an earlier import."""
        return [_Reference(self.file, self.line, column, value) for column, value in ids.items() if value]

    def _required(self, column: str, required: bool) -> None:
        if required:
            self.error(column, "required, but empty")

    def text(self, column: str, *, required: bool = False, max_length: int = NAME_MAX_LENGTH) -> str:
        value = self.raw(column)
        if not value:
            self._required(column, required)
        elif len(value) > max_length:
            self.error(column, f"longer than {max_length} characters")
        return value

    def identifier(self, column: str, *, required: bool = True) -> str:
        return self.text(column, required=required, max_length=ID_MAX_LENGTH)

    def code(self, column: str, choices: Sequence[str], *, required: bool = False) -> str:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return ""
        if value not in choices:
            self.error(column, f"{value!r} is not one of {', '.join(choices)}")
            return ""
        return value

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return None
        if _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(column, f"{value!r} is not a date as YYYY-MM-DD")
        return None

    def decimal(self, column: str, *, required: bool, maximum: Decimal, places: int, range_text: str) -> Decimal | None:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return None
        if not _DECIMAL.fullmatch(value):
            self.error(column, f"{value!r} is not a number (use a dot for decimals, no thousands separator)")
            return None
        number = Decimal(value)
        if not Decimal(0) <= number <= maximum:
            self.error(column, f"{value!r} is not {range_text}")
            return None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.error(column, f"{value!r} has more than {places} decimals")
            return None
        return number

    def integer(self, column: str, *, required: bool, minimum: int, maximum: int) -> int | None:
        value = self.raw(column)
        if not value:
            self._required(column, required)
            return None
        if not _INTEGER.fullmatch(value):
            self.error(column, f"{value!r} is not a whole number")
            return None
        number = int(value)
        if not minimum <= number <= maximum:
            self.error(column, f"{value!r} is not between {minimum} and {maximum}")
            return None
        return number

    def boolean(self, column: str) -> bool | None:
        value = self.raw(column)
        if not value:
            return None
        if value not in ("true", "false"):
            self.error(column, f"{value!r} is not one of true, false")
            return None
        return value == "true"


def _span_text(start: date, end: date | None) -> str:
    return f"{start.isoformat()}..{end.isoformat() if end else 'open'}"


def _content_key(kind: str, parts: Sequence[str], occurrence: int) -> str:
    """import_key: 64 hex characters from the row's normalised content and its occurrence number."""
    text = "\x1f".join([kind, *parts, str(occurrence)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Reference:
    """An id in a cell that must name a row of the dataset or a record imported earlier."""

    file: str
    line: int
    column: str
    value: str


# --- per-file validation (no database) -----------------------------------------------------------


@dataclass(frozen=True)
class _WorkerRow:
    line: int
    worker_id: str
    name: str
    organisation: str
    team: str
    fte: Decimal | None
    fte_from: date | None


@dataclass(frozen=True)
class _FtePeriodRow:
    line: int
    worker_id: str
    fte: Decimal
    fte_from: date


@dataclass
class _WorkersFile:
    ids: set[str] = field(default_factory=set)
    workers: dict[str, _WorkerRow] = field(default_factory=dict)  # the first valid row of each worker
    fte_periods: list[_FtePeriodRow] = field(default_factory=list)


def workers_validate(file: _CsvFile, errors: _Errors) -> _WorkersFile:
    """workers.csv: one row per fte period; name, organisation and team agree across a worker's rows."""
    result = _WorkersFile(ids=file.malformed_ids("worker_id"))
    fte_lines: dict[tuple[str, date], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        worker_id = cells.identifier("worker_id")
        if worker_id:
            result.ids.add(worker_id)
        # An empty name is unknown (SPEC §6): the worker is known by their id until someone names them.
        name = cells.text("name") or worker_id
        organisation = cells.text("organisation", required=True)
        team = cells.text("team", required=True)
        fte = cells.decimal("fte", required=False, maximum=FTE_MAX, places=3, range_text="between 0 and 1.5")
        fte_from = cells.date("fte_from")
        if not cells.raw("fte") and cells.raw("fte_from"):
            cells.error("fte", "required when fte_from is given")
        if cells.raw("fte") and not cells.raw("fte_from"):
            cells.error("fte_from", "required when fte is given")
        if not cells.valid:
            continue
        parsed = _WorkerRow(row.line, worker_id, name, organisation, team, fte, fte_from)
        first = result.workers.setdefault(worker_id, parsed)
        for column, mine, theirs in (
            ("name", name, first.name),
            ("organisation", organisation, first.organisation),
            ("team", team, first.team),
        ):
            if mine != theirs:
                cells.error(column, f"{mine!r} differs from {theirs!r} on line {first.line} for worker {worker_id!r}")
        if fte is not None and fte_from is not None:
            first_line = fte_lines.setdefault((worker_id, fte_from), row.line)
            if first_line != row.line:
                cells.error(
                    "fte_from",
                    f"duplicate fte period of worker {worker_id!r} from {fte_from} (also on line {first_line})",
                )
            else:
                result.fte_periods.append(_FtePeriodRow(row.line, worker_id, fte, fte_from))
    return result


@dataclass(frozen=True)
class _YouthRow:
    line: int
    youth_id: str
    birth_date: date | None
    target_group: str
    education_level: str
    has_startkwalificatie: bool | None
    complexity: str
    municipality: str
    referral_route: str


def _unique_id(cells: _Cells, column: str, kind: str, ids: set[str], lines: dict[str, int], line: int) -> str:
    """Read an id column, remember the id, and flag a second row with the same id."""
    value = cells.identifier(column)
    if value:
        ids.add(value)
        first_line = lines.setdefault(value, line)
        if first_line != line:
            cells.error(column, f"duplicate {kind} {value!r} (also on line {first_line})")
    return value


@dataclass
class _YouthsFile:
    ids: set[str] = field(default_factory=set)
    youths: list[_YouthRow] = field(default_factory=list)


def youths_validate(file: _CsvFile, errors: _Errors) -> _YouthsFile:
    """youths.csv: codes of SPEC §6; an empty cell is unknown."""
    result = _YouthsFile(ids=file.malformed_ids("youth_id"))
    lines: dict[str, int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        youth_id = _unique_id(cells, "youth_id", "youth", result.ids, lines, row.line)
        parsed = _YouthRow(
            line=row.line,
            youth_id=youth_id,
            birth_date=cells.date("birth_date"),
            target_group=cells.text("target_group"),
            education_level=cells.code("education_level", EDUCATION_LEVELS),
            has_startkwalificatie=cells.boolean("has_startkwalificatie"),
            complexity=cells.code("complexity", COMPLEXITIES) or Complexity.LICHT.value,
            municipality=cells.text("municipality"),
            referral_route=cells.code("referral_route", REFERRAL_ROUTES),
        )
        if cells.valid:
            result.youths.append(parsed)
    return result


@dataclass(frozen=True)
class _TrajectoryRow:
    line: int
    trajectory_id: str
    youth_id: str
    worker_id: str
    approach: str
    start_date: date
    end_date: date | None


@dataclass
class _TrajectoriesFile:
    ids: set[str] = field(default_factory=set)
    trajectories: list[_TrajectoryRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def trajectories_validate(file: _CsvFile, errors: _Errors) -> _TrajectoriesFile:
    """trajectories.csv: ids, an approach name, and end_date on or after start_date."""
    result = _TrajectoriesFile(ids=file.malformed_ids("trajectory_id"))
    lines: dict[str, int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = _unique_id(cells, "trajectory_id", "trajectory", result.ids, lines, row.line)
        youth_id = cells.identifier("youth_id")
        worker_id = cells.identifier("worker_id")
        result.references += cells.references(youth_id=youth_id, worker_id=worker_id)
        approach = cells.text("approach", required=True)
        start_date = cells.date("start_date", required=True)
        end_date = cells.date("end_date")
        if start_date and end_date and end_date < start_date:
            cells.error("end_date", f"{end_date} is before start_date {start_date}")
        if cells.valid and start_date is not None:
            result.trajectories.append(
                _TrajectoryRow(row.line, trajectory_id, youth_id, worker_id, approach, start_date, end_date)
            )
    return result


@dataclass(frozen=True)
class _PeriodRow:
    line: int
    trajectory_id: str
    phase: str
    role: str
    start_date: date
    end_date: date | None
    worker_id: str


@dataclass
class _PeriodsFile:
    periods: list[_PeriodRow] = field(default_factory=list)
    # (trajectory_id, start_date) of every row, valid or not: the periods this file speaks for.
    keys: set[tuple[str, date]] = field(default_factory=set)
    references: list[_Reference] = field(default_factory=list)


def periods_validate(file: _CsvFile, errors: _Errors) -> _PeriodsFile:
    """periods.csv: phase and role codes (a time-out has no role), end_date after start_date."""
    result = _PeriodsFile()
    lines: dict[tuple[str, date], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id")
        worker_id = cells.identifier("worker_id", required=False)
        result.references += cells.references(trajectory_id=trajectory_id, worker_id=worker_id)
        phase = cells.code("phase", PHASES, required=True)
        role = cells.code("role", ROLES)
        if phase == Phase.TIME_OUT and role:
            cells.error("role", f"a time-out has no role (found {role!r})")
        start_date = cells.date("start_date", required=True)
        end_date = cells.date("end_date")
        if start_date and end_date and end_date <= start_date:
            cells.error("end_date", f"{end_date} is not after start_date {start_date}")
        if trajectory_id and start_date:
            result.keys.add((trajectory_id, start_date))
            first_line = lines.setdefault((trajectory_id, start_date), row.line)
            if first_line != row.line:
                cells.error(
                    "start_date",
                    f"duplicate period of trajectory {trajectory_id!r} starting {start_date} (also on line {first_line})",
                )
        if cells.valid and start_date is not None:
            result.periods.append(_PeriodRow(row.line, trajectory_id, phase, role, start_date, end_date, worker_id))
    return result


@dataclass(frozen=True)
class _TimeEntryRow:
    line: int
    worker_id: str
    date: date
    minutes: int
    category: str
    trajectory_id: str
    import_key: str


@dataclass
class _TimeEntriesFile:
    time_entries: list[_TimeEntryRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def time_entries_validate(file: _CsvFile, errors: _Errors) -> _TimeEntriesFile:
    """time_entries.csv: minutes 1..1440, a category code; keyed by content and occurrence."""
    result = _TimeEntriesFile()
    occurrences: dict[tuple[str, ...], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        worker_id = cells.identifier("worker_id")
        trajectory_id = cells.identifier("trajectory_id", required=False)
        result.references += cells.references(worker_id=worker_id, trajectory_id=trajectory_id)
        day = cells.date("date", required=True)
        minutes = cells.integer("minutes", required=True, minimum=1, maximum=MINUTES_MAX)
        category = cells.code("category", TIME_CATEGORIES, required=True)
        if not cells.valid or day is None or minutes is None:
            continue
        content = (worker_id, day.isoformat(), str(minutes), category, trajectory_id)
        occurrence = occurrences[content] = occurrences.get(content, 0) + 1
        result.time_entries.append(
            _TimeEntryRow(
                row.line,
                worker_id,
                day,
                minutes,
                category,
                trajectory_id,
                _content_key("time_entry", content, occurrence),
            )
        )
    return result


@dataclass(frozen=True)
class _OutcomeRow:
    line: int
    trajectory_id: str
    date: date
    outcome: str


@dataclass
class _OutcomesFile:
    outcomes: list[_OutcomeRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def outcomes_validate(file: _CsvFile, errors: _Errors) -> _OutcomesFile:
    """outcomes.csv: outcome codes of SPEC §2; one outcome of a kind per trajectory and day."""
    result = _OutcomesFile()
    lines: dict[tuple[str, str, date], int] = {}
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id")
        result.references += cells.references(trajectory_id=trajectory_id)
        day = cells.date("date", required=True)
        outcome = cells.code("outcome", OUTCOMES, required=True)
        if trajectory_id and day and outcome:
            first_line = lines.setdefault((trajectory_id, outcome, day), row.line)
            if first_line != row.line:
                cells.error(
                    "outcome",
                    f"duplicate outcome {outcome!r} on {day} for trajectory {trajectory_id!r} (also on line {first_line})",
                )
        if cells.valid and day is not None:
            result.outcomes.append(_OutcomeRow(row.line, trajectory_id, day, outcome))
    return result


@dataclass(frozen=True)
class _CostItemRow:
    line: int
    trajectory_id: str
    approach: str
    date: date
    cost_line: str
    amount: Decimal


@dataclass
class _CostItemsFile:
    cost_items: list[_CostItemRow] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def cost_items_validate(file: _CsvFile, errors: _Errors) -> _CostItemsFile:
    """cost_items.csv: a cost line of SPEC §4, an amount >= 0, on a trajectory or an approach."""
    result = _CostItemsFile()
    for row in file.rows:
        cells = _Cells(file.name, row, errors)
        trajectory_id = cells.identifier("trajectory_id", required=False)
        result.references += cells.references(trajectory_id=trajectory_id)
        approach = cells.text("approach")
        if not cells.raw("trajectory_id") and not cells.raw("approach"):
            cells.error("approach", "required when trajectory_id is empty")
        day = cells.date("date", required=True)
        cost_line = cells.code("line", COST_LINES, required=True)
        amount = cells.decimal(
            "amount", required=True, maximum=AMOUNT_LIMIT - Decimal("0.01"), places=2, range_text="an amount >= 0"
        )
        if cells.valid and day is not None and amount is not None:
            result.cost_items.append(_CostItemRow(row.line, trajectory_id, approach, day, cost_line, amount))
    return result


# --- what the database already holds --------------------------------------------------------------

_T = TypeVar("_T")
_KeyedModel = TypeVar("_KeyedModel", Youth, Trajectory)


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
    youths: dict[str, Youth]
    trajectories: dict[str, Trajectory]  # referenced ones plus all trajectories of the dataset's youths
    loaded_trajectories: list[Trajectory]  # the above plus those whose key is ambiguous
    periods: dict[str, list[Period]]  # by trajectory external id, for trajectories named in periods.csv
    approach_organisations: dict[str, set[str]]  # approach name -> organisation names, for cost items
    ambiguous: dict[str, dict[str, list[str]]]  # "youth_id"/"trajectory_id" -> key -> organisation names

    def worker_organisation(self, worker_id: str) -> str:
        return self.organisation_names[self.workers[worker_id].team.organisation_id]

    def trajectory_organisation(self, trajectory_id: str) -> str:
        return self.organisation_names[self.trajectories[trajectory_id].approach.organisation_id]


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
    for chunk in _chunks(sorted(worker_ids)):
        workers.update((w.external_id, w) for w in Worker.objects.filter(external_id__in=chunk).select_related("team"))
    # The dataset's organisations: named in workers.csv, or those of the workers it names.
    in_dataset = organisations | {organisation_names[w.team.organisation_id] for w in workers.values()}
    in_scope = (
        Q(organisation_id__in=sorted(pk for pk, name in organisation_names.items() if name in in_dataset))
        if in_dataset
        else Q()
    )
    found_youths: list[Youth] = []
    for chunk in _chunks(sorted(youth_ids)):
        found_youths += Youth.objects.filter(in_scope, external_id__in=chunk)
    youths, ambiguous_youths = _by_key(found_youths, lambda y: organisation_names[y.organisation_id])
    found_trajectories: dict[int, Trajectory] = {}
    related = ("youth", "approach")
    for pk_chunk in _chunks(sorted(youth.pk for youth in youths.values())):
        found_trajectories.update(
            (t.pk, t) for t in Trajectory.objects.filter(youth_id__in=pk_chunk).select_related(*related)
        )
    for chunk in _chunks(sorted(trajectory_ids)):
        found_trajectories.update(
            (t.pk, t) for t in Trajectory.objects.filter(in_scope, external_id__in=chunk).select_related(*related)
        )
    loaded_trajectories = sorted(found_trajectories.values(), key=lambda t: t.pk)
    trajectories, ambiguous_trajectories = _by_key(
        loaded_trajectories, lambda t: organisation_names[t.approach.organisation_id]
    )
    periods: dict[str, list[Period]] = {}
    external_ids = {t.pk: t.external_id for t in trajectories.values()}
    period_trajectory_pks = [trajectories[t].pk for t in sorted(period_trajectory_ids) if t in trajectories]
    for pk_chunk in _chunks(period_trajectory_pks):
        for period in Period.objects.filter(trajectory_id__in=pk_chunk):
            periods.setdefault(external_ids[period.trajectory_id], []).append(period)
    approach_organisations: dict[str, set[str]] = {}
    for name_chunk in _chunks(sorted(cost_approach_names)):
        for organisation_id, name in Approach.objects.filter(name__in=name_chunk).values_list(
            "organisation_id", "name"
        ):
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
    known: dict[str, tuple[set[str], Container[str], str, bool]],
    errors: _Errors,
) -> None:
    """Every id names a row of the dataset or a record imported earlier."""
    for reference in references:
        ids_in_file, existing, source, source_usable = known[reference.column]
        if reference.value in ids_in_file or reference.value in existing or not source_usable:
            continue
        errors.add(
            reference.file,
            reference.line,
            reference.column,
            f"{reference.value!r} is not in {source} and was not imported earlier",
        )


def _ambiguous_keys_check(
    youths: _YouthsFile,
    trajectories: _TrajectoriesFile,
    references: Iterable[_Reference],
    existing: _Existing,
    errors: _Errors,
) -> None:
    """Within one dataset a key names one record, so it cannot name a key that several of the
    dataset's organisations use (each organisation's records can be imported on their own)."""
    named = [
        *((YOUTHS_CSV, row.line, "youth_id", row.youth_id) for row in youths.youths),
        *((TRAJECTORIES_CSV, row.line, "trajectory_id", row.trajectory_id) for row in trajectories.trajectories),
        *((r.file, r.line, r.column, r.value) for r in references if r.column in existing.ambiguous),
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


@dataclass(frozen=True)
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
        organisation = existing.organisation_names[trajectory.approach.organisation_id]
        group = groups.get((trajectory.youth.external_id, organisation, trajectory.approach.name))
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


def _time_entries_check(entries: _TimeEntriesFile, organisations: _Organisations, errors: _Errors) -> None:
    """A time entry on a trajectory is by a worker of the trajectory's organisation."""
    for row in entries.time_entries:
        if not row.trajectory_id:
            continue
        organisation = organisations.of_trajectory.get(row.trajectory_id)
        worker_organisation = organisations.of_worker.get(row.worker_id)
        if organisation and worker_organisation and organisation != worker_organisation:
            errors.add(
                TIME_ENTRIES_CSV,
                row.line,
                "trajectory_id",
                f"trajectory {row.trajectory_id!r} belongs to {organisation!r}, "
                f"worker {row.worker_id!r} to {worker_organisation!r}",
            )


@dataclass(frozen=True)
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
        approach_of.setdefault(trajectory_id, trajectory.approach.name)
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


@dataclass(frozen=True)
class _Dataset:
    """A dataset that passed validation, with what the writer needs."""

    directory: Path
    workers: _WorkersFile
    youths: _YouthsFile
    trajectories: _TrajectoriesFile
    periods: _PeriodsFile
    time_entries: _TimeEntriesFile
    outcomes: _OutcomesFile
    cost_items: list[_ResolvedCostItem]
    cost_items_present: bool
    organisations: _Organisations
    existing: _Existing


def dataset_validate(*, directory: Path, errors: _Errors) -> _Dataset:
    """Check every file and every rule of SPEC §6, collecting all errors (none is raised here)."""
    files = {name: _csv_file_read(directory, name, errors) for name in COLUMNS}
    workers = workers_validate(files[WORKERS_CSV], errors)
    youths = youths_validate(files[YOUTHS_CSV], errors)
    trajectories = trajectories_validate(files[TRAJECTORIES_CSV], errors)
    periods = periods_validate(files[PERIODS_CSV], errors)
    time_entries = time_entries_validate(files[TIME_ENTRIES_CSV], errors)
    outcomes = outcomes_validate(files[OUTCOMES_CSV], errors)
    cost_items = cost_items_validate(files[COST_ITEMS_CSV], errors)

    references = [
        *trajectories.references,
        *periods.references,
        *time_entries.references,
        *outcomes.references,
        *cost_items.references,
    ]

    def referenced(column: str) -> set[str]:
        return {reference.value for reference in references if reference.column == column}

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
    _ambiguous_keys_check(youths, trajectories, references, existing, errors)
    _workers_check(workers, existing, errors)
    complete = files[WORKERS_CSV].usable and files[TRAJECTORIES_CSV].usable
    organisations = _organisations_resolve(workers, youths, trajectories, existing, errors, complete=complete)
    _trajectory_overlaps_check(trajectories, organisations, existing, errors)
    _periods_check(periods, organisations, existing, errors)
    _time_entries_check(time_entries, organisations, errors)
    resolved_cost_items = _cost_items_resolve(
        cost_items, trajectories, organisations, existing, errors, complete=complete
    )
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
    )


# --- writing -------------------------------------------------------------------------------------

_M = TypeVar("_M", bound=Model)
_K = TypeVar("_K", bound=Hashable)


def _names_ensure(
    existing: Iterable[_M], wanted: Iterable[_K], *, key: Callable[[_M], _K], build: Callable[[_K], _M]
) -> tuple[dict[_K, int], int]:
    """Primary keys of named records (organisation, team, ...), creating the missing ones in one go."""
    pks: dict[_K, int] = {key(record): record.pk for record in existing}
    missing = [k for k in dict.fromkeys(wanted) if k not in pks]
    if not missing:
        return pks, 0
    records = [build(k) for k in missing]
    type(records[0])._default_manager.bulk_create(records, batch_size=CREATE_BATCH_SIZE)
    pks.update((k, record.pk) for k, record in zip(missing, records, strict=True))
    return pks, len(records)


def _changes_apply(record: Model, values: Mapping[str, object]) -> bool:
    """Set the values that differ on the record; True when any did."""
    changed = False
    for attribute, value in values.items():
        if getattr(record, attribute) != value:
            setattr(record, attribute, value)
            changed = True
    return changed


class _Writer:
    """Writes a validated dataset with bulk operations, counting created/updated/unchanged."""

    def __init__(self, dataset: _Dataset) -> None:
        self.dataset = dataset
        self.existing = dataset.existing
        self.now = timezone.now()
        self.records: dict[str, RecordCounts] = {}
        self.names_created: dict[str, int] = dict.fromkeys(NAME_KINDS, 0)

    def _count(self, kind: str, created: int, updated: int, unchanged: int) -> None:
        self.records[kind] = RecordCounts(created=created, updated=updated, unchanged=unchanged)

    def write(self) -> ImportResult:
        self._names()
        self._workers()
        self._fte_periods()
        self._youths()
        self._trajectories()
        self._periods()
        self._time_entries()
        self._outcomes()
        self._cost_items()
        return ImportResult(
            records={kind: self.records[kind] for kind in RECORD_KINDS},
            names_created=self.names_created,
            cost_items_present=self.dataset.cost_items_present,
        )

    def _names(self) -> None:
        dataset = self.dataset
        organisations = dataset.organisations
        organisation_names = {row.organisation for row in dataset.workers.workers.values()}
        organisation_names |= set(organisations.of_youth.values()) | set(organisations.of_trajectory.values())
        organisation_names |= {item.organisation for item in dataset.cost_items}
        self.organisation_pks, self.names_created["organisations"] = _names_ensure(
            Organisation.objects.filter(name__in=sorted(organisation_names)),
            sorted(organisation_names),
            key=lambda o: o.name,
            build=lambda name: Organisation(name=name),
        )
        organisation_pks = sorted(self.organisation_pks.values())
        self.team_pks, self.names_created["teams"] = _names_ensure(
            Team.objects.filter(organisation_id__in=organisation_pks),
            [(self.organisation_pks[row.organisation], row.team) for row in dataset.workers.workers.values()],
            key=lambda t: (t.organisation_id, t.name),
            build=lambda k: Team(organisation_id=k[0], name=k[1]),
        )
        self.target_group_pks, self.names_created["target_groups"] = _names_ensure(
            TargetGroup.objects.filter(organisation_id__in=organisation_pks),
            [
                (self.organisation_pks[organisations.of_youth[row.youth_id]], row.target_group)
                for row in dataset.youths.youths
                if row.target_group
            ],
            key=lambda g: (g.organisation_id, g.name),
            build=lambda k: TargetGroup(organisation_id=k[0], name=k[1]),
        )
        municipality_names = sorted({row.municipality for row in dataset.youths.youths if row.municipality})
        self.municipality_pks, self.names_created["municipalities"] = _names_ensure(
            Municipality.objects.filter(name__in=municipality_names),
            municipality_names,
            key=lambda m: m.name,
            build=lambda name: Municipality(name=name),
        )
        approaches = [
            (self.organisation_pks[organisations.of_trajectory[row.trajectory_id]], row.approach)
            for row in dataset.trajectories.trajectories
        ]
        approaches += [(self.organisation_pks[item.organisation], item.approach) for item in dataset.cost_items]
        self.approach_pks, self.names_created["approaches"] = _names_ensure(
            Approach.objects.filter(organisation_id__in=organisation_pks),
            approaches,
            key=lambda a: (a.organisation_id, a.name),
            build=lambda k: Approach(organisation_id=k[0], name=k[1]),
        )

    def _workers(self) -> None:
        created: list[Worker] = []
        updated: list[Worker] = []
        for worker_id, row in self.dataset.workers.workers.items():
            team_pk = self.team_pks[(self.organisation_pks[row.organisation], row.team)]
            worker = self.existing.workers.get(worker_id)
            if worker is None:
                created.append(Worker(external_id=worker_id, name=row.name, team_id=team_pk))
            elif _changes_apply(worker, {"name": row.name, "team_id": team_pk}):
                worker.updated_at = self.now
                updated.append(worker)
        Worker.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        Worker.objects.bulk_update(updated, ["name", "team", "updated_at"], batch_size=UPDATE_BATCH_SIZE)
        self.worker_pks = {worker_id: worker.pk for worker_id, worker in self.existing.workers.items()}
        self.worker_pks.update((worker.external_id, worker.pk) for worker in created)
        total = len(self.dataset.workers.workers)
        self._count("workers", len(created), len(updated), total - len(created) - len(updated))

    def _fte_periods(self) -> None:
        worker_pks = sorted({self.worker_pks[row.worker_id] for row in self.dataset.workers.fte_periods})
        current: dict[tuple[int, date], FtePeriod] = {}
        for chunk in _chunks(worker_pks):
            current.update(((p.worker_id, p.start_date), p) for p in FtePeriod.objects.filter(worker_id__in=chunk))
        created: list[FtePeriod] = []
        updated: list[FtePeriod] = []
        for row in self.dataset.workers.fte_periods:
            worker_pk = self.worker_pks[row.worker_id]
            period = current.get((worker_pk, row.fte_from))
            if period is None:
                created.append(FtePeriod(worker_id=worker_pk, start_date=row.fte_from, fte=row.fte))
            elif _changes_apply(period, {"fte": row.fte}):
                updated.append(period)
        FtePeriod.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        FtePeriod.objects.bulk_update(updated, ["fte"], batch_size=UPDATE_BATCH_SIZE)
        total = len(self.dataset.workers.fte_periods)
        self._count("fte_periods", len(created), len(updated), total - len(created) - len(updated))

    def _youths(self) -> None:
        organisations = self.dataset.organisations
        created: list[Youth] = []
        updated: list[Youth] = []
        for row in self.dataset.youths.youths:
            organisation_pk = self.organisation_pks[organisations.of_youth[row.youth_id]]
            values: dict[str, object] = {
                "birth_date": row.birth_date,
                "target_group_id": self.target_group_pks[(organisation_pk, row.target_group)]
                if row.target_group
                else None,
                "education_level": row.education_level,
                "has_startkwalificatie": row.has_startkwalificatie,
                "complexity": row.complexity,
                "municipality_id": self.municipality_pks[row.municipality] if row.municipality else None,
                "referral_route": row.referral_route,
            }
            youth = self.existing.youths.get(row.youth_id)
            if youth is None:
                created.append(Youth(external_id=row.youth_id, organisation_id=organisation_pk, **values))
            elif _changes_apply(youth, values):
                youth.updated_at = self.now
                updated.append(youth)
        Youth.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        fields = [
            "birth_date",
            "target_group",
            "education_level",
            "has_startkwalificatie",
            "complexity",
            "municipality",
            "referral_route",
            "updated_at",
        ]
        Youth.objects.bulk_update(updated, fields, batch_size=UPDATE_BATCH_SIZE)
        self.youth_pks = {youth_id: youth.pk for youth_id, youth in self.existing.youths.items()}
        self.youth_pks.update((youth.external_id, youth.pk) for youth in created)
        total = len(self.dataset.youths.youths)
        self._count("youths", len(created), len(updated), total - len(created) - len(updated))

    def _trajectories(self) -> None:
        organisations = self.dataset.organisations
        created: list[Trajectory] = []
        updated: list[Trajectory] = []
        moved: list[tuple[Trajectory, date]] = []  # with the start date the database holds now
        for row in self.dataset.trajectories.trajectories:
            organisation_pk = self.organisation_pks[organisations.of_trajectory[row.trajectory_id]]
            values: dict[str, object] = {
                "youth_id": self.youth_pks[row.youth_id],
                "approach_id": self.approach_pks[(organisation_pk, row.approach)],
                "worker_id": self.worker_pks[row.worker_id],
                "start_date": row.start_date,
                "end_date": row.end_date,
            }
            trajectory = self.existing.trajectories.get(row.trajectory_id)
            if trajectory is None:
                created.append(Trajectory(external_id=row.trajectory_id, **values))
                continue
            span_before = (trajectory.youth_id, trajectory.approach_id, trajectory.start_date, trajectory.end_date)
            if _changes_apply(trajectory, values):
                trajectory.updated_at = self.now
                updated.append(trajectory)
                if span_before != (
                    trajectory.youth_id,
                    trajectory.approach_id,
                    trajectory.start_date,
                    trajectory.end_date,
                ):
                    moved.append((trajectory, span_before[2]))
        # The overlap constraint is checked row by row, while a bulk update is half done: first make
        # every trajectory that moves an empty span (start == end overlaps nothing), then set the final
        # values, which validation showed to be free of overlaps, then add the new trajectories.
        if moved:
            final_ends = [trajectory.end_date for trajectory, _stored_start in moved]
            for trajectory, stored_start in moved:
                trajectory.end_date = stored_start  # only end_date is written: [stored start, stored start)
            Trajectory.objects.bulk_update([t for t, _s in moved], ["end_date"], batch_size=UPDATE_BATCH_SIZE)
            for (trajectory, _stored_start), end_date in zip(moved, final_ends, strict=True):
                trajectory.end_date = end_date
        Trajectory.objects.bulk_update(
            updated,
            ["youth", "approach", "worker", "start_date", "end_date", "updated_at"],
            batch_size=UPDATE_BATCH_SIZE,
        )
        Trajectory.objects.bulk_create(created, batch_size=CREATE_BATCH_SIZE)
        self.trajectory_pks = {trajectory_id: t.pk for trajectory_id, t in self.existing.trajectories.items()}
        self.trajectory_pks.update((t.external_id, t.pk) for t in created)
        total = len(self.dataset.trajectories.trajectories)
        self._count("trajectories", len(created), len(updated), total - len(created) - len(updated))

    def _periods(self) -> None:
        current: dict[tuple[str, date], Period] = {}
        for trajectory_id, periods in self.existing.periods.items():
            current.update(((trajectory_id, period.start_date), period) for period in periods)
        created: list[tuple[object, ...]] = []
        shrinking: list[Period] = []
        growing: list[Period] = []
        for row in self.dataset.periods.periods:
            worker_pk = self.worker_pks[row.worker_id] if row.worker_id else None
            period = current.get((row.trajectory_id, row.start_date))
            if period is None:
                trajectory_pk = self.trajectory_pks[row.trajectory_id]
                created.append((trajectory_pk, row.phase, row.role, row.start_date, row.end_date, worker_pk))
                continue
            end_before = period.end_date
            values = {"phase": row.phase, "role": row.role, "end_date": row.end_date, "worker_id": worker_pk}
            if _changes_apply(period, values):
                grows = (period.end_date is None and end_before is not None) or (
                    period.end_date is not None and end_before is not None and period.end_date > end_before
                )
                (growing if grows else shrinking).append(period)
        # Overlaps are checked row by row: shorten first, then lengthen, then add (see _trajectories).
        fields = ["phase", "role", "end_date", "worker"]
        Period.objects.bulk_update(shrinking, fields, batch_size=UPDATE_BATCH_SIZE)
        Period.objects.bulk_update(growing, fields, batch_size=UPDATE_BATCH_SIZE)
        rows_insert(Period, ["trajectory", "phase", "role", "start_date", "end_date", "worker"], created)
        updated = len(shrinking) + len(growing)
        total = len(self.dataset.periods.periods)
        self._count("periods", len(created), updated, total - len(created) - updated)

    def _time_entries(self) -> None:
        rows = self.dataset.time_entries.time_entries
        fields = ["worker", "date", "minutes", "category", "trajectory"]
        current = _keyed_values(TimeEntry, [row.import_key for row in rows], fields)
        created: list[tuple[object, ...]] = []
        updated: list[TimeEntry] = []
        for row in rows:
            trajectory_pk = self.trajectory_pks[row.trajectory_id] if row.trajectory_id else None
            values = (self.worker_pks[row.worker_id], row.date, row.minutes, row.category, trajectory_pk)
            stored = current.get(row.import_key)
            if stored is None:
                created.append((*values, "", row.import_key, self.now))
            elif stored[1] != values:
                updated.append(TimeEntry(pk=stored[0], **dict(zip(_attnames(TimeEntry, fields), values, strict=True))))
        rows_insert(TimeEntry, [*fields, "note", "import_key", "created_at"], created)
        TimeEntry.objects.bulk_update(updated, fields, batch_size=UPDATE_BATCH_SIZE)
        self._count("time_entries", len(created), len(updated), len(rows) - len(created) - len(updated))

    def _outcomes(self) -> None:
        rows = self.dataset.outcomes.outcomes
        trajectory_pks = sorted({self.trajectory_pks[row.trajectory_id] for row in rows})
        current: set[tuple[int, str, date]] = set()
        for chunk in _chunks(trajectory_pks):
            current.update(
                Outcome.objects.filter(trajectory_id__in=chunk).values_list("trajectory_id", "outcome", "date")
            )
        created = [
            (self.trajectory_pks[row.trajectory_id], row.outcome, row.date, "", self.now)
            for row in rows
            if (self.trajectory_pks[row.trajectory_id], row.outcome, row.date) not in current
        ]
        rows_insert(Outcome, ["trajectory", "outcome", "date", "note", "created_at"], created)
        self._count("outcomes", len(created), 0, len(rows) - len(created))

    def _cost_items(self) -> None:
        items = self.dataset.cost_items
        fields = ["approach", "trajectory", "date", "line", "amount"]
        current = _keyed_values(CostItem, [item.import_key for item in items], fields)
        created: list[tuple[object, ...]] = []
        updated: list[CostItem] = []
        for item in items:
            approach_pk = self.approach_pks[(self.organisation_pks[item.organisation], item.approach)]
            trajectory_pk = self.trajectory_pks[item.row.trajectory_id] if item.row.trajectory_id else None
            values = (approach_pk, trajectory_pk, item.row.date, item.row.cost_line, item.row.amount)
            stored = current.get(item.import_key)
            if stored is None:
                created.append((*values, "", item.import_key))
            elif stored[1] != values:
                updated.append(CostItem(pk=stored[0], **dict(zip(_attnames(CostItem, fields), values, strict=True))))
        rows_insert(CostItem, [*fields, "description", "import_key"], created)
        CostItem.objects.bulk_update(updated, fields, batch_size=UPDATE_BATCH_SIZE)
        self._count("cost_items", len(created), len(updated), len(items) - len(created) - len(updated))


def _concrete_fields(model: type[Model], names: Sequence[str]) -> "list[Field[Any, Any]]":
    fields = []
    for name in names:
        model_field = model._meta.get_field(name)
        if not isinstance(model_field, Field):
            raise TypeError(f"{model.__name__}.{name} is not a concrete field")
        fields.append(model_field)
    return fields


def _attnames(model: type[Model], names: Sequence[str]) -> list[str]:
    return [model_field.attname for model_field in _concrete_fields(model, names)]


def _keyed_values(
    model: type[TimeEntry] | type[CostItem], keys: Sequence[str], names: Sequence[str]
) -> dict[str, tuple[int, tuple[object, ...]]]:
    """import_key -> (pk, values of `names`) of the stored rows with those keys, as plain tuples."""
    attnames = _attnames(model, names)
    stored: dict[str, tuple[int, tuple[object, ...]]] = {}
    for chunk in _chunks(keys):
        for pk, import_key, *values in model._default_manager.filter(import_key__in=chunk).values_list(
            "pk", "import_key", *attnames
        ):
            stored[import_key] = (pk, tuple(values))
    return stored


def rows_insert(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """INSERT rows whose primary keys nobody needs back: COPY on PostgreSQL, else many rows per INSERT.

    bulk_create compiles every value through the ORM, about 10 µs each: for the 100,000 time entries
    of a region that was most of the import. These values are validated and typed already, so only
    dates, datetimes and decimals need the backend's adaptation. Every concrete field must be given
    (raw SQL skips the model defaults).
    """
    if not rows:
        return
    fields = _concrete_fields(model, names)
    given = {model_field.name for model_field in fields}
    missing = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in given]
    if missing:
        raise ValueError(f"{model.__name__}: no values for {', '.join(missing)}")
    operations = connection.ops
    table = operations.quote_name(model._meta.db_table)
    columns = ", ".join(operations.quote_name(model_field.get_attname_column()[1] or "") for model_field in fields)
    if connection.vendor == "postgresql":
        # PostgreSQL's own bulk load: about four times faster than INSERTs, whose parameters
        # Django's psycopg cursor binds on the client. psycopg adapts the Python values itself.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    adapters: list[Callable[[Any], Any] | None] = []
    for model_field in fields:
        if isinstance(model_field, DateTimeField):
            adapters.append(operations.adapt_datetimefield_value)
        elif isinstance(model_field, DateField):
            adapters.append(operations.adapt_datefield_value)
        elif isinstance(model_field, DecimalField):
            adapters.append(operations.adapt_decimalfield_value)
        else:
            adapters.append(None)
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = connection.features.max_query_params
    batch_size = min(INSERT_ROWS_PER_STATEMENT, limit // len(fields)) if limit else INSERT_ROWS_PER_STATEMENT
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            parameters: list[Any] = [
                value if adapt is None or value is None else adapt(value)
                for row in batch
                for value, adapt in zip(row, adapters, strict=True)
            ]
            # Identifiers come from the model's own meta, quoted by the backend; values are parameters.
            values = ", ".join([row_placeholder] * len(batch))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", parameters)  # noqa: S608


@contextmanager
def _sqlite_page_cache() -> Iterator[None]:
    """A larger SQLite page cache while importing: inserts into the random 64-character import_key
    index thrash the 2 MB default (measured: 100,000 time entries twice as fast with 64 MB)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def dataset_import(*, directory: Path) -> ImportResult:
    """SPEC §6 `import_dataset DIR`: validate everything, then write everything or nothing.

    Raises DatasetInvalid with every error as `file:line: column: message` when any rule is broken.
    Validation and writing share one transaction, so what was checked is what is written.
    """
    errors = _Errors()
    try:
        with _sqlite_page_cache(), transaction.atomic():
            dataset = dataset_validate(directory=directory, errors=errors)
            if errors:
                raise DatasetInvalid(errors.texts())
            writer = _Writer(dataset)
            result = writer.write()
            # The organisation of a one-organisation dataset, so its admins find the entry.
            of_dataset = dataset.organisations.of_dataset
            organisation = (
                Organisation.objects.get(pk=writer.organisation_pks[next(iter(of_dataset))])
                if len(of_dataset) == 1
                else None
            )
            if result.changed:  # a re-import of the same files changes nothing, the audit log included
                audit_log_record(
                    user=None,
                    action=AuditLogEntry.Action.IMPORT,
                    object_type="dataset",
                    object_id=directory.name or str(directory),
                    organisation=organisation,
                    detail=result.detail(),
                )
    except IntegrityError as error:
        # Validation ran in this transaction, so only a concurrent writer can get here.
        raise DatasetInvalid(
            [f"{directory}: the database refused the dataset ({error}); nothing was written"]
        ) from error
    return result
